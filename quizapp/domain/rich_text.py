"""A question's texts in their format (plain, html or markdown), rendered as safe HTML.

Every template that shows a prompt, a choice, feedback or an explanation goes through
``render_text``: plain text is escaped, HTML passes an allowlist sanitiser (nh3), and markdown
is rendered with raw HTML turned off and then passes the same sanitiser. Nothing of a file's
HTML reaches a page any other way, so the strict Content-Security-Policy and the hostile-set
tests hold for every format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3
from markdown_it import MarkdownIt

if TYPE_CHECKING:
    from .model import Question

PLAIN = "plain"
HTML = "html"
MARKDOWN = "markdown"
TEXT_FORMATS = (PLAIN, HTML, MARKDOWN)

#: The tags a question's HTML may keep: text structure, emphasis, lists, code, simple tables,
#: links and the images that travel with the set. Anything else is dropped, its text kept.
BLOCK_TAGS = frozenset({"p", "ul", "ol", "li", "pre", "table", "thead", "tbody", "tr", "th", "td"})
INLINE_TAGS = frozenset({"br", "em", "strong", "b", "i", "u", "sub", "sup", "code", "a", "img"})
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
#: Elements whose content is never text for the reader.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "svg"})
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Block ends that become a line break when the text must fit in a heading or a label.
_BLOCK_END = re.compile(r"</(?:p|li|tr|pre|h[1-6]|div|blockquote)\s*>", re.IGNORECASE)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
# Never "[^>]*" after "<img": on a text of many "<img" without ">" each would scan to the end.
_IMG_SRC = re.compile(r"<img\b[^<>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_TRAILING_BREAKS = re.compile(r"(?:\s*<br>)+\s*$")
_LEADING_BREAKS = re.compile(r"^\s*(?:<br>\s*)+")
_REPEATED_BREAKS = re.compile(r"<br>(?:\s*<br>)+")
_TAG = re.compile(r"<[^>]*>")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_VOID_TAGS = frozenset({"br", "img"})
#: Moodle's placeholder for a file stored with the question.
PLUGINFILE = "@@PLUGINFILE@@/"

#: Maps an image's file name (as the text names it) to the URL the app serves it at, or None
#: when the file does not travel with the set (the image is then dropped).
ImageUrl = Callable[[str], str | None]


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "commonmark" with html off: tags typed in markdown are shown as text, never as HTML.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def image_file_name(src: str) -> str:
    """The file name an image's ``src`` names: Moodle's @@PLUGINFILE@@/ prefix and URL escapes
    removed, so ``@@PLUGINFILE@@/map%20of%20states.png`` is ``map of states.png``."""
    from urllib.parse import unquote

    name = src.strip()
    if name.startswith(PLUGINFILE):
        name = name[len(PLUGINFILE) :]
    return unquote(name.split("?")[0])


def image_sources(text: str, text_format: str) -> list[str]:
    """The ``src`` of every image a text shows (HTML or markdown), in order."""
    if text_format == PLAIN or ("<img" not in text.lower() and "![" not in text):
        return []
    markup = _markdown().render(text) if text_format == MARKDOWN else text
    return [
        next(group for group in found.groups() if group is not None)
        for found in _IMG_SRC.finditer(markup)
    ]


def question_texts(question: Question) -> Iterator[str]:
    """Every text of a question that is shown in its format: the answering texts (prompt,
    instructions, choices, items, matching pairs), then the explanation and the feedback."""
    yield from texts_shown_before_grading(question)
    yield question.explanation
    for _, text in question.feedback:
        yield text


def texts_shown_before_grading(question: Question) -> Iterator[str]:
    """The texts of a question a student sees while answering: not the explanation or the
    feedback, which may give the answer away."""
    yield question.prompt
    yield question.instructions
    yield from question.choices
    yield from question.items
    for left, right in question.pairs:
        yield left
        yield right
    yield from question.distractors


def images_shown_before_grading(questions: Iterable[Question]) -> set[str]:
    """The file names of the images that the questions' answering texts show."""
    return {
        image_file_name(source)
        for question in questions
        for text in texts_shown_before_grading(question)
        for source in image_sources(text, question.text_format)
    }


def render_text(
    text: str, text_format: str = PLAIN, *, inline: bool = False, image_url: ImageUrl | None = None
) -> str:
    """The text as safe HTML; ``inline`` keeps only what a heading or a label may hold."""
    if text_format not in (HTML, MARKDOWN):
        return html.escape(text)
    markup = _markdown().render(text) if text_format == MARKDOWN else text
    return _sanitise(markup, inline, image_url)


def split_prompt(
    text: str, text_format: str = PLAIN, *, image_url: ImageUrl | None = None
) -> tuple[str, str | None]:
    """A prompt as (heading, body): the heading is what fits in a heading or a label (its first
    paragraph), the body the lists, tables and further paragraphs shown below it as blocks.

    A prompt that is plain, a single paragraph or only inline text has no body, and its heading
    is exactly ``render_text(inline=True)``, so such prompts are shown as they always were.
    A prompt that opens with a list or a table has no paragraph to head it: it stays whole in
    the heading, flattened into lines.
    """
    whole = render_text(text, text_format, inline=True, image_url=image_url)
    if text_format not in (HTML, MARKDOWN):
        return whole, None
    nodes = _top_level_nodes(render_text(text, text_format, image_url=image_url))
    blocks = [index for index, node in enumerate(nodes) if _block_name(node) is not None]
    others = [node for index, node in enumerate(nodes) if index not in blocks[:1]]
    if not blocks or (_block_name(nodes[blocks[0]]) == "p" and not "".join(others).strip()):
        return whole, None  # only inline text, or one paragraph: the heading holds it all
    first = blocks[0]
    lead = "".join(nodes[:first])
    if lead.strip():  # inline text before the first block heads the prompt
        heading, rest = lead, nodes[first:]
    elif _block_name(nodes[first]) == "p":
        heading, rest = nodes[first][len("<p>") : -len("</p>")], nodes[first + 1 :]
    else:
        return whole, None
    body = "".join(rest).strip()
    heading = _LEADING_BREAKS.sub("", _TRAILING_BREAKS.sub("", heading)).strip()
    if not heading or (not _TAG.sub("", body).strip() and "<img" not in body):
        return whole, None  # nothing the reader would see below the heading
    return heading, body


def _block_name(node: str) -> str | None:
    """The tag name of a top-level node that is a block element, else None."""
    name = _tag_name(node) if node.startswith("<") and not node.startswith("</") else ""
    return name if name in BLOCK_TAGS else None


def _top_level_nodes(markup: str) -> list[str]:
    """The sanitiser's output cut into its top-level block elements and the runs of inline
    text between them. Its tags are balanced and never hold ``>`` in a value, so counting
    opening and closing tags suffices."""
    nodes: list[str] = []
    depth = 0
    current = ""
    for piece in _TAG_OR_TEXT.split(markup):
        name = _tag_name(piece)
        closing = piece.startswith("</")
        opening = piece.startswith("<") and not closing and name not in _VOID_TAGS
        if depth == 0 and opening and name in BLOCK_TAGS and current:
            nodes.append(current)
            current = ""
        current += piece
        depth += 1 if opening else -1 if closing else 0
        if depth == 0 and closing and name in BLOCK_TAGS:
            nodes.append(current)
            current = ""
    if current:
        nodes.append(current)
    return nodes


def _tag_name(piece: str) -> str:
    """The lower-case name of a tag, or "" for text."""
    found = re.match(r"</?([a-zA-Z0-9]+)", piece)
    return found.group(1).lower() if found else ""


def plain_text(text: str, text_format: str = PLAIN) -> str:
    """The words of the text without any markup: for places that show text only (a select's
    options, a CSV export, an item-analysis label)."""
    if text_format not in (HTML, MARKDOWN):
        return text
    markup = _sanitise(text if text_format == HTML else _markdown().render(text), True, None)
    words = html.unescape(_TAG.sub("", markup.replace("<br>", " ")))
    return " ".join(words.split())


def _without_angles(value: str) -> str:
    """An attribute value without < or >, so that in the sanitiser's output every tag is
    exactly a ``<...>`` without ``>`` inside it."""
    return value.replace("<", "%3C").replace(">", "%3E")


def _quotes_escaped(markup: str) -> str:
    """Quotes in the text between tags written as entities, as the app's templates write
    every text: typed markup such as ``href="javascript:`` stays visibly inert text."""
    pieces = _TAG_OR_TEXT.split(markup)
    for index in range(0, len(pieces), 2):  # the even pieces are text, the odd ones tags
        pieces[index] = pieces[index].replace('"', "&#34;").replace("'", "&#39;")
    return "".join(pieces)


def _sanitise(markup: str, inline: bool, image_url: ImageUrl | None) -> str:
    tags = INLINE_TAGS if inline else INLINE_TAGS | BLOCK_TAGS
    if inline:
        markup = _BLOCK_END.sub(lambda end: f"{end.group(0)}<br>", markup)

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            url = image_url(image_file_name(value)) if image_url is not None else None
            return None if url is None else _without_angles(url)
        if attribute == "alt":
            return value.replace("<", "").replace(">", "")
        return _without_angles(value)

    cleaned = nh3.clean(
        markup,
        tags=set(tags),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items() if tag in tags},
        attribute_filter=keep_attribute,
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An image whose file did not come with the set has lost its src: drop the whole tag.
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned).replace("&nbsp;", " ").replace("\xa0", " ")
    cleaned = _IMG_WITHOUT_ALT.sub('<img alt=""', cleaned)
    cleaned = _quotes_escaped(cleaned)
    if inline:
        cleaned = _REPEATED_BREAKS.sub("<br>", cleaned)
        cleaned = _LEADING_BREAKS.sub("", _TRAILING_BREAKS.sub("", cleaned))
    return cleaned.strip()
