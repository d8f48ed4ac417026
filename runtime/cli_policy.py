"""`policybot policy import FILE [--adopt --by NAME]` and
`policybot policy export --format md|html|docx|yaml [--draft|--version N] -o FILE`.

Import reads a `policybot/1` file into the draft (and with `--adopt`, adopts it as a new
version at once). A file that breaks the format is refused as a whole: every problem is
printed with the path of the bad value, nothing in the database changes, and the exit code
is 2. Export writes the draft or an adopted version; with no version adopted yet it exits 3.

Every line is in the CLI's language (POLICYBOT_LANGUAGE), the format's problems too (their
paths stay as the file spells them). Exports are made without Slack: the names of Slack ids
are the ones stored in the directory (`bot.directory`); dates are in POLICYBOT_TIMEZONE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from bot.dates import format_date
from bot.exporting import NothingAdopted, draft_source, export, load_logo, version_source
from bot.i18n import t
from bot.policy.model import FormatIssue, PolicyDocument, PolicyFormatError
from bot.policy.reading import PolicyRefused, read_policy_file
from bot.policy.yaml_io import load_policy_yaml, policy_to_json
from bot.reviewing import versions
from bot.reviewing.draft import cover_decisions, replace_draft
from bot.settings import Settings
from bot.storage import Database
from runtime.cli_errors import EXIT_BAD_INPUT, EXIT_NO_POLICY, CliError

CLI_ACTOR = "cli"  # who the audit trail names for changes made on the command line


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lang = settings.language
    if args.policy_command == "import":
        if args.adopt and not (args.by or "").strip():
            raise CliError(t(lang, "reviewing.cli_adopt_needs_by"))
        if args.by and not args.adopt:
            raise CliError(t(lang, "reviewing.cli_by_without_adopt"))
        return import_policy(
            Path(args.file), settings, out, adopt_by=args.by if args.adopt else None
        )
    return export_policy(args, settings, out)


def _read(path: Path, settings: Settings) -> str:
    """The file's text, read with the limits of `bot.policy.reading` (one line if not)."""
    lang = settings.language
    try:
        return read_policy_file(path, settings.max_policy_bytes)
    except OSError as error:
        reason = error.strerror or str(error).splitlines()[0]
        raise CliError(t(lang, "reviewing.cli_unreadable", file=path, reason=reason)) from None
    except PolicyRefused as refused:
        raise _refusal(path, refused, lang) from None


def _refusal(path: Path, refused: PolicyRefused, lang: str) -> CliError:
    reason = t(lang, refused.key, **refused.values)
    return CliError(t(lang, "reviewing.cli_refused_file", file=path, reason=reason))


def import_policy(path: Path, settings: Settings, out: TextIO, *, adopt_by: str | None) -> int:
    lang = settings.language
    text = _read(path, settings)
    try:
        doc = load_policy_yaml(text)
    except PolicyRefused as refused:
        raise _refusal(path, refused, lang) from None
    except PolicyFormatError as error:
        _print_refusal(
            t(lang, "reviewing.cli_refused", file=path, count=len(error.errors)),
            [_located(issue, lang) for issue in error.errors],
        )
        return EXIT_BAD_INPUT

    approval = _approval(doc, adopt_by) if adopt_by else None
    if approval is not None:
        problems = versions.adoption_problems(policy_to_json(doc))
        if problems:
            lines = [line for problem in problems for line in _problem_lines(problem, lang)]
            _print_refusal(t(lang, "reviewing.cli_not_adoptable", file=path), lines)
            return EXIT_BAD_INPUT

    database = Database.from_settings(settings)
    try:
        database.migrate()
        with database.session() as session:  # one transaction: all of it, or nothing
            replace_draft(session, doc, CLI_ACTOR)
            version = (
                versions.adopt_document(session, CLI_ACTOR, doc, approval)
                if approval is not None
                else None
            )
            adopted = (version.number, version.label) if version is not None else None
    finally:
        database.dispose()
    print(
        t(
            lang,
            "reviewing.cli_imported",
            file=path,
            sections=t(lang, "common.sections", count=len(doc.sections)),
            rules=t(lang, "common.rules", count=len(doc.rules)),
            roles=t(lang, "common.roles", count=len(doc.roles)),
            groups=t(lang, "common.groups", count=len(doc.groups)),
        ),
        file=out,
    )
    if adopted is not None and approval is not None:
        number, label = adopted
        print(
            t(
                lang,
                "reviewing.cli_adopted",
                label=label,
                number=number,
                by=approval.by,
                on=format_date(approval.on, lang),
            ),
            file=out,
        )
    return 0


def _approval(doc: PolicyDocument, by: str) -> versions.Approval:
    """`--by` names who approved it; the date and decisions come from the file when it has
    them (an organisation bringing its existing, already adopted policy), else today."""
    adopted = doc.adopted
    return versions.Approval(
        by=by.strip(),
        on=adopted.at if adopted else dt.date.today(),
        decisions=list(adopted.decisions) if adopted else [],
    )


def _located(issue: FormatIssue, lang: str) -> str:
    text = issue.in_language(lang)
    return t(lang, "reviewing.cli_on_line", issue=text, line=issue.line) if issue.line else text


def _problem_lines(problem: versions.Problem, lang: str) -> list[str]:
    """Why a file cannot be adopted, in the CLI's language."""
    if problem.code == versions.NO_RULES:
        return [t(lang, "reviewing.cli_problem_no_rules")]
    if problem.code == versions.REVIEW_WITHOUT_ROLE:
        return [t(lang, "reviewing.cli_problem_review_without_role", ids=", ".join(problem.detail))]
    return list(problem.detail)  # format problems: a parsed file has none left


def _print_refusal(headline: str, lines: list[str]) -> None:
    print(f"policybot: {headline}", file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)


def export_policy(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    lang = settings.language
    database = Database.from_settings(settings)
    try:
        database.migrate()
        with database.session() as session:
            logo = load_logo(settings.logo)
            if args.draft:
                source = draft_source(session, lang, zone=settings.timezone)
                exported = export(source, args.format, cover_decisions(session), logo=logo)
                what = t(lang, "reviewing.export_what_draft")
            else:
                try:
                    source = version_source(session, args.version, zone=settings.timezone)
                except NothingAdopted:
                    print(f"policybot: {t(lang, 'reviewing.cli_no_version')}", file=sys.stderr)
                    return EXIT_NO_POLICY
                except versions.UnknownVersion:
                    raise CliError(
                        t(lang, "reviewing.cli_unknown_version", number=args.version),
                        EXIT_NO_POLICY,
                    ) from None
                exported = export(source, args.format, logo=logo)
                what = t(lang, "reviewing.export_what_version", label=source.label)
    finally:
        database.dispose()
    target = Path(args.output)
    try:
        if str(target) == "-":
            sys.stdout.buffer.write(exported.content)
            sys.stdout.flush()
            return 0
        target.write_bytes(exported.content)
    except OSError as error:
        raise CliError(
            t(lang, "reviewing.cli_cannot_write", file=target, reason=error.strerror or error)
        ) from None
    print(
        t(
            lang,
            "reviewing.cli_exported",
            what=what,
            format=args.format,
            file=target,
            size=t(lang, "reviewing.cli_count_bytes", count=len(exported.content)),
        ),
        file=out,
    )
    return 0
