"""Accounts a class can live with: password resets, whole classes from a roster, login cards,
the projector view and the join link (issue 15)."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from helpers.forms import post_form
from helpers.settings import PASSWORD
from helpers.teacher import class_of, enrol, join_code, post_join

from quizapp.extensions import db
from quizapp.models import Enrollment, User

CARD = re.compile(r"data-username>([^<]+)</dd>\s*<dt>One-time code</dt><dd[^>]*data-code>([^<]+)<")


def cards(page: str) -> dict[str, str]:
    """Username -> one-time code, read from a login-cards page."""
    return dict(CARD.findall(page))


def user(app, username: str) -> User:
    with app.app_context():
        found = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(found)
        return found


def login(client, username, password=PASSWORD):
    return post_form(client, "/account/login", {"username": username, "password": password})


def change_password(client, current, new):
    data = {"current_password": current, "new_password": new, "confirm": new}
    return post_form(client, "/account/password", data)


def test_a_teacher_resets_a_password_and_the_student_must_change_it(app, signed_in):
    teacher = signed_in("ms-reyes", role="teacher")
    class_id = class_of(app, "ms-reyes")
    student = signed_in("dana", display_name="Dana Cruz")
    enrol(app, "dana", class_id)
    dana = user(app, "dana")
    class_page = f"/teach/classes/{class_id}"
    assert "Reset password" in teacher.get(class_page).get_data(as_text=True)

    response = post_form(teacher, f"{class_page}/students/{dana.id}/reset", {}, page=class_page)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    code = cards(page)["dana"]
    assert "Dana Cruz" in page and join_code(app, class_id) in page
    assert response.headers["Cache-Control"] == "no-store"
    # Only a hash is kept; the old sessions and the old password no longer work.
    after = user(app, "dana")
    assert code not in after.password_hash and after.must_change_password
    assert student.get("/history").status_code == 302
    assert login(app.test_client(), "dana").status_code == 200

    fresh = app.test_client()
    signed = login(fresh, "dana", code)
    assert signed.status_code == 302 and "/account/password" in signed.headers["Location"]
    assert fresh.get("/history").headers["Location"].endswith("/account/password")
    # The page asks for the one-time password by that name, not as "Current password".
    form = fresh.get("/account/password").get_data(as_text=True)
    assert '<label for="current_password">One-time password</label>' in form
    assert "The password you just signed in with." in form
    assert "Current password" not in form
    assert change_password(fresh, code, "my own passphrase").status_code == 302
    assert "Current password" in fresh.get("/account/password").get_data(as_text=True)
    assert fresh.get("/history").status_code == 200
    # The code was for one use.
    assert login(app.test_client(), "dana", code).status_code == 200


def test_reset_is_a_post_and_only_for_the_teachers_own_students(app, signed_in):
    owner = signed_in("mr-ames", role="teacher")
    other = signed_in("ms-bell", role="teacher")
    class_id = class_of(app, "mr-ames")
    other_class = class_of(app, "ms-bell")
    student = signed_in("eli")
    enrol(app, "eli", class_id)
    eli = user(app, "eli")
    assert owner.get(f"/teach/classes/{class_id}/students/{eli.id}/reset").status_code == 405
    for target in (class_id, other_class):
        url = f"/teach/classes/{target}/students/{eli.id}/reset"
        assert post_form(other, url, {}, page="/teach/").status_code == 404
    teacher_id = user(app, "ms-bell").id
    url = f"/teach/classes/{class_id}/students/{teacher_id}/reset"
    assert post_form(owner, url, {}, page="/teach/").status_code == 404
    assert student.get("/history").status_code == 200  # nothing was reset


def test_flask_reset_password_works_for_any_account(app, create_user, runner):
    create_user("mr-cole", role="teacher")
    result = runner.invoke(args=["reset-password", "MR-COLE"])
    assert result.exit_code == 0, result.output
    code = re.search(r"One-time password: (\S+)", result.output).group(1)
    client = app.test_client()
    assert login(client, "mr-cole").status_code == 200
    assert login(client, "mr-cole", code).headers["Location"].endswith("/account/password")
    missing = runner.invoke(args=["reset-password", "nobody"])
    assert missing.exit_code != 0 and "no account 'nobody'" in missing.output


def test_the_sign_in_page_says_what_to_do_about_a_forgotten_password(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert "Forgot your password?" in page and "one-time code" in page
    assert "flask reset-password" in page


ROSTER = "Garcia, Ana\nChidi Okafor\nZoë Ñúñez\nAna Garcia\n"


def test_a_teacher_creates_a_class_from_a_pasted_roster_and_prints_cards(
    app, signed_in, create_user
):
    create_user("ana.garcia")  # an older account already has the name
    teacher = signed_in("ms-diaz", role="teacher")
    class_id = class_of(app, "ms-diaz")
    url = f"/teach/classes/{class_id}/students/new"
    assert teacher.get(url).status_code == 200
    response = post_form(teacher, url, {"roster": ROSTER})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    made = cards(page)
    assert list(made) == ["ana.garcia2", "chidi.okafor", "zoe.nunez", "ana.garcia3"]
    assert page.count(join_code(app, class_id)) >= 4 and "Print these cards now" in page
    with app.app_context():
        enrolled = db.session.scalars(
            sa.select(User.username)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == class_id)
        ).all()
        stored = db.session.scalars(sa.select(User.password_hash)).all()
    assert sorted(enrolled) == sorted(made)
    assert not any(code in stored_hash for code in made.values() for stored_hash in stored)
    assert "Zoë Ñúñez" in teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    # A card works once, and asks for a new password.
    student = app.test_client()
    signed = login(student, "zoe.nunez", made["zoe.nunez"])
    assert signed.headers["Location"].endswith("/account/password")


def test_a_roster_can_be_a_csv_file_from_the_schools_system(app, signed_in):
    teacher = signed_in("ms-egan", role="teacher")
    class_id = class_of(app, "ms-egan")
    export = "Student ID;Surname;First Name\r\n7;Müller;Jörg\r\n8;Sato;Yui\r\n".encode("cp1252")
    response = post_form(
        teacher,
        f"/teach/classes/{class_id}/students/new",
        {"roster": "", "roster_file": (io.BytesIO(export), "export.csv")},
        content_type="multipart/form-data",
    )
    assert list(cards(response.get_data(as_text=True))) == ["jorg.muller", "yui.sato"]


def test_a_bad_roster_creates_nothing_and_keeps_the_text(app, signed_in):
    teacher = signed_in("ms-fox", role="teacher")
    class_id = class_of(app, "ms-fox")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(User.id)))
    roster = "First Name,Last Name\nAna,Garcia\n,\n"
    response = post_form(teacher, f"/teach/classes/{class_id}/students/new", {"roster": roster})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was created" in page and "Line 3: no name in the name columns." in page
    assert "Ana,Garcia" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_only_the_classes_teacher_adds_students(app, signed_in, create_user):
    create_user("mr-gray", role="teacher")
    other = signed_in("ms-hart", role="teacher")
    class_id = class_of(app, "mr-gray")
    url = f"/teach/classes/{class_id}/students/new"
    assert other.get(url).status_code == 404
    assert post_form(other, url, {"roster": "Ana Garcia"}, page="/teach/").status_code == 404
    assert signed_in("ivy").get(url).status_code == 403


def test_the_projector_view_shows_the_code_link_and_a_server_made_qr_code(app, signed_in):
    teacher = signed_in("ms-iqbal", role="teacher")
    class_id = class_of(app, "ms-iqbal", name="Civics <9B> & friends")
    code = join_code(app, class_id)
    assert "projector" in teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    page = teacher.get(f"/teach/classes/{class_id}/projector").get_data(as_text=True)
    assert f'class="projector-code">{code}<' in page
    assert f"http://localhost/join/{code}" in page
    assert '<svg viewBox="0 0 ' in page and 'class="qr-code"' in page
    assert "<script" not in page.split("<main", 1)[1]
    assert "Civics &lt;9B&gt; &amp; friends" in page and "<9B>" not in page
    assert signed_in("joe").get(f"/teach/classes/{class_id}/projector").status_code == 403


def test_the_join_link_fills_in_the_code_even_through_sign_in(app, signed_in, create_user):
    create_user("ms-jung", role="teacher")
    code = join_code(app, class_of(app, "ms-jung"))
    create_user("kim")
    visitor = app.test_client()
    response = visitor.get(f"/join/{code}")
    assert response.status_code == 302 and "next=%2Fjoin%2F" in response.headers["Location"]
    login_url = response.headers["Location"]
    signed = post_form(visitor, login_url, {"username": "kim", "password": PASSWORD})
    assert signed.headers["Location"] == f"/join/{code}"
    page = visitor.get(f"/join/{code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    # A GET changes nothing: the student still presses Join.
    assert post_join(visitor, code).status_code == 302


def test_the_join_link_survives_registration(app, signed_in, create_user):
    create_user("ms-kay", role="teacher")
    code = join_code(app, class_of(app, "ms-kay"))
    visitor = app.test_client()
    login_url = visitor.get(f"/join/{code}").headers["Location"]
    page = visitor.get(login_url).get_data(as_text=True)
    register_url = re.search(r'New here\? <a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert register_url == f"/account/register?next=/join/{code}"
    data = {"username": "lena", "password": PASSWORD, "confirm": PASSWORD}
    response = post_form(visitor, register_url, data)
    assert response.headers["Location"] == f"/join/{code}"
    # A next that leaves the site is ignored.
    other = app.test_client()
    data = {"username": "lena2", "password": PASSWORD, "confirm": PASSWORD}
    response = post_form(other, "/account/register?next=//evil.example/x", data)
    assert response.headers["Location"] == "/"
