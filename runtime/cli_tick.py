"""`policybot tick`: run the scheduled work that is due (reminders, digests) once, send what
it says, and exit: for a cron job or a Kubernetes CronJob, beside `serve` or instead of its
own scheduler (`POLICYBOT_SCHEDULER=off`).

It takes the scheduler's turn like any instance (`handlers.kit.scheduler`): while another
instance has it, the tick does nothing and says so; a tick that dies leaves its jobs to be
run again once their leases have run out, and what it wrote but did not send to the outbox,
which any instance's sender (or the next tick) sends.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.i18n import t
from bot.settings import Settings
from bot.storage import Database
from runtime.app_factory import create_app, default_claimant
from runtime.cli_errors import CliError


def tick(settings: Settings, *, as_json: bool = False, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = settings.language
    if not settings.bot_token:
        raise CliError(t(lang, "rhythm.cli_no_token"))
    database = Database.from_settings(settings)
    try:
        database.migrate()
        app = create_app(settings, database, claimant="tick:" + default_claimant())
        background = app.background
        turned = background.scheduler.turn(force=True)
        background.send_due()  # what this turn wrote, and anything older still waiting
        unsent = background.services.outbox.unsent()
    finally:
        database.dispose()
    if as_json:
        fields = {
            "ran": turned.ran is not None,
            "sent": turned.ran or 0,
            "skipped": turned.skipped,
            "failed": turned.failed,
            "unsent": unsent,
        }
        out.write(json.dumps(fields) + "\n")
    elif turned.ran is None:
        out.write(t(lang, "rhythm.cli_busy") + "\n")
    else:
        out.write(
            t(
                lang,
                "rhythm.cli_ticked",
                sent=turned.ran,
                skipped=turned.skipped,
                failed=turned.failed,
                unsent=unsent,
            )
            + "\n"
        )
    # Another instance having the turn is no failure: it does the work.
    return 1 if turned.failed else 0
