"""The Web API client the bot uses, and what start-up asks Slack.

`make_client` aims slack_sdk's `WebClient` at SLACK_API_URL without retries of its own: a
429, a 5xx or a broken connection comes back at once, and the outbox (`handlers.kit.outbox`)
tries the write again later, honouring Retry-After, so no thread ever sleeps on Slack. Every
call that fails is counted (`policybot_slack_api_errors_total{method}`), and every retry the
outbox schedules (`policybot_slack_api_retries_total{method,reason}`).

`check_slack` is start-up's one question to Slack (`auth.test`). Bolt would ask it while the
App is built and print a traceback and a "token unused" warning when Slack cannot be reached;
the app is built without that (`token_verification_enabled=False`) and start-up asks here
instead, answering in one line; its answer is handed to the app, so that Bolt does not ask
it again before acknowledging the first request (a round trip to Slack on every worker).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.settings import Settings
from bot.storage import sqlite_writers
from bot.storage.held import holds_a_connection
from handlers.kit.keepalive import PooledWebClient
from handlers.kit.slack import COURTESY

log = logging.getLogger(__name__)
_QUIET = logging.getLogger("policybot.slack_check")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
START_UP_TIMEOUT_S = 5  # auth.test at start-up: Slack answers in well under a second
CALL_TIMEOUT_S = 10  # a call that takes longer counts as Slack unreachable, for now
# Errors that say the token itself is wrong: restarting will not help, the operator must.
TOKEN_REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


class ObservedWebClient(PooledWebClient):
    """A WebClient that counts the calls that fail (once retries are spent), by method, and
    sends them over the process's keep-alive connections (`handlers.kit.keepalive`)."""

    @classmethod
    def per_request(cls, client: WebClient, team_id: str | None) -> ObservedWebClient:
        """A client for one request, as Bolt makes one from the app's (`App._init_context`:
        its token, URL, timeout, TLS, proxy, headers, logger, retries, and the request's
        team), observed."""
        return cls(
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            headers=client.headers,
            team_id=team_id,
            logger=client.logger,
            retry_handlers=(
                client.retry_handlers.copy() if client.retry_handlers is not None else None
            ),
        )

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        if sqlite_writers.holds_a_turn() and not COURTESY.get():
            # Slack slow or down would keep every other writer waiting, others' acks too.
            log.warning(
                "Slack asked (%s) while this thread holds the database's writer turn",
                api_method,
                stack_info=True,
            )
        if holds_a_connection():
            # On PostgreSQL its pooled connection and open transaction wait for Slack's answer:
            # slow Slack would starve the pool. Ask before the unit of work (`kit.outside`).
            log.warning(
                "Slack asked (%s) while this thread has a unit of work open",
                api_method,
                stack_info=True,
            )
        try:
            return super().api_call(api_method, **kwargs)
        except (SlackApiError, OSError):
            metrics.slack_api_errors.labels(method=api_method).inc()
            raise


def make_client(settings: Settings) -> WebClient:
    """A Web API client aimed at SLACK_API_URL that never retries by sleeping: a refusal for
    now is the outbox's to schedule."""
    return ObservedWebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=CALL_TIMEOUT_S,
        retry_handlers=[],
    )


@dataclass(frozen=True)
class SlackCheck:
    ok: bool
    fatal: bool  # the token was refused: no use starting
    line: str  # one line for the operator
    # Slack's answer when it came: who the bot is, which Bolt asks again at the first request
    # otherwise (`PolicyApp.knows_itself`).
    identity: Any = None


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
    line = f"connected to Slack as {answer.get('user') or 'the bot'}"
    return SlackCheck(True, False, line, identity=answer)
