"""Questions passed on to a role: a conversation between the role and the asker, open until
someone of the role marks it answered (`bot.asking.conversation` keeps its turns).

The Slack layer posts the question, keeps the two threads (the role's post, and a thread in
the asker's DM with the bot) and relays the turns; this module only keeps the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.asking.masking import mask_personal_data
from bot.storage.models.asking import Escalation

OPEN, ANSWERED, FAILED = "open", "answered", "failed"
ROLE, ASKER = "role", "asker"  # the two sides of the conversation


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
    asker_channel: str | None
    asker_thread_ts: str | None
    status: str
    replied_by: str | None  # the role's first reply
    replied_at: datetime | None
    answered_by: str | None  # who marked it answered (None on escalations from before that)
    answered_at: datetime | None
    details: dict[str, str]  # how the post reached the role (the Slack layer's words)

    def side_of(self, channel: str, thread_ts: str) -> str | None:
        """Which side's thread (channel, thread_ts) is: ROLE, ASKER, or None."""
        if (channel, thread_ts) == (self.posted_channel, self.posted_ts):
            return ROLE
        if (channel, thread_ts) == (self.asker_channel, self.asker_thread_ts):
            return ASKER
        return None


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
        asker_channel=row.asker_channel,
        asker_thread_ts=row.asker_thread_ts,
        status=row.status,
        replied_by=row.replied_by,
        replied_at=row.replied_at,
        answered_by=row.answered_by or (row.replied_by if row.status == ANSWERED else None),
        answered_at=row.answered_at or (row.replied_at if row.status == ANSWERED else None),
        details={str(k): str(v) for k, v in (row.details or {}).items()},
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
    details: dict[str, str] | None = None,
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
        details=dict(details or {}),
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


def set_asker_thread(session: Session, escalation_id: int, channel: str, thread_ts: str) -> None:
    """Where the asker's side of the conversation is: a thread in their DM with the bot."""
    row = session.get(Escalation, escalation_id)
    if row is not None:
        row.asker_channel, row.asker_thread_ts = channel, thread_ts


def asker_thread_taken(session: Session, channel: str, thread_ts: str) -> bool:
    """Whether another escalation already talks in this thread of the asker's DM (then a new
    one gets a thread of its own, so every reply there has one place to go)."""
    found = select(Escalation.id).where(
        Escalation.asker_channel == channel,
        Escalation.asker_thread_ts == thread_ts,
        Escalation.status != FAILED,
    )
    return session.scalar(found.limit(1)) is not None


def mark_failed(session: Session, escalation_id: int, reason: str) -> None:
    row = session.get(Escalation, escalation_id)
    if row is not None:
        row.status = FAILED
        row.details = dict(row.details or {}) | {"error": reason[:200]}


def find_by_thread(session: Session, channel: str, thread_ts: str) -> EscalationView | None:
    """The escalation one of whose two threads is `thread_ts` in `channel`, if any: the
    role's (the post to them) or the asker's (in their DM with the bot)."""
    row = session.scalars(
        select(Escalation)
        .where(
            Escalation.status != FAILED,
            or_(
                and_(Escalation.posted_channel == channel, Escalation.posted_ts == thread_ts),
                and_(Escalation.asker_channel == channel, Escalation.asker_thread_ts == thread_ts),
            ),
        )
        .order_by(Escalation.id)
        .limit(1)
    ).first()
    return _view(row) if row is not None else None


def of_asker(session: Session, asker: str, limit: int = 50) -> list[EscalationView]:
    """The asker's own escalations, newest first (failed posts included: they should know)."""
    rows = session.scalars(
        select(Escalation)
        .where(Escalation.asker == asker)
        .order_by(Escalation.created_at.desc(), Escalation.id.desc())
        .limit(limit)
    )
    return [_view(r) for r in rows]


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
