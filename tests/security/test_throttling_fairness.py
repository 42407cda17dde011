"""Sign-in throttling cannot be turned against a class (issue 15, OWASP's device cookies).

Each test sends the hostile traffic a classmate or an outsider could send, then checks that
the real student still gets in, and that guessing is still slowed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from helpers.forms import post_form
from helpers.settings import PASSWORD

from quizapp.services import throttling

NOW = datetime.now(UTC) + timedelta(days=1)
SCHOOL = "10.20.30.40"
HOME = "192.0.2.7"


def client_at(app: Flask, address: str) -> FlaskClient:
    """A fresh browser whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    return post_form(client, "/account/login", {"username": username, "password": password})


def sign_out(client: FlaskClient) -> None:
    post_form(client, "/account/logout", {}, page="/")


def test_failures_from_elsewhere_never_slow_a_device_that_signed_in_before(app, create_user):
    create_user("maya")
    with time_machine.travel(NOW, tick=False):
        own_laptop = client_at(app, SCHOOL)
        assert login(own_laptop, "maya").status_code == 302
        sign_out(own_laptop)
        # A classmate, behind the same school address, and an outsider hammer her account.
        classmate, outsider = client_at(app, SCHOOL), client_at(app, HOME)
        for _ in range(30):
            login(classmate, "maya", "guess guess")
            login(outsider, "maya", "guess guess")
        assert login(classmate, "maya", "guess guess").status_code == 429
        # Her own laptop carries the device cookie: the right password goes straight in.
        assert login(own_laptop, "maya").status_code == 302


def test_a_device_is_slowed_by_its_own_failures_only(app, create_user):
    create_user("noor")
    with time_machine.travel(NOW, tick=False):
        laptop = client_at(app, SCHOOL)
        login(laptop, "noor")
        sign_out(laptop)
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            assert login(laptop, "noor", "wrong wrong").status_code == 200
        refused = login(laptop, "noor")
        assert refused.status_code == 429
        assert "ask your teacher to unlock" in refused.get_data(as_text=True)
        # Another browser at the same address has no failures of its own for the account.
        assert login(client_at(app, SCHOOL), "noor").status_code == 302


def test_a_forged_device_cookie_is_not_trusted(app, create_user):
    create_user("olga")
    with time_machine.travel(NOW, tick=False):
        attacker = client_at(app, HOME)
        attacker.set_cookie(
            throttling.DEVICE_COOKIE, "W1sib2xnYSIsICJ4Il1d.forged", path="/account"
        )
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            login(attacker, "olga", "wrong wrong")
        assert login(attacker, "olga").status_code == 429


def test_a_device_cookie_for_one_account_does_not_vouch_for_another(app, create_user):
    create_user("pia")
    create_user("quin")
    with time_machine.travel(NOW, tick=False):
        browser = client_at(app, HOME)
        login(browser, "pia")  # the attacker's own account gives them a device cookie
        sign_out(browser)
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            login(browser, "quin", "wrong wrong")
        assert login(browser, "quin").status_code == 429


def test_waits_grow_with_each_failure_and_never_become_a_lock(app, create_user):
    create_user("ravi")
    browser = client_at(app, HOME)
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            login(browser, "ravi", "wrong wrong")
        waits = []
        for _ in range(4):
            refused = login(browser, "ravi", "wrong wrong")
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            clock.shift(timedelta(seconds=waits[-1]))
            login(browser, "ravi", "wrong wrong")  # one more guess once the wait is over
        assert waits == [5, 10, 20, 40]
        refused = login(browser, "ravi")
        assert refused.status_code == 429
        # The wait never exceeds the window; after it, the right password works.
        assert int(refused.headers["Retry-After"]) <= 15 * 60
        clock.shift(timedelta(seconds=int(refused.headers["Retry-After"])))
        assert login(browser, "ravi").status_code == 302


def test_the_limit_is_per_account_and_address_pair(app, create_user):
    create_user("sana")
    create_user("tariq")
    with time_machine.travel(NOW, tick=False):
        attacker = client_at(app, SCHOOL)
        for _ in range(40):
            login(attacker, "sana", "wrong wrong")
        # The same account from another address has no failures of its own: never refused.
        assert login(client_at(app, HOME), "sana").status_code == 302
        # Another account from the same (shared) address is not slowed either.
        assert login(client_at(app, SCHOOL), "tariq").status_code == 302


def test_failures_from_the_shared_address_do_not_lock_the_class_out(app, create_user):
    # The limit counts accounts tried from the address, not failures: 60 failures on four
    # accounts stay far below even a low limit.
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = 20
    for number in range(5):
        create_user(f"pupil{number}")
    with time_machine.travel(NOW, tick=False):
        hostile = client_at(app, SCHOOL)
        for round_ in range(30):
            login(hostile, f"pupil{round_ % 3}", "wrong wrong")
            login(hostile, "nobody-at-all", "wrong wrong")
        # pupil3 and pupil4 were not attacked: new browsers at that address get in.
        for number in (3, 4):
            assert login(client_at(app, SCHOOL), f"pupil{number}").status_code == 302


def test_spraying_many_accounts_from_one_address_is_slowed(app, create_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = 10
    create_user("uma")
    with time_machine.travel(NOW, tick=False) as clock:
        sprayer = client_at(app, HOME)
        for number in range(10):
            login(sprayer, f"guess{number}", "wrong wrong")
        refused = login(client_at(app, HOME), "uma")
        assert refused.status_code == 429
        assert "from this network" in refused.get_data(as_text=True)
        # A delay, not a lock: and elsewhere she was never slowed.
        assert login(client_at(app, SCHOOL), "uma").status_code == 302
        clock.shift(timedelta(seconds=int(refused.headers["Retry-After"])))
        assert login(client_at(app, HOME), "uma").status_code == 302


def test_a_teacher_unlocks_a_student(app, signed_in, create_user):
    from helpers.teacher import join_code, post_join, post_new_class

    with time_machine.travel(NOW, tick=False):
        teacher = signed_in("ms-vega", role="teacher")
        class_id = post_new_class(teacher)
        student = signed_in("wren")
        post_join(student, join_code(app, class_id))
        sign_out(student)
        shared = client_at(app, SCHOOL)
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            login(shared, "wren", "wrong wrong")
        assert login(shared, "wren").status_code == 429
        page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
        assert "Failed sign-ins:" in page
        from quizapp.extensions import db
        from quizapp.models import User

        with app.app_context():
            wren_id = db.session.query(User.id).filter_by(username="wren").scalar()
        url = f"/teach/classes/{class_id}/students/{wren_id}/unlock"
        response = post_form(teacher, url, {}, page=f"/teach/classes/{class_id}")
        assert response.status_code == 302
        assert "Failed sign-ins:" not in teacher.get(f"/teach/classes/{class_id}").get_data(
            as_text=True
        )
        assert login(shared, "wren").status_code == 302


def test_a_teacher_cannot_unlock_a_student_of_another_class(app, signed_in):
    from helpers.teacher import join_code, post_join, post_new_class

    owner = signed_in("mr-owner", role="teacher")
    other = signed_in("ms-other", role="teacher")
    class_id = post_new_class(owner)
    other_class = post_new_class(other)
    student = signed_in("xena")
    post_join(student, join_code(app, class_id))
    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        xena_id = db.session.query(User.id).filter_by(username="xena").scalar()
    for target in (class_id, other_class):
        url = f"/teach/classes/{target}/students/{xena_id}/unlock"
        response = post_form(other, url, {}, page="/teach/")
        assert response.status_code == 404


def test_registration_is_rate_limited_per_address(app):
    app.config["REGISTRATION_LIMIT_PER_ADDRESS"] = 3
    with time_machine.travel(NOW, tick=False) as clock:
        for number in range(3):
            browser = client_at(app, SCHOOL)
            data = {"username": f"new{number}", "password": PASSWORD, "confirm": PASSWORD}
            assert post_form(browser, "/account/register", data).status_code == 302
        data = {"username": "one-more", "password": PASSWORD, "confirm": PASSWORD}
        refused = post_form(client_at(app, SCHOOL), "/account/register", data)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert "ask your teacher to create your account" in refused.get_data(as_text=True)
        # The form keeps what was typed.
        assert 'value="one-more"' in refused.get_data(as_text=True)
        assert post_form(client_at(app, HOME), "/account/register", data).status_code == 302
        clock.shift(timedelta(hours=1, seconds=1))
        data["username"] = "later"
        assert post_form(client_at(app, SCHOOL), "/account/register", data).status_code == 302


def test_wrong_join_codes_are_rate_limited_per_student(app, signed_in):
    from helpers.teacher import join_code, post_join, post_new_class

    with time_machine.travel(NOW, tick=False) as clock:
        teacher = signed_in("ms-yu", role="teacher")
        code = join_code(app, post_new_class(teacher))
        student = signed_in("zane")
        for _ in range(app.config["JOIN_LIMIT_PER_STUDENT"]):
            assert post_join(student, "WRONGCOD").status_code == 200
        refused = post_join(student, code)
        assert refused.status_code == 429
        assert "Too many wrong join codes" in refused.get_data(as_text=True)
        clock.shift(timedelta(seconds=int(refused.headers["Retry-After"])))
        assert post_join(student, code).status_code == 302


def test_the_browser_that_registered_is_trusted_for_its_account(app):
    with time_machine.travel(NOW, tick=False):
        own = client_at(app, SCHOOL)
        data = {"username": "yara", "password": PASSWORD, "confirm": PASSWORD}
        assert post_form(own, "/account/register", data).status_code == 302
        sign_out(own)
        hostile = client_at(app, SCHOOL)
        for _ in range(20):
            login(hostile, "yara", "wrong wrong")
        assert login(hostile, "yara").status_code == 429
        assert login(own, "yara").status_code == 302


def test_a_username_that_grows_under_nfkc_is_counted_without_an_error(app, create_user):
    # U+FDFA becomes 18 characters under NFKC: 64 of them make a 1,152-character account.
    long_name = "\ufdfa" * 64
    with time_machine.travel(NOW, tick=False):
        browser = client_at(app, "2001:db8::" + "f" * 80)
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            assert login(browser, long_name, "wrong wrong").status_code == 200
        assert login(browser, long_name, "wrong wrong").status_code == 429


def test_a_password_reset_also_forgets_the_failed_sign_ins(app, create_user, runner):
    create_user("zoltan")
    with time_machine.travel(NOW, tick=False):
        shared = client_at(app, SCHOOL)
        for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
            login(shared, "zoltan", "wrong wrong")
        assert login(shared, "zoltan").status_code == 429
        output = runner.invoke(args=["reset-password", "zoltan"]).output
        code = output.split("One-time password: ", 1)[1].split()[0]
        assert login(shared, "zoltan", code).status_code == 302
