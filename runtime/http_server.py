"""`policybot serve --http`: gunicorn in the process (one worker, POLICYBOT_HTTP_THREADS
threads), with the settings and hooks a well-behaved worker needs; `runtime/gunicorn_conf.py`
gives the same to a gunicorn started by hand
(`gunicorn -c runtime/gunicorn_conf.py runtime.wsgi:application`).

- A thread is held only while a request is read (at most POLICYBOT_REQUEST_READ_TIMEOUT_MS:
  the gate in front of Bolt sees to that, `runtime.gate`) and acked; idle keep-alive
  connections wait in the worker's poller and hold none.

- After fork the worker drops the database connections it inherited (they belong to the
  parent; a shared PostgreSQL socket corrupts both sides).
- On SIGTERM gunicorn stops accepting, finishes the requests it has, then the worker drains
  Bolt's listener executor (`runtime.lifecycle.drain`) before it exits.
- The interpreter's switch interval is shortened (`SWITCH_INTERVAL_S`), so request threads
  are not kept waiting behind listener threads.
- gunicorn's own lines go through the root logger, so POLICYBOT_LOG_FORMAT=json covers them.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from bot.settings import Settings
from runtime.app_factory import PolicyApp
from runtime.lifecycle import drain, warm_up_in_background

log = logging.getLogger(__name__)
GRACEFUL_TIMEOUT = 30
# How long a thread that wants the interpreter waits before it asks the one running to let
# go (Python's default: 5 ms). A request thread whose read, INSERT or commit let go of it
# waited that long behind the listeners working out earlier answers, several times per ack;
# a shorter turn costs the listeners a little throughput and keeps acks short under load.
SWITCH_INTERVAL_S = 0.0005


class RootLogger(Logger):
    """gunicorn's error and access logs handed to the root logger (its level and format)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.handlers.clear()
            logger.propagate = True


def hooks(app: Callable[[], PolicyApp | None]) -> dict[str, Callable[..., None]]:
    """gunicorn server hooks for the app `app()` returns (None before the worker built it)."""

    def post_fork(server: Any, worker: Any) -> None:
        served = app()
        if served is not None:
            served.database.engine.dispose(close=False)

    def post_worker_init(worker: Any) -> None:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        served = app()
        if served is not None:
            served.background.start()  # in the worker: threads do not survive the fork
        warm_up_in_background(served, after_first=True)

    def worker_exit(server: Any, worker: Any) -> None:
        served = app()
        if served is not None:
            drain(served)

    def child_exit(server: Any, worker: Any) -> None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(worker.pid)

    return {
        "post_fork": post_fork,
        "post_worker_init": post_worker_init,
        "worker_exit": worker_exit,
        "child_exit": child_exit,
    }


def gunicorn_settings(settings: Settings, port: int) -> dict[str, Any]:
    """gunicorn's settings for policybot (workers apart: `serve --http` runs one). Header
    limits stay at gunicorn's defaults, far above what Slack sends."""
    return {
        "bind": f"0.0.0.0:{port}",
        "worker_class": "gthread",
        "threads": settings.http_threads,
        "worker_connections": 1000,
        "keepalive": 5,  # seconds an idle connection is kept for its next request
        "timeout": 30,  # the worker's heartbeat: a worker silent this long is restarted
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "accesslog": None,
        "logger_class": RootLogger,
        # No `gunicornc` control socket: policybot is run by its supervisor, and instances on
        # one host would share its default path ($HOME/.gunicorn/gunicorn.ctl); its server
        # thread would also start beside the first requests.
        "control_socket_disable": True,
    }


def serve_http(app: PolicyApp, application: Any, port: int) -> int:
    """Serve `application` (the WSGI callable of `app`) on `port` until SIGTERM or Ctrl-C."""

    class PolicybotServer(BaseApplication):
        def load_config(self) -> None:
            for name, value in gunicorn_settings(app.settings, port).items():
                self.cfg.set(name, value)
            self.cfg.set("workers", 1)  # its database pool is made before the fork
            for name, hook in hooks(lambda: app).items():
                self.cfg.set(name, hook)

        def load(self) -> Any:
            return application

    log.info("listening for Slack on http://0.0.0.0:%d/slack/events", port)
    PolicybotServer().run()
    return 0
