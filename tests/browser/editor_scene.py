"""The editor's part of the browser scene: a draft with a valid question of every type, and a
draft with a question saved with mistakes (its errors shown beside their fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpers.editor import ARTICLE, BASE, EVERY_TYPE

if TYPE_CHECKING:
    from .scene import Visitor

#: The question types in the order the scene's draft holds them (question 1 is the first).
DRAFT_TYPES = tuple(EVERY_TYPE)


@dataclass(frozen=True)
class EditorScene:
    """The drafts the editor's pages are checked on."""

    draft_id: int
    broken_draft_id: int

    def question_path(self, type_name: str) -> str:
        """The edit page of the draft's question of this type."""
        return f"/teach/drafts/{self.draft_id}/questions/{DRAFT_TYPES.index(type_name) + 1}"


def start_draft(web: Visitor, title: str, set_id: str) -> int:
    """A new draft with the scene's article, made through the editor's form."""
    response = web.post(
        "/teach/drafts/new",
        {"title": title, "set_id": set_id, "article": ARTICLE, "publisher": "City News"},
        expect=303,
    )
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def build_editor_scene(web: Visitor) -> EditorScene:
    """Two drafts of the teacher ``web``: one ready to publish, one with mistakes."""
    draft_id = start_draft(web, "Council vote", "council-vote")
    for type_name, fields in EVERY_TYPE.items():
        web.post(f"/teach/drafts/{draft_id}/questions/new/{type_name}", fields, expect=303)
    broken_id = start_draft(web, "Council vote, unfinished", "council-vote-draft")
    mistakes = {**BASE, "prompt": "", "choices-0": "Ana Ortiz", "evidence_0": "Not in the text"}
    web.post(f"/teach/drafts/{broken_id}/questions/new/single_choice", mistakes, expect=303)
    return EditorScene(draft_id, broken_id)
