"""The bot's Web API client never waits on Slack by itself: a 429 or a 5xx comes back at once
(the outbox schedules the retry, honouring Retry-After: tests/test_outbox.py)."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from runtime.app_factory import make_client
from runtime.fakeslack import FakeSlack


def test_rate_limited_call_comes_back_at_once_with_its_delay(
    settings: Settings, fake_slack: FakeSlack, retry_waits: list[float]
) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as refused:
        make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "7"
    assert len(fake_slack.calls_for("chat.postMessage")) == 1
    assert retry_waits == []  # nobody slept


def test_server_error_comes_back_at_once(
    settings: Settings, fake_slack: FakeSlack, retry_waits: list[float]
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError):
        make_client(settings).chat_postMessage(channel="C0GENERAL", text="hello")
    assert len(fake_slack.calls_for("chat.postMessage")) == 1
    assert retry_waits == []


def test_every_call_goes_to_the_configured_api_url(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    make_client(settings).auth_test()
    assert fake_slack.last("auth.test") is not None
