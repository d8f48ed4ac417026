"""The working group thanked by name when a version is adopted, with what each contributed to
it: posted after the announcement, whether management approved in Slack (`handlers.rhythm`)
or the lead typed the approval (`handlers.reviewing.adoption`)."""

from __future__ import annotations

from bot.drafting.template import load_template
from bot.reviewing.versions import AdoptedVersion
from bot.rhythm.progress import contributed_to
from bot.storage import Session
from handlers.kit import mrkdwn
from handlers.kit.catalogue import say
from handlers.kit.mrkdwn import Mrkdwn


def thank_working_group(session: Session, version: AdoptedVersion) -> Mrkdwn | None:
    """The working group thanked by name, with what each contributed to this version, in the
    policy's own language (it speaks to the channel)."""
    people = contributed_to(session, version.number)
    if not people:
        return None
    lang = str(version.document.get("language") or "en")
    titles = {s.id: s.title.get(lang) for s in load_template().sections}
    lines: list[str] = [say(lang, "rhythm.thanks_title", label=version.label)]
    for person in people:
        where = ", ".join(titles.get(s, s) for s in person.sections)
        lines.append(
            say(
                lang,
                "rhythm.thanks_line",
                person=mrkdwn.user(person.user_id),
                answers=say(lang, "common.contributions", count=person.answers),
                sections=where,
            )
        )
    return mrkdwn.lines(lines)
