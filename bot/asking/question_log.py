"""Every question asked, with its verdict, rules, version and whether the policy covered it.

The text of a question is kept only POLICYBOT_RETENTION_DAYS days; `purge_expired` empties it
(and the text of escalations made from it) after that, leaving only the verdict. It runs when
the bot starts and as the scheduler's hourly chore (`bot.scheduling.chores`, which keeps the
mark of its last run, shared by every instance), never on a question's way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.storage import utcnow
from bot.storage.models.asking import AskedQuestion, Escalation
from bot.storage.prepared import Prepared
from bot.storage.writes import rows_changed

# One INSERT … RETURNING on the session's connection, prepared once (`bot.storage.prepared`):
# every question passes here, and SQLAlchemy's work around it cost more than running it.
_LOG = Prepared(
    insert(cast(Table, AskedQuestion.__table__)).returning(AskedQuestion.__table__.c.id)
)
PURGE_JOB = "asking.purge_expired"
PURGE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: datetime
    asker: str
    kind: str
    source: str
    text: str | None
    verdict: str | None
    rule_ids: list[str]
    role_id: str | None
    policy_version: str | None
    policy_number: int | None
    covered: bool
    language: str
    groups: list[str]
    asked_channel: str | None = None
    asked_ts: str | None = None


def _logged(row: AskedQuestion) -> LoggedQuestion:
    return LoggedQuestion(
        id=row.id,
        asked_at=row.asked_at,
        asker=row.asker,
        kind=row.kind,
        source=row.source,
        text=row.text,
        verdict=row.verdict,
        rule_ids=list(row.rule_ids or []),
        role_id=row.role_id,
        policy_version=row.policy_version,
        policy_number=row.policy_number,
        covered=row.covered,
        language=row.language,
        groups=list(row.groups or []),
        asked_channel=row.asked_channel,
        asked_ts=row.asked_ts,
    )


def log_question(
    session: Session,
    *,
    asker: str,
    source: str,
    kind: str,
    text: str,
    language: str,
    groups: Iterable[str] = (),
    verdict: str | None = None,
    rule_ids: Iterable[str] = (),
    role_id: str | None = None,
    policy_version: str | None = None,
    policy_number: int | None = None,
    covered: bool = True,
    at: datetime | None = None,
    asked_in: tuple[str | None, str | None] = (None, None),
) -> int:
    """Record one question; returns its id (buttons on the answer refer to it, and nothing
    else: what was answered, and where, is read back from here). `asked_in`: the channel
    and message it was asked in, when it was asked in Slack."""
    values = {
        "asked_at": at or utcnow(),
        "asker": asker,
        "source": source,
        "kind": kind,
        "language": language,
        "groups": sorted(set(groups)),
        "text": text,
        "verdict": verdict,
        "rule_ids": list(rule_ids),
        "role_id": role_id,
        "policy_version": policy_version,
        "policy_number": policy_number,
        "covered": covered,
        "asked_channel": asked_in[0],
        "asked_ts": asked_in[1],
    }
    return int(_LOG.run(session.connection(), values).scalar_one())


def get_question(session: Session, question_id: int) -> LoggedQuestion | None:
    row = session.get(AskedQuestion, question_id)
    return _logged(row) if row is not None else None


def asked_by(session: Session, asker: str, limit: int = 10) -> tuple[list[LoggedQuestion], int]:
    """The asker's own latest questions, newest first, and how many they asked in all."""
    rows = session.scalars(
        select(AskedQuestion)
        .where(AskedQuestion.asker == asker)
        .order_by(AskedQuestion.asked_at.desc(), AskedQuestion.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count()).where(AskedQuestion.asker == asker)) or 0
    return [_logged(r) for r in rows], int(total)


def uncovered_questions(session: Session, limit: int = 500) -> tuple[list[LoggedQuestion], int]:
    """Recent questions no rule or role covered, whose text is still kept; and how many
    more uncovered ones only have their verdict left (their text was purged)."""
    base = select(AskedQuestion).where(
        AskedQuestion.covered.is_(False), AskedQuestion.policy_number.is_not(None)
    )
    rows = session.scalars(
        base.where(AskedQuestion.text.is_not(None))
        .order_by(AskedQuestion.asked_at.desc(), AskedQuestion.id.desc())
        .limit(limit)
    ).all()
    purged = session.scalars(base.where(AskedQuestion.text.is_(None))).all()
    return [_logged(r) for r in rows], len(purged)


def purge_expired(session: Session, now: datetime, retention_days: int) -> int:
    """Empty the text of questions (and their escalations) older than the retention period.

    Returns how many questions lost their text. The verdict, rules, role, version and
    coverage stay, so statistics and `/policy gaps` counts survive.
    """
    cutoff = now - timedelta(days=retention_days)
    result = session.execute(
        update(AskedQuestion)
        .where(AskedQuestion.asked_at < cutoff, AskedQuestion.text.is_not(None))
        .values(text=None, text_purged_at=now)
    )
    session.execute(
        update(Escalation)
        .where(
            Escalation.created_at < cutoff,
            or_(Escalation.text.is_not(None), Escalation.reply_text.is_not(None)),
        )
        .values(text=None, reply_text=None)
    )
    return rows_changed(result)
