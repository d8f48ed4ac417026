"""Answers that follow new versions, in Slack: once a version is adopted (after the ack, in
the announcement's completion step) the kept questions are asked again (`bot.living.rechecks`);
each asker whose answer changed gets one direct message, in their language, with the old and
the new verdict and the rules that changed; the lead hears how many answers changed.

A notice is marked sent in the transaction that writes its message to the outbox, so it goes
out once, whichever instance runs the step."""

from __future__ import annotations

from collections.abc import Sequence

from bot.asking.service import VERDICT_NAMES
from bot.living import rechecks
from bot.living.acknowledgement import version_doc
from bot.policy.model import Rule
from bot.storage import Session
from bot.vocabulary import Verdict
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, context, section
from handlers.kit.catalogue import say
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.people import know_people, with_people_known
from handlers.living.ack_form import choose_button

TEXT_SHOWN = 300


def after_adoption(ctx: RequestContext, number: int) -> None:
    """Follow up the adoption of version `number` (the lead who adopted it hears how many
    answers changed)."""
    leads = [ctx.user_id] if ctx.user_id else []
    with_people_known(ctx, lambda session: follow_up(ctx, session, number, leads))


def follow_up(ctx: RequestContext, session: Session, number: int, leads: Sequence[str]) -> bool:
    """Ask the kept questions again of version `number`, tell whose answer changed, and tell
    `leads` how many did, when any did. False when it was done before (by this or another
    instance, or the scheduler)."""
    # The leads' languages first: one may take Slack (a lead first seen, when the version was
    # adopted outside Slack), asked with no transaction open (`know_people`).
    know_people(ctx, leads)
    readers = [ctx.for_user(lead) for lead in leads]
    done = rechecks.recheck(session, number, ctx.settings.retention_days, ctx.services.clock.now())
    if done is None:
        return False
    tell_changed(ctx, session, number)
    found = version_doc(session, number)
    label = found.label if found is not None else str(number)
    for lead, reader in zip(leads, readers, strict=True):  # what changed; who must read it
        lines = [reader.t("living.recheck.adopted", label=label)]
        if done.changed:
            lines.append(reader.t("living.recheck.lead", count=done.changed, asked=done.asked))
        text = mrkdwn.lines(lines)
        ctx.slack.direct_message(lead, text, [section(text), choose_button(reader, number)])
    return True


def tell_changed(ctx: RequestContext, session: Session, number: int) -> int:
    """Write the unsent notices of version `number` to the outbox, each marked sent with it;
    how many."""
    found = version_doc(session, number)
    if found is None:
        return 0
    told = 0
    for notice in rechecks.unsent(session, number):
        if not rechecks.mark_sent(session, notice, ctx.services.clock.now()):
            continue
        rules = [rule for rule_id in notice.rule_ids if (rule := found.document.rule(rule_id))]
        text, blocks = notice_message(notice, found.label, rules)
        ctx.slack.direct_message(notice.asker, text, blocks, unfurl_links=False)
        told += 1
    return told


def _verdict(lang: str, verdict: str) -> Mrkdwn:
    return say(lang, VERDICT_NAMES[Verdict(verdict)])


def notice_message(
    notice: rechecks.Notice, label: str, rules: list[Rule]
) -> tuple[Mrkdwn, list[Block]]:
    lang = notice.language
    question = notice.text if len(notice.text) <= TEXT_SHOWN else notice.text[:TEXT_SHOWN] + "…"
    headline = say(
        lang,
        "living.recheck.changed",
        label=label,
        old=_verdict(lang, notice.old_verdict),
        new=_verdict(lang, notice.new_verdict),
    )
    blocks: list[Block] = [section(headline), section(mrkdwn.quote(question))]
    for rule in rules[:5]:
        shown = rule.text if len(rule.text) <= TEXT_SHOWN else rule.text[:TEXT_SHOWN] + "…"
        line = say(
            lang,
            "living.recheck.rule",
            id=rule.id,
            verdict=_verdict(lang, rule.verdict),
            text=shown,
        )
        blocks.append(section(line))
    blocks.append(context(say(lang, "living.recheck.footer")))
    return headline, blocks
