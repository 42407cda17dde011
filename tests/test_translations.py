"""The interface in every language: nothing shown outside gettext, nothing left untranslated.

The template lint and the catalogue checks are parametrised per file, so a failure names the
template or module to fix. tools/i18n.py runs the same checks from the command line.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parent.parent


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _load_tool()
# Extracting every message walks and parses the whole app (seconds); the sources do not change
# during a run, so the parametrisation, the catalogue checks and the tests below share one
# extraction per process instead of making one each.
_extracted = functools.cache(lambda extract=tool.extracted_messages: tuple(extract()))
tool.extracted_messages = lambda: iter(_extracted())
LANGUAGES = [language for language in tool.languages() if language != "en"]


@pytest.fixture(scope="module")
def untranslated_by_file() -> dict[tuple[str, str], list[str]]:
    """Per (language, source file): the messages the language's catalogue lacks."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for language in LANGUAGES:
        for where, message in tool.untranslated(language):
            found[language, where.rsplit(":", 1)[0]].append(message)
    return found


def _sources() -> list[str]:
    return sorted({filename for filename, _line, _message in tool.extracted_messages()})


@pytest.mark.parametrize("template", tool.template_names())
def test_template_shows_no_text_outside_gettext(template: str) -> None:
    problems = tool.lint([template])
    assert not problems, "text outside gettext:\n" + "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", _sources())
def test_every_message_is_translated(
    source: str, language: str, untranslated_by_file: dict[tuple[str, str], list[str]]
) -> None:
    missing = untranslated_by_file.get((language, source), [])
    assert not missing, f"{language} lacks {len(missing)} of {source}'s messages: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    catalog = tool.catalogue(language)
    errors = [f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    assert not errors, "\n".join(errors)


def _form(value: object) -> object:
    """A message or its plural forms, comparable: the .mo reads plural forms as lists."""
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    """The app reads the .mo: it must hold exactly the .po's translations (run compile)."""
    po = {
        _form(m.id): _compiled(m.id, m.string)
        for m in tool.catalogue(language)
        if m.id and m.string and not m.fuzzy
    }
    mo_path = tool.TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"
    with mo_path.open("rb") as handle:
        mo = {_form(m.id): _form(m.string) for m in read_mo(handle) if m.id}
    assert mo == po, "run tools/i18n.py compile"


def _compiled(msgid: str | tuple[str, ...], forms: str | tuple[str, ...]) -> str | tuple[str, ...]:
    """What the .mo holds for a message: a plural form not yet translated is the English one."""
    if isinstance(forms, str):
        return forms
    return tuple(form or msgid[min(index, 1)] for index, form in enumerate(forms))


def test_the_lint_finds_text_attributes_and_literals() -> None:
    """The lint itself: each kind of untranslated text is caught, translated text is not."""
    source = (
        '<p title="Read me">Hello</p><input type="submit" value="Send">'
        "{{ 'Part B' if x }}{{ button('Save it') }}{{ form.submit(class_='button primary') }}"
        "<p>{{ _('Fine') }} {% trans %}Also fine{% endtrans %} · 12 ✓</p>"
        '<a class="wide" href="{{ url_for(\'student.index\') }}">{{ n }}</a>'
        "<script>var words = 'not shown';</script>"
    )
    found = {p.text for p in tool.lint_template(source, "t.html", tool.template_environment())}
    assert found == {"Read me", "Hello", "Send", "Part B", "Save it"}


#: A string literal of a script: "..." or `...`.
_SCRIPT_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`')
#: Words for people: two words apart (not a selector), or a capitalised word set as text.
_SCRIPT_WORD = re.compile(r"[A-Za-z]{2,}")
_SCRIPT_TEXT = re.compile(r'textContent\s*=\s*"[A-Z][a-z]+')


def script_prose(source: str) -> list[str]:
    """The words a script would show that are not messages of the page (static/js/messages.js)."""
    found = []
    for line in source.splitlines():
        code = re.sub(r"(^|\s)//.*$", "", line)  # comments say why, in English, for developers
        if _SCRIPT_TEXT.search(code):
            found.append(code.strip())
        for literal in _SCRIPT_LITERAL.finditer(code):
            text = literal.group(1) if literal.group(1) is not None else literal.group(2)
            selector = re.search(r"[\[\]#>]|^\(|\.\w", text)  # CSS selectors, media queries
            words = _SCRIPT_WORD.findall(text)
            if text != "use strict" and " " in text and len(words) >= 2 and not selector:
                found.append(text)
    return found


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "static" / "js").glob("*.js")))
def test_scripts_say_nothing_outside_the_pages_messages(script: str) -> None:
    assert not script_prose((ROOT / "static" / "js" / script).read_text(encoding="utf-8"))


def test_the_script_check_finds_words_and_skips_comments_and_keys() -> None:
    assert script_prose('el.textContent = "Saved";') == ['el.textContent = "Saved";']
    assert script_prose("say(`${n} of ${m} words`); // a note about words here") == [
        "${n} of ${m} words"
    ]
    assert script_prose('say("Not saved: " + why)') == ["Not saved: "]
    assert script_prose('headers: { "Accept": "application/json" }, say("time_up")') == []
    assert script_prose('matchMedia("(min-width: 72rem)"); q("[data-x] .sentence")') == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_script_message_is_translated(language: str) -> None:
    from quizapp.i18n import SCRIPT_MESSAGES

    catalog = tool.catalogue(language)
    for key, text in SCRIPT_MESSAGES.items():
        entry = catalog.get(text._args[0])
        assert entry is not None and entry.string, key


def test_messages_are_extracted_from_every_folder_of_templates() -> None:
    """The shared macros live in templates/_macros/, a folder Babel skips unless told."""
    assert "quizapp/templates/_macros/forms.html" in _sources()
    # tools/i18n.py update (pybabel extract) looks there too.
    for language in LANGUAGES:
        places = {where for message in tool.catalogue(language) for where, _ in message.locations}
        assert "quizapp/templates/_macros/forms.html" in places, language


def test_pybabel_is_given_the_keywords_the_checks_extract_with() -> None:
    """One table of extraction keywords: spelled for pybabel's -k, it reads back as itself."""
    from babel.messages.frontend import parse_keywords

    spelled = [tool._keyword_spec(name, arguments) for name, arguments in tool.KEYWORDS.items()]
    assert "npgettext:1c,2,3" in spelled
    assert parse_keywords(spelled) == tool.KEYWORDS
