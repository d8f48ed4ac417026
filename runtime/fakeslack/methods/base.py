"""The registry of fake Web API methods and the helpers each method uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from runtime.fakeslack.activity import Activity
from runtime.fakeslack.workspace import Workspace


class Backend(Protocol):
    """What a method may use of the stand-in (`FakeSlack` is one): the workspace it changes,
    the feed it reports changes to, and its own address (for upload URLs). The caller holds
    the lock that guards the workspace."""

    ws: Workspace
    base_url: str

    def happened(self, activity: Activity) -> None: ...


Handler = Callable[[Backend, dict[str, Any]], dict[str, Any]]
METHODS: dict[str, Handler] = {}


class SlackError(Exception):
    """Answer `{"ok": false, "error": error, **extra}` (HTTP 200, as Slack does)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


def required(args: dict[str, Any], name: str) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": [f"[ERROR] missing required field: {name}"]},
        )
    return value


def flag(args: dict[str, Any], name: str) -> bool:
    """Booleans arrive as true/false, "true"/"false" or "1"/"0" depending on the encoding."""
    value = args.get(name)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def number(args: dict[str, Any], name: str, default: int) -> int:
    try:
        return int(args.get(name) or default)
    except (TypeError, ValueError):
        raise SlackError("invalid_arguments") from None


def page(items: list[Any], args: dict[str, Any], default_limit: int = 100) -> tuple[list, str]:
    """Cursor pagination: the cursor is the offset, which is all a test double needs."""
    start = number(args, "cursor", 0) if str(args.get("cursor") or "").isdigit() else 0
    limit = number(args, "limit", default_limit) or default_limit
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    return chunk, str(start + limit) if more else ""
