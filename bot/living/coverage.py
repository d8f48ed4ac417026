"""Who has acknowledged an adopted version: in all (`policybot coverage`'s `{"version",
"acknowledged", "of", "percent"}`), per policy group, per audience the lead asked, and as CSV
rows of who acknowledged what and when."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import stored_names
from bot.living.acknowledgement import version_doc
from bot.policy.model import EVERYONE
from bot.storage.models.living import AckCampaign, AckRequest

CSV_COLUMNS = (
    "version",
    "label",
    "user_id",
    "name",
    "groups",
    "asked_about",
    "asked_at",
    "acknowledged_at",
)


@dataclass(frozen=True)
class Share:
    """`acknowledged` of `of`, for a group or an audience (`key`: its id, `name` as shown)."""

    key: str
    name: str
    acknowledged: int
    of: int

    @property
    def percent(self) -> float:
        return percent(self.acknowledged, self.of)


@dataclass(frozen=True)
class Coverage:
    version: int
    label: str
    acknowledged: int
    of: int
    groups: list[Share] = field(default_factory=list)  # per policy group (`all` first)
    audiences: list[Share] = field(default_factory=list)  # per channel / user group asked

    @property
    def percent(self) -> float:
        return percent(self.acknowledged, self.of)

    def as_json(self) -> dict[str, object]:
        """interfaces.md's object, with the bot's per-group extension after it."""
        return {
            "version": self.version,
            "acknowledged": self.acknowledged,
            "of": self.of,
            "percent": self.percent,
            "label": self.label,
            "groups": [
                {"id": s.key, "name": s.name, "acknowledged": s.acknowledged, "of": s.of}
                for s in self.groups
            ],
        }


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _rows(session: Session, version: int) -> list[AckRequest]:
    query = select(AckRequest).where(AckRequest.version == version)
    return list(session.scalars(query.order_by(AckRequest.asked_at, AckRequest.user_id)))


def coverage(session: Session, number: int | None = None) -> Coverage | None:
    """Version `number`'s coverage (the latest when None); None: no such version."""
    found = version_doc(session, number)
    if found is None:
        return None
    rows = _rows(session, found.number)
    done = [r for r in rows if r.acknowledged_at is not None]

    def share(key: str, name: str, members: list[AckRequest]) -> Share:
        acked = sum(1 for r in members if r.acknowledged_at is not None)
        return Share(key, name, acked, len(members))

    groups = [share(EVERYONE, EVERYONE, rows)]
    for group in found.document.groups:
        groups.append(share(group.id, group.name, [r for r in rows if group.id in r.groups]))
    # Per audience the lead asked (an audience asked twice counts once): the people its
    # campaigns asked first.
    asked_by: dict[tuple[str, str], set[int]] = {}
    for campaign in session.scalars(
        select(AckCampaign).where(AckCampaign.version == found.number).order_by(AckCampaign.id)
    ):
        asked_by.setdefault((campaign.audience, campaign.target or ""), set()).add(campaign.id)
    audiences = [
        share(kind, target, [r for r in rows if r.campaign_id in ids])
        for (kind, target), ids in asked_by.items()
    ]
    return Coverage(found.number, found.label, len(done), len(rows), groups, audiences)


def _moment(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


def coverage_csv(session: Session, number: int | None = None) -> str | None:
    """Who was asked to acknowledge version `number` (the latest when None), about what, and
    when they acknowledged it, as CSV; None: no such version."""
    found = version_doc(session, number)
    if found is None:
        return None
    rows = _rows(session, found.number)
    names = stored_names(session, [r.user_id for r in rows])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            (
                found.number,
                found.label,
                row.user_id,
                _safe(names.get(row.user_id, "")),
                " ".join(sorted(row.groups or [])),
                row.scope,
                _moment(row.asked_at),
                _moment(row.acknowledged_at),
            )
        )
    return out.getvalue()


def _safe(cell: str) -> str:
    """A name as a spreadsheet should show it, never as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
