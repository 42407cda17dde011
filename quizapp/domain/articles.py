"""Bring a news article in: pasted text or a file, back as paragraphs and citation fields.

The API, for the drafting service, the CLI and the editor:

- ``article_from_text(text, **citation) -> Article``: pasted text. Paragraphs are separated by
  blank lines; when the text has none, every line is a paragraph. Lines inside a paragraph
  (hard-wrapped text) are joined with a space.
- ``read_article(filename, content) -> Article``: an uploaded ``.txt``, ``.md``, ``.html``/
  ``.htm`` (a page saved from a browser: readability-lxml keeps the article and drops menus,
  lxml reads the page's metadata), ``.docx`` (python-docx) or ``.pdf`` (pypdf). The citation
  fields come from the file's metadata where it has them.
- ``Article.text`` is the paragraphs joined by line breaks: the text a set's source holds, in
  which the quotation finder, the sentence splitter and evidence quotes all work.
- ``Article.source_entry()`` is the set's ``sources:`` entry (title, text and the format's
  citation fields: publisher, author, published as YYYY-MM-DD, url).
- ``ArticleError`` is raised, with a message for the teacher, for an unknown type, a file too
  large, a PDF with no text layer (a scan), an encrypted or broken file, or a document that
  expands past the limits. These are expected outcomes, never a crash. The limits live in
  ``quizapp.domain.limits``.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from .i18n import gettext
from .limits import (
    MAX_ARTICLE_BYTES,
    MAX_DOCX_EXPANDED_BYTES,
    MAX_DOCX_MEMBERS,
    MAX_HTML_CHARS,
    MAX_PAGE_TEXT_CHARS,
    MAX_PDF_PAGES,
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
    describe_bytes,
)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


class ArticleError(Exception):
    """An article that cannot be brought in; the message says why and what to do."""


@dataclass(frozen=True)
class Article:
    """An article's paragraphs and the citation fields that say where it came from."""

    paragraphs: tuple[str, ...]
    title: str = ""
    publisher: str = ""
    author: str = ""
    published: str = ""
    url: str = ""

    @property
    def text(self) -> str:
        """The paragraphs joined by line breaks: the text of the set's source."""
        return "\n".join(self.paragraphs)

    def source_entry(self, fallback_title: str = "Article") -> dict[str, str]:
        """The set's ``sources:`` entry for this article, with its text inline."""
        entry = {"title": (self.title or fallback_title)[:MAX_TITLE_CHARS], "text": self.text}
        for key in ("publisher", "author", "published", "url"):
            value = getattr(self, key)
            if value:
                entry[key] = value
        return entry


def article_from_text(
    text: str,
    *,
    title: str = "",
    publisher: str = "",
    author: str = "",
    published: str = "",
    url: str = "",
) -> Article:
    """An article from pasted text; see the module docstring for how paragraphs are found."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if "\n\n" in text.strip():
        blocks = re.split(r"\n\s*\n", text)
        paragraphs = [" ".join(line.strip() for line in block.split("\n")) for block in blocks]
    else:
        paragraphs = text.split("\n")
    cleaned = tuple(re.sub(r"[ \t]+", " ", p).strip() for p in paragraphs)
    kept = tuple(p for p in cleaned if p)
    if not kept:
        raise ArticleError(gettext("the article has no text; paste the story or upload its file"))
    if sum(len(p) + 1 for p in kept) > MAX_SOURCE_CHARS:
        raise ArticleError(
            gettext(
                "the article is longer than %(most)s characters; cut it to the part the quiz "
                "is about",
                most=format(MAX_SOURCE_CHARS, ","),
            )
        )
    return Article(
        kept,
        title=title.strip(),
        publisher=publisher.strip(),
        author=author.strip(),
        published=_iso_date(published),
        url=url.strip(),
    )


def read_article(filename: str, content: bytes) -> Article:
    """An article from an uploaded file, chosen by its extension; raise ArticleError if bad."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(
            gettext(
                "'%(file)s' is not a type of file the app reads; upload a .txt, .md, .html, "
                ".docx or .pdf file, or paste the text",
                file=filename,
            )
        )
    if len(content) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            gettext(
                "'%(file)s' is larger than %(most)s; save just the article, or paste its text",
                file=filename,
                most=describe_bytes(MAX_ARTICLE_BYTES),
            )
        )
    if suffix == ".pdf":
        return _read_pdf(filename, content)
    if suffix == ".docx":
        return _read_docx(filename, content)
    text = _decode(filename, content)
    if suffix in (".html", ".htm"):
        return _read_html(filename, text)
    if suffix == ".md":
        return _read_markdown(text)
    return article_from_text(text)


def _decode(filename: str, content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArticleError(gettext("'%(file)s' is not readable text; save it as UTF-8", file=filename))


#: Month names as a story's dateline writes them, in the interface's languages (and their
#: usual abbreviations, which are the names' starts: "Jun.", "sept", "dic.").
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "enero"),
            ("february", "febrero"),
            ("march", "marzo"),
            ("april", "abril"),
            ("may", "mayo"),
            ("june", "junio"),
            ("july", "julio"),
            ("august", "agosto"),
            ("september", "septiembre", "setiembre"),
            ("october", "octubre"),
            ("november", "noviembre"),
            ("december", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?([a-z]+)\.?,?\s+(?:de\s+|del\s+)?(\d{4})"
)


#: A weekday before the date ("Wednesday, March 12, 2025"): read past, not checked.
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?"
    r"|fri|sat|sun|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\.?,?\s+"
)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def written_date(text: str, *, day_first: bool = False) -> str | None:
    """YYYY-MM-DD from a date as a story prints it ("June 18, 2025", "18 June 2025", "Jun. 18,
    2025", "Wednesday, March 12, 2025", "18 de junio de 2025", "3/12/2025"), or None when the
    text is not one such date. ``day_first``: "3/12/2025" is 3 December, as Spanish writes it,
    not March 12, as U.S. English does."""
    lowered = text.strip().lower()
    if weekday := _WEEKDAY.match(lowered):
        lowered = lowered[weekday.end() :]
    if numeric := _NUMERIC.fullmatch(lowered):
        first, second, number_year = (int(part) for part in numeric.groups())
        number_month, number_day = (second, first) if day_first else (first, second)
        try:
            return datetime.date(number_year, number_month, number_day).isoformat()
        except ValueError:
            return None
    if found := _MONTH_FIRST.fullmatch(lowered):
        month_name, day, year = found.groups()
    elif found := _DAY_FIRST.fullmatch(lowered):
        day, month_name, year = found.groups()
    else:
        return None
    months = [
        number
        for name, number in _MONTHS.items()
        if len(month_name) >= 3 and name.startswith(month_name)
    ]
    if len(set(months)) != 1:
        return None
    try:
        return datetime.date(int(year), months[0], int(day)).isoformat()
    except ValueError:
        return None


def _iso_date(value: Any) -> str:
    """YYYY-MM-DD from a date, a datetime or text that starts with one; "" otherwise."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    match = _DATE.search(str(value or ""))
    if not match:
        return ""
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def _read_markdown(text: str) -> Article:
    """Markdown: headings, quotes and list marks are markup, not words of the article."""
    title = ""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        heading = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and not title:
            title = heading.group(1)
        lines.append(re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)", "", line))
    body = "\n".join(lines)
    body = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", body)  # links and images keep their text
    body = re.sub(r"(\*\*|__)(.+?)\1", r"\2", body)
    return article_from_text(body, title=title)


def _not_a_page(filename: str, error: Exception) -> str:
    return gettext(
        "'%(file)s' could not be read as a web page (%(error)s)", file=filename, error=error
    )


def _not_a_docx(filename: str) -> str:
    return gettext("'%(file)s' is not a Word (.docx) document", file=filename)


def _read_html(filename: str, text: str) -> Article:
    """A saved web page: readability keeps the story, the page's metadata gives the citation."""
    import lxml.html
    from lxml.etree import ParserError
    from readability import Document

    if len(text) > MAX_HTML_CHARS:
        raise ArticleError(
            gettext(
                "'%(file)s' is a page of more than %(most)s characters; save the page as "
                "'HTML only', or paste the article's text",
                file=filename,
                most=format(MAX_HTML_CHARS, ","),
            )
        )
    try:
        page = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise ArticleError(_not_a_page(filename, error)) from None
    for node in page.xpath("//script|//style|//noscript|//svg|//template|//iframe"):
        node.drop_tree()
    if len(page.text_content()) > MAX_PAGE_TEXT_CHARS:
        raise ArticleError(
            gettext(
                "'%(file)s' holds more text than one article; paste the article's text instead",
                file=filename,
            )
        )
    try:
        summary = Document(lxml.html.tostring(page, encoding="unicode")).summary(html_partial=True)
        story = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (ParserError, ValueError) as error:
        raise ArticleError(_not_a_page(filename, error)) from None
    paragraphs = []
    for block in story.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre"):
        if block.getparent() is not None and block.getparent().tag in ("blockquote", "li"):
            continue
        words = " ".join(block.text_content().split())
        if words:
            paragraphs.append(words)
    if not paragraphs:
        words = " ".join(story.text_content().split())
        paragraphs = [words] if words else []
    if not paragraphs:
        raise ArticleError(
            gettext("'%(file)s' has no article text that the app could find", file=filename)
        )

    def meta(*names: str) -> str:
        for name in names:
            for attribute in ("property", "name", "itemprop"):
                found = page.xpath(f"//meta[@{attribute}=$name]/@content", name=name)
                if found and str(found[0]).strip():
                    return " ".join(str(found[0]).split())
        return ""

    title = meta("og:title", "twitter:title") or " ".join((page.findtext(".//title") or "").split())
    canonical = page.xpath("//link[@rel='canonical']/@href")
    return article_from_text(
        "\n\n".join(paragraphs),
        title=title,
        publisher=meta("og:site_name", "publisher", "application-name"),
        author=meta("author", "article:author", "byl", "dc.creator"),
        published=meta("article:published_time", "date", "pubdate", "datePublished", "dc.date"),
        url=meta("og:url") or (str(canonical[0]) if canonical else ""),
    )


def _read_docx(filename: str, content: bytes) -> Article:
    """A Word document; its size once unzipped is checked before python-docx opens it."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ArticleError(_not_a_docx(filename)) from None
    if len(members) > MAX_DOCX_MEMBERS or sum(m.file_size for m in members) > (
        MAX_DOCX_EXPANDED_BYTES
    ):
        raise ArticleError(
            gettext(
                "'%(file)s' expands to more than the app reads; save just the article as a new "
                "document, or paste its text",
                file=filename,
            )
        )
    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise ArticleError(_not_a_docx(filename)) from None
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    if not paragraphs:
        raise ArticleError(gettext("'%(file)s' has no text", file=filename))
    core = document.core_properties
    return article_from_text(
        "\n\n".join(paragraphs),
        title=core.title or "",
        author=core.author or "",
        published=_iso_date(core.created),
    )


def _read_pdf(filename: str, content: bytes) -> Article:
    """A PDF with a text layer; a scan (pages with no text) gets a message saying so."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ArticleError(
                gettext("'%(file)s' is password-protected; save a copy without one", file=filename)
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ArticleError(
                gettext(
                    "'%(file)s' has %(pages)s pages; the app reads articles of up to "
                    "%(most)s pages",
                    file=filename,
                    pages=len(reader.pages),
                    most=MAX_PDF_PAGES,
                )
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise ArticleError(
            gettext("'%(file)s' could not be read as a PDF", file=filename)
        ) from None
    if not "".join(pages).strip():
        raise ArticleError(
            gettext(
                "'%(file)s' has no text the app can read: it looks like a scan. Open it in a "
                "program that recognises text (OCR), or paste the text",
                file=filename,
            )
        )
    title = author = published = ""
    if info is not None:
        title = str(info.title or "")
        author = str(info.author or "")
        published = _iso_date(
            info.get("/CreationDate", "")[2:10] if info.get("/CreationDate") else ""
        )
    return article_from_text(
        "\n\n".join(_pdf_paragraphs(page) for page in pages),
        title=title,
        author=author,
        published=published,
    )


def _pdf_paragraphs(page: str) -> str:
    """Rejoin a PDF page's wrapped lines: a line ends its paragraph when it ends a sentence
    and is clearly shorter than the page's full lines, or before a blank line."""
    lines = [line.rstrip() for line in page.split("\n")]
    widest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current = ""
    for line in lines:
        if not line.strip():
            if current:
                out.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line.strip()
        else:
            current = f"{current} {line.strip()}".strip()
        if re.search(r"[.!?:”\"]$", line) and len(line) < 0.85 * widest:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n\n".join(out)
