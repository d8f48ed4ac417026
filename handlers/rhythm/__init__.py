"""The working group's rhythm on the Slack side: the project's setup, owners and deadlines,
what each reminder says, the weekly digest, and management's sign-off."""

from __future__ import annotations

from slack_bolt import App

from handlers.rhythm import digest, reminders

# What each reminder and the digest say registers with the scheduler as they are imported.
SCHEDULED = (digest, reminders)


def register(app: App) -> None:
    pass
