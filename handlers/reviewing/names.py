"""Names kept fresh: Slack's rename events (a person's profile, a user group, a channel)
update the names the directory keeps for documents (`bot.directory.renamed`), for the ids it
knows; ids it does not know are not collected."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot import directory
from bot.directory import CHANNEL, USER, USERGROUP
from handlers.kit.context import request_context


def register(app: App) -> None:
    app.event("user_change")(on_user_change)
    app.event("subteam_updated")(on_subteam_updated)
    app.event("channel_rename")(on_channel_rename)
    app.event("group_rename")(on_channel_rename)  # a private channel


def _rename(context: BoltContext, slack_id: str, kind: str, name: str) -> None:
    if not slack_id or not name:
        return
    with request_context(context).unit_of_work() as session:
        directory.renamed(session, slack_id, kind, name)


def on_user_change(event: dict[str, Any], context: BoltContext) -> None:
    user = event.get("user") or {}
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("name") or ""
    _rename(context, str(user.get("id") or ""), USER, str(name))


def on_subteam_updated(event: dict[str, Any], context: BoltContext) -> None:
    group = event.get("subteam") or {}
    name = group.get("handle") or group.get("name") or ""
    _rename(context, str(group.get("id") or ""), USERGROUP, str(name))


def on_channel_rename(event: dict[str, Any], context: BoltContext) -> None:
    channel = event.get("channel") or {}
    _rename(context, str(channel.get("id") or ""), CHANNEL, str(channel.get("name") or ""))
