"""Set ids: the shipped namespace is reserved, and refusals name no other teacher."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from helpers.forms import csrf_token, post_form
from helpers.settings import SETS

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.loader import load_question_set_file
from quizapp.domain.validation import SHIPPED_ID_PREFIX
from quizapp.extensions import db
from quizapp.models import QuestionSet, User
from quizapp.services.question_sets import import_question_set

MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()
SHIPPED = Path(__file__).resolve().parent.parent.parent / "questions"
#: Shipped before the namespace was reserved; their ids stay as they are.
SHIPPED_BEFORE_THE_RULE = {"bukele-prison-offer"}
GIFT = b"::capital::What is the capital of France? {=Paris ~London ~Berlin}\n"


def upload(client, filename: str, content: bytes, set_id: str = ""):
    data = {
        "csrf_token": csrf_token(client, "/teach/upload"),
        "question_file": (io.BytesIO(content), filename),
        "set_id": set_id,
        "source_files": [(io.BytesIO(SOURCE), "town-meeting.txt")],
    }
    return client.post("/teach/upload", data=data, content_type="multipart/form-data")


def renamed(new_id: str) -> bytes:
    return MINI.replace(b"id: civics-mini", f"id: {new_id}".encode())


def test_every_set_shipped_from_now_on_uses_the_reserved_prefix():
    ids = {yaml.safe_load(path.read_text("utf-8"))["id"] for path in SHIPPED.glob("*.yaml")}
    assert ids, "no shipped sets found"
    assert all(i.startswith(SHIPPED_ID_PREFIX) or i in SHIPPED_BEFORE_THE_RULE for i in ids), ids


@pytest.mark.parametrize(
    ("filename", "content", "set_id", "how"),
    [
        ("set.yaml", renamed(f"{SHIPPED_ID_PREFIX}unit-1"), "", "change the &#39;id:&#39;"),
        ("set.gift", GIFT, f"{SHIPPED_ID_PREFIX}unit-1", "type another id in the Set id box"),
    ],
    ids=["yaml", "gift"],
)
def test_a_teacher_cannot_claim_an_id_in_the_shipped_namespace(
    signed_in, filename, content, set_id, how
):
    teacher = signed_in("ms-lee", role="teacher")
    response = upload(teacher, filename, content, set_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"begins with &#39;{SHIPPED_ID_PREFIX}&#39;, which is kept for sets shipped" in page
    assert how in page


def test_ids_that_only_contain_the_word_stay_free(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    for set_id in ("my-quizapp-set", "quizapp", "quizapps-unit"):
        response = upload(teacher, "set.yaml", renamed(set_id))
        assert response.status_code == 302, (set_id, response.get_data(as_text=True)[-500:])


def test_a_teacher_keeps_publishing_a_set_they_already_own_under_a_reserved_id(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    with app.app_context():
        owner = db.session.scalar(sa.select(User.id).where(User.username == "ms-lee"))
        db.session.add(QuestionSet(slug=f"{SHIPPED_ID_PREFIX}old", owner_id=owner))
        db.session.commit()
    staged = upload(teacher, "set.yaml", renamed(f"{SHIPPED_ID_PREFIX}old"))
    assert staged.status_code == 302, staged.get_data(as_text=True)[-800:]
    published = post_form(
        teacher, staged.headers["Location"] + "/publish", {}, page=staged.headers["Location"]
    )
    assert published.headers["Location"].endswith(f"/teach/sets/{SHIPPED_ID_PREFIX}old")


def test_the_service_refuses_a_reserved_id_for_a_teacher_and_allows_it_for_a_shipped_set(
    app, create_user
):
    content = load_question_set_file(SETS / "civics-mini.yaml")
    reserved = type(content)(**{**content.__dict__, "id": f"{SHIPPED_ID_PREFIX}future"})
    teacher = create_user("ms-lee", role="teacher")
    with app.app_context():
        with pytest.raises(QuestionSetError, match="kept for sets shipped with the app"):
            import_question_set(reserved, owner_id=teacher.id)
        assert import_question_set(reserved).created


def test_two_teachers_may_use_the_same_id_and_neither_learns_of_the_other(app, signed_in):
    """Ids are per teacher: being refused an id would tell a teacher that someone has it."""
    first = signed_in("ms-lee", role="teacher")
    staged = upload(first, "set.yaml", renamed("unit-3"))
    post_form(first, staged.headers["Location"] + "/publish", {}, page=staged.headers["Location"])
    second = signed_in("mr-diaz", role="teacher")
    theirs = upload(second, "set.yaml", renamed("unit-3").replace(b"Town curfew", b"Unit three"))
    assert theirs.status_code == 302, theirs.get_data(as_text=True)[-800:]
    published = post_form(
        second, theirs.headers["Location"] + "/publish", {}, page=theirs.headers["Location"]
    )
    assert published.headers["Location"].endswith("/teach/sets/unit-3")
    assert "version 1 published" in second.get("/teach/sets/unit-3").get_data(as_text=True)
    mine = first.get("/teach/sets/unit-3").get_data(as_text=True)
    assert "Unit three" not in mine and "Town curfew" in mine
    assert "Unit three" in second.get("/teach/sets/unit-3").get_data(as_text=True)
    with app.app_context():
        owners = db.session.scalars(
            sa.select(QuestionSet.owner_id).where(QuestionSet.slug == "unit-3")
        )
        assert len(set(owners)) == 2


def test_the_database_keeps_ids_unique_per_teacher_and_among_shipped_sets(app, create_user):
    teacher = create_user("ms-lee", role="teacher")
    colleague = create_user("mr-diaz", role="teacher")
    with app.app_context():
        db.session.add_all(
            [
                QuestionSet(slug="same", owner_id=teacher.id),
                QuestionSet(slug="same", owner_id=colleague.id),
            ]
        )
        db.session.commit()
        for duplicate in (
            QuestionSet(slug="same", owner_id=teacher.id),
            QuestionSet(slug="civics-mini"),
        ):
            db.session.add(duplicate)
            with pytest.raises(sa.exc.IntegrityError):
                db.session.commit()
            db.session.rollback()
