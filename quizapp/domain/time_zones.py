"""How time zones are named to teachers: U.S. schools' zones by the names people use."""

from __future__ import annotations

from .i18n import lazy_gettext

#: The zones of U.S. schools, listed first in the time-zone menu, with the names people use.
US_TIME_ZONES = {
    "America/New_York": lazy_gettext("Eastern time (New York)"),
    "America/Chicago": lazy_gettext("Central time (Chicago)"),
    "America/Denver": lazy_gettext("Mountain time (Denver)"),
    "America/Phoenix": lazy_gettext("Mountain time without daylight saving (Phoenix)"),
    "America/Los_Angeles": lazy_gettext("Pacific time (Los Angeles)"),
    "America/Anchorage": lazy_gettext("Alaska time (Anchorage)"),
    "Pacific/Honolulu": lazy_gettext("Hawaii time (Honolulu)"),
    "America/Puerto_Rico": lazy_gettext("Atlantic time (Puerto Rico)"),
    "Pacific/Guam": lazy_gettext("Chamorro time (Guam)"),
    "Pacific/Pago_Pago": lazy_gettext("Samoa time (Pago Pago)"),
}


def time_zone_label(name: str) -> str:
    """A zone as the time-zone menu names it: "Central time (Chicago)", "Europe/Paris"."""
    label = US_TIME_ZONES.get(name)
    return str(label) if label is not None else name.replace("_", " ")
