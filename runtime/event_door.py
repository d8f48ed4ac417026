"""Events acknowledged at the door: the ack of an Events API request waits for nothing but
the durable inbox write.

Slack wants an event acknowledged within three seconds and needs nothing in the ack. Bolt
would first parse the body again, check the signature again, run its middleware chain and
ours, match the listeners and start one, and only then answer: on a busy process each of
those waits for the interpreter behind the answers being worked out. Here the gate
(`runtime.gate`), once it has bounded the body, checked its signature and parsed it, hands an
`event_callback` to `EventDoor`, which records it in the inbox (`Intake.take_in_event`: the
same key, `event:<event_id>`, so a redelivery or a replay is acknowledged without effect) and
answers 200, or 503 when the database is down, for Slack to deliver it again. Once the ack
is written (the WSGI response's `close`), the record is run through the app in the listener
executor, exactly as the background loop runs a record again (`Intake.redispatch`); handed
over sooner, its listener would take the interpreter from the thread still writing the ack.
Bolt's authorisation, its ignoring of the bot's own events, our middleware, the guard and the
listener all still run, after the ack.

Events from a bot (`bot_id`: the bot's own posts among them, which Bolt ignores) are left to
Bolt's own path, where they are ignored before anything is written. Everything that is not
an event (commands, buttons, modals, `url_verification`, `ssl_check`) goes to Bolt as before:
those acks carry answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.storage.json_text import Encoded
from runtime.intake import KEPT_HEADERS, Intake


class EventDoor:
    """The gate's early answer for events (see the module); None: Bolt's to answer."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake

    def __call__(
        self, body: dict[str, Any], raw: bytes, environ: dict[str, Any]
    ) -> tuple[int, Callable[[], None] | None] | None:
        if body.get("type") != "event_callback" or not body.get("event_id"):
            return None
        event = body.get("event")
        if not isinstance(event, dict) or event.get("bot_id"):
            return None
        headers = {
            name: str(value)
            for name in KEPT_HEADERS
            if (value := environ.get("HTTP_" + name.upper().replace("-", "_"))) is not None
        }
        # The inbox keeps the text Slack sent (the gate decoded and parsed it already), not a
        # copy written again from `body`: the same object, without its escaping's cost.
        return self.intake.take_in_event(body, headers, Encoded(raw.decode("utf-8")))
