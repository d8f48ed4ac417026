"""How the command line fails: one line for the user and an exit code, never a traceback.

Its own module so that `runtime.cli` (the parser and dispatch) and the subcommands it runs
(`cli_asking`, `cli_policy`) all use it without importing one another in a circle.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_NO_POLICY = 3


class CliError(Exception):
    """A one-line message for the user and the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code
