"""English left on a page shown in another language: the words a Spanish page must not show.

The check reads what a person sees or hears on the page (its text, button values, placeholders,
image descriptions, labels read aloud and the title) and looks for a short list of common English
words that are not also Spanish words. It leaves out:

- what is inside an element whose nearest ``lang`` is another language: question content, which
  keeps the language of its set, and the language switch's "English";
- literal text to type or read as code (``code``, ``pre``, ``kbd``, ``samp``) and
  ``translate="no"``: the question-format keywords stay English;
- the names people gave things (accounts, classes, assignments, sets, sources, drafts), which
  the caller passes in: a class called "Back to school" is no English left in the interface;
  and a few names that others gave in English (PROPER_NAMES: LTI services, roster headings);
- quoted text (a keyword, a title, words of the source; in quotes or `backticks`), words in
  capitals (keywords such as ANSWER:, abbreviations), identifiers or file names
  (who-said-heartbeat, template.xlsx) and time-zone names (America/Port of Spain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

#: Common English words of an interface that are not Spanish words (so "no", "me", "a", "he",
#: "total", "error" and "quiz", which Spanish pages may well say, are not on it).
ENGLISH_WORDS = frozenset(
    """
    the and with without your you this that these those what which who when where how why
    of to for from by at on is are was were will have not yes here there
    question questions answer answers submit save sign results result class classes
    teacher teachers student students points back next previous open closed close
    settings password account create delete remove edit upload download print
    help home start continue review score scores right wrong correct choose select
    join code name page time minutes assignment assignments
    """.split()  # noqa: SIM905 (a paragraph of words reads better than a list of strings)
)

#: What the page says, piece by piece, as [where, text], leaving out the parts described above.
PAGE_TEXT = """(names) => {
  const pageLanguage = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  const literal = "script, style, template, noscript, code, pre, kbd, samp, [translate=no]";
  const otherLanguage = (el) => {
    const holder = el.closest("[lang]");
    const lang = holder ? holder.getAttribute("lang").toLowerCase().split("-")[0] : "";
    return lang !== pageLanguage;
  };
  const left = (el) => !el.closest(literal) && !otherLanguage(el);
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
  // An option or a control's text is seen when its control is.
  const seen = (el) => {
    const box = el.closest("select") || el;
    return box.checkVisibility({checkVisibilityCSS: true}) ||
      box.closest(".visually-hidden, .sr-only") !== null;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (text && el && left(el) && el.tagName !== "TEXTAREA" && seen(el)) {
      found.push([describe(el), text]);
    }
  }
  const read = ["alt", "title", "placeholder", "aria-label"];
  for (const el of document.body.querySelectorAll("*")) {
    if (!left(el)) continue;
    for (const name of read) {
      if (el.hasAttribute(name)) found.push([describe(el) + "@" + name, el.getAttribute(name)]);
    }
    if (el.matches("input[type=submit], input[type=button], input[type=reset]")) {
      found.push([describe(el) + "@value", el.value]);
    }
  }
  found.push(["title", document.title]);
  // Names people gave things, longest first (a name may hold a shorter one).
  const ordered = [...names].filter((n) => n.trim()).sort((a, b) => b.length - a.length);
  return found.map(([where, text]) => {
    let rest = text;
    for (const name of ordered) rest = rest.split(name).join(" ");
    return [where, text, rest];
  });
}"""

#: Names of things other people named in English, which the Spanish interface names as they are:
#: the LTI services an LMS offers, the roster headings a school's export has, a publisher.
PROPER_NAMES = frozenset(
    {
        "Assignment and Grade Services",
        "Names and Role Provisioning Services",
        "Names and Role Provisioning",
        "Deep Linking",
        "First Name",
        "Last Name",
        "Student Name",
        "Voice of America",
    }
)
#: A run of text between spaces; one with a digit or one of - _ . / @ in it is an identifier, a
#: file name or an address (who-said-heartbeat, question-template.xlsx, part_of), not prose.
CHUNK = re.compile(r"[^\s,;:!?()\[\]{}«»“”\"]+")
IDENTIFIER = re.compile(r"[\d_./@-]")
WORD = re.compile(r"[A-Za-z]+")
#: Quoted text is a literal: a format keyword ('answer:'), a title, words from the source.
QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|`[^`]*`|(?<![A-Za-z])'[^']*'(?![A-Za-z])")
#: A name of the time-zone database, as a time-zone list shows it: America/Port of Spain.
ZONE_NAME = re.compile(r"[A-Z][A-Za-z_]*(?:/[A-Za-z_ -]+)+")


@dataclass(frozen=True)
class EnglishWord:
    """An English word found on the page, with the text it is in and where that text is."""

    word: str
    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.word!r} in {self.where}: {self.text[:80]!r}"


def english_words_in(texts: list[tuple[str, str, str]]) -> list[EnglishWord]:
    """The English words of ``(where, text, text without names)`` pieces."""
    return [
        EnglishWord(word.lower(), text, where)
        for where, text, rest in texts
        for word in words_of(rest)
        if word.lower() in ENGLISH_WORDS
    ]


def words_of(text: str) -> list[str]:
    """The words of ``text`` outside quotes, identifiers and file names; a word in capitals
    is a keyword or an abbreviation (ANSWER: in an Aiken file, CSV, LMS)."""
    if ZONE_NAME.fullmatch(text.strip()):
        return []
    return [
        word
        for chunk in CHUNK.findall(QUOTED.sub(" ", text))
        if not IDENTIFIER.search(chunk)
        for word in WORD.findall(chunk)
        if not word.isupper()
    ]


def english_words(page: Page, names: frozenset[str] | set[str] = frozenset()) -> list[EnglishWord]:
    """The English words the page shows outside content in another language and ``names``."""
    texts: list[tuple[str, str, str]] = page.evaluate(PAGE_TEXT, sorted(names | PROPER_NAMES))
    return english_words_in([(where, text, rest) for where, text, rest in texts])


def names_people_gave(app: Flask) -> frozenset[str]:
    """Every name and title typed into the app's database: accounts, classes, assignments, sets,
    their versions and sources, drafts, LMS platforms and uploaded files."""
    from quizapp.extensions import db
    from quizapp.models import Assignment, Classroom, QuestionSet, QuestionSetVersion, User
    from quizapp.models.drafts import DraftSet
    from quizapp.models.lti import LtiPlatform
    from quizapp.models.question_sets import SourceText
    from quizapp.models.uploads import HeldUploadFile, PendingUpload

    columns = [
        User.username,
        User.display_name,
        Classroom.name,
        Assignment.title,
        QuestionSet.slug,
        QuestionSet.name,
        QuestionSetVersion.title,
        SourceText.title,
        SourceText.attribution,
        DraftSet.title,
        LtiPlatform.name,
        PendingUpload.filename,
        HeldUploadFile.filename,
    ]
    with app.app_context():
        names = {
            value
            for column in columns
            for value in db.session.scalars(sa.select(column).distinct())
            if value
        }
    return frozenset(names)


def report(found: list[EnglishWord]) -> str:
    """Each text with English in it once, with its words: what a failure shows."""
    words: dict[tuple[str, str], list[str]] = {}
    for word in found:
        words.setdefault((word.where, word.text), []).append(word.word)
    return "\n".join(
        f"{where}: {' '.join(text.split())[:100]!r} ({', '.join(dict.fromkeys(listed))})"
        for (where, text), listed in words.items()
    )
