"""The lead decides on contributions: accept or reject (with an optional comment, in a
modal), undo, accept a whole question at once, or accept one proposed rule as the lead edits
it. What a contribution proposes enters or leaves the draft with the decision
(`bot.reviewing.proposals`), and its author is told privately, in their own language.

The cover's decisions are edited here too: the accepted answers to the cover question put
them there, the lead has the last word.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.drafting.answers import RuleLine
from bot.reviewing import document, items, proposals, review
from bot.reviewing.contributions import ContributionItem
from bot.reviewing.errors import NotFound
from bot.reviewing.fields import split_lines
from bot.reviewing.proposals import ACCEPTED, REJECTED, Decision
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.asker import asker_known
from handlers.kit.blocks import View, context, modal, section, text_input, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.outside import first_outside
from handlers.kit.payloads import (
    Decide,
    DecisionForm,
    DecisionsForm,
    PayloadError,
    ProposedRule,
    QuestionAccept,
    RuleForm,
)
from handlers.kit.replies import origin_of
from handlers.reviewing import forms
from handlers.reviewing.buttons import show_page
from handlers.reviewing.ids import DECISION_MODAL, DECISIONS_MODAL
from handlers.reviewing.pages import review_pages
from handlers.reviewing.submissions import confirm
from handlers.reviewing.told import learn_names, tell_authors

MODAL_TITLES = {ACCEPTED: "reviewing.modal_accept_title", REJECTED: "reviewing.modal_reject_title"}
COMMENT_TITLE = "reviewing.modal_comment_title"
SUBMITS = {ACCEPTED: "reviewing.button_accept", REJECTED: "reviewing.button_reject"}
QUOTED = 300  # characters of the contribution shown in the comment modal


def _action(body: dict[str, Any]) -> dict[str, Any]:
    found = (body.get("actions") or [{}])[0]
    return found if isinstance(found, dict) else {}


def _chosen(body: dict[str, Any]) -> str | None:
    """A button's value, or the option picked in a "⋯" menu."""
    action = _action(body)
    return (action.get("selected_option") or {}).get("value") or action.get("value")


def _where(body: dict[str, Any]) -> dict[str, str | None]:
    origin = origin_of(body)
    return {"reply_url": origin.response_url, "channel": origin.channel}


# -- deciding ------------------------------------------------------------------------------------
def on_decide(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Accept, reject or undo at once; from the "⋯" menu, with a comment or edited in."""
    ack()
    ctx = request_context(context)
    raw = _chosen(body)
    try:
        choice = Decide.decode(raw)
    except PayloadError:
        open_edit_in(ctx, body, ProposedRule.decode(raw))
        return
    if choice.note:
        open_comment(ctx, body, choice)
        return

    def decide(session: Session) -> list[Decision]:  # decided, shown and told in one commit
        decided = proposals.decide(
            session, ctx.actor, choice.contribution, choice.decision, ctx.settings.language
        )
        show_page(ctx, choice.section, choice.page, replace=True)
        decisions = [decided] if decided else []  # None: it stood so already (a second click)
        tell_authors(ctx, decisions)
        return decisions

    ctx.know_profile()  # the lead's language, asked before the transaction if need be
    try:
        learn_names(ctx, ctx.retrying(decide))
    except NotFound:
        with ctx.unit_of_work():
            ctx.slack.respond(ctx.t("reviewing.gone"))
            show_page(ctx, choice.section, choice.page, replace=True)


def on_accept_all(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    value = QuestionAccept.decode(_action(body).get("value"))

    def accept(session: Session) -> list[Decision]:  # accepted, shown and told in one commit
        decided = proposals.accept_question(
            session, ctx.actor, value.section, value.question, ctx.settings.language
        )
        show_page(ctx, value.section, value.page, replace=True)
        count = ctx.t("common.contributions", count=len(decided))
        ctx.slack.respond(ctx.t("reviewing.accepted_all", contributions=count))
        tell_authors(ctx, decided)
        return decided

    ctx.know_profile()  # the lead's language, asked before the transaction if need be
    learn_names(ctx, ctx.retrying(accept))


def _contribution(
    ctx: RequestContext, section_id: str, contribution_id: int
) -> ContributionItem | None:
    """A contribution as the section's review page shows it; None (and the lead is told) when
    it is gone."""
    with ctx.unit_of_work() as session:
        shown = review.section_review(session, section_id, ctx.settings.language).contributions
    found = next((c for c in shown if c.id == contribution_id), None)
    if found is None:
        ctx.slack.respond(ctx.t("reviewing.gone"))
    return found


def open_comment(ctx: RequestContext, body: dict[str, Any], choice: Decide) -> None:
    found = _contribution(ctx, choice.section, choice.contribution)
    if found is None:
        return
    unchanged = found.review == choice.decision  # a comment on the decision as it stands
    form = DecisionForm(
        contribution=choice.contribution,
        decision=choice.decision,
        section=choice.section,
        page=choice.page,
        **_where(body),
    )
    blocks = [
        context(ctx.t("reviewing.decision_quote", text=mrkdwn.shown(found.text[:QUOTED]))),
        text_input(
            "comment",
            ctx.plain("reviewing.field_comment"),
            action_id="review_in_comment",
            multiline=True,
            optional=True,
            max_length=1000,
            hint=ctx.plain("reviewing.field_comment_hint"),
        ),
    ]
    view = modal(
        DECISION_MODAL,
        ctx.plain(COMMENT_TITLE if unchanged else MODAL_TITLES[choice.decision]),
        blocks,
        metadata=form.encode(),
        submit=ctx.plain("reviewing.modal_send" if unchanged else SUBMITS[choice.decision]),
        close=ctx.plain("reviewing.modal_cancel"),
    )
    ctx.slack.open_view(str(body["trigger_id"]), view)


def on_decision_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = DecisionForm.decode(view.get("private_metadata"))
    comment = str(values_of(view).get("comment") or "")
    ack()

    def decide(session: Session) -> list[Decision]:  # decided, shown and told in one commit
        decided = proposals.decide(
            session, ctx.actor, form.contribution, form.decision, ctx.settings.language, comment
        )
        if form.reply_url:  # the page the modal was opened from, as it now stands
            ctx.slack.respond_to(
                form.reply_url,
                ctx.t("reviewing.review_of", id=form.section),
                _page(ctx, form.section, form.page),
                replace_original=True,
            )
        decisions = [decided] if decided else []  # None: it stood so already (a second click)
        tell_authors(ctx, decisions)
        return decisions

    ctx.know_profile()  # the lead's language, asked before the transaction if need be
    try:
        learn_names(ctx, ctx.retrying(decide))
    except NotFound:
        confirm(ctx, form, ctx.t("reviewing.gone"))


def _page(ctx: RequestContext, section_id: str, page: int) -> list[Any]:
    pages = review_pages(ctx, section_id)
    return pages[min(max(page, 0), len(pages) - 1)]


# -- a proposed rule, edited into the draft ------------------------------------------------------
def open_edit_in(ctx: RequestContext, body: dict[str, Any], chosen: ProposedRule) -> None:
    found = _contribution(ctx, chosen.section, chosen.contribution)
    if found is None:
        return
    if chosen.line >= len(found.proposed_rules):
        ctx.slack.respond(ctx.t("reviewing.gone"))
        return
    with ctx.unit_of_work() as session:
        choices = review.choices(session, ctx.settings.language)
    line = found.proposed_rules[chosen.line]
    known_roles = {r.id for r in choices.roles}
    proposed = _rule_item(line, chosen.section, known_roles)
    where = origin_of(body)
    form = RuleForm(
        reply_url=where.response_url,
        channel=where.channel,
        contribution=chosen.contribution,
        line=chosen.line,
    )
    ctx.slack.open_view(str(body["trigger_id"]), forms.rule_modal(ctx, proposed, choices, form))


def _rule_item(line: RuleLine, section_id: str, roles: set[str]) -> items.RuleItem:
    return items.RuleItem(
        None,
        "",
        line.verdict,
        line.text,
        section_id,
        line.role if line.role in roles else None,
        keywords=line.keywords,
        context=line.context,
        examples=line.examples,
        not_examples=line.not_examples,
    )


# -- the cover's decisions -----------------------------------------------------------------------
def on_edit_decisions(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = request_context(context)
    value = DecisionsForm.decode(_action(body).get("value"))
    with ctx.unit_of_work() as session:
        current = document.decisions(session)
    form = DecisionsForm(section=value.section, page=value.page, **_where(body))
    blocks = [
        section(ctx.t("reviewing.decisions_intro")),
        text_input(
            "decisions",
            ctx.plain("reviewing.field_decisions"),
            "\n".join(current),
            action_id="review_in_decisions",
            multiline=True,
            optional=True,
        ),
    ]
    view: View = modal(
        DECISIONS_MODAL,
        ctx.plain("reviewing.modal_decisions_title"),
        blocks,
        metadata=form.encode(),
        submit=ctx.plain("reviewing.modal_save"),
        close=ctx.plain("reviewing.modal_cancel"),
    )
    ctx.slack.open_view(str(body["trigger_id"]), view)


def on_decisions_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = DecisionsForm.decode(view.get("private_metadata"))
    lines = split_lines(values_of(view).get("decisions"))
    ack()

    def save(session: Session, _: None) -> None:
        asker_known(ctx)  # acked: the lead's language, if not stored, asked before the write
        kept = document.save_decisions(session, ctx.actor, lines)
        confirm(ctx, form, ctx.t("reviewing.saved_decisions", count=len(kept)))

    first_outside(ctx, save, None, runs=2)  # `asker_known`'s one errand: two runs at most
