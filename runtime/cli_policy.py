"""`policybot policy import|export`."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from runtime.cli import CliError

    raise CliError(f"`policy {args.policy_command}` is not available in this build yet")
