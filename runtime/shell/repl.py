"""`run_shell`: the read–dispatch–show loop behind `policybot shell`."""

from __future__ import annotations

import contextlib
import logging
from typing import TextIO

from bot.settings import Settings
from runtime.shell import commands
from runtime.shell.errors import ShellError
from runtime.shell.harness import Harness, LogCollector
from runtime.shell.session import LineSource, Session


def run_shell(settings: Settings, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    """Run the bot against a fake Slack, reading input from `stdin` until EOF or `\\quit`.

    `interactive`: a person at a terminal (prompts, questions for modal fields); otherwise a
    script, whose lines are echoed with `> ` so the output reads as a transcript.
    """
    logs = LogCollector()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    # While the shell runs, the app's warnings and errors become one line each in the
    # transcript; a traceback on the terminal would bury the conversation.
    root.handlers, root.level = [logs], logging.WARNING
    try:
        return _run(settings, stdin, stdout, interactive, logs)
    finally:
        root.handlers, root.level = saved_handlers, saved_level


def _run(
    settings: Settings, stdin: TextIO, stdout: TextIO, interactive: bool, logs: LogCollector
) -> int:
    try:
        harness = Harness(settings)
    except Exception as error:  # the database is unreachable, a migration fails …
        stdout.write(
            f"policybot shell could not start: {type(error).__name__}: "
            f"{(str(error).splitlines() or [''])[0]}\n"
        )
        return 1
    if interactive:
        with contextlib.suppress(ImportError):  # not on every platform; input() works anyway
            import readline  # noqa: F401 (importing it is what turns line editing on)
    lines = LineSource(stdin, interactive, stdout)
    try:
        session = Session(harness, logs, lines, stdout)
        _greet(session)
        _loop(session, lines, interactive)
    finally:
        harness.close()
    return 0


def _greet(session: Session) -> None:
    state = session.state
    place = session.place_name() + ("/thread" if state.thread_ts else "")
    restored = f", continuing from {session.path.name}" if session.restored and session.path else ""
    session.print(
        f"policybot shell on {_safe_url(session.harness.settings.database_url)}{restored}. "
        f"You are @{state.user_name} in {place}; \\help lists commands."
    )


def _loop(session: Session, lines: LineSource, interactive: bool) -> None:
    while True:
        try:
            line = lines.read(session.prompt())
        except KeyboardInterrupt:  # Ctrl-C drops the line being typed, as shells do
            session.print("")
            continue
        if line is None:
            if interactive:
                session.print("")
            return
        if not line.strip():
            continue
        if not interactive:
            session.print(f"> {line}")
        try:
            _handle(session, line.strip())
        except commands.Quit:
            session.save()
            return
        except ShellError as error:
            session.print(f"! {error}")
        except Exception as error:  # a shell bug: one line, and the session goes on
            detail = (str(error).splitlines() or [""])[0]
            session.print(f"! the shell failed: {type(error).__name__}: {detail}")
        session.save()


def _handle(session: Session, line: str) -> None:
    if line.startswith("\\"):
        commands.run(session, line)
    elif line.startswith("/"):
        session.slash_command(line)
    else:
        session.say(line)


def _safe_url(url: str) -> str:
    """The database URL without a password, for the greeting."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
