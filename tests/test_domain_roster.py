"""Reading rosters and making usernames from names (quizapp.domain.roster)."""

from __future__ import annotations

import time

import pytest

from quizapp.domain.limits import MAX_ROSTER_STUDENTS
from quizapp.domain.roster import (
    RosterError,
    RosterName,
    read_roster,
    unique_usernames,
    username_base,
)
from quizapp.services.accounts import USERNAME_PATTERN


def names(text: str) -> list[str]:
    return [name.display_name for name in read_roster(text)]


def test_one_name_per_line_in_either_order():
    assert names("Ana Garcia\n\n  Garcia,  Luis \nBo\n") == ["Ana Garcia", "Luis Garcia", "Bo"]
    assert read_roster("Mary Ann Lee")[0] == RosterName("Mary Ann Lee", "Mary Ann", "Lee")


@pytest.mark.parametrize(
    "text",
    [
        "Student ID,Last Name,First Name,Grade\n1001,Garcia,Ana,9\n1002,Okafor,Chidi,9\n",
        "\ufeffstudent id;SURNAME;Given Name\r\n1001;Garcia;Ana\r\n1002;Okafor;Chidi\r\n",
        "First\tLast\nAna\tGarcia\nChidi\tOkafor\n",
        'Student Name,Email\n"Garcia, Ana",a@school.example\nChidi Okafor,c@school.example\n',
        "Name\nAna Garcia\nChidi Okafor\n",
    ],
    ids=["comma", "semicolon-bom-crlf", "tabs", "full-name-column", "one-column"],
)
def test_csv_exports_are_read_by_their_headings(text):
    assert names(text) == ["Ana Garcia", "Chidi Okafor"]


def test_cells_pasted_from_a_spreadsheet_without_headings():
    assert names("Ana\tGarcia\nChidi\tOkafor") == ["Ana Garcia", "Chidi Okafor"]


def test_problems_are_listed_by_line_and_nothing_is_returned():
    with pytest.raises(RosterError) as raised:
        read_roster("First Name,Last Name\nAna,Garcia\n,\n" + "x" * 120 + ",y\n")
    assert raised.value.problems == [
        "Line 3: no name in the name columns.",
        "Line 4: the name is longer than 100 characters.",
    ]


@pytest.mark.parametrize("text", ["", "  \n\n", "First Name,Last Name\n"])
def test_an_empty_roster_is_refused(text):
    with pytest.raises(RosterError):
        read_roster(text)


def test_too_many_students_are_refused():
    text = "\n".join(f"Student {n}" for n in range(MAX_ROSTER_STUDENTS + 1))
    with pytest.raises(RosterError, match="at most 100"):
        read_roster(text)


def test_a_huge_roster_is_refused_quickly():
    started = time.monotonic()
    with pytest.raises(RosterError, match="longer than"):
        read_roster("a," * 1_000_000)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (RosterName("Ana Garcia", "Ana", "Garcia"), "ana.garcia"),
        (RosterName("Zoë Ñúñez", "Zoë", "Ñúñez"), "zoe.nunez"),
        (RosterName("Mary Ann O'Neil", "Mary Ann", "O'Neil"), "mary-ann.o-neil"),
        (RosterName("李小龍", "李小龍", ""), "lixiaolong"),
        (RosterName("Bo", "Bo", ""), "student.bo"),
        (RosterName("!!!", "!!!", ""), "student"),
        (RosterName("x", "A" * 40, "B" * 40), "a" * 28),
    ],
)
def test_usernames_are_ascii_and_valid(name, expected):
    base = username_base(name)
    assert base == expected
    assert USERNAME_PATTERN.fullmatch(base)


def test_usernames_are_unique_predictable_and_collision_safe():
    taken = {"ana.garcia", "ana.garcia2"}
    chosen = unique_usernames(["ana.garcia", "ana.garcia", "luis.ortiz", "luis.ortiz"], taken)
    assert chosen == ["ana.garcia3", "ana.garcia4", "luis.ortiz", "luis.ortiz2"]
    assert all(USERNAME_PATTERN.fullmatch(name) for name in chosen)
