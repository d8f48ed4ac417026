"""The inbox (every verified request from Slack, before it is acknowledged) and the outbox
(everything the bot says to Slack, written in the same transaction as the work that says it).

Both are shared by every instance: the inbox decides which requests are new (a redelivered
event or a replayed request finds its key taken), and who runs the unfinished ones; the
outbox holds what is still to be sent, in order per conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base
from bot.storage.types import UTCDateTime

# SQLite numbers rows only through INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class InboxRecord(Base):
    """One request Slack sent us: taken in before the ack, done in the work's transaction."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_due", "state", "lease_until"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    # "event:<event_id>", or a digest of the signature of any other request
    key: Mapped[str] = mapped_column(String(96), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # event, command, action, shortcut, view …
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # cleared once done
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(8))  # pending, done, failed
    claim: Mapped[str | None] = mapped_column(String(32))  # who runs it now: a fresh token
    claimed_by: Mapped[str | None] = mapped_column(String(128))  # … at which instance
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class OutboxRow(Base):
    """One call to Slack to make (a post, a reaction, a Home tab …), in order per
    `conversation`, with a completion step (`then_hook`) to run once it has been made."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_queue", "state", "conversation", "id"),
        Index("ix_outbox_finished_at", "finished_at"),
    )

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    conversation: Mapped[str] = mapped_column(String(160))  # the order key
    kind: Mapped[str] = mapped_column(String(24))
    args: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # cleared once sent
    then_hook: Mapped[str | None] = mapped_column(String(64))
    then_args: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # for a completion step due
    request: Mapped[int | None] = mapped_column(RowId)  # the inbox record that wrote it
    state: Mapped[str] = mapped_column(String(8))  # pending, hook, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
