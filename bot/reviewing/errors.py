"""Why a consolidation step changed nothing; the Slack layer says each in the lead's words.

LookupError
 └── NotFound       the contribution, section, rule, role or group is gone
ValueError
 ├── Invalid        values that break policy-format.md; `issues` name each bad field
 └── InUse          a role or group that rules (or the default) still refer to
"""

from __future__ import annotations

from bot.policy.model import FormatIssue


class NotFound(LookupError):
    """The contribution, section, rule, role or group no longer exists (someone removed it)."""


class Invalid(ValueError):
    """Values that break policy-format.md; `issues` name each bad field."""

    def __init__(self, issues: list[FormatIssue]) -> None:
        super().__init__("; ".join(f"{i.path}: {i.message}" for i in issues))
        self.issues = issues


class InUse(ValueError):
    """A role or group that rules (or the default) still refer to cannot be removed."""

    def __init__(self, item_id: str, used_by: list[str]) -> None:
        super().__init__(f"{item_id}: {', '.join(used_by)}")
        self.item_id = item_id
        self.used_by = used_by
