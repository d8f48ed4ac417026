"""Running a session in Slack: the session message, each question, the summary at the end.

One open session per section: starting a section that has one raises `AlreadyOpen` before
anything is posted (the caller offers its thread, or a new round), and should another
instance open one in the same moment, the message just posted is turned into a pointer to
that thread.

The session message goes through the outbox; the session is stored once Slack has told its
thread (`session_posted`, a completion step), its first question asked there, and its link
filled in when Slack gives it (`session_link`)."""

from __future__ import annotations

import logging
from typing import Any

from bot.drafting import contributions, sessions
from bot.drafting.contributions import section_entries
from bot.drafting.rule_library import library_rule
from bot.drafting.sessions import AlreadyOpen, SessionInfo
from bot.drafting.status import session_summary
from bot.drafting.template import load_template
from bot.reviewing.language import ensure_policy_language
from bot.storage import Session
from bot.vocabulary import language_or
from handlers.drafting.views import (
    already_open_message,
    new_round_note,
    question_message,
    session_message,
    summary_message,
    tally_text,
)
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


def begin_session(
    ctx: RequestContext,
    channel_id: str,
    section_id: str,
    started_by: str,
    replacing: int | None = None,
    *,
    remove_button: bool = False,
) -> None:
    """Post the session message in `channel_id`; once Slack has told its thread, the session
    is stored and its question asked there (`session_posted`). Raises CannotStart with the
    reason when that is not possible here and now (one Slack refuses later, the bot not in
    the channel, is told to the person privately), AlreadyOpen when the section has an open
    session (other than `replacing`, which a new round closes in the same transaction that
    opens the new one). `remove_button`: the private message whose button started it is
    deleted (`delete_original`), written with the post, in the commit that marks the press
    done: said after it, a crash in between would lose it."""
    if channel_id.startswith("D"):
        raise CannotStart("drafting.in_dm", section=section_id)
    section_t = load_template().section(section_id)
    lang = ctx.lang
    with ctx.unit_of_work() as session:
        open_one = sessions.open_session_of(session, section_id)
        if open_one is not None and open_one.id != replacing:
            raise AlreadyOpen(open_one)
        # The policy's language is fixed at the start, whoever starts (bot.reviewing.language).
        policy_language = ensure_policy_language(session, ctx.settings.language, ctx.actor)
        resume = sessions.resume_point(session, section_id)
        text, blocks = session_message(lang, section_t, started_by, resume, policy_language)
        where = {
            "user": ctx.actor,
            "response_url": ctx.slack.response_url,
            "asked_in": channel_id,
            "section": section_id,
            "started_by": started_by,
            "language": lang,
            "index": resume.index,
            "replacing": replacing,
        }
        ctx.slack.post(channel_id, text, blocks, then=Then(POSTED, where))
        if remove_button:
            ctx.slack.delete_original()


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
    replacing: int | None = None,
    **_: Any,
) -> None:
    """The session message is in Slack: the session is stored with its thread (closing the
    one it replaces), and the open question asked there; its link is filled in when Slack
    gives it. Should another session of the section have opened meanwhile, the message
    points there instead."""
    lang = language_or(language, ctx.settings.language)
    if not (sent.ok and sent.channel and sent.ts):
        log.info("cannot start a session in %s: %s", asked_in, sent.error)
        text = ctx.t("drafting.cannot_post")
        route = private_route(asked_in, ctx.actor, text, None, None)
        if not (response_url and ctx.slack.respond_to(response_url, text, otherwise=route)):
            ctx.slack.tell_privately(asked_in, ctx.actor, text)
        return
    with ctx.unit_of_work() as session:
        other = sessions.open_session_of(session, section)
        if other is not None and other.id != replacing:  # opened elsewhere: point there
            note, _blocks = already_open_message(lang, other)
            ctx.slack.update(sent.channel, sent.ts, note, [])
            return
        closed = sessions.close_for_new_round(session, replacing, ctx.actor) if replacing else None
        # AlreadyOpen here (opened in the very same moment) fails this step as a whole: it
        # runs again later (kit.outbox), and then points to that session.
        info = sessions.open_session(
            session,
            section_id=section,
            channel=sent.channel,
            thread_ts=sent.ts,
            started_by=started_by,
            language=lang,
            index=index,
        )
        text, blocks = next_message(session, info)
        ctx.slack.post(info.channel, text, blocks, thread_ts=info.thread_ts)
        told = (
            {"closed": closed.id, "language": closed.language, "by": ctx.actor}
            if closed is not None
            else {}
        )
        then = Then(SESSION_LINK, {"session": info.id, **told})
        ctx.slack.permalink(sent.channel, sent.ts, then)


@after_sending(SESSION_LINK)
def session_link(
    ctx: RequestContext,
    sent: Sent,
    *,
    session: int,
    closed: int | None = None,
    language: str = "",
    by: str = "",
    **_: Any,
) -> None:
    """The session's link, now that Slack gives it; and the thread of the round it replaced
    is told where the section goes on."""
    with ctx.unit_of_work() as unit:
        if sent.permalink:
            sessions.set_permalink(unit, session, sent.permalink)
        old = sessions.get_session(unit, closed) if closed is not None else None
        if old is not None:
            lang = language_or(language, ctx.settings.language)
            note = new_round_note(lang, mrkdwn.user(by), sent.permalink or "")
            ctx.slack.post(old.channel, note, thread_ts=old.thread_ts)


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
    except AlreadyOpen as open_one:
        text, blocks = already_open_message(ctx.lang, open_one.session)
        ctx.slack.tell_privately(channel_id, ctx.actor, text, blocks)


def next_message(session: Session, info: SessionInfo) -> tuple[Mrkdwn, list[Block]]:
    """The session's open question, or its summary when it is done."""
    if info.question is None or not info.is_open:
        return summary_message(info.language, session_summary(session, info))
    tally = current_tally(session, info, info.question_index)
    return question_message(info.language, info.section, info.id, info.question_index, tally)


def current_tally(session: Session, info: SessionInfo, index: int) -> Mrkdwn:
    """What the thread has picked so far on a choice or library question, and which of the
    picked standard rules the lead has accepted into the draft."""
    question = info.section.questions[index]
    if question.kind not in ("choice", "library"):
        return mrkdwn.EMPTY
    picks: dict[str, int] = {}
    in_draft: list[str] = []
    listed = section_entries(session, info.section_id, session_id=info.id)[index]
    for entry in listed.entries:
        for option_id in entry.structured.get("options") or []:
            picks[option_id] = picks.get(option_id, 0) + 1
        applied = entry.structured.get("applied") or {}
        for library_id, rule_id in ((applied.get("effects") or {}).get("library") or {}).items():
            title = _library_title(library_id, info.language)
            if rule_id and title not in in_draft:
                in_draft.append(title)
    return tally_text(info.language, question, picks, in_draft)


def _library_title(library_id: str, lang: str) -> str:
    try:
        return library_rule(library_id).title.get(lang)
    except KeyError:
        return library_id
