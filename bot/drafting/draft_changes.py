"""Putting what a contribution proposes into the shared draft, and taking it out again: rules,
roles, adopted library rules and the cover's decisions.

A contribution's proposals enter the draft when the communications lead accepts it
(`bot.reviewing.proposals`) and leave it when it is rejected, reset or withdrawn. What is in
the draft is owned by the contribution (`contribution_id`); its `structured` JSON keeps, under
`applied`, the lines that are in the draft and their effects (which rule ids, which roles,
which decisions), so that accepting an edited answer changes only the lines that changed and
a rejection undoes exactly what the acceptance did. Changes that the lead made meanwhile are
left alone where that is possible: an unchanged line is never touched, and a rule the lead
removed is not brought back by an unrelated edit. Every change is recorded in the audit trail
under the name of whoever accepted or rejected (`actor`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.answers import ParsedAnswer, RoleLine, RuleLine, slug
from bot.drafting.cover import apply_decisions
from bot.drafting.role_matching import matching_standard_role, role_score
from bot.drafting.rule_library import library_rule, standard_role
from bot.drafting.template import Question
from bot.living.review_cycle import apply_review
from bot.storage import utcnow
from bot.storage.counters import free_id
from bot.storage.models.drafting import Contribution
from bot.storage.models.policy import DraftRole, DraftRule, DraftSetting

# Review rules must name a role (policy-format.md); without one they go to communications.
DEFAULT_REVIEW_ROLE = "comms"
LIBRARY_ORIGIN = "library:"
APPLIED = "applied"  # the key, in a contribution's `structured`, of what is in the draft
EVIDENCE = ("examples", "not_examples", "context")


def applied_state(contribution: Contribution) -> dict[str, Any] | None:
    """What of this contribution is in the draft (its lines and effects); None: nothing."""
    applied = (contribution.structured or {}).get(APPLIED)
    return dict(applied) if isinstance(applied, dict) else None


def proposal(contribution: Contribution) -> ParsedAnswer:
    """What the contribution proposes now (its answer as last written)."""
    data = {k: v for k, v in (contribution.structured or {}).items() if k != APPLIED}
    return ParsedAnswer.of(data)


def sync_answer(
    session: Session,
    contribution: Contribution,
    question: Question,
    parsed: ParsedAnswer | None,
    lang: str,
    actor: str,
) -> None:
    """Make the draft hold `parsed` for this contribution (None: nothing of it), in the policy
    language `lang`, on behalf of `actor`. The proposal itself is left as it is."""
    old: dict[str, Any] = applied_state(contribution) or {}
    effects: dict[str, Any] = dict(old.get("effects") or {})
    ensured: list[str] = list(effects.get("ensured") or [])
    changes = _Changes(session, contribution, lang, ensured, actor)
    if question.kind == "rules":
        new_rules = list(parsed.rules) if parsed else []
        old_ids = effects.get("rules") or []
        effects["rules"] = changes.rules(old.get("rules") or [], old_ids, new_rules)
    elif question.kind == "roles":
        new_roles = list(parsed.roles) if parsed else []
        old_effects = effects.get("roles") or []
        effects["roles"] = changes.roles(old.get("roles") or [], old_effects, new_roles)
    elif question.kind == "library":
        picked = list(parsed.options) if parsed else []
        effects["library"] = changes.library(effects.get("library") or {}, picked)
    elif question.fills == "decisions":
        items = list(parsed.items) if parsed else []
        added = effects.get("decisions") or []
        effects["decisions"] = apply_decisions(
            session, actor, added, items, contribution.section_id
        )
    elif question.fills == "review":
        picked = list(parsed.options) if parsed else []
        effects["review"] = apply_review(
            session, actor, effects.get("review"), picked, contribution.section_id
        )
    effects["ensured"] = changes.prune_ensured()
    structured = {k: v for k, v in (contribution.structured or {}).items() if k != APPLIED}
    if parsed is not None:
        structured[APPLIED] = parsed.structured() | {"effects": effects}
    contribution.structured = structured  # a new dict: SQLAlchemy sees the change


def drafted_by(session: Session, contribution_id: int) -> tuple[list[str], list[str]]:
    """The rule ids and role ids a contribution currently owns."""
    rules = session.scalars(
        select(DraftRule.rule_id).where(DraftRule.contribution_id == contribution_id)
    )
    roles = session.scalars(
        select(DraftRole.role_id).where(DraftRole.contribution_id == contribution_id)
    )
    return list(rules), list(roles)


def rule_snapshot(row: DraftRule) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.rule_id, "section": row.section, "verdict": row.verdict}
    data |= {"text": row.text, "role": row.role}
    for key in ("applies_to", "keywords", "unless", "detect", "patterns", *EVIDENCE):
        if getattr(row, key):
            data[key] = list(getattr(row, key))
    return data


def role_snapshot(row: DraftRole) -> dict[str, Any]:
    return {
        "id": row.role_id,
        "name": row.name,
        "contact": row.contact,
        "handles": row.handles,
        "keywords": list(row.keywords or []),
    }


class _Changes:
    """One sync: the session, the contribution, and the roles it had to create on the way."""

    def __init__(
        self,
        session: Session,
        contribution: Contribution,
        lang: str,
        ensured: list[str],
        actor: str,
    ) -> None:
        self.session = session
        self.contribution = contribution
        self.lang = lang
        self.actor = actor  # who put it into the draft (or took it out): the audit's actor
        self.author = contribution.author  # whose proposal it was: the rows' creator
        self.section = contribution.section_id
        self.ensured = ensured

    # -- rules ---------------------------------------------------------------------------
    def rules(
        self, old_lines: list[dict[str, Any]], old_ids: list[str | None], new: list[RuleLine]
    ) -> list[str | None]:
        ids: list[str | None] = []
        for i in range(max(len(old_ids), len(new))):
            row = self._owned_rule(old_ids[i] if i < len(old_ids) else None)
            if i >= len(new):
                if row is not None:
                    self._remove_rule(row)
                continue
            line = new[i]
            unchanged = i < len(old_lines) and old_lines[i] == line.to_dict()
            if unchanged and i < len(old_ids):
                ids.append(old_ids[i])  # left as it is, even if the lead removed or changed it
            elif row is None:
                ids.append(self._add_rule(line).rule_id)
            else:
                self._edit_rule(row, line)
                ids.append(row.rule_id)
        return ids

    def _owned_rule(self, rule_id: str | None) -> DraftRule | None:
        if rule_id is None:
            return None
        row = self.session.scalar(select(DraftRule).where(DraftRule.rule_id == rule_id))
        return row if row is not None and row.contribution_id == self.contribution.id else None

    def _rule_role(self, line: RuleLine) -> str | None:
        known = line.role and (
            self._role(line.role) is not None or self._ensure_standard_role(line.role)
        )
        if known:
            return line.role
        return self._ensure_default_role() if line.verdict == "review" else None

    def _add_rule(self, line: RuleLine) -> DraftRule:
        return self._insert_rule(
            origin="contribution",
            rule_id=self._numbered_rule_id(f"{self.section}-"),
            section=self.section,
            verdict=line.verdict,
            text=line.text,
            role=self._rule_role(line),
            keywords=list(line.keywords),
            applies_to=[],
            unless=[],
            detect=[],
            patterns=[],
            examples=list(line.examples),
            not_examples=list(line.not_examples),
            context=list(line.context),
        )

    def _edit_rule(self, row: DraftRule, line: RuleLine) -> None:
        before = rule_snapshot(row)
        row.verdict, row.text, row.keywords = line.verdict, line.text, list(line.keywords)
        row.examples, row.not_examples = list(line.examples), list(line.not_examples)
        row.context = list(line.context)
        row.role = self._rule_role(line) if (line.role or not row.role) else row.role
        if row.verdict == "review" and not row.role:
            row.role = self._ensure_default_role()
        row.updated_by, row.updated_at = self.actor, utcnow()
        after = rule_snapshot(row)
        if after != before:
            self._audit("rule", row.rule_id, "edit", before, after)

    def _remove_rule(self, row: DraftRule) -> None:
        before = rule_snapshot(row)
        self.session.delete(row)
        self.session.flush()
        self._audit("rule", before["id"], "remove", before, None)

    def _numbered_rule_id(self, prefix: str) -> str:
        """`employees-7`: the section's next number, from a counter that never hands out a
        number twice, however many acceptances run at once (bot.storage.counters)."""
        return free_id(self.session, prefix, self._rule_id_taken)

    def _rule_id_taken(self, rule_id: str) -> bool:
        return (
            self.session.scalar(select(DraftRule.pk).where(DraftRule.rule_id == rule_id))
            is not None
        )

    def _library_rule_id(self, base: str) -> str:
        """A standard rule keeps its own id (`std-press`) unless the draft already uses it."""
        if not self._rule_id_taken(base):
            return base
        return free_id(self.session, f"{base}-", self._rule_id_taken, start=2)

    # -- roles ---------------------------------------------------------------------------
    def roles(
        self,
        old_lines: list[dict[str, Any]],
        old_effects: list[dict[str, Any] | None],
        new: list[RoleLine],
    ) -> list[dict[str, Any] | None]:
        effects: list[dict[str, Any] | None] = []
        for i in range(max(len(old_effects), len(new))):
            old_effect = old_effects[i] if i < len(old_effects) else None
            line = new[i] if i < len(new) else None
            if line is not None and i < len(old_lines) and old_lines[i] == line.to_dict():
                effects.append(old_effect)
                continue
            if old_effect:
                self._undo_role(old_effect)
            if line is not None:
                effects.append(self._apply_role(line))
        return effects

    def _apply_role(self, line: RoleLine) -> dict[str, Any]:
        claimed = self._matching_role(line)
        if claimed is None:
            standard_id = matching_standard_role(line, self._role_ids())
            if standard_id is not None and self._ensure_standard_role(standard_id, line.contact):
                # A standard role the draft lacked, now with a contact: richer than a role
                # made from the topic alone (keywords in both languages, the library's rules
                # route to it).
                self.ensured.remove(standard_id)
                return {"role_id": standard_id, "created": True}
            row = self._add_role(
                self._free_role_id(slug(line.topic)),
                name=line.topic[:255],
                contact=line.contact,
                handles=line.topic,
                keywords=list(line.keywords),
                origin="contribution",
            )
            return {"role_id": row.role_id, "created": True}
        # An existing role (a standard one, or one someone else named): this line says who
        # handles it, so it fills in the contact; a withdrawal puts the old one back.
        before = claimed.contact
        if line.contact and line.contact != claimed.contact:
            self._set_contact(claimed, line.contact)
        return {
            "role_id": claimed.role_id,
            "created": False,
            "before_contact": before,
            "set_contact": line.contact,
        }

    def _undo_role(self, effect: dict[str, Any]) -> None:
        row = self._role(effect["role_id"])
        if row is None:
            return
        if effect.get("created"):
            if row.contribution_id == self.contribution.id:
                self._drop_role(row)
            return
        set_contact = effect.get("set_contact") or ""
        if set_contact and row.contact == set_contact:
            self._set_contact(row, effect.get("before_contact") or "")

    def _add_role(
        self,
        role_id: str,
        *,
        name: str,
        contact: str,
        handles: str,
        keywords: list[str],
        origin: str,
    ) -> DraftRole:
        """A role this contribution brings into the draft, stored and in the audit trail (the
        contribution id on it is what lets a withdrawal find and drop it again)."""
        row = DraftRole(
            role_id=role_id,
            name=name,
            contact=contact,
            handles=handles,
            keywords=keywords,
            extras={},
            section=self.section,
            origin=origin,
            contribution_id=self.contribution.id,
            position=self._next_position(DraftRole),
            created_by=self.author,
            updated_by=self.actor,
        )
        self.session.add(row)
        self.session.flush()
        self._audit("role", role_id, "add", None, role_snapshot(row))
        return row

    def _set_contact(self, row: DraftRole, contact: str) -> None:
        """Changes who to contact for a role, stamped and audited: applying a line and undoing
        it are the same edit in opposite directions."""
        snapshot = role_snapshot(row)
        row.contact = contact
        row.updated_by, row.updated_at = self.actor, utcnow()
        self._audit("role", row.role_id, "edit", snapshot, role_snapshot(row))

    def _matching_role(self, line: RoleLine) -> DraftRole | None:
        """The existing role this line is about; None when nothing fits."""
        best, best_score = None, 0
        for row in self.session.scalars(select(DraftRole).order_by(DraftRole.position)):
            if row.contribution_id == self.contribution.id and row.origin == "contribution":
                continue  # our own roles are re-created, not matched
            score = role_score(line.topic, row.role_id, [row.name], row.keywords or [])
            if score > best_score:
                best, best_score = row, score
        return best

    def _role_ids(self) -> set[str]:
        return set(self.session.scalars(select(DraftRole.role_id)))

    def _free_role_id(self, base: str) -> str:
        taken = set(self.session.scalars(select(DraftRole.role_id)))
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def _role(self, role_id: str) -> DraftRole | None:
        return self.session.scalar(select(DraftRole).where(DraftRole.role_id == role_id))

    def _ensure_default_role(self) -> str:
        self._ensure_standard_role(DEFAULT_REVIEW_ROLE)
        return DEFAULT_REVIEW_ROLE

    def _ensure_standard_role(self, role_id: str, contact: str = "") -> bool:
        """Create a standard role the draft lacks (contact empty until someone fills it in)."""
        if self._role(role_id) is not None:
            return True
        try:
            data = standard_role(role_id).to_role_dict(self.lang, contact=contact)
        except KeyError:
            return False
        self._add_role(
            role_id,
            name=data["name"],
            contact=contact,
            handles=data["handles"],
            keywords=list(data["keywords"]),
            origin="standard",
        )
        self.ensured.append(role_id)
        return True

    def prune_ensured(self) -> list[str]:
        """Drop standard roles this contribution created that nothing needs any more."""
        kept = []
        for role_id in self.ensured:
            row = self._role(role_id)
            if row is None or row.contribution_id != self.contribution.id:
                continue
            if row.contact or self._referenced(role_id):
                kept.append(role_id)
            else:
                self._drop_role(row)
        return kept

    def _referenced(self, role_id: str, ignore_own: bool = False) -> bool:
        query = select(func.count()).select_from(DraftRule).where(DraftRule.role == role_id)
        if ignore_own:
            query = query.where(
                (DraftRule.contribution_id.is_(None))
                | (DraftRule.contribution_id != self.contribution.id)
            )
        default = self.session.get(DraftSetting, "default")
        by_default = isinstance(default and default.value, dict) and (
            default.value.get("role") == role_id  # type: ignore[union-attr]
        )
        return bool(self.session.scalar(query)) or bool(by_default)

    def _drop_role(self, row: DraftRole) -> None:
        """Remove a role this contribution created, unless others rely on it: then it stays,
        no longer tied to the contribution."""
        if self._referenced(row.role_id, ignore_own=True):
            row.contribution_id = None
            return
        before = role_snapshot(row)
        self.session.delete(row)
        self.session.flush()
        self._audit("role", before["id"], "remove", before, None)

    # -- library -------------------------------------------------------------------------
    def library(self, old: dict[str, str | None], picked: list[str]) -> dict[str, str | None]:
        wanted = []
        for library_id in picked:
            try:
                library_rule(library_id)
            except KeyError:
                continue  # a stale option: the library changed since the message was posted
            wanted.append(library_id)
        result: dict[str, str | None] = {}
        for library_id, rule_id in old.items():
            if library_id in wanted:
                result[library_id] = rule_id
            elif (row := self._owned_rule(rule_id)) is not None:
                self._remove_rule(row)
        for library_id in wanted:
            if library_id not in result:
                result[library_id] = self._adopt(library_id)
        return result

    def _adopt(self, library_id: str) -> str | None:
        """Adopt a standard rule; None when the draft already has it (someone else chose it)."""
        origin = LIBRARY_ORIGIN + library_id
        if self.session.scalar(select(DraftRule.pk).where(DraftRule.origin == origin)):
            return None
        data = library_rule(library_id).to_rule_dict(self.lang)
        self._ensure_standard_role(data["role"])
        return self._insert_rule(
            origin=origin,
            rule_id=self._library_rule_id(data["id"]),
            section=data.get("section") or self.section,
            verdict=data["verdict"],
            text=data["text"],
            role=data["role"],
            applies_to=list(data.get("applies_to") or []),
            keywords=list(data["keywords"]),
            unless=list(data["unless"]),
            detect=list(data["detect"]),
            patterns=list(data["patterns"]),
        ).rule_id

    # -- shared --------------------------------------------------------------------------
    def _insert_rule(self, origin: str, **fields: Any) -> DraftRule:
        """A new draft rule from this contribution, last in the draft, audited as added."""
        row = DraftRule(
            **fields,
            extras={},
            origin=origin,
            contribution_id=self.contribution.id,
            position=self._next_position(DraftRule),
            created_by=self.author,
            updated_by=self.actor,
        )
        self.session.add(row)
        self.session.flush()
        self._audit("rule", row.rule_id, "add", None, rule_snapshot(row))
        return row

    def _next_position(self, model: type[DraftRule] | type[DraftRole]) -> int:
        return int(self.session.scalar(select(func.max(model.position))) or 0) + 1

    def _audit(self, entity: str, entity_id: str, action: str, before: Any, after: Any) -> None:
        audit.record(
            self.session,
            actor=self.actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            section=self.section,
            before=before,
            after=after,
        )
