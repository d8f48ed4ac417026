"""Telling the working group what the lead decided: each author whose contribution was
accepted or rejected hears it privately, in their own language, with the lead's comment.
An author whose profile is not stored is not looked up in Slack before the ack nor inside
the unit of work that decided: their message is made after the commit, by the step of an
outbox read of their profile (`TELL_AUTHOR`), in the language Slack then gives. The names
the accepted roles bring in are looked up after the commit (`learn_names`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.drafting.template import load_template
from bot.reviewing import items
from bot.reviewing.proposals import ACCEPTED, REJECTED, Decision
from handlers.kit import mrkdwn
from handlers.kit.context import RequestContext
from handlers.kit.letters import Then
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.names import learn_unknown
from handlers.kit.outbox import Sent, after_sending

TELL_AUTHOR = "reviewing:tell_author"  # the step of the author's profile, read after the ack
TOLD = {ACCEPTED: "reviewing.told_accepted", REJECTED: "reviewing.told_rejected"}
QUOTED = 300  # characters of the contribution quoted back to its author


def learn_names(ctx: RequestContext, decided: list[Decision]) -> None:
    """After the decision's commit and the ack: the people, user groups and channels that
    accepted roles name get their names looked up (documents show names), outside any
    transaction, so a slow Slack holds nobody's write."""
    role_ids = {role for d in decided if d.decision == ACCEPTED for role in d.roles}
    if role_ids:
        with ctx.unit_of_work() as session:
            contacts = [r.contact for r in items.roles(session) if r.id in role_ids]
        learn_unknown(ctx, contacts)


def tell_authors(ctx: RequestContext, decided: list[Decision]) -> None:
    """In the unit of work that decided (so they are told exactly when it commits): each
    author whose contribution was accepted or rejected is told privately, in their language,
    once per action (several of theirs in one message). Slack is asked nothing here
    (`ctx.phase`): an author whose profile is not stored is told by a step after the
    commit (`TELL_AUTHOR`)."""
    by_author: dict[str, list[Decision]] = {}
    for decision in decided:
        if decision.decision in TOLD and decision.author != ctx.actor:
            by_author.setdefault(decision.author, []).append(decision)
    for author, theirs in by_author.items():
        them = ctx.for_user(author)
        if them.known_lang is None:  # their profile not stored: Slack is asked after
            args = {"user": author, "lead": ctx.actor, "decided": [asdict(d) for d in theirs]}
            ctx.slack.look_up_person(author, Then(TELL_AUTHOR, args))
            continue
        lines = [told(them, ctx.actor, d) for d in theirs]
        ctx.slack.tell_privately(None, author, mrkdwn.join("\n\n", lines))


@after_sending(TELL_AUTHOR)
def tell_author(
    ctx: RequestContext, sent: Sent, *, lead: str, decided: list[dict[str, Any]], **_: Any
) -> None:
    """After the ack, once Slack has said who the author is (their language): they are told,
    in the transaction that settles the read, so once."""
    ctx.learn_profile(sent.person)
    theirs = [
        Decision(**(d | {"rules": tuple(d["rules"]), "roles": tuple(d["roles"])})) for d in decided
    ]
    lines = [told(ctx, lead, d) for d in theirs]
    ctx.slack.tell_privately(None, ctx.actor, mrkdwn.join("\n\n", lines))


def told(them: RequestContext, lead: str, decision: Decision) -> Mrkdwn:
    try:
        title = load_template().section(decision.section_id).title.get(them.lang)
    except KeyError:
        title = decision.section_id
    drafted = mrkdwn.EMPTY
    if decision.decision == ACCEPTED and decision.rules + decision.roles:
        ids = mrkdwn.join(", ", map(mrkdwn.code, decision.rules + decision.roles))
        drafted = them.t("reviewing.told_drafted", ids=ids)
    comment = (
        them.t("reviewing.told_comment", comment=decision.comment)
        if decision.comment
        else mrkdwn.EMPTY
    )
    return them.t(
        TOLD[decision.decision],
        lead=mrkdwn.user(lead),
        section=title,
        text=mrkdwn.quote(decision.text[:QUOTED]),
        drafted=drafted,
        comment=comment,
    )
