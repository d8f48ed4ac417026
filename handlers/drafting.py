"""Listeners for the drafting capability."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Nothing yet: this capability's listeners are added by its issue."""
