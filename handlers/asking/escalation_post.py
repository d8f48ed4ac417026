"""The post that brings a question to a role, in the organisation's language, drawn from the
escalation's record: again whenever its state changes (marked answered, opened again).

The question is shown as the log keeps it (personal data masked); the only link is to where it
was asked, and only when that is a public channel, which the role can open. Replies in the
post's thread reach the asker; the *Mark answered* button closes it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.asking import escalations
from bot.asking.escalations import EscalationView
from bot.asking.intents import CHECK, SEARCH, WHO
from bot.asking.masking import excerpt
from bot.asking.service import VERDICT_NAMES
from bot.dates import format_date
from bot.vocabulary import Verdict
from handlers.asking.answers import quote_text
from handlers.asking.ids import MARK_ANSWERED_ACTION
from handlers.asking.targets import PERSON, Target
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, sections
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import EscalationRef

LANGUAGE = "lang"  # the details key of the language the post is written in

# How the post names the kind of question that was asked.
KIND_LINES = {
    CHECK: "asking.escalate.kind.check",
    WHO: "asking.escalate.kind.who",
    SEARCH: "asking.escalate.kind.search",
}


def role_post(row: EscalationView, zone: ZoneInfo) -> tuple[Mrkdwn, list[Block]]:
    """The post's notification text and blocks, as the escalation stands."""
    lang = row.details.get(LANGUAGE) or row.asker_language
    body = _body(row, lang)
    blocks = sections(body)
    if row.status == escalations.ANSWERED:
        by = mrkdwn.user(row.answered_by) if row.answered_by else mrkdwn.EMPTY
        on = format_date(row.answered_at, lang, zone) if row.answered_at else "?"
        asker = mrkdwn.user(row.asker)
        blocks.append(context(say(lang, "asking.escalate.marked", by=by, date=on, asker=asker)))
    else:
        label = plain(lang, "asking.escalate.mark_button")
        value = EscalationRef(row.id).encode()
        blocks.append(
            actions(
                button(label, MARK_ANSWERED_ACTION, value, style="primary"),
                block_id=MARK_ANSWERED_ACTION,
            )
        )
    asker = mrkdwn.user(row.asker)
    return say(lang, "asking.escalate.post_title", role=row.role_name, asker=asker), blocks


def _body(row: EscalationView, lang: str) -> Mrkdwn:
    target = Target.of(row)
    asker = mrkdwn.user(row.asker)
    lines = [say(lang, "asking.escalate.post_title", role=row.role_name, asker=asker)]
    if target.mention and target.kind != PERSON:
        lines.append(say(lang, "asking.escalate.post_group", group=target.mention))
    if target.via_email:
        contact = mrkdwn.mailto(target.via_email)
        lines.append(
            say(lang, "asking.escalate.post_for_email", role=row.role_name, contact=contact)
        )
    lines.append(say(lang, KIND_LINES.get(row.kind, KIND_LINES[SEARCH])))
    if row.text:  # kept masked, like the question log
        lines.append(quote_text(excerpt(row.text, 2000), 2100))
    else:
        lines.append(say(lang, "asking.escalate.text_gone"))
    version = row.policy_version or "?"
    if row.kind == CHECK and row.verdict and row.rule_ids:
        rules = say(lang, "asking.escalate.rules", rules=", ".join(row.rule_ids))
        verdict = say(lang, VERDICT_NAMES[Verdict(row.verdict)])
        lines.append(
            say(lang, "asking.escalate.bot_said", verdict=verdict, rules=rules, version=version)
        )
    elif row.kind == CHECK:
        lines.append(say(lang, "asking.escalate.bot_said_uncovered", version=version))
    if row.origin_link:
        lines.append(mrkdwn.link(row.origin_link, plain(lang, "asking.escalate.link")))
    lines.append(say(lang, "asking.escalate.reply_here", asker=asker))
    return mrkdwn.lines(lines)
