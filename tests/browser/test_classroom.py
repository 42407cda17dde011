"""Running a class in the browser: a new class's time zone, and the management pages."""

from __future__ import annotations

import pytest

from .scene import CLASS_TIME_ZONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_new_class_takes_the_browsers_time_zone(script, scene, open_page) -> None:
    page = open_page(scene.teacher, timezone_id="Europe/Paris", java_script_enabled=script)
    page.goto("/teach/")
    chosen = page.get_by_label("Time zone").input_value()
    # Without the script: the zone of the teacher's newest class.
    assert chosen == ("Europe/Paris" if script else CLASS_TIME_ZONE)


def test_a_form_sent_back_with_mistakes_keeps_the_chosen_zone(scene, open_page) -> None:
    page = open_page(scene.teacher, timezone_id="Europe/Paris")
    page.goto("/teach/")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Create class").click()  # no name: sent back
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"
