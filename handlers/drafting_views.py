"""What drafting posts: the session message, questions, the summary, status and `show` text.

Everything here is built from the core's plain values and the catalogue; user text goes
through `shown()` (escaped), and long text is split so no block passes Slack's limits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.drafting.contributions import Entry, QuestionEntries
from bot.drafting.rule_library import load_rule_library
from bot.drafting.sessions import Resume
from bot.drafting.status import DraftStatus, SectionStatus, SessionSummary
from bot.drafting.template import Question, SectionTemplate
from bot.i18n import t
from bot.storage.models.policy import AuditEntry
from handlers.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    option,
    section,
    sections,
    static_select,
)
from handlers.drafting_markup import shown
from handlers.slack_text import esc

PICK_BUTTON = "drafting_pick_"  # + option number: action ids must differ within a block
PICK_SELECT = "drafting_pick_select"
PICKS_SELECT = "drafting_picks_select"
LIBRARY_SELECT = "drafting_library_select"
START_SECTION = "drafting_start_section"
QUESTION_BLOCK = "drafting_q"  # block_id "drafting_q:<session>:<index>" for selects


def question_block_id(session_id: int, index: int) -> str:
    return f"{QUESTION_BLOCK}:{session_id}:{index}"


def parse_question_block_id(block_id: str) -> tuple[int, int] | None:
    parts = block_id.split(":")
    if len(parts) != 3 or parts[0] != QUESTION_BLOCK:
        return None
    try:
        return int(parts[1]), int(parts[2])
    except ValueError:
        return None


def bar(answered: int, total: int) -> str:
    """▰▰▰▱▱: one mark per question, filled when it has an answer."""
    return "▰" * min(answered, total) + "▱" * max(total - answered, 0)


def when(moment: dt.datetime | None, lang: str) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else t(lang, "drafting.never")


def people(user_ids: tuple[str, ...] | list[str], limit: int = 12) -> str:
    names = [f"<@{u}>" for u in user_ids[:limit]]
    if len(user_ids) > limit:
        names.append(f"+{len(user_ids) - limit}")
    return ", ".join(names)


# -- the session ------------------------------------------------------------------------------
def session_message(
    lang: str, section_t: SectionTemplate, started_by: str, resume: Resume
) -> tuple[str, list[Block]]:
    title = t(lang, "drafting.session_title", title=section_t.title.get(lang))
    blocks = [header(title), *sections(esc(section_t.intro.get(lang)))]
    if resume.contributions:
        blocks.append(
            section(
                t(
                    lang,
                    "drafting.continuing",
                    contributions=resume.contributions,
                    contributors=resume.contributors,
                    number=resume.index + 1,
                    total=len(section_t.questions),
                )
            )
        )
    blocks.append(context(t(lang, "drafting.session_footer", user=f"<@{started_by}>")))
    return title, blocks


def question_message(
    lang: str,
    section_t: SectionTemplate,
    session_id: int,
    index: int,
    tally: str = "",
) -> tuple[str, list[Block]]:
    question = section_t.questions[index]
    heading = t(
        lang,
        "drafting.question_heading",
        number=index + 1,
        total=len(section_t.questions),
        title=esc(section_t.title.get(lang)),
    )
    prompt = esc(question.prompt.get(lang))
    blocks: list[Block] = sections(f"{heading}\n*{prompt}*")
    if question.hint is not None:
        blocks.append(context(esc(question.hint.get(lang))))
    picker = _picker(lang, question, session_id, index)
    if picker is not None:
        blocks.append(picker)
    if tally:
        blocks.append(context(tally))
    value = f"{session_id}:{index}"
    blocks.append(
        actions(
            button(t(lang, "drafting.button_next"), "drafting_nav_next", value, style="primary"),
            button(t(lang, "drafting.button_skip"), "drafting_nav_skip", value),
            button(t(lang, "drafting.button_back"), "drafting_nav_back", value),
            button(t(lang, "drafting.button_done"), "drafting_nav_done", value),
        )
    )
    blocks.append(context(t(lang, f"drafting.answer_how.{question.kind}")))
    return f"{heading}\n{question.prompt.get(lang)}", blocks


def _picker(lang: str, question: Question, session_id: int, index: int) -> Block | None:
    block_id = question_block_id(session_id, index)
    if question.kind == "library":
        choices = [option(rule.title.get(lang), rule.id) for rule in load_rule_library()]
        element = static_select(t(lang, "drafting.library_placeholder"), LIBRARY_SELECT, choices)
        element["type"] = "multi_static_select"
        return actions(element, block_id=block_id)
    if question.kind != "choice":
        return None
    choices = [option(o.label.get(lang), o.id) for o in question.options]
    if question.multiple:
        element = static_select(t(lang, "drafting.picks_placeholder"), PICKS_SELECT, choices)
        element["type"] = "multi_static_select"
        return actions(element, block_id=block_id)
    if len(question.options) > 5:
        element = static_select(t(lang, "drafting.pick_placeholder"), PICK_SELECT, choices)
        return actions(element, block_id=block_id)
    buttons = [
        button(o.label.get(lang), f"{PICK_BUTTON}{n}", f"{session_id}:{index}:{o.id}")
        for n, o in enumerate(question.options)
    ]
    return actions(*buttons, block_id=block_id)


def tally_text(lang: str, question: Question, picks: dict[str, int], adopted: list[str]) -> str:
    """What has been picked so far on a choice or library question, for everyone to see."""
    if question.kind == "library":
        if not adopted:
            return ""
        return t(lang, "drafting.tally_library", titles=", ".join(adopted))[:3000]
    if not picks:
        return ""
    counts = [
        f"{esc(o.label.get(lang))}: {picks[o.id]}" for o in question.options if picks.get(o.id)
    ]
    return t(lang, "drafting.tally", counts=" · ".join(counts))


# -- the end of a session -------------------------------------------------------------------
def summary_message(lang: str, summary: SessionSummary) -> tuple[str, list[Block]]:
    status = summary.section
    title = t(lang, "drafting.summary_title", title=esc(status.section.title.get(lang)))
    lines = [title]
    for number, tally in enumerate(summary.questions, start=1):
        prompt = esc(_short(tally.question.prompt.get(lang)))
        if tally.contributions:
            count_key = "drafting.count_one" if tally.contributions == 1 else "drafting.count_many"
            outcome = t(lang, count_key, count=tally.contributions)
            outcome += " " + t(lang, "drafting.summary_by", people=people(tally.contributors))
        elif tally.skipped:
            outcome = t(lang, "drafting.summary_skipped")
        else:
            outcome = t(lang, "drafting.summary_none")
        lines.append(f"{number}. {prompt} — {outcome}")
        for option_ in tally.question.options:
            if tally.picks.get(option_.id):
                lines.append(f"      • {esc(option_.label.get(lang))}: {tally.picks[option_.id]}")
    if summary.participants:
        lines.append(t(lang, "drafting.summary_people", people=people(summary.participants, 40)))
    else:
        lines.append(t(lang, "drafting.summary_nobody"))
    closing = t(
        lang,
        "drafting.summary_section",
        answered=status.answered,
        total=status.total,
        rules=status.rules,
        roles=status.roles,
        section=status.section.id,
    )
    text = "\n".join(lines)
    return text, [*sections(text), context(closing)]


# -- where the draft stands -----------------------------------------------------------------
def section_line(lang: str, number: int, status: SectionStatus) -> str:
    title = esc(status.section.title.get(lang))
    head = f"*{number}. {title}*  `{bar(status.answered, status.total)}` "
    head += t(lang, "drafting.answered", answered=status.answered, total=status.total)
    details = t(
        lang,
        "drafting.details",
        contributors=people(status.contributors) if status.contributors else "0",
        rules=status.rules,
        roles=status.roles,
        last=when(status.last_activity, lang),
    )
    return f"{head}\n{details}"


def adopted_line(lang: str, status: DraftStatus) -> str:
    adopted = status.adopted
    if adopted is None:
        return t(lang, "drafting.not_adopted")
    return t(
        lang,
        "drafting.adopted",
        number=adopted.number,
        label=esc(adopted.label),
        by=esc(adopted.approved_by),
        date=adopted.approved_on.isoformat(),
    )


def status_text(lang: str, status: DraftStatus, permalinks: dict[str, str]) -> str:
    lines = [t(lang, "drafting.status_title")]
    for number, item in enumerate(status.sections, start=1):
        line = section_line(lang, number, item)
        if item.section.id in permalinks:
            link = f"<{permalinks[item.section.id]}|{t(lang, 'drafting.thread')}>"
            line += "\n" + t(lang, "drafting.open_session", link=link)
        lines.append(line)
    lines.append(adopted_line(lang, status))
    return "\n\n".join(lines)


def start_button(lang: str, status: SectionStatus) -> Block:
    if status.open_session is not None:
        label = t(lang, "drafting.button_resume")
    elif status.contributions:
        label = t(lang, "drafting.button_continue")
    else:
        label = t(lang, "drafting.button_start")
    style = "primary" if not status.complete else None
    return button(label, f"{START_SECTION}_{status.section.id}", status.section.id, style=style)


def section_choice(lang: str, status: DraftStatus, intro: str = "") -> list[Block]:
    """A bare `/policy draft`: every section where it stands, each with a start button."""
    blocks: list[Block] = [section(intro or t(lang, "drafting.choose_title"))]
    for number, item in enumerate(status.sections, start=1):
        blocks.append(section(section_line(lang, number, item), accessory=start_button(lang, item)))
    blocks.append(context(t(lang, "drafting.choose_footer")))
    return blocks


# -- /policy show ---------------------------------------------------------------------------
def show_chunks(lang: str, section_t: SectionTemplate, listed: list[QuestionEntries]) -> list[str]:
    """The contributions per question, attributed: one chunk per question (split further by
    the caller to fit a section block)."""
    chunks = [t(lang, "drafting.show_title", title=esc(section_t.title.get(lang)))]
    for number, item in enumerate(listed, start=1):
        lines = [f"*{number}. {esc(item.question.prompt.get(lang))}*"]
        if not item.entries:
            lines.append(t(lang, "drafting.show_no_answers"))
        for entry in item.entries:
            lines.append(_quoted(entry.text))
            lines.append(_entry_meta(lang, entry))
        chunks.append("\n".join(lines))
    return chunks


def _quoted(text: str) -> str:
    return "\n".join("> " + line for line in shown(text).splitlines() or [""])


def _entry_meta(lang: str, entry: Entry) -> str:
    date = when(entry.created_at, lang)
    meta = t(lang, "drafting.show_meta", author=f"<@{entry.author}>", date=date)
    if entry.edited:
        meta += t(lang, "drafting.show_edited")
    if entry.permalink:
        meta += f" · <{entry.permalink}|{t(lang, 'drafting.show_link')}>"
    drafted = [*entry.rules, *entry.roles]
    if drafted:
        ids = ", ".join(f"`{esc(d)}`" for d in drafted)
        meta += " · " + t(lang, "drafting.show_drafted", ids=ids)
    return meta


def show_plain(lang: str, section_t: SectionTemplate, listed: list[QuestionEntries]) -> str:
    """The same as a Markdown file, for when it is too long for messages."""
    out = [f"# {section_t.title.get(lang)}", ""]
    for number, item in enumerate(listed, start=1):
        out += [f"## {number}. {item.question.prompt.get(lang)}", ""]
        if not item.entries:
            out += [t(lang, "drafting.file_no_answers"), ""]
        for entry in item.entries:
            out += ["> " + line for line in entry.text.splitlines() or [""]]
            date = when(entry.created_at, lang)
            meta = t(lang, "drafting.file_meta", author=entry.author, date=date)
            out += [meta + (f" {entry.permalink}" if entry.permalink else ""), ""]
    return "\n".join(out)


def history_chunks(lang: str, section_t: SectionTemplate, entries: list[AuditEntry]) -> list[str]:
    chunks = [t(lang, "drafting.history_title", title=esc(section_t.title.get(lang)))]
    if not entries:
        chunks.append(t(lang, "drafting.history_empty"))
    for entry in entries:
        change = ""
        before, after = _describe(entry.before), _describe(entry.after)
        if before and after:
            change = f": {shown(before)} → {shown(after)}"
        elif after or before:
            change = f": {shown(after or before)}"
        chunks.append(
            t(
                lang,
                "drafting.history_line",
                at=when(entry.at, lang),
                actor=f"<@{entry.actor}>" if entry.actor[:1] in "UW" else esc(entry.actor),
                action=_word(lang, "drafting.action", entry.action),
                entity=_word(lang, "drafting.entity", entry.entity),
                id=esc(entry.entity_id),
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


def _word(lang: str, prefix: str, word: str) -> str:
    try:
        return t(lang, f"{prefix}.{word}")
    except KeyError:  # an action or entity another capability records: show it as it is
        return esc(word)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_blocks(chunks: list[str]) -> list[Block]:
    """Chunks as section blocks, each split to fit Slack's 3,000 characters."""
    blocks: list[Block] = []
    for chunk in chunks:
        blocks.extend(sections(chunk))
    return blocks
