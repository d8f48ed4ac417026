"""Migration 0010 carries an existing draft over to proposals-until-accepted: items the old
behaviour put into the draft stay and their waiting contributions are marked accepted; a
rejected contribution's rules leave (unless the lead edited them after rejecting); accepted
cover answers become the cover's decisions; rules' examples get their columns; two open
sessions of one section become one. And it can be undone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from bot import audit
from bot.reviewing.draft import cover_decisions
from bot.storage import Database
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftRule
from bot.storage.types import UTCDateTime

BEFORE = "0009_question_origin"
T0, T1, T2 = "2026-01-01 10:00:00", "2026-01-02 10:00:00", "2026-01-03 10:00:00"


INTEGERS = {"id", "contribution_id", "position", "question_index"}


def _table(name: str, *columns: str, json: tuple[str, ...] = ()) -> sa.TableClause:
    """A table as it stood before the migration, typed so that each backend binds its way."""

    def kind(column: str) -> Any:
        if column in json:
            return sa.JSON
        if column in INTEGERS:
            return sa.Integer
        if column.endswith("_at"):
            return UTCDateTime(timezone=True)
        return sa.String

    return sa.table(name, *(sa.column(c, kind(c)) for c in columns))


CONTRIBUTIONS = _table(
    "contributions",
    "id", "section_id", "question_id", "author", "text", "channel", "message_ts", "status",
    "review", "reviewed_by", "reviewed_at", "structured", "created_at", "updated_at",
    json=("structured",),
)  # fmt: skip
RULES = _table(
    "draft_rules",
    "rule_id", "section", "verdict", "text", "role", "applies_to", "keywords", "unless",
    "detect", "patterns", "extras", "origin", "contribution_id", "position", "created_by",
    "created_at", "updated_by", "updated_at",
    json=("applies_to", "keywords", "unless", "detect", "patterns", "extras"),
)  # fmt: skip
SESSIONS = _table(
    "drafting_sessions",
    "id", "section_id", "channel", "thread_ts", "started_by", "language", "question_index",
    "status", "state", "started_at", "last_activity_at",
    json=("state",),
)  # fmt: skip


def _at(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)


def _old_draft(db: Database) -> None:
    """Rows as the bot before 0010 wrote them."""

    def contribution(cid: int, question: str, review: str, body: str, structured: dict) -> None:
        decided = review != "pending"
        connection.execute(
            CONTRIBUTIONS.insert().values(
                id=cid,
                section_id=question.split(".")[0],
                question_id=question,
                author="UWG00001",
                text=body,
                channel="C0DRAFT",
                message_ts=f"1.{cid}",
                status="active",
                review=review,
                reviewed_by="UCOMMS01" if decided else None,
                reviewed_at=_at(T1) if decided else None,
                structured=structured,
                created_at=_at(T0),
                updated_at=_at(T0),
            )
        )

    def rule(rule_id: str, cid: int, updated_by: str, updated_at: str, extras: dict) -> None:
        connection.execute(
            RULES.insert().values(
                rule_id=rule_id,
                section="practice",
                verdict="forbidden",
                text=rule_id,
                role=None,
                applies_to=[],
                keywords=[],
                unless=[],
                detect=[],
                patterns=[],
                extras=extras,
                origin="contribution",
                contribution_id=cid,
                position=0,
                created_by="UWG00001",
                created_at=_at(T0),
                updated_by=updated_by,
                updated_at=_at(updated_at),
            )
        )

    def lines(*ids: str) -> dict:
        return {
            "kind": "rules",
            "rules": [
                {"verdict": "forbidden", "text": i, "keywords": [], "role": None} for i in ids
            ],
            "effects": {"rules": list(ids), "ensured": []},
        }

    with db.engine.begin() as connection:
        contribution(1, "practice.rules", "pending", "verboden: pending-1", lines("pending-1"))
        contribution(2, "practice.rules", "rejected", "verboden: rejected-1", lines("rejected-1"))
        contribution(3, "practice.rules", "rejected", "verboden: kept-1", lines("kept-1"))
        contribution(4, "practice.rules", "accepted", "verboden: accepted-1", lines("accepted-1"))
        contribution(5, "cover.decisions", "accepted", "- Iedereen mag posten\n- Webcare", {})
        contribution(6, "purpose.why", "pending", "Houvast.", {"kind": "text"})
        rule("pending-1", 1, "UWG00001", T0, {"examples": ["Een voorbeeld"]})
        rule("rejected-1", 2, "UWG00001", T0, {})
        rule("kept-1", 3, "UCOMMS01", T2, {})  # the lead edited it after rejecting
        rule("accepted-1", 4, "UCOMMS01", T1, {"x-note": "kept"})
        for sid, ts, at in ((1, "10.1", T0), (2, "10.2", T1)):
            connection.execute(
                SESSIONS.insert().values(
                    id=sid,
                    section_id="identity",
                    channel="C0DRAFT",
                    thread_ts=ts,
                    started_by="UWG00001",
                    language="nl",
                    question_index=0,
                    status="open",
                    state={},
                    started_at=_at(at),
                    last_activity_at=_at(at),
                )
            )


def test_an_existing_draft_is_carried_over_and_back(db: Database) -> None:
    config = db.alembic_config()
    command.downgrade(config, BEFORE)
    _old_draft(db)
    command.upgrade(config, "head")

    with db.session() as session:
        reviews = {c.id: c.review for c in session.scalars(select(Contribution))}
        structured = {c.id: c.structured for c in session.scalars(select(Contribution))}
        rules = {r.rule_id: r for r in session.scalars(select(DraftRule))}
        decisions = cover_decisions(session)
        trail = audit.history(session)
        open_sessions = list(
            session.scalars(select(DraftingSession.id).where(DraftingSession.status == "open"))
        )
    # Waiting contributions whose items the old behaviour put into the draft: accepted.
    assert reviews[1] == "accepted" and reviews[6] == "pending"
    assert structured[1]["applied"]["effects"]["rules"] == ["pending-1"]
    assert "effects" not in structured[1] and structured[1]["rules"][0]["text"] == "pending-1"
    assert any(e.entity_id == "1" and e.action == "accepted" for e in trail)
    # A rejected contribution's rule leaves the draft, unless the lead made it theirs.
    assert "rejected-1" not in rules and "applied" not in structured[2]
    assert "kept-1" in rules and rules["kept-1"].contribution_id is None
    assert any(e.entity_id == "rejected-1" and e.action == "remove" for e in trail)
    assert reviews[2] == reviews[3] == "rejected"
    # Accepted items stay as they are; evidence moved into its columns, the rest kept.
    assert rules["accepted-1"].extras == {"x-note": "kept"}
    assert rules["pending-1"].examples == ["Een voorbeeld"] and rules["pending-1"].extras == {}
    assert decisions == ["Iedereen mag posten", "Webcare"]
    assert structured[5]["applied"]["effects"]["decisions"] == decisions
    assert open_sessions == [2]  # the most recent of the two stays open

    command.downgrade(config, BEFORE)
    with db.engine.connect() as connection:
        old = connection.execute(
            select(CONTRIBUTIONS.c.structured).where(CONTRIBUTIONS.c.id == 1)
        ).scalar()
        extras = connection.execute(
            select(RULES.c.extras).where(RULES.c.rule_id == "pending-1")
        ).scalar()
    assert old["effects"]["rules"] == ["pending-1"] and "applied" not in old
    assert extras == {"examples": ["Een voorbeeld"]}
    command.upgrade(config, "head")
