"""The interface's catalogues: extract the messages, update each language, compile, lint.

    python tools/i18n.py init LANG  # start a new language's catalogue (then: update, compile)
    python tools/i18n.py update    # extract from the code and templates, merge into every .po
    python tools/i18n.py compile   # .po -> .mo (the app reads the .mo; both are committed)
    python tools/i18n.py lint [TEMPLATE ...]   # template text left outside gettext
    python tools/i18n.py missing [LANG]        # messages without a translation

See docs/i18n.md. The tests (tests/test_translations.py) run the same checks.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "quizapp" / "translations"
TEMPLATES = ROOT / "quizapp" / "templates"
TEMPLATE_FILE = TRANSLATIONS / "messages.pot"
#: The calls whose arguments are messages, with the arguments that are (Babel's keyword table:
#: None, the first; a tuple, those positions, (n, "c") a context), for pybabel's extraction and
#: for extracted_messages() alike: the gettext family and the lazy forms of quizapp.domain.i18n.
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "lazy_gettext": None, "lazy_ngettext": (1, 2),
    "ngettext_unfilled": (1, 2),
}  # fmt: skip
#: Folders that hold no messages. Babel's default also skips folders whose names start with
#: "_", and so the shared macros (templates/_macros/).
IGNORED_FOLDERS = [".*", "__pycache__"]
#: Calls whose string arguments are messages, in templates.
GETTEXT_CALLS = frozenset(KEYWORDS)
#: Keyword arguments of calls that hold names for the page, not text for people: a field's
#: ``form.submit(class_='button primary')``.
NAME_KEYWORDS = {"class_", "id"}


def languages() -> list[str]:
    """The languages with a catalogue: the folders of quizapp/translations."""
    return sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    """Write messages.pot from the code and the templates."""
    keywords = ["--no-default-keywords"]
    for name, arguments in KEYWORDS.items():
        keywords += ["-k", _keyword_spec(name, arguments)]
    # Run from the repository root, so the catalogue names files by their paths in it; sorted by
    # message with the file (not the line) of each, so that moving code does not change it.
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        _pybabel(
            "extract", "-F", "babel.cfg", *keywords, "--no-wrap", "--sort-output",
            "--ignore-dirs", " ".join(IGNORED_FOLDERS),
            "--add-location=file", "--project", "Civics Quiz",
            "-o", str(TEMPLATE_FILE.relative_to(ROOT)), ".",
        )  # fmt: skip
    finally:
        os.chdir(previous)


def _keyword_spec(name: str, arguments: tuple[int | tuple[int, str], ...] | None) -> str:
    """A KEYWORDS entry as pybabel's ``-k`` spells it: ``npgettext:1c,2,3``."""
    if arguments is None:
        return name
    spelled = [f"{a[0]}{a[1]}" if isinstance(a, tuple) else str(a) for a in arguments]
    return f"{name}:{','.join(spelled)}"


def update() -> None:
    """Extract, then merge the new messages into every language's catalogue."""
    extract()
    for language in languages():
        _pybabel(
            "update", "-i", str(TEMPLATE_FILE), "-d", str(TRANSLATIONS), "-l", language,
            "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching",
            "--ignore-pot-creation-date",
        )  # fmt: skip


def init(language: str) -> None:
    """Start the catalogue of a new language from the extracted messages."""
    extract()
    _pybabel("init", "-i", str(TEMPLATE_FILE), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap")


def compile_catalogues() -> None:
    """Compile every .po into the .mo the app reads (fuzzy entries are left out)."""
    for language in languages():
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        out = BytesIO()
        write_mo(out, catalog)
        (po.with_suffix(".mo")).write_bytes(out.getvalue())


def catalogue(language: str) -> Catalog:
    """The .po of ``language``, read."""
    po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        return read_po(handle, locale=language)


def extracted_messages() -> Iterator[tuple[str, int, str | tuple[str, ...]]]:
    """Every message of the code and templates: (file, line, message or its plural forms)."""
    method_map = [("quizapp/templates/**.html", "jinja2"), ("quizapp/**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS, directory_filter=_searched
    ):
        yield filename, lineno, message


def _searched(path: str) -> bool:
    """Whether extraction looks inside the folder ``path``."""
    name = os.path.basename(path)
    return not any(fnmatch(name, pattern) for pattern in IGNORED_FOLDERS)


def untranslated(language: str) -> list[tuple[str, str]]:
    """(where, message) of each message extracted from the sources that ``language``'s
    catalogue does not translate: missing, empty, fuzzy, or with a missing plural form."""
    found = catalogue(language)
    missing = []
    for filename, lineno, message in extracted_messages():
        msgid = message if isinstance(message, str) else message[0]
        entry = found.get(msgid)
        forms = entry.string if entry is not None else None
        if isinstance(forms, str | None):
            forms = (forms,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append((f"{filename}:{lineno}", msgid))
    return missing


# --- The template lint: text a reader sees that is outside a translation call ---------------

#: Attributes whose text is read or shown to people.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
#: A run of letters: text that needs translating (numbers, symbols and punctuation do not).
WORD = re.compile(r"[^\W\d_]{2,}")
#: Stands for an expression's output inside the template's HTML.
HOLE = "\x00"


@dataclass(frozen=True)
class Untranslated:
    """Text in a template that a reader sees without a translation call around it."""

    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


class _TextFinder(HTMLParser):
    """Text nodes and read attributes of an HTML fragment, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (name == "value" and _is_button(attributes))):
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.found.append((self.getpos()[0], data))


def _is_button(attributes: dict[str, str | None]) -> bool:
    return (attributes.get("type") or "").lower() in ("submit", "button", "reset")


def _prose(text: str) -> bool:
    """Whether a string is words for people (not a class name, a key or an endpoint)."""
    text = text.replace(HOLE, " ").strip()
    return bool(WORD.search(text)) and (" " in text or text[:1].isupper())


def _output_strings(node: nodes.Node) -> Iterator[nodes.Const]:
    """String constants an output expression writes to the page, outside gettext calls."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node
    elif isinstance(node, nodes.CondExpr):
        yield from _output_strings(node.expr1)
        if node.expr2 is not None:
            yield from _output_strings(node.expr2)
    elif isinstance(node, nodes.Concat):
        for part in node.nodes:
            yield from _output_strings(part)
    elif isinstance(node, nodes.Add):
        yield from _output_strings(node.left)
        yield from _output_strings(node.right)
    elif isinstance(node, nodes.Filter) and node.node is not None:
        yield from _output_strings(node.node)
    elif isinstance(node, nodes.Call):
        if isinstance(node.node, nodes.Name) and node.node.name in GETTEXT_CALLS:
            return
        shown = [kw.value for kw in node.kwargs if kw.key not in NAME_KEYWORDS]
        for arg in [*node.args, *shown]:
            yield from _output_strings(arg)


def lint_template(source: str, name: str, environment: Environment) -> list[Untranslated]:
    """The text of one template that is shown outside a translation call."""
    tree = environment.parse(source)
    problems: list[Untranslated] = []
    html: list[str] = []
    line = 1  # the line the joined HTML has reached; padded so it follows the template's lines
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if child.lineno > line:
                html.append("\n" * (child.lineno - line))
                line = child.lineno
            if isinstance(child, nodes.TemplateData):
                html.append(child.data)
                line += child.data.count("\n")
            else:
                html.append(HOLE)
                problems += [
                    Untranslated(name, const.lineno, const.value)
                    for const in _output_strings(child)
                    if _prose(const.value)
                ]
    for call in tree.find_all(nodes.Call):  # macro calls with text arguments: {{ button('Save') }}
        if isinstance(call.node, nodes.Name) and call.node.name not in GETTEXT_CALLS:
            for arg in [*call.args, *(kw.value for kw in call.kwargs)]:
                if (
                    isinstance(arg, nodes.Const)
                    and isinstance(arg.value, str)
                    and _prose(arg.value)
                ):
                    problems.append(Untranslated(name, arg.lineno, arg.value))
    finder = _TextFinder()
    finder.feed("".join(html))
    finder.close()
    for found_line, text in finder.found:
        if _prose(text):
            shown = " ".join(text.replace(HOLE, "…").split())
            lead = text[: len(text) - len(text.lstrip())].count("\n")  # text begins lines later
            problems.append(Untranslated(name, found_line + lead, shown))
    return sorted(set(problems), key=lambda p: (p.line, p.text))


def template_environment() -> Environment:
    """A Jinja environment that parses the app's templates (i18n tags included)."""
    return Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.loopcontrols"], autoescape=True)


def template_names() -> list[str]:
    """Every template of the app, relative to the templates folder."""
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


def lint(names: Iterable[str]) -> list[Untranslated]:
    """Untranslated text in the named templates."""
    environment = template_environment()
    problems: list[Untranslated] = []
    for name in names:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        problems += lint_template(source, name, environment)
    return problems


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "extract":
        extract()
    elif command == "init" and len(args) == 1:
        init(args[0])
    elif command == "update":
        update()
    elif command == "compile":
        compile_catalogues()
    elif command == "lint":
        found = lint(args or template_names())
        print("\n".join(str(p) for p in found))
        return 1 if found else 0
    elif command == "missing":
        for language in args or [lang for lang in languages() if lang != "en"]:
            for where, message in untranslated(language):
                print(f"{language} {where}: {message}")
    else:
        print(__doc__)
        return 0 if command == "help" else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
