"""GIFT uploads: every supported Moodle feature maps onto our types; errors name their line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import ParsedUpload, parse_upload
from quizapp.domain.model import (
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERICAL,
    PARTIAL,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Question,
)

DATA = Path(__file__).resolve().parent / "data" / "formats"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "question-format.md"
SOURCES = {"town-meeting.txt": (DATA / "sources" / "town-meeting.txt").read_text("utf-8")}


def upload(text: str, **options: object) -> ParsedUpload:
    options.setdefault("sources", SOURCES)
    return parse_upload("quiz.gift", text.encode("utf-8"), **options)  # type: ignore[arg-type]


def only_question(text: str) -> Question:
    questions = upload(text).question_set.questions
    assert len(questions) == 1
    return questions[0]


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(QuestionSetError) as caught:
        upload(text)
    return [(i.line, i.question_id, i.message) for i in caught.value.issues]


def test_the_good_file_loads() -> None:
    parsed = upload((DATA / "good" / "civics.gift").read_text("utf-8"))
    assert parsed.format == "gift"
    assert [(q.id, q.type, q.category) for q in parsed.question_set.questions] == [
        ("who-home-safe", SINGLE_CHOICE, "civics/who-said-what"),
        ("who-objected", SINGLE_CHOICE, "civics/who-said-what"),
        ("vote-held", TRUE_FALSE, "facts"),
        ("what-was-raised", MULTIPLE_CHOICE, "facts"),
        ("q5", SHORT_ANSWER, "facts"),
        ("match-speakers", MATCHING, "facts"),
        ("how-many-votes", NUMERICAL, "facts"),
        ("essay", "written_response", "facts"),
    ]
    # No evidence quote: the numerical question and the essay are questions now, not skipped.
    assert [(w.line, w.question_id) for w in parsed.warnings] == [
        (20, "what-was-raised"),
        (31, "match-speakers"),
        (36, "how-many-votes"),
        (38, "essay"),
    ]


def test_equals_and_tilde_make_a_single_choice_question() -> None:
    question = only_question("Who is the mayor? {=Ana Ortiz ~Ben Frank ~Nobody}")
    assert question.type == SINGLE_CHOICE
    assert question.choices == ("Ana Ortiz", "Ben Frank", "Nobody")
    assert question.answer == "Ana Ortiz"


@pytest.mark.parametrize(
    ("answers", "right", "credit"),
    [
        ("~%50%A ~%50%B ~%-100%C", ("A", "B"), (("A", 50), ("B", 50), ("C", -100))),
        (
            "~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-100%D",
            ("A", "B", "C"),
            (("A", 33.33333), ("B", 33.33333), ("C", 33.33333), ("D", -100)),
        ),
        ("~%100%A ~%-50%B ~C", ("A",), (("A", 100), ("B", -50))),
    ],
)
def test_weighted_answers_make_a_multiple_choice_question_scored_by_its_weights(
    answers: str, right: tuple[str, ...], credit: tuple[tuple[str, float], ...]
) -> None:
    question = only_question(f"Which are right? {{{answers}}}")
    assert (question.type, question.answer, question.credit) == (MULTIPLE_CHOICE, right, credit)
    assert question.scoring == PARTIAL


@pytest.mark.parametrize(
    ("block", "answer"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false(block: str, answer: bool) -> None:
    question = only_question(f"The council met on Monday. {{{block}}}")
    assert (question.type, question.answer) == (TRUE_FALSE, answer)
    assert question.explanation == f"The statement is {'true' if answer else 'false'}."
    assert question.feedback == ()


def test_short_answer() -> None:
    question = only_question("Which amendment protects assembly? {=First =1st =First Amendment}")
    assert (question.type, question.answer) == (SHORT_ANSWER, ("First", "1st", "First Amendment"))
    assert question.explanation == "The correct answer is First."


def test_matching() -> None:
    question = only_question(
        "Match the speakers. {\n=Ana Ortiz -> Supports\n=Ben Frank -> Opposes\n=Nobody -> Abstains\n}"
    )
    assert question.type == MATCHING
    assert question.pairs == (
        ("Ana Ortiz", "Supports"),
        ("Ben Frank", "Opposes"),
        ("Nobody", "Abstains"),
    )
    assert question.explanation.startswith("The correct matches are: Ana Ortiz → Supports;")


def test_matching_answer_without_a_left_side_becomes_a_distractor() -> None:
    parsed = upload("Match. {=A -> 1 =B -> 2 = -> 3}")
    question = parsed.question_set.questions[0]
    assert question.pairs == (("A", "1"), ("B", "2"))
    assert question.distractors == ("3",)
    assert not [w for w in parsed.warnings if "left side" in w.message]


def test_a_matching_line_that_lost_its_equals_sign_is_read_as_moodle_does_with_a_warning():
    parsed = upload(
        "::who:: Match each person. {\n=Teresa Alvarez -> Mayor\nRaymond Oakes -> Budget"
        " director\n=Dana Whitfield -> Council president\n}"
    )
    question = parsed.question_set.questions[0]
    # Moodle splits at the first arrow too: the file keeps its meaning there and here.
    assert question.pairs[0] == ("Teresa Alvarez", "Mayor Raymond Oakes -> Budget director")
    [warning] = [w for w in parsed.warnings if "second '->'" in w.message]
    assert warning.question_id == "who"
    assert warning.message == (
        "the match of 'Teresa Alvarez' holds a second '->': if it is another pair, start its"
        " line with '='"
    )
    assert not [w for w in upload("Match. {=A -> 1 =B -> 2}").warnings if "'->'" in w.message]


@pytest.mark.parametrize(
    ("block", "explanation"),
    [("{}", "Your teacher scores this answer."), ("{####A model answer}", "A model answer")],
)
def test_an_essay_becomes_a_written_response(block: str, explanation: str) -> None:
    question = only_question(f"::essay::Explain the curfew debate. {block}")
    assert question.type == "written_response"
    assert question.points == 1
    assert [(c.points, c.criterion) for c in question.rubric] == [
        (1, "Answers the question (scored by the teacher)")
    ]
    assert question.explanation == explanation


def test_missing_word_puts_a_blank_where_the_answers_were() -> None:
    question = only_question("The council met on {=Monday ~Tuesday} to debate a curfew.")
    assert question.prompt == "The council met on _____ to debate a curfew."


def test_general_feedback_is_the_explanation() -> None:
    question = only_question("Who? {=Ana#Right answer ~Ben#Wrong ####The mayor said it.}")
    assert question.explanation == "The mayor said it."


def test_each_answers_feedback_is_kept_for_that_answer_never_as_the_explanation() -> None:
    question = only_question("Who? {~Ben#No, he objected. =Ana#Yes, the mayor.}")
    assert question.explanation == "The correct answer is Ana."
    assert question.feedback == (("Ben", "No, he objected."), ("Ana", "Yes, the mayor."))


def test_true_false_feedback_is_kept_for_each_answer() -> None:
    # Moodle's order: the feedback for a wrong answer, then the one for the right answer.
    question = only_question("Voted already? {FALSE#Wrong: not yet.#Right: next month.}")
    assert question.explanation == "The statement is false."
    assert question.feedback == (("false", "Right: next month."), ("true", "Wrong: not yet."))
    tomb = only_question(
        "Grant is buried in Grant's tomb. {FALSE#No one is buried in Grant's tomb.}"
    )
    assert tomb.feedback == (("true", "No one is buried in Grant's tomb."),)


@pytest.mark.parametrize(
    ("block", "explanation"),
    [
        ("{=Ana ~Ben}", "The correct answer is Ana."),
        ("{~%50%Ana ~%50%Ben ~Cy}", "The correct answers are Ana and Ben."),
        ("{~%50%Ana#Yes. ~%50%Ben#Also yes. ~Cy#No.}", "The correct answers are Ana and Ben."),
        ("{=U.S. ~Canada}", "The correct answer is U.S."),
        ("{=Who knows? ~Nobody}", "The correct answer is Who knows?"),
    ],
)
def test_explanation_falls_back_to_the_right_answer_with_one_full_stop(
    block: str, explanation: str
) -> None:
    assert only_question(f"Who? {block}").explanation == explanation


def test_comments_are_ignored() -> None:
    text = "// a comment {=not a question}\n// another\nWho? {=Ana // not a comment here ~Ben}\n"
    question = only_question(text)
    assert question.choices == ("Ana // not a comment here", "Ben")


def test_titles_become_unique_ids() -> None:
    text = "::Who said it?::One {T}\n\n::Who said it?::Two {F}\n\nThree {T}\n\n::Q3::Four {T}\n"
    questions = upload(text).question_set.questions
    assert [q.id for q in questions] == ["who-said-it", "who-said-it-2", "q3", "q3-2"]


def test_category_paths_are_kept_whole() -> None:
    text = (
        "First {T}\n\n$CATEGORY: $course$/top/Civics/Who Said What?\n\nSecond {T}\n\n"
        "$CATEGORY: Facts\nThird {T}\n\n$CATEGORY: $course$/top/Unit 1/Reading\nFourth {T}\n\n"
        "$CATEGORY: $course$/top/Unit 2/Reading\nFifth {T}\n\n$CATEGORY: $system$/top\nSixth {T}\n"
    )
    categories = [q.category for q in upload(text).question_set.questions]
    assert categories == [
        "general",
        "civics/who-said-what",
        "facts",
        "unit-1/reading",
        "unit-2/reading",
        "general",
    ]


def test_a_very_deep_category_path_keeps_its_innermost_folders() -> None:
    folders = "/".join(f"Folder number {n}" for n in range(1, 21))
    category = only_question(f"$CATEGORY: $course$/top/{folders}\n\nFirst {{T}}\n").category
    assert len(category) <= 200
    assert category.endswith("folder-number-19/folder-number-20")


def test_a_double_slash_in_a_category_path_is_part_of_the_name() -> None:
    # Moodle writes a "/" inside a category's name as "//".
    text = "$CATEGORY: $course$/top/Civics//Local//State government\n\nFirst {T}\n"
    assert only_question(text).category == "civics-local-state-government"


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Кто сказал", "кто-сказал"),
        ("政治", "政治"),
        ("राजनीति", "राजनीति"),  # vowel signs are marks, part of the word
        ("การเมือง", "การเมือง"),
        ("Révolution", "revolution"),
        ("Straße", "strae"),  # a name with an ASCII slug keeps the slug it always had
        ("???", "general"),
    ],
)
def test_categories_in_any_script_keep_their_letters(name: str, category: str) -> None:
    assert only_question(f"$CATEGORY: $course$/top/{name}\n\nFirst {{T}}\n").category == category


def test_escaped_characters_and_newlines() -> None:
    question = only_question(
        r"Sets use \{ and \}; a\:b is a ratio\nand 1\=1. {=a \~ b#x \# y ~c\=d ####General \# one}"
    )
    assert question.prompt == "Sets use { and }; a:b is a ratio\nand 1=1."
    assert question.choices == ("a ~ b", "c=d")
    assert question.explanation == "General # one"


@pytest.mark.parametrize(
    ("marker", "text_format"),
    [
        ("[html]", "html"),
        ("[moodle]", "html"),
        ("[markdown]", "markdown"),
        ("[plain]", "plain"),
        ("[HTML]", "html"),
    ],
)
def test_format_markers_set_the_question_text_format(marker: str, text_format: str) -> None:
    question = only_question(f"::t::{marker}Is <b>this</b> bold? {{=no ~{marker}yes}}")
    assert question.prompt == "Is <b>this</b> bold?"
    assert question.choices == ("no", "yes")
    assert question.text_format == text_format


def test_a_question_without_a_marker_stays_plain() -> None:
    assert only_question("Is <b>this</b> bold? {=no ~yes}").text_format == "plain"


def test_markdown_keeps_its_line_breaks() -> None:
    question = only_question(
        "[markdown]Read this list:\\n\\n- one\\n- two\\n\\nWhich is first? {=one ~two}"
    )
    assert question.prompt == "Read this list:\n\n- one\n- two\n\nWhich is first?"


def test_partial_credit_in_single_choice_and_short_answer_is_kept_per_answer() -> None:
    parsed = upload("One? {=Paris ~%50%Lyon ~Rome}\n\nTwo? {=Paris =%75%Pariss}\n")
    one, two = parsed.question_set.questions
    assert (one.type, one.answer, one.credit) == (SINGLE_CHOICE, "Paris", (("Lyon", 50.0),))
    assert (two.type, two.answer, two.credit) == (SHORT_ANSWER, ("Paris",), (("Pariss", 75.0),))
    assert not [w for w in parsed.warnings if "partial credit" in w.message]


def test_questions_are_separated_by_blank_lines_and_keep_their_start_lines() -> None:
    text = "\n\nOne {T}\n\n\n// note\n  Two, on\ntwo lines {T}\n\nThree {\n=a\n~b\n}\n"
    parsed = upload(text)
    assert [w.line for w in parsed.warnings] == [3, 7, 10]


def test_evidence_comments_name_a_source_or_use_the_only_one() -> None:
    text = (
        "Met Monday? {T}\n// evidence: The town council met on Monday\n"
        "// Evidence [town-meeting.txt]: debate a new curfew\n"
    )
    question = only_question(text)
    assert [(e.source, e.quote) for e in question.evidence] == [
        ("town-meeting", "The town council met on Monday"),
        ("town-meeting", "debate a new curfew"),
    ]


def test_an_evidence_comment_away_from_any_question_is_a_warning() -> None:
    parsed = upload("Met Monday? {T}\n\n// evidence: The town council met on Monday\n")
    stray = [w for w in parsed.warnings if "not next to a question" in w.message]
    assert [w.line for w in stray] == [3]


BROKEN = [
    (2, "unclosed", "the answer block opened with '{' on line 2 is never closed"),
    (6, "no-right", "no answer is marked right"),
    (8, "stray", "a '}' closes no answer block"),
    (10, "two-blocks", "a question has one answer block { }"),
    (12, "no-number", "'many' is not a number"),
    (14, "mixed-matching", "in a matching question write every answer as =left -> right"),
    (16, "half-right", "0 answers are marked fully right with ="),
    (18, "repeated", "choices must be distinct; 'Same' appears more than once"),
    (22, None, "the title opened with '::' is never closed"),
    (25, "multi-line", "no answer is marked right"),
    (31, "bad-quote", "the quote was not found in source 'town-meeting'"),
]


@pytest.fixture(scope="module")
def broken() -> list[tuple[int | None, str | None, str]]:
    return errors((DATA / "broken" / "errors.gift").read_text("utf-8"))


@pytest.mark.parametrize(("line", "question", "message"), BROKEN)
def test_each_broken_question_is_reported_with_its_line(
    broken: list[tuple[int | None, str | None, str]],
    line: int,
    question: str | None,
    message: str,
) -> None:
    matching = [(at, qid) for at, qid, text in broken if message in text]
    assert (line, question) in matching, broken


def test_every_broken_question_is_reported_at_once(
    broken: list[tuple[int | None, str | None, str]],
) -> None:
    assert len(broken) == len(BROKEN)


def test_a_file_with_no_question_is_refused_and_its_warnings_are_not_problems() -> None:
    with pytest.raises(QuestionSetError) as caught:
        upload((DATA / "broken" / "only-skipped.gift").read_text("utf-8"))
    assert [(i.line, i.message) for i in caught.value.issues] == [
        (
            None,
            "the file has no question to import; separate questions with a blank "
            "line and put their answers in { }",
        )
    ]
    assert [(w.line, w.message) for w in caught.value.warnings] == [
        (
            1,
            "this description is followed by no question, so it is no question's "
            "instructions; ignored",
        )
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Who? {=a ~b", 1, "never closed"),
        ("Who? {~a ~b}", 1, "no answer is marked right"),
        ("Who? {=%50%a ~b}", 1, "0 answers are marked fully right"),
        ("Who? {=%50%a =%50%b}", 1, "no accepted answer"),
        ("Match {=a -> 1 =a -> 2}", 1, "'a' is on the left of two pairs"),
        ("Match {=a -> 1 =b}", 1, "every answer as =left -> right"),
        ("Who? {=a ~a}", 1, "choices must be distinct"),
        ("Who? {= ~b}", 1, "needs at least two answers that are not empty"),
        ("How many? {#=%50%3}", 1, "give one answer full credit (100)"),
        ("How many? {#}", 1, "needs a number after {#"),
        ("Who? {=a ~b}\n// evidence: nowhere to be found", 2, "the quote was not found"),
    ],
)
def test_gift_error_messages(text: str, line: int, message: str) -> None:
    found = errors(text)
    assert [at for at, _, text in found if message in text] == [line], found


def test_the_documented_example_loads() -> None:
    section = DOCS.read_text("utf-8").split("## GIFT files", 1)[1]
    example = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert example is not None
    questions = upload(example.group(1)).question_set.questions
    assert [(q.id, q.type, q.category) for q in questions] == [
        ("who-home-safe", SINGLE_CHOICE, "who-said-what"),
        ("q2", TRUE_FALSE, "who-said-what"),
    ]
