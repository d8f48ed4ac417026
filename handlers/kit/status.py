"""Where the draft stands, as `/policy status`, a bare `/policy draft` and the Home tab all
show it: a line per section with a bar and a start button, and the adopted version."""

from __future__ import annotations

import datetime as dt

from bot.drafting.status import DraftStatus, SectionStatus
from bot.rhythm.plan import Planned
from handlers.kit import mrkdwn
from handlers.kit.actions import RESUME_SECTION, START_SECTION
from handlers.kit.blocks import Block, button, link_button
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.payloads import StartSection

PEOPLE_SHOWN = 12


def bar(answered: int, total: int) -> str:
    """▰▰▰▱▱: one mark per question, filled when it has an answer."""
    return "▰" * min(answered, total) + "▱" * max(total - answered, 0)


def when(moment: dt.datetime | None, lang: str) -> Mrkdwn:
    """A moment as each reader sees it, in their own time zone (`<!date^…>`)."""
    return mrkdwn.moment(moment) if moment else mrkdwn.esc(plain(lang, "drafting.never"))


def people(user_ids: tuple[str, ...] | list[str], limit: int = PEOPLE_SHOWN) -> Mrkdwn:
    """Mentions of the first `limit` people, and how many more there are."""
    names = [mrkdwn.user(u) for u in user_ids[:limit]]
    if len(user_ids) > limit:
        names.append(mrkdwn.fmt("+{}", len(user_ids) - limit))
    return mrkdwn.join(", ", names)


def section_line(lang: str, number: int, status: SectionStatus) -> Mrkdwn:
    title = status.section.title.get(lang)
    answered = say(lang, "drafting.answered", answered=status.answered, total=status.total)
    head = mrkdwn.fmt(
        "*{}. {}*  `{}` {}", number, title, bar(status.answered, status.total), answered
    )
    details = say(
        lang,
        "drafting.details",
        contributors=people(status.contributors) if status.contributors else "0",
        rules=status.rules,
        roles=status.roles,
        last=when(status.last_activity, lang),
    )
    planned = plan_line(lang, status.plan)
    return mrkdwn.lines([head, details, planned] if planned else [head, details])


def plan_line(lang: str, plan: Planned | None) -> Mrkdwn | None:
    """The section's owner and deadline, and whether it is late (None when unplanned)."""
    if plan is None or (plan.owner is None and plan.deadline is None):
        return None
    owner = mrkdwn.user(plan.owner) if plan.owner else say(lang, "rhythm.nobody")
    deadline = mrkdwn.day(plan.deadline) if plan.deadline else say(lang, "rhythm.no_deadline")
    key = "rhythm.plan_line_late" if plan.late else "rhythm.plan_line"
    return say(lang, key, owner=owner, deadline=deadline)


def adopted_line(lang: str, status: DraftStatus) -> Mrkdwn:
    adopted = status.adopted
    if adopted is None:
        return say(lang, "drafting.not_adopted")
    line = say(
        lang,
        "drafting.adopted",
        number=adopted.number,
        label=adopted.label,
        by=adopted.approved_by,
        date=mrkdwn.day(adopted.approved_on),
    )
    if status.next_review is None:
        return line
    return mrkdwn.fmt(
        "{} {}", line, say(lang, "living.next_review", date=mrkdwn.day(status.next_review))
    )


def section_button(lang: str, status: SectionStatus, link: str | None) -> Block:
    """A section's button: its open session's thread when it has one (one open session per
    section), else a button that starts it."""
    if status.open_session is not None and link:
        label = plain(lang, "drafting.button_resume")
        return link_button(label, f"{RESUME_SECTION}_{status.section.id}", link)
    return start_button(lang, status)


def start_button(lang: str, status: SectionStatus) -> Block:
    if status.open_session is not None:
        label = plain(lang, "drafting.button_resume")
    elif status.contributions:
        label = plain(lang, "drafting.button_continue")
    else:
        label = plain(lang, "drafting.button_start")
    style = "primary" if not status.complete else None
    value = StartSection(status.section.id).encode()
    return button(label, f"{START_SECTION}_{status.section.id}", value, style=style)
