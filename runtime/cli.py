"""`policybot`: the command line of docs/interfaces.md. Never prints a traceback."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from bot.cleantext import clean_data
from bot.settings import Settings, SettingsError, load_settings
from runtime.cli_errors import EXIT_BAD_INPUT, CliError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        raise CliError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policybot",
        description="Write your social media policy together in Slack, and live by it.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    commands.add_parser("shell", help="the bot in the terminal, no Slack needed")
    serve = commands.add_parser("serve", help="connect to Slack (Socket Mode or HTTP)")
    serve.add_argument(
        "--http", action="store_true", help="serve HTTP at /slack/events even with an app token"
    )
    serve.add_argument("--port", type=int, help="HTTP port (default: PORT or 3000)")
    commands.add_parser("migrate", help="bring the database schema up to date and stop")
    ticking = commands.add_parser(
        "tick", help="run the reminders and digests that are due, once (for cron)"
    )
    ticking.add_argument("--json", action="store_true", help="print one JSON object")

    policy = commands.add_parser("policy", help="import or export the policy file")
    policy_commands = policy.add_subparsers(
        dest="policy_command", parser_class=_Parser, required=True
    )
    importing = policy_commands.add_parser("import", help="load a policybot/1 file")
    importing.add_argument("file")
    importing.add_argument("--adopt", action="store_true", help="adopt it as a new version at once")
    importing.add_argument("--by", help="who approved it (required with --adopt)")
    exporting = policy_commands.add_parser("export", help="write the draft or an adopted version")
    exporting.add_argument("--format", required=True, choices=("md", "html", "docx", "yaml"))
    which = exporting.add_mutually_exclusive_group()
    which.add_argument("--draft", action="store_true", help="the consolidated draft")
    which.add_argument("--version", type=int, help="adopted version N (default: the latest)")
    exporting.add_argument("-o", "--output", required=True, help="the file to write")

    for name, text in (("check", '"may I post this?"'), ("who", '"who handles this?"')):
        ask = commands.add_parser(name, help=f"{text} against the adopted policy")
        ask.add_argument("--json", action="store_true", help="print one JSON object")
        ask.add_argument(
            "--group", action="append", default=[], help="ask as a member of this group"
        )
        ask.add_argument(
            "--own",
            action="append",
            default=[],
            metavar="CONTACT",
            help="your own work phone or e-mail: not someone else's personal data",
        )
        ask.add_argument("text", nargs="+", help="the text (or - to read standard input)")
    cover = commands.add_parser("coverage", help="who has acknowledged an adopted version")
    cover.add_argument("--json", action="store_true", help="print one JSON object")
    cover.add_argument("--version", type=int, help="adopted version N (default: the latest)")
    cover.add_argument("--csv", metavar="FILE", help="write who acknowledged what and when")
    return parser


# Arguments that name files: kept as typed, so the file opened is the one named.
_PATH_ARGUMENTS = frozenset({"file", "output", "csv"})


def cleaned(args: argparse.Namespace) -> argparse.Namespace:
    """Every text argument without control characters, NUL or bidi overrides
    (`bot.cleantext`): what is typed on the command line enters the bot as from Slack."""
    for name, value in vars(args).items():
        if name not in _PATH_ARGUMENTS:
            setattr(args, name, clean_data(value))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = cleaned(build_parser().parse_args(argv))
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        return run(args, load_settings())
    except CliError as error:
        print(f"policybot: {error}", file=sys.stderr)
        return error.code
    except SettingsError as error:
        print(f"policybot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None)  # the driver's own error, when there is one
        reason = str(cause or error).splitlines()[0]
        print(
            f"policybot: the database is not available ({reason}); check DATABASE_URL",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or ("serve" if settings.slack_configured else "shell")
    if command == "shell":
        from runtime.shell import run_shell

        return run_shell(settings, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    if command == "serve":
        # Start-up only makes objects that live as long as the process: collecting garbage
        # among them while importing was a fifth of its CPU. `serve` freezes them and turns
        # collection back on before it takes requests.
        gc.disable()
        from runtime.serve import serve

        given_port = getattr(args, "port", None)
        return serve(
            settings,
            http=getattr(args, "http", False),
            port=given_port or settings.port,
            ops_port=given_port,
        )
    if command == "migrate":
        from bot.storage import Database

        Database.from_settings(settings).migrate()
        print("policybot: the database is up to date.")
        return 0
    if command == "tick":
        from runtime.cli_tick import tick

        return tick(settings, as_json=args.json)
    if command == "policy":
        from runtime import cli_policy

        return cli_policy.run(args, settings)
    if command == "coverage":
        from runtime import cli_living

        return cli_living.run(args, settings)
    from runtime import cli_asking

    return cli_asking.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
