"""The editor's draft sets: kept as typed, checked field by field, changed, previewed, published."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quizapp.domain import editing as domain
from quizapp.domain.articles import article_from_text
from quizapp.domain.drafting import validate_draft
from quizapp.domain.errors import QuestionSetError
from quizapp.domain.limits import MAX_DRAFT_SETS
from quizapp.extensions import db
from quizapp.models import DraftSet, QuestionSetVersion, User
from quizapp.services import editing

ARTICLE = article_from_text(
    "The council met on Monday.\n\n"
    "“We will vote against the bill,” Senator Ana Ortiz said.\n\n"
    "The vote is set for March 3.",
    title="Council vote",
    publisher="City News",
    url="https://example.org/vote",
)

WHO_SAID = {
    "id": "who-said",
    "type": "single_choice",
    "prompt": "Who said the senate would vote against the bill?",
    "choices": ["Ana Ortiz", "The council", "The mayor"],
    "answer": "Ana Ortiz",
    "explanation": "The second paragraph names Ana Ortiz.",
    "evidence": [{"source": "article", "quote": "Senator Ana Ortiz said"}],
}


def in_app(app, teacher, action):
    with app.app_context():
        return action(db.session.get(User, teacher.id))


@pytest.fixture
def teacher(app, create_user):
    return create_user("tess", role="teacher")


def start(app, teacher, **options):
    return in_app(
        app,
        teacher,
        lambda t: editing.start_draft(t, title="Council vote", source=ARTICLE, **options),
    )


def test_a_draft_keeps_the_article_with_its_citation_from_the_first_save(app, teacher):
    draft_id = start(app, teacher)
    draft = in_app(app, teacher, lambda t: editing.draft_for(t, draft_id))
    assert draft.title == "Council vote"
    assert draft.revision == 1
    source = draft.sources["article"]
    assert source["text"] == ARTICLE.text
    assert (source["publisher"], source["url"]) == ("City News", "https://example.org/vote")
    assert draft.questions == []


def test_another_teachers_draft_does_not_exist_for_them(app, teacher, create_user):
    draft_id = start(app, teacher)
    other = create_user("otto", role="teacher")
    assert in_app(app, other, lambda t: editing.draft_for(t, draft_id)) is None
    with pytest.raises(editing.DraftNotFound):
        in_app(app, other, lambda t: editing.add_questions(t, draft_id, [WHO_SAID]))
    with pytest.raises(editing.DraftNotFound):
        in_app(app, other, lambda t: editing.publish(t, draft_id))
    draft = in_app(app, teacher, lambda t: editing.draft_for(t, draft_id))
    assert draft.questions == [] and draft.revision == 1


def test_an_invalid_question_is_saved_as_typed_with_its_errors_by_field(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    broken = {**WHO_SAID, "prompt": "", "answer": "Nobody"}
    broken.pop("explanation")
    result = in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [broken]))
    assert not result.valid
    assert result.revision == 2
    assert result.errors["questions.0.prompt"] == ["fill in the prompt"]
    assert result.errors["questions.0.explanation"] == ["fill in the explanation"]
    assert any("Nobody" in m for m in result.errors["questions.0.answer"])
    draft = in_app(app, teacher, lambda t: editing.draft_for(t, draft_id))
    assert draft.questions == [broken]  # nothing typed is lost
    with pytest.raises(QuestionSetError):
        in_app(app, teacher, lambda t: editing.publish(t, draft_id))
    assert in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)) is not None


def test_a_missing_set_id_is_reported_on_the_set_id_box(app, teacher):
    draft_id = start(app, teacher)
    result = in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID]))
    assert list(result.errors) == ["set_id"]
    assert result.errors["set_id"] == ["choose a set id, such as my-civics-set"]


def test_a_quote_not_in_the_article_is_reported_on_the_quote(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    wrong = {**WHO_SAID, "evidence": [{"source": "article", "quote": "Senator Ortiz said"}]}
    result = in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [wrong]))
    [message] = result.errors["questions.0.evidence.0.quote"]
    assert message.startswith("the quote was not found in source 'article'")


def test_the_editor_reports_what_an_upload_of_the_same_set_reports(app, teacher):
    # One validator: the editor's errors are the upload's, only keyed by field.
    typo = {**WHO_SAID, "choises": ["x"]}
    document = {"title": "T", "sources": {"article": ARTICLE.source_entry()}, "questions": [typo]}
    checked = domain.check_draft(document, "t-set")
    with pytest.raises(QuestionSetError) as upload:
        validate_draft(domain.publishable_data(document, "t-set"))
    assert [i.message for i in upload.value.issues] == checked.errors["questions.0.choises"]
    assert list(checked.errors) == ["questions.0.choises"]


def test_added_questions_get_ids_of_their_own(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID, WHO_SAID]))
    draft = in_app(app, teacher, lambda t: editing.draft_for(t, draft_id))
    assert [q["id"] for q in draft.questions] == ["who-said", "who-said-2"]
    assert editing.check(draft).valid


def test_duplicate_move_and_delete_questions(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    second = {**WHO_SAID, "id": "second"}
    in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID, second]))
    in_app(app, teacher, lambda t: editing.duplicate_question(t, draft_id, 0))
    ids = lambda: [  # noqa: E731
        q["id"] for q in in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)).questions
    ]
    assert ids() == ["who-said", "who-said-2", "second"]
    in_app(app, teacher, lambda t: editing.move_question(t, draft_id, 2, 0))
    assert ids() == ["second", "who-said", "who-said-2"]
    in_app(app, teacher, lambda t: editing.move_question(t, draft_id, 0, 99))
    assert ids() == ["who-said", "who-said-2", "second"]
    result = in_app(app, teacher, lambda t: editing.delete_question(t, draft_id, 1))
    assert ids() == ["who-said", "second"]
    assert result.valid and result.revision == 6
    with pytest.raises(editing.DraftNotFound):
        in_app(app, teacher, lambda t: editing.delete_question(t, draft_id, 5))


def test_deleting_a_part_a_leaves_its_part_b_a_question_of_its_own(app, teacher):
    part_b = {**WHO_SAID, "id": "part-b", "part_of": "who-said"}
    document = {"questions": [WHO_SAID, part_b]}
    assert domain.with_question_deleted(document, 0)["questions"] == [
        {k: v for k, v in part_b.items() if k != "part_of"}
    ]
    renamed = domain.with_question_replaced(document, 0, {**WHO_SAID, "id": "renamed"})
    assert renamed["questions"][1]["part_of"] == "renamed"
    copied = domain.with_question_duplicated(document, 1)["questions"][2]
    assert copied["id"] == "part-b-2" and "part_of" not in copied
    assert document == {"questions": [WHO_SAID, part_b]}  # the input is never changed


def test_a_save_from_a_stale_page_is_refused_not_written_over(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    doc = in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)).document
    first = in_app(
        app,
        teacher,
        lambda t: editing.save_document(t, draft_id, {**doc, "title": "A"}, revision=1),
    )
    assert first.revision == 2
    with pytest.raises(editing.DraftConflict) as refused:
        in_app(
            app,
            teacher,
            lambda t: editing.save_document(t, draft_id, {**doc, "title": "B"}, revision=1),
        )
    assert refused.value.revision == 2
    assert in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)).title == "A"


def test_a_draft_larger_than_any_set_is_refused(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    huge = {"title": "T", "sources": {"article": {"title": "A", "text": "x" * 2_000_000}}}
    with pytest.raises(editing.DraftTooLarge):
        in_app(app, teacher, lambda t: editing.save_document(t, draft_id, huge))


def test_preview_says_which_version_publishing_makes(app, teacher):
    draft_id = start(app, teacher, set_id="council-vote")
    in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID]))
    shown = in_app(app, teacher, lambda t: editing.preview(t, editing.draft_for(t, draft_id)))
    assert (shown.version_number, shown.changes, shown.existing_title) == (1, True, None)
    result = in_app(app, teacher, lambda t: editing.publish(t, draft_id))
    assert result.created and result.version.number == 1
    assert in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)) is None

    with app.app_context():
        version = db.session.get(QuestionSetVersion, result.version.id)
        again = editing.draft_of_version(db.session.get(User, teacher.id), version)
    unchanged = in_app(app, teacher, lambda t: editing.preview(t, editing.draft_for(t, again)))
    assert (unchanged.version_number, unchanged.changes) == (1, False)
    assert unchanged.existing_title == "Council vote"
    in_app(app, teacher, lambda t: editing.duplicate_question(t, again, 0))
    changed = in_app(app, teacher, lambda t: editing.preview(t, editing.draft_for(t, again)))
    assert (changed.version_number, changed.changes) == (2, True)
    second = in_app(app, teacher, lambda t: editing.publish(t, again))
    assert second.created and second.version.number == 2


def test_a_draft_cannot_publish_under_a_shipped_sets_id(app, teacher):
    draft_id = start(app, teacher, set_id="civics-mini")
    in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID]))
    with pytest.raises(QuestionSetError, match="shipped"):
        in_app(app, teacher, lambda t: editing.publish(t, draft_id))
    assert in_app(app, teacher, lambda t: editing.draft_for(t, draft_id)) is not None


def test_a_shipped_set_is_duplicated_into_the_teachers_own(app, teacher):
    with app.app_context():
        shipped = db.session.scalar(
            sa.select(QuestionSetVersion).join(QuestionSetVersion.question_set).limit(1)
        )
        copy_id = editing.duplicate_version(
            db.session.get(User, teacher.id), shipped, set_id="my-copy"
        )
        shipped_title = shipped.title
    draft = in_app(app, teacher, lambda t: editing.draft_for(t, copy_id))
    assert draft.title == f"Copy of {shipped_title}" and draft.based_on_version_id is None
    assert editing.check(draft).valid
    result = in_app(app, teacher, lambda t: editing.publish(t, copy_id))
    assert result.version.slug == "my-copy" and result.version.number == 1


def test_a_teacher_keeps_a_bounded_number_of_drafts(app, teacher):
    first = start(app, teacher)
    for _ in range(MAX_DRAFT_SETS):
        start(app, teacher)
    with app.app_context():
        kept = db.session.scalar(
            sa.select(sa.func.count()).select_from(DraftSet).where(DraftSet.owner_id == teacher.id)
        )
    assert kept == MAX_DRAFT_SETS
    assert in_app(app, teacher, lambda t: editing.draft_for(t, first)) is None


def test_a_missing_type_field_is_reported_on_that_field():
    checked = domain.check_draft(
        {"title": "T", "sources": {}, "questions": [{**WHO_SAID, "type": "matching"}]}, "t-set"
    )
    assert any(m.startswith("add 'pairs:'") for m in checked.errors["questions.0.pairs"])


def test_editing_a_set_twice_opens_the_same_draft_and_deleting_the_set_keeps_it(app, teacher):
    from quizapp.services import management

    draft_id = start(app, teacher, set_id="council-vote")
    in_app(app, teacher, lambda t: editing.add_questions(t, draft_id, [WHO_SAID]))
    published = in_app(app, teacher, lambda t: editing.publish(t, draft_id))
    with app.app_context():
        version = db.session.get(QuestionSetVersion, published.version.id)
        tess = db.session.get(User, teacher.id)
        first = editing.draft_of_version(tess, version)
        assert editing.draft_of_version(tess, version) == first
        management.delete_set(version.question_set)
    kept = in_app(app, teacher, lambda t: editing.draft_for(t, first))
    assert kept is not None and kept.based_on_version_id is None
    assert [q["id"] for q in kept.questions] == ["who-said"]
