"""Answers that follow new versions: when version N is adopted, the "may I post this?"
questions still within the retention period are asked again, and an asker whose answer
changed (allowed → forbidden, say) hears it once, with the old and the new verdict and the
rules that changed.

The log keeps a question's text masked, so a question is asked again twice: of the version
that answered it, and of the new one. Only when the first gives the verdict the asker got (the
masked text still says what they asked) and the second differs is the answer changed; a
question whose masked text answers differently now (a masked phone number, an answer given
during a crisis) is left alone rather than told a change the policy did not make. The run is
once per version (`RecheckRun`), each notice once per question (`RecheckNotice`), whichever
instance gets there first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.answering.ownership import NOBODY
from bot.asking.intents import CHECK
from bot.living.acknowledgement import VersionDoc, version_doc
from bot.living.changes import changed_rules
from bot.storage.models.asking import AskedQuestion
from bot.storage.models.living import RecheckNotice, RecheckRun
from bot.storage.writes import insert_once, rows_changed


@dataclass(frozen=True)
class Notice:
    question_id: int
    version: int
    asker: str
    language: str
    text: str
    old_verdict: str
    new_verdict: str
    rule_ids: tuple[str, ...]

    @classmethod
    def of(cls, row: RecheckNotice) -> Notice:
        return cls(
            row.question_id,
            row.version,
            row.asker,
            row.language,
            row.text or "",
            row.old_verdict,
            row.new_verdict,
            tuple(row.rule_ids or ()),
        )


@dataclass(frozen=True)
class Rechecked:
    version: int
    asked: int  # questions asked again
    changed: int  # answers that changed


def _compiled(session: Session, found: VersionDoc) -> Any:
    """The version compiled, cached as answering caches it: by database, number and the
    moment it was recorded (a number alone is another version in another database)."""
    url = str(session.get_bind().engine.url)
    recorded = found.recorded_at.isoformat() if found.recorded_at else ""
    key = (url, found.number, recorded)
    from bot.answering.cache import get_compiled  # the engine: loaded when first used

    return get_compiled(key, found.document, version_label=found.label)


def _verdict(compiled: Any, text: str, groups: list[str]) -> tuple[str, list[str]]:
    answer = compiled.check(text, sorted(set(groups) | {"all"}), NOBODY).to_json()
    rules = [str(r.get("id")) for r in answer.get("rules") or [] if r.get("id")]
    return str(answer.get("verdict") or "allowed"), rules


def recheck(
    session: Session, number: int, retention_days: int, now: dt.datetime
) -> Rechecked | None:
    """Ask the kept questions again of version `number`; None when it was done before (by
    this or another instance) or there is no such version."""
    new = version_doc(session, number)
    if new is None or not insert_once(
        session, RecheckRun, version=number, ran_at=now, asked=0, changed=0
    ):
        return None
    since = now - dt.timedelta(days=retention_days)
    rows = session.scalars(
        select(AskedQuestion)
        .where(
            AskedQuestion.kind == CHECK,
            AskedQuestion.text.is_not(None),
            AskedQuestion.verdict.is_not(None),
            AskedQuestion.policy_number < number,
            AskedQuestion.asked_at >= since,
        )
        .order_by(AskedQuestion.asked_at.desc(), AskedQuestion.id.desc())
    )
    latest: dict[tuple[str, str], AskedQuestion] = {}
    for row in rows:  # newest first: an asker's latest asking of a text counts
        latest.setdefault((row.asker, str(row.text)), row)
    versions: dict[int, VersionDoc | None] = {}
    changed_ids: dict[int, set[str]] = {}
    new_compiled, asked, changed = _compiled(session, new), 0, 0
    for row in latest.values():
        number_then = int(row.policy_number or 0)
        if number_then not in versions:
            versions[number_then] = version_doc(session, number_then)
        old = versions[number_then]
        if old is None:
            continue
        asked += 1
        text, groups = str(row.text), list(row.groups or [])
        before, before_rules = _verdict(_compiled(session, old), text, groups)
        if before != row.verdict:
            continue  # the masked text no longer says what they asked
        after, after_rules = _verdict(new_compiled, text, groups)
        if after == before:
            continue
        if number_then not in changed_ids:
            changes = changed_rules(old.document, new.document, old.data, new.data)
            changed_ids[number_then] = {c.rule.id for c in changes}
        involved = [r for r in dict.fromkeys(after_rules + before_rules)]
        rule_ids = [r for r in involved if r in changed_ids[number_then]] or after_rules
        if insert_once(
            session,
            RecheckNotice,
            question_id=row.id,
            version=number,
            asker=row.asker,
            language=row.language,
            text=text,
            old_verdict=before,
            new_verdict=after,
            rule_ids=rule_ids,
            created_at=now,
        ):
            changed += 1
    session.execute(
        update(RecheckRun).where(RecheckRun.version == number).values(asked=asked, changed=changed)
    )
    return Rechecked(number, asked, changed)


def unsent(session: Session, number: int | None = None, limit: int = 200) -> list[Notice]:
    """The notices not sent yet (of version `number`, or every version)."""
    query = select(RecheckNotice).where(RecheckNotice.sent_at.is_(None))
    if number is not None:
        query = query.where(RecheckNotice.version == number)
    query = query.order_by(RecheckNotice.created_at, RecheckNotice.question_id).limit(limit)
    return [Notice.of(row) for row in session.scalars(query)]


def mark_sent(session: Session, notice: Notice, now: dt.datetime) -> bool:
    """Claim a notice for sending: True for the one caller that marks it."""
    done = session.execute(
        update(RecheckNotice)
        .where(
            RecheckNotice.question_id == notice.question_id,
            RecheckNotice.version == notice.version,
            RecheckNotice.sent_at.is_(None),
        )
        .values(sent_at=now)
    )
    return rows_changed(done) == 1


def result_of(session: Session, number: int) -> Rechecked | None:
    row = session.get(RecheckRun, number)
    return Rechecked(row.version, row.asked, row.changed) if row is not None else None


def latest_result(session: Session) -> Rechecked | None:
    row = session.scalars(select(RecheckRun).order_by(RecheckRun.version.desc()).limit(1)).first()
    return Rechecked(row.version, row.asked, row.changed) if row is not None else None
