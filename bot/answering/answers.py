"""What the engine answers: data only. The Slack layer words it through the message catalogue.

`to_json()` gives exactly the shapes of `policybot check --json` and `policybot who --json`
(../shared/design/interfaces.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.policy.model import Role, Rule

MAX_EVIDENCE = 10  # distinct quotes per rule in JSON: a long pasted text can match hundreds


@dataclass(frozen=True)
class Evidence:
    """One thing in the question that made a rule or role match."""

    text: str  # the matched text as the asker wrote it; personal data masked
    start: int  # where it is in the question
    end: int
    kind: str  # keyword, lexicon, compound, detector or pattern
    source: str  # the keyword, detector name or pattern of the policy that matched


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    evidence: tuple[Evidence, ...]
    score: float  # how strongly the question matched: more, longer, surer evidence is more

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.rule.id,
            "verdict": self.rule.verdict,
            "text": self.rule.text,
            "section": self.rule.section,
            "role": self.rule.role,
            "evidence": list(dict.fromkeys(e.text for e in self.evidence))[:MAX_EVIDENCE],
        }


@dataclass(frozen=True)
class CheckAnswer:
    """'May I post this?': the verdict, the rules that decided it, whom to contact."""

    verdict: str
    rules: tuple[RuleMatch, ...]  # the matching rules at the final verdict, best first
    role: Role
    policy_version: str
    covered: bool  # False: no rule matched and the default answered
    weaker: tuple[RuleMatch, ...] = ()  # rules that matched with a milder verdict

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "policy_version": self.policy_version,
            "rules": [m.to_json() for m in self.rules],
            "role": {"id": self.role.id, "name": self.role.name, "contact": self.role.contact},
            "covered": self.covered,
        }


@dataclass(frozen=True)
class WhoAnswer:
    """'Who handles this?': the role, and the rules and keywords that pointed to it."""

    role: Role
    covered: bool  # False: nothing matched and the default role answered
    rules: tuple[RuleMatch, ...]  # the chosen role's matching rules, strictest first
    policy_version: str
    evidence: tuple[Evidence, ...] = ()  # the role's own keywords that matched
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "role": {
                "id": self.role.id,
                "name": self.role.name,
                "contact": self.role.contact,
                "handles": self.role.handles,
            },
            "covered": self.covered,
            "rules": [m.to_json() for m in self.rules],
            "policy_version": self.policy_version,
        }
