"""Signs of risk that hold whatever a policy says (`policy_content/lexicon/risk.yml`;
policy-format.md, "Evidence, weighed": "Signs of risk when no rule applies").

On unseen policies most posts wrongly called *allowed* are ones no rule matched at all: the
policy's default answered (benchmarks/devset/README.md, "False reassurance"). Some of them
carry a sign that any organisation would want checked: something not yet made public, a third
person the asker dealt with at work, an incident the asker met at work, speaking for the
organisation, attacking the employer or a colleague in public. When no rule matched and the
default would allow the post, such a sign makes the answer *review* on weak evidence: what was
noticed, and whom to ask (`decide`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from bot import yaml_safe
from bot.answering.answers import Evidence
from bot.answering.detectors import detect_all

CUE = "cue"  # the evidence kind of a sign of risk
MAX_CUES = 6


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every kind in one pattern (a group named after it), read in one pass: as written for
    lower-case text, and case-insensitively for a text whose lower case is not as long."""
    path = resources.files("policy_content") / "lexicon" / "risk.yml"
    data = yaml_safe.load(path.read_text(encoding="utf-8"))["patterns"]
    source = "|".join(
        rf"\b(?P<{kind}>" + "|".join(map(str, patterns)) + ")" for kind, patterns in data.items()
    )
    return re.compile(source), re.compile(source, re.IGNORECASE)


def risk_cues(text: str) -> tuple[Evidence, ...]:
    """The signs of risk in `text`, in the order they stand, each quoted as written."""
    plain, ignoring_case = _patterns()
    lower = text.lower()  # lower case first: 2 to 3 times faster than ignoring case
    pattern, read = (plain, lower) if len(lower) == len(text) else (ignoring_case, text)
    found = []
    for match in pattern.finditer(read):
        if match.end() > match.start() and match.lastgroup:
            quoted = _shown(text, match.start(), match.end())
            found.append(Evidence(quoted, match.start(), match.end(), CUE, match.lastgroup))
            if len(found) == MAX_CUES:
                break
    return tuple(found)


def _shown(text: str, start: int, end: int) -> str:
    """The sign as the answer quotes it: as written, with any personal data in it masked (a
    pattern's free words may hold a house number: "a photo of the Dorpsstraat 12 family")."""
    quoted = text[start:end]
    if not any(ch.isdigit() or ch == "@" for ch in quoted):  # nearly every sign: nothing to mask
        return quoted.strip()
    parts, at = [], start
    for d in sorted(detect_all(text), key=lambda d: d.start):
        if d.end <= at or d.start >= end:
            continue
        parts += [text[at : max(d.start, at)], d.masked if start <= d.start else "***"]
        at = min(d.end, end)
    parts.append(text[at:end])
    return "".join(parts).strip()
