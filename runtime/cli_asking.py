"""`policybot check|who`."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from runtime.cli import CliError

    raise CliError(f"`{args.command}` is not available in this build yet")
