"""The organisation's clock: its time zone, its working days and its quiet hours.

Parsed from the settings (`POLICYBOT_TIMEZONE`, `POLICYBOT_WORKING_DAYS`,
`POLICYBOT_QUIET_HOURS`) into typed values, so that whatever schedules work (reminders,
deadlines) or writes a date (documents) asks these instead of parsing strings again.
Each parser raises ValueError with a one-line reason; `bot.settings` names the variable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Amsterdam"
DEFAULT_WORKING_DAYS = "mon-fri"
DEFAULT_QUIET_HOURS = "18:00-08:30"

# Monday is 0, as `date.weekday()` counts.
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_timezone(raw: str) -> ZoneInfo:
    """An IANA time zone name (`Europe/Amsterdam`)."""
    name = raw.strip()
    # ZoneInfo reads a file by this name: keep it to what IANA names look like.
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", name):
        raise ValueError(f"{raw!r} is not a time zone name: use e.g. {DEFAULT_TIMEZONE}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{raw!r} is not a known time zone: use e.g. {DEFAULT_TIMEZONE}") from None


@dataclass(frozen=True)
class WorkingDays:
    """The weekdays work happens on (0 = Monday … 6 = Sunday)."""

    days: frozenset[int]

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.date):
            return day.weekday() in self.days
        return day in self.days

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        for offset in range(7):
            candidate = day + dt.timedelta(days=offset)
            if candidate.weekday() in self.days:
                return candidate
        raise AssertionError("WorkingDays always holds at least one day")


def parse_working_days(raw: str) -> WorkingDays:
    """`mon-fri`, `mon-sun`, `mon,wed,fri`, `sun-thu` (a range may wrap past Sunday)."""
    days: set[int] = set()
    hint = "use day names mon…sun, as a range or a list, e.g. mon-fri or mon,wed,fri"
    for part in raw.lower().replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(f"{raw!r} is not a list of days: {hint}")
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if last else start
        length = (end - start) % 7 + 1
        days.update((start + i) % 7 for i in range(length))
    if not days:
        raise ValueError(f"{raw!r} names no day: {hint}")
    return WorkingDays(frozenset(days))


@dataclass(frozen=True)
class QuietHours:
    """Local hours in which nobody is disturbed; `start` after `end` wraps past midnight."""

    start: dt.time
    end: dt.time

    def __contains__(self, moment: object) -> bool:
        if isinstance(moment, dt.datetime):
            moment = moment.timetz().replace(tzinfo=None)
        if not isinstance(moment, dt.time):
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def parse_quiet_hours(raw: str) -> QuietHours | None:
    """`18:00-08:30` (local time); an empty value means no quiet hours."""
    text = raw.strip()
    if not text:
        return None
    hint = "use HH:MM-HH:MM, e.g. 18:00-08:30, or leave it empty for none"
    first, sep, last = text.partition("-")
    start, end = _TIME.match(first.strip()), _TIME.match(last.strip())
    if not sep or start is None or end is None:
        raise ValueError(f"{raw!r} is not a span of hours: {hint}")
    begin = dt.time(int(start.group(1)), int(start.group(2)))
    until = dt.time(int(end.group(1)), int(end.group(2)))
    if begin == until:
        raise ValueError(f"{raw!r} starts and ends at the same time: {hint}")
    return QuietHours(begin, until)


@dataclass(frozen=True)
class Calendar:
    """When the organisation may be disturbed: its working days outside its quiet hours, in
    its time zone. Reminders are due at such moments and wait for the next one otherwise."""

    zone: ZoneInfo
    working_days: WorkingDays
    quiet: QuietHours | None

    def local(self, moment: dt.datetime) -> dt.datetime:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(self.zone)

    def today(self, now: dt.datetime) -> dt.date:
        return self.local(now).date()

    def may_disturb(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        return local.date() in self.working_days and (
            self.quiet is None or local.time() not in self.quiet
        )

    def morning(self, day: dt.date) -> dt.datetime:
        """The first moment of `day` (local) outside the quiet hours, as an aware UTC time:
        when the working day starts (the quiet hours' end, or midnight without them)."""
        start = dt.time(0, 0)
        if self.quiet is not None and dt.time(0, 0) in self.quiet:
            start = self.quiet.end
        local = dt.datetime.combine(day, start, tzinfo=self.zone)
        return local.astimezone(dt.UTC)

    def next_moment(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself when it may disturb, else the first moment after it that may: the
        end of the quiet hours, or the morning of the next working day."""
        local = self.local(moment)
        for _ in range(16):  # a week of days, each with at most one quiet span to skip
            if self.may_disturb(local):
                return local.astimezone(dt.UTC)
            if local.date() not in self.working_days:
                day = self.working_days.next_working_day(local.date() + dt.timedelta(days=1))
                local = self.local(self.morning(day))
                continue
            assert self.quiet is not None  # a working day that may not disturb: quiet now
            end = dt.datetime.combine(local.date(), self.quiet.end, tzinfo=self.zone)
            if end <= local:  # quiet until tomorrow's end of the quiet hours
                end = dt.datetime.combine(
                    local.date() + dt.timedelta(days=1), self.quiet.end, tzinfo=self.zone
                )
            local = end
        raise AssertionError("no moment to disturb within a week")

    def after_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """`days` working days after `moment`, at the same local time (a question asked on
        Friday afternoon has waited one working day on Monday afternoon), then the first
        moment that may disturb."""
        local = self.local(moment)
        counted = 0
        day = local.date()
        while counted < days:
            day += dt.timedelta(days=1)
            if day in self.working_days:
                counted += 1
        later = dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=self.zone)
        return self.next_moment(later)

    def working_days_before(self, day: dt.date, days: int) -> dt.date:
        """The working day `days` working days before `day` (for a reminder ahead of a
        deadline)."""
        counted = 0
        while counted < days:
            day -= dt.timedelta(days=1)
            if day in self.working_days:
                counted += 1
        return day
