"""Which role a "topic → who" line is about: an existing role of the draft, or a standard one.

A line such as "Persvragen en woordvoering → @anna" fills in the contact of the role it is
about instead of adding a second one; these scores say how clearly a topic names a role.
"""

from __future__ import annotations

import re

from bot.drafting.answers import RoleLine, slug
from bot.drafting.rule_library import load_standard_roles


def role_score(topic: str, role_id: str, names: list[str], keywords: list[str]) -> int:
    """How clearly a topic ("Persvragen en woordvoering") is about a role: the same id or
    name counts most; the id or a keyword as a whole word in the topic counts too."""
    folded = topic.casefold()
    score = 0
    if role_id == slug(topic) or any(name.casefold() == folded for name in names):
        score += 10
    if re.search(rf"\b{re.escape(role_id.casefold())}\b", folded):
        score += 2
    for keyword in keywords:
        if re.search(rf"\b{re.escape(keyword.casefold())}\b", folded):
            score += 1
    return score


def matching_standard_role(line: RoleLine, present: set[str]) -> str | None:
    best, best_score = None, 0
    for role in load_standard_roles():
        if role.id in present:
            continue
        names = [role.name.nl, role.name.en]
        score = role_score(line.topic, role.id, names, [*role.keywords.nl, *role.keywords.en])
        if score > best_score:
            best, best_score = role.id, score
    return best
