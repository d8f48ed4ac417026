"""The review cycle as the bot lives it: the next review date of the adopted version, and the
drafting template's question that sets the draft's `review`.

The draft keeps `review` with the top-level keys it does not interpret otherwise (the
`extras` setting), so an imported file's cycle and the working group's answer are one value
that `draft_dict` puts back at the top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.policy.review import months_of, next_review
from bot.policy.validation import parse_policy
from bot.reviewing.draft import EXTRAS, put_setting, setting
from bot.storage.models.policy import PolicyVersion

REVIEW = "review"
# A choice of the drafting template's review question → the cycle it stands for.
CYCLES: dict[str, dict[str, Any]] = {
    "yearly_q1": {"every": "1 year", "month": 3},
    "yearly": {"every": "1 year"},
    "half_yearly": {"every": "6 months"},
    "two_yearly": {"every": "2 years"},
}


@dataclass(frozen=True)
class NextReview:
    version: int
    label: str
    every: str
    due: dt.date


def next_review_of_latest(session: Session) -> NextReview | None:
    """The adopted version's next review, or None: nothing adopted, or no cycle in it."""
    row = session.scalars(
        select(PolicyVersion).order_by(PolicyVersion.number.desc()).limit(1)
    ).first()
    if row is None or not (row.document or {}).get(REVIEW):
        return None
    review = parse_policy(row.document).review
    if review is None:
        return None
    return NextReview(row.number, row.label, review.every, next_review(review, row.approved_on))


def apply_review(
    session: Session, actor: str, before: str | None, options: list[str], section: str
) -> str | None:
    """The draft's review cycle from an accepted answer to the template's question; `before`
    is the choice this answer set the last time (taken out again when the answer no longer
    sets it, unless someone changed the cycle since). Returns the choice it sets now."""
    extras = dict(setting(session, EXTRAS, {}) or {})
    chosen = next((o for o in options if o in CYCLES), None)
    if chosen is not None:
        assert months_of(str(CYCLES[chosen]["every"])) is not None
        extras[REVIEW] = dict(CYCLES[chosen])
    elif before in CYCLES and extras.get(REVIEW) == CYCLES[before]:
        extras.pop(REVIEW)
    if extras != (setting(session, EXTRAS, {}) or {}):
        put_setting(session, EXTRAS, extras, actor, section=section)
    return chosen
