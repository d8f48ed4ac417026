"""The direct message that asks someone to acknowledge a version: what concerns them (their
groups' rules, or what changed since the version they acknowledged, each marked as added,
stricter, loosened, reworded or removed), a link to the whole document, and *I have read it*.
Rules are quoted in the policy's language; the bot's own words are in the reader's."""

from __future__ import annotations

import datetime as dt

from bot.asking.service import VERDICT_NAMES
from bot.living.acknowledgement import CHANGES, Reading
from bot.living.changes import ADDED, LOOSENED, REMOVED, REWORDED, STRICTER, RuleChange
from bot.policy.model import Rule
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, actions, button, context, header, section
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import AckRef
from handlers.living.ids import READ_ACTION

RULES_SHOWN = 12
TEXT_SHOWN = 300
CHANGE_WORDS = {
    ADDED: "living.ack.change.added",
    STRICTER: "living.ack.change.stricter",
    LOOSENED: "living.ack.change.loosened",
    REWORDED: "living.ack.change.reworded",
    REMOVED: "living.ack.change.removed",
}


def _rule_line(lang: str, rule: Rule, tag: Mrkdwn | None = None) -> Mrkdwn:
    text = rule.text if len(rule.text) <= TEXT_SHOWN else rule.text[:TEXT_SHOWN].rsplit(" ", 1)[0]
    verdict = say(lang, VERDICT_NAMES[rule.verdict])
    line = say(lang, "living.ack.rule", id=rule.id, verdict=verdict, text=text)
    return mrkdwn.fmt("{} {}", tag, line) if tag is not None else line


def _change_line(lang: str, change: RuleChange) -> Mrkdwn:
    return _rule_line(lang, change.rule, say(lang, CHANGE_WORDS[change.change]))


def request_message(
    lang: str, found: Reading, done_at: dt.datetime | None = None
) -> tuple[Mrkdwn, list[Block]]:
    """The request as `lang` reads it; once acknowledged (`done_at`), without the button."""
    version = found.version
    title = plain(lang, "living.ack.title", label=version.label)
    blocks: list[Block] = [header(title)]
    lines: list[Mrkdwn]
    if found.request.scope == CHANGES and found.since_label is not None:
        if found.changes:
            intro = say(
                lang,
                "living.ack.intro_changes",
                label=version.label,
                since=found.since_label,
                count=len(found.changes),
            )
            lines = [_change_line(lang, c) for c in found.changes[:RULES_SHOWN]]
        else:
            intro = say(
                lang, "living.ack.intro_unchanged", label=version.label, since=found.since_label
            )
            lines = []
        shown = len(found.changes)
    else:
        intro = say(lang, "living.ack.intro_full", label=version.label, count=len(found.rules))
        lines = [_rule_line(lang, r) for r in found.rules[:RULES_SHOWN]]
        shown = len(found.rules)
    blocks.append(section(intro))
    for line in lines:
        blocks.append(section(line))
    if shown > RULES_SHOWN:
        blocks.append(context(say(lang, "living.ack.more", count=shown - RULES_SHOWN)))
    if found.link:
        read = mrkdwn.link(found.link, plain(lang, "living.ack.read_all", label=version.label))
        blocks.append(section(read))
    if done_at is None:
        label = plain(lang, "living.ack.button")
        value = AckRef(version.number).encode()
        blocks.append(
            actions(button(label, READ_ACTION, value, style="primary"), block_id=READ_ACTION)
        )
    else:
        blocks.append(context(say(lang, "living.ack.done", when=mrkdwn.moment(done_at))))
    return say(lang, "living.ack.notification", label=version.label), blocks
