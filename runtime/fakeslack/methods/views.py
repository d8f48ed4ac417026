"""views.*: modals (open, push, update) and the App Home tab (publish)."""

from __future__ import annotations

import secrets
from typing import Any

from runtime.fakeslack.activity import Activity
from runtime.fakeslack.blockkit import InvalidBlocks, check_view
from runtime.fakeslack.methods.base import Backend, SlackError, method, required
from runtime.fakeslack.workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, new_id

STACK_LIMIT = 3  # Slack keeps at most three modals on a stack


def checked_view(given: Any) -> dict[str, Any]:
    try:
        return check_view(given)
    except InvalidBlocks as invalid:
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": [f"[ERROR] {p}" for p in invalid.problems]},
        ) from None


def stored_view(
    view: dict[str, Any],
    view_id: str | None = None,
    root: str | None = None,
    previous: str | None = None,
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A view as Slack returns it: ids, hash, state, and defaults for the optional fields."""
    view_id = view_id or new_id("V")
    return {
        "id": view_id,
        "team_id": TEAM_ID,
        "type": view["type"],
        "blocks": view["blocks"],
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "state": state if state is not None else {"values": {}},
        "hash": f"{secrets.randbelow(10**10)}.{secrets.token_hex(4)}",
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "clear_on_close": bool(view.get("clear_on_close")),
        "notify_on_close": bool(view.get("notify_on_close")),
        "root_view_id": root or view_id,
        "previous_view_id": previous,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
    }


def _trigger_user(fake: Backend, args: dict[str, Any]) -> str:
    trigger_id = str(required(args, "trigger_id"))
    # A trigger the fake did not issue still works (tests make up their own); it then
    # belongs to nobody in particular.
    return fake.ws.triggers.get(trigger_id, f"trigger:{trigger_id}")


def _modal(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    view = checked_view(required(args, "view"))
    if view["type"] != "modal":
        raise SlackError("invalid_arguments")
    return view


@method("views.open")
def open_view(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    user, view = _trigger_user(fake, args), _modal(fake, args)
    for old in fake.ws.view_stacks.pop(user, []):  # a new modal replaces the user's stack
        fake.ws.views.pop(old, None)
    stored = stored_view(view)
    fake.ws.views[stored["id"]] = stored
    fake.ws.view_stacks[user] = [stored["id"]]
    fake.happened(Activity("view_open", BOT_USER_ID, user=user, data=stored))
    return {"view": stored}


@method("views.push")
def push_view(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    user, view = _trigger_user(fake, args), _modal(fake, args)
    stack = fake.ws.view_stacks.setdefault(user, [])
    if len(stack) >= STACK_LIMIT:
        raise SlackError("push_limit_reached")
    previous = stack[-1] if stack else None
    stored = stored_view(view, root=stack[0] if stack else None, previous=previous)
    fake.ws.views[stored["id"]] = stored
    stack.append(stored["id"])
    fake.happened(Activity("view_push", BOT_USER_ID, user=user, data=stored))
    return {"view": stored}


@method("views.update")
def update_view(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    view = checked_view(required(args, "view"))
    view_id, external_id = args.get("view_id"), args.get("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments")
    for user, home in fake.ws.home_views.items():  # views.update also works on home tabs
        if home.get("id") == view_id:
            stored = stored_view(view, view_id=home["id"])
            fake.ws.home_views[user] = stored
            fake.happened(Activity("home", BOT_USER_ID, user=user, data=stored))
            return {"view": stored}
    current = next(
        (
            v
            for v in fake.ws.views.values()
            if v["id"] == view_id or (external_id and v.get("external_id") == external_id)
        ),
        None,
    )
    if current is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    stored = stored_view(
        view,
        view_id=current["id"],
        root=current["root_view_id"],
        previous=current["previous_view_id"],
        state=current["state"],
    )
    fake.ws.views[current["id"]] = stored
    owner = next((u for u, ids in fake.ws.view_stacks.items() if current["id"] in ids), None)
    fake.happened(Activity("view_update", BOT_USER_ID, user=owner, data=stored))
    return {"view": stored}


@method("views.publish")
def publish(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    user = str(required(args, "user_id"))
    if user not in fake.ws.users:
        raise SlackError("user_not_found")
    view = checked_view(required(args, "view"))
    if view["type"] != "home":
        raise SlackError("invalid_arguments")
    previous = fake.ws.home_views.get(user)
    stored = stored_view(view, view_id=previous["id"] if previous else None)
    fake.ws.home_views[user] = stored
    fake.happened(Activity("home", BOT_USER_ID, user=user, data=stored))
    return {"view": stored}
