"""Every request gets its `RequestContext` (`request_context` reads it back in a listener),
and the outbox's completion steps get one of their own."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest

from bot.clock import using
from handlers.kit import middleware
from handlers.kit.completions import run_completion
from handlers.kit.context import KEY, REQUEST, RequestContext
from handlers.kit.incoming import clean_request
from handlers.kit.requests import Request
from handlers.kit.services import Services


def install(app: App, services: Services) -> None:
    """Clean what every request brings (`incoming.clean_request`), then attach a
    RequestContext to it; run completion steps."""
    services.outbox.completion = lambda row, outcome: run_completion(services, row, outcome)
    middleware.use(app, clean_request)

    @partial(middleware.use, app)
    def attach_context(bolt: BoltRequest, next: middleware.Next) -> Any:  # noqa: A002
        context = bolt.context
        response_url = bolt.body.get("response_url") or context.response_url
        request = context.get(REQUEST)
        if isinstance(request, Request):
            request.ack = context.ack
        context[KEY] = RequestContext(
            services,
            context.client,
            context.user_id,
            response_url=response_url,
            request=request if isinstance(request, Request) else None,
        )
        with using(services.clock):  # the listener's thread starts from a copy of this context
            return next()
