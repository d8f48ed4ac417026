"""What the app factory builds once per process and hands every request's context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.settings import Settings
from bot.storage import Database
from handlers.kit.outbox import Outbox
from handlers.kit.requests import Flight


@dataclass(frozen=True)
class Services:
    """What the app factory hands every request: built once per process."""

    settings: Settings
    db: Database
    outbox: Outbox
    flight: Flight
    clock: Clock
