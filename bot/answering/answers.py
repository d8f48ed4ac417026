"""What the engine answers: data only. The Slack layer words it through the message catalogue.

`to_json()` gives exactly the shapes of `policybot check --json` and `policybot who --json`
(../shared/design/interfaces.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.policy.model import Role, Rule

# How an answer was reached (interfaces.md, `check --json` "certainty"):
STRONG = "strong"  # a rule matched on strong evidence
WEAK = "weak"  # only weak evidence: what was noticed, and whom to ask; never a sure forbidden
MODEL = "model"  # a language model named the rules that decided it
NOT_COVERED = "not_covered"  # no rule matched; the default answered
CERTAINTIES = (STRONG, WEAK, MODEL, NOT_COVERED)
MAX_EVIDENCE = 10  # distinct quotes per rule in JSON: a long pasted text can match hundreds


@dataclass(frozen=True)
class Evidence:
    """One thing in the question that made a rule or role match."""

    text: str  # the matched text as the asker wrote it; personal data masked
    start: int  # where it is in the question
    end: int
    kind: str  # keyword, lexicon, translation, compound, concept, text, detector, pattern, example
    # or model
    source: str  # the keyword, detector name or pattern of the policy that matched


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    evidence: tuple[Evidence, ...]
    score: float  # how strongly the question matched: more, longer, surer evidence is more
    strength: str = STRONG  # STRONG, WEAK, or MODEL when only a language model named it

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.rule.id,
            "verdict": self.rule.verdict,
            "text": self.rule.text,
            "section": self.rule.section,
            "role": self.rule.role,
            "evidence": list(dict.fromkeys(e.text for e in self.evidence if e.text))[:MAX_EVIDENCE],
        }

    def named_json(self) -> dict[str, Any]:
        """The rule named beside an answer (noticed, outweighed): no text or section."""
        whole = self.to_json()
        return {key: whole[key] for key in ("id", "verdict", "role", "evidence")}


@dataclass(frozen=True)
class SecondOpinion:
    """What a language model contributed: its name and the (real) rule ids it named."""

    model: str
    rules: tuple[str, ...]
    explanation: str = ""  # the model's own words; shown to nobody unmasked, never stored

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "rules": list(self.rules)}


@dataclass(frozen=True)
class CheckAnswer:
    """'May I post this?': the verdict, the rules that decided it, whom to contact."""

    verdict: str
    rules: tuple[RuleMatch, ...]  # the matching rules at the final verdict, best first
    role: Role
    policy_version: str
    covered: bool  # False: no rule matched and the default answered
    weaker: tuple[RuleMatch, ...] = ()  # rules that matched with a milder verdict
    certainty: str = STRONG  # how it was reached: STRONG, WEAK, MODEL or NOT_COVERED
    noticed: tuple[RuleMatch, ...] = ()  # rules matched on weak evidence only
    second_opinion: SecondOpinion | None = None  # set when a language model contributed
    # Signs of risk noticed when no rule matched (`risk`): then the answer is review, weak.
    cues: tuple[Evidence, ...] = ()
    # `forbidden` rules matched only on words that the deciding `review` rule matched on too,
    # and less of their own (`decide._outweighed`): named, not decided on.
    outweighed: tuple[RuleMatch, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "policy_version": self.policy_version,
            "rules": [m.to_json() for m in self.rules],
            "role": {"id": self.role.id, "name": self.role.name, "contact": self.role.contact},
            "covered": self.covered,
            "certainty": self.certainty,
        }
        if self.noticed:
            out["noticed"] = [m.named_json() for m in self.noticed]
        if self.outweighed:
            out["outweighed"] = [m.named_json() for m in self.outweighed]
        if self.cues:
            out["cues"] = [{"kind": e.source, "evidence": e.text} for e in self.cues]
        if self.second_opinion is not None:
            out["second_opinion"] = self.second_opinion.to_json()
        return out


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
