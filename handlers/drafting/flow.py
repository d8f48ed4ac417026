"""Running a session in Slack: the session message, each question, the summary at the end.

One open session per section: starting a section that has one raises `AlreadyOpen` before
anything is posted (the caller offers its thread, or a new round), and should another
instance open one in the same moment, the message just posted is turned into a pointer to
that thread."""

from __future__ import annotations

import logging
from typing import Any

from bot.drafting import sessions
from bot.drafting.contributions import section_entries
from bot.drafting.rule_library import library_rule
from bot.drafting.sessions import AlreadyOpen, SessionInfo
from bot.drafting.status import session_summary
from bot.drafting.template import load_template
from bot.reviewing.language import ensure_policy_language
from bot.storage import Session
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
from handlers.kit.slack import SlackApiError, reason

log = logging.getLogger(__name__)


class CannotStart(Exception):
    """Why a session could not start: a catalogue key, said to the person who asked."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def begin_session(
    ctx: RequestContext,
    channel_id: str,
    section_id: str,
    started_by: str,
    replacing: int | None = None,
) -> SessionInfo:
    """Post the session message in `channel_id` and ask the question the section stands at
    in its thread. Raises CannotStart with the reason when that is not possible, AlreadyOpen
    when the section has an open session (other than `replacing`, which a new round closes in
    the same transaction that opens the new one)."""
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
    try:
        posted = ctx.slack.post(channel_id, text, blocks)
    except SlackApiError as error:
        log.info("cannot start a session in %s: %s", channel_id, reason(error))
        raise CannotStart("drafting.cannot_post") from None
    link = ctx.lookup.permalink(posted.channel, posted.ts)
    # The session is stored only now that Slack has told us its thread.
    closed: SessionInfo | None = None
    try:
        with ctx.unit_of_work() as session:
            if replacing is not None:
                closed = sessions.close_for_new_round(session, replacing, ctx.actor)
            info = sessions.open_session(
                session,
                section_id=section_id,
                channel=posted.channel,
                thread_ts=posted.ts,
                started_by=started_by,
                language=lang,
                index=resume.index,
                permalink=link,
            )
            text, blocks = next_message(session, info)
    except AlreadyOpen as other:  # opened elsewhere in the same moment: point there instead
        note, _ = already_open_message(lang, other.session)
        try:
            ctx.slack.update(posted.channel, posted.ts, note, [])
        except SlackApiError as error:
            log.info("could not turn %s into a pointer: %s", posted.ts, reason(error))
        raise
    ctx.slack.post(info.channel, text, blocks, thread_ts=info.thread_ts)
    if closed is not None:  # the old thread is told where the section goes on
        note = new_round_note(closed.language, mrkdwn.user(ctx.actor), info.permalink or "")
        try:
            ctx.slack.post(closed.channel, note, thread_ts=closed.thread_ts)
        except SlackApiError as error:
            log.info("could not tell the old thread about the new round: %s", reason(error))
    return info


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
