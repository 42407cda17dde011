"""The editor's page script speaks the page's language: in Spanish, its hint, its evidence
messages and the background save's status are Spanish (the script reads them from the page)."""

from __future__ import annotations

import re

import pytest
from helpers.editor import ARTICLE

from .conftest import import_playwright
from .scene import location_number, teacher

pytestmark = pytest.mark.browser
expect = import_playwright().expect

#: Words inside a sentence of the article, selected as a mouse would.
SELECTED = "Critics said the plan was rushed"

SELECT_WORDS = """([words]) => {
  const passage = document.querySelector("[data-evidence-for='evidence_0'] .passage");
  const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(words);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      return;
    }
  }
  throw new Error("words not in the passage");
}"""


def test_the_editor_script_speaks_spanish(server, open_page) -> None:
    profe = teacher(server, "es-script-editor")
    profe.post("/language", {"language": "es", "next": "/teach/"}, page="/teach/", expect=303)
    started = profe.post(
        "/teach/drafts/new",
        {"title": "Votación", "set_id": "es-script-council", "article": ARTICLE},
        expect=303,
    )
    draft_id = location_number(started)
    page = open_page(profe.account("es-script-editor"))
    page.goto(f"/teach/drafts/{draft_id}/questions/new/true_false")
    expect(page.locator("#save-hint")).to_have_text(
        "La pregunta se guarda mientras escribes, un momento después de cada cambio."
    )
    box = page.locator("[data-evidence-for='evidence_0']")
    use = box.get_by_role("button", name="Usar como evidencia")
    status = box.locator(".use-evidence-status")
    use.click()  # nothing selected yet
    expect(status).to_have_text("Primero selecciona palabras en el texto de arriba.")
    page.get_by_label("Pregunta", exact=True).fill(
        "Los críticos dijeron que el plan fue apresurado."
    )
    page.evaluate(SELECT_WORDS, [SELECTED])
    use.click()
    expect(status).to_have_text(f"Se agregó como evidencia: «{SELECTED}»")
    expect(page.get_by_label(re.compile("Evidencia citada de"))).to_have_value(SELECTED)
    # Saved in the background: the server's reply, in Spanish.
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Guardado"))
