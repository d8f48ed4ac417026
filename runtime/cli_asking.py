"""`policybot check|who [--json] [--group G]... TEXT` against the adopted policy.

Exit codes as interfaces.md promises: 0 answered, 2 bad input (empty text, an unknown group,
unreadable standard input), 3 no adopted policy. One line on standard error, never a traceback.
The question is logged like one asked in Slack (asker `cli`), so the retention rules apply too.
A language model is asked between two transactions, with none open (`_ask`, `NeedsModel`).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from bot.answering.answers import WEAK
from bot.asking.certainty import how_sure, noticed_quotes, outweighed
from bot.asking.intents import CHECK, WHO
from bot.asking.service import VERDICT_NAMES, Answer, NoPolicy, adopted_policy, ask
from bot.cleantext import clean_text
from bot.i18n import t
from bot.opinion.reconsider import NeedsModel, Opinion
from bot.settings import Settings
from bot.storage import Database
from bot.vocabulary import Verdict
from runtime.cli_errors import EXIT_BAD_INPUT, EXIT_NO_POLICY, CliError

CHECK_KEYS = ("verdict", "policy_version", "rules", "role", "covered")
WHO_KEYS = ("role", "covered", "rules", "policy_version")
RULE_KEYS = ("id", "verdict", "text", "section", "role", "evidence")
VERDICT_LINES = {
    "forbidden": "asking.cli.verdict.forbidden",
    "review": "asking.cli.verdict.review",
    "allowed": "asking.cli.verdict.allowed",
}


MAX_STDIN_CHARS = 1024 * 1024  # a question, not a book: no more is read of an endless stream


class TooLong(ValueError):
    pass


def read_text(words: list[str], stdin: TextIO) -> str:
    if words == ["-"]:
        text = stdin.read(MAX_STDIN_CHARS + 1)
        if len(text) > MAX_STDIN_CHARS:
            raise TooLong(MAX_STDIN_CHARS)
        return clean_text(text)
    return " ".join(words)


def run(
    args: argparse.Namespace,
    settings: Settings,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    lang = settings.language
    try:
        text = read_text(list(args.text), stdin).strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(t(lang, "asking.cli.unreadable", reason=error), EXIT_BAD_INPUT) from None
    except TooLong:
        raise CliError(t(lang, "asking.cli.too_long", limit=MAX_STDIN_CHARS)) from None
    if not text:
        raise CliError(t(lang, "asking.cli.empty"), EXIT_BAD_INPUT)

    kind = CHECK if args.command == "check" else WHO
    question = Question(kind, text, list(args.group), list(getattr(args, "own", []) or []))
    database = Database.from_settings(settings)
    try:
        database.migrate()  # a fresh database is simply one without an adopted policy
        try:
            result = _ask(database, settings, question, opinion=None)
        except NeedsModel as needed:  # rolled back: nothing was written
            # Asked with no transaction open (on PostgreSQL none held for the model's seconds,
            # on SQLite no snapshot), then the question once more with its opinion, which
            # raises no `NeedsModel` again: two runs at most.
            result = _ask(database, settings, question, needed.consultation.ask())
    finally:
        database.dispose()
    if isinstance(result, NoPolicy):  # only if the policy vanished mid-question
        raise CliError(t(lang, "asking.cli.no_policy"), EXIT_NO_POLICY)
    if args.json:
        stdout.write(json.dumps(as_json(result), ensure_ascii=False) + "\n")
    else:
        stdout.write("\n".join(as_lines(result, lang)) + "\n")
    return 0


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    groups: list[str]
    own: list[str]


def _ask(
    database: Database, settings: Settings, question: Question, opinion: Opinion | None
) -> Answer | NoPolicy:
    """The question answered and logged in one transaction, which asks no language model:
    `NeedsModel` (before anything is written) when the model must be asked first."""
    lang = settings.language
    with database.session() as session:
        policy = adopted_policy(session)
        if policy is None:
            raise CliError(t(lang, "asking.cli.no_policy"), EXIT_NO_POLICY)
        asked = {"all", *(g.strip() for g in question.groups if g.strip())}
        for group in sorted(asked - policy.group_ids - {"all"}):
            known = ", ".join(["all", *sorted(policy.group_ids)])
            raise CliError(
                t(lang, "asking.cli.unknown_group", group=group, known=known), EXIT_BAD_INPUT
            )
        return ask(
            session,
            settings,
            kind=question.kind,
            text=question.text,
            groups=asked,
            asker="cli",
            source="cli",
            language=lang,
            policy=policy,
            own_contacts=question.own,
            opinion=opinion,
            model_first=True,
        )


def _rule_json(rule: dict[str, Any]) -> dict[str, Any]:
    shaped = {key: rule.get(key) for key in RULE_KEYS}
    shaped["evidence"] = list(shaped["evidence"] or [])
    return shaped


def as_json(answer: Answer) -> dict[str, Any]:
    """Exactly the keys interfaces.md names, in its order."""
    data = answer.data
    rules = [_rule_json(rule) for rule in data.get("rules") or []]
    role = dict(data.get("role") or {})
    if answer.kind == CHECK:
        shaped_role = {key: role.get(key) for key in ("id", "name", "contact")}
        shaped = {
            "verdict": data.get("verdict"),
            "policy_version": str(data.get("policy_version") or answer.policy.label),
            "rules": rules,
            "role": shaped_role,
            "covered": bool(data.get("covered")),
            "certainty": data.get("certainty"),
        }
        for extra in (
            "noticed",
            "outweighed",
            "cues",
            "crisis",
            "second_opinion",
        ):  # interfaces.md: optional
            if data.get(extra):
                shaped[extra] = data[extra]
        return shaped
    shaped_role = {key: role.get(key) for key in ("id", "name", "contact", "handles")}
    return {
        "role": shaped_role,
        "covered": bool(data.get("covered")),
        "rules": rules,
        "policy_version": str(data.get("policy_version") or answer.policy.label),
    }


def as_lines(answer: Answer, lang: str) -> list[str]:
    """The answer for a person at a terminal, in the bot's language; rules as written."""
    data = answer.data
    role = data.get("role") or {}
    lines: list[str] = []
    if answer.kind == CHECK:
        verdict = data.get("verdict") or "allowed"
        lines.append(t(lang, VERDICT_LINES[verdict], role=role.get("name", "?")))
        lines.append(certainty_line(data, lang))
        if data.get("crisis"):
            reason = data["crisis"].get("reason") or t(lang, "living.crisis.no_reason")
            lines.append(t(lang, "living.crisis.cli_note", reason=reason))
        if data.get("outweighed"):
            lines.append(t(lang, "answering.outweighed", items=_outweighed(data, lang)))
        if data.get("noticed") and data.get("certainty") != WEAK:
            lines.append(t(lang, "answering.noticed", items=_noticed(data, lang)))
    elif data.get("covered"):
        lines.append(t(lang, "asking.cli.who", role=role.get("name"), handles=role.get("handles")))
    else:
        lines.append(
            t(lang, "asking.cli.who_uncovered", role=role.get("name"), handles=role.get("handles"))
        )
    for rule in data.get("rules") or []:
        verdict = t(lang, VERDICT_NAMES[Verdict(rule.get("verdict") or "allowed")])
        lines.append(
            t(lang, "asking.cli.rule", id=rule.get("id"), verdict=verdict, text=rule.get("text"))
        )
        evidence = [str(e) for e in rule.get("evidence") or []]
        if evidence:
            lines.append(t(lang, "asking.cli.matched", evidence=", ".join(evidence)))
    if role:
        lines.append(
            t(lang, "asking.cli.contact", role=role.get("name"), contact=role.get("contact"))
        )
    lines.append(t(lang, "asking.cli.version", version=data.get("policy_version")))
    return lines


def certainty_line(data: dict[str, Any], lang: str) -> str:
    """How the answer was reached, in the asker's language (answering.certainty.*)."""
    how = how_sure(data)
    return t(
        lang, how.key, noticed=_noticed(data, lang), rules=how.rule_list, role=how.role,
        model=how.model or "?",
    )  # fmt: skip


def _outweighed(data: dict[str, Any], lang: str) -> str:
    """The stricter rules outweighed by the deciding one: quotes, rule and verdict."""
    return "; ".join(
        "{} ({}, {})".format(
            ", ".join(f"“{q}”" for q in rule.quotes),
            t(lang, "asking.rule_ref", id=rule.rule),
            t(lang, VERDICT_NAMES[Verdict(rule.verdict)]),
        )
        for rule in outweighed(data)
    )


def _noticed(data: dict[str, Any], lang: str) -> str:
    """What the rules noticed on weak evidence, quoted (masked, as the answer holds it)."""
    quoted = [f"“{e}”" for e in noticed_quotes(data)]
    return ", ".join(quoted) or t(lang, "answering.something")
