"""Running a session in Slack: the session message, each question, the summary at the end."""

from __future__ import annotations

import logging
from typing import Any

from bot.drafting import contributions, sessions
from bot.drafting.contributions import section_entries
from bot.drafting.rule_library import library_rule
from bot.drafting.sessions import SessionInfo
from bot.drafting.status import session_summary
from bot.drafting.template import load_template
from bot.storage import Session
from bot.vocabulary import language_or
from handlers.drafting.views import question_message, session_message, summary_message, tally_text
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block
from handlers.kit.context import RequestContext
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.outbox import Sent, after_sending
from handlers.kit.slack import Then, private_route

log = logging.getLogger(__name__)


class CannotStart(Exception):
    """Why a session could not start: a catalogue key, said to the person who asked."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


POSTED, SESSION_LINK, CONTRIBUTION_LINK = (
    "drafting:session_posted",
    "drafting:session_link",
    "drafting:contribution_link",
)


def begin_session(ctx: RequestContext, channel_id: str, section_id: str, started_by: str) -> None:
    """Post the session message in `channel_id`; once Slack has told its thread, the session
    is stored and its question asked there (`session_posted`). Raises CannotStart with the
    reason when that is not possible here and now; one Slack refuses later (the bot is not in
    the channel) is told to the person privately."""
    if channel_id.startswith("D"):
        raise CannotStart("drafting.in_dm", section=section_id)
    section_t = load_template().section(section_id)
    lang = ctx.lang
    with ctx.unit_of_work() as session:
        resume = sessions.resume_point(session, section_id)
        text, blocks = session_message(lang, section_t, started_by, resume)
        where = {
            "user": ctx.actor,
            "response_url": ctx.slack.response_url,
            "asked_in": channel_id,
            "section": section_id,
            "started_by": started_by,
            "language": lang,
            "index": resume.index,
        }
        ctx.slack.post(channel_id, text, blocks, then=Then(POSTED, where))


@after_sending(POSTED)
def session_posted(
    ctx: RequestContext,
    sent: Sent,
    *,
    response_url: str | None,
    asked_in: str,
    section: str,
    started_by: str,
    language: str,
    index: int,
    **_: Any,
) -> None:
    """The session message is in Slack: the session is stored with its thread, and the open
    question asked there; its link is filled in when Slack gives it."""
    if not (sent.ok and sent.channel and sent.ts):
        log.info("cannot start a session in %s: %s", asked_in, sent.error)
        text = ctx.t("drafting.cannot_post")
        route = private_route(asked_in, ctx.actor, text, None, None)
        if not (response_url and ctx.slack.respond_to(response_url, text, otherwise=route)):
            ctx.slack.tell_privately(asked_in, ctx.actor, text)
        return
    with ctx.unit_of_work() as session:
        info = sessions.open_session(
            session,
            section_id=section,
            channel=sent.channel,
            thread_ts=sent.ts,
            started_by=started_by,
            language=language_or(language, ctx.settings.language),
            index=index,
        )
        text, blocks = next_message(session, info)
        ctx.slack.post(info.channel, text, blocks, thread_ts=info.thread_ts)
        ctx.slack.permalink(sent.channel, sent.ts, Then(SESSION_LINK, {"session": info.id}))


@after_sending(SESSION_LINK)
def session_link(ctx: RequestContext, sent: Sent, *, session: int, **_: Any) -> None:
    if sent.permalink:
        with ctx.unit_of_work() as unit:
            sessions.set_permalink(unit, session, sent.permalink)


@after_sending(CONTRIBUTION_LINK)
def contribution_link(ctx: RequestContext, sent: Sent, *, contribution: int, **_: Any) -> None:
    if sent.permalink:
        with ctx.unit_of_work() as session:
            contributions.set_permalink(session, contribution, sent.permalink)


def start_session_in_channel(ctx: RequestContext, channel_id: str, section_id: str) -> None:
    """Start (or continue) drafting `section_id` in `channel_id`, for the person asking; for
    other capabilities' buttons. When that is not possible, they are told why, privately."""
    try:
        begin_session(ctx, channel_id, section_id, ctx.actor)
    except CannotStart as reason_:
        ctx.slack.tell(channel_id, ctx.actor, ctx.t(reason_.key, **reason_.values))


def next_message(session: Session, info: SessionInfo) -> tuple[Mrkdwn, list[Block]]:
    """The session's open question, or its summary when it is done."""
    if info.question is None or not info.is_open:
        return summary_message(info.language, session_summary(session, info))
    tally = current_tally(session, info, info.question_index)
    return question_message(info.language, info.section, info.id, info.question_index, tally)


def current_tally(session: Session, info: SessionInfo, index: int) -> Mrkdwn:
    """What the thread has picked so far on a choice or library question."""
    question = info.section.questions[index]
    if question.kind not in ("choice", "library"):
        return mrkdwn.EMPTY
    picks: dict[str, int] = {}
    adopted: list[str] = []
    listed = section_entries(session, info.section_id, session_id=info.id)[index]
    for entry in listed.entries:
        for option_id in entry.structured.get("options") or []:
            picks[option_id] = picks.get(option_id, 0) + 1
        if question.kind == "library":
            for library_id, rule_id in (
                (entry.structured.get("effects") or {}).get("library", {}).items()
            ):
                if rule_id:
                    adopted.append(_library_title(library_id, info.language))
    return tally_text(info.language, question, picks, adopted)


def _library_title(library_id: str, lang: str) -> str:
    try:
        return library_rule(library_id).title.get(lang)
    except KeyError:
        return library_id
