"""consolidation: proposals enter the draft when accepted; ids from counters; one open session
per section; rule evidence fields; the readiness the lead confirmed at adoption

Revision ID: 0010_consolidation
Revises: 0009_question_origin
Create Date: 2026-12-08 10:00:00

Until now what a contribution proposed (rules, roles, adopted standard rules) went into the
draft as soon as it was written. From now on it enters when the communications lead accepts
the contribution. Existing drafts are carried over as follows (docs/ARCHITECTURE.md,
"Proposals until accepted"):

- a contribution still waiting for review whose rules or roles are in the draft (the old
  behaviour put them there) is marked accepted by `policybot`, with an audit entry: the draft
  keeps its items, and the lead sees them as accepted and can still reject them;
- a rejected contribution's rules and roles leave the draft (that is what rejecting meant),
  each removal in the audit trail, except what the lead edited after rejecting it: that is
  the lead's own work now and stays, no longer tied to the contribution;
- accepted answers to the cover question become the cover's decisions when none were set.

A contribution's `structured` keeps what it proposes at the top and what of it is in the
draft under `applied` (with the `effects` that let a rejection undo exactly that).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision = "0010_consolidation"
down_revision = "0009_question_origin"
branch_labels = None
depends_on = None

MIGRATION_ACTOR = "policybot"
COVER_QUESTION = "cover.decisions"
EVIDENCE_KEYS = ("context", "examples", "not_examples")
LINE_KEYS = ("rules", "roles", "options", "items")

contributions = sa.table(
    "contributions",
    sa.column("id", sa.Integer),
    sa.column("author", sa.String),
    sa.column("question_id", sa.String),
    sa.column("section_id", sa.String),
    sa.column("text", sa.Text),
    sa.column("status", sa.String),
    sa.column("review", sa.String),
    sa.column("reviewed_by", sa.String),
    sa.column("reviewed_at", bot.storage.types.UTCDateTime(timezone=True)),
    sa.column("structured", sa.JSON),
    sa.column("created_at", bot.storage.types.UTCDateTime(timezone=True)),
)
draft_rules = sa.table(
    "draft_rules",
    sa.column("pk", sa.Integer),
    sa.column("rule_id", sa.String),
    sa.column("role", sa.String),
    sa.column("contribution_id", sa.Integer),
    sa.column("updated_by", sa.String),
    sa.column("updated_at", bot.storage.types.UTCDateTime(timezone=True)),
    sa.column("extras", sa.JSON),
    sa.column("context", sa.JSON),
    sa.column("examples", sa.JSON),
    sa.column("not_examples", sa.JSON),
    sa.column("section", sa.String),
    sa.column("verdict", sa.String),
    sa.column("text", sa.Text),
)
draft_roles = sa.table(
    "draft_roles",
    sa.column("pk", sa.Integer),
    sa.column("role_id", sa.String),
    sa.column("name", sa.String),
    sa.column("contact", sa.String),
    sa.column("section", sa.String),
    sa.column("contribution_id", sa.Integer),
    sa.column("updated_by", sa.String),
    sa.column("updated_at", bot.storage.types.UTCDateTime(timezone=True)),
)
draft_settings = sa.table(
    "draft_settings",
    sa.column("key", sa.String),
    sa.column("value", sa.JSON),
    sa.column("updated_by", sa.String),
    sa.column("updated_at", bot.storage.types.UTCDateTime(timezone=True)),
)
audit_entries = sa.table(
    "audit_entries",
    sa.column("at", bot.storage.types.UTCDateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("section", sa.String),
    sa.column("action", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)
sessions = sa.table(
    "drafting_sessions",
    sa.column("id", sa.Integer),
    sa.column("section_id", sa.String),
    sa.column("status", sa.String),
    sa.column("last_activity_at", bot.storage.types.UTCDateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "id_counters",
        sa.Column("name", sa.String(length=96), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_id_counters")),
    )
    with op.batch_alter_table("draft_rules", schema=None) as batch_op:
        for key in EVIDENCE_KEYS:
            batch_op.add_column(
                sa.Column(key, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
            )
    with op.batch_alter_table("version_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("acknowledged", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    connection = op.get_bind()
    _evidence_out_of_extras(connection)
    _carry_over_contributions(connection)
    _one_open_session_per_section(connection)
    with op.batch_alter_table("drafting_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "uq_drafting_sessions_open_section",
            ["section_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("drafting_sessions", schema=None) as batch_op:
        batch_op.drop_index("uq_drafting_sessions_open_section")
    _contributions_back(connection)
    _evidence_into_extras(connection)
    with op.batch_alter_table("version_records", schema=None) as batch_op:
        batch_op.drop_column("acknowledged")
    with op.batch_alter_table("draft_rules", schema=None) as batch_op:
        for key in EVIDENCE_KEYS:
            batch_op.drop_column(key)
    op.drop_table("id_counters")


# -- the rules' evidence fields ---------------------------------------------------------------
def _evidence_out_of_extras(connection: Any) -> None:
    """`context`, `examples`, `not_examples` were kept with a rule's unknown keys; now they have
    columns of their own (the review's rule form edits them)."""
    for pk, extras in connection.execute(sa.select(draft_rules.c.pk, draft_rules.c.extras)):
        extras = dict(extras or {})
        if not any(key in extras for key in EVIDENCE_KEYS):
            continue
        values = {key: list(extras.pop(key, None) or []) for key in EVIDENCE_KEYS}
        connection.execute(
            draft_rules.update().where(draft_rules.c.pk == pk).values(extras=extras, **values)
        )


def _evidence_into_extras(connection: Any) -> None:
    query = sa.select(draft_rules.c.pk, draft_rules.c.extras, *(draft_rules.c[k] for k in EVIDENCE_KEYS))
    for row in connection.execute(query):
        values = {key: list(row._mapping[key] or []) for key in EVIDENCE_KEYS}
        if not any(values.values()):
            continue
        extras = dict(row.extras or {}) | {k: v for k, v in values.items() if v}
        connection.execute(draft_rules.update().where(draft_rules.c.pk == row.pk).values(extras=extras))


# -- contributions: what they proposed, and what of it is in the draft -------------------------
def _has_effects(effects: dict[str, Any]) -> bool:
    return any(
        effects.get(key) for key in ("rules", "roles", "library", "ensured", "decisions")
    )


def _audit(connection: Any, now: dt.datetime, **entry: Any) -> None:
    connection.execute(audit_entries.insert().values(at=now, actor=MIGRATION_ACTOR, **entry))


def _carry_over_contributions(connection: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = list(connection.execute(sa.select(contributions).order_by(contributions.c.id)))
    for row in rows:
        structured = dict(row.structured or {})
        effects = dict(structured.pop("effects", None) or {})
        update: dict[str, Any] = {}
        if row.status == "active" and _has_effects(effects):
            applied = {"kind": structured.get("kind")}
            applied |= {k: structured[k] for k in LINE_KEYS if k in structured}
            applied["effects"] = effects
            if row.review == "rejected":
                _remove_what_a_rejection_should_have(connection, row, now)
            else:
                structured["applied"] = applied
                if row.review == "pending":
                    update = {"review": "accepted", "reviewed_by": MIGRATION_ACTOR, "reviewed_at": now}
                    _audit(
                        connection,
                        now,
                        entity="contribution",
                        entity_id=str(row.id),
                        section=row.section_id,
                        action="accepted",
                        before={"review": "pending", "text": row.text},
                        after={"review": "accepted", "text": row.text, "carried_over": True},
                    )
        connection.execute(
            contributions.update()
            .where(contributions.c.id == row.id)
            .values(structured=structured, **update)
        )
    _cover_decisions_from_accepted_answers(connection, now)


def _remove_what_a_rejection_should_have(connection: Any, row: Any, now: dt.datetime) -> None:
    """The rules and roles a rejected contribution drafted leave the draft, unless the lead
    edited them after rejecting: then they are the lead's, kept and no longer tied to it."""
    reviewed_at = row.reviewed_at

    def lead_kept(updated_by: str | None, updated_at: dt.datetime | None) -> bool:
        return bool(
            updated_by
            and updated_by != row.author
            and reviewed_at is not None
            and updated_at is not None
            and _aware(updated_at) > _aware(reviewed_at)
        )

    removed_rules: set[str] = set()
    query = sa.select(draft_rules).where(draft_rules.c.contribution_id == row.id)
    for rule in list(connection.execute(query)):
        if lead_kept(rule.updated_by, rule.updated_at):
            connection.execute(
                draft_rules.update().where(draft_rules.c.pk == rule.pk).values(contribution_id=None)
            )
            continue
        connection.execute(draft_rules.delete().where(draft_rules.c.pk == rule.pk))
        removed_rules.add(rule.rule_id)
        _audit(
            connection,
            now,
            entity="rule",
            entity_id=rule.rule_id,
            section=rule.section,
            action="remove",
            before={"id": rule.rule_id, "verdict": rule.verdict, "text": rule.text},
            after=None,
        )
    default = connection.execute(
        sa.select(draft_settings.c.value).where(draft_settings.c.key == "default")
    ).scalar()
    default_role = default.get("role") if isinstance(default, dict) else None
    query = sa.select(draft_roles).where(draft_roles.c.contribution_id == row.id)
    for role in list(connection.execute(query)):
        used = connection.execute(
            sa.select(sa.func.count()).select_from(draft_rules).where(draft_rules.c.role == role.role_id)
        ).scalar()
        if used or role.role_id == default_role or lead_kept(role.updated_by, role.updated_at):
            connection.execute(
                draft_roles.update().where(draft_roles.c.pk == role.pk).values(contribution_id=None)
            )
            continue
        connection.execute(draft_roles.delete().where(draft_roles.c.pk == role.pk))
        _audit(
            connection,
            now,
            entity="role",
            entity_id=role.role_id,
            section=role.section,
            action="remove",
            before={"id": role.role_id, "name": role.name, "contact": role.contact},
            after=None,
        )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cover_decisions_from_accepted_answers(connection: Any, now: dt.datetime) -> None:
    """The cover used to show accepted answers to the cover question when no decisions were
    set; now accepting such an answer puts its lines into the decisions, so do that here."""
    settings = dict(connection.execute(sa.select(draft_settings.c.key, draft_settings.c.value)).all())
    adopted = settings.get("adopted")
    if settings.get("decisions") or (isinstance(adopted, dict) and adopted.get("decisions")):
        return
    query = (
        sa.select(contributions)
        .where(contributions.c.question_id == COVER_QUESTION)
        .where(contributions.c.status == "active", contributions.c.review == "accepted")
        .order_by(contributions.c.created_at, contributions.c.id)
    )
    decisions: list[str] = []
    for row in list(connection.execute(query)):
        lines = [line.strip(" -•*\t") for line in (row.text or "").splitlines()]
        added = [line for line in lines if line and line not in decisions]
        decisions += added
        structured = dict(row.structured or {})
        structured["applied"] = {"kind": "list", "items": added, "effects": {"decisions": added}}
        connection.execute(
            contributions.update().where(contributions.c.id == row.id).values(structured=structured)
        )
    if not decisions:
        return
    if "decisions" in settings:
        connection.execute(
            draft_settings.update()
            .where(draft_settings.c.key == "decisions")
            .values(value=decisions, updated_by=MIGRATION_ACTOR, updated_at=now)
        )
    else:
        connection.execute(
            draft_settings.insert().values(
                key="decisions", value=decisions, updated_by=MIGRATION_ACTOR, updated_at=now
            )
        )
    _audit(
        connection, now, entity="setting", entity_id="decisions", action="edit", after=decisions
    )


def _contributions_back(connection: Any) -> None:
    """The old shape: the lines that are in the draft at the top, with their effects."""
    for row in list(connection.execute(sa.select(contributions.c.id, contributions.c.structured))):
        structured = dict(row.structured or {})
        applied = structured.pop("applied", None)
        if isinstance(applied, dict):
            structured |= {k: v for k, v in applied.items() if k in LINE_KEYS}
            structured["effects"] = applied.get("effects") or {}
        connection.execute(
            contributions.update().where(contributions.c.id == row.id).values(structured=structured)
        )


# -- one open session per section -------------------------------------------------------------
def _one_open_session_per_section(connection: Any) -> None:
    """Before the index can hold, the older of two open sessions for a section is finished
    (its thread stays, and a new `/policy draft` continues where the section stands)."""
    query = (
        sa.select(sessions.c.id, sessions.c.section_id)
        .where(sessions.c.status == "open")
        .order_by(sessions.c.last_activity_at.desc(), sessions.c.id.desc())
    )
    seen: set[str] = set()
    for session_id, section_id in list(connection.execute(query)):
        if section_id in seen:
            connection.execute(
                sessions.update().where(sessions.c.id == session_id).values(status="done")
            )
        seen.add(section_id)
