"""Helpers the drafting tests share: starting a session, reading the thread, clicking.

No tests here; everything goes through signed requests and the fake's record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import people
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftRole, DraftRule
from runtime.fakeslack.inbound import message_changed_event, message_deleted_event
from tests.conftest import ADMIN, RunningApp

DRAFT_CHANNEL = "C0DRAFT"
WILLEM, WENDY, CARLA, ERIK, EMMA = "UWG00001", "UWG00002", "UCOMMS01", "UEMP0001", "UEMP0002"


def working_group(running: RunningApp, *users: str) -> None:
    with running.db.session() as session:
        for user in users:
            people.grant(session, ADMIN, user, people.WORKING_GROUP)


def start(running: RunningApp, user: str, section: str, channel: str = DRAFT_CHANNEL) -> str:
    """`/policy draft SECTION` in `channel`; the thread's ts (the session message's)."""
    before = {m.ts for m in running.fake.bot_messages(channel)}
    running.slack.command(user, f"draft {section}", channel)
    posted = [
        m for m in running.fake.bot_messages(channel) if m.ts not in before and not m.is_reply
    ]
    assert posted, f"no session message; calls: {[str(c) for c in running.fake.calls]}"
    return posted[-1].ts


def thread(running: RunningApp, thread_ts: str, channel: str = DRAFT_CHANNEL) -> list[Any]:
    """What the bot posted in the thread after the session message, oldest first."""
    return [m for m in running.fake.bot_messages(channel, thread_ts) if m.ts != thread_ts]


def last_post(running: RunningApp, thread_ts: str, channel: str = DRAFT_CHANNEL) -> Any:
    posts = thread(running, thread_ts, channel)
    assert posts, "the bot posted nothing in the thread"
    return posts[-1]


def text_of(message: Any) -> str:
    """A message's text and every text in its blocks, for assertions."""
    parts = [message.text or ""]
    for block in message.blocks or []:
        parts.append(str((block.get("text") or {}).get("text", "")))
        for element in block.get("elements") or []:
            parts.append(str(element.get("text", "")) if isinstance(element, dict) else "")
    return "\n".join(parts)


def element(message: Any, action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(block, element) of the interactive element with `action_id` in a posted message."""
    for block in message.blocks or []:
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("action_id") == action_id:
                return block, candidate
    raise AssertionError(f"no element {action_id!r} in the message")


def click(
    running: RunningApp,
    user: str,
    message: Any,
    action_id: str,
    *,
    value: str | None = None,
    selected: list[str] | None = None,
) -> None:
    """Press a button, or pick options in a select, on a message the bot posted."""
    block, found = element(message, action_id)
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block.get("block_id"),
        "type": found["type"],
    }
    if found["type"] == "button":
        action["value"] = found.get("value", "") if value is None else value
    elif found["type"] == "multi_static_select":
        action["selected_options"] = [{"value": v} for v in selected or []]
    else:
        action["selected_option"] = {"value": (selected or [""])[0]}
    running.slack.block_action(user, action, channel=message.channel, message=message.to_api())


def edit(running: RunningApp, channel: str, ts: str, text: str) -> None:
    previous, current = running.fake.edit_user_message(channel, ts, text)
    running.slack.event(message_changed_event(channel, "channel", previous, current))


def delete(running: RunningApp, channel: str, ts: str) -> None:
    previous = running.fake.delete_user_message(channel, ts)
    running.slack.event(message_deleted_event(channel, "channel", previous))


def contributions(running: RunningApp, status: str | None = "active") -> list[Contribution]:
    with running.db.session() as session:
        query = select(Contribution).order_by(Contribution.id)
        if status:
            query = query.where(Contribution.status == status)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def draft_rules(running: RunningApp) -> list[DraftRule]:
    with running.db.session() as session:
        rows = list(session.scalars(select(DraftRule).order_by(DraftRule.position)))
        session.expunge_all()
        return rows


def draft_roles(running: RunningApp) -> list[DraftRole]:
    with running.db.session() as session:
        rows = list(session.scalars(select(DraftRole).order_by(DraftRole.position)))
        session.expunge_all()
        return rows


def session_row(running: RunningApp, thread_ts: str) -> DraftingSession:
    with running.db.session() as session:
        row = session.scalar(select(DraftingSession).where(DraftingSession.thread_ts == thread_ts))
        assert row is not None
        session.expunge(row)
        return row


def replies_to(running: RunningApp) -> list[str]:
    """Texts of every private answer to a slash command, oldest first."""
    return [c.args.get("text", "") for c in running.fake.calls_for("response_url")]


def message_changed(channel: str, previous: dict[str, Any], current: dict[str, Any]) -> dict:
    return message_changed_event(channel, "channel", previous, current)


def message_deleted(channel: str, previous: dict[str, Any]) -> dict:
    return message_deleted_event(channel, "channel", previous)
