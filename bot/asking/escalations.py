"""Questions passed on to a role: open until the role's first reply, then answered.

The Slack layer posts the question and relays the reply; this module only keeps the record.
"Answered" is decided by one conditional UPDATE, so when two instances see the same reply (or
two replies arrive at once) exactly one of them relays it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from bot.asking.masking import mask_personal_data
from bot.storage import Database, utcnow
from bot.storage.models.asking import Escalation

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
    db: Database,
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
    with db.session() as session:
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


def for_question(db: Database, question_id: int) -> EscalationView | None:
    """The escalation already made from this question, so a second click does not post twice."""
    with db.session() as session:
        row = session.scalars(
            select(Escalation)
            .where(Escalation.question_id == question_id, Escalation.status != FAILED)
            .order_by(Escalation.id)
            .limit(1)
        ).first()
        return _view(row) if row is not None else None


def mark_posted(db: Database, escalation_id: int, channel: str, ts: str) -> None:
    with db.session() as session:
        row = session.get(Escalation, escalation_id)
        if row is not None:
            row.posted_channel, row.posted_ts = channel, ts


def mark_failed(db: Database, escalation_id: int, reason: str) -> None:
    with db.session() as session:
        row = session.get(Escalation, escalation_id)
        if row is not None:
            row.status = FAILED
            row.details = dict(row.details or {}) | {"error": reason[:200]}


def find_by_thread(db: Database, channel: str, thread_ts: str) -> EscalationView | None:
    """The escalation whose post starts the thread `thread_ts` in `channel`, if any."""
    with db.session() as session:
        row = session.scalars(
            select(Escalation)
            .where(Escalation.posted_channel == channel, Escalation.posted_ts == thread_ts)
            .limit(1)
        ).first()
        return _view(row) if row is not None else None


def is_escalation_thread(db: Database, channel: str, thread_ts: str) -> bool:
    with db.session() as session:
        found = session.scalar(
            select(Escalation.id)
            .where(Escalation.posted_channel == channel, Escalation.posted_ts == thread_ts)
            .limit(1)
        )
        return found is not None


def record_reply(
    db: Database, escalation_id: int, replied_by: str, text: str, at: datetime | None = None
) -> bool:
    """Mark answered with this reply; True only for the first reply (the one to relay)."""
    with db.session() as session:
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
        return (result.rowcount or 0) == 1


def list_escalations(
    db: Database, status: str | None = None, limit: int = 20
) -> list[EscalationView]:
    """Newest first; open and answered ones (failed posts are not escalations anyone saw)."""
    with db.session() as session:
        query = select(Escalation).order_by(Escalation.created_at.desc(), Escalation.id.desc())
        if status is not None:
            query = query.where(Escalation.status == status)
        else:
            query = query.where(Escalation.status != FAILED)
        return [_view(r) for r in session.scalars(query.limit(limit))]


def count_by_status(db: Database) -> dict[str, int]:
    with db.session() as session:
        rows = session.execute(
            select(Escalation.status, func.count()).group_by(Escalation.status)
        ).all()
    return {OPEN: 0, ANSWERED: 0} | {status: count for status, count in rows}
