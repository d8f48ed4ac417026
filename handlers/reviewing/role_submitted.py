"""The role modal submitted, answered without waiting for Slack.

Its fields are checked at once (one contact chosen; the role as the format and the draft
take it, `items.check_role`): a bad one is answered in the modal, in the lead's language, and
nothing changes. A contact Slack need not be asked about (an e-mail address) is saved in the
ack's transaction. Otherwise that transaction records only the role, as the hook arguments
of an outbox read of its contact (`Outgoing.look_up_contact`: the name of a picked person, group or
channel; the id of a typed `@name` or `#name`); after the ack that read is made (tried again
while Slack is slow or down, by whichever instance, as every outbox letter is), and its
completion step (`role_with_contact`) saves the role once and tells the lead by DM, or, when
only Slack's answer shows the contact is wrong (nobody goes by the typed name, an unknown
id), tells the lead what to fix and saves nothing. (Asked before the ack, `users.info`,
`usergroups.list` and `users.list` took up to the client's 10 s each when Slack was slow,
and the modal missed its three seconds.)"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import directory
from bot.reviewing import items
from bot.reviewing.errors import Invalid, NotFound
from bot.reviewing.fields import split_list
from bot.reviewing.review import OTHER
from bot.storage import Session
from handlers.kit.asker import asker_known
from handlers.kit.blocks import input_errors, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.letters import Then
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.names import contact_shown
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.payloads import RoleForm
from handlers.reviewing import forms
from handlers.reviewing.contacts import chosen_contact
from handlers.reviewing.forms import CONTACT_TYPED
from handlers.reviewing.submissions import confirm, refuse

WITH_CONTACT = "reviewing:role_with_contact"  # the completion step of the contact's read


def on_role_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = RoleForm.decode(view.get("private_metadata"))
    values = values_of(view)
    chosen = chosen_contact(values)
    if chosen.error is not None:
        block, key = chosen.error
        ack(response_action="errors", errors=input_errors({block: ctx.plain(key)}))
        return
    data = {
        "id": str(values.get("id") or "").strip(),
        "name": str(values.get("name") or "").strip(),
        "contact": chosen.contact,
        "handles": str(values.get("handles") or "").strip(),
        "keywords": split_list(values.get("keywords")),
    }
    if form.section and form.section != OTHER and form.role is None:
        data["section"] = form.section  # a new role belongs to the section it was added on
    try:
        with ctx.unit_of_work() as session:
            if chosen.read is None:  # nothing for Slack to say
                saved = items.save_role(session, ctx.actor, data, form.role)
                confirm(ctx, form, ctx.t("reviewing.saved_role", id=saved.id))
            else:  # the contact is Slack's to say, after the ack
                items.check_role(session, data | {"contact": chosen.checked_as}, form.role)
                lang = ctx.known_lang  # None: the lead's profile not stored, asked after the ack
                args = {"user": ctx.actor, "lang": lang, "role": data, "pk": form.role}
                ctx.slack.look_up_contact(chosen.read, Then(WITH_CONTACT, args))
    except (Invalid, NotFound) as refusal:
        refuse(ack, ctx, view, refusal, {"contact": CONTACT_TYPED})
        return
    ack()


@after_sending(WITH_CONTACT)
def role_with_contact(
    ctx: RequestContext,
    sent: Sent,
    *,
    role: dict[str, Any],
    pk: int | None,
    lang: str | None = None,
    **_: Any,
) -> None:
    """After the ack, once Slack has said who the contact is (in the transaction that settles
    the read, so it runs once): save the role, remember the contact's name and tell the lead
    by DM; or, when Slack's answer makes the role wrong (or Slack would not say), tell the lead
    what to fix and change nothing. In the language the lead submitted in (`lang`); when that
    was not known before the ack (their profile not stored), theirs, asked of Slack outside
    the step's unit of work (`asker_known`)."""
    ctx.speak(lang)
    with ctx.unit_of_work() as session:
        if lang is None:
            asker_known(ctx)
        problem = _save_with_contact(ctx, session, sent, role, pk)
        if problem is not None:
            role_id = str(role.get("id") or "")
            ctx.slack.direct_message(ctx.actor, not_saved(ctx, role_id, problem))


def _save_with_contact(
    ctx: RequestContext, session: Session, sent: Sent, role: dict[str, Any], pk: int | None
) -> Mrkdwn | str | None:
    """Save the role with the contact Slack gave and tell the lead; else what stops it (Slack
    would not say, nobody goes by the name, the role changed meanwhile), with nothing written:
    `save_role` refuses before it writes, so the step's transaction goes on."""
    if not sent.ok:
        return ctx.t("reviewing.error_contact_unread", error=sent.error)
    found = sent.contact
    if not found.get("contact"):
        return ctx.t("reviewing.error_contact_unknown", typed=role.get("contact"))
    try:
        saved = items.save_role(session, ctx.actor, role | {"contact": found["contact"]}, pk)
    except Invalid as invalid:  # changed meanwhile: the id taken, the role in use
        return " ".join(forms.issue_text(ctx, issue) for issue in invalid.issues)
    except NotFound:
        return ctx.t("reviewing.gone")
    names: dict[str, str] = {}
    if found.get("name") and found.get("slack_id"):  # the name with the id: documents show it
        directory.remember_name(session, found["slack_id"], found["kind"], found["name"])
        names[found["slack_id"]] = found["name"]
    shown = contact_shown(saved.contact, names)
    ctx.slack.direct_message(
        ctx.actor, ctx.t("reviewing.saved_role_contact", id=saved.id, contact=shown)
    )
    return None


def not_saved(ctx: RequestContext, role_id: str, problem: Mrkdwn | str) -> Mrkdwn:
    """What the lead must fix (a plain `problem` is escaped)."""
    return ctx.t("reviewing.role_not_saved", id=role_id, problem=problem)
