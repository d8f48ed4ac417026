"""Crisis mode: while it is on, every "may I post this?" answer is at least *review*, sent to
the crisis role, with the reason.

The crisis role is the policy's role with id `crisis`; a policy without one sends askers to
the communications lead (or, without one, the first admin). One period is open at a time
(`CrisisPeriod.open_marker` is unique); turning it on or off is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import audit, people
from bot.i18n import t
from bot.policy.model import PolicyDocument
from bot.storage.changes import RowCache
from bot.storage.models.living import CrisisPeriod
from bot.storage.writes import insert_once, rows_changed
from bot.vocabulary import Verdict

CRISIS_ROLE = "crisis"  # the id of the role a policy marks for crisis communication
OPEN = "open"
MAX_REASON = 500


@dataclass(frozen=True)
class Crisis:
    id: int
    reason: str
    since: dt.datetime
    started_by: str
    announce_in: str | None
    ended_at: dt.datetime | None = None
    ended_by: str | None = None

    @classmethod
    def of(cls, row: CrisisPeriod) -> Crisis:
        return cls(
            row.id,
            row.reason,
            row.started_at,
            row.started_by,
            row.announce_in,
            row.ended_at,
            row.ended_by,
        )

    def as_json(self) -> dict[str, str]:
        """`check --json`'s `"crisis": {"since", "reason"}`."""
        return {"since": self.since.isoformat(), "reason": self.reason}


_open: RowCache[str, Crisis | None] = RowCache("crisis_periods", size=1)


def current(session: Session) -> Crisis | None:
    """The open crisis period, if any (every answer asks: kept in memory until the table
    changes, through any instance)."""

    def load() -> Crisis | None:
        row = session.scalars(select(CrisisPeriod).where(CrisisPeriod.open_marker == OPEN)).first()
        return Crisis.of(row) if row is not None else None

    return _open.get(session, OPEN, load)


def turn_on(
    session: Session, actor: str, reason: str, announce_in: str | None, now: dt.datetime
) -> tuple[Crisis, bool]:
    """Crisis mode on; (the period, whether this call started it: False when it was on)."""
    reason = " ".join(reason.split())[:MAX_REASON]
    started = insert_once(
        session,
        CrisisPeriod,
        open_marker=OPEN,
        reason=reason,
        started_by=actor,
        started_at=now,
        announce_in=announce_in,
    )
    crisis = current(session)
    assert crisis is not None  # inserted now, or open already
    if started:
        audit.record(
            session,
            actor=actor,
            entity="crisis",
            entity_id=str(crisis.id),
            action="on",
            after={"reason": reason, "announce_in": announce_in},
        )
    return crisis, started


def turn_off(session: Session, actor: str, now: dt.datetime) -> Crisis | None:
    """Crisis mode off; the period that ended, or None when it was not on."""
    crisis = current(session)
    if crisis is None:
        return None
    ended = session.execute(
        update(CrisisPeriod)
        .where(CrisisPeriod.id == crisis.id, CrisisPeriod.open_marker == OPEN)
        .values(open_marker=None, ended_at=now, ended_by=actor)
    )
    if rows_changed(ended) != 1:
        return None  # another lead turned it off at the same moment
    audit.record(
        session,
        actor=actor,
        entity="crisis",
        entity_id=str(crisis.id),
        action="off",
        before={"reason": crisis.reason, "since": crisis.since.isoformat()},
    )
    return Crisis(
        crisis.id, crisis.reason, crisis.since, crisis.started_by, crisis.announce_in, now, actor
    )


def crisis_role(
    session: Session, document: PolicyDocument, admins: frozenset[str]
) -> dict[str, str]:
    """Whom answers send people to during a crisis, as a check answer's `role`."""
    role = document.role(CRISIS_ROLE)
    if role is not None:
        return {"id": role.id, "name": role.name, "contact": role.contact, "handles": role.handles}
    leads = people.holders(session, admins, people.COMMS_LEAD) or people.holders(
        session, admins, people.ADMIN
    )
    contact = f"@{leads[0].user_id}" if leads else ""
    lang = document.language
    return {
        "id": "lead",
        "name": t(lang, "living.crisis.lead_role"),
        "contact": contact,
        "handles": t(lang, "living.crisis.lead_handles"),
    }


def during_crisis(
    session: Session, document: PolicyDocument, admins: frozenset[str], data: dict[str, Any]
) -> dict[str, Any]:
    """A check answer's JSON as crisis mode has it (unchanged when it is off): the verdict at
    least review, the crisis role to ask, and `crisis: {since, reason}`."""
    crisis = current(session)
    if crisis is None:
        return data
    changed = dict(data)
    if Verdict(data.get("verdict") or Verdict.ALLOWED) == Verdict.ALLOWED:
        changed["verdict"] = Verdict.REVIEW.value
    changed["role"] = crisis_role(session, document, admins)
    changed["crisis"] = crisis.as_json()
    return changed


def history(session: Session, limit: int = 10) -> list[Crisis]:
    rows = session.scalars(select(CrisisPeriod).order_by(CrisisPeriod.id.desc()).limit(limit))
    return [Crisis.of(row) for row in rows]
