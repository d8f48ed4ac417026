"""What every long-running process does before it takes requests."""

from __future__ import annotations

from bot.asking.question_log import purge_if_due
from bot.settings import Settings
from bot.storage import Database, utcnow


def open_database(settings: Settings) -> Database:
    """Migrate, then drop the text of questions past the retention period: a bot that was down
    for a while must not keep texts longer than POLICYBOT_RETENTION_DAYS promises."""
    database = Database.from_settings(settings)
    database.migrate()
    with database.session() as session:
        purge_if_due(session, utcnow(), settings.retention_days)
    return database
