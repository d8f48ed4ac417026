"""Answering when the database is down: within Slack's three seconds, in the person's language
(remembered in memory, else the default), without touching the database, changing nothing.

- a slash command: the answer is the acknowledgement's own body;
- a button or a shortcut: acknowledged, and answered through its response_url (which needs
  no database), else in a direct message;
- a modal's submission: the modal stays open with the message under its first field;
- an event: a 503, so that Slack delivers it again later (after about 1 and 5 minutes); it is
  then done once the database is back.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient

from bot.vocabulary import Language
from handlers.kit.blocks import first_input, input_errors, modal, section
from handlers.kit.catalogue import plain, say
from handlers.kit.context import RequestContext
from handlers.kit.courier import POST, deliver, reply_now
from handlers.kit.languages import known_language

log = logging.getLogger(__name__)
UNAVAILABLE = "delivery.unavailable"


def user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return str(user) if user else None


def answer_unavailable(
    body: dict[str, Any], default: Language, client: WebClient | None, *, acked: bool = False
) -> BoltResponse:
    """The acknowledgement that tells the person to try again (and, for a button or a
    shortcut, the message it sends on the side). `acked`: the request has been acknowledged
    already, so the message goes on the side whatever the request."""
    kind = body.get("type")
    if kind == "event_callback":
        return BoltResponse(status=503, body="")
    lang = known_language(user_of(body), default)
    text = say(lang, UNAVAILABLE)
    if acked:  # nothing waits for this thread (the listener's): it tells the person itself
        _tell(body, str(text), client)
        return BoltResponse(status=200, body="")
    if body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": str(text)})
    if kind == "view_submission":
        view = body.get("view") or {}
        if any(b.get("type") == "input" for b in view.get("blocks") or []):
            errors = input_errors({first_input(view): str(text)})
            return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
        title = plain(lang, "delivery.unavailable_title")
        return BoltResponse(
            status=200,
            body={
                "response_action": "update",
                "view": modal("unavailable", title, [section(text)]),
            },
        )
    if kind in ("block_actions", "shortcut", "message_action"):
        _tell_on_the_side(body, str(text), client)
    return BoltResponse(status=200, body="")


def database_down(ctx: RequestContext, body: dict[str, Any], *, acked: bool) -> BoltResponse:
    """The database failed under a request that was taken in: nothing of its work has
    committed. Someone waiting is told to try again, and the request is abandoned (marked
    failed once the database is back, never run); an event stays in the inbox, to be run
    again when the database is back (the background loop takes it once its lease is over)."""
    request, services = ctx.request, ctx.services
    ctx.forget_unsaid()
    if request is not None and not request.interactive:
        request.done = True  # nothing to finish here: the inbox runs it again later
        return BoltResponse(status=200, body="")
    if request is not None and request.claim is not None and not request.done:
        services.flight.abandon(request.claim)
        request.done = True
    client = services.outbox.client
    return answer_unavailable(body, services.settings.language, client, acked=acked)


def _tell_on_the_side(body: dict[str, Any], text: str, client: WebClient | None) -> None:
    """The answer for a request whose acknowledgement Slack does not show, while that
    acknowledgement waits: sent by a thread of its own, so the acknowledgement is not kept
    waiting on Slack."""
    threading.Thread(
        target=_tell, args=(body, text, client), name="policybot-unavailable", daemon=True
    ).start()


def _tell(body: dict[str, Any], text: str, client: WebClient | None) -> None:
    """Through the response_url, else by DM. (Once the request is acknowledged this runs in
    the listener's own thread: the executor counts it, so a drain or a test's wait for the
    app to settle includes it, which a thread of its own escaped.)"""
    url, user = body.get("response_url"), user_of(body)
    if url and client is not None:
        delivered = reply_now(url, text, client.base_url)
    elif user and client is not None:
        delivered = deliver(client, POST, {"users": [user], "text": text})
    else:
        return
    if not delivered.ok:
        log.info("could not say the bot is unavailable: %s", delivered.error)
