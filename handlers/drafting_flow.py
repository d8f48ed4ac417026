"""Running a session in Slack: the session message, each question, the summary at the end."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.drafting import sessions
from bot.drafting.contributions import section_entries
from bot.drafting.rule_library import library_rule
from bot.drafting.sessions import SessionInfo
from bot.drafting.status import session_summary
from handlers.context import RequestContext
from handlers.drafting_views import question_message, session_message, summary_message, tally_text

log = logging.getLogger(__name__)


class CannotStart(Exception):
    """Why a session could not start: a catalogue key, said to the person who asked."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def begin_session(
    client: WebClient, ctx: RequestContext, channel_id: str, section_id: str, started_by: str
) -> SessionInfo:
    """Post the session message in `channel_id` and ask the question the section stands at
    in its thread. Raises CannotStart with the reason when that is not possible."""
    if channel_id.startswith("D"):
        raise CannotStart("drafting.in_dm", section=section_id)
    section_t = sessions.load_template().section(section_id)
    lang = ctx.lang
    resume = sessions.resume_point(ctx.db, section_id)
    text, blocks = session_message(lang, section_t, started_by, resume)
    try:
        posted = client.chat_postMessage(channel=channel_id, text=text, blocks=blocks)
    except SlackApiError as error:
        log.info("cannot start a session in %s: %s", channel_id, error.response.get("error"))
        raise CannotStart("drafting.cannot_post") from None
    thread_ts = posted["ts"]
    info = sessions.open_session(
        ctx.db,
        section_id=section_id,
        channel=posted.get("channel") or channel_id,
        thread_ts=thread_ts,
        started_by=started_by,
        language=lang,
        index=resume.index,
        permalink=permalink(client, posted.get("channel") or channel_id, thread_ts),
    )
    post_question(client, ctx, info)
    return info


def start_session_in_channel(
    client: WebClient, ctx: RequestContext, channel_id: str, section_id: str, started_by: str
) -> None:
    """Start (or continue) drafting `section_id` in `channel_id`; for other capabilities'
    buttons. When that is not possible, `started_by` is told why, privately."""
    try:
        begin_session(client, ctx, channel_id, section_id, started_by)
    except CannotStart as reason:
        tell(client, channel_id, started_by, ctx.t(reason.key, **reason.values))


def post_question(client: WebClient, ctx: RequestContext, info: SessionInfo) -> None:
    """Ask the session's open question in its thread, or post the summary when it is done."""
    if info.question is None or not info.is_open:
        post_summary(client, ctx, info)
        return
    tally = current_tally(ctx, info, info.question_index)
    text, blocks = question_message(
        info.language, info.section, info.id, info.question_index, tally
    )
    client.chat_postMessage(
        channel=info.channel, thread_ts=info.thread_ts, text=text, blocks=blocks
    )


def current_tally(ctx: RequestContext, info: SessionInfo, index: int) -> str:
    """What the thread has picked so far on a choice or library question."""
    question = info.section.questions[index]
    if question.kind not in ("choice", "library"):
        return ""
    picks: dict[str, int] = {}
    adopted: list[str] = []
    listed = section_entries(ctx.db, info.section_id, session_id=info.id)[index]
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


def refresh_question(
    client: WebClient, ctx: RequestContext, info: SessionInfo, index: int, ts: str
) -> None:
    """Show the new tally on the question message that was just picked on."""
    tally = current_tally(ctx, info, index)
    text, blocks = question_message(info.language, info.section, info.id, index, tally)
    try:
        client.chat_update(channel=info.channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:  # the message is gone or too old: the pick still counts
        log.info("could not refresh question %s: %s", ts, error.response.get("error"))


def post_summary(client: WebClient, ctx: RequestContext, info: SessionInfo) -> None:
    text, blocks = summary_message(info.language, session_summary(ctx.db, info))
    client.chat_postMessage(
        channel=info.channel, thread_ts=info.thread_ts, text=text, blocks=blocks
    )


def tell(
    client: WebClient, channel: str, user: str, text: str, thread_ts: str | None = None
) -> None:
    """A private note to one person where they are; never fails the listener."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
    except SlackApiError as error:
        log.info("ephemeral to %s failed: %s", user, error.response.get("error"))


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as error:
        log.info("no permalink for %s/%s: %s", channel, ts, error.response.get("error"))
        return None


def _library_title(library_id: str, lang: str) -> str:
    try:
        return library_rule(library_id).title.get(lang)
    except KeyError:
        return library_id
