"""The `policybot/1` document as typed, immutable data: the constants of the format, the
dataclasses a parsed file becomes, and the error that lists what is wrong with a file.

The contract is `../shared/design/policy-format.md`. Parsing lives in `validation`, YAML and
plain data in `yaml_io`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import t
from bot.vocabulary import Language, Verdict

FORMAT = "policybot/1"
# The first five are the format's own; the bot adds Dutch street addresses, postcodes and plates.
DETECTORS = ("email", "phone", "iban", "bsn", "ssn", "card", "address", "postcode", "plate")
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
# A rule's keys as policy-format.md lists them: those every rule has, then the optional ones
# (`context`, `examples` and `not_examples` help the matcher).
RULE_REQUIRED_KEYS = ("id", "verdict", "text")
RULE_OPTIONAL_KEYS = (
    "section",
    "role",
    "applies_to",
    "keywords",
    "unless",
    "detect",
    "patterns",
    "context",
    "examples",
    "not_examples",
)


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
    verdict: Verdict
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
class Signature:
    """One approver's decision, as a sign-off in Slack records it (`adopted.approvals`)."""

    by: str  # the approver: `@U…` (shown by name in documents) or a name
    decision: str  # SIGNATURE_DECISIONS
    at: datetime.datetime
    extras: dict[str, Any] = _extras()


SIGNATURE_DECISIONS = ("approved", "declined")


@dataclass(frozen=True)
class Adopted:
    at: datetime.date
    by: str
    decisions: tuple[str, ...] = ()
    # Where the approval is written down when it was given outside Slack (a council's
    # decision number); and each approver's own decision when it was given in Slack.
    reference: str | None = None
    approvals: tuple[Signature, ...] = ()
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Review:
    """How often the policy is reviewed: `every` as written (`12 months`, `1 jaar`), and
    optionally the month of the year the review is due in (`month: 3`: by the end of March)."""

    every: str
    months: int  # `every` in months
    month: int | None = None
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class Default:
    verdict: Verdict
    role: str
    extras: dict[str, Any] = _extras()


@dataclass(frozen=True)
class PolicyDocument:
    organisation: str
    language: Language
    sections: tuple[Section, ...]
    roles: tuple[Role, ...]
    rules: tuple[Rule, ...]
    default: Default
    groups: tuple[Group, ...] = ()
    version: str | None = None
    adopted: Adopted | None = None
    review: Review | None = None
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
    """One problem, at the path of the bad value (`rules[3].verdict`).

    `message` is English, as the format states it. An issue made by `issue()` also keeps its
    catalogue key (`format.…`) and values, so it can be told in another language
    (`in_language`); the path is written as the file spells it in every language."""

    path: str
    message: str
    line: int | None = field(default=None, compare=False)  # in the YAML file, when known
    key: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def in_language(self, lang: str) -> str:
        """`str(issue)` with the message in `lang` (English when it has no catalogue key)."""
        if not self.key:
            return str(self)
        values = {k: v for k, v in self.values.items() if k != "location"}
        message = issue_message(self.key, values, lang)
        path = self.path
        if isinstance(self.values.get("location"), dict):  # a line and column, not a path
            path = issue_message("format.location", self.values["location"], lang)
        return f"{path}: {message}" if path else message


# The catalogue's word for each kind of value (`checker.kind_of`), for "must be text, not …".
KIND_WORDS = {
    "empty": "format.kind_empty",
    "bool": "format.kind_bool",
    "number": "format.kind_number",
    "list": "format.kind_list",
    "mapping": "format.kind_mapping",
    "date": "format.kind_date",
    "text": "format.kind_text",
    "other": "format.kind_other",
}


def issue_message(key: str, values: dict[str, Any], lang: str) -> str:
    """The catalogue message `key` (`format.*`) in `lang`; a `kind` value (one of
    `KIND_WORDS`) is named in `lang` too."""
    shown = dict(values)
    if "kind" in shown:
        shown["kind"] = t(lang, KIND_WORDS[shown["kind"]])
    return t(lang, key, **shown)


def issue(path: str, key: str, *, on_line: int | None = None, **values: Any) -> FormatIssue:
    """A FormatIssue told by the catalogue: `issue("rules[3].verdict", "format.not_one_of", …)`."""
    return FormatIssue(path, issue_message(key, values, "en"), on_line, key, values)


class PolicyFormatError(ValueError):
    """A policy that breaks the format; `errors` holds every problem found."""

    def __init__(self, errors: Iterable[FormatIssue]) -> None:
        self.errors: list[FormatIssue] = list(errors)
        super().__init__("\n".join(str(issue) for issue in self.errors))
