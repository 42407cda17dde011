"""The spreadsheet templates teachers download from the help page: one definition, two files.

Each row is an example of one question type, written the way a teacher would fill the sheet in.
The CSV and the .xlsx are made from the same rows, and the tests import both back with the
example article, so a template that the upload would refuse cannot ship.
"""

from __future__ import annotations

from .spreadsheet import to_csv, to_xlsx

#: The article the examples quote: offered for download beside the templates.
EXAMPLE_ARTICLE_NAME = "town-meeting.txt"
EXAMPLE_ARTICLE = (
    "The town council met on Monday to debate a new curfew for teenagers.\n"
    "Mayor Ana Ortiz said, “We want every young person home safe by ten o’clock.”\n"
    "Councillor Ben Frank objected: “A curfew punishes everyone for the acts of a few.”\n"
    "The First Amendment protects the right of the people peaceably to assemble.\n"
    "The council will vote next month; the final wording has not been published.\n"
)

TEMPLATE_COLUMNS = (
    "id",
    "type",
    "category",
    "prompt",
    "choice_1",
    "choice_2",
    "choice_3",
    "choice_4",
    "answer",
    "pairs",
    "items",
    "source",
    "rubric",
    "tolerance",
    "explanation",
    "evidence_quote",
)

#: One example per question type, in the order the format document lists them.
TEMPLATE_ROWS: tuple[dict[str, str], ...] = (
    {
        "id": "who-said-home-safe",
        "type": "single_choice",
        "category": "Who said what",
        "prompt": "Who said every young person should be home safe by ten o’clock?",
        "choice_1": "Ana Ortiz",
        "choice_2": "Ben Frank",
        "choice_3": "The town council",
        "answer": "A",
        "explanation": "The mayor, Ana Ortiz, said it.",
        "evidence_quote": "We want every young person home safe by ten o’clock.",
    },
    {
        "id": "what-was-debated",
        "type": "multiple_choice",
        "category": "Facts",
        "prompt": "Which of these does the report say? Tick every one.",
        "choice_1": "The council met on Monday",
        "choice_2": "The council has voted",
        "choice_3": "The curfew is for teenagers",
        "choice_4": "The wording is published",
        "answer": "A | C",
        "explanation": "The council met on Monday about a curfew for teenagers; it votes later.",
        "evidence_quote": "The town council met on Monday to debate a new curfew for teenagers.",
    },
    {
        "id": "vote-held",
        "type": "true_false",
        "category": "Facts",
        "prompt": "The council has already voted on the curfew.",
        "answer": "false",
        "explanation": "The vote is next month.",
        "evidence_quote": "The council will vote next month",
    },
    {
        "id": "meeting-day",
        "type": "short_answer",
        "category": "Facts",
        "prompt": "On which day did the council meet?",
        "answer": "Monday | on Monday",
        "explanation": "The report says Monday.",
        "evidence_quote": "The town council met on Monday",
    },
    {
        "id": "curfew-hour",
        "type": "numerical",
        "category": "Facts",
        "prompt": "By what hour (on a 12-hour clock) does the mayor want young people home?",
        "answer": "10 | 9..11 (50%) # Close: the mayor said ten o’clock.",
        "explanation": "The mayor said “home safe by ten o’clock”.",
        "evidence_quote": "We want every young person home safe by ten o’clock.",
    },
    {
        "id": "match-views",
        "type": "matching",
        "category": "Who said what",
        "prompt": "Match each speaker with their view.",
        "pairs": "Ana Ortiz => Supports the curfew | Ben Frank => Opposes the curfew",
        "explanation": "Ortiz wants a curfew; Frank objects to it.",
    },
    {
        "id": "order-events",
        "type": "ordering",
        "category": "Facts",
        "prompt": "Put these in the order the report gives them.",
        "items": "The council meets | The mayor speaks | Ben Frank objects | The council votes",
        "explanation": "The meeting and the speeches come first; the vote is next month.",
    },
    {
        "id": "objection-evidence",
        "type": "select_evidence",
        "category": "Evidence",
        "prompt": "Which sentence shows that someone objected to the curfew?",
        "answer": "Councillor Ben Frank objected",
        "source": EXAMPLE_ARTICLE_NAME,
        "explanation": "Ben Frank’s objection is quoted.",
    },
    {
        "id": "explain-curfew",
        "type": "written_response",
        "category": "Analysis",
        "prompt": "Explain in two sentences why the curfew is debated.",
        "rubric": "2: Names both sides | 1: Quotes the report",
        "explanation": "A strong answer gives the mayor’s reason and the councillor’s objection.",
    },
)


def template_rows() -> list[list[str]]:
    """The example rows, a cell for each template column."""
    return [[row.get(column, "") for column in TEMPLATE_COLUMNS] for row in TEMPLATE_ROWS]


def template_csv() -> str:
    """The CSV template (UTF-8 with a byte-order mark, so Excel reads its quotes right)."""
    return to_csv(TEMPLATE_COLUMNS, template_rows())


def template_xlsx() -> bytes:
    """The .xlsx template: the same header and rows as the CSV."""
    return to_xlsx(TEMPLATE_COLUMNS, template_rows())
