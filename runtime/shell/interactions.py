"""Pressing things: buttons and menus (`\\pick`), modals (`\\submit`, `\\cancel`), message
shortcuts, editing and deleting your messages, and opening the home tab. Each sends the
payload Slack would send, then shows what the bot did."""

from __future__ import annotations

import uuid
from typing import Any

from runtime.fakeslack import Message, inbound
from runtime.fakeslack.methods import SlackError
from runtime.shell.compose import to_slack
from runtime.shell.errors import ShellError
from runtime.shell.render_blocks import INDENT, Choice, Field, options_of, plain
from runtime.shell.session import Session
from runtime.shell.transcript import Transcript
from runtime.shell.values import action, empty_selection, selection

NEEDS_NO_VALUE = {"button"}


def pick(session: Session, number: int, given: str) -> None:
    choice = next((c for c in session.choices if c.number == number), None)
    if choice is None:
        offered = f"[1] to [{len(session.choices)}]" if session.choices else "nothing"
        raise ShellError(f"there is no choice [{number}]; the last message offered {offered}")
    picked: dict[str, Any] = {}
    if choice.kind not in NEEDS_NO_VALUE:
        given = given or _ask_option(session, choice)
        picked = selection(choice.element, given, session.ensure_user, session.channel_id)
    entry = action(choice.element, choice.block_id, picked)
    session.interact(_block_actions(session, choice, entry))
    session.show()


def _ask_option(session: Session, choice: Choice) -> str:
    if not session.interactive:
        raise ShellError(f"say which option: \\pick {choice.number} M (M as listed under it)")
    for i, option in enumerate(options_of(choice.element), start=1):
        session.print(f"{INDENT}{i}) {plain(option.get('text'))}")
    answer = session.lines.read(f"{choice.label}: ")
    if not answer:
        raise ShellError("nothing picked")
    return answer


def _block_actions(session: Session, choice: Choice, entry: dict[str, Any]) -> dict[str, Any]:
    origin = choice.origin
    trigger = session.fake.issue_trigger(session.me)
    if origin.kind == "view":
        view = _current_view(session, str((origin.view or {}).get("id")))
        in_view = {"type": "view", "view_id": view["id"]}
        return inbound.block_actions(session.user_ref(), [entry], in_view, trigger, view=view)
    channel, ts = origin.channel or session.here(), origin.ts or ""
    ephemeral = origin.kind == "ephemeral"
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel,
        "is_ephemeral": ephemeral,
    }
    if origin.thread_ts:
        container["thread_ts"] = origin.thread_ts
    message = None
    if not ephemeral:  # Slack sends the message acted on, except for ephemerals
        found = session.fake.message(channel, ts)
        if found is None:
            raise ShellError("that message has been deleted")
        message = found.to_api()
    response_url = session.fake.response_url_for(
        uuid.uuid4().hex,
        user=session.me,
        channel=channel,
        message_ts=ts,
        thread_ts=origin.thread_ts,
    )
    return inbound.block_actions(
        session.user_ref(),
        [entry],
        container,
        trigger,
        channel=session.channel_ref(channel),
        message=message,
        response_url=response_url,
    )


def _current_view(session: Session, view_id: str) -> dict[str, Any]:
    for view in session.fake.open_views(session.me):
        if view["id"] == view_id:
            return view
    home = session.fake.home_view(session.me)
    if home and home["id"] == view_id:
        return home
    raise ShellError("that modal is closed")


def _top_modal(session: Session) -> dict[str, Any]:
    views = session.fake.open_views(session.me)
    if not views:
        raise ShellError("no modal is open")
    return views[-1]


def modal_fields(view: dict[str, Any]) -> list[Field]:
    inputs = [b for b in view.get("blocks") or [] if b.get("type") == "input"]
    return [Field(i, block) for i, block in enumerate(inputs, start=1)]


def submit(session: Session) -> None:
    view = _top_modal(session)
    fields = modal_fields(view)
    given = _ask_fields(session, fields) if session.interactive else _read_fields(session, fields)
    values: dict[str, dict[str, Any]] = {}
    missing = []
    for field in fields:
        raw = given.get(field.number, "").strip()
        element = field.element
        if raw:
            entry = selection(element, raw, session.ensure_user, session.channel_id)
        else:
            entry = empty_selection(element)
            if not field.optional and not any(v for v in entry.values()):
                missing.append(field.label)
        values.setdefault(field.block_id, {})[field.action_id] = {
            "type": element.get("type"),
            **entry,
        }
    if missing:  # Slack's own form check: the app never hears of it
        raise ShellError("fill in " + ", ".join(f"“{m}”" for m in missing) + " first")
    trigger = session.fake.issue_trigger(session.me)
    answer = session.interact(inbound.view_submission(session.user_ref(), view, values, trigger))
    _follow_response_action(session, view, fields, answer or {})


def _follow_response_action(
    session: Session, view: dict[str, Any], fields: list[Field], answer: dict[str, Any]
) -> None:
    """What Slack does with the app's answer to a submission."""
    todo = answer.get("response_action")
    if todo == "errors":
        by_block = {f.block_id: f.label for f in fields}
        errors = answer.get("errors") or {}

        def show_errors(transcript: Transcript) -> None:
            transcript.add("(the form was not accepted)")
            for block_id, message in errors.items():
                transcript.add(f"{INDENT}✗ {by_block.get(block_id, block_id)}: {message}")

        session.show(after=show_errors)
        return
    try:
        if todo == "update":
            updated = session.fake.replace_view(view["id"], answer.get("view") or {})
            session.show(after=lambda t: t.modal(updated, "updated "))
            return
        if todo == "push":
            pushed = session.fake.push_view(session.me, answer.get("view") or {})
            session.show(after=lambda t: t.modal(pushed, "pushed "))
            return
    except SlackError as refused:
        session.fake.close_view(view["id"])
        note = f"(Slack refused the app's new view: {refused.error})"
        session.show(after=lambda t: t.add(note))
        return
    if todo == "clear":
        session.fake.close_views(session.me)
    else:
        session.fake.close_view(view["id"])
    session.show(before=lambda t: t.add("(modal closed)"))


def _match(fields: list[Field], name: str) -> Field | None:
    wanted = name.strip().lower()
    for field in fields:
        if wanted in (
            str(field.number),
            field.label.lower(),
            field.block_id.lower(),
            field.action_id.lower(),
        ):
            return field
    return None


def _read_fields(session: Session, fields: list[Field]) -> dict[int, str]:
    """Script mode: `field: value` lines until a blank line (or the next command)."""
    given: dict[int, str] = {}
    while True:
        line = session.lines.read()
        if line is None or not line.strip():
            return given
        if line.startswith(("\\", "/")):
            session.lines.give_back(line)
            return given
        session.print(f"> {line}")
        name, colon, value = line.partition(":")
        field = _match(fields, name) if colon else None
        if field is None:
            known = ", ".join(f"{f.number} “{f.label}”" for f in fields) or "none"
            session.print(f"! no field {name.strip()!r}; fields: {known}")
            continue
        given[field.number] = value.strip()


def _ask_fields(session: Session, fields: list[Field]) -> dict[int, str]:
    """Interactive: one prompt per field; an empty answer keeps what is there."""
    given: dict[int, str] = {}
    for field in fields:
        for i, option in enumerate(options_of(field.element), start=1):
            session.print(f"{INDENT}{i}) {plain(option.get('text'))}")
        answer = session.lines.read(f"{field.describe()}: ")
        if answer is None:
            break
        given[field.number] = answer
    return given


def cancel(session: Session) -> None:
    view = _top_modal(session)
    if view.get("notify_on_close"):
        session.interact(inbound.view_closed(session.user_ref(), view))
    session.fake.close_view(view["id"])
    session.show(before=lambda t: t.add("(modal closed)"))


def shortcut(session: Session, number: int) -> None:
    message = session.numbered_message(number)
    callback_id = session.manifest.message_shortcut
    response_url = session.fake.response_url_for(
        uuid.uuid4().hex, user=session.me, channel=message.channel
    )
    payload = inbound.message_action(
        callback_id,
        session.user_ref(),
        session.channel_ref(message.channel),
        message.to_api(),
        session.fake.issue_trigger(session.me),
        response_url,
    )
    session.interact(payload)
    session.show()


def edit(session: Session, number: int, text: str) -> None:
    message = _own(session, number, "edit")
    encoded = to_slack(text, session.directory)
    previous, current = session.fake.edit_user_message(message.channel, message.ts, encoded)
    if session.message_event_allowed(message.channel):
        event = inbound.message_changed_event(
            message.channel, session.channel_type(message.channel), previous, current
        )
        session.harness.event(inbound.event_callback(event))
    session.show()


def delete(session: Session, number: int) -> None:
    message = _own(session, number, "delete")
    previous = session.fake.delete_user_message(message.channel, message.ts)
    if session.message_event_allowed(message.channel):
        event = inbound.message_deleted_event(
            message.channel, session.channel_type(message.channel), previous
        )
        session.harness.event(inbound.event_callback(event))
    session.show()


def _own(session: Session, number: int, verb: str) -> Message:
    message = session.numbered_message(number)
    if message.user != session.me:
        raise ShellError(f"you can only {verb} your own messages; [#{number}] is not yours")
    return message


def open_home(session: Session) -> None:
    if session.manifest.subscribed("app_home_opened"):
        event = inbound.app_home_opened_event(
            session.me, session.fake.im_for(session.me), session.fake.home_view(session.me)
        )
        session.harness.event(inbound.event_callback(event))
    session.show(after=lambda t: t.home(session.fake.home_view(session.me)), home=True)
