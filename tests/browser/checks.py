"""Checks run inside a page: axe-core, the form structure rules, and the focus indicator."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
#: axe impacts that fail a page; moderate and minor ones are listed but do not fail it.
BLOCKING_IMPACTS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""

#: Rules axe does not know: a label for every control, choice groups in a fieldset with a
#: legend, errors tied to their field, one h1, a page title, outcomes in words.
STRUCTURE_PROBLEMS = """() => {
  const problems = [];
  const name = (el) => el.id || el.name || el.tagName.toLowerCase();
  const describedBy = (el) => (el.getAttribute("aria-describedby") || "").split(/\\s+/);
  for (const el of document.querySelectorAll(
      "input:not([type=hidden], [type=submit], [type=button], [type=reset]), select, textarea")) {
    if (!el.labels || el.labels.length === 0) problems.push(`${name(el)} has no <label>`);
    const group = el.type === "radio" || (el.type === "checkbox" &&
      document.querySelectorAll(`input[type=checkbox][name="${el.name}"]`).length > 1);
    const fieldset = el.closest("fieldset");
    if (group && !(fieldset && fieldset.querySelector(":scope > legend"))) {
      problems.push(`${name(el)} is a choice outside a fieldset with a legend`);
    }
    if (el.getAttribute("aria-invalid") === "true" &&
        !describedBy(el).some((id) => document.getElementById(id)?.classList.contains("error"))) {
      problems.push(`${name(el)} is invalid but not described by its error`);
    }
  }
  for (const error of document.querySelectorAll(".error")) {
    if (!error.id || !document.querySelector(`[aria-describedby~="${error.id}"]`)) {
      problems.push(`the error "${error.textContent.trim()}" is not linked to its field`);
    }
  }
  for (const link of document.querySelectorAll(".error-summary a[href^='#']")) {
    if (!document.getElementById(link.getAttribute("href").slice(1))) {
      problems.push(`the error summary links to a missing ${link.getAttribute("href")}`);
    }
  }
  const headings = document.querySelectorAll("h1").length;
  if (headings !== 1) problems.push(`${headings} h1 elements`);
  if (!/^\\S.* · Civics Quiz$/.test(document.title)) problems.push(`the title "${document.title}"`);
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  for (const outcome of document.querySelectorAll(".outcome")) {
    if (!/[A-Za-z]{4,}/.test(outcome.textContent)) {
      problems.push(`the outcome "${outcome.textContent.trim()}" has no word`);
    }
  }
  return problems;
}"""

#: The focused element and whether a keyboard user can see where the focus is.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.textContent ? " " + JSON.stringify(el.textContent.trim().slice(0, 40)) : ""),
    isBody: el === document.body,
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    width: box.width, height: box.height,
  };
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (the context must bypass the CSP)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations of serious or critical impact."""
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def structure_problems(page: Page) -> list[str]:
    """Labels, fieldsets, error links, headings, title and outcome words on the page."""
    problems: list[str] = page.evaluate(STRUCTURE_PROBLEMS)
    return problems


def focus_state(page: Page) -> dict[str, Any]:
    """What has the focus now, and its outline."""
    state: dict[str, Any] = page.evaluate(FOCUS_STATE)
    return state


def tab_through(page: Page, limit: int = 80) -> list[dict[str, Any]]:
    """Press Tab until the focus leaves the page or comes round again; each stop's state."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state["isBody"] or (stops and state["element"] == stops[0]["element"]):
            break
        stops.append(state)
    return stops


def tab_to(page: Page, condition: str, limit: int = 40) -> None:
    """Press Tab until the focused element meets ``condition`` (JS, ``el`` is the element)."""
    test = f"() => {{ const el = document.activeElement; return Boolean({condition}); }}"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")
