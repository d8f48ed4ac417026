"""The one error handler: whatever fails in a listener, the person is told in their language,
privately, with nothing of the traceback, and the exception is logged.

A value the bot did not make, or no longer understands (a forged or stale button value or
modal metadata: `PayloadError`), is a refusal rather than a failure: logged as a warning and
answered with its own words. A modal whose submission fails keeps open with the message under
its first field; everything else is answered as `replies.answer_privately` does.

Three failures are not the listener's fault and have answers of their own:
- the database went down under the request (`bot.storage.unavailable`): a person waiting is
  told to try again in a minute, without the database (`kit.unavailable`), and the request is
  abandoned; an event is left in the inbox, to be run again when the database is back;
- another run of the same inbox record finished it first (`inbox.AlreadyDone`): this run's
  work has rolled back and there is nothing to say;
- a modal could not open because its trigger expired (`TriggerExpired`: a request run again
  after a restart): the person is asked to try again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.inbox import AlreadyDone
from bot.storage import transient, unavailable
from handlers.kit.blocks import first_input, input_errors
from handlers.kit.catalogue import say
from handlers.kit.context import KEY, RequestContext
from handlers.kit.replies import answer_privately
from handlers.kit.services import Services
from handlers.kit.slack import TriggerExpired
from handlers.kit.unavailable import database_down

log = logging.getLogger(__name__)

FAILED, STALE, TOO_LATE = "common.failed", "common.stale", "delivery.too_late"


def register(app: App, services: Services) -> None:
    @app.error
    def tell_the_person(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        return answer_error(services, error, body, context, response)


def what_failed(body: dict[str, Any]) -> str:
    """The request in a few words, for the log: `/policy boom`, `button review_accept` …"""
    kind = body.get("type")
    if body.get("command"):
        word = (str(body.get("text") or "").strip().split() or ["help"])[0]
        return f"{body['command']} {word[:40]}"
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return f"button {action.get('action_id')}"
    if kind == "view_submission":
        return f"modal {(body.get('view') or {}).get('callback_id')}"
    if kind in ("shortcut", "message_action"):
        return f"shortcut {body.get('callback_id')}"
    if kind == "event_callback":
        return f"event {(body.get('event') or {}).get('type')}"
    return str(kind or "request")


def answer_error(
    services: Services,
    error: Exception,
    body: dict[str, Any],
    context: BoltContext,
    response: BoltResponse | None,
) -> BoltResponse | None:
    ctx = context.get(KEY)
    if not isinstance(ctx, RequestContext):  # failed before the request had its context
        ctx = RequestContext(services, context.client, context.user_id)
    not_acked = response is not None
    request = ctx.request
    if isinstance(error, AlreadyDone):
        log.info("%s was finished by another run: this one did nothing", what_failed(body))
        if request is not None:
            request.done = True
        return BoltResponse(status=200, body="") if not_acked else None
    if transient(error) and request is not None and request.claim and not request.done:
        # Lost a race with another writer, and rolled back: run again from its record.
        log.info("%s lost a race (%s): run again", what_failed(body), type(error).__name__)
        ctx.forget_unsaid()
        ctx.services.flight.run_again(request.claim)
        request.done = True
        return BoltResponse(status=200, body="") if not_acked else None
    if unavailable(error):
        log.warning("%s: the database failed under it (%s)", what_failed(body), error)
        answer = database_down(ctx, body, acked=not not_acked)
        return answer if not_acked else None
    if request is not None:
        request.failed = True
    # Imported here, not at start-up: its thirty-odd dataclasses are made when a listener
    # that reads a payload is first imported, and only such a listener raises this error.
    from handlers.kit.payloads import PayloadError

    stale = isinstance(error, PayloadError)
    if stale:
        log.warning("%s refused: %s", what_failed(body), error)
    elif isinstance(error, TriggerExpired):
        log.info("%s came too late to open its modal", what_failed(body))
    else:
        log.error("%s failed", what_failed(body), exc_info=error)
    key = STALE if stale else TOO_LATE if isinstance(error, TriggerExpired) else FAILED
    text = say(_language(ctx), key)
    if body.get("type") == "view_submission" and not_acked:
        errors = input_errors({first_input(body.get("view") or {}): text})
        return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
    try:
        answer_privately(ctx, body, text)
    except Exception:  # the database or Slack itself is down: the log has said it
        log.exception("could not tell the person that %s failed", what_failed(body))
    return BoltResponse(status=200, body="") if not_acked else None


def _language(ctx: RequestContext) -> str:
    try:
        return ctx.lang
    except Exception:  # the language lives in the database, which may be what failed
        return ctx.settings.language
