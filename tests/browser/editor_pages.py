"""The browser editor's pages in every state worth checking, for the axe and HTML checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .editor_scene import DRAFT_TYPES
from .pages import Shown, press
from .scene import BROWSER_SET

if TYPE_CHECKING:
    from playwright.sync_api import Page


def start_without_a_title(page: Page) -> None:
    """Send the new-set form empty."""
    page.get_by_role("button", name="Start writing").click()


def copy_under_a_wrong_id(page: Page) -> None:
    """Ask for a copy under an id that is not one."""
    page.get_by_label("Set id").fill("Not an id!")
    press("Make a copy")(page)


def _edit(type_name: str) -> Shown:
    return Shown(
        f"editor: {type_name.replace('_', ' ')} question",
        "editor.edit_question",
        "teacher",
        lambda s: s.editor.question_path(type_name),
    )


EDITOR_PAGES: list[Shown] = [
    Shown("editor: new set", "editor.new_draft", "teacher", lambda s: "/teach/drafts/new"),
    Shown(
        "editor: new set with errors",
        "editor.new_draft",
        "teacher",
        lambda s: "/teach/drafts/new",
        start_without_a_title,
        status=422,
    ),
    Shown(
        "editor: draft ready to publish",
        "editor.draft_page",
        "teacher",
        lambda s: f"/teach/drafts/{s.editor.draft_id}",
    ),
    Shown(
        "editor: draft with problems",
        "editor.draft_page",
        "teacher",
        lambda s: f"/teach/drafts/{s.editor.broken_draft_id}",
    ),
    Shown(
        "editor: new select evidence question",
        "editor.new_question",
        "teacher",
        lambda s: f"/teach/drafts/{s.editor.draft_id}/questions/new/select_evidence",
    ),
    *(_edit(type_name) for type_name in DRAFT_TYPES),
    Shown(
        "editor: question with errors beside its fields",
        "editor.edit_question",
        "teacher",
        lambda s: f"/teach/drafts/{s.editor.broken_draft_id}/questions/1",
    ),
    Shown(
        "editor: preview before publishing",
        "editor.preview",
        "teacher",
        lambda s: f"/teach/drafts/{s.editor.draft_id}/preview",
    ),
    Shown(
        "editor: copy a shipped set",
        "editor.duplicate_set",
        "teacher",
        lambda s: f"/teach/sets/{BROWSER_SET}/duplicate",
    ),
    Shown(
        "editor: copy with errors",
        "editor.duplicate_set",
        "teacher",
        lambda s: f"/teach/sets/{BROWSER_SET}/duplicate",
        copy_under_a_wrong_id,
        status=422,
    ),
    Shown(
        "editor: assign to a class",
        "editor.assign_set",
        "teacher",
        lambda s: f"/teach/sets/{BROWSER_SET}/assign",
    ),
]
