"""Management's sign-off in Slack, the asking half: from the adoption modal's approval step
(the gate of `/policy adopt` already passed: the draft as shown, what is not ready confirmed)
the lead picks the approvers (those of the setup, by default) and the channel to announce in;
each approver gets a direct message with what will be adopted, what changed since the last
version, the document (DOCX) and *Approve* / *Decline* buttons; the lead gets one to follow
it, with *Withdraw*. The deciding half is `handlers.rhythm.decisions`.

The modal is answered as soon as the request is recorded, with the lead's message: the
approvers' messages (each in the approver's language, which Slack may have to be asked for,
one `users.info` each) and the document are made after the ack, by the completion step of the
lead's message (`signoff_requests`), from the draft as the request took it, and sent to each
approver through the outbox, once. (Made before the ack, they cost the modal's ack a Slack
round trip per approver, up to twenty, and the draft read three times: 0.3-0.6 s on a busy
test machine, where Slack gives three seconds.) They are made before the step's transaction
(`make_requests`), and queued only if the request is still open then (`signoff.mark_asked`):
a request withdrawn before its approvers were asked reaches none of them, nor its withdrawal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.clock import using
from bot.directory import NameResolver
from bot.exporting import ExportedFile, ExportSource, draft_source, export, load_logo
from bot.reviewing import adoption, versions
from bot.reviewing.fields import split_lines
from bot.rhythm import project, signoff
from bot.rhythm.signoff import Signoff
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.blocks import (
    Block,
    View,
    actions,
    button,
    channel_input,
    input_errors,
    modal,
    people_input,
    section,
    sections,
    text_input,
    values_of,
)
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.names import learn_for_document
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.payloads import AdoptForm, SignoffRef
from handlers.kit.slack import Then
from handlers.rhythm.ids import APPROVE, DECLINE, SIGNOFF_MODAL, WITHDRAW

log = logging.getLogger(__name__)
REQUESTS = "rhythm:signoff_requests"
DOCUMENT = "rhythm:signoff_document"  # the step of lead's messages queued before the above


def on_open(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The approval step's *Ask the approvers in Slack*: the same modal, now for a sign-off."""
    ack()
    ctx = request_context(context)
    view = body.get("view") or {}
    form = AdoptForm.decode(view.get("private_metadata"))
    with ctx.unit_of_work() as session:
        approvers = project.project(session, ctx.settings.language).approvers
        decisions = adoption.proposed_decisions(session)
        ctx.slack.update_view(
            str(view.get("id") or ""), signoff_view(ctx, form, approvers, decisions)
        )


def signoff_view(
    ctx: RequestContext, form: AdoptForm, approvers: tuple[str, ...], decisions: list[str]
) -> View:
    announce_in = form.channel if form.channel and form.channel[:1] in ("C", "G") else None
    blocks: list[Block] = [
        section(ctx.t("rhythm.signoff_intro")),
        people_input(
            "approvers",
            ctx.plain("rhythm.signoff_approvers"),
            approvers,
            action_id="value",
            optional=False,
            hint=ctx.plain("rhythm.signoff_approvers_hint"),
        ),
        text_input(
            "decisions",
            ctx.plain("rhythm.signoff_decisions"),
            "\n".join(decisions),
            action_id="value",
            multiline=True,
            optional=True,
        ),
        channel_input(
            "announce",
            ctx.plain("rhythm.signoff_announce"),
            announce_in,
            action_id="value",
            placeholder=ctx.plain("rhythm.signoff_pick"),
        ),
    ]
    return modal(
        SIGNOFF_MODAL,
        ctx.plain("rhythm.signoff_title"),
        blocks,
        metadata=form.encode(),
        submit=ctx.plain("rhythm.signoff_send"),
        close=ctx.plain("rhythm.setup_cancel"),
    )


def on_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    form = AdoptForm.decode(view.get("private_metadata"))
    values = values_of(view)
    approvers = [str(u) for u in values.get("approvers") or []]
    channel = str(values.get("announce") or "")
    errors: dict[str, str] = {}
    if not approvers:
        errors["approvers"] = ctx.plain("rhythm.error_required")
    if not channel:
        errors["announce"] = ctx.plain("rhythm.error_required")
    if errors:
        ack(response_action="errors", errors=input_errors(errors))
        return
    now = ctx.services.clock.now()
    try:
        with ctx.unit_of_work() as session:
            asked = signoff.ask(
                session,
                ctx.actor,
                approvers,
                split_lines(str(values.get("decisions") or "")),
                channel,
                ctx.settings.language,
                expected=form.fingerprint or "",
                confirmed=form.confirmed,
                now=now,
            )
            tell_lead(ctx, asked)
    except (versions.DraftChanged, adoption.NeedsConfirmation, versions.AdoptionRefused):
        error = ctx.plain("reviewing.error_draft_changed")
        ack(response_action="errors", errors=input_errors({"approvers": error}))
        return
    except signoff.AlreadyAsking:
        error = ctx.plain("rhythm.signoff_already_open")
        ack(response_action="errors", errors=input_errors({"approvers": error}))
        return
    ack()


def tell_lead(ctx: RequestContext, asked: Signoff) -> None:
    """The lead's message to follow the request, with *Withdraw*; its completion step asks
    the approvers (nothing of theirs is work for the modal's ack)."""
    ref = SignoffRef(asked.id).encode()
    lead = ctx.for_user(asked.requested_by)
    followed = lead.t(
        "rhythm.signoff_asked", approvers=mrkdwn.users([a.user for a in asked.approvers])
    )
    withdraw = actions(button(lead.plain("rhythm.signoff_withdraw"), WITHDRAW, ref))
    ctx.slack.direct_message(
        asked.requested_by,
        followed,
        [section(followed), withdraw],
        then=Then(REQUESTS, {"request_id": asked.id, "user": asked.requested_by}),
    )


@dataclass(frozen=True)
class Requests:
    """The approvers' messages (each in the approver's language) and the document, made before
    the completion step's transaction (`make_requests`)."""

    messages: tuple[tuple[str, Mrkdwn, list[Block]], ...]
    document: ExportedFile


def make_requests(ctx: RequestContext, sent: Sent, *, request_id: int, **_: Any) -> Requests | None:
    """What `signoff_requests` sends, made outside any transaction: each approver's language
    may take a `users.info`, the document's names more, and the rendering a while; inside
    the step's transaction on SQLite they held the writer turn, and every ack waited (a
    withdrawal pressed meanwhile was refused: "database is locked"). Slack is asked between
    short reads, never inside one. None when the request is closed already."""
    found = _still_open(ctx, request_id)
    if found is None:
        return None
    readers = _approvers_known(ctx, found)
    document = render_document(ctx, found)
    with using(ctx.services.clock), ctx.db.session() as session:
        preview = adoption.preview_of_request(session, found.document)
    ref = SignoffRef(found.id).encode()
    messages: list[tuple[str, Mrkdwn, list[Block]]] = []
    for reader in readers:
        text = request_text(reader, found, preview)
        buttons = actions(
            button(reader.plain("rhythm.signoff_approve"), APPROVE, ref, style="primary"),
            button(reader.plain("rhythm.signoff_decline"), DECLINE, ref, style="danger"),
        )
        messages.append((reader.actor, text, [*sections(text), buttons]))
    return Requests(tuple(messages), document)


def _still_open(ctx: RequestContext, request_id: int) -> Signoff | None:
    with using(ctx.services.clock), ctx.db.session() as session:
        return open_request(session, request_id)


def _approvers_known(ctx: RequestContext, asked: Signoff) -> list[RequestContext]:
    """Each approver's context, their profile (their language) asked of Slack now if it is not
    stored, before any transaction: the step's, which writes, then finds it stored."""
    readers = [ctx.for_user(approver.user) for approver in asked.approvers]
    for reader in readers:
        reader.know_profile()
    return readers


@after_sending(REQUESTS, prepare=make_requests)
def signoff_requests(
    ctx: RequestContext, sent: Sent, *, request_id: int, prepared: Requests | None, **_: Any
) -> None:
    """After the ack (whether or not Slack took the lead's message): each approver's message,
    with *Approve* / *Decline*, then the document, as `make_requests` made them. A request
    withdrawn before this step, or while its messages were made, asks nobody (and its
    withdrawal told nobody): `signoff.mark_asked` decides, in this transaction."""
    with ctx.unit_of_work() as session:
        asked = signoff.mark_asked(session, request_id) if prepared is not None else None
        if prepared is None or asked is None:
            log.info("sign-off %s closed before its approvers were asked", request_id)
            return
        for user, text, blocks in prepared.messages:
            ctx.slack.direct_message(user, text, blocks)
        upload_document(ctx, asked, prepared.document)


def make_document(
    ctx: RequestContext, sent: Sent, *, request_id: int, **_: Any
) -> ExportedFile | None:
    """What `signoff_document` uploads, made before its transaction as `make_requests` is;
    None when the request is closed."""
    found = _still_open(ctx, request_id)
    if found is None:
        return None
    _approvers_known(ctx, found)  # the upload's comment is in each approver's language
    return render_document(ctx, found)


@after_sending(DOCUMENT, prepare=make_document)
def signoff_document(
    ctx: RequestContext,
    sent: Sent,
    *,
    request_id: int,
    prepared: ExportedFile | None = None,
    **_: Any,
) -> None:
    """The document alone, for a lead's message queued when the request still asked the
    approvers itself (before `signoff_requests`)."""
    if prepared is None:
        return
    with ctx.unit_of_work() as session:
        asked = open_request(session, request_id)
        if asked is not None:
            upload_document(ctx, asked, prepared)


def open_request(session: Session, request_id: int) -> Signoff | None:
    asked = signoff.get(session, request_id)
    if asked is None or asked.state != signoff.OPEN:
        log.info("sign-off %s closed before its approvers were asked", request_id)
        return None
    return asked


def render_document(ctx: RequestContext, asked: Signoff) -> ExportedFile:
    """The document the approvers are asked about, rendered once from the draft the request
    took; the names it lacks looked up in Slack first, outside any transaction."""
    settings, now = ctx.settings, ctx.services.clock.now()

    def source_of(session: Session, resolve: NameResolver | None) -> ExportSource:
        return draft_source(
            session,
            settings.language,
            resolve=resolve,
            zone=settings.timezone,
            now=now,
            policy=asked.document,
        )

    learn_for_document(ctx, source_of)
    with using(ctx.services.clock), ctx.db.session() as session:
        source = source_of(session, None)
    return export(source, "docx", list(asked.decisions), logo=load_logo(settings.logo))


def upload_document(ctx: RequestContext, asked: Signoff, document: ExportedFile) -> None:
    """The rendered document, to each approver."""
    for approver in asked.approvers:
        ctx.slack.upload(
            to_user=approver.user,
            file=document.content,
            filename=document.filename,
            title=document.filename,
            comment=ctx.for_user(approver.user).t("rhythm.signoff_document"),
        )


def request_text(ctx: RequestContext, asked: Signoff, preview: adoption.Preview) -> Mrkdwn:
    lines: list[str] = [
        ctx.t(
            "rhythm.signoff_request",
            lead=mrkdwn.user(asked.requested_by),
            number=preview.number,
            rules=preview.rules,
            sections=preview.sections,
            roles=preview.roles,
        )
    ]
    changes = preview.changes
    if changes is None or preview.previous_label is None:
        lines.append(ctx.t("rhythm.signoff_first"))
    else:
        lines.append(
            ctx.t(
                "rhythm.signoff_changes",
                previous=preview.previous_label,
                added=len(changes.rules_added),
                removed=len(changes.rules_removed),
                changed=len(changes.rules_changed),
                sections=len(changes.sections_changed) + len(changes.sections_added),
            )
        )
    if asked.decisions:
        asked_for = [mrkdwn.fmt("{}. {}", n, d) for n, d in enumerate(asked.decisions[:20], 1)]
        lines.append(ctx.t("rhythm.signoff_to_decide", decisions=mrkdwn.lines(asked_for)))
    lines.append(ctx.t("rhythm.signoff_how"))
    return mrkdwn.lines(lines)
