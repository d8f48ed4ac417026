"""Slack listeners, grouped by capability; each module's `register(app)` adds its own."""

from __future__ import annotations

import importlib

from slack_bolt import App

# Order matters only for the help text; every module registers independently.
CAPABILITIES = ("admin", "asking", "drafting", "reviewing", "home")


def register_all(app: App) -> None:
    for name in CAPABILITIES:
        module = importlib.import_module(f"handlers.{name}")
        module.register(app)
