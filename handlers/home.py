"""The App Home tab: where the draft stands, the adopted version, what to do next."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers.blocks import Block, context, header, section
from handlers.context import RequestContext, request_context

log = logging.getLogger(__name__)


def register(app: App) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, request_context(context), event["user"])


def publish_home(client: WebClient, ctx: RequestContext, user_id: str) -> None:
    client.views_publish(user_id=user_id, view={"type": "home", "blocks": home_blocks(ctx)})


def home_blocks(ctx: RequestContext) -> list[Block]:
    blocks: list[Block] = [header(ctx.t("home.title")), section(ctx.t("home.intro"))]
    blocks.append(context(ctx.t("home.next_steps")))
    return blocks
