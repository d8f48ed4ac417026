"""The one place a Bolt `App` is built from settings: Slack, the shell and the tests all use it."""

from __future__ import annotations

import logging
import os
import socket
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.clock import SYSTEM_CLOCK, Clock
from bot.settings import Settings
from bot.storage import Database
from handlers import register_all
from handlers.kit.context import Services
from handlers.kit.courier import TIMEOUT
from handlers.kit.outbox import Outbox
from handlers.kit.requests import Flight
from runtime.background import Background
from runtime.intake import Intake

log = logging.getLogger(__name__)


def make_client(settings: Settings) -> WebClient:
    """A Web API client aimed at SLACK_API_URL that never retries by itself: a 429 or a 5xx
    is the outbox's to schedule (`kit.outbox`), so no listener thread sleeps on Slack."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT,
        retry_handlers=[],
    )


def default_claimant() -> str:
    """This process's name in the inbox and the outbox: a restarted process of the same
    name takes back what its dead predecessor held (see `Background.start`)."""
    return f"{socket.gethostname()}:{os.getpid()}"


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

    # The inbox and the background loop, set by `create_app`.
    intake: Intake
    background: Background

    def _handle_unmatched_requests(self, req: BoltRequest, resp: BoltResponse) -> BoltResponse:
        self.intake.unmatched(req)
        return super()._handle_unmatched_requests(req, resp)


def create_app(
    settings: Settings,
    database: Database,
    *,
    listener_executor: Executor | None = None,
    clock: Clock = SYSTEM_CLOCK,
    claimant: str | None = None,
) -> PolicyApp:
    """Build the app with every capability registered; signature checks stay on, always.
    Every request is taken into the inbox before it is acknowledged (`runtime.intake`); the
    caller starts `app.background` (the outbox sender and the inbox's second chances).
    `claimant` names this process in the inbox and the outbox (default: host and pid)."""
    client = make_client(settings)
    app = PolicyApp(
        client=client,
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=True,
        listener_executor=listener_executor,
        # Events that no listener handles are still acknowledged; Slack needs no error for them.
        raise_error_for_unhandled_request=False,
    )
    name = claimant or default_claimant()
    services = Services(
        settings, database, Outbox(database, client, clock, name), Flight(clock), clock
    )
    app.intake = Intake(app, services, name)  # the first middleware of ours: before any work
    register_all(app, services)
    app.background = Background(services, app.intake, name)
    return app
