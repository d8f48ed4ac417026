"""The yardstick: a bare slack-bolt app that acknowledges and posts one message.

    gunicorn -k gthread -w 2 --threads 8 benchmarks.slackbench.bare_app:application

`/policy …` is acknowledged and answered with one message through its response_url; a direct
message is answered with one `say` (a `chat.postMessage` in the DM). Nothing else: no
database, no checks beyond Bolt's own signature verification.
"""

from __future__ import annotations

import os
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

TOKEN = os.environ["SLACK_BOT_TOKEN"]
app = App(
    token=TOKEN,
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"]),
)


@app.command("/policy")
def command(ack: Any, respond: Any) -> None:
    ack()
    respond("Dat mag, volgens regel 3.")


@app.event("message")
def direct_message(event: dict[str, Any], say: Any) -> None:
    say("Dat mag, volgens regel 3.")


application = SlackRequestHandler(app)
