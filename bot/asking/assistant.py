"""The bot as Slack's AI assistant: the threads it was opened in (so their messages are the
assistant's to answer, and nobody else's), the question a suggested prompt asked whose text
comes next, and whether the thread has its title yet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.storage.models.living import AssistantThread
from bot.storage.writes import insert_once, rows_changed


def started(
    session: Session,
    channel: str,
    thread_ts: str,
    user_id: str,
    context_channel: str | None,
    now: dt.datetime,
) -> bool:
    """A thread opened; True the first time (Slack may send the event twice)."""
    return insert_once(
        session,
        AssistantThread,
        channel=channel,
        thread_ts=thread_ts,
        user_id=user_id,
        started_at=now,
        context_channel=context_channel,
        titled=False,
    )


def is_assistant_thread(session: Session, channel: str, thread_ts: str | None) -> bool:
    return bool(thread_ts) and session.get(AssistantThread, (channel, thread_ts)) is not None


def context_changed(
    session: Session, channel: str, thread_ts: str, context_channel: str | None
) -> None:
    session.execute(
        update(AssistantThread)
        .where(AssistantThread.channel == channel, AssistantThread.thread_ts == thread_ts)
        .values(context_channel=context_channel)
    )


def expect(session: Session, channel: str, thread_ts: str, kind: str | None) -> None:
    """The next message of the thread is the text of a `kind` question (None: a question of
    its own)."""
    session.execute(
        update(AssistantThread)
        .where(AssistantThread.channel == channel, AssistantThread.thread_ts == thread_ts)
        .values(pending=kind)
    )


def expected(session: Session, channel: str, thread_ts: str) -> str | None:
    row = session.get(AssistantThread, (channel, thread_ts))
    return row.pending if row is not None else None


def take_title(session: Session, channel: str, thread_ts: str) -> bool:
    """True once per thread: its first question gives it its title."""
    done = session.execute(
        update(AssistantThread)
        .where(
            AssistantThread.channel == channel,
            AssistantThread.thread_ts == thread_ts,
            AssistantThread.titled.is_(False),
        )
        .values(titled=True)
    )
    return rows_changed(done) == 1
