"""The audit trail of the draft: every change attributed, with before and after.

Entries are only ever added. `/policy show SECTION --history` reads them back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models.policy import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_id: str,
    action: str,
    section: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        section=section,
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Change:
    """One entry of the trail: who did what to which part of the draft, when, and how it
    looked before and after (as the policy file writes it)."""

    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    section: str | None
    before: Any
    after: Any


def history(session: Session, section: str | None = None, limit: int = 200) -> list[Change]:
    """Newest first; for one section, or for the whole draft when `section` is None."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if section is not None:
        query = query.where(AuditEntry.section == section)
    return [
        Change(e.at, e.actor, e.action, e.entity, e.entity_id, e.section, e.before, e.after)
        for e in session.scalars(query)
    ]
