"""A page driven in another language: the pages list's actions, written with the English names
of buttons and fields, find them by their names in the page's language.

``pages.PAGES`` describes what a person does on a page in English (``press("Sign in")``).
``InLanguage(page, catalogue)`` hands those actions a page whose ``get_by_role(name=...)`` and
``get_by_label(...)`` look for the catalogue's translation as well, so the same list drives the
Spanish and the pseudo-locale checks. A pattern also stands for every message it matches.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from babel.support import Translations

from quizapp.i18n import TRANSLATIONS

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page


def catalogue(language: str, folder: Path = TRANSLATIONS) -> Translations:
    """The compiled catalogue of ``language`` in ``folder`` (the app's own by default)."""
    found = Translations.load(str(folder), [language])
    assert isinstance(found, Translations), f"no catalogue for {language} in {folder}"
    return found


class InLanguage:
    """A Playwright page whose role and label look-ups translate their English names."""

    def __init__(self, page: Page, translations: Translations) -> None:
        self.page = page
        self.translations = translations

    def translated(self, name: str | re.Pattern[str], exact: bool = False) -> str | re.Pattern[str]:
        """What matches the name in the page's language, or as written: a page not yet
        translated still works (the English-word check is what finds English left)."""
        if isinstance(name, str):
            shown = str(self.translations.gettext(name))
            if shown == name:
                return name
            either = f"{re.escape(shown)}|{re.escape(name)}"
            return re.compile(f"^(?:{either})$" if exact else either, 0 if exact else re.I)
        messages = [message for message in self._messages() if name.search(message)]
        shown_all = {str(self.translations.gettext(message)) for message in messages}
        if not shown_all - set(messages):
            return name
        texts = "|".join(re.escape(text) for text in sorted(shown_all))
        return re.compile(f"{name.pattern}|{texts}", name.flags)

    def _messages(self) -> list[str]:
        return [key for key in self.translations._catalog if isinstance(key, str)]

    def get_by_role(
        self, role: Any, *, name: str | re.Pattern[str] | None = None, **options: Any
    ) -> Locator:
        """``page.get_by_role`` with the name translated."""
        if name is not None:
            options["name"] = self.translated(name, exact=options.get("exact", False))
        return self.page.get_by_role(role, **options)

    def get_by_label(self, text: str | re.Pattern[str], **options: Any) -> Locator:
        """``page.get_by_label`` with the label translated."""
        return self.page.get_by_label(self.translated(text, options.get("exact", False)), **options)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.page, attribute)
