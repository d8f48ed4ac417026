"""`policybot serve --http`: gunicorn in the process (one worker, eight threads), with the hooks
a well-behaved worker needs; `runtime/gunicorn_conf.py` gives the same hooks to a gunicorn
started by hand (`gunicorn -c runtime/gunicorn_conf.py runtime.wsgi:application`).

- After fork the worker drops the database connections it inherited (they belong to the
  parent; a shared PostgreSQL socket corrupts both sides).
- On SIGTERM gunicorn stops accepting, finishes the requests it has, then the worker drains
  Bolt's listener executor (`runtime.lifecycle.drain`) before it exits.
- gunicorn's own lines go through the root logger, so POLICYBOT_LOG_FORMAT=json covers them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from runtime.app_factory import PolicyApp
from runtime.lifecycle import drain, warm_up_in_background

log = logging.getLogger(__name__)
GRACEFUL_TIMEOUT = 30


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
        served = app()
        if served is not None:
            served.background.start()  # in the worker: threads do not survive the fork
        warm_up_in_background()

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


def serve_http(app: PolicyApp, application: Any, port: int) -> int:
    """Serve `application` (the WSGI callable of `app`) on `port` until SIGTERM or Ctrl-C."""

    class PolicybotServer(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 8)
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", GRACEFUL_TIMEOUT)
            self.cfg.set("logger_class", RootLogger)
            for name, hook in hooks(lambda: app).items():
                self.cfg.set(name, hook)

        def load(self) -> Any:
            return application

    log.info("listening for Slack on http://0.0.0.0:%d/slack/events", port)
    PolicybotServer().run()
    return 0
