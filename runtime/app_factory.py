"""The one place a Bolt `App` is built from settings: Slack, the shell and the tests all use it."""

from __future__ import annotations

import logging
import os
import socket
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.logger import get_bolt_app_logger
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware.authorization import SingleTeamAuthorization

from bot.clock import SYSTEM_CLOCK, Clock
from bot.settings import Settings
from bot.storage import Database
from handlers import register_all
from handlers.kit import matchers
from handlers.kit.outbox import Outbox
from handlers.kit.requests import Flight
from handlers.kit.services import Services
from runtime import requests
from runtime.background import Background
from runtime.executor import TrackingExecutor
from runtime.intake import Intake
from runtime.slack_client import ObservedWebClient, make_client
from runtime.slack_logging import BOLT_LOGGER, slack_library_logger

log = logging.getLogger(__name__)
LISTENER_THREADS = 10  # Bolt's own default
CLIENTS_KEPT = 100  # Web API clients kept, one per workspace (an org's); more get one each


class _TokenInClient(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when it is given a client, and then
    warns that the token "will be unused": but the client carries that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


# Bolt's App logs through the logger it is given (runtime.slack_logging), else its own.
for _bolt in ("slack_bolt.App", BOLT_LOGGER):
    logging.getLogger(_bolt).addFilter(_TokenInClient())


def default_claimant() -> str:
    """This process's name in the inbox and the outbox: a restarted process of the same
    name takes back what its dead predecessor held (see `Background.start`)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class PolicyApp(App):
    """A Bolt App that remembers what it was asked to handle, so tests can hold the manifest
    to exactly that: no command, shortcut or event on one side that is missing on the other."""

    listener_executor: Executor
    database: Database
    settings: Settings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.declared: dict[str, set[str]] = {"command": set(), "event": set(), "shortcut": set()}
        self._clients: dict[str | None, ObservedWebClient] = {}  # by workspace (`_init_context`)
        super().__init__(*args, **kwargs)

    def knows_itself(self, identity: Any) -> None:
        """Start-up's `auth.test` answer (`runtime.slack_client.check_slack`), for Bolt's
        authorization: built without token verification, Bolt asks Slack at the first
        request, and that request's ack waits for the round trip."""
        for layer in self._middleware_list:
            if isinstance(layer, SingleTeamAuthorization) and not layer.auth_test_result:
                layer.auth_test_result = identity

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

    def assistant(self, assistant: Any) -> Any:
        # Bolt's Assistant routes these events itself; the manifest must subscribe to them.
        self.declared["event"] |= {"assistant_thread_started", "assistant_thread_context_changed"}
        return super().assistant(assistant)

    def _init_context(self, req: BoltRequest) -> None:
        # Bolt's own (`App._init_context`), but the client a request gets is the observed one
        # listeners are to get (failed calls counted, kept-alive connections), and one per
        # workspace for the process, not a new one per request: building a WebClient reads
        # the proxy variables from the environment and formats its User-Agent each time.
        # Bolt makes one per request in case a listener changes its token; ours never do,
        # and a request that comes with a token of its own (a custom function's, which
        # Bolt's middleware puts in the client) gets a client of its own.
        req.context["logger"] = get_bolt_app_logger(self.name, self._base_logger)
        req.context["token"] = self._token
        team = req.context.team_id
        if req.context.function_bot_access_token is not None:
            req.context["client"] = ObservedWebClient.per_request(self._client, team)
        else:
            req.context["client"] = self._clients.get(team) or self._client_of(team)
        req.context["listener_runner"] = self.listener_runner

    def _client_of(self, team: str | None) -> ObservedWebClient:
        client = ObservedWebClient.per_request(self._client, team)
        if len(self._clients) < CLIENTS_KEPT:  # two made at once: the first kept serves both
            client = self._clients.setdefault(team, client)
        return client

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        # The request's scope spans Bolt's middleware and the listener it starts, so the log
        # lines of both know their request, HTTP and Socket Mode alike (runtime.requests).
        with requests.request_scope():
            return super().dispatch(req)

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
    executor = listener_executor or TrackingExecutor(max_workers=LISTENER_THREADS)
    client = make_client(settings)
    app = PolicyApp(
        # Named, or Bolt names the app after its caller's file with `inspect.stack()`, which
        # reads the source of every module loaded: 80 ms of every start. Bolt names its
        # listeners' loggers after the app, at its own logger's level: under that logger, not
        # above policybot's own (`policybot.requests` would fall silent).
        name=f"{BOLT_LOGGER}.app",
        client=client,
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=True,
        # Start-up asks Slack itself, in one line (runtime.slack_client.check_slack); Bolt's
        # own auth.test would print a traceback when Slack is out of reach. `serve` hands
        # Bolt that answer (`knows_itself`); without it, Bolt asks with the first request.
        token_verification_enabled=False,
        listener_executor=executor,
        # Events that no listener handles are still acknowledged; Slack needs no error for them.
        raise_error_for_unhandled_request=False,
        # Bolt would put its AI-assistant helpers (set_status, say_stream, suggested prompts)
        # into the context of every event listener's request; none of ours asks for them
        # (Bolt's `Assistant` adds them to its own listeners regardless).
        attaching_conversation_kwargs_enabled=False,
        logger=slack_library_logger(),  # never request bodies in the log, at any level
    )
    app.listener_executor = executor  # for a graceful shutdown: its work is drained
    app.database = database  # for /readyz
    app.settings = settings  # for the gate in front of it (runtime.serve.wsgi_application)
    requests.install(app)  # first: every line after this knows its request
    name = claimant or default_claimant()
    services = Services(
        settings, database, Outbox(database, client, clock, name), Flight(clock), clock
    )
    app.intake = Intake(app, services, name)  # before any work: the inbox
    register_all(app, services)
    matchers.call_directly(app)  # after every listener is registered
    app.background = Background(services, app.intake, name)
    return app
