"""The working group's rhythm: each section's owner and deadline, the scheduled work that keeps
the project moving (reminders, digests), and management's sign-off in Slack.

Scheduled work lives here, never in memory: a job is a row with a unique key (so nobody gets
the same reminder twice), a time it is due, and a claim with a lease (`bot.storage.claims`),
so that of several instances exactly one runs it, and another one runs it if that one died.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime

# SQLite numbers rows only through INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class SectionPlan(Base):
    """Who owns a section of the draft and by when it should be written."""

    __tablename__ = "section_plans"

    section_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduledJob(Base):
    """One piece of scheduled work: due at `due_at`, run once (the key is unique, the claim
    decides who runs it, the run marks it done in the transaction of its effects)."""

    __tablename__ = "scheduled_jobs"
    __table_args__ = (Index("ix_scheduled_jobs_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # what it is about: once each
    kind: Mapped[str] = mapped_column(String(48))  # the runner registered for it
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Waits for a working day outside the quiet hours (a reminder); else due whenever.
    considerate: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(8))  # pending, done, skipped, failed
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))


class SignoffRequest(Base):
    """The lead asked management to approve a version in Slack: the document as it was then
    (what the approvers see is what is adopted), until every approver approved (adopted), one
    declined, or the lead withdrew it. At most one is open at a time."""

    __tablename__ = "signoff_requests"
    __table_args__ = (
        Index(
            "uq_signoff_requests_open",
            "state",
            unique=True,
            sqlite_where=sql_text("state = 'open'"),
            postgresql_where=sql_text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # open, adopted, declined, withdrawn
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the draft as it was asked about
    fingerprint: Mapped[str] = mapped_column(String(32))
    decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    acknowledged: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contributors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    announce_in: Mapped[str] = mapped_column(String(64))
    version: Mapped[int | None] = mapped_column(Integer)  # the number it is to get (and got)
    # False until the completion step after the ack has asked the approvers (NULL: a request
    # from before this was kept, asked in its ack or by a step still queued).
    approvers_asked: Mapped[bool | None] = mapped_column(Boolean)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # a decline's reason


class SignoffApprover(Base):
    """One approver of a sign-off request and what they decided."""

    __tablename__ = "signoff_approvers"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("signoff_requests.id", ondelete="CASCADE"), primary_key=True
    )
    approver: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str] = mapped_column(String(16))  # pending, approved, declined
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
