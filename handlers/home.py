"""The App Home tab: where the draft stands, the adopted version, what to do next.

Working-group members see the same status as `/policy status`, with a bar per section and a
button to start or resume it; everyone else sees the adopted version and how to ask.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import people
from bot.drafting import sessions
from bot.drafting.status import DraftStatus, SectionStatus, draft_status
from handlers.blocks import Block, button, context, divider, header, section
from handlers.context import RequestContext, request_context
from handlers.drafting_views import adopted_line, section_line, start_button
from handlers.slack_text import esc

log = logging.getLogger(__name__)


def register(app: App) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, request_context(context), event["user"])


def publish_home(client: WebClient, ctx: RequestContext, user_id: str) -> None:
    if ctx.user_id != user_id:  # roles and language are those of the person looking
        ctx = RequestContext(ctx.services, client, user_id)
    client.views_publish(user_id=user_id, view={"type": "home", "blocks": home_blocks(ctx)})


def home_blocks(ctx: RequestContext) -> list[Block]:
    status = draft_status(ctx.db)
    blocks: list[Block] = [header(ctx.t("home.title"))]
    if ctx.has_role(people.WORKING_GROUP):
        blocks += drafting_blocks(ctx, status)
    else:
        blocks += [section(ctx.t("home.intro")), section(adopted_line(ctx.lang, status))]
        blocks.append(context(ctx.t("home.next_steps")))
    return blocks


def drafting_blocks(ctx: RequestContext, status: DraftStatus) -> list[Block]:
    lang = ctx.lang
    links = {s.section_id: s.permalink for s in reversed(sessions.open_sessions(ctx.db))}
    blocks: list[Block] = [
        section(ctx.t("home.intro_working_group")),
        section(adopted_line(lang, status)),
        divider(),
        section(ctx.t("home.sections_title")),
    ]
    for number, item in enumerate(status.sections, start=1):
        blocks.append(
            section(section_line(lang, number, item), accessory=_section_button(ctx, item, links))
        )
    blocks.append(divider())
    following = status.next_section
    if following is None:
        blocks.append(section(ctx.t("home.all_answered")))
    else:
        blocks.append(
            section(
                ctx.t(
                    "home.next_section",
                    title=esc(following.section.title.get(lang)),
                    answered=following.answered,
                    total=following.total,
                    section=following.section.id,
                )
            )
        )
    blocks.append(context(ctx.t("home.next_steps_working_group")))
    return blocks


def _section_button(
    ctx: RequestContext, item: SectionStatus, links: dict[str, str | None]
) -> Block:
    """Resume an open session by opening its thread; otherwise start one (Home has no
    channel, so the button asks where)."""
    link = links.get(item.section.id)
    if item.open_session is not None and link:
        element = button(
            ctx.t("drafting.button_resume"), f"drafting_resume_{item.section.id}", item.section.id
        )
        element["url"] = link
        return element
    return start_button(ctx.lang, item)
