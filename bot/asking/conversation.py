"""An escalation's conversation: every message either side writes in its thread is relayed to
the other side once, and someone of the role marks the question answered.

Exactly once, whichever instance sees a message: a turn is keyed by the message's own
(channel, ts), inserted with `INSERT … ON CONFLICT DO NOTHING`, and only the caller whose
insert went in relays it. State changes (the first reply, answered, reopened) are conditional
UPDATEs, so two instances never both announce one. What people wrote is not stored here:
it stays in Slack, in the two threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.asking.escalations import ANSWERED, ASKER, OPEN, ROLE
from bot.storage import utcnow
from bot.storage.models.asking import Escalation, EscalationTurn
from bot.storage.writes import insert_once, rows_changed


@dataclass(frozen=True)
class Turn:
    """What recording one message did: whether this caller relays it (`first`), and whether
    the asker's message reopened a question marked answered."""

    first: bool
    reopened: bool = False


def record_turn(
    session: Session,
    escalation_id: int,
    *,
    side: str,
    channel: str,
    ts: str,
    author: str,
    at: datetime | None = None,
) -> Turn:
    """Record the message `ts` in `channel`, written by `author` on `side` (ROLE or ASKER)."""
    at = at or utcnow()
    first = insert_once(
        session,
        EscalationTurn,
        channel=channel,
        ts=ts,
        escalation_id=escalation_id,
        side=side,
        author=author,
        at=at,
    )
    if not first:
        return Turn(first=False)
    if side == ROLE:
        session.execute(
            update(Escalation)
            .where(Escalation.id == escalation_id, Escalation.replied_by.is_(None))
            .values(replied_by=author, replied_at=at)
        )
        return Turn(first=True)
    reopened = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == ANSWERED)
        .values(status=OPEN, answered_by=None, answered_at=None)
    )
    return Turn(first=True, reopened=rows_changed(reopened) == 1)


def mark_answered(
    session: Session, escalation_id: int, by: str, at: datetime | None = None
) -> bool:
    """Close the question; True only for the one call that did (a second click, at any
    instance, finds it closed already)."""
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == OPEN)
        .values(status=ANSWERED, answered_by=by, answered_at=at or utcnow())
    )
    return rows_changed(result) == 1


@dataclass(frozen=True)
class Activity:
    """How far a conversation got: messages from each side, and who wrote last."""

    from_role: int = 0
    from_asker: int = 0
    last_side: str | None = None


def activity(session: Session, escalation_ids: Iterable[int]) -> dict[int, Activity]:
    """The conversation of each escalation, counted (no text: there is none to show)."""
    ids = list(escalation_ids)
    if not ids:
        return {}
    counts: dict[int, dict[str, int]] = {}
    rows = session.execute(
        select(EscalationTurn.escalation_id, EscalationTurn.side, func.count())
        .where(EscalationTurn.escalation_id.in_(ids))
        .group_by(EscalationTurn.escalation_id, EscalationTurn.side)
    ).all()
    for escalation_id, side, count in rows:
        counts.setdefault(escalation_id, {})[side] = count
    last: dict[int, str] = {}
    for escalation_id, side in session.execute(
        select(EscalationTurn.escalation_id, EscalationTurn.side)
        .where(EscalationTurn.escalation_id.in_(ids))
        .order_by(EscalationTurn.at, EscalationTurn.ts)
    ):
        last[escalation_id] = side
    return {
        escalation_id: Activity(
            counts.get(escalation_id, {}).get(ROLE, 0),
            counts.get(escalation_id, {}).get(ASKER, 0),
            last.get(escalation_id),
        )
        for escalation_id in ids
    }
