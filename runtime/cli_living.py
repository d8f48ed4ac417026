"""`policybot coverage [--json] [--version N] [--csv FILE]`: who has acknowledged an adopted
version (interfaces.md: `{"version", "acknowledged", "of", "percent"}`), per group of the
policy, and with `--csv` the list of who acknowledged what and when."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.i18n import t
from bot.living.acknowledgement import version_doc
from bot.living.coverage import coverage, coverage_csv
from bot.settings import Settings
from bot.storage import Database
from runtime.cli_errors import EXIT_BAD_INPUT, EXIT_NO_POLICY, CliError


def run(args: argparse.Namespace, settings: Settings, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    lang = settings.language
    database = Database.from_settings(settings)
    try:
        database.migrate()
        with database.session() as session:
            if version_doc(session) is None:
                raise CliError(t(lang, "asking.cli.no_policy"), EXIT_NO_POLICY)
            found = coverage(session, args.version)
            table = coverage_csv(session, args.version) if args.csv else None
    finally:
        database.dispose()
    if found is None:
        raise CliError(t(lang, "living.coverage.cli_unknown", number=args.version), EXIT_BAD_INPUT)
    if args.csv and table is not None:
        try:
            Path(args.csv).write_text(table, encoding="utf-8")
        except OSError as error:
            raise CliError(t(lang, "living.coverage.cli_unwritable", reason=error)) from None
    if args.json:
        stdout.write(json.dumps(found.as_json(), ensure_ascii=False) + "\n")
        return 0
    percent = f"{found.percent:g}"
    lines = [
        t(
            lang,
            "living.coverage.cli",
            label=found.label,
            acknowledged=found.acknowledged,
            of=found.of,
            percent=percent,
        )
    ]
    for share in found.groups[1:]:
        if share.of:
            lines.append(
                t(
                    lang,
                    "living.coverage.cli_group",
                    name=share.name,
                    acknowledged=share.acknowledged,
                    of=share.of,
                    percent=f"{share.percent:g}",
                )
            )
    stdout.write("\n".join(lines) + "\n")
    return 0
