"""For gunicorn and other WSGI servers, with the settings `serve --http` uses:

    gunicorn -c python:runtime.gunicorn_conf runtime.wsgi:application

Settings come from the environment (or .env), as for `policybot serve --http`. Requests are
bounded and verified before Bolt parses them (`runtime.gate`); the read deadline needs
gunicorn (or a reverse proxy that buffers requests, deploy/nginx.conf).
"""

from __future__ import annotations

from bot.settings import load_settings
from runtime.app_factory import create_app
from runtime.serve import wsgi_application
from runtime.startup import open_database

_settings = load_settings()
_settings.require_slack(http=True)
application = wsgi_application(create_app(_settings, open_database(_settings)), _settings)
