"""What every long-running process does before it takes requests."""

from __future__ import annotations

from bot.asking.question_log import PURGE_JOB
from bot.clock import SYSTEM_CLOCK, Clock
from bot.scheduling import chores
from bot.settings import Settings
from bot.storage import Database


def open_database(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> Database:
    """Migrate, then drop the text of questions past the retention period: a bot that was down
    for a while must not keep texts longer than POLICYBOT_RETENTION_DAYS promises. The purge is
    the scheduler's chore, run here when it is due, with the same mark."""
    database = Database.from_settings(settings)
    database.migrate()
    chores.run_due(database.session, clock.now(), settings.retention_days, only={PURGE_JOB})
    return database
