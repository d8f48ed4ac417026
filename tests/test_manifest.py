"""manifest.yml is valid for Slack and declares exactly what the code handles and needs."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import yaml
from slack_sdk import WebClient

from runtime.app_factory import PolicyApp

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "data" / "manifest.schema.1.0.0.json"  # vendored, see LICENSE-*

# The bot scope each Web API method needs (https://api.slack.com/methods).
METHOD_SCOPES: dict[str, set[str]] = {
    "auth_test": set(),
    "api_call": set(),  # runtime.slack_client counts failures of the methods named here
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "chat_getPermalink": set(),
    "reactions_add": {"reactions:write"},
    "reactions_remove": {"reactions:write"},
    "users_info": {"users:read", "users:read.email"},  # the profile's e-mail: the asker's own
    "users_list": {"users:read"},
    "usergroups_list": {"usergroups:read"},
    "usergroups_users_list": {"usergroups:read"},
    "conversations_open": {"im:write"},
    "conversations_info": {"channels:read"},
    # public and private channels (types=public_channel,private_channel)
    "conversations_list": {"channels:read", "groups:read"},
    "conversations_replies": {"channels:history"},
    "conversations_history": {"channels:history"},
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "views_publish": set(),
    "files_upload_v2": {"files:write"},
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "conversations_members": {"channels:read", "groups:read"},
    "assistant_threads_setStatus": {"assistant:write"},
    "assistant_threads_setSuggestedPrompts": {"assistant:write"},
    "assistant_threads_setTitle": {"assistant:write"},
}
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
    "app_home_opened": set(),
    "user_change": {"users:read"},
    "subteam_updated": {"usergroups:read"},
    "channel_rename": {"channels:read"},
    "group_rename": {"groups:read"},
    "assistant_thread_started": {"assistant:write"},
    "assistant_thread_context_changed": {"assistant:write"},
}
# Scopes that no single call names but the app needs: posting where it was not invited
# (escalations to a role's channel), reading DM channel info, the slash command itself.
IMPLIED_SCOPES = {"chat:write.public", "im:read", "commands"}


def _manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema() -> None:
    jsonschema.validate(_manifest(), json.loads(SCHEMA.read_text()))


def test_manifest_declares_exactly_what_the_app_registers(running) -> None:  # type: ignore[no-untyped-def]
    app: PolicyApp = running.app
    manifest = _manifest()
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    shortcuts = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert commands == app.declared["command"]
    assert shortcuts == app.declared["shortcut"]
    # The manifest's message.* subscriptions are all served by the app's message listeners.
    registered = {"message" if e.startswith("message") else e for e in events}
    assert registered == app.declared["event"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def _web_api_methods_called() -> set[str]:
    """Every WebClient method the code calls, found by reading the source."""
    known = {name for name in dir(WebClient) if not name.startswith("_")}
    found: set[str] = set()
    for folder in ("bot", "handlers", "runtime"):
        for path in (ROOT / folder).rglob("*.py"):
            if "fakeslack" in path.parts or "shell" in path.parts:
                continue  # the stand-in for Slack, not a client of it
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and node.attr in known and "_" in node.attr:
                    found.add(node.attr)
    return found


def test_manifest_scopes_are_exactly_what_the_code_needs() -> None:
    manifest = _manifest()
    declared = set(manifest["oauth_config"]["scopes"]["bot"])
    called = _web_api_methods_called()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these Web API methods to METHOD_SCOPES: {sorted(unknown)}"
    needed = set().union(*(METHOD_SCOPES[m] for m in called))
    needed |= set().union(
        *(EVENT_SCOPES[e] for e in manifest["settings"]["event_subscriptions"]["bot_events"])
    )
    needed |= IMPLIED_SCOPES
    assert needed <= declared, f"missing scopes: {sorted(needed - declared)}"
    assert declared <= needed, f"scopes nothing uses: {sorted(declared - needed)}"
