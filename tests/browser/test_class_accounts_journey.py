"""Accounts for a class in Chromium: a teacher resets a forgotten password and the student signs in
with the one-time code; a teacher creates a class's accounts from a roster and prints the login
cards; the projector view's QR code and join link work without JavaScript."""

from __future__ import annotations

import re

import pytest
from helpers.settings import PASSWORD

from .conftest import import_playwright
from .scene import create_class, register, teacher

pytestmark = pytest.mark.browser
expect = import_playwright().expect

NEW_PASSWORD = "my own passphrase 7"


def sign_in_with_card(page, username: str, code: str) -> None:
    """Sign in with a login card's code, then choose a password of one's own."""
    page.goto("/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    page.get_by_label("One-time password").fill(code)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()


def test_a_teacher_resets_a_password_and_the_student_signs_in_with_the_code(
    server, open_page, screenshots
) -> None:
    gomez = teacher(server, "ms-gomez", "Ms Gomez")
    class_id = create_class(gomez, "Civics 11C")
    student = register(server, "tomas.reyes", "Tomás Reyes")
    code = re.search(
        r'class="join-code">([A-Z0-9]+)<', gomez.get(f"/teach/classes/{class_id}").text
    )
    student.post("/classes/join", {"code": code.group(1)}, page="/")

    # Tomás forgot his password: the sign-in page tells him what to do.
    forgetful = open_page(java_script_enabled=False)
    forgetful.goto("/account/login")
    expect(forgetful.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    expect(forgetful.get_by_text("Ask your teacher.")).to_be_visible()

    page = open_page(gomez.account("ms-gomez"), java_script_enabled=False)
    page.goto(f"/teach/classes/{class_id}")
    page.get_by_role("button", name="Reset password of Tomás Reyes").click()
    expect(page.get_by_role("heading", name="Login cards for Civics 11C")).to_be_visible()
    card = page.locator(".login-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("tomas.reyes")
    one_time = card.locator("[data-code]").inner_text()
    assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", one_time), one_time
    screenshots.take(page, "reset-card")

    # His old password no longer works; the code does, once, and he picks his own.
    forgetful.get_by_label("Username").fill("tomas.reyes")
    forgetful.get_by_label("Password").fill(PASSWORD)
    forgetful.get_by_role("button", name="Sign in").click()
    expect(forgetful.locator("#password-error")).to_contain_text("do not match")
    sign_in_with_card(forgetful, "tomas.reyes", one_time)
    expect(forgetful.get_by_text("Signed in as Tomás Reyes")).to_be_visible()
    forgetful.goto("/")
    expect(forgetful.get_by_role("heading", name="Quizzes", exact=True)).to_be_visible()


def test_a_teacher_prints_login_cards_for_a_whole_class(server, open_page, screenshots) -> None:
    park = teacher(server, "mr-park", "Mr Park")
    class_id = create_class(park, "Civics 12A")
    page = open_page(park.account("mr-park"))
    page.goto(f"/teach/classes/{class_id}")
    join_code = page.locator(".join-code").inner_text()
    page.get_by_role("link", name="Add students from a roster").click()
    page.get_by_label("Students").fill("Nguyen, Linh\nAisha Bello\nLinh Nguyen\n")
    page.get_by_role("button", name="Create accounts and print login cards").click()
    expect(page.get_by_role("heading", name="Login cards for Civics 12A")).to_be_visible()
    cards = page.locator(".login-card")
    expect(cards).to_have_count(3)
    usernames = cards.locator("[data-username]").all_inner_texts()
    assert usernames == ["linh.nguyen", "aisha.bello", "linh.nguyen2"]
    for index in range(3):
        expect(cards.nth(index)).to_contain_text(join_code)
    screenshots.take(page, "login-cards")

    # On paper: the cards alone, without the site's header and the instructions.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Print these cards now")).to_be_hidden()
    expect(cards.first).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.emulate_media(media="screen")

    # A student signs in with a card and lands in the class.
    code = cards.nth(1).locator("[data-code]").inner_text()
    aisha = open_page()
    sign_in_with_card(aisha, "aisha.bello", code)
    expect(aisha.get_by_text("Signed in as Aisha Bello")).to_be_visible()
    page.goto(f"/teach/classes/{class_id}")
    expect(page.get_by_role("heading", name="Students (3)")).to_be_visible()


def test_the_projector_shows_a_qr_code_and_a_join_link_that_survives_sign_in(
    server, open_page, screenshots
) -> None:
    cho = teacher(server, "ms-cho", "Ms Cho")
    class_id = create_class(cho, "Civics 9D")
    register(server, "ruth", "Ruth Abebe")
    page = open_page(cho.account("ms-cho"), java_script_enabled=False)
    page.goto(f"/teach/classes/{class_id}")
    page.get_by_role("link", name="Show the join code on a projector").click()
    code = page.locator(".projector-code").inner_text()
    expect(page.get_by_role("img", name="QR code of the join link")).to_be_visible()
    box = page.locator(".qr-code").bounding_box()
    assert box is not None and box["width"] >= 200
    link = page.locator(".projector-link a").get_attribute("href")
    assert link is not None and link.endswith(f"/join/{code}")
    screenshots.take(page, "projector")

    # A student opens the link signed out, signs in, and finds the code filled in.
    student = open_page(java_script_enabled=False)
    student.goto(link)
    student.get_by_label("Username").fill("ruth")
    student.get_by_label("Password").fill(PASSWORD)
    student.get_by_role("button", name="Sign in").click()
    expect(student.get_by_label("Class code")).to_have_value(code)
    student.get_by_role("button", name="Join class").click()
    expect(student.get_by_text("You joined Civics 9D.")).to_be_visible()
