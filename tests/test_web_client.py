"""The bot's Web API client retries on 429 (honouring Retry-After) and on 5xx."""

from __future__ import annotations

from bot.settings import Settings
from runtime.app_factory import make_client
from runtime.fakeslack import FakeSlack


def test_rate_limited_call_is_retried_after_the_servers_delay(
    settings: Settings, fake_slack: FakeSlack, retry_waits: list[float]
) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    answer = make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert answer["ok"] is True
    assert len(fake_slack.calls_for("chat.postMessage")) == 2
    assert len(retry_waits) == 1 and 7 <= retry_waits[0] < 8  # Retry-After: 7, plus jitter


def test_server_error_is_retried(
    settings: Settings, fake_slack: FakeSlack, retry_waits: list[float]
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500)
    answer = make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert answer["ok"] is True
    assert len(fake_slack.calls_for("chat.postMessage")) == 2
    assert len(retry_waits) == 1  # after a pause


def test_every_call_goes_to_the_configured_api_url(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    make_client(settings).auth_test()
    assert fake_slack.last("auth.test") is not None
