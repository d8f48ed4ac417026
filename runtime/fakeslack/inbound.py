"""The payloads Slack sends to an app: slash commands, Events API callbacks, interactivity.

Shapes follow Slack's documentation (trimmed of fields no listener reads). Encode them with
`runtime.fakeslack.signing` and hand them to `app.dispatch()`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from runtime.fakeslack.workspace import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID

VERIFICATION_TOKEN = "fake-verification-token"  # deprecated by Slack, still sent


def user_ref(user_id: str, name: str) -> dict[str, str]:
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def team_ref() -> dict[str, str]:
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def now_ts() -> str:
    return f"{time.time():.6f}"


def slash_command(
    command: str,
    text: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    trigger_id: str,
    response_url: str,
) -> dict[str, str]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def event_callback(event: dict[str, Any]) -> dict[str, Any]:
    """The Events API envelope; every delivery gets a new `event_id`, as Slack's do."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:12].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_event(
    user: str,
    channel: str,
    text: str,
    ts: str,
    channel_type: str,
    thread_ts: str | None = None,
    kind: str = "message",
) -> dict[str, Any]:
    """A `message` (or, with kind="app_mention", an `app_mention`) event."""
    event: dict[str, Any] = {
        "type": kind,
        "user": user,
        "text": text,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }
    if kind == "message":
        event["channel_type"] = channel_type
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message_changed_event(
    channel: str, channel_type: str, previous: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    ts = now_ts()
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "channel_type": channel_type,
        "ts": ts,
        "event_ts": ts,
        "message": current,
        "previous_message": previous,
    }


def message_deleted_event(
    channel: str, channel_type: str, previous: dict[str, Any]
) -> dict[str, Any]:
    ts = now_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel,
        "channel_type": channel_type,
        "ts": ts,
        "event_ts": ts,
        "deleted_ts": previous["ts"],
        "previous_message": previous,
    }


def app_home_opened_event(
    user: str, channel: str, view: dict[str, Any] | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": "home",
        "event_ts": now_ts(),
    }
    if view:
        event["view"] = view
    return event


def block_actions(
    user: dict[str, str],
    actions: list[dict[str, Any]],
    container: dict[str, Any],
    trigger_id: str,
    *,
    channel: dict[str, str] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    """A button press or menu choice; `container` says whether on a message or in a view."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id,
        "team": team_ref(),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": actions,
        "state": {"values": {}},
    }
    if channel:
        payload["channel"] = channel
    if message:
        payload["message"] = message
    if view:
        payload["view"] = view
    if response_url:
        payload["response_url"] = response_url
    return payload


def message_action(
    callback_id: str,
    user: dict[str, str],
    channel: dict[str, str],
    message: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """A message shortcut ("…" menu on a message)."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": now_ts(),
        "team": team_ref(),
        "user": user,
        "channel": channel,
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }


def view_submission(
    user: dict[str, str], view: dict[str, Any], values: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    submitted = dict(view, state={"values": values})
    return {
        "type": "view_submission",
        "team": team_ref(),
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(user: dict[str, str], view: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "view_closed",
        "team": team_ref(),
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "view": view,
        "is_cleared": False,
        "is_enterprise_install": False,
        "enterprise": None,
    }
