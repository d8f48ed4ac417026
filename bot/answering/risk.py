"""Signs of risk that hold whatever a policy says (`policy_content/lexicon/risk.yml`;
policy-format.md, "Evidence, weighed": "Signs of risk when no rule applies").

On unseen policies most posts wrongly called *allowed* are ones no rule matched at all: the
policy's default answered (benchmarks/devset/README.md, "False reassurance"). Some of them
carry a sign that any organisation would want checked: something not yet made public, a third
person the asker dealt with at work, speaking for the organisation, attacking the employer or
a colleague in public. When no rule matched and the default would allow the post, such a sign
makes the answer *review* on weak evidence: what was noticed, and whom to ask (`decide`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from bot import yaml_safe
from bot.answering.answers import Evidence

CUE = "cue"  # the evidence kind of a sign of risk
MAX_CUES = 6


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    path = resources.files("policy_content") / "lexicon" / "risk.yml"
    data = yaml_safe.load(path.read_text(encoding="utf-8"))
    return tuple(
        (str(kind), re.compile(r"\b(?:" + "|".join(map(str, patterns)) + ")", re.IGNORECASE))
        for kind, patterns in data.items()
    )


def risk_cues(text: str) -> tuple[Evidence, ...]:
    """The signs of risk in `text`, in the order they stand, each quoted as written."""
    found = [
        Evidence(match.group(0).strip(), match.start(), match.end(), CUE, kind)
        for kind, pattern in _patterns()
        for match in pattern.finditer(text)
        if match.end() > match.start()
    ]
    found.sort(key=lambda e: e.start)
    return tuple(found[:MAX_CUES])
