"""The policy's review cycle (`review: {every: 12 months, month: 3}`): how often it is reviewed,
and when the next review is due.

`every` is a number of months or years, in English or Dutch (`6 months`, `1 year`,
`12 maanden`, `2 jaar`); it is kept as written, so a file comes out as it went in. `month`
(1–12, optional) is the month of the year the review falls in: the sample's "yearly, in the
first quarter" is `{every: 1 year, month: 3}`, due by the end of March.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from bot.policy.checker import Checker
from bot.policy.model import Review

_KEYS = ("every", "month")
_EVERY = re.compile(r"^\s*(\d{1,3})\s*([a-z]+)\s*$", re.IGNORECASE)
_UNITS = {
    "month": 1,
    "months": 1,
    "maand": 1,
    "maanden": 1,
    "year": 12,
    "years": 12,
    "jaar": 12,
    "jaren": 12,
}
LEEWAY_MONTHS = 9  # a review in a named month may come this much before a whole cycle
MAX_MONTHS = 120  # a policy reviewed less often than every ten years is not reviewed


def months_of(every: str) -> int | None:
    """`every` in months, or None when it is not a number of months or years."""
    found = _EVERY.match(every)
    if found is None:
        return None
    unit = _UNITS.get(found.group(2).lower())
    months = int(found.group(1)) * unit if unit else 0
    return months if 1 <= months <= MAX_MONTHS else None


def parse_review(c: Checker, value: Any) -> Review | None:
    data = c.mapping(value, "review")
    if data is None:
        return None
    extras = c.keys(data, _KEYS, "review")
    every = c.text(data, "every", "review")
    months = months_of(every) if every is not None else None
    if every is not None and months is None:
        c.fail("review.every", "format.not_a_cycle", value=repr(every))
    month = data.get("month")
    if month is not None and (
        isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12
    ):
        c.fail("review.month", "format.not_a_month", value=repr(month))
        month = None
    elif month is not None and months is not None and months % 12:
        c.fail("review.month", "format.month_needs_years", value=repr(every))
        month = None
    if every is None or months is None or (month is None and data.get("month") is not None):
        return None
    return Review(every, months, month, extras)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_review(review: Review, since: dt.date) -> dt.date:
    """When the review after `since` (the version's adoption) is due: one cycle later; with a
    `month`, the end of that month, the first one at least a cycle less nine months after
    `since` (a yearly review in March after an adoption in November is the coming March; after
    one in February, the next year's)."""
    if review.month is None:
        return _add_months(since, review.months)
    earliest = _add_months(since, review.months - LEEWAY_MONTHS)
    year = earliest.year
    if _month_end(year, review.month) < earliest:
        year += 1
    return _month_end(year, review.month)
