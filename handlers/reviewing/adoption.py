"""`/policy adopt` and `/policy adopted`: freezing the draft into version N, and going back.

Adoption takes three steps in one modal: (1) what will be frozen, what changed since the last
version, and what is not ready (answers waiting for review, empty sections, rules nobody to
ask, no decisions on the cover), which the lead must confirm with a tick to go on; (2)
management's approval: the decisions management is asked to take (from the cover), who
approved, when, and the channel to announce in; (3) the freeze, with what the lead confirmed
kept in the approval record, then a short diff announced in that channel. A draft that breaks
the format (no rule at all, a `review` rule without a role, a role nobody can reach, any other
issue) is refused with the reasons and opens nothing. The fingerprint of the draft and of what
is not ready travels in the modal's metadata: if either moves between step 1 and step 3,
nothing is adopted and the lead is asked to look again.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.dates import local_date
from bot.reviewing import adoption, versions
from bot.reviewing.diff import PolicyDiff
from handlers.kit import mrkdwn
from handlers.kit.actions import SIGNOFF_IN_SLACK
from handlers.kit.asker import asker_known
from handlers.kit.blocks import (
    Block,
    View,
    button,
    channel_input,
    checkbox_input,
    context,
    date_input,
    header,
    input_errors,
    modal,
    section,
    section_texts,
    text_input,
    values_of,
)
from handlers.kit.catalogue import plain, say
from handlers.kit.context import RequestContext, request_context
from handlers.kit.limits import BLOCKS_PER_MESSAGE, NOTIFICATION_TEXT
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.payloads import AdoptForm, VersionRef
from handlers.kit.replies import origin_of
from handlers.kit.slack import SlackApiError, Then, reason
from handlers.kit.thanks import thank_working_group
from handlers.reviewing.follow_ups import AFTER_ADOPTION
from handlers.reviewing.forms import NAME_LENGTH, VERDICT_WORDS
from handlers.reviewing.ids import APPROVAL_MODAL, CONFIRM_MODAL, READOPT
from handlers.reviewing.readiness_text import items_list, problems_text, readiness_text
from handlers.reviewing.submissions import confirm
from handlers.router import CommandCall

log = logging.getLogger(__name__)

DONE_MODAL = APPROVAL_MODAL + "_done"
VERSIONS_SHOWN = 20
APPROVAL_ERRORS = {
    adoption.REQUIRED: "reviewing.error_required",
    adoption.NOT_A_DATE: "reviewing.error_date",
    adoption.IN_THE_FUTURE: "reviewing.error_future",
}
CHANNEL_REQUIRED = "reviewing.error_channel"
CONFIRM_FIELD, CONFIRMED = "confirm_unready", "confirmed"
ANNOUNCED = "reviewing:announced"


def _modal(
    ctx: RequestContext, callback_id: str, blocks: list[Block], form: AdoptForm, submit: str | None
) -> View:
    return modal(
        callback_id,
        ctx.plain("reviewing.modal_adopt_title"),
        blocks,
        metadata=form.encode(),
        submit=ctx.plain(submit) if submit else None,
        close=ctx.plain("reviewing.modal_cancel" if submit else "reviewing.modal_close"),
    )


# -- step 1: what will be frozen --------------------------------------------------------------
def run_adopt(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        preview = adoption.preview(session, ctx.settings.language)
    if preview.problems:
        call.reply(problems_text(ctx, preview.problems))
        return
    form = AdoptForm(
        reply_url=call.response_url,
        channel=call.channel_id or None,
        fingerprint=preview.fingerprint,
    )
    try:
        ctx.slack.open_view(call.trigger_id, confirm_view(ctx, preview, form))
    except SlackApiError as error:
        log.warning("views.open for adopt failed: %s", reason(error))
        call.reply(ctx.t("common.failed"))


def confirm_view(ctx: RequestContext, preview: adoption.Preview, form: AdoptForm) -> View:
    default = mrkdwn.fmt(
        "{}, {}",
        ctx.t(VERDICT_WORDS.get(preview.default_verdict, VERDICT_WORDS["allowed"])),
        preview.default_role,
    )
    frozen = ctx.t(
        "reviewing.adopt_frozen",
        sections=ctx.t("common.sections", count=preview.sections),
        written=preview.written,
        rules=rules_in_sections(ctx.lang, preview.rules, preview.rule_sections),
        roles=ctx.t("common.roles", count=preview.roles),
        groups=ctx.t("common.groups", count=preview.groups),
        default=default,
    )
    blocks: list[Block] = [
        section(ctx.t("reviewing.adopt_step1", number=preview.number)),
        section(frozen),
    ]
    if preview.changes is None:
        blocks.append(section(ctx.t("reviewing.adopt_first")))
    elif preview.changes.empty:
        blocks.append(
            section(ctx.t("reviewing.adopt_no_changes", label=preview.previous_label or ""))
        )
    else:
        blocks.append(
            section(ctx.t("reviewing.adopt_changes_since", label=preview.previous_label or ""))
        )
        blocks.append(section(mrkdwn.lines(diff_lines(ctx.lang, preview.changes, preview.titles))))
    if preview.to_confirm:
        blocks.append(section(readiness_text(ctx, preview.to_confirm, preview.titles)))
        blocks.append(
            checkbox_input(
                CONFIRM_FIELD,
                ctx.plain("reviewing.field_confirm_unready"),
                ctx.plain("reviewing.confirm_unready"),
                CONFIRMED,
                action_id="review_in_confirm_unready",
                optional=False,
            )
        )
    else:
        blocks.append(section(ctx.t("reviewing.adopt_all_ready")))
    blocks.append(context(ctx.t("reviewing.adopt_step1_next")))
    return _modal(ctx, CONFIRM_MODAL, blocks, form, "reviewing.modal_next")


def rules_in_sections(lang: str, rules: int, sections: int) -> Mrkdwn:
    """ "10 rules in 2 sections": the sections the rules are in, not all of them."""
    counted = say(lang, "common.rules", count=rules)
    if not sections:
        return counted
    return say(
        lang,
        "reviewing.rules_in",
        rules=counted,
        sections=say(lang, "common.sections", count=sections),
    )


def diff_lines(lang: str, changes: PolicyDiff, titles: dict[str, str]) -> list[Mrkdwn]:
    """The short diff: rules added, removed and changed, sections changed (and the rest)."""
    listed = [
        ("reviewing.diff_rules_added", items_list(changes.rules_added)),
        ("reviewing.diff_rules_removed", items_list(changes.rules_removed)),
        ("reviewing.diff_rules_changed", items_list(list(changes.rules_changed))),
        ("reviewing.diff_sections_added", items_list(changes.sections_added, titles)),
        ("reviewing.diff_sections_removed", items_list(changes.sections_removed, titles)),
        ("reviewing.diff_sections_changed", items_list(changes.sections_changed, titles)),
        (
            "reviewing.diff_roles",
            items_list(changes.roles_added + changes.roles_removed + changes.roles_changed),
        ),
        ("reviewing.diff_groups", items_list(changes.groups_changed)),
    ]
    lines = [say(lang, key, items=items) for key, items in listed if items]
    if changes.default_changed:
        lines.append(say(lang, "reviewing.diff_default"))
    return lines


# -- step 2: the approval -------------------------------------------------------------------
def approval_view(
    ctx: RequestContext, form: AdoptForm, decisions: list[str] | tuple[str, ...], intro: Mrkdwn
) -> View:
    announce_in = form.channel if form.channel and form.channel[:1] in ("C", "G") else None
    asked = [mrkdwn.fmt("{}. {}", n, d) for n, d in enumerate(decisions[:20], start=1)]
    to_decide = (
        ctx.t("reviewing.adopt_to_decide", decisions=mrkdwn.lines(asked))
        if asked
        else (ctx.t("reviewing.adopt_nothing_to_decide"))
    )
    blocks: list[Block] = [section(intro)]
    if form.readopt is None:  # management may approve in Slack instead (handlers.rhythm)
        ask = button(ctx.plain("rhythm.signoff_button"), SIGNOFF_IN_SLACK, style="primary")
        blocks.append(section(ctx.t("rhythm.signoff_offer"), accessory=ask))
    blocks += [
        section(to_decide),
        text_input(
            "approved_by",
            ctx.plain("reviewing.field_approved_by"),
            action_id="review_in_approved_by",
            max_length=NAME_LENGTH,
        ),
        date_input(
            "approved_on",
            ctx.plain("reviewing.field_approved_on"),
            local_date(ctx.services.clock.now(), ctx.settings.timezone).isoformat(),
            action_id="review_in_approved_on",
        ),
        text_input(
            "decisions",
            ctx.plain("reviewing.field_decisions_taken"),
            "\n".join(decisions),
            action_id="review_in_decisions",
            multiline=True,
            optional=True,
            hint=ctx.plain("reviewing.field_decisions_taken_hint"),
        ),
        text_input(
            "reference",
            ctx.plain("rhythm.field_reference"),
            action_id="review_in_reference",
            optional=True,
            max_length=NAME_LENGTH,
            hint=ctx.plain("rhythm.field_reference_hint"),
        ),
        channel_input(
            "announce",
            ctx.plain("reviewing.field_announce"),
            announce_in,
            action_id="review_in_announce",
            placeholder=ctx.plain("reviewing.pick"),
        ),
    ]
    return _modal(ctx, APPROVAL_MODAL, blocks, form, "reviewing.modal_adopt")


def on_confirmed(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = AdoptForm.decode(view.get("private_metadata"))
    asked = CONFIRM_FIELD in {b.get("block_id") for b in view.get("blocks") or []}
    ticked = CONFIRMED in (values_of(view).get(CONFIRM_FIELD) or [])
    if asked and not ticked:  # Slack requires the tick; a forged submission is refused too
        errors = input_errors({CONFIRM_FIELD: ctx.t("reviewing.error_needs_confirmation")})
        ack(response_action="errors", errors=errors)
        return
    form = replace(form, confirmed=asked and ticked)
    with ctx.unit_of_work() as session:
        decisions = adoption.proposed_decisions(session)
    intro = ctx.t("reviewing.adopt_step2")
    ack(response_action="update", view=approval_view(ctx, form, decisions, intro))


def on_readopt(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    number = VersionRef.decode((body.get("actions") or [{}])[0].get("value")).number
    try:
        with ctx.unit_of_work() as session:
            earlier = adoption.readoption(session, number)
    except versions.UnknownVersion:
        ctx.slack.respond(ctx.t("reviewing.gone"))
        return
    origin = origin_of(body)
    form = AdoptForm(reply_url=origin.response_url, channel=origin.channel, readopt=number)
    intro = ctx.t("reviewing.readopt_step", label=earlier.label, number=earlier.next_number)
    ctx.slack.open_view(str(body["trigger_id"]), approval_view(ctx, form, earlier.decisions, intro))


# -- step 3: freeze and announce ------------------------------------------------------------
def on_approved(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = AdoptForm.decode(view.get("private_metadata"))
    values = values_of(view)
    channel = str(values.get("announce") or "")
    try:
        approval = adoption.approval_from(
            str(values.get("approved_by") or ""),
            str(values.get("approved_on") or ""),
            str(values.get("decisions") or ""),
            channel,
            local_date(ctx.services.clock.now(), ctx.settings.timezone),
            reference=str(values.get("reference") or ""),
        )
    except adoption.ApprovalInvalid as invalid:
        errors = {
            field: ctx.t(CHANNEL_REQUIRED if field == "announce" else APPROVAL_ERRORS[code])
            for field, code in invalid.errors.items()
        }
        ack(response_action="errors", errors=input_errors(errors))
        return
    announcing = ctx.t("reviewing.announced_in", channel=mrkdwn.channel(channel))
    try:
        with ctx.unit_of_work() as session:
            if form.readopt is not None:
                version = versions.readopt(
                    session, ctx.actor, form.readopt, approval, announce_in=channel
                )
            else:
                version = adoption.adopt(
                    session,
                    ctx.actor,
                    approval,
                    ctx.settings.language,
                    expected=form.fingerprint or "",
                    confirmed=form.confirmed,
                    announce_in=channel,
                )
            text, blocks = announcement_message(adoption.announcement(session, version))
            # Written with the version: announced once it is adopted, whatever happens next.
            then = Then(
                ANNOUNCED,
                {
                    "user": ctx.actor,
                    "view": str(view.get("id") or ""),
                    "number": version.number,
                    "form": form.encode(),
                },
            )
            ctx.slack.post(channel, text, blocks, unfurl_links=False, then=then)
            thanks = thank_working_group(session, version)
            if thanks is not None:
                ctx.slack.post(channel, thanks)
    except (versions.DraftChanged, adoption.NeedsConfirmation):
        ack(
            response_action="errors",
            errors=input_errors({"approved_by": ctx.t("reviewing.error_draft_changed")}),
        )
        return
    except (versions.AdoptionRefused, versions.UnknownVersion):
        ack(
            response_action="errors",
            errors=input_errors({"approved_by": ctx.t("reviewing.adopt_refused_now")}),
        )
        return
    # One update in the usual case: the announcement is on its way as the modal says so.
    ack(response_action="update", view=done_view(ctx, version, announcing, form))
    log.info("version %s (%s) adopted by %s", version.number, version.label, ctx.actor)


@after_sending(ANNOUNCED)
def announced(
    ctx: RequestContext, sent: Sent, *, view: str, number: int, form: str, **_: Any
) -> None:
    """What follows an adoption, once, after the ack (`AFTER_ADOPTION`); and an announcement
    Slack refused (the bot is not in the channel): the modal, if still open, and the lead say
    so. The lead is spoken to (a follow-up, a refusal): their profile, when not stored, is
    asked of Slack first, outside the step's unit of work (`asker_known`)."""
    asker_known(ctx)
    for follow in AFTER_ADOPTION.values():
        follow(ctx, number)
    if sent.ok:
        return
    log.warning("announcing version %s failed: %s", number, sent.error)
    adopt_form = AdoptForm.decode(form)
    with ctx.unit_of_work() as session:
        version = versions.AdoptedVersion.of(versions.get_version(session, number))
    failed = ctx.t("reviewing.announce_failed", channel=mrkdwn.channel(version.announced_in or ""))
    if view:  # the lead may have closed the modal already: then this is given up, logged
        ctx.slack.update_view(view, done_view(ctx, version, failed, adopt_form))
    confirm(ctx, adopt_form, failed)


def done_view(
    ctx: RequestContext, version: versions.AdoptedVersion, announced: Mrkdwn, form: AdoptForm
) -> View:
    text = ctx.t(
        "reviewing.adopt_done", number=version.number, label=version.label, announced=announced
    )
    return _modal(ctx, DONE_MODAL, [section(text)], form, None)


def announcement_message(news: adoption.Announcement) -> tuple[Mrkdwn, list[Block]]:
    """The announcement, in the policy's own language: it speaks to the whole channel."""
    lang = news.language
    title = plain(lang, "reviewing.announce_title", label=news.label)
    approval = say(
        lang, "reviewing.announce_approval", by=news.approved_by, on=mrkdwn.day(news.approved_on)
    )
    blocks: list[Block] = [header(title), section(approval)]
    if news.readopted_label:
        blocks.append(
            section(say(lang, "reviewing.announce_readopted", label=news.readopted_label))
        )
    if news.changes is None:
        first = say(
            lang,
            "reviewing.announce_first",
            rules=rules_in_sections(lang, news.rules, news.sections),
        )
        blocks.append(section(first))
    elif news.changes.empty:
        label = news.previous_label or ""
        blocks.append(section(say(lang, "reviewing.announce_no_changes", label=label)))
    else:
        changes = say(lang, "reviewing.announce_changes", label=news.previous_label or "")
        lines = diff_lines(lang, news.changes, news.titles)
        blocks.append(section(mrkdwn.lines([changes, *lines])))
    blocks.append(context(say(lang, "reviewing.announce_footer")))
    fallback = mrkdwn.lines([mrkdwn.esc(title), *section_texts(blocks)])
    return fallback.cut(NOTIFICATION_TEXT), blocks[:BLOCKS_PER_MESSAGE]


# -- /policy adopted ------------------------------------------------------------------------
def run_adopted(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        found = versions.list_versions(session)
    if not found:
        call.reply(ctx.t("reviewing.versions_none"))
        return
    labels = {v.number: v.label for v in found}
    current = found[0].number
    blocks: list[Block] = [section(ctx.t("reviewing.versions_title"))]
    for version in found[:VERSIONS_SHOWN]:
        based = (
            ctx.t(
                "reviewing.version_based", label=labels.get(version.based_on, str(version.based_on))
            )
            if version.based_on
            else mrkdwn.EMPTY
        )
        line = ctx.t(
            "reviewing.version_line",
            label=version.label,
            number=version.number,
            by=version.approved_by,
            on=mrkdwn.day(version.approved_on),
            recorded=mrkdwn.user(version.recorded_by),
            based=based,
            current=ctx.t("reviewing.version_current")
            if version.number == current
            else mrkdwn.EMPTY,
        )
        if version.number == current:
            blocks.append(section(line))
        else:
            readopt = button(
                ctx.plain("reviewing.button_readopt"), READOPT, VersionRef(version.number).encode()
            )
            blocks.append(section(line, readopt))
    call.reply(ctx.t("reviewing.versions_title"), blocks[:BLOCKS_PER_MESSAGE])
