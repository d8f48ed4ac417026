"""The bot's Prometheus metrics (docs/interfaces.md, "Operations"), served at `/metrics`.

Recorded by the Slack side and the process (handlers, runtime), never by the core's own
functions, so `policybot check` and the other commands do not import prometheus-client.

Under gunicorn with several worker processes, set `PROMETHEUS_MULTIPROC_DIR` to an empty
directory writable by the workers (before they start): each process then writes its figures
there and `/metrics` adds them up, whichever worker answers. Without it every process counts
on its own, which is right for `policybot serve` (one worker) and Socket Mode.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Handling time of one request, from its arrival to the end of its listener's work (after
# the ack), by the kind of request: command, event type, block_actions, view_submission….
HANDLING_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

handling_seconds = Histogram(
    "policybot_handling_seconds",
    "Time to handle one Slack request, ack and the listener's work after it, by kind",
    ["kind"],
    buckets=HANDLING_BUCKETS,
)
answers = Counter(
    "policybot_answers", "Questions answered (may I post this?), by verdict", ["verdict"]
)
escalations = Counter("policybot_escalations", "Questions passed on to a role")
contributions = Counter(
    "policybot_contributions", "Drafting contributions recorded (replies and picks)"
)
deduplicated = Counter(
    "policybot_deduplicated_retries", "Slack redeliveries skipped because already processed"
)
slack_api_errors = Counter(
    "policybot_slack_api_errors",
    "Web API calls that failed (after retries), by method",
    ["method"],
)
slack_api_retries = Counter(
    "policybot_slack_api_retries",
    "Web API calls tried again (rate limited, server error, connection), by method and reason",
    ["method", "reason"],
)
executor_pending = Gauge(
    "policybot_executor_pending",
    "Listener work queued or running in the listener executor",
    multiprocess_mode="livesum",
)
socket_mode_connected = Gauge(
    "policybot_socket_mode_connected",
    "1 while the Socket Mode connection to Slack is open",
    multiprocess_mode="livemax",
)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
