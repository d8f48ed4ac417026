"""apps.connections.open: where a Socket Mode client opens its WebSocket.

Slack answers with a `wss://` URL; the stand-in answers with the URL of a local WebSocket
stand-in the test started (`FakeSlack.socket_mode_url`), or refuses as Slack refuses a token
that cannot open connections when none is set.
"""

from __future__ import annotations

from typing import Any

from runtime.fakeslack.methods.base import Backend, SlackError, method


@method("apps.connections.open")
def apps_connections_open(fake: Backend, args: dict[str, Any]) -> dict[str, Any]:
    url = getattr(fake, "socket_mode_url", None)
    if not url:
        raise SlackError("not_allowed_token_type")
    return {"url": url}
