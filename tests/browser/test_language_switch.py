"""The language switch at the foot of every page: by keyboard, at phone width, and named for
screen readers as each language names itself."""

from __future__ import annotations

import pytest

from .conftest import import_playwright

pytestmark = pytest.mark.browser
expect = import_playwright().expect

#: WCAG 2.5.5's comfortable target size, in CSS pixels.
TARGET = 44


def test_the_switch_is_reached_and_used_by_keyboard_without_javascript(scene, open_page) -> None:
    page = open_page(java_script_enabled=False)
    page.goto("/account/login")
    spanish = page.get_by_role("button", name="Español", exact=True)
    for _ in range(60):  # every control of the page comes before the footer
        page.keyboard.press("Tab")
        if spanish.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Español button")
    ring = spanish.evaluate("button => getComputedStyle(button).outlineStyle")
    assert ring == "solid"  # the focus ring shows where the keyboard is
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
    # The pressed language keeps its own name: the check mark is not read out.
    pressed = page.get_by_role("button", name="Español", exact=True)
    expect(pressed).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_switch_fits_a_phone_with_targets_a_finger_can_hit(scene, open_page) -> None:
    page = open_page(scene.student, phone=True)
    page.goto("/")
    for name in ("English", "Español"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None
        assert box["height"] >= TARGET and box["width"] >= TARGET, (name, box)
    footer = page.locator(".site-footer")
    overflow = footer.evaluate("footer => footer.scrollWidth - footer.clientWidth")
    assert overflow <= 0
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
