"""The project, as `/policy setup` starts it (steps 1 and 2 of the method): the organisation,
the policy's language, the communications lead, the working group, management's approvers and
the target date for adoption, and which reminders go out.

One place for each fact: the organisation and the language are the draft's document settings
(the review's settings modal changes the same ones), the lead and the working group are roles
(`bot.people`, with their own record of every change); the rest are draft settings under
`project.*`, each change in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot import audit, people
from bot.reviewing.document import set_organisation_and_language
from bot.reviewing.draft import ORGANISATION, draft_language, put_setting, setting
from bot.vocabulary import Language

APPROVERS = "project.approvers"
TARGET_DATE = "project.target_date"
USERGROUP = "project.working_group_usergroup"
REMINDERS_OFF = "project.reminders_off"

# The kinds of reminder, each of which the lead can switch off in the setup.
DEADLINES, IDLE, ESCALATIONS, DIGEST, COMPLETE, ACKNOWLEDGE, REVIEW = (
    "deadlines",
    "idle_threads",
    "escalations",
    "digest",
    "section_complete",
    "acknowledgements",  # living by the policy: reminders to acknowledge the adopted version
    "review_cycle",  # living by the policy: the lead's notice that the review is coming
)
REMINDER_KINDS = (DEADLINES, IDLE, ESCALATIONS, DIGEST, COMPLETE, ACKNOWLEDGE, REVIEW)
MAX_PEOPLE = 100  # approvers and working-group members picked in one go


@dataclass(frozen=True)
class Project:
    organisation: str
    language: Language
    leads: tuple[str, ...]  # granted the communications lead's role
    working_group: tuple[str, ...]  # granted the working group's role
    usergroup: str | None  # the Slack user group the working group follows, if any
    approvers: tuple[str, ...]
    target_date: dt.date | None
    reminders_off: frozenset[str] = field(default_factory=frozenset)

    @property
    def started(self) -> bool:
        return bool(self.organisation)

    def reminds(self, kind: str) -> bool:
        return kind not in self.reminders_off


def project(session: Session, fallback_language: str) -> Project:
    target = setting(session, TARGET_DATE)
    return Project(
        organisation=str(setting(session, ORGANISATION, "") or ""),
        language=draft_language(session, fallback_language),
        leads=role_holders(session, people.COMMS_LEAD),
        working_group=role_holders(session, people.WORKING_GROUP),
        usergroup=setting(session, USERGROUP) or None,
        approvers=tuple(setting(session, APPROVERS, []) or []),
        target_date=dt.date.fromisoformat(target) if target else None,
        reminders_off=frozenset(setting(session, REMINDERS_OFF, []) or []),
    )


def role_holders(session: Session, role: str) -> tuple[str, ...]:
    """Who was granted `role` itself (admins from the settings hold every role, but are not
    listed as its members)."""
    return tuple(dict.fromkeys(h.user_id for h in people.holders(session, frozenset(), role)))


def leads(session: Session, admins: frozenset[str]) -> tuple[str, ...]:
    """Who hears what the lead should hear: the communications leads, else the admins."""
    return role_holders(session, people.COMMS_LEAD) or tuple(sorted(admins))


def reminds(session: Session, kind: str) -> bool:
    return kind not in (setting(session, REMINDERS_OFF, []) or [])


@dataclass(frozen=True)
class Setup:
    """What the setup modal submits."""

    organisation: str
    language: Language
    leads: tuple[str, ...]
    working_group: tuple[str, ...]  # people picked by hand
    usergroup: str | None
    usergroup_members: tuple[str, ...]  # the user group's members, as Slack said
    approvers: tuple[str, ...]
    target_date: dt.date | None
    reminders_off: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        """The setup as JSON (a durable request's arguments), without the user group's
        members: those are Slack's to say when it is read back (`from_json`)."""
        return {
            "organisation": self.organisation,
            "language": self.language,
            "leads": list(self.leads),
            "working_group": list(self.working_group),
            "usergroup": self.usergroup,
            "approvers": list(self.approvers),
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "reminders_off": sorted(self.reminders_off),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], members: tuple[str, ...] = ()) -> Setup:
        """A setup from its JSON form (`to_json`, or the modal's fields as the handler
        translated them), with the user group's members as Slack said them."""
        target = data.get("target_date")
        language: Language = "en" if data.get("language") == "en" else "nl"
        return cls(
            organisation=str(data.get("organisation") or ""),
            language=language,
            leads=tuple(data.get("leads") or ()),
            working_group=tuple(data.get("working_group") or ()),
            usergroup=str(data.get("usergroup") or "") or None,
            usergroup_members=members,
            approvers=tuple(data.get("approvers") or ()),
            target_date=dt.date.fromisoformat(target) if target else None,
            reminders_off=frozenset(data.get("reminders_off") or ()),
        )


class SetupInvalid(ValueError):
    """`errors` maps each bad field to the catalogue key that says what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


ORGANISATION_FIELD, LEADS_FIELD, TARGET_FIELD, APPROVERS_FIELD = (
    "organisation",
    "leads",
    "target_date",
    "approvers",
)
WORKING_GROUP_FIELD = "working_group"


def check_setup(
    session: Session, actor: str, admins: frozenset[str], new: Setup, today: dt.date
) -> Project:
    """Raise SetupInvalid naming each bad field of `new` (writing nothing); else the project
    as it stands. A setup whose user group's members are not known yet (`usergroup_members`
    empty: Slack has not been asked) is checked for everything else; `save_setup` checks it
    again with them."""
    before = project(session, new.language)
    errors: dict[str, str] = {}
    if not new.organisation.strip():
        errors[ORGANISATION_FIELD] = "rhythm.error_required"
    if not new.leads:
        errors[LEADS_FIELD] = "rhythm.error_lead_required"
    elif set(new.leads) != set(before.leads) and people.may_manage(
        session, admins, actor, people.COMMS_LEAD
    ):
        errors[LEADS_FIELD] = "rhythm.error_lead_admin_only"
    if (
        new.target_date is not None
        and new.target_date < today
        and new.target_date != (before.target_date)
    ):
        errors[TARGET_FIELD] = "rhythm.error_past"
    if len(new.approvers) > MAX_PEOPLE:
        errors[APPROVERS_FIELD] = "rhythm.error_too_many"
    if len(new.working_group) + len(new.usergroup_members) > MAX_PEOPLE:
        errors[WORKING_GROUP_FIELD] = "rhythm.error_too_many"
    if errors:
        raise SetupInvalid(errors)
    return before


def save_setup(
    session: Session, actor: str, admins: frozenset[str], new: Setup, today: dt.date
) -> list[str]:
    """Store what changed (every change recorded: roles in their own record, the rest in the
    audit trail); raises SetupInvalid naming each bad field, before writing anything (a
    caller may catch it and go on in the same transaction). Returns the fields changed."""
    before = check_setup(session, actor, admins, new, today)
    changed: list[str] = []
    if (new.organisation.strip(), new.language) != (before.organisation, before.language):
        set_organisation_and_language(session, actor, new.organisation, new.language)
        changed.append("organisation")
    if _sync_role(session, actor, people.COMMS_LEAD, before.leads, new.leads):
        changed.append("leads")
    members = tuple(dict.fromkeys((*new.working_group, *new.usergroup_members)))
    if _sync_role(session, actor, people.WORKING_GROUP, before.working_group, members):
        changed.append("working_group")
    values = {
        USERGROUP: new.usergroup,
        APPROVERS: list(dict.fromkeys(new.approvers)),
        TARGET_DATE: new.target_date.isoformat() if new.target_date else None,
        REMINDERS_OFF: sorted(new.reminders_off & set(REMINDER_KINDS)),
    }
    for key, value in values.items():
        if (setting(session, key) or None) != (value or None):
            put_setting(session, key, value, actor)
            changed.append(key)
    if changed:
        audit.record(
            session, actor=actor, entity="project", entity_id="setup", action="edit", after=changed
        )
    return changed


def _sync_role(
    session: Session, actor: str, role: str, old: tuple[str, ...], new: tuple[str, ...]
) -> bool:
    """Grant `role` to who is new, take it from who is no longer there."""
    granted = [user for user in new if user not in old and people.grant(session, actor, user, role)]
    revoked = [
        user for user in old if user not in new and people.revoke(session, actor, user, role)
    ]
    return bool(granted or revoked)


def sync_usergroup(session: Session, actor: str, members: tuple[str, ...]) -> bool:
    """The working group's Slack user group has these members now: those not yet in the
    working group join it (nobody is removed: a member may also have been added by hand)."""
    joined = [user for user in members if people.grant(session, actor, user, people.WORKING_GROUP)]
    return bool(joined)
