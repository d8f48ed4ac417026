"""`python -m runtime.shell`: the shell without the CLI (the CLI's `policybot shell` is the
same `run_shell`)."""

from __future__ import annotations

import sys

from bot.settings import SettingsError, load_settings
from runtime.shell import run_shell


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    return run_shell(settings, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())


if __name__ == "__main__":
    sys.exit(main())
