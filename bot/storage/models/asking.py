"""What employees asked, where their questions were escalated to, and housekeeping marks.

The text of a question is personal (a draft post may name people), so it is kept only for
POLICYBOT_RETENTION_DAYS; after that `text` is emptied and only the verdict remains.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class AskedQuestion(Base):
    """One question: "may I post this?" (check), "who handles this?" (who) or anything else."""

    __tablename__ = "asked_questions"
    __table_args__ = (Index("ix_asked_questions_covered_asked_at", "covered", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    asker: Mapped[str] = mapped_column(String(64))  # a Slack user id, or "cli"
    source: Mapped[str] = mapped_column(String(16))  # command | dm | mention | shortcut | cli
    kind: Mapped[str] = mapped_column(String(8))  # check | who | search
    language: Mapped[str] = mapped_column(String(2), default="nl")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # None once the retention period is over: only the verdict and its facts remain.
    text: Mapped[str | None] = mapped_column(Text)
    text_purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verdict: Mapped[str | None] = mapped_column(String(16))  # None for who and search
    rule_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    role_id: Mapped[str | None] = mapped_column(String(64))
    policy_version: Mapped[str | None] = mapped_column(String(64))  # label; None: no policy
    policy_number: Mapped[int | None] = mapped_column(Integer)
    covered: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where it was asked (a channel id, a message ts), for the link back when passed on.
    asked_channel: Mapped[str | None] = mapped_column(String(32))
    asked_ts: Mapped[str | None] = mapped_column(String(32))


class Escalation(Base):
    """A question passed on to a role's contact: a conversation between the role (in the
    thread of the post to them) and the asker (in a thread of their DM with the bot), open
    until someone of the role marks it answered."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("asked_questions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    asker: Mapped[str] = mapped_column(String(64), index=True)
    asker_language: Mapped[str] = mapped_column(String(2), default="nl")
    text: Mapped[str | None] = mapped_column(Text)  # emptied with the question's text
    kind: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str | None] = mapped_column(String(16))
    rule_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    role_id: Mapped[str] = mapped_column(String(64))
    role_name: Mapped[str] = mapped_column(String(255))
    contact: Mapped[str] = mapped_column(String(255))
    # Where the asker asked (to link back to it) and where the question went.
    origin_channel: Mapped[str | None] = mapped_column(String(64))
    origin_ts: Mapped[str | None] = mapped_column(String(32))
    origin_link: Mapped[str | None] = mapped_column(String(512))
    posted_channel: Mapped[str | None] = mapped_column(String(64))
    posted_ts: Mapped[str | None] = mapped_column(String(32))
    # The asker's side of the conversation: a thread in their DM with the bot.
    asker_channel: Mapped[str | None] = mapped_column(String(64))
    asker_thread_ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | failed
    reply_text: Mapped[str | None] = mapped_column(Text)  # no longer written; emptied by purge
    # The role's first reply, and who marked it answered (a button on the post to the role).
    replied_by: Mapped[str | None] = mapped_column(String(64))
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


Index("ix_escalations_posted", Escalation.posted_channel, Escalation.posted_ts)
Index("ix_escalations_asker_thread", Escalation.asker_channel, Escalation.asker_thread_ts)


class EscalationTurn(Base):
    """One message of an escalation's conversation, relayed to the other side once: the
    message's (channel, ts) is the key, so whichever instance inserts it first relays it.
    What was said is not kept: it lives in Slack, in both threads."""

    __tablename__ = "escalation_turns"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(8))  # role | asker: who wrote it
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class HousekeepingMark(Base):
    """When a periodic job last ran, shared by every instance (e.g. the retention purge)."""

    __tablename__ = "housekeeping_marks"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChannelName(Base):
    """`#channel` or `@handle` → its Slack id, so role contacts render as links without a Slack
    call each time. Keys keep their `#` or `@`; `channel_id` is None for a name that does not
    exist."""

    __tablename__ = "channel_names"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel_id: Mapped[str | None] = mapped_column(String(64))  # None: no such channel
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
