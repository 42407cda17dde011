"""Reading a class roster a teacher pastes or exports, and making usernames from its names.

A roster is either one name per line ("Ana Garcia", or "Garcia, Ana" as school systems list
them) or a CSV/TSV export with a header row, whose name columns are found by their headings
("First Name", "Surname", "Student Name", ...). Usernames are the names in ASCII, given and
family name joined by a dot ("ana.garcia"), with 2, 3 ... appended when one is taken.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii

from .i18n import gettext
from .limits import MAX_NAME_CHARS, MAX_ROSTER_CHARS, MAX_ROSTER_STUDENTS

#: Room left in a 32-character username for a number that makes it unique.
USERNAME_BASE_CHARS = 28
FALLBACK_USERNAME = "student"

#: Column headings (lower case, letters only) that hold each part of a name.
GIVEN_HEADINGS = frozenset(
    {"first", "firstname", "given", "givenname", "givennames", "forename", "forenames"}
    | {"preferredname", "preferredfirstname", "studentfirstname", "legalfirstname"}
)
FAMILY_HEADINGS = frozenset(
    {"last", "lastname", "surname", "family", "familyname", "studentlastname", "legallastname"}
)
FULL_HEADINGS = frozenset(
    {"name", "fullname", "student", "studentname", "studentfullname", "displayname", "pupil"}
    | {"pupilname", "learner", "learnername"}
)
DELIMITERS = (",", ";", "\t")


class RosterError(ValueError):
    """A roster that cannot be used as it is; ``problems`` says what to fix, line by line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RosterName:
    """One student of the roster: the name to show, and its parts for the username."""

    display_name: str
    given: str
    family: str


def _heading(cell: str) -> str:
    return re.sub(r"[^a-z]", "", cell.lower())


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _columns(header: list[str]) -> tuple[int | None, int | None, int | None]:
    """Where the given, family and full name are in a header row (None: not there)."""
    given = family = full = None
    for index, cell in enumerate(header):
        heading = _heading(cell)
        if heading in GIVEN_HEADINGS and given is None:
            given = index
        elif heading in FAMILY_HEADINGS and family is None:
            family = index
        elif heading in FULL_HEADINGS and full is None:
            full = index
    return given, family, full


def _split_full(name: str) -> RosterName:
    """A whole name: "Family, Given" when it has one comma, else given names then family."""
    if name.count(",") == 1:
        family, given = (_clean(part) for part in name.split(","))
        if family and given:
            return RosterName(f"{given} {family}", given, family)
        name = family or given
    words = _clean(name).split(" ")
    if len(words) == 1:
        return RosterName(words[0], words[0], "")
    return RosterName(" ".join(words), " ".join(words[:-1]), words[-1])


def _from_parts(given: str, family: str) -> RosterName:
    given, family = _clean(given), _clean(family)
    return RosterName(" ".join(part for part in (given, family) if part), given, family)


def _table(lines: list[str]) -> tuple[str, tuple[int | None, int | None, int | None]] | None:
    """The delimiter and name columns when the first line is a header row naming them."""
    if not any(ch.isdigit() for ch in lines[0]) and _heading(lines[0]) in FULL_HEADINGS:
        return ",", (None, None, 0)  # a one-column list under a heading such as "Name"
    for delimiter in DELIMITERS:
        if delimiter not in lines[0]:
            continue
        header = next(csv.reader([lines[0]], delimiter=delimiter))
        columns = _columns(header)
        if columns[2] is not None or columns[0] is not None or columns[1] is not None:
            return delimiter, columns
    return None


def read_roster(text: str) -> list[RosterName]:
    """The students of a pasted or exported roster; raise RosterError listing every problem."""
    if len(text) > MAX_ROSTER_CHARS:
        raise RosterError(
            [
                gettext(
                    "The roster is longer than %(limit)s characters.",
                    limit=format(MAX_ROSTER_CHARS, ","),
                )
            ]
        )
    lines = text.lstrip("\ufeff").splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise RosterError(
            [gettext("The roster is empty: paste one name per line, or a CSV export.")]
        )
    table = _table([numbered[0][1]])
    names: list[RosterName] = []
    problems: list[str] = []
    if table is None:
        for number, line in numbered:
            # Cells pasted from a spreadsheet arrive tab-separated: the name's parts in order.
            whole = " ".join(line.split("\t")) if "\t" in line else line
            names.append(_split_full(whole))
            _check(names[-1], number, problems)
    else:
        delimiter, (given, family, full) = table
        rows = csv.reader([line for _, line in numbered[1:]], delimiter=delimiter)
        for (number, _line), row in zip(numbered[1:], rows, strict=True):
            name = _row_name(row, given, family, full)
            if name is None:
                problems.append(gettext("Line %(line)s: no name in the name columns.", line=number))
                continue
            names.append(name)
            _check(name, number, problems)
        if not names and not problems:
            problems.append(gettext("The roster has a header row but no students below it."))
    if len(names) > MAX_ROSTER_STUDENTS:
        problems.append(
            gettext(
                "The roster has %(count)s students; add at most %(limit)s at a time.",
                count=len(names),
                limit=MAX_ROSTER_STUDENTS,
            )
        )
    if problems:
        raise RosterError(problems)
    return names


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _row_name(
    row: list[str], given: int | None, family: int | None, full: int | None
) -> RosterName | None:
    parts = _from_parts(_cell(row, given), _cell(row, family))
    if parts.display_name:
        return parts
    whole = _clean(_cell(row, full))
    return _split_full(whole) if whole else None


def _check(name: RosterName, number: int, problems: list[str]) -> None:
    if len(name.display_name) > MAX_NAME_CHARS:
        problems.append(
            gettext(
                "Line %(line)s: the name is longer than %(limit)s characters.",
                line=number,
                limit=MAX_NAME_CHARS,
            )
        )


def _slug(part: str) -> str:
    ascii_text = anyascii(part).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def username_base(name: RosterName) -> str:
    """The username a name suggests before any number: "ana.garcia", in ASCII, at most 28
    characters; "student.bo" for a very short name, "student" for one with no letters."""
    base = ".".join(part for part in (_slug(name.given), _slug(name.family)) if part)
    base = base[:USERNAME_BASE_CHARS].rstrip(".-")
    if len(base) >= 3:
        return base
    return f"{FALLBACK_USERNAME}.{base}" if base else FALLBACK_USERNAME


def unique_usernames(bases: Iterable[str], taken: set[str]) -> list[str]:
    """One username per base, in order: the base itself if free, else base2, base3 ...;
    none among ``taken`` (which gains them) nor repeated."""
    chosen: list[str] = []
    for base in bases:
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        chosen.append(candidate)
    return chosen
