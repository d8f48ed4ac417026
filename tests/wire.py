"""What goes over the wire between the test driver and the app: the requests as sent (to
replay them, as an attacker who captured one would) and the app's answers (its acks)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Response:
    """The app's HTTP answer to one request (its ack)."""

    status: int
    body: str
    elapsed: float = 0.0  # seconds from sending the request to its answer (the ack)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Sent:
    """A request exactly as it went over the wire: what an attacker could capture."""

    body: str
    content_type: str
    headers: dict[str, str]
