"""The bot's Web API client retries on 429 (honouring Retry-After) and on 5xx."""

from __future__ import annotations

from bot.settings import Settings
from runtime.app_factory import make_client


def test_rate_limited_call_is_retried_after_the_servers_delay(
    settings: Settings, fake_slack
) -> None:  # type: ignore[no-untyped-def]
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    answer = make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert answer["ok"] is True
    attempts = fake_slack.calls_for("chat.postMessage")
    assert len(attempts) == 2
    assert (attempts[1].at - attempts[0].at) >= 0.9


def test_server_error_is_retried(settings: Settings, fake_slack) -> None:  # type: ignore[no-untyped-def]
    fake_slack.fail_next("chat.postMessage", status=500)
    answer = make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert answer["ok"] is True
    assert len(fake_slack.calls_for("chat.postMessage")) == 2


def test_every_call_goes_to_the_configured_api_url(settings: Settings, fake_slack) -> None:  # type: ignore[no-untyped-def]
    make_client(settings).auth_test()
    assert fake_slack.last("auth.test") is not None
