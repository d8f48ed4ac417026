"""Questions passed on to a role: open until the role's first reply, then answered.

The Slack layer posts the question and relays the reply; this module only keeps the record.
"Answered" is decided by one conditional UPDATE, so when two instances see the same reply (or
two replies arrive at once) exactly one of them relays it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.asking.masking import mask_personal_data
from bot.storage import utcnow
from bot.storage.models.asking import Escalation
from bot.storage.writes import rows_changed

OPEN, ANSWERED, FAILED = "open", "answered", "failed"


@dataclass(frozen=True)
class EscalationView:
    id: int
    question_id: int | None
    created_at: datetime
    asker: str
    asker_language: str
    text: str | None
    kind: str
    verdict: str | None
    rule_ids: list[str]
    policy_version: str | None
    role_id: str
    role_name: str
    contact: str
    origin_link: str | None
    posted_channel: str | None
    posted_ts: str | None
    status: str
    reply_text: str | None
    replied_by: str | None
    replied_at: datetime | None


def _view(row: Escalation) -> EscalationView:
    return EscalationView(
        id=row.id,
        question_id=row.question_id,
        created_at=row.created_at,
        asker=row.asker,
        asker_language=row.asker_language,
        text=row.text,
        kind=row.kind,
        verdict=row.verdict,
        rule_ids=list(row.rule_ids or []),
        policy_version=row.policy_version,
        role_id=row.role_id,
        role_name=row.role_name,
        contact=row.contact,
        origin_link=row.origin_link,
        posted_channel=row.posted_channel,
        posted_ts=row.posted_ts,
        status=row.status,
        reply_text=row.reply_text,
        replied_by=row.replied_by,
        replied_at=row.replied_at,
    )


def open_escalation(
    session: Session,
    *,
    question_id: int | None,
    asker: str,
    asker_language: str,
    text: str | None,
    kind: str,
    verdict: str | None,
    rule_ids: list[str],
    policy_version: str | None,
    role_id: str,
    role_name: str,
    contact: str,
    origin_channel: str | None = None,
    origin_ts: str | None = None,
    origin_link: str | None = None,
) -> int:
    row = Escalation(
        question_id=question_id,
        asker=asker,
        asker_language=asker_language,
        text=mask_personal_data(text) if text else text,  # stored masked, like the log
        kind=kind,
        verdict=verdict,
        rule_ids=rule_ids,
        policy_version=policy_version,
        role_id=role_id,
        role_name=role_name,
        contact=contact,
        origin_channel=origin_channel,
        origin_ts=origin_ts,
        origin_link=origin_link,
        status=OPEN,
        details={},
    )
    session.add(row)
    session.flush()
    return row.id


def for_question(session: Session, question_id: int) -> EscalationView | None:
    """The escalation already made from this question, so a second click does not post twice."""
    row = session.scalars(
        select(Escalation)
        .where(Escalation.question_id == question_id, Escalation.status != FAILED)
        .order_by(Escalation.id)
        .limit(1)
    ).first()
    return _view(row) if row is not None else None


def get(session: Session, escalation_id: int) -> EscalationView | None:
    row = session.get(Escalation, escalation_id)
    return _view(row) if row is not None else None


def mark_posted(session: Session, escalation_id: int, channel: str, ts: str) -> None:
    row = session.get(Escalation, escalation_id)
    if row is not None:
        row.posted_channel, row.posted_ts = channel, ts


def mark_failed(session: Session, escalation_id: int, reason: str) -> None:
    row = session.get(Escalation, escalation_id)
    if row is not None:
        row.status = FAILED
        row.details = dict(row.details or {}) | {"error": reason[:200]}


def find_by_thread(session: Session, channel: str, thread_ts: str) -> EscalationView | None:
    """The escalation whose post starts the thread `thread_ts` in `channel`, if any."""
    row = session.scalars(
        select(Escalation)
        .where(Escalation.posted_channel == channel, Escalation.posted_ts == thread_ts)
        .limit(1)
    ).first()
    return _view(row) if row is not None else None


def record_reply(
    session: Session, escalation_id: int, replied_by: str, text: str, at: datetime | None = None
) -> bool:
    """Mark answered with this reply; True only for the first reply (the one to relay)."""
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == OPEN)
        .values(
            status=ANSWERED,
            reply_text=mask_personal_data(text),
            replied_by=replied_by,
            replied_at=at or utcnow(),
        )
    )
    return rows_changed(result) == 1


def list_escalations(
    session: Session, status: str | None = None, limit: int = 20
) -> list[EscalationView]:
    """Newest first; open and answered ones (failed posts are not escalations anyone saw)."""
    query = select(Escalation).order_by(Escalation.created_at.desc(), Escalation.id.desc())
    if status is not None:
        query = query.where(Escalation.status == status)
    else:
        query = query.where(Escalation.status != FAILED)
    return [_view(r) for r in session.scalars(query.limit(limit))]


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Escalation.status, func.count()).group_by(Escalation.status)
    ).all()
    return {OPEN: 0, ANSWERED: 0} | {status: count for status, count in rows}
