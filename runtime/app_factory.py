"""The one place a Bolt `App` is built from settings: Slack, the shell and the tests all use it."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.deliveries import first_delivery
from bot.settings import Settings
from bot.storage import Database
from handlers import register_all
from handlers.kit.context import Services
from runtime.slack_logging import slack_library_logger

log = logging.getLogger(__name__)


def make_client(settings: Settings) -> WebClient:
    """A Web API client aimed at SLACK_API_URL that retries 429s (honouring Retry-After) and 5xx."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class PolicyApp(App):
    """A Bolt App that remembers what it was asked to handle, so tests can hold the manifest
    to exactly that: no command, shortcut or event on one side that is missing on the other."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.declared: dict[str, set[str]] = {"command": set(), "event": set(), "shortcut": set()}
        super().__init__(*args, **kwargs)

    def command(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        self.declared["command"].add(str(command))
        return super().command(command, *args, **kwargs)

    def event(self, event: Any, *args: Any, **kwargs: Any) -> Any:
        name = event if isinstance(event, str) else event.get("type")
        self.declared["event"].add(str(name))
        return super().event(event, *args, **kwargs)

    def message(self, *args: Any, **kwargs: Any) -> Any:
        self.declared["event"].add("message")
        return super().message(*args, **kwargs)

    def shortcut(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        callback = constraints if isinstance(constraints, str) else constraints.get("callback_id")
        self.declared["shortcut"].add(str(callback))
        return super().shortcut(constraints, *args, **kwargs)


def create_app(
    settings: Settings,
    database: Database,
    *,
    listener_executor: Executor | None = None,
) -> PolicyApp:
    """Build the app with every capability registered; signature checks stay on, always."""
    app = PolicyApp(
        client=make_client(settings),
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=True,
        listener_executor=listener_executor,
        # Events that no listener handles are still acknowledged; Slack needs no error for them.
        raise_error_for_unhandled_request=False,
        logger=slack_library_logger(),  # never request bodies in the log, at any level
    )

    @app.middleware
    def process_each_event_once(body: dict[str, Any], next: Any) -> Any:  # noqa: A002
        # Slack redelivers (X-Slack-Retry-Num) when it saw no timely ack; the event_id stays
        # the same. The database decides, so a retry that reaches another instance is skipped.
        event_id = body.get("event_id")
        if not event_id:
            return next()
        with database.session() as session:  # committed before the event is handled
            first = first_delivery(session, f"event:{event_id}")
        if not first:
            log.info("skipping redelivered event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    register_all(app, Services(settings, database))
    return app
