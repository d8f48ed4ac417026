"""The policy's one language: set at the start, shown and changed in the document settings.

It decides the language of the standard rules and roles that enter the draft, of the section
titles, of the document and its exports, whoever does the drafting: a member whose Slack
speaks English drafting a Dutch municipality's policy adds Dutch standard rules. (The bot's
own words still follow each person's locale.) It is fixed when the first drafting session
starts, from the organisation's language (`POLICYBOT_LANGUAGE`), unless an imported policy or
the lead set it first. Changing it later rewrites, in the new language, what the bot itself
wrote and nobody has changed since: standard rules and roles, and the template's titles.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.drafting.draft_changes import LIBRARY_ORIGIN, role_snapshot, rule_snapshot
from bot.drafting.rule_library import library_rule, standard_role
from bot.drafting.template import load_template
from bot.reviewing.draft import LANGUAGE, put_setting, setting
from bot.storage import utcnow
from bot.storage.models.policy import DraftRole, DraftRule, DraftSection, DraftSetting
from bot.storage.writes import insert_once
from bot.vocabulary import Language, is_language, language_or


def ensure_policy_language(session: Session, default: str, actor: str) -> Language:
    """The policy's language; set to `default` (the organisation's) when nobody has set it.
    Two first sessions starting at once on two instances agree: the first insert wins."""
    current = setting(session, LANGUAGE)
    if is_language(current):
        return language_or(current, "nl")
    language = language_or(default, "nl")
    if current is None:
        values = {"key": LANGUAGE, "value": language, "updated_by": actor, "updated_at": utcnow()}
        if insert_once(session, DraftSetting, **values):
            audit.record(
                session,
                actor=actor,
                entity="setting",
                entity_id=LANGUAGE,
                action="edit",
                after=language,
            )
        return language_or(setting(session, LANGUAGE), language)
    put_setting(session, LANGUAGE, language, actor)  # a value that is no language: replaced
    return language


def translate_untouched(session: Session, actor: str, old: str, new: str) -> list[str]:
    """After the language changed from `old` to `new`: the standard rules, standard roles and
    section titles still as the bot wrote them in `old`, rewritten in `new`. Returns the ids
    of what it rewrote."""
    if old == new or not (is_language(old) and is_language(new)):
        return []
    changed = []
    for rule in session.scalars(
        select(DraftRule).where(DraftRule.origin.like(f"{LIBRARY_ORIGIN}%"))
    ):
        try:
            standard = library_rule(rule.origin[len(LIBRARY_ORIGIN) :])
        except KeyError:
            continue
        if rule.text != standard.text.get(old):
            continue  # the group or the lead rewrote it: theirs
        before = rule_snapshot(rule)
        data = standard.to_rule_dict(new)
        rule.text = data["text"]
        if sorted(rule.keywords or []) == sorted(standard.to_rule_dict(old)["keywords"]):
            rule.keywords = data["keywords"]
        _stamp(rule, actor)
        _audit(session, actor, "rule", rule.rule_id, rule.section, before, rule_snapshot(rule))
        changed.append(rule.rule_id)
    for role in session.scalars(select(DraftRole)):
        try:
            standard_r = standard_role(role.role_id)
        except KeyError:
            continue
        if (role.name, role.handles) != (standard_r.name.get(old), standard_r.handles.get(old)):
            continue
        before = role_snapshot(role)
        role.name, role.handles = standard_r.name.get(new), standard_r.handles.get(new)
        _stamp(role, actor)
        _audit(session, actor, "role", role.role_id, role.section, before, role_snapshot(role))
        changed.append(role.role_id)
    for section in session.scalars(select(DraftSection)):
        try:
            template = load_template().section(section.section_id)
        except KeyError:
            continue
        if section.title == template.title.get(old):
            before = {"title": section.title, "text": section.text}
            section.title = template.title.get(new)
            _stamp(section, actor)
            after = {"title": section.title, "text": section.text}
            _audit(session, actor, "section", section.section_id, section.section_id, before, after)
            changed.append(section.section_id)
    return changed


def _stamp(row: DraftRule | DraftRole | DraftSection, actor: str) -> None:
    row.updated_by, row.updated_at = actor, utcnow()


def _audit(
    session: Session,
    actor: str,
    entity: str,
    entity_id: str,
    section: str | None,
    before: object,
    after: object,
) -> None:
    audit.record(
        session,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        section=section,
        action="edit",
        before=before,
        after=after,
    )
