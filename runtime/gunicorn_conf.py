"""gunicorn settings for running policybot under gunicorn by hand, with several workers:

    gunicorn -c runtime/gunicorn_conf.py runtime.wsgi:application

Workers and threads: `GUNICORN_CMD_ARGS="-w 2 --threads 8"` or flags after `-c`. With more
than one worker, set PROMETHEUS_MULTIPROC_DIR to an empty directory first (see bot/metrics.py)
so /metrics adds up every worker's figures.
"""

from __future__ import annotations

import sys

from runtime.http_server import GRACEFUL_TIMEOUT, RootLogger, hooks

bind = "0.0.0.0:3000"
worker_class = "gthread"
threads = 8
graceful_timeout = GRACEFUL_TIMEOUT
logger_class = RootLogger


def _app():  # type: ignore[no-untyped-def]
    wsgi = sys.modules.get("runtime.wsgi")  # built in each worker (or before fork with --preload)
    return getattr(wsgi, "app", None)


globals().update(hooks(_app))
