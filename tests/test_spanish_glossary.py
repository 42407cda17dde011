"""The Spanish catalogue keeps to the glossary in docs/i18n.md: one word for each thing."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parent.parent / "quizapp/translations/es/LC_MESSAGES/messages.po"

# A word the glossary replaces, and the word it uses instead (said in the failure).
VARIANTS = {
    r"\bmaestr[oa]s?\b|\bprofesor(a|es|as)?\b": "docente",
    r"\balumn[oa]s?\b": "estudiante",
    r"\bexamen(es)?\b": "prueba",
    r"\basignaci[oó]n(es)?\b": "tarea",
    r"\bquiz(zes)?\b": "cuestionario",
    r"\busted(es)?\b": "tú",
    r"\bpresiona(s|r)?\b": "pulsa",
    r"\bañad(e|ir|irla|irlas|irlo|irlos)\b": "agrega",
    r"\bretroalimentaci[oó]n\b": "comentarios",
    r"\btiempo l[ií]mite\b": "límite de tiempo",
    r"\ban[aá]lisis de [ií]tems\b": "análisis de preguntas",
    r"[“”]": "«…»",
}

# Names that contain a replaced word but are not it: the product's name, Moodle's root tag.
NAMES = re.compile(r"Civics Quiz|<quiz>")


def _translations() -> list[tuple[str, str]]:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        spanish = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((english, NAMES.sub("", text)) for text in spanish if text)
    return pairs


@pytest.mark.parametrize("variant", sorted(VARIANTS), ids=VARIANTS.get)
def test_the_catalogue_uses_the_glossary_word(variant: str) -> None:
    """No Spanish message uses a word the glossary replaces."""
    pattern = re.compile(variant, re.IGNORECASE)
    offending = [english for english, spanish in _translations() if pattern.search(spanish)]
    assert not offending, f"use {VARIANTS[variant]!r} in the Spanish of: {offending}"
