"""The Web API client the bot uses, and what start-up asks Slack.

`make_client` aims slack_sdk's `WebClient` at SLACK_API_URL with retries for rate limits
(honouring Retry-After), server errors and broken connections; every retry and every call
that still fails is counted (`policybot_slack_api_retries_total{method,reason}`,
`policybot_slack_api_errors_total{method}`).

`check_slack` is start-up's one question to Slack (`auth.test`). Bolt would ask it while the
App is built and print a traceback and a "token unused" warning when Slack cannot be reached;
the app is built without that (`token_verification_enabled=False`) and start-up asks here
instead, answering in one line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot import metrics
from bot.settings import Settings

log = logging.getLogger(__name__)
_QUIET = logging.getLogger("policybot.slack_check")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
START_UP_TIMEOUT_S = 5  # auth.test at start-up: Slack answers in well under a second
# Errors that say the token itself is wrong: restarting will not help, the operator must.
TOKEN_REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


class ObservedWebClient(WebClient):
    """A WebClient that counts the calls that fail (once retries are spent), by method."""

    @classmethod
    def like(cls, client: WebClient) -> ObservedWebClient:
        """The same client (token, URL, retries…), observed."""
        observed = cls(
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            headers=client.headers,
            logger=client.logger,
            retry_handlers=client.retry_handlers,
        )
        observed.default_params = dict(client.default_params)  # the team id, when set
        return observed

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        try:
            return super().api_call(api_method, **kwargs)
        except (SlackApiError, OSError):
            metrics.slack_api_errors.labels(method=api_method).inc()
            raise


def install(app: App) -> None:
    """Bolt makes a plain WebClient for each request (`context.client`); listeners get an
    observed one instead, so their failed calls are counted too."""

    @app.middleware
    def observe_slack_calls(context: BoltContext, next: Callable[[], Any]) -> Any:  # noqa: A002
        if context.client is not None and not isinstance(context.client, ObservedWebClient):
            context["client"] = ObservedWebClient.like(context.client)
        return next()


def _counting(handler: RetryHandler, reason: str) -> RetryHandler:
    """`handler`, counting each retry it asks for as `reason`."""
    prepare = handler.prepare_for_next_attempt

    def prepare_for_next_attempt(
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        method = urlparse(request.url).path.rsplit("/", 1)[-1] or "unknown"
        metrics.slack_api_retries.labels(method=method, reason=reason).inc()
        prepare(state=state, request=request, response=response, error=error)

    handler.prepare_for_next_attempt = prepare_for_next_attempt  # type: ignore[method-assign]
    return handler


def make_client(settings: Settings) -> WebClient:
    """A Web API client aimed at SLACK_API_URL that retries 429s (honouring Retry-After) and 5xx."""
    return ObservedWebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            _counting(ConnectionErrorRetryHandler(max_retry_count=2), "connection"),
            _counting(RateLimitErrorRetryHandler(max_retry_count=3), "rate_limited"),
            _counting(ServerErrorRetryHandler(max_retry_count=2), "server_error"),
        ],
    )


@dataclass(frozen=True)
class SlackCheck:
    ok: bool
    fatal: bool  # the token was refused: no use starting
    line: str  # one line for the operator


def check_slack(settings: Settings) -> SlackCheck:
    """Ask Slack who the bot is (`auth.test`), once, without retries, in one line."""
    client = WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=START_UP_TIMEOUT_S,
        retry_handlers=[],  # one question, one answer: the caller decides what comes next
        logger=_QUIET,  # its failure is said once, in the line returned
    )
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error") or error.response.status_code)
        if code in TOKEN_REFUSED:
            return SlackCheck(False, True, f"Slack refused SLACK_BOT_TOKEN ({code}): copy it again")
        return SlackCheck(False, False, f"Slack answered auth.test with an error ({code})")
    except OSError as error:  # refused, unreachable, timed out, TLS
        reason = getattr(error, "reason", None) or error
        return SlackCheck(
            False, False, f"Slack is not reachable at {settings.slack_api_url} ({reason})"
        )
    return SlackCheck(True, False, f"connected to Slack as {answer.get('user') or 'the bot'}")
