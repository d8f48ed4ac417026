"""`/policy setup` (and the Home tab's button): the project's start, steps 1 and 2 of the
method, in one modal: the organisation, the policy's language, the communications lead, the
working group (people, or a Slack user group), management's approvers, the target date for
adoption, and which reminders go out. Each choice can be changed later (the same modal,
filled in) and every change is in the audit trail (`bot.rhythm.project.save_setup`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.rhythm import project
from bot.rhythm.project import REMINDER_KINDS, Setup, SetupInvalid, save_setup
from bot.vocabulary import Language
from handlers.kit.blocks import (
    Block,
    View,
    context,
    date_input,
    input_errors,
    modal,
    multi_input,
    people_input,
    select_input,
    text_input,
    values_of,
)
from handlers.kit.context import RequestContext, request_context
from handlers.rhythm.ids import SETUP_MODAL
from handlers.router import CommandCall

LANGUAGES = (("Nederlands", "nl"), ("English", "en"))
REMINDER_WORDS = {
    project.DEADLINES: "rhythm.kind_deadlines",
    project.IDLE: "rhythm.kind_idle_threads",
    project.ESCALATIONS: "rhythm.kind_escalations",
    project.DIGEST: "rhythm.kind_digest",
    project.COMPLETE: "rhythm.kind_section_complete",
    project.ACKNOWLEDGE: "rhythm.kind_acknowledgements",
    project.REVIEW: "rhythm.kind_review_cycle",
}


def run_setup(call: CommandCall) -> None:
    open_setup(call.ctx, call.trigger_id)


def on_setup_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    open_setup(request_context(context), str(body.get("trigger_id") or ""))


def open_setup(ctx: RequestContext, trigger_id: str) -> None:
    with ctx.unit_of_work() as session:
        found = project.project(session, ctx.settings.language)
    groups = ctx.lookup.usergroups() or []
    ctx.slack.open_view(
        trigger_id, setup_view(ctx, found, [(g.handle or g.name, g.id) for g in groups])
    )


def setup_view(ctx: RequestContext, found: project.Project, groups: list[tuple[str, str]]) -> View:
    kinds = [(ctx.plain(REMINDER_WORDS[kind]), kind) for kind in REMINDER_KINDS]
    on = [kind for kind in REMINDER_KINDS if found.reminds(kind)]
    blocks: list[Block] = [
        context(ctx.t("rhythm.setup_intro")),
        text_input(
            "organisation",
            ctx.plain("rhythm.setup_organisation"),
            found.organisation,
            action_id="value",
            max_length=200,
        ),
        select_input(
            "language",
            ctx.plain("rhythm.setup_language"),
            list(LANGUAGES),
            found.language,
            ctx.plain("rhythm.setup_language"),
            action_id="value",
        ),
        people_input(
            "leads",
            ctx.plain("rhythm.setup_leads"),
            found.leads,
            action_id="value",
            optional=False,
            hint=ctx.plain("rhythm.setup_leads_hint"),
        ),
        people_input(
            "working_group",
            ctx.plain("rhythm.setup_working_group"),
            found.working_group,
            action_id="value",
            hint=ctx.plain("rhythm.setup_working_group_hint"),
        ),
    ]
    if groups:
        blocks.append(
            select_input(
                "usergroup",
                ctx.plain("rhythm.setup_usergroup"),
                groups,
                found.usergroup,
                ctx.plain("rhythm.setup_usergroup_placeholder"),
                action_id="value",
                optional=True,
                hint=ctx.plain("rhythm.setup_usergroup_hint"),
            )
        )
    blocks += [
        people_input(
            "approvers",
            ctx.plain("rhythm.setup_approvers"),
            found.approvers,
            action_id="value",
            hint=ctx.plain("rhythm.setup_approvers_hint"),
        ),
        date_input(
            "target_date",
            ctx.plain("rhythm.setup_target"),
            found.target_date.isoformat() if found.target_date else None,
            action_id="value",
            optional=True,
        ),
        multi_input(
            "reminders",
            ctx.plain("rhythm.setup_reminders"),
            kinds,
            on,
            "",
            action_id="value",
            checkboxes=True,
        ),
    ]
    return modal(
        SETUP_MODAL,
        ctx.plain("rhythm.setup_title"),
        blocks,
        submit=ctx.plain("rhythm.setup_save"),
        close=ctx.plain("rhythm.setup_cancel"),
    )


def on_setup_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    values = values_of(view)
    usergroup = str(values.get("usergroup") or "") or None
    members: tuple[str, ...] = ()
    if usergroup:
        members = tuple(ctx.lookup.usergroup_members(usergroup) or ())
    target = values.get("target_date")
    language: Language = "en" if values.get("language") == "en" else "nl"
    reminders_on = set(values.get("reminders") or [])
    new = Setup(
        organisation=str(values.get("organisation") or ""),
        language=language,
        leads=tuple(values.get("leads") or ()),
        working_group=tuple(values.get("working_group") or ()),
        usergroup=usergroup,
        usergroup_members=members,
        approvers=tuple(values.get("approvers") or ()),
        target_date=dt.date.fromisoformat(target) if target else None,
        reminders_off=frozenset(REMINDER_KINDS) - reminders_on,
    )
    today = ctx.settings.calendar.today(ctx.services.clock.now())
    try:
        with ctx.unit_of_work() as session:
            changed = save_setup(session, ctx.actor, ctx.settings.admins, new, today)
            key = "rhythm.setup_saved" if changed else "rhythm.setup_unchanged"
            ctx.slack.direct_message(ctx.actor, ctx.t(key, organisation=new.organisation))
    except SetupInvalid as invalid:
        errors = {field: ctx.plain(key) for field, key in invalid.errors.items()}
        ack(response_action="errors", errors=input_errors(errors))
        return
    ack()
