"""The rules that changed between two versions, as someone who acknowledged the older one must
hear of them: added, stricter, loosened, or reworded; removed rules are named too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.policy.model import EVERYONE, PolicyDocument, Rule
from bot.reviewing.diff import diff

ADDED, STRICTER, LOOSENED, REWORDED, REMOVED = (
    "added",
    "stricter",
    "loosened",
    "reworded",
    "removed",
)
# What matters to an employee of a rule: what it says, what it decides, whom it is for.
_READ_FIELDS = {"text", "verdict", "role", "applies_to"}


@dataclass(frozen=True)
class RuleChange:
    rule: Rule
    change: str  # ADDED | STRICTER | LOOSENED | REWORDED | REMOVED
    old_verdict: str | None = None


def concerns(rule: Rule, groups: set[str]) -> bool:
    """Whether a rule applies to someone in `groups` (every rule applies to `all`)."""
    return not rule.applies_to or bool(set(rule.applies_to) & (groups | {EVERYONE}))


def rules_for(document: PolicyDocument, groups: set[str]) -> list[Rule]:
    """The rules that concern someone in `groups`: those for their own groups first (what a
    short summary must not leave out), then everyone's, each in the policy's order."""
    theirs = [rule for rule in document.rules if concerns(rule, groups)]
    return [r for r in theirs if r.applies_to] + [r for r in theirs if not r.applies_to]


def changed_rules(
    old: PolicyDocument, new: PolicyDocument, old_data: dict[str, Any], new_data: dict[str, Any]
) -> list[RuleChange]:
    """Every rule added, made stricter or milder, reworded or removed from `old` to `new`
    (changes to a rule's keywords or examples only help the matcher: not a change to read)."""
    changes = diff(old_data, new_data)
    found: list[RuleChange] = []
    for rule_id in changes.rules_added:
        rule = new.rule(rule_id)
        if rule is not None:
            found.append(RuleChange(rule, ADDED))
    for rule_id, fields in changes.rules_changed.items():
        before, after = old.rule(rule_id), new.rule(rule_id)
        if before is None or after is None or not _READ_FIELDS & set(fields):
            continue
        # `strictness` counts from the strictest (forbidden is 0)
        if after.verdict.strictness < before.verdict.strictness:
            kind = STRICTER
        elif after.verdict.strictness > before.verdict.strictness:
            kind = LOOSENED
        else:
            kind = REWORDED
        found.append(RuleChange(after, kind, before.verdict.value))
    for rule_id in changes.rules_removed:
        rule = old.rule(rule_id)
        if rule is not None:
            found.append(RuleChange(rule, REMOVED))
    return found


def changes_for(changes: list[RuleChange], groups: set[str]) -> list[RuleChange]:
    return [c for c in changes if concerns(c.rule, groups)]
