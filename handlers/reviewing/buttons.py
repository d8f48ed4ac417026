"""The review page's buttons: turn pages, open the edit forms, remove rules and roles (the
decisions on contributions are `decisions`). Only a communications lead gets here (the guard,
at registration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.reviewing import document, items, review
from bot.reviewing.errors import InUse, NotFound
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext, request_context
from handlers.kit.limits import OPTIONS_PER_SELECT
from handlers.kit.payloads import (
    ReviewPage,
    RoleForm,
    RoleRef,
    RuleForm,
    RuleRef,
    SettingsForm,
    TextForm,
)
from handlers.kit.replies import origin_of
from handlers.reviewing import forms
from handlers.reviewing.pages import PREFILL, review_pages


def _action(body: dict[str, Any]) -> dict[str, Any]:
    found = (body.get("actions") or [{}])[0]
    return found if isinstance(found, dict) else {}


def _value(body: dict[str, Any]) -> str | None:
    return _action(body).get("value")


def show_page(ctx: RequestContext, section_id: str, page: int, *, replace: bool) -> None:
    """The section's review page as it now stands: in place of the clicked message, or as a
    new one."""
    pages = review_pages(ctx, section_id)
    blocks = pages[min(max(page, 0), len(pages) - 1)]
    title = ctx.t("reviewing.review_of", id=section_id)
    ctx.slack.respond(title, blocks, replace_original=replace)


def _gone(ctx: RequestContext) -> None:
    ctx.slack.respond(ctx.t("reviewing.gone"))


def _ack_and_context(ack: Ack, context: BoltContext) -> RequestContext:
    ack()
    return request_context(context)


def on_open_section(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = ReviewPage.decode(_value(body))
    show_page(ctx, value.section, 0, replace=False)


def on_turn_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = ReviewPage.decode(_value(body))
    show_page(ctx, value.section, value.page, replace=True)


def _form(body: dict[str, Any]) -> dict[str, str | None]:
    """Where the button was: a modal opened from it tells its outcome there."""
    origin = origin_of(body)
    return {"reply_url": origin.response_url, "channel": origin.channel}


def on_edit_text(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = ReviewPage.decode(_value(body))
    from_contributions = _action(body).get("action_id") == PREFILL
    try:
        with ctx.unit_of_work() as session:
            current = review.text_to_edit(
                session, value.section, ctx.settings.language, from_contributions=from_contributions
            )
    except NotFound:
        _gone(ctx)
        return
    form = TextForm(section=value.section, **_form(body))
    ctx.slack.open_view(
        str(body["trigger_id"]), forms.text_modal(ctx, current.title, current.text, form)
    )


def on_rule_edit(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = RuleRef.decode(_value(body))
    try:
        with ctx.unit_of_work() as session:
            if value.rule is None:
                section = None if value.section == review.OTHER else value.section
                rule = items.new_rule(session, section)
            else:
                rule = items.rule(session, value.rule)
            choices = review.choices(session, ctx.settings.language)
    except NotFound:
        _gone(ctx)
        return
    where = origin_of(body)
    form = RuleForm(reply_url=where.response_url, channel=where.channel, rule=value.rule)
    view = forms.rule_modal(ctx, rule, choices, form)
    ctx.slack.open_view(str(body["trigger_id"]), view)


def on_role_edit(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = RoleRef.decode(_value(body))
    role = None
    if value.role is not None:
        try:
            with ctx.unit_of_work() as session:
                role = items.role(session, value.role)
        except NotFound:
            _gone(ctx)
            return
    form = RoleForm(role=value.role, section=value.section, **_form(body))
    found = ctx.lookup.usergroups()
    usergroups = [(f"@{g.handle} ({g.name})", g.id) for g in found or []][:OPTIONS_PER_SELECT]
    view = forms.role_modal(ctx, role, form, usergroups or None)
    ctx.slack.open_view(str(body["trigger_id"]), view)


def on_rule_remove(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = RuleRef.decode(_value(body))
    _remove_and_show(
        ctx,
        value,
        lambda session: items.remove_rule(session, ctx.actor, value.rule or 0),
        "reviewing.removed_rule",
    )


def on_role_remove(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    value = RoleRef.decode(_value(body))
    _remove_and_show(
        ctx,
        value,
        lambda session: items.remove_role(session, ctx.actor, value.role or 0),
        "reviewing.removed_role",
    )


def _remove_and_show(
    ctx: RequestContext,
    value: RuleRef | RoleRef,
    removing: Callable[[Session], items.RuleItem | items.RoleItem | items.GroupItem],
    removed_key: str,
) -> None:
    """Remove an item, show its section's page as it now stands and say so, in one commit."""
    with ctx.unit_of_work():
        removed = remove(ctx, removing)
        if removed is None:
            return
        show_page(ctx, value.section, value.page, replace=True)
        ctx.slack.respond(ctx.t(removed_key, id=removed))


def remove(
    ctx: RequestContext,
    removing: Callable[[Session], items.RuleItem | items.RoleItem | items.GroupItem],
) -> str | None:
    """Remove a rule, role or group; its id, or None after telling the lead why not (someone
    removed it already, or rules still use it)."""
    try:
        with ctx.unit_of_work() as session:
            return str(removing(session).id)
    except NotFound:
        _gone(ctx)
    except InUse as in_use:
        used = mrkdwn.join(", ", in_use.used_by)
        ctx.slack.respond(ctx.t("reviewing.in_use", id=in_use.item_id, used=used))
    return None


def on_settings(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = _ack_and_context(ack, context)
    with ctx.unit_of_work() as session:
        current = document.document_settings(session, ctx.settings.language)
        roles = items.roles(session)
    view = forms.settings_modal(ctx, current, roles, SettingsForm(**_form(body)))
    ctx.slack.open_view(str(body["trigger_id"]), view)
