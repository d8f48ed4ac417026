"""The one error handler: whatever fails in a listener, the person is told in their language,
privately, with nothing of the traceback, and the exception is logged.

A value the bot did not make, or no longer understands (a forged or stale button value or
modal metadata: `PayloadError`), is a refusal rather than a failure: logged as a warning and
answered with its own words. A modal whose submission fails keeps open with the message under
its first field; everything else is answered as `replies.answer_privately` does.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from handlers.kit.blocks import first_input, input_errors
from handlers.kit.catalogue import say
from handlers.kit.context import KEY, RequestContext, Services
from handlers.kit.payloads import PayloadError
from handlers.kit.replies import answer_privately

log = logging.getLogger(__name__)

FAILED, STALE = "common.failed", "common.stale"


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
    stale = isinstance(error, PayloadError)
    if stale:
        log.warning("%s refused: %s", what_failed(body), error)
    else:
        log.error("%s failed", what_failed(body), exc_info=error)
    ctx = context.get(KEY)
    if not isinstance(ctx, RequestContext):  # failed before the request had its context
        ctx = RequestContext(services, context.client, context.user_id)
    text = say(_language(ctx), STALE if stale else FAILED)
    not_acked = response is not None
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
