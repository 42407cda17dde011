"""A whole Moodle course bank arrives: 5,000 questions in one file, and a 2,000-question bank is
read, checked and staged for its preview well within a request's time."""

from __future__ import annotations

import time

from quizapp.domain.formats import parse_upload
from quizapp.domain.limits import MAX_QUESTIONS

#: One question of each kind GIFT writes, numbered; every 100 questions open a new unit.
KINDS = [
    "::q{n}::[html]<p>Who wrote paper <b>{n}</b>?</p>{{=Madison#Yes. ~Hamilton#No. ~Jay}}",
    "::q{n}::Which branches, {n}? {{~%50%Congress ~%50%Courts ~%-100%Army}}",
    "::q{n}::Paper {n} was written in 1788. {{T#No.#Yes.}}",
    "::q{n}::Name city {n}. {{=Paris =%50%Lyon#Close.}}",
    "::q{n}::Year {n}? {{#1788:1}}",
    "::q{n}::Match {n}. {{=A{n} -> 1 =B{n} -> 2 =C{n} -> 3}}",
]


def bank(count: int) -> str:
    """A GIFT bank of ``count`` questions of every kind, in units of 100."""
    blocks = []
    for n in range(count):
        if n % 100 == 0:
            blocks.append(f"$CATEGORY: $course$/top/Unit {n // 100 + 1}/Reading")
        blocks.append(KINDS[n % len(KINDS)].format(n=n))
    return "\n\n".join(blocks) + "\n"


def test_a_file_may_hold_five_thousand_questions() -> None:
    assert MAX_QUESTIONS >= 5_000
    parsed = parse_upload("course.gift", bank(5_000).encode())
    questions = parsed.question_set.questions
    assert len(questions) == 5_000
    assert {q.category for q in questions[:100]} == {"unit-1/reading"}
    assert questions[-1].category == "unit-50/reading"


def test_a_two_thousand_question_bank_is_staged_in_under_ten_seconds(create_user, stage_set):
    teacher = create_user("ms-bank", role="teacher")
    content = bank(2_000).encode()
    started = time.perf_counter()
    staged = stage_set(teacher, "course.gift", content)
    elapsed = time.perf_counter() - started
    assert len(staged.document["questions"]) == 2_000
    assert elapsed < 10, f"took {elapsed:.1f} s"  # a generous bound: it takes about a second
    # One line for the 2,000 questions without evidence, not 2,000 lines.
    assert [w for w in staged.warnings if "no evidence quote" in w] == [
        "course.gift: 2,000 questions have no evidence quote; students will see no source for "
        "them (lines 3, 5, 7, 9, 11 and 1,995 more)"
    ]
