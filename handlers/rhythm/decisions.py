"""Management's sign-off in Slack, the deciding half: *Approve*, *Decline* (with a reason, in
a modal), the lead's *Withdraw*; and when the last approver approves, the version is adopted,
announced in the channel the lead chose, and the working group thanked by name with what each
contributed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.reviewing import adoption
from bot.reviewing.versions import AdoptedVersion
from bot.rhythm import signoff
from bot.rhythm.signoff import APPROVED, DECLINED, Decided, Signoff
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, input_errors, modal, section, text_input, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import SignoffRef
from handlers.kit.thanks import thank_working_group
from handlers.rhythm.ids import DECLINE_MODAL

REASON_LENGTH = 1000
# The announcement of a new version: the reviewing capability's, passed in where the two
# capabilities meet (`handlers/__init__.py`).
Announce = Callable[[adoption.Announcement], tuple[Mrkdwn, list[Block]]]


class Decisions:
    def __init__(self, announce: Announce) -> None:
        self.announce = announce

    # -- approve ----------------------------------------------------------------------------
    def on_approve(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        ctx = request_context(context)
        ref = SignoffRef.decode(_value(body))
        self.decide(ctx, ref.request, APPROVED, None)

    # -- decline, with a reason ---------------------------------------------------------------
    def on_decline(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        ctx = request_context(context)
        ref = SignoffRef.decode(_value(body))
        with ctx.unit_of_work() as session:
            found = signoff.get(session, ref.request)
        if found is None or ctx.actor not in {a.user for a in found.approvers}:
            ctx.slack.respond(ctx.t("rhythm.signoff_not_yours"))
            return
        blocks = [
            section(ctx.t("rhythm.signoff_decline_intro")),
            text_input(
                "reason",
                ctx.plain("rhythm.signoff_reason"),
                action_id="value",
                multiline=True,
                max_length=REASON_LENGTH,
            ),
        ]
        view = modal(
            DECLINE_MODAL,
            ctx.plain("rhythm.signoff_decline_title"),
            blocks,
            metadata=ref.encode(),
            submit=ctx.plain("rhythm.signoff_decline"),
            close=ctx.plain("rhythm.setup_cancel"),
        )
        ctx.slack.open_view(str(body.get("trigger_id") or ""), view)

    def on_decline_submitted(self, ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        ctx = request_context(context)
        ref = SignoffRef.decode(view.get("private_metadata"))
        reason = str(values_of(view).get("reason") or "").strip()
        if not reason:
            ack(
                response_action="errors",
                errors=input_errors({"reason": ctx.plain("rhythm.error_required")}),
            )
            return
        ack()
        self.decide(ctx, ref.request, DECLINED, reason)

    # -- the decision ---------------------------------------------------------------------------
    def decide(
        self, ctx: RequestContext, request_id: int, decision: str, reason: str | None
    ) -> None:
        now = ctx.services.clock.now()
        names = self._names(ctx, request_id)

        def work(session: Session) -> None:
            try:
                decided = signoff.decide(
                    session,
                    request_id,
                    ctx.actor,
                    decision,
                    reason=reason,
                    now=now,
                    today=ctx.settings.calendar.today(now),
                    fallback_language=ctx.settings.language,
                    names=names,
                )
            except signoff.NotAnApprover:
                ctx.slack.tell_privately(None, ctx.actor, ctx.t("rhythm.signoff_not_yours"))
                return
            except signoff.Closed as closed:
                ctx.slack.tell_privately(None, ctx.actor, _closed_text(ctx, closed.closed))
                return
            except signoff.AlreadyDecided as already:
                key = (
                    "rhythm.signoff_you_approved"
                    if already.approver.decision == APPROVED
                    else "rhythm.signoff_you_declined"
                )
                ctx.slack.tell_privately(None, ctx.actor, ctx.t(key))
                return
            self._told(ctx, session, decided)

        ctx.retrying(work)

    def _names(self, ctx: RequestContext, request_id: int) -> dict[str, str]:
        """The approvers' names, for the approval record (looked up before the work: a
        retried transaction must not wait on Slack)."""
        with ctx.unit_of_work() as session:
            found = signoff.get(session, request_id)
        names: dict[str, str] = {}
        for approver in found.approvers if found is not None else ():
            user = ctx.lookup.user(approver.user)
            if user is not None and (user.real_name or user.name):
                names[approver.user] = str(user.real_name or user.name)
        return names

    def _told(self, ctx: RequestContext, session: Session, decided: Decided) -> None:
        found, lead = decided.signoff, decided.signoff.requested_by
        reader = ctx.for_user(lead)
        if decided.decision == DECLINED:
            ctx.slack.respond(ctx.t("rhythm.signoff_you_declined"))
            text = reader.t(
                "rhythm.signoff_declined",
                approver=mrkdwn.user(ctx.actor),
                reason=mrkdwn.quote(found.reason or ""),
            )
            ctx.slack.direct_message(lead, text)
            for other in found.approvers:
                if other.user != ctx.actor:
                    peer = ctx.for_user(other.user)
                    ctx.slack.direct_message(other.user, peer.t("rhythm.signoff_closed_declined"))
            return
        ctx.slack.respond(ctx.t("rhythm.signoff_you_approved"))
        if decided.version is None:
            waiting = mrkdwn.users(found.waiting_for)
            text = reader.t(
                "rhythm.signoff_progress", approver=mrkdwn.user(ctx.actor), waiting=waiting
            )
            ctx.slack.direct_message(lead, text)
            return
        self._adopted(ctx, session, found, decided.version)

    def _adopted(
        self, ctx: RequestContext, session: Session, found: Signoff, version: AdoptedVersion
    ) -> None:
        text, blocks = self.announce(adoption.announcement(session, version))
        ctx.slack.post(found.announce_in, text, blocks, unfurl_links=False)
        thanks = thank_working_group(session, version)
        if thanks is not None:
            ctx.slack.post(found.announce_in, thanks)
        for user in dict.fromkeys([found.requested_by, *(a.user for a in found.approvers)]):
            reader = ctx.for_user(user)
            done = reader.t(
                "rhythm.signoff_adopted",
                label=version.label,
                number=version.number,
                channel=mrkdwn.channel(found.announce_in),
            )
            ctx.slack.direct_message(user, done)

    # -- withdraw -----------------------------------------------------------------------------
    def on_withdraw(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        ctx = request_context(context)
        ref = SignoffRef.decode(_value(body))
        now = ctx.services.clock.now()
        try:
            with ctx.unit_of_work() as session:
                found = signoff.withdraw(session, ref.request, ctx.actor, now)
                ctx.slack.respond(ctx.t("rhythm.signoff_withdrawn"))
                # Withdrawn before the approvers were asked: they never saw it, nothing to say.
                for approver in found.approvers if found.approvers_asked else ():
                    reader = ctx.for_user(approver.user)
                    text = reader.t("rhythm.signoff_closed_withdrawn", lead=mrkdwn.user(ctx.actor))
                    ctx.slack.direct_message(approver.user, text)
        except signoff.Closed as closed:
            ctx.slack.respond(_closed_text(ctx, closed.closed))
        except signoff.NotAnApprover:
            ctx.slack.respond(ctx.t("reviewing.gone"))


def _closed_text(ctx: RequestContext, closed: Signoff) -> Mrkdwn:
    keys = {
        signoff.ADOPTED: "rhythm.signoff_closed_adopted",
        signoff.DECLINED: "rhythm.signoff_closed_declined",
        signoff.WITHDRAWN: "rhythm.signoff_closed_withdrawn",
    }
    return ctx.t(
        keys.get(closed.state, "rhythm.signoff_closed_withdrawn"),
        lead=mrkdwn.user(closed.requested_by),
    )


def _value(body: dict[str, Any]) -> str:
    return str(((body.get("actions") or [{}])[0]).get("value") or "")
