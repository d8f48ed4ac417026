"""What an adopted version remembers beside its document: who wrote it, and how it came about.

`PolicyVersion` (models/policy.py) holds the frozen `policybot/1` document and the approval;
this table adds the working group as it stood at adoption (the DOCX lists them) and where the
version came from, so that an export of version N tomorrow shows the same people as today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

# The table a foreign key here names (policy_versions) must be on the metadata too.
import bot.storage.models.policy  # noqa: F401
from bot.storage.base import EMPTY_LIST, Base, utcnow
from bot.storage.types import UTCDateTime


class VersionRecord(Base):
    """Written once with its version, never updated."""

    __tablename__ = "version_records"

    number: Mapped[int] = mapped_column(
        Integer, ForeignKey("policy_versions.number"), primary_key=True, autoincrement=False
    )
    # "draft" (adopted from the draft), "import" (the CLI), "readopt" (an earlier version again)
    source: Mapped[str] = mapped_column(String(16))
    # [{"id": "U…", "name": "…"}]: the contributors to the draft at the moment of adoption
    contributors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # the diff against the version before it, as announced
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What was not ready and the lead confirmed adopting all the same (bot.reviewing.readiness):
    # [{"code": "pending_contributions", "detail": […]}, …]; part of the approval record.
    acknowledged: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=EMPTY_LIST
    )
    # Management's approval as Slack recorded it: [{"by": "U…", "decision": "approved",
    # "at": ISO time}], one per approver; empty for an approval typed by the lead.
    approvals: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=EMPTY_LIST
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
