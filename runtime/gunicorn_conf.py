"""gunicorn's settings for policybot, the same `policybot serve --http` uses:

    gunicorn -c python:runtime.gunicorn_conf runtime.wsgi:application

Each value comes from `runtime.serve.gunicorn_settings` (threads from POLICYBOT_HTTP_THREADS,
the port from PORT); a command-line flag given after `-c` still wins.
"""

from __future__ import annotations

from bot.settings import load_settings
from runtime.serve import gunicorn_settings

_settings = load_settings()
globals().update(gunicorn_settings(_settings, _settings.port))
