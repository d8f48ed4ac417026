"""`/policy draft|status|show`, and the buttons (and the modal) that start a section."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import audit
from bot.drafting import sessions
from bot.drafting.contributions import section_entries
from bot.drafting.sessions import AlreadyOpen
from bot.drafting.status import draft_status
from bot.drafting.template import SectionTemplate
from bot.i18n import words
from handlers.drafting.flow import CannotStart, begin_session
from handlers.drafting.ids import START_MODAL
from handlers.drafting.show import as_blocks, history_chunks, show_chunks, show_plain
from handlers.drafting.views import already_open_message, section_choice, sections_help, status_text
from handlers.kit import mrkdwn
from handlers.kit.blocks import Block, View, channel_input, modal, paginate, section, values_of
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn, split
from handlers.kit.payloads import NewRound, StartSection
from handlers.kit.replies import origin_of
from handlers.router import CommandCall

log = logging.getLogger(__name__)
CHANNEL_FIELD = "channel"
MAX_REPLIES = 4  # a response_url takes five posts; beyond this many pages, send a file


# -- /policy draft [SECTION] ------------------------------------------------------------------
def run_draft(call: CommandCall) -> None:
    ctx = call.ctx
    word = call.args.strip()
    section_t = sessions.resolve_section(word) if word else None
    if section_t is None:
        intro = ctx.t("drafting.unknown_section", given=word[:60]) if word else None
        with ctx.unit_of_work() as session:
            status = draft_status(session)
            links = {s.section_id: s.permalink for s in sessions.open_sessions(session)}
        blocks = section_choice(ctx.lang, status, links, intro)
        call.reply(intro or ctx.t("drafting.choose_title"), blocks)
        return
    try:
        begin_session(ctx, call.channel_id, section_t.id, ctx.actor)
    except CannotStart as reason_:
        call.reply(ctx.t(reason_.key, **reason_.values))
    except AlreadyOpen as open_one:
        call.reply(*already_open_message(ctx.lang, open_one.session))


def on_new_round(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """ "Start a new round here": a deliberate second round of a section that has an open
    session; that one is closed (its thread is told where the section goes on)."""
    ack()
    ctx = request_context(context)
    value = NewRound.decode((body.get("actions") or [{}])[0].get("value"))
    channel = origin_of(body).channel or ""
    try:
        begin_session(
            ctx, channel, value.section, ctx.actor, replacing=value.session, remove_button=True
        )
    except CannotStart as reason_:
        ctx.slack.respond(ctx.t(reason_.key, **reason_.values))
        return
    except AlreadyOpen as open_one:  # yet another session opened meanwhile: offer that one
        ctx.slack.respond(*already_open_message(ctx.lang, open_one.session), replace_original=True)


def draft_help(ctx: RequestContext) -> Mrkdwn:
    """`/policy help draft`: the sections and every name they answer to."""
    return sections_help(ctx.lang)


def on_start_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A section's button under a bare `/policy draft` (start there) or on the Home tab
    (ask where: Home has no channel)."""
    ack()
    ctx = request_context(context)
    value = StartSection.decode((body.get("actions") or [{}])[0].get("value"))
    section_t = sessions.resolve_section(value.section)
    if section_t is None:
        return
    origin = origin_of(body)
    if origin.channel:
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        try:
            begin_session(ctx, origin.channel, section_t.id, ctx.actor, remove_button=ephemeral)
        except CannotStart as reason_:
            ctx.slack.tell(origin.channel, ctx.actor, ctx.t(reason_.key, **reason_.values))
        except AlreadyOpen as open_one:
            text, blocks = already_open_message(ctx.lang, open_one.session)
            ctx.slack.tell_privately(origin.channel, ctx.actor, text, blocks)
        return
    ctx.slack.open_view(str(body["trigger_id"]), start_modal(ctx, section_t))


def start_modal(ctx: RequestContext, section_t: SectionTemplate) -> View:
    with ctx.unit_of_work() as session:
        last = sessions.last_channel(session)
    blocks: list[Block] = [
        section(ctx.t("drafting.modal_intro", title=section_t.title.get(ctx.lang))),
        channel_input(
            CHANNEL_FIELD, ctx.plain("drafting.modal_channel"), last, action_id=CHANNEL_FIELD
        ),
    ]
    return modal(
        START_MODAL,
        ctx.plain("drafting.modal_title"),
        blocks,
        metadata=StartSection(section_t.id).encode(),
        submit=ctx.plain("drafting.modal_submit"),
        close=ctx.plain("drafting.modal_close"),
    )


def on_start_modal(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ctx = request_context(context)
    value = StartSection.decode(view.get("private_metadata"))
    channel = values_of(view).get(CHANNEL_FIELD)
    if not channel:
        ack(
            response_action="errors", errors={CHANNEL_FIELD: ctx.plain("drafting.modal_no_channel")}
        )
        return
    ack()  # the modal closes; posting may take longer than Slack waits for an answer
    section_t = sessions.resolve_section(value.section)
    try:
        if section_t is None:
            raise CannotStart("drafting.cannot_post")
        begin_session(ctx, str(channel), section_t.id, ctx.actor)
    except CannotStart as reason_:
        # the modal is gone: say it in the person's direct messages with the bot
        ctx.slack.tell_privately(None, ctx.actor, ctx.t(reason_.key, **reason_.values))
    except AlreadyOpen as open_one:
        text, blocks = already_open_message(ctx.lang, open_one.session)
        ctx.slack.tell_privately(str(channel), ctx.actor, text, blocks)


# -- /policy status ---------------------------------------------------------------------------
def run_status(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.unit_of_work() as session:
        status = draft_status(session, ctx.settings.calendar.today(ctx.services.clock.now()))
        links = {
            info.section_id: info.permalink
            for info in reversed(sessions.open_sessions(session))
            if info.permalink
        }
    text = status_text(ctx.lang, status, links)
    reply_in_pages(call, text, as_blocks([text]))


# -- /policy show SECTION [--history] -----------------------------------------------------------
def run_show(call: CommandCall) -> None:
    ctx = call.ctx
    typed = call.args.split()
    flags = words("drafting.words.history")
    history = any(w.lower() in flags for w in typed)
    named = " ".join(w for w in typed if w.lower() not in flags)
    section_t = sessions.resolve_section(named) if named else None
    if section_t is None:
        usage = mrkdwn.lines([ctx.t("drafting.show_usage"), sections_help(ctx.lang)])
        given = ctx.t("drafting.unknown_section", given=named[:60]) if named else None
        call.reply(mrkdwn.lines([given, usage]) if given else usage)
        return
    plain: str | None = None
    with ctx.unit_of_work() as session:
        if history:
            changes = audit.history(session, section_t.id)
            people = ctx.known_people(str(c.before) + " " + str(c.after) for c in changes)
            chunks = history_chunks(ctx.lang, section_t, changes, people)
        else:
            listed = section_entries(session, section_t.id)
            people = ctx.known_people(e.text for item in listed for e in item.entries)
            chunks = show_chunks(ctx.lang, section_t, listed, people)
            plain = show_plain(ctx.lang, section_t, listed)
    title = section_t.title.get(ctx.lang)
    reply_in_pages(call, mrkdwn.lines(chunks), as_blocks(chunks), plain, section_t.id, title)


def reply_in_pages(
    call: CommandCall,
    text: Mrkdwn,
    blocks: list[Block],
    plain: str | None = None,
    name: str = "policy",
    title: str = "",
) -> None:
    """Answer privately in as many messages as it takes (none above Slack's 50 blocks), or,
    when that would be too many, as a file in the asker's direct messages."""
    pages = paginate(blocks)
    if len(pages) > MAX_REPLIES and plain is not None and send_file(call, plain, name, title):
        call.reply(call.ctx.t("drafting.show_file"))
        return
    texts = split(text)
    for number, page in enumerate(pages[: MAX_REPLIES + 1]):
        fallback = texts[number] if number < len(texts) else texts[-1]
        call.reply(fallback, page)


def send_file(call: CommandCall, content: str, name: str, title: str) -> bool:
    """The text as a file in the asker's direct messages with the bot."""
    ctx = call.ctx
    ctx.slack.upload(
        to_user=ctx.actor,
        content=content,
        filename=f"{name}.md",
        title=title or name,
        comment=ctx.t("drafting.show_file_comment", title=title or name),
    )
    return True
