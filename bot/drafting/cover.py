"""The cover sheet's decisions from the working group's answers.

Step 3 of the method asks what management must decide; the template's question that asks it
`fills: decisions`. When the lead accepts an answer to it, its lines join the decisions
proposed for the next adoption (the lead edits them in the review, and management's approval
in `/policy adopt` starts from them); a rejection takes out again what it added, unless the
lead has changed that line meanwhile.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.drafting.template import load_template
from bot.reviewing.draft import DECISIONS, cover_decisions, put_setting


def decisions_section() -> str | None:
    """The section whose question fills the cover's decisions (the cover sheet)."""
    return next((q.section_id for q in load_template().questions if q.fills == "decisions"), None)


def apply_decisions(
    session: Session, actor: str, added_before: list[str], items: list[str], section: str
) -> list[str]:
    """Make the decisions hold `items` where they held `added_before` (what this answer added
    the last time); returns what this answer has added now."""
    current = cover_decisions(session)
    kept = [d for d in current if d not in added_before or d in items]
    added = [item for item in items if item in added_before and item in kept]
    for item in items:
        if item not in kept:
            kept.append(item)
            added.append(item)
    if kept != current:
        put_setting(session, DECISIONS, kept, actor, section=section)
    return added
