"""Planners: functions that look at the state of things on every turn of the scheduler and
schedule the jobs it calls for (`jobs.schedule`, whose keys make a second look harmless).

Each capability registers its own (`@planner("rhythm:deadlines")`); the turn runs them all,
each in a transaction of its own, before it runs the jobs that are due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from bot.schedule import Calendar

WINDOW = timedelta(days=60)  # planners look back this far, well inside jobs.KEEP


@dataclass(frozen=True)
class Moment:
    """What a planner is told: the time, the organisation's calendar, and the admins named in
    the settings (who stand in for a communications lead when there is none)."""

    now: datetime
    calendar: Calendar
    admins: frozenset[str]


Planner = Callable[[Session, Moment], None]
P = TypeVar("P", bound=Planner)
PLANNERS: dict[str, Planner] = {}


def planner(name: str) -> Callable[[P], P]:
    """Register a planner under `name`."""

    def register(fn: P) -> P:
        if PLANNERS.get(name, fn) is not fn:
            raise ValueError(f"planner {name} is registered twice")
        PLANNERS[name] = fn
        return fn

    return register
