"""For gunicorn and other WSGI servers: `gunicorn -w 2 --threads 8 runtime.wsgi:application`.

Settings come from the environment (or .env), as for `policybot serve --http`.
"""

from __future__ import annotations

from bot.settings import load_settings
from runtime.app_factory import create_app
from runtime.serve import wsgi_application
from runtime.startup import open_database

_settings = load_settings()
_settings.require_slack(http=True)
_app = create_app(_settings, open_database(_settings))
_app.background.start()  # each worker imports this module: each runs its own loop
application = wsgi_application(_app)
