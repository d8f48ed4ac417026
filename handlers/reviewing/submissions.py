"""The consolidation modals submitted: the section's text, a rule, the document's settings
(a role's: `handlers.reviewing.role_submitted`). A value that breaks the format keeps the
modal open with the reason next to its field; a saved one is confirmed where the button that
opened the modal was."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.reviewing import document, items, proposals, sections
from bot.reviewing.errors import Invalid, NotFound
from bot.reviewing.fields import split_lines, split_list
from bot.reviewing.proposals import Decision
from bot.storage import Session
from handlers.kit.blocks import View, input_errors, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import Form, RuleForm, SettingsForm, TextForm
from handlers.kit.slack import private_route
from handlers.reviewing import forms
from handlers.reviewing.told import learn_names, tell_authors


def confirm(ctx: RequestContext, form: Form, text: Mrkdwn) -> None:
    """Tell the lead what a modal did: through the response_url of the message it came from,
    else (or when that has expired) as an ephemeral in the channel it came from."""
    otherwise = private_route(form.channel, ctx.actor, text, or_dm=False)
    if form.reply_url and ctx.slack.respond_to(form.reply_url, text, otherwise=otherwise):
        return
    if form.channel:
        ctx.slack.tell(form.channel, ctx.actor, text)


def _block_ids(view: View) -> set[str]:
    return {str(b.get("block_id")) for b in view.get("blocks") or []}


def gone(ctx: RequestContext, field: str) -> dict[str, str]:
    return input_errors({field: ctx.t("reviewing.gone")})


def refuse(
    ack: Ack,
    ctx: RequestContext,
    view: View,
    refusal: Invalid | NotFound,
    aliases: dict[str, str] | None = None,
) -> None:
    """Keep an item's modal open: the format's issues next to their fields (`aliases` for
    those without a block of their own), or "no longer in the draft" under its id."""
    if isinstance(refusal, NotFound):
        ack(response_action="errors", errors=gone(ctx, "id"))
    else:
        ack(response_action="errors", errors=forms.field_errors(ctx, view, refusal.issues, aliases))


def on_text_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = TextForm.decode(view.get("private_metadata"))
    values = values_of(view)
    try:
        with ctx.unit_of_work() as session:
            saved = sections.save_section(
                session,
                ctx.actor,
                form.section,
                forms.text_from(values),
                ctx.settings.language,
                title=str(values.get("title") or ""),
            )
            confirm(ctx, form, ctx.t("reviewing.saved_text", title=saved.title))
    except Invalid as invalid:
        ack(response_action="errors", errors=forms.field_errors(ctx, view, invalid.issues))
        return
    except NotFound:
        ack(response_action="errors", errors=gone(ctx, "title"))
        return
    ack()


def rule_from(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(values.get("id") or "").strip(),
        "verdict": values.get("verdict"),
        "text": str(values.get("text") or "").strip(),
        "section": values.get("section"),
        "role": values.get("role"),
        "applies_to": list(values.get("applies_to") or []),
        "keywords": split_list(values.get("keywords")),
        "unless": split_list(values.get("unless")),
        "detect": list(values.get("detect") or []),
        "patterns": split_lines(values.get("patterns")),
        "context": split_list(values.get("context")),
        # Examples are whole posts, commas and all: one per line.
        "examples": split_lines(values.get("examples")),
        "not_examples": split_lines(values.get("not_examples")),
    }


def accept_edited(
    session: Session, ctx: RequestContext, form: RuleForm, data: dict[str, Any]
) -> tuple[str, Decision | None]:
    """Accept the contribution and save the lead's version of its rule (an empty id keeps the
    one the acceptance gave it); the rule's id and the decision. Raises Invalid (nothing is
    accepted then: it is one transaction) or NotFound."""
    assert form.contribution is not None and form.line is not None
    pk, decided = proposals.accept_with_rule(
        session, ctx.actor, form.contribution, form.line, ctx.settings.language
    )
    allocated = items.rule(session, pk)
    saved = items.save_rule(session, ctx.actor, data | {"id": data.get("id") or allocated.id}, pk)
    return saved.id, decided


def on_rule_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = RuleForm.decode(view.get("private_metadata"))
    data = rule_from(values_of(view))

    def save(session: Session) -> list[Decision]:  # saved, confirmed and told in one commit
        if form.contribution is None:
            rule_id, accepted = items.save_rule(session, ctx.actor, data, form.rule).id, []
        else:
            rule_id, decided = accept_edited(session, ctx, form, data)
            accepted = [decided] if decided else []
        confirm(ctx, form, ctx.t("reviewing.saved_rule", id=rule_id))
        tell_authors(ctx, accepted)
        return accepted

    try:
        accepted = ctx.retrying(save)
    except (Invalid, NotFound) as refusal:
        # Without any role to pick, "which role reviews it" is said under the verdict.
        refuse(ack, ctx, view, refusal, {} if "role" in _block_ids(view) else {"role": "verdict"})
        return
    ack()
    learn_names(ctx, accepted)  # after the ack: the submitter waits for no Slack call


def on_settings_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = SettingsForm.decode(view.get("private_metadata"))
    values = values_of(view)
    new = document.DocumentSettings(
        organisation=str(values.get("organisation") or ""),
        language=str(values.get("language") or ""),
        version=str(values.get("version") or ""),
        default_verdict=str(values.get("default_verdict") or ""),
        default_role=str(values.get("default_role") or ""),
    )
    try:
        with ctx.unit_of_work() as session:
            document.save_document_settings(session, ctx.actor, new)
            confirm(ctx, form, ctx.t("reviewing.saved_settings"))
    except Invalid as invalid:
        aliases = {"verdict": "default_verdict", "role": "default_role"}
        if "default_role" not in _block_ids(view):
            aliases["role"] = "default_verdict"
        ack(response_action="errors", errors=forms.field_errors(ctx, view, invalid.issues, aliases))
        return
    ack()
