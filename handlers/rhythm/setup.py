"""`/policy setup` (and the Home tab's button): the project's start, steps 1 and 2 of the
method, in one modal: the organisation, the policy's language, the communications lead, the
working group (people, or a Slack user group), management's approvers, the target date for
adoption, and which reminders go out. Each choice can be changed later (the same modal,
filled in) and every change is in the audit trail (`bot.rhythm.project.save_setup`).

The modal is answered without waiting for Slack. Its fields are checked at once (a bad one is
answered in the modal, and nothing changes); a setup without a user group is saved in the
ack's transaction. With a user group, whose members count in the check (at most 100 people
in the working group) and join the working group, the ack's transaction records only the
setup, as the hook arguments of an outbox read of the group's members
(`Outgoing.usergroup_members`): after the ack that read is made (tried again while Slack is
slow or down, by whichever instance, as every outbox letter is), and its completion step
(`setup_with_members`) saves the setup once, or tells the lead what the members make wrong
and saves nothing. (Asked before the ack, a slow Slack cost the modal its three seconds: the
lead saw "We had some trouble connecting" whether or not the setup was saved.)"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.rhythm import project
from bot.rhythm.project import REMINDER_KINDS, Setup, SetupInvalid, check_setup, save_setup
from handlers.kit import mrkdwn
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
from handlers.kit.letters import Then
from handlers.kit.outbox import Sent, after_sending
from handlers.rhythm.ids import SETUP_MODAL
from handlers.router import CommandCall

LANGUAGES = (("Nederlands", "nl"), ("English", "en"))
WITH_MEMBERS = "rhythm:setup_with_members"  # the completion step of the members' read
FIELD_LABELS = {
    project.ORGANISATION_FIELD: "rhythm.setup_organisation",
    project.LEADS_FIELD: "rhythm.setup_leads",
    project.WORKING_GROUP_FIELD: "rhythm.setup_working_group",
    project.APPROVERS_FIELD: "rhythm.setup_approvers",
    project.TARGET_FIELD: "rhythm.setup_target",
}
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
    new = submitted_setup(values_of(view))
    today = ctx.settings.calendar.today(ctx.services.clock.now())
    try:
        with ctx.unit_of_work() as session:
            if new.usergroup is None:
                changed = save_setup(session, ctx.actor, ctx.settings.admins, new, today)
                tell_saved(ctx, new, changed)
            else:  # its members are Slack's to say, after the ack
                check_setup(session, ctx.actor, ctx.settings.admins, new, today)
                args = {"user": ctx.actor, "lang": ctx.lang, "setup": new.to_json()}
                ctx.slack.usergroup_members(new.usergroup, Then(WITH_MEMBERS, args))
    except SetupInvalid as invalid:
        errors = {field: ctx.plain(key) for field, key in invalid.errors.items()}
        ack(response_action="errors", errors=input_errors(errors))
        return
    ack()


def submitted_setup(values: dict[str, Any]) -> Setup:
    """What the modal's fields say (the user group's members not yet known): the reminders
    are checkboxes of those on, the setup keeps those off."""
    reminders_on = set(values.get("reminders") or [])
    return Setup.from_json(values | {"reminders_off": sorted(set(REMINDER_KINDS) - reminders_on)})


@after_sending(WITH_MEMBERS)
def setup_with_members(
    ctx: RequestContext, sent: Sent, *, lang: str, setup: dict[str, Any], **_: Any
) -> None:
    """After the ack, once Slack has said who is in the user group (in the transaction that
    settles the read, so it runs once): save the setup and tell the lead what was saved; or,
    when the members make it invalid (or Slack would not say), tell the lead what to fix and
    change nothing. In the language the lead submitted in (no profile look-up in here)."""
    ctx.speak(lang)
    new = Setup.from_json(setup, sent.users)
    if not sent.ok:
        ctx.slack.direct_message(ctx.actor, ctx.t("rhythm.setup_group_unread", error=sent.error))
        return
    today = ctx.settings.calendar.today(ctx.services.clock.now())
    with ctx.unit_of_work() as session:
        try:  # refused before anything is written: the step's transaction goes on
            changed = save_setup(session, ctx.actor, ctx.settings.admins, new, today)
        except SetupInvalid as invalid:
            ctx.slack.direct_message(ctx.actor, not_saved(ctx, new, invalid))
            return
        tell_saved(ctx, new, changed)


def tell_saved(ctx: RequestContext, new: Setup, changed: list[str]) -> None:
    key = "rhythm.setup_saved" if changed else "rhythm.setup_unchanged"
    text = ctx.t(key, organisation=new.organisation)
    if new.usergroup is not None:
        # The group is not mentioned: a mention notifies its members.
        members = ctx.t("rhythm.setup_group_members", count=len(new.usergroup_members))
        text = mrkdwn.lines([text, members])
    ctx.slack.direct_message(ctx.actor, text)


def not_saved(ctx: RequestContext, new: Setup, invalid: SetupInvalid) -> mrkdwn.Mrkdwn:
    """What the lead must fix, field by field (the working group's size told with the user
    group's, which only Slack's answer showed)."""
    problems: list[str] = []
    for field, key in invalid.errors.items():
        if field == project.WORKING_GROUP_FIELD and new.usergroup is not None:
            problem = ctx.t(
                "rhythm.setup_group_too_big",
                members=len(new.usergroup_members),
                picked=len(new.working_group),
                most=project.MAX_PEOPLE,
            )
        else:
            problem = ctx.t(key)
        label = ctx.plain(FIELD_LABELS.get(field, "rhythm.setup_title"))
        problems.append(mrkdwn.fmt("• *{}*: {}", label, problem))
    return ctx.t("rhythm.setup_not_saved", problems=mrkdwn.lines(problems))
