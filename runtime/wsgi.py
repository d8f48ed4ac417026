"""For gunicorn and other WSGI servers:

    gunicorn -c runtime/gunicorn_conf.py -w 2 runtime.wsgi:application

(the config file gives the settings `serve --http` uses, and adds the hooks for a clean
shutdown and multiprocess metrics, and starts each worker's background loop as soon as it is
up; without them the loop starts with the first request).

Settings come from the environment (or .env), as for `policybot serve --http`. Requests are
bounded and verified before Bolt parses them (`runtime.gate`); the read deadline needs
gunicorn (or a reverse proxy that buffers requests, deploy/nginx.conf).
"""

from __future__ import annotations

from bot.settings import load_settings
from runtime.app_factory import create_app
from runtime.logs import configure_logging
from runtime.serve import wsgi_application
from runtime.startup import open_database

_settings = load_settings()
configure_logging(_settings)
_settings.require_slack(http=True)
app = create_app(_settings, open_database(_settings))
application = wsgi_application(app)
