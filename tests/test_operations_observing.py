"""What an operator sees of a running bot: /healthz, /readyz, /metrics, and log lines that
name their request and hold no personal data."""

from __future__ import annotations

import io
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text

from bot.settings import Settings
from bot.storage import Database
from runtime.app_factory import create_app
from runtime.logs import BODY_DUMPERS, configure_logging
from runtime.serve import wsgi_application
from runtime.slack_logging import CLIENTS
from tests.driver import SlackDriver
from tests.seed import adopt

EMAIL, PHONE = "jan.jansen@example.nl", "0612345678"
DM_WITH_PERSONAL_DATA = f"mag ik dit posten: mail {EMAIL} of bel {PHONE} voor de foto's"


def get(driver: SlackDriver, path: str) -> tuple[int, str]:
    url = driver.url.replace("/slack/events", path)
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# -- health and readiness ---------------------------------------------------------------------
def test_healthz_and_readyz_answer_while_the_database_is_at_head(running: SlackDriver) -> None:
    assert get(running, "/healthz") == (200, "ok\n")
    assert get(running, "/readyz") == (200, "ready\n")


def test_readyz_is_503_when_the_migrations_are_behind(running: SlackDriver) -> None:
    with running.db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
    status, reason = get(running, "/readyz")
    assert status == 503 and "not at head" in reason
    assert get(running, "/healthz")[0] == 200  # alive all the same: no restart is needed


def test_readyz_is_503_when_the_database_does_not_answer(settings: Settings) -> None:
    gone = Database("sqlite:////nonexistent-directory/policybot.db")
    app = create_app(settings, gone)
    answers: list[str] = []
    body = wsgi_application(app)(
        {"PATH_INFO": "/readyz", "REQUEST_METHOD": "GET"},
        lambda status, headers: answers.append(status),
    )
    assert answers == ["503 Service Unavailable"]
    assert b"does not answer" in b"".join(body)
    app.listener_executor.shutdown()


# -- metrics ----------------------------------------------------------------------------------
def test_metrics_count_answers_retries_errors_and_time(
    running: SlackDriver, retry_waits: list[float]
) -> None:
    adopt(running.db)
    forbidden = sample("policybot_answers_total", verdict="forbidden")
    handled = sample("policybot_handling_seconds_count", kind="event:message")
    running.dm("UEMP0001", "mag ik dit posten: het BSN van een inwoner is 111222333")
    assert sample("policybot_answers_total", verdict="forbidden") == forbidden + 1
    assert sample("policybot_handling_seconds_count", kind="event:message") == handled + 1

    retried = sample("policybot_slack_api_retries_total", method="chat.postMessage",
                     reason="rate_limited")  # fmt: skip
    running.fake.fail_next("chat.postMessage", status=429, retry_after=7)
    channel = running.fake.im_for("UEMP0001")
    running.message("UEMP0001", channel, "mag ik dit posten: een foto van de fietsenstalling")
    assert retry_waits == []  # nobody slept: the outbox tries again after Retry-After
    assert sample("policybot_slack_api_retries_total", method="chat.postMessage",
                  reason="rate_limited") == retried + 1  # fmt: skip
    running.clock.advance(8)
    running.wait()
    assert "fietsenstalling" in str(running.fake.bot_messages(channel)[-1].to_api())

    errors = sample("policybot_slack_api_errors_total", method="chat.postMessage")
    running.fake.fail_next("chat.postMessage", status=200, error="channel_not_found")
    running.message("UEMP0001", running.fake.im_for("UEMP0001"), "mag ik dit posten: hallo")
    assert sample("policybot_slack_api_errors_total", method="chat.postMessage") == errors + 1

    status, exposed = get(running, "/metrics")
    assert status == 200
    promised = (
        'policybot_answers_total{verdict="forbidden"}',
        'policybot_handling_seconds_bucket{kind="event:message"',
        "policybot_executor_pending",
        "policybot_escalations_total",
        "policybot_contributions_total",
        "policybot_deduplicated_retries_total",
    )
    for name in promised:
        assert name in exposed, name
    assert sample("policybot_executor_pending") == 0  # everything has finished


def test_a_redelivered_event_is_counted_as_deduplicated(running: SlackDriver) -> None:
    before = sample("policybot_deduplicated_retries_total")
    event = {"type": "app_home_opened", "user": "UEMP0001", "tab": "home"}
    running.event(event, event_id="EvDEDUP0001")
    running.event(event, event_id="EvDEDUP0001", retry=1)
    assert sample("policybot_deduplicated_retries_total") == before + 1


# -- logs -------------------------------------------------------------------------------------
@pytest.fixture
def captured_logs(settings: Settings) -> Iterator[io.StringIO]:
    """The root logger configured as LOG_LEVEL=DEBUG POLICYBOT_LOG_FORMAT=json would, into a
    buffer; the previous configuration is restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    saved_levels = {name: logging.getLogger(name).level for name in BODY_DUMPERS + CLIENTS}
    stream = io.StringIO()
    configure_logging(settings.with_overrides(log_level="DEBUG", log_format="json"), stream)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


def test_json_lines_name_their_request_and_hold_no_personal_data(
    running: SlackDriver, captured_logs: io.StringIO
) -> None:
    adopt(running.db)
    logging.getLogger("policybot.test").debug("a direct message: %s", DM_WITH_PERSONAL_DATA)
    answer = running.dm("UEMP0002", DM_WITH_PERSONAL_DATA)
    assert answer.text or answer.blocks
    output = captured_logs.getvalue()
    assert EMAIL not in output and PHONE not in output and "12345678" not in output
    lines = [json.loads(line) for line in output.splitlines()]  # every line is one object
    assert any("a direct message: mag ik dit posten" in line["message"] for line in lines)
    handled = [line for line in lines if line["message"].startswith("handled in")]
    assert handled, output
    closing = handled[-1]
    assert closing["kind"] == "event" and closing["listener"] == "message"
    assert closing["team"] and closing["request_id"].startswith("Ev")
    assert closing["duration_ms"] > 0 and closing["level"] == "INFO"


def test_slack_clients_do_not_format_the_bodies_they_would_not_log(
    running: SlackDriver, captured_logs: io.StringIO
) -> None:
    """slack_sdk formats a DEBUG line of every request and response body whenever its client's
    logger has no level of its own (it tests `logger.level`, not the level followed): at
    LOG_LEVEL=DEBUG too, every client the bot posts with has one, INFO at the least."""
    answer = running.dm("UEMP0002", DM_WITH_PERSONAL_DATA)
    assert answer.text or answer.blocks
    services = running.app.intake.services
    loggers = [running.app.client.logger, services.outbox.client.logger]
    loggers += [logging.getLogger(name) for name in CLIENTS]  # response_urls, Socket Mode
    assert all(logger.level >= logging.INFO for logger in loggers)
    assert "Sending a request" not in captured_logs.getvalue()


def test_log_lines_during_the_listeners_work_carry_the_request(
    running: SlackDriver, captured_logs: io.StringIO
) -> None:
    running.fake.fail_next("response_url", status=500, times=5)
    running.command("UEMP0001", "help")
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines()]
    during = [line for line in lines if line.get("listener") == "/policy"]
    assert len(during) >= 2, lines  # the failure, logged in the executor, and the closing line
    assert all(line["kind"] == "command" for line in during)
    assert len({line["request_id"] for line in during}) == 1
