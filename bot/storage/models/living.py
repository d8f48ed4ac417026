"""Living by the adopted policy: who was asked to acknowledge a version and when they did,
crisis mode, and the answers asked again when a new version was adopted.

An acknowledgement request is one row per (version, person): whichever instance inserts it
sends the direct message, so nobody is asked twice. A crisis period is open while `ended_at`
is empty; `open_marker` is "open" then (NULL after), and unique, so two leads turning crisis
mode on at once open one period.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, utcnow
from bot.storage.types import UTCDateTime


class AckCampaign(Base):
    """The lead asked an audience (a channel, a user group, the workspace) to acknowledge a
    version."""

    __tablename__ = "ack_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, index=True)
    audience: Mapped[str] = mapped_column(String(16))  # channel | usergroup | workspace
    target: Mapped[str | None] = mapped_column(String(64))  # the channel or user group id
    started_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    asked: Mapped[int] = mapped_column(Integer, default=0)  # people newly asked
    document_link: Mapped[str | None] = mapped_column(String(512))  # the version, shared


class AckRequest(Base):
    """One person asked to acknowledge one version; `acknowledged_at` once they did."""

    __tablename__ = "ack_requests"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(Integer, index=True)
    scope: Mapped[str] = mapped_column(String(16))  # full | changes (since their last one)
    since_version: Mapped[int | None] = mapped_column(Integer)  # for `changes`
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # their policy groups
    language: Mapped[str] = mapped_column(String(2), default="nl")
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str | None] = mapped_column(String(64))  # the DM, once sent
    ts: Mapped[str | None] = mapped_column(String(32))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # their own copy of the document, where the audience had no channel to share it in
    document_link: Mapped[str | None] = mapped_column(String(512))


class CrisisPeriod(Base):
    """Crisis mode, from `started_at` until `ended_at`."""

    __tablename__ = "crisis_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    open_marker: Mapped[str | None] = mapped_column(String(8), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    started_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_by: Mapped[str | None] = mapped_column(String(64))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    announce_in: Mapped[str | None] = mapped_column(String(64))


class RecheckRun(Base):
    """The questions of the retention period asked again of a new version, once per version."""

    __tablename__ = "recheck_runs"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    asked: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)


class RecheckNotice(Base):
    """A question whose answer changed with `version`; the asker is told once (`sent_at`)."""

    __tablename__ = "recheck_notices"

    question_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    asker: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    text: Mapped[str | None] = mapped_column(Text)  # masked, as the log keeps it
    old_verdict: Mapped[str] = mapped_column(String(16))
    new_verdict: Mapped[str] = mapped_column(String(16))
    rule_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # the rules that changed
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AssistantThread(Base):
    """A thread of the bot as Slack's AI assistant (in someone's DM with the bot): known, so
    its messages are the assistant's to answer; `pending` is the question a suggested prompt
    asked ("may I post this?") whose text the next message brings; `context_channel` the
    channel the person was looking at."""

    __tablename__ = "assistant_threads"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    context_channel: Mapped[str | None] = mapped_column(String(64))
    pending: Mapped[str | None] = mapped_column(String(8))
    titled: Mapped[bool] = mapped_column(Boolean, default=False)
