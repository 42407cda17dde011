"""A draft set's article, and a valid question of every type as the editor's form sends it
without JavaScript: for the editor's HTTP tests and the browser scene."""

from __future__ import annotations

ARTICLE = (
    "The council met on Monday to debate the new budget.\n\n"
    "“We will vote against the bill,” Senator Ana Ortiz said.\n\n"
    "The vote is set for March 3. Critics said the plan was rushed."
)
QUOTE = "“We will vote against the bill,” Senator Ana Ortiz said."


BASE = {"prompt": "Who said the bill would be voted down?", "explanation": "Paragraph 2."}

#: A valid question of every type, as the form sends it without JavaScript.
EVERY_TYPE = {
    "single_choice": {
        **BASE,
        "choices-0": "Ana Ortiz",
        "choices-1": "The mayor",
        "choices-2": "",
        "choices_correct": "0",
        "shuffle": "y",
        "evidence_0_pick": QUOTE,
    },
    "multiple_choice": {
        **BASE,
        "choices-0": "Ana Ortiz",
        "choices-1": "A senator",
        "choices-2": "The mayor",
        "choices_correct": ["0", "1"],
        "scoring": "partial",
        "evidence_0": "Senator Ana Ortiz said",
    },
    "true_false": {**BASE, "answer": "false", "evidence_0_pick": QUOTE},
    "short_answer": {
        **BASE,
        "answer": "Ana Ortiz\n*Ortiz*",
        "typos": "1",
        "evidence_0_pick": QUOTE,
    },
    "numerical": {
        **BASE,
        "answer-0-value": "3",
        "answer-1-min": "2",
        "answer-1-max": "4",
        "answer-1-credit": "50",
        "answer-1-feedback": "Close: the vote is on March 3.",
        "evidence_0_pick": "The vote is set for March 3.",
    },
    "matching": {
        **BASE,
        "pairs-0-left": "Ana Ortiz",
        "pairs-0-right": "We will vote against the bill",
        "pairs-1-left": "Critics",
        "pairs-1-right": "The plan was rushed",
        "distractors": "The budget is fair",
        "evidence_0_pick": QUOTE,
    },
    "ordering": {
        **BASE,
        "items": "The council met\nThe vote",
        "evidence_0_pick": "The vote is set for March 3.",
    },
    "select_evidence": {**BASE, "source": "article", "answer_pick": QUOTE},
    "written_response": {
        **BASE,
        "points": "3",
        "rubric-0-points": "2",
        "rubric-0-criterion": "Names Ana Ortiz",
        "rubric-1-points": "1",
        "rubric-1-criterion": "Quotes her",
        "cite": "article",
        "max_words": "100",
    },
}
