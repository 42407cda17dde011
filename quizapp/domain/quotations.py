"""Find every direct quotation in a news text and who said it: plain rules, no model, no network.

The API, for the drafts, the CLI and the editor's "Who is quoted" panel:

- ``find_quotations(text) -> tuple[Quotation, ...]`` lists every stretch of text inside
  quotation marks (straight ``"`` or curly ``“ ”``), in order. Single quotation marks inside a
  quotation are part of it (a quote inside a quote), and apostrophes never open one.
- ``Quotation.quote`` is the words inside the marks. ``text[start:end]`` is exactly those words
  when the quotation lies in one paragraph; a quotation that runs over several paragraphs (an
  opening mark left open at a paragraph's end, and the next paragraph opening with a mark, as
  newspapers write it) has ``start`` at its first word and ``end`` after its last, and its
  ``quote`` joins the pieces with a space.
- ``Quotation.is_speech`` is False for scare quotes and quoted terms ("real America", a
  robot's name, the title of a show): these have no speaker and never become questions.
- ``Quotation.speaker`` is who said it, as the text names them: the fullest form of a person's
  name the text uses ("Marco Rubio" for "Rubio stated"), a body ("United Nations"), or a role
  when no name is given ("a defense ministry spokesman"); None when the text names no one.
- ``Quotation.attribution`` is the words that say who spoke ("Rubio stated"), or "" when the
  speaker comes from an earlier sentence (a quote that continues one before it).

How a speaker is found, in this order: an attribution right after the closing mark
(``"…," Rubio said``, ``"…," said the spokesman, Steven Cheung``, ``"…," he added``); one
right before the opening mark (``Rubio said: "…"``); a speech verb earlier in the same sentence
with its subject (``He described the proposal as an "act of extraordinary friendship."``); a
quote standing as its own sentence continues the last speaker of this or an earlier paragraph.
Pronouns (he, she, they) refer back to the last speaker, or failing that the last person named.
Everything is deterministic: the same text always gives the same quotations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

OPENING_MARKS = '“"'
CLOSING_MARKS = '”"'
#: How far before a quotation its speaker is looked for, in characters.
CONTEXT_CHARS = 400
#: The longest quotation looked at; a stray mark must not make the rest of a book one quote.
MAX_QUOTE_CHARS = 3_000


@dataclass(frozen=True)
class Quotation:
    """One direct quotation: its words, where they are, whether it is speech, and who spoke."""

    quote: str
    start: int
    end: int
    speaker: str | None
    is_speech: bool
    attribution: str
    paragraph: int


SPEECH_VERBS = [
    "said",
    "says",
    "say",
    "stated",
    "states",
    "added",
    "adds",
    "told",
    "tells",
    "wrote",
    "writes",
    "posted",
    "tweeted",
    "noted",
    "asked",
    "asks",
    "explained",
    "continued",
    "declared",
    "announced",
    "insisted",
    "argued",
    "warned",
    "replied",
    "responded",
    "recalled",
    "acknowledged",
    "admitted",
    "claimed",
    "suggested",
    "urged",
    "remarked",
    "commented",
    "concluded",
    "observed",
    "stressed",
    "emphasized",
    "maintained",
    "affirmed",
    "confirmed",
    "cautioned",
    "predicted",
    "promised",
    "vowed",
    "complained",
    "described",
    "calling",
    "called",
    "saying",
    "adding",
    "telling",
    "writing",
    "quipped",
    "shouted",
    "exclaimed",
    "conceded",
    "countered",
    "testified",
    "agreed",
    "indicated",
    "condemned",
    "praised",
    "read",
    "reads",
    "explains",
    "notes",
    "argues",
    "warns",
    "insists",
    "adds",
    "announces",
    "declares",
    "describes",
    "calls",
]
_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"

ROLE_NOUNS = [
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "official",
    "officials",
    "minister",
    "ministry",
    "statement",
    "police",
    "lawyer",
    "lawyers",
    "attorney",
    "expert",
    "experts",
    "analyst",
    "analysts",
    "source",
    "sources",
    "president",
    "secretary",
    "senator",
    "governor",
    "mayor",
    "leader",
    "leaders",
    "director",
    "officer",
    "officers",
    "commander",
    "general",
    "judge",
    "court",
    "government",
    "administration",
    "department",
    "agency",
    "council",
    "committee",
    "campaign",
    "company",
    "group",
    "organization",
    "residents",
    "resident",
    "witness",
    "witnesses",
    "researcher",
    "researchers",
    "scientist",
    "scientists",
    "economist",
    "economists",
    "professor",
    "doctor",
    "doctors",
    "student",
    "students",
    "teacher",
    "teachers",
    "parent",
    "parents",
    "report",
    "letter",
    "release",
    "post",
    "commissioner",
    "commissioners",
    "spokespersons",
    "representative",
    "representatives",
    "chairman",
    "chairwoman",
    "chair",
    "ambassador",
    "diplomat",
    "diplomats",
    "prosecutor",
    "prosecutors",
    "activist",
    "activists",
    "protesters",
    "voter",
    "voters",
]
_ROLE = r"(?:" + "|".join(sorted(ROLE_NOUNS, key=len, reverse=True)) + r")"

#: Words that come before a name without being part of it.
TITLE_WORDS = frozenset(
    [
        "president",
        "vice",
        "secretary",
        "state",
        "senator",
        "sen.",
        "representative",
        "rep.",
        "governor",
        "gov.",
        "mayor",
        "minister",
        "prime",
        "foreign",
        "defense",
        "defence",
        "interior",
        "chief",
        "justice",
        "judge",
        "attorney",
        "general",
        "assistant",
        "deputy",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "speaker",
        "house",
        "senate",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "professor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "ambassador",
        "commissioner",
        "chairman",
        "chairwoman",
        "chair",
        "leader",
        "lt.",
        "col.",
        "gen.",
        "sgt.",
        "capt.",
        "officer",
        "detective",
        "sheriff",
        # Local government and schools, where a class's own stories come from.
        "city",
        "county",
        "council",
        "councilmember",
        "councilman",
        "councilwoman",
        "councilor",
        "councillor",
        "alderman",
        "alderwoman",
        "supervisor",
        "superintendent",
        "principal",
        "trustee",
        "clerk",
        "treasurer",
        "comptroller",
        "library",
        "librarian",
        "school",
        "board",
        "police",
        "fire",
        "manager",
        "member",
        "marshal",
        "resource",
        "inspector",
        "coordinator",
        "administrator",
        "commander",
        "captain",
        "lieutenant",
        "sergeant",
        "assemblymember",
        "assemblyman",
        "assemblywoman",
        "delegate",
        "congressman",
        "congresswoman",
        "congressmember",
        "district",
        "town",
        "village",
        "parks",
        "planning",
        "public",
        "works",
        "u.s.",
        "us",
        "u.n.",
        "un",
        "acting",
        "former",
        "executive",
        "senior",
        "the",
        "a",
        "an",
        "of",
        "homeland",
        "security",
        "health",
        "treasury",
        "commerce",
        "labor",
        "education",
        "energy",
        "agriculture",
        "transportation",
        "white",
        "press",
        "first",
        "lady",
        "sir",
        "dame",
        "lord",
        "majority",
        "minority",
        "whip",
        "high",
        "special",
        "envoy",
        "coach",
        "captain",
        "councilman",
        "councilwoman",
        "councillor",
        "council",
        "member",
        "congressman",
        "congresswoman",
        "rabbi",
        "father",
        "sister",
        "brother",
        "bishop",
        "archbishop",
        "cardinal",
        "imam",
        "rev.",
        "reverend",
        "queen's",
        "british",
        "american",
        "french",
        "german",
        "chinese",
        "russian",
        "israeli",
        "ukrainian",
        "iranian",
        "indian",
        "japanese",
        "mexican",
        "canadian",
        "european",
        "salvadoran",
        "republican",
        "democratic",
        "democrat",
        "republican-led",
        "party",
        "national",
        "federal",
        "city",
        "county",
        "critic",
        "activist",
        "lawyer",
        "analyst",
        "expert",
        "economist",
        "researcher",
    ]
)

#: Capitalised words that start sentences or name times, never speakers.
NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "but",
        "and",
        "however",
        "in",
        "on",
        "at",
        "for",
        "it",
        "this",
        "that",
        "these",
        "those",
        "when",
        "while",
        "after",
        "before",
        "speaking",
        "separately",
        "meanwhile",
        "also",
        "then",
        "still",
        "yet",
        "so",
        "if",
        "as",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "we",
        "i",
        "he",
        "she",
        "they",
        "you",
        "there",
        "here",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "yesterday",
        "last",
        "next",
        "earlier",
        "later",
        "according",
        "asked",
    ]
)

#: Last words of names of things, not people ("Eighth Amendment", "Security Council").
NOT_PEOPLE = frozenset(
    [
        "amendment",
        "constitution",
        "council",
        "department",
        "ministry",
        "committee",
        "court",
        "act",
        "law",
        "party",
        "nations",
        "union",
        "states",
        "house",
        "office",
        "agency",
        "commission",
        "organization",
        "university",
        "bank",
        "company",
        "group",
        "army",
        "navy",
        "police",
        "government",
        "administration",
        "senate",
        "congress",
        "parliament",
        "republic",
        "kingdom",
        "city",
        "county",
        "province",
        "region",
        "street",
    ]
)

#: Words just before a short quote that make it a name or a term, not speech.
_TERM_MARKERS = re.compile(
    r"(?:named|dubbed|titled|entitled|nicknamed|so-called|so called|known as|labeled|labelled|"
    r"branded|as|called|the idea of|"
    r"the\s+(?:[\w-]+\s+)?(?:term|word|words|phrase|slogan|hashtag|label|show|film|movie|book|"
    r"program|programme|song|album|operation|series|policy|plan|campaign|motto|concept|"
    r"newspaper|magazine|podcast|documentary|report|bill|act))\s*$",
    re.IGNORECASE,
)

_NAME_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr)\."
    r"|[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w’'\-]*)"
)
_CONNECTOR = r"(?:of|de|del|da|al|bin|van|von|der|la|le|du|y|the)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*"
_DETERMINER = r"(?:[Aa]|[Aa]n|[Tt]he|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any)"
_ROLE_PHRASE = rf"(?:\b{_DETERMINER}\s+)(?:[\w’'.\-]+\s+){{0,6}}?{_ROLE}\b"
_ROLE_TAIL = r"(?:\s+(?:for|of|at|in|on)\s+[\w’'.\- ]{1,40}?)?"
_PRONOUN = r"(?:he|she|they|He|She|They)"
_ADVERBS = r"(?:(?:has|had|have|also|later|then|again|once|previously|further|earlier|simply|just|recently|repeatedly|publicly|told\s+\w+)\s+)*"
_APPOSITIVE = r"(?:,\s[^,“”\"]{1,120},)?,?"

#: After a closing mark: ", said the spokesman, Steven Cheung" or ", Rubio said".
_AFTER_VERB_FIRST = re.compile(
    rf"^[,\s—–-]*(?P<verb>{_VERB})\s+(?P<who>{_ROLE_PHRASE}|{_NAME}|{_PRONOUN})"
    rf"(?:,\s(?P<apposed>{_NAME}))?"
)
_AFTER_WHO_FIRST = re.compile(
    rf"^[,\s—–-]*(?P<who>{_ROLE_PHRASE}{_ROLE_TAIL}(?:,\s(?P<apposed>{_NAME}),)?|{_NAME}|{_PRONOUN}|it)"
    rf"{_APPOSITIVE}\s+{_ADVERBS}(?P<verb>{_VERB})\b"
)
#: The subject just before a speech verb: "Rubio", "Aaron Reichlin-Melnick, a senior fellow…,",
#: "a defense ministry spokesman", "he".
_SUBJECT_BEFORE_VERB = re.compile(
    rf"(?:(?P<role>{_ROLE_PHRASE})(?:,\s(?P<rolename>{_NAME}),?)?|(?P<name>{_NAME})|(?P<pronoun>\b{_PRONOUN}))"
    rf"{_APPOSITIVE}\s+{_ADVERBS}(?P<verb>{_VERB})\b"
)
_ACCORDING_TO = re.compile(rf"\baccording to (?P<who>{_ROLE_PHRASE}|{_NAME})")
_SENTENCE_BREAK = re.compile(r"[.!?][”\"’']?\s+(?=[A-Z“\"])")
_PERSON_NAME = re.compile(rf"\b{_NAME}")
_SENTENCE_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?”\"]\s)|(?<=\n))\s*(?:[A-Z][a-z]+,\s+)?(?P<who>{_NAME}){_APPOSITIVE}\s+(?:[a-z]+)",
    re.MULTILINE,
)


def find_quotations(text: str) -> tuple[Quotation, ...]:
    """Every quotation in ``text`` with its speaker, in order; see the module docstring."""
    spans = _quoted_spans(text)
    names = _NameBook(text, [(p[0][0] - 1, p[-1][1] + 1) for p, _ in spans])
    quotations: list[Quotation] = []
    last_paragraph = -1
    for pieces, paragraph in spans:
        start, end = pieces[0][0], pieces[-1][1]
        words = " ".join(text[a:b] for a, b in pieces)
        para_start, _ = _paragraph_bounds(text, start)
        # A speaker is named within a sentence or two of the quote: looking further back in a
        # long paragraph would make the work grow with the square of its length.
        before = text[max(para_start, start - 1 - CONTEXT_CHARS) : start - 1]
        after_end = min(_paragraph_bounds(text, end)[1], end + 1 + 200)
        after = text[end + 1 : after_end]
        speaker, attribution, is_speech = _attribute(words, before, after, names, start)
        if is_speech and speaker is None and _is_sentence(words):
            if names.last_speaker is not None and paragraph - last_paragraph <= 2:
                speaker = names.last_speaker
            elif names.last_speaker is None:
                speaker = names.last_person_before(start)
        if is_speech and speaker is not None:
            names.spoke(speaker, start)
            last_paragraph = paragraph
        quotations.append(
            Quotation(
                quote=words,
                start=start,
                end=end,
                speaker=speaker if is_speech else None,
                is_speech=is_speech,
                attribution=attribution if is_speech else "",
                paragraph=paragraph,
            )
        )
    return tuple(quotations)


def _paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _quoted_spans(text: str) -> list[tuple[list[tuple[int, int]], int]]:
    """The inner spans of every quotation (several pieces when it runs over paragraphs)."""
    spans: list[tuple[list[tuple[int, int]], int]] = []
    pieces: list[tuple[int, int]] = []
    open_at: int | None = None
    closer, depth = "”", 0
    first_paragraph = 0
    paragraph = -1
    for line in re.finditer(r"[^\n]+", text):
        body = line.group()
        if not body.strip():
            continue
        paragraph += 1
        base = line.start()
        index = 0
        if open_at is None and pieces:
            # An open quotation continues only into a paragraph that opens with a mark.
            stripped = body.lstrip()
            if stripped[:1] in OPENING_MARKS:
                index = len(body) - len(stripped) + 1
                open_at = base + index
                closer, depth = ("”" if stripped[0] == "“" else '"'), 0
            else:
                spans.append((pieces, first_paragraph))
                pieces = []
        while index < len(body):
            char = body[index]
            position = base + index
            if open_at is None:
                if char in OPENING_MARKS and _opens(body, index):
                    open_at = position + 1
                    closer, depth = ("”" if char == "“" else '"'), 0
                    first_paragraph = paragraph if not pieces else first_paragraph
            elif closer == "”" and char == "“":
                depth += 1  # a curly quote inside a curly quote
            elif char == closer and depth and closer == "”":
                depth -= 1
            elif char == closer and (closer == "”" or _closes(body, index)):
                # Only the kind of mark that opened a quotation closes it: straight marks
                # inside a curly quotation are a quote inside the quote.
                pieces.append((open_at, position))
                spans.append((pieces, first_paragraph))
                pieces = []
                open_at = None
            elif position - open_at > MAX_QUOTE_CHARS:
                open_at = None
            index += 1
        if open_at is not None:
            end = base + len(body.rstrip())
            if end > open_at:
                pieces.append((open_at, end))
            open_at = None
    if pieces:
        spans.append((pieces, first_paragraph))
    return [(p, n) for p, n in spans if any(text[a:b].strip() for a, b in p)]


def _opens(body: str, index: int) -> bool:
    """A straight mark opens a quote at the start or after space or an opening bracket."""
    if body[index] == "“":
        return True
    return index == 0 or body[index - 1] in " \t([{—–-/"


def _closes(body: str, index: int) -> bool:
    """A straight mark closes a quote before space, punctuation or the end of the line."""
    return index + 1 >= len(body) or body[index + 1] in " \t.,;:!?)]}—–-’'"


def _is_sentence(words: str) -> bool:
    """A quote that stands as a sentence of its own: a capital first, several words."""
    stripped = words.strip()
    return bool(stripped) and stripped[0].isupper() and len(stripped.split()) >= 4


def _attribute(
    words: str, before: str, after: str, names: _NameBook, offset: int
) -> tuple[str | None, str, bool]:
    """(speaker, attribution words, is speech) for one quotation in its paragraph."""
    ends_sentence = words.rstrip()[-1:] in ".!?" and not re.match(r"^\s*[a-z]", after)
    short_term = len(words.split()) <= 4 and words.rstrip().rstrip(",")[-1:] not in ".!?"
    if (
        short_term
        and _TERM_MARKERS.search(before)
        and (words[:1].isupper() or "called" not in before[-8:])
    ):
        return None, "", False
    if not ends_sentence:
        match = _AFTER_VERB_FIRST.match(after) or _AFTER_WHO_FIRST.match(after)
        if match:
            who = match.groupdict().get("apposed") or match.group("who")
            speaker = names.resolve(who, offset)
            return speaker, match.group(0).strip(" ,—–-"), True
    sentence = _SENTENCE_BREAK.split(before)[-1]
    sentence = re.split(r"[”\"]", sentence)[-1] if short_term else sentence
    lead = re.search(
        rf"(?P<who>{_NAME}|{_PRONOUN}|{_ROLE_PHRASE}){_APPOSITIVE}\s+{_ADVERBS}(?P<verb>{_VERB})\b[^“”\"]{{0,40}}?[,:]?\s*$",
        sentence,
    )
    if lead:
        speaker = names.resolve(lead.group("who"), offset)
        return speaker, lead.group(0).strip(" ,:"), True
    matches = list(_SUBJECT_BEFORE_VERB.finditer(sentence))
    if matches:
        found = matches[-1]
        who = found.group("rolename") or found.group("role") or found.group("name")
        who = who or found.group("pronoun")
        speaker = names.resolve(who, offset)
        return speaker, found.group(0).strip(" ,"), True
    according = _ACCORDING_TO.search(sentence) or _ACCORDING_TO.search(after[:120])
    if according:
        return names.resolve(according.group("who"), offset), according.group(0), True
    if short_term or not _is_sentence(words):
        return None, "", False
    return None, "", True


class _NameBook:
    """The people and bodies a text names, to give each speaker the fullest name used."""

    def __init__(self, text: str, quoted: list[tuple[int, int]]) -> None:
        self.text = text
        inside = _SpanIndex(quoted)
        self.mentions: list[tuple[int, str]] = []
        #: The longest name mentioned for each last word ("Rubio" -> "Marco Rubio").
        self.longest: dict[str, str] = {}
        #: Names the text gives a person's title ("President Nayib Bukele").
        self.titled: list[str] = []
        #: Every capitalised name as written, with a leading "The" dropped ("Security Council").
        self.raw_names: list[str] = []
        for match in _PERSON_NAME.finditer(text):
            if inside(match.start()):
                continue
            self.raw_names.append(re.sub(r"^(?:The|A|An)\s+", "", match.group()))
            name = _strip_titles(match.group())
            if name and len(name.split()) >= 2:
                self.mentions.append((match.start(), name))
                last = name.split()[-1]
                if len(name) > len(self.longest.get(last, "")):
                    self.longest[last] = name
                first = match.group().split()[0].lower()
                if first in TITLE_WORDS and first not in {"the", "a", "an", "of"}:
                    self.titled.append(name)
        self.mention_starts = [at for at, _ in self.mentions]
        #: People who are the subject of a sentence ("Trump underscored…"), outside quotes.
        self.subjects: list[tuple[int, str]] = []
        for match in _SENTENCE_SUBJECT.finditer(text):
            name = _strip_titles(match.group("who"))
            full = self.full_name(name) if name else ""
            is_thing = full.split()[-1:] and full.split()[-1].lower() in NOT_PEOPLE
            if len(full.split()) >= 2 and not is_thing and not inside(match.start("who")):
                self.subjects.append((match.start("who"), full))
        self.subject_starts = [at for at, _ in self.subjects]
        self.last_speaker: str | None = None
        self.last_speaker_at = -1

    def spoke(self, speaker: str, offset: int) -> None:
        """Remember the last speaker, for pronouns and quotes that continue."""
        self.last_speaker = speaker
        self.last_speaker_at = offset

    def referent(self, offset: int) -> str | None:
        """Whom "he" or "she" at ``offset`` means: the later of the last speaker and the last
        person who was a sentence's subject."""
        index = bisect.bisect_left(self.subject_starts, offset) - 1
        if index >= 0 and self.subjects[index][0] > self.last_speaker_at:
            return self.subjects[index][1]
        return self.last_speaker

    def full_name(self, name: str) -> str:
        """The longest name in the text that ends with ``name``'s last word."""
        longest = self.longest.get(name.split()[-1], name)
        return longest if len(longest) > len(name) else name

    def last_person_before(self, offset: int) -> str | None:
        """The last two-word name mentioned before ``offset``."""
        index = bisect.bisect_left(self.mention_starts, offset) - 1
        return self.full_name(self.mentions[index][1]) if index >= 0 else None

    def resolve(self, who: str | None, offset: int) -> str | None:
        """A speaker's name from the words that name them, at ``offset`` in the text."""
        if who is None:
            return None
        who = who.strip(" ,")
        if who.lower() in {"he", "she", "they", "it"}:
            return self.referent(offset)
        words = who.split()
        if re.fullmatch(_DETERMINER, words[0]) and re.fullmatch(_ROLE, words[-1].lower()):
            # A role, as the text gives it: "a defense ministry spokesman".
            return " ".join([words[0].lower(), *words[1:]])
        name = _strip_titles(who)
        if not name:
            return who
        return self.full_name(name)


class _SpanIndex:
    """Whether an offset lies inside one of the quotations (sorted, not overlapping)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def __call__(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]


def _strip_titles(name: str) -> str:
    """'Secretary of State Marco Rubio' -> 'Marco Rubio'; 'However, Trump' -> 'Trump'."""
    words = name.replace(",", " ").split()
    while words and (words[0].lower() in TITLE_WORDS or words[0].lower() in NOT_NAMES):
        words.pop(0)
    while words and words[-1].lower() in NOT_NAMES:
        words.pop()
    for index in range(len(words) - 1, -1, -1):
        if words[index].endswith(("’s", "'s")):
            return _strip_titles(" ".join(words[index + 1 :]))
    return " ".join(words).strip(".’'")
