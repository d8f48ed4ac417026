"""Turning a payload into the signed HTTP request Slack would send to the app.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 under the app's signing secret and
sends `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`; Bolt checks both, so
requests built here go through exactly the verification real ones do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signature(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
    return "v0=" + digest.hexdigest()


def signed_headers(secret: str, body: str, content_type: str, when: int | None = None) -> dict:
    timestamp = str(int(time.time()) if when is None else when)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


def slash_command_body(form: dict[str, str]) -> tuple[str, str]:
    return urlencode(form), FORM


def event_body(envelope: dict[str, Any]) -> tuple[str, str]:
    return json.dumps(envelope), JSON


def interactive_body(payload: dict[str, Any]) -> tuple[str, str]:
    """Interactivity arrives form-encoded with the JSON in one `payload` field."""
    return urlencode({"payload": json.dumps(payload)}), FORM


def bolt_request(secret: str, body: str, content_type: str) -> BoltRequest:
    """What `app.dispatch()` takes, as a Bolt HTTP adapter would build it from the request."""
    return BoltRequest(body=body, headers=signed_headers(secret, body, content_type))
