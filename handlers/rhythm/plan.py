"""`/policy plan SECTION @owner YYYY-MM-DD`: a section's owner and deadline.

The section is named as `/policy draft` takes it (either language, its number, the unique
start of a name); the owner as Slack sends a mention (`<@U123>`) or as typed (`@wendy`,
looked up); the date as `YYYY-MM-DD`. Either may be left out to keep what was set; the word
`clear` (`wissen`) takes both away. Without arguments: the plan of every section.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.drafting.sessions import resolve_section
from bot.drafting.template import load_template
from bot.i18n import words
from bot.rhythm.plan import PlanInvalid, planned, plans, set_plan
from handlers.kit import mrkdwn
from handlers.kit.blocks import date_input, input_errors, modal, select_input, user_input, values_of
from handlers.kit.catalogue import say
from handlers.kit.contact_lookup import find_contact
from handlers.kit.context import request_context
from handlers.kit.incoming import user_mentioned
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.status import plan_line
from handlers.rhythm.ids import PLAN_MODAL
from handlers.router import CommandCall

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def run_plan(call: CommandCall) -> None:
    ctx = call.ctx
    typed = call.args.split()
    if not typed:
        call.reply(overview(call))
        return
    clear = any(w.casefold() in words("rhythm.words.clear") for w in typed)
    owner: str | None = None
    deadline: dt.date | None = None
    rest: list[str] = []
    for word in typed:
        if word.casefold() in words("rhythm.words.clear"):
            continue
        if _DATE.match(word):
            try:
                deadline = dt.date.fromisoformat(word)
            except ValueError:
                call.reply(ctx.t("rhythm.plan_bad_date", given=word))
                return
        elif (found := user_mentioned(word)) is not None:
            owner = found
        elif word.startswith("@"):
            contact = find_contact(ctx.lookup, word)
            if contact is None or contact.kind != "user":
                call.reply(ctx.t("rhythm.plan_unknown_person", given=word[:60]))
                return
            owner = contact.slack_id
        else:
            rest.append(word)
    section = resolve_section(" ".join(rest)) if rest else None
    if section is None or not (clear or owner or deadline):
        given = ctx.t("rhythm.plan_unknown", given=" ".join(rest)[:60]) if rest else None
        usage = ctx.t("rhythm.plan_usage")
        call.reply(mrkdwn.lines([given, usage]) if given else usage)
        return
    now = ctx.services.clock.now()
    today = ctx.settings.calendar.today(now)
    # Both languages asked of Slack before the unit of work, which writes first.
    reader = ctx.for_user(owner) if owner and not clear else None
    for person in (ctx, reader):
        if person is not None:
            person.know_profile()
    with ctx.unit_of_work() as session:
        before = plans(session).get(section.id)
        new_owner = None if clear else owner or (before.owner if before else None)
        new_deadline = None if clear else deadline or (before.deadline if before else None)
        try:
            set_plan(
                session,
                ctx.actor,
                section.id,
                owner=new_owner,
                deadline=new_deadline,
                today=today,
                now=now,
            )
        except PlanInvalid as invalid:
            call.reply(ctx.t(invalid.key))
            return
        title = section.title.get(ctx.lang)
        if clear:
            call.reply(ctx.t("rhythm.plan_cleared", section=title))
            return
        shown = mrkdwn.user(new_owner) if new_owner else ctx.t("rhythm.nobody")
        day = mrkdwn.day(new_deadline) if new_deadline else ctx.t("rhythm.no_deadline")
        call.reply(ctx.t("rhythm.plan_set", section=title, owner=shown, deadline=day))
        if new_owner and new_owner != ctx.actor and new_owner != (before.owner if before else None):
            reader = reader or ctx.for_user(new_owner)
            ctx.slack.direct_message(
                new_owner,
                reader.t(
                    "rhythm.plan_you_own",
                    lead=mrkdwn.user(ctx.actor),
                    section=section.title.get(reader.lang),
                    deadline=day,
                ),
            )


def overview(call: CommandCall) -> Mrkdwn:
    """Every section's owner and deadline, late ones marked."""
    ctx = call.ctx
    today = ctx.settings.calendar.today(ctx.services.clock.now())
    with ctx.unit_of_work() as session:
        found = planned(session, today)
    lines: list[str] = [ctx.t("rhythm.plan_title")]
    for number, section in enumerate(load_template().sections, start=1):
        line = plan_line(ctx.lang, found.get(section.id))
        head = mrkdwn.fmt("{}. *{}*", number, section.title.get(ctx.lang))
        lines.append(mrkdwn.join("  ", [head, line or say(ctx.lang, "rhythm.unplanned")]))
    lines.append(ctx.t("rhythm.plan_usage"))
    return mrkdwn.lines(lines)


# -- the same from the Home tab: a modal ------------------------------------------------------
def on_plan_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    choices = [(s.title.get(ctx.lang), s.id) for s in load_template().sections]
    blocks = [
        select_input(
            "section",
            ctx.plain("rhythm.plan_field_section"),
            choices,
            None,
            ctx.plain("rhythm.plan_field_section"),
            action_id="value",
        ),
        user_input("owner", ctx.plain("rhythm.plan_field_owner"), None, action_id="value"),
        date_input("deadline", ctx.plain("rhythm.plan_field_deadline"), None, action_id="value"),
    ]
    view = modal(
        PLAN_MODAL,
        ctx.plain("rhythm.plan_modal_title"),
        blocks,
        submit=ctx.plain("rhythm.setup_save"),
        close=ctx.plain("rhythm.setup_cancel"),
    )
    ctx.slack.open_view(str(body.get("trigger_id") or ""), view)


def on_plan_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    values = values_of(view)
    section = str(values.get("section") or "")
    owner = str(values.get("owner") or "") or None
    raw = str(values.get("deadline") or "")
    now = ctx.services.clock.now()
    try:
        deadline = dt.date.fromisoformat(raw)
    except ValueError:
        ack(
            response_action="errors",
            errors=input_errors({"deadline": ctx.plain("rhythm.error_required")}),
        )
        return
    try:
        with ctx.unit_of_work() as session:
            set_plan(
                session,
                ctx.actor,
                section,
                owner=owner,
                deadline=deadline,
                today=ctx.settings.calendar.today(now),
                now=now,
            )
            title = next(
                (s.title.get(ctx.lang) for s in load_template().sections if s.id == section),
                section,
            )
            shown = mrkdwn.user(owner) if owner else ctx.t("rhythm.nobody")
            text = ctx.t(
                "rhythm.plan_set", section=title, owner=shown, deadline=mrkdwn.day(deadline)
            )
            ctx.slack.direct_message(ctx.actor, text)
    except PlanInvalid as invalid:
        field = "section" if invalid.key == "rhythm.plan_unknown_section" else "deadline"
        ack(response_action="errors", errors=input_errors({field: ctx.plain(invalid.key)}))
        return
    ack()
