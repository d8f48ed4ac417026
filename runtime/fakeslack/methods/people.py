"""auth.test, users.*, usergroups.*: who is in the workspace."""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.methods.base import Backend, SlackError, flag, method, page, required
from runtime.fakeslack.workspace import BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID


@method("auth.test")
def auth_test(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": "Example",
        "user": BOT_NAME,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


@method("users.info")
def users_info(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    user = fake.ws.users.get(required(args, "user"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api(include_locale=flag(args, "include_locale"))}


@method("users.list")
def users_list(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    everyone = [u.to_api(flag(args, "include_locale")) for u in fake.ws.users.values()]
    members, cursor = page(everyone, args, default_limit=200)
    return {"members": members, "response_metadata": {"next_cursor": cursor}}


@method("usergroups.list")
def usergroups_list(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    include_users = flag(args, "include_users")
    return {"usergroups": [g.to_api(include_users) for g in fake.ws.usergroups.values()]}


@method("usergroups.users.list")
def usergroups_users_list(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    group = fake.ws.usergroups.get(required(args, "usergroup"))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.users)}
