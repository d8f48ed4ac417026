"""Dates as the organisation reads them: in its time zone, written the way its language writes
them ("30 november 2026", "30 November 2026"), by Babel's CLDR data rather than our own tables.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime

# The locale whose conventions a policy language writes in (and its proofing language).
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def language_tag(lang: str) -> str:
    """The BCP 47 tag of a policy language: `nl-NL`, `en-GB` (Word proofing, `<html lang>`)."""
    return locale_of(lang).replace("_", "-")


def local_date(moment: dt.datetime | dt.date, zone: ZoneInfo) -> dt.date:
    """The calendar date of `moment` in `zone`; a date is already one."""
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(zone).date()
    return moment


def format_date(day: dt.date | dt.datetime, lang: str, zone: ZoneInfo | None = None) -> str:
    """`30 november 2026` / `30 November 2026`; a datetime is first put in `zone`."""
    if isinstance(day, dt.datetime):
        day = local_date(day, zone or ZoneInfo("UTC"))
    return babel_format_date(day, format="long", locale=locale_of(lang))


def format_moment(moment: dt.datetime, lang: str, zone: ZoneInfo) -> str:
    """`30 november 2026 14:05` in `zone`: date and local time, as the language writes them."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    local = aware.astimezone(zone)
    day = babel_format_date(local.date(), format="long", locale=locale_of(lang))
    time = babel_format_datetime(local, format="HH:mm", tzinfo=zone, locale=locale_of(lang))
    return f"{day} {time}"
