"""What drafting posts: the session message, questions, the summary, and the status.

Everything here is built from the core's plain values and the catalogue; user text is
escaped (`mrkdwn.shown`), and long text is split so no block passes Slack's limits.
"""

from __future__ import annotations

from bot.drafting.rule_library import load_rule_library
from bot.drafting.sessions import Resume, SessionInfo
from bot.drafting.status import DraftStatus, SessionSummary
from bot.drafting.template import Question, SectionTemplate, load_template
from handlers.drafting.ids import LIBRARY_SELECT, NEW_ROUND, PICK_BUTTON, PICK_SELECT, PICKS_SELECT
from handlers.kit import mrkdwn
from handlers.kit.actions import RESUME_SECTION
from handlers.kit.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    link_button,
    option,
    section,
    sections,
    static_select,
)
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import NewRound, OptionPick, QuestionRef
from handlers.kit.status import adopted_line, people, section_button, section_line

LANGUAGE_NAMES = {"nl": "drafting.language_nl", "en": "drafting.language_en"}
NAV_BUTTONS = {  # action id → the catalogue key of its label
    "drafting_nav_next": "drafting.button_next",
    "drafting_nav_skip": "drafting.button_skip",
    "drafting_nav_back": "drafting.button_back",
    "drafting_nav_done": "drafting.button_done",
}
MAX_BUTTONS = 5  # a choice with more options is a select

# How each kind of question is answered, said under it.
ANSWER_HOW = {
    "text": "drafting.answer_how.text",
    "list": "drafting.answer_how.list",
    "choice": "drafting.answer_how.choice",
    "rules": "drafting.answer_how.rules",
    "roles": "drafting.answer_how.roles",
    "library": "drafting.answer_how.library",
}


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the session ------------------------------------------------------------------------------
def session_message(
    lang: str, section_t: SectionTemplate, started_by: str, resume: Resume, policy_language: str
) -> tuple[Mrkdwn, list[Block]]:
    title = plain(lang, "drafting.session_title", title=section_t.title.get(lang))
    blocks = [header(title), *sections(mrkdwn.esc(section_t.intro.get(lang)))]
    if resume.contributions:
        blocks.append(
            section(
                say(
                    lang,
                    "drafting.continuing",
                    contributions=say(lang, "common.contributions", count=resume.contributions),
                    contributors=say(lang, "common.people", count=resume.contributors),
                    number=resume.index + 1,
                    total=len(section_t.questions),
                )
            )
        )
    blocks.append(context(say(lang, "drafting.session_footer", user=mrkdwn.user(started_by))))
    written_in = plain(lang, LANGUAGE_NAMES.get(policy_language, LANGUAGE_NAMES["nl"]))
    blocks.append(context(say(lang, "drafting.policy_language", language=written_in)))
    return mrkdwn.esc(title), blocks


def already_open_message(lang: str, info: SessionInfo) -> tuple[Mrkdwn, list[Block]]:
    """The section has an open session: its thread, and a deliberate new round."""
    where = mrkdwn.channel(info.channel)
    if info.permalink:
        where = mrkdwn.fmt(
            "{} ({})", where, mrkdwn.link(info.permalink, plain(lang, "drafting.thread"))
        )
    text = say(
        lang,
        "drafting.already_open",
        title=info.section.title.get(lang),
        where=where,
        number=min(info.question_index + 1, info.total),
        total=info.total,
    )
    buttons: list[Block] = []
    if info.permalink:
        label = plain(lang, "drafting.button_continue_there")
        buttons.append(link_button(label, f"{RESUME_SECTION}_{info.section_id}", info.permalink))
    value = NewRound(info.section_id, info.id).encode()
    buttons.append(button(plain(lang, "drafting.button_new_round"), NEW_ROUND, value))
    return text, [section(text), actions(*buttons), context(say(lang, "drafting.new_round_how"))]


def new_round_note(lang: str, user: Mrkdwn, link: str) -> Mrkdwn:
    """Said in a session's thread when a new round of its section starts elsewhere."""
    where = mrkdwn.link(link, plain(lang, "drafting.thread")) if link else mrkdwn.EMPTY
    return say(lang, "drafting.new_round_note", user=user, link=where)


def question_message(
    lang: str,
    section_t: SectionTemplate,
    session_id: int,
    index: int,
    tally: Mrkdwn = mrkdwn.EMPTY,
) -> tuple[Mrkdwn, list[Block]]:
    question = section_t.questions[index]
    heading = say(
        lang,
        "drafting.question_heading",
        number=index + 1,
        total=len(section_t.questions),
        title=section_t.title.get(lang),
    )
    blocks: list[Block] = sections(mrkdwn.fmt("{}\n*{}*", heading, question.prompt.get(lang)))
    if question.hint is not None:
        blocks.append(context(mrkdwn.esc(question.hint.get(lang))))
    picker = _picker(lang, question, session_id, index)
    if picker is not None:
        blocks.append(picker)
    if tally:
        blocks.append(context(tally))
    value = QuestionRef(session_id, index).encode()
    blocks.append(
        actions(
            *(
                button(plain(lang, key), action_id, value, style="primary" if n == 0 else None)
                for n, (action_id, key) in enumerate(NAV_BUTTONS.items())
            )
        )
    )
    blocks.append(context(say(lang, ANSWER_HOW[question.kind])))
    return mrkdwn.fmt("{}\n{}", heading, question.prompt.get(lang)), blocks


def _picker(lang: str, question: Question, session_id: int, index: int) -> Block | None:
    block_id = QuestionRef(session_id, index).encode()
    if question.kind == "library":
        choices = [option(rule.title.get(lang), rule.id) for rule in load_rule_library()]
        placeholder = plain(lang, "drafting.library_placeholder")
        select = static_select(placeholder, LIBRARY_SELECT, choices, multiple=True)
        return actions(select, block_id=block_id)
    if question.kind != "choice":
        return None
    choices = [option(o.label.get(lang), o.id) for o in question.options]
    if question.multiple:
        placeholder = plain(lang, "drafting.picks_placeholder")
        return actions(
            static_select(placeholder, PICKS_SELECT, choices, multiple=True), block_id=block_id
        )
    if len(question.options) > MAX_BUTTONS:
        placeholder = plain(lang, "drafting.pick_placeholder")
        return actions(static_select(placeholder, PICK_SELECT, choices), block_id=block_id)
    buttons = [
        button(o.label.get(lang), f"{PICK_BUTTON}{n}", OptionPick(session_id, index, o.id).encode())
        for n, o in enumerate(question.options)
    ]
    return actions(*buttons, block_id=block_id)


def tally_text(lang: str, question: Question, picks: dict[str, int], in_draft: list[str]) -> Mrkdwn:
    """What has been picked so far on a choice or library question, for everyone to see (and,
    for standard rules, which the lead has accepted into the draft)."""
    if question.kind == "library":
        labels = {rule.id: rule.title.get(lang) for rule in load_rule_library()}
    else:
        labels = {o.id: o.label.get(lang) for o in question.options}
    counts = [mrkdwn.fmt("{}: {}", labels[i], n) for i, n in picks.items() if n and i in labels]
    lines = [say(lang, "drafting.tally", counts=mrkdwn.join(" · ", counts))] if counts else []
    if in_draft:
        lines.append(say(lang, "drafting.tally_library", titles=", ".join(in_draft)))
    return mrkdwn.lines(lines)


# -- the end of a session -------------------------------------------------------------------
def summary_message(lang: str, summary: SessionSummary) -> tuple[Mrkdwn, list[Block]]:
    status = summary.section
    lines = [say(lang, "drafting.summary_title", title=status.section.title.get(lang))]
    for number, tally in enumerate(summary.questions, start=1):
        if tally.contributions:
            outcome = mrkdwn.fmt(
                "{} {}",
                say(lang, "common.contributions", count=tally.contributions),
                say(lang, "drafting.summary_by", people=people(tally.contributors)),
            )
        elif tally.skipped:
            outcome = say(lang, "drafting.summary_skipped")
        else:
            outcome = say(lang, "drafting.summary_none")
        prompt = short(tally.question.prompt.get(lang))
        lines.append(mrkdwn.fmt("{}. {} — {}", number, prompt, outcome))
        for choice in tally.question.options:
            if tally.picks.get(choice.id):
                label = choice.label.get(lang)
                lines.append(mrkdwn.fmt("      • {}: {}", label, tally.picks[choice.id]))
    if summary.participants:
        lines.append(say(lang, "drafting.summary_people", people=people(summary.participants, 40)))
    else:
        lines.append(say(lang, "drafting.summary_nobody"))
    closing = say(
        lang,
        "drafting.summary_section",
        answered=status.answered,
        total=status.total,
        rules=say(lang, "common.rules", count=status.rules),
        roles=say(lang, "common.roles", count=status.roles),
        section=status.section.id,
    )
    text = mrkdwn.lines(lines)
    return text, [*sections(text), context(closing)]


# -- where the draft stands -----------------------------------------------------------------
def status_text(lang: str, status: DraftStatus, permalinks: dict[str, str]) -> Mrkdwn:
    lines = [say(lang, "drafting.status_title")]
    for number, item in enumerate(status.sections, start=1):
        line = section_line(lang, number, item)
        if item.section.id in permalinks:
            link = mrkdwn.link(permalinks[item.section.id], plain(lang, "drafting.thread"))
            line = mrkdwn.lines([line, say(lang, "drafting.open_session", link=link)])
        lines.append(line)
    lines.append(adopted_line(lang, status))
    return mrkdwn.join("\n\n", lines)


def section_choice(
    lang: str,
    status: DraftStatus,
    links: dict[str, str | None],
    intro: Mrkdwn | None = None,
) -> list[Block]:
    """A bare `/policy draft`: every section where it stands, each with a start button (or a
    link to its open session's thread) and the names it answers to."""
    blocks: list[Block] = [section(intro or say(lang, "drafting.choose_title"))]
    for number, item in enumerate(status.sections, start=1):
        line = mrkdwn.lines(
            [section_line(lang, number, item), names_line(lang, number, item.section)]
        )
        button = section_button(lang, item, links.get(item.section.id))
        blocks.append(section(line, accessory=button))
    blocks.append(context(say(lang, "drafting.choose_footer")))
    return blocks


def names_line(lang: str, number: int, section_t: SectionTemplate) -> Mrkdwn:
    """`/policy draft identiteit` (or `identity`, `4`): what the section answers to."""
    names = [mrkdwn.code(n) for n in (*section_t.names_in(lang), str(number))]
    return say(lang, "drafting.section_names", names=mrkdwn.join(" · ", names))


def sections_help(lang: str) -> Mrkdwn:
    """Every section with its number and names in both languages: `/policy help draft`."""
    lines = [say(lang, "drafting.help_sections")]
    for number, section_t in enumerate(load_template().sections, start=1):
        names = mrkdwn.join(" · ", (mrkdwn.code(n) for n in (*section_t.all_names, str(number))))
        lines.append(mrkdwn.fmt("{}. *{}*: {}", number, section_t.title.get(lang), names))
    return mrkdwn.lines(lines)
