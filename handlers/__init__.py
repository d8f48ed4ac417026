"""Slack listeners, one package per capability, each with `register(app)`.

A request flows: Bolt (signature checked) → the request context (`kit.context`: who, which
language, one unit of work, the Slack façade) → the guard (`guard`: the role, declared where
the listener is registered) → the capability's listener, which translates Slack to the core
(`bot/`) and back, speaking only through `kit`. `errors` answers whatever fails.

Registering a capability imports only what routes its requests: its listeners are imported
when first used, and all of them once a serving process has answered its first request
(`kit.later`), so that the first acknowledgement does not wait for every capability's core.
"""

from __future__ import annotations

from slack_bolt import App

from handlers import admin, asking, drafting, errors, home, living, reviewing, rhythm
from handlers.home import HomeParts
from handlers.kit.attach import install
from handlers.kit.services import Services


def register_all(app: App, services: Services) -> None:
    install(app, services)
    errors.register(app, services)
    # Order matters only for the help text; every package registers independently.
    admin.register(app)
    asking.register(app, start_drafting=drafting.start_session_in_channel)
    drafting.register(app)
    reviewing.register(app, after_adoption={"living:recheck": living.after_adoption})
    rhythm.register(app, announce=reviewing.announcement_message)
    living.register(app)
    home.register(app, HomeParts(top=(living.crisis_banner,), bottom=(living.lead_view,)))
