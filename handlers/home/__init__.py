"""The App Home tab: where the draft stands, the adopted version, what to do next.

Working-group members see the same status as `/policy status`, with a bar per section and a
button to start or resume it; everyone else sees the adopted version and how to ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext

from handlers.kit.blocks import Block
from handlers.kit.context import RequestContext, request_context
from handlers.kit.later import later

# What other capabilities add to the tab (wired in handlers/__init__.py): blocks at the top
# (a crisis banner) and at the bottom (the lead's view of how the policy is lived by).
HomePart = Callable[[RequestContext], list[Block]]


@dataclass(frozen=True)
class HomeParts:
    top: tuple[HomePart, ...] = ()
    bottom: tuple[HomePart, ...] = ()


def register(app: App, parts: HomeParts = HomeParts()) -> None:
    home_blocks = later("handlers.home.tab:home_blocks")  # imported when first opened

    def home_opened(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        ctx = request_context(context).for_user(event["user"])  # their roles, their language
        ctx.slack.publish_home(event["user"], home_blocks(ctx, parts))

    app.event("app_home_opened")(home_opened)
