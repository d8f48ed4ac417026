"""`/policy show SECTION [--history]`: the contributions to a section, attributed, or every
change recorded for it; in messages, or as a Markdown file when that is too long."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bot import audit
from bot.drafting.contributions import Entry, QuestionEntries
from bot.drafting.template import SectionTemplate
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, sections
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn, shown
from handlers.kit.status import when

# The words for what the audit trail records; an action or entity another capability
# records and this list does not know is shown as it is.
ACTIONS = {
    "add": "drafting.action.add",
    "edit": "drafting.action.edit",
    "remove": "drafting.action.remove",
    "withdraw": "drafting.action.withdraw",
    "accepted": "drafting.action.accepted",
    "rejected": "drafting.action.rejected",
    "reset": "drafting.action.reset",
    "comment": "drafting.action.comment",
}
ENTITIES = {
    "contribution": "drafting.entity.contribution",
    "rule": "drafting.entity.rule",
    "role": "drafting.entity.role",
    "section": "drafting.entity.section",
    "group": "drafting.entity.group",
    "setting": "drafting.entity.setting",
    "version": "drafting.entity.version",
}


def show_chunks(
    lang: str,
    section_t: SectionTemplate,
    listed: list[QuestionEntries],
    people: Collection[str] = (),
) -> list[Mrkdwn]:
    """The contributions per question, attributed: one chunk per question (split further by
    the caller to fit a section block); `@U…` of `people` shown as mentions."""
    chunks = [say(lang, "drafting.show_title", title=section_t.title.get(lang))]
    for number, item in enumerate(listed, start=1):
        lines = [mrkdwn.fmt("*{}. {}*", number, item.question.prompt.get(lang))]
        if not item.entries:
            lines.append(say(lang, "drafting.show_no_answers"))
        for entry in item.entries:
            lines.append(
                mrkdwn.join("\n", (mrkdwn.fmt("> {}", line) for line in _lines(entry, people)))
            )
            lines.append(_entry_meta(lang, entry))
        chunks.append(mrkdwn.lines(lines))
    return chunks


def _lines(entry: Entry, people: Collection[str]) -> list[Mrkdwn]:
    return [shown(line, people=people) for line in entry.text.splitlines() or [""]]


def _entry_meta(lang: str, entry: Entry) -> Mrkdwn:
    date = when(entry.created_at, lang)
    meta = say(lang, "drafting.show_meta", author=mrkdwn.user(entry.author), date=date)
    if entry.edited:
        meta += say(lang, "drafting.show_edited")
    if entry.permalink:
        meta += " · " + mrkdwn.link(entry.permalink, plain(lang, "drafting.show_link"))
    drafted = [*entry.rules, *entry.roles]
    if drafted:
        ids = mrkdwn.join(", ", (mrkdwn.code(d) for d in drafted))
        meta += " · " + say(lang, "drafting.show_drafted", ids=ids)
    return meta


def show_plain(lang: str, section_t: SectionTemplate, listed: list[QuestionEntries]) -> str:
    """The same as a Markdown file, for when it is too long for messages."""
    out = [f"# {section_t.title.get(lang)}", ""]
    for number, item in enumerate(listed, start=1):
        out += [f"## {number}. {item.question.prompt.get(lang)}", ""]
        if not item.entries:
            out += [plain(lang, "drafting.file_no_answers"), ""]
        for entry in item.entries:
            out += ["> " + line for line in entry.text.splitlines() or [""]]
            # A file, not a message: Slack's <!date…> would not render there.
            date = entry.created_at.strftime("%Y-%m-%d %H:%M UTC")
            meta = plain(lang, "drafting.file_meta", author=entry.author, date=date)
            out += [meta + (f" {entry.permalink}" if entry.permalink else ""), ""]
    return "\n".join(out)


def history_chunks(
    lang: str, section_t: SectionTemplate, entries: list[audit.Change], people: Collection[str] = ()
) -> list[Mrkdwn]:
    chunks = [say(lang, "drafting.history_title", title=section_t.title.get(lang))]
    if not entries:
        chunks.append(say(lang, "drafting.history_empty"))
    for entry in entries:
        change = mrkdwn.EMPTY
        before, after = _describe(entry.before), _describe(entry.after)
        if before and after:
            change = mrkdwn.fmt(
                ": {} → {}", shown(before, people=people), shown(after, people=people)
            )
        elif after or before:
            change = mrkdwn.fmt(": {}", shown(after or before, people=people))
        chunks.append(
            say(
                lang,
                "drafting.history_line",
                at=when(entry.at, lang),
                actor=mrkdwn.user(entry.actor),
                action=_word(lang, ACTIONS, entry.action),
                entity=_word(lang, ENTITIES, entry.entity),
                id=entry.entity_id,
                change=change,
            )
        )
    return chunks


def _describe(value: Any) -> str:
    """One line for an audit before/after value: the text that matters, shortened."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "text" in value and "verdict" in value:
            return _short(f"{value['verdict']}: {value['text']}", 200)
        if "text" in value:
            return _short(str(value["text"]), 200)
        if "name" in value:
            contact = value.get("contact") or "–"
            return _short(f"{value['name']} ({contact})", 200)
    return _short(str(value), 200)


def _word(lang: str, words: dict[str, str], word: str) -> Mrkdwn:
    return say(lang, words[word]) if word in words else mrkdwn.esc(word)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_blocks(chunks: list[Mrkdwn]) -> list[Block]:
    """Chunks as section blocks, each split to fit Slack's 3,000 characters."""
    blocks: list[Block] = []
    for chunk in chunks:
        blocks.extend(sections(chunk))
    return blocks
