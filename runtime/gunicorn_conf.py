"""gunicorn settings for running policybot under gunicorn by hand, with several workers:

    gunicorn -c runtime/gunicorn_conf.py runtime.wsgi:application

The settings are those `serve --http` uses (`runtime.http_server.gunicorn_settings`: threads
from POLICYBOT_HTTP_THREADS, the port from PORT, keep-alive, header limits). Workers and
threads: `GUNICORN_CMD_ARGS="-w 2 --threads 8"` or flags after `-c`. With more than one
worker, set PROMETHEUS_MULTIPROC_DIR to an empty directory first (see bot/metrics.py) so
/metrics adds up every worker's figures.
"""

from __future__ import annotations

import sys

from bot.settings import load_settings
from runtime.http_server import gunicorn_settings, hooks

_settings = load_settings()
globals().update(gunicorn_settings(_settings, _settings.port))


def _app():  # type: ignore[no-untyped-def]
    wsgi = sys.modules.get("runtime.wsgi")  # built in each worker (or before fork with --preload)
    return getattr(wsgi, "app", None)


globals().update(hooks(_app))
