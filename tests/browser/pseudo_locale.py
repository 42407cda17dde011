"""A pseudo-locale made at test time: every message of the catalogue 40% longer, accented.

Spanish runs about a quarter longer than English, and other languages more. The pseudo-locale
makes every message of the interface longer than that (each word lengthened, padding at the
end), with accents that show which text went through gettext, while its placeholders, HTML tags,
entities and web addresses stay as they are. It is compiled into a folder of its own, which the app reads
beside its own catalogues (``BABEL_TRANSLATION_DIRECTORIES`` takes several, separated by ``;``)
under a real locale code (Babel formats its dates and numbers): ``en_001``, English (World).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from quizapp.i18n import TRANSLATIONS

PSEUDO_LOCALE = "en_001"
#: How the switch names the pseudo-locale, and what the browser asks for to get it.
PSEUDO_NAME = "Ƥšéúđó"
PSEUDO_ACCEPT_LANGUAGE = "en-001"
#: How much longer every message gets.
LENGTHENING = 0.4
#: Kept as written: placeholders (%(name)s, %s, %%), HTML tags, entities, and web addresses (a
#: translation keeps https://canvas.instructure.com as it is).
KEPT = re.compile(r"%\([^)]+\)[a-z]|%[a-z%]|<[^>]*>|&#?\w+;|https?://[^\s<>\"]+")
WORD = re.compile(r"[A-Za-z]+")
ACCENTED = str.maketrans("aeiouncyAEIOUNCY", "áéíóúñçýÁÉÍÓÚÑÇÝ")
FILLER = "ē"


def _lengthen_words(text: str) -> str:
    """Each word accented and 40% longer."""
    return WORD.sub(
        lambda word: (
            word.group().translate(ACCENTED) + FILLER * math.ceil(LENGTHENING * len(word.group()))
        ),
        text,
    )


def lengthened(message: str) -> str:
    """``message`` at least 40% longer, accented, its placeholders, tags and entities kept."""
    pieces: list[str] = []
    shown = 0
    position = 0
    for kept in KEPT.finditer(message):
        pieces += [_lengthen_words(message[position : kept.start()]), kept.group()]
        shown += kept.start() - position
        position = kept.end()
    pieces.append(_lengthen_words(message[position:]))
    shown += len(message) - position
    result = "".join(pieces)
    added = len(result) - len(message)
    missing = math.ceil(LENGTHENING * shown) - added
    if missing > 0:
        result += " " + FILLER * (missing - 1) if missing > 1 else FILLER
    return result


def write_pseudo_catalogue(folder: Path, source_language: str = "es") -> Path:
    """Compile the pseudo-locale from every message of ``source_language``'s catalogue (which
    ``tools/i18n.py update`` fills with every message of the app) into ``folder``; ``folder``."""
    with (TRANSLATIONS / source_language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        source = read_po(handle, locale=source_language)
    pseudo = Catalog(locale=PSEUDO_LOCALE)
    for message in source:
        if not message.id:
            continue  # the header
        if isinstance(message.id, tuple | list):
            forms = tuple(lengthened(form) for form in message.id)
            pseudo.add(tuple(message.id), forms, flags=message.flags - {"fuzzy"})
        else:
            pseudo.add(message.id, lengthened(message.id), flags=message.flags - {"fuzzy"})
    compiled = folder / PSEUDO_LOCALE / "LC_MESSAGES" / "messages.mo"
    compiled.parent.mkdir(parents=True, exist_ok=True)
    with compiled.open("wb") as handle:
        write_mo(handle, pseudo)
    return folder
