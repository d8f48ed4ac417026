"""The `policybot/1` document as typed, immutable data: the constants of the format, the
dataclasses a parsed file becomes, and the error that lists what is wrong with a file.

The contract is `../shared/design/policy-format.md`. Parsing lives in `validation`, YAML and
plain data in `yaml_io`; `bot.policy.document` re-exports all of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

FORMAT = "policybot/1"
VERDICTS = ("forbidden", "review", "allowed")
DEFAULT_VERDICTS = ("allowed", "review")
# The first five are the format's own; the bot adds Dutch street addresses, postcodes and plates.
DETECTORS = ("email", "phone", "iban", "bsn", "card", "address", "postcode", "plate")
LANGUAGES = ("nl", "en")
STANDARD_SECTION_IDS = (
    "cover",
    "ownership",
    "purpose",
    "identity",
    "employees",
    "communications",
    "practice",
    "adoption",
)
EVERYONE = "all"  # the implicit group every asker is in


# -- the document ---------------------------------------------------------------------------
def _extras() -> dict[str, Any]:
    # Extras take part in ==, not in hash: the rest of a document stays hashable.
    return field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str = ""
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    slack: str
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    contact: str
    handles: str
    keywords: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Rule:
    id: str
    verdict: str
    text: str
    section: str | None = None
    role: str | None = None
    applies_to: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()
    # Extensions (policy-format.md, "Helping the matcher"): posts the rule is about, look-alikes
    # it is not about, and words that make an ambiguous keyword count.
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Adopted:
    at: datetime.date
    by: str
    decisions: tuple[str, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Default:
    verdict: str
    role: str
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class PolicyDocument:
    organisation: str
    language: str
    sections: tuple[Section, ...]
    roles: tuple[Role, ...]
    rules: tuple[Rule, ...]
    default: Default
    groups: tuple[Group, ...] = ()
    version: str | None = None
    adopted: Adopted | None = None
    format: str = FORMAT
    extras: dict[str, Any] = _extras()

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)


# -- errors ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormatIssue:
    """One problem, at the path of the bad value (`rules[3].verdict`)."""

    path: str
    message: str
    line: int | None = field(default=None, compare=False)  # in the YAML file, when known

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PolicyFormatError(ValueError):
    """A policy that breaks the format; `errors` holds every problem found."""

    def __init__(self, errors: Iterable[FormatIssue]) -> None:
        self.errors: list[FormatIssue] = list(errors)
        super().__init__("\n".join(str(issue) for issue in self.errors))
