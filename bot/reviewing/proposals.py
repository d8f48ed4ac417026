"""What a contribution proposes enters the draft when the communications lead accepts it.

Rules, roles, standard rules and cover decisions that a working-group answer proposes wait
for the lead: `decide(…, ACCEPTED)` puts them into the draft, `REJECTED` and `PENDING` (undo)
take them out again, and every decision can be reversed until the draft is adopted (and
after: an adopted version is frozen, the next one is made from the draft as it then stands).
`accept_question` accepts every waiting answer to one question at once, for long lists.
Who decided, when, and the lead's comment go into the audit trail; the Slack side tells the
author (`Decision` says what to tell).

Rule ids are handed out at acceptance from a counter (`bot.storage.counters`), so two leads
accepting at once, on two instances, never collide; the caller runs a decision in a
transaction that is retried after a concurrent write (`ctx.retrying`), which converges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.draft_changes import applied_state, drafted_by, proposal, sync_answer
from bot.drafting.template import Question, load_template
from bot.reviewing.draft import draft_language
from bot.reviewing.errors import NotFound
from bot.storage import utcnow
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftRule

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
DECISIONS = (PENDING, ACCEPTED, REJECTED)
ACTIONS = {ACCEPTED: "accepted", REJECTED: "rejected", PENDING: "reset"}


@dataclass(frozen=True)
class Decision:
    """One contribution decided on: what to tell its author, and what is in the draft now."""

    contribution_id: int
    author: str
    section_id: str
    question_id: str
    text: str
    decision: str  # accepted | rejected | pending
    before: str
    comment: str
    rules: tuple[str, ...]  # the rule ids it has in the draft now
    roles: tuple[str, ...]


def decide(
    session: Session,
    actor: str,
    contribution_id: int,
    decision: str,
    fallback_language: str,
    comment: str = "",
) -> Decision | None:
    """Accept, reject or reset one contribution, and make the draft follow; None when it
    already stood so (a second click), unless the lead adds a comment to the decision as it
    stands (then the comment is recorded and returned, for the author). NotFound when it was
    withdrawn or never existed."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    row = session.get(Contribution, contribution_id, populate_existing=True)
    if row is None or row.status != "active":
        raise NotFound(str(contribution_id))
    before = row.review
    if before == decision and not (comment.strip() and decision != PENDING):
        return None
    question = _question(row.question_id)
    language = draft_language(session, fallback_language)
    if before == decision:
        pass  # a comment on the decision as it stands: the draft stays as it is
    elif decision == ACCEPTED:
        sync_answer(session, row, question, proposal(row), language, actor)
    elif applied_state(row) is not None:
        sync_answer(session, row, question, None, language, actor)
    row.review, row.reviewed_by, row.reviewed_at = decision, actor, utcnow()
    after: dict[str, Any] = {"review": decision, "text": row.text}
    if comment.strip():
        after["comment"] = comment.strip()
    audit.record(
        session,
        actor=actor,
        entity="contribution",
        entity_id=str(row.id),
        section=row.section_id,
        action=ACTIONS[decision] if before != decision else "comment",
        before={"review": before, "text": row.text},
        after=after,
    )
    session.flush()
    rules, roles = drafted_by(session, row.id)
    return Decision(
        row.id,
        row.author,
        row.section_id,
        row.question_id,
        row.text,
        decision,
        before,
        comment.strip(),
        tuple(rules),
        tuple(roles),
    )


def accept_question(
    session: Session, actor: str, section_id: str, question_id: str, fallback_language: str
) -> list[Decision]:
    """Accept every answer to one question that is still waiting, oldest first."""
    query = (
        select(Contribution.id)
        .where(Contribution.section_id == section_id, Contribution.question_id == question_id)
        .where(Contribution.status == "active", Contribution.review == PENDING)
        .order_by(Contribution.created_at, Contribution.id)
    )
    decided = []
    for contribution_id in list(session.scalars(query)):
        done = decide(session, actor, contribution_id, ACCEPTED, fallback_language)
        if done is not None:
            decided.append(done)
    return decided


def accept_with_rule(
    session: Session,
    actor: str,
    contribution_id: int,
    line: int,
    fallback_language: str,
) -> tuple[int, Decision | None]:
    """Accept a contribution to edit one of its proposed rules in at once: the draft rule's
    key for line `line` (the caller saves the lead's values on it), and the decision (None
    when it was accepted already). NotFound when the line has no rule in the draft (the lead
    removed it, or there is no such line)."""
    decided = decide(session, actor, contribution_id, ACCEPTED, fallback_language)
    row = session.get(Contribution, contribution_id)
    applied = applied_state(row) if row is not None else None
    rule_ids = ((applied or {}).get("effects") or {}).get("rules") or []
    rule_id = rule_ids[line] if 0 <= line < len(rule_ids) else None
    pk = session.scalar(select(DraftRule.pk).where(DraftRule.rule_id == rule_id))
    if rule_id is None or pk is None:
        raise NotFound(f"{contribution_id}:{line}")
    return int(pk), decided


def _question(question_id: str) -> Question:
    try:
        return load_template().question(question_id)
    except KeyError:  # a question the template no longer has: its text is all it proposes
        section, _, _ = question_id.partition(".")
        return Question(
            id=question_id,
            kind="text",
            prompt=load_template().sections[0].title,
            section_id=section,
        )
