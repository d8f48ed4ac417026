"""Answering employees from the adopted policy: check, who and search, each question logged.

The latest adopted version is read from `PolicyVersion`; its document is parsed and compiled
once per version (versions never change once adopted) and reused for every question after.
Which version is latest is kept in memory under the table's change counter
(`bot.storage.changes`), so a version adopted through any instance is picked up by every
other on its next question.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import people
from bot.answering.answers import WEAK, CheckAnswer, RuleMatch
from bot.answering.decide import decide
from bot.answering.detection import Detection
from bot.answering.ownership import NOBODY, OwnContacts
from bot.asking import question_log
from bot.asking.intents import CHECK, SEARCH, WHO
from bot.asking.masking import Span, mask_personal_data
from bot.living.crisis import during_crisis
from bot.opinion.reconsider import Opinion, reconsider
from bot.policy.model import PolicyDocument
from bot.policy.validation import parse_policy
from bot.settings import Settings
from bot.storage import utcnow
from bot.storage.changes import RowCache
from bot.storage.models.policy import PolicyVersion
from bot.vocabulary import STRICT_VERDICTS, Verdict

PASSAGE_LIMIT = 3

# The catalogue's name of each verdict, as answers (in Slack and on the command line) say it.
VERDICT_NAMES = {
    Verdict.FORBIDDEN: "asking.verdict_name.forbidden",
    Verdict.REVIEW: "asking.verdict_name.review",
    Verdict.ALLOWED: "asking.verdict_name.allowed",
}


@dataclass(frozen=True)
class RoleContact:
    """A role as answers show it: whom to ask, and about what."""

    id: str
    name: str
    contact: str
    handles: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoleContact:
        return cls(
            str(data.get("id") or ""),
            str(data.get("name") or ""),
            str(data.get("contact") or ""),
            str(data.get("handles") or ""),
        )


@dataclass(frozen=True)
class AnsweredRule:
    """A rule that decided an answer, with what in the question matched it."""

    id: str
    verdict: Verdict
    text: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """A paragraph of the policy (or a rule) that a free question is most likely about."""

    title: str
    text: str


@dataclass(frozen=True)
class AdoptedPolicy:
    number: int
    label: str
    document: PolicyDocument
    compiled: Any  # the engine's compiled policy: `.check(text, groups)`, `.who(text, groups)`
    # Texts masked with this version (`masked`): an answer masks its question for the log
    # and again for the excerpt it shows; one engine pass does for both.
    masked_texts: dict[bytes, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def language(self) -> str:
        return self.document.language

    @property
    def group_ids(self) -> set[str]:
        return {group.id for group in self.document.groups}

    def role(self, role_id: str | None) -> RoleContact | None:
        for role in self.document.roles:
            if role.id == role_id:
                return RoleContact(role.id, role.name, role.contact, role.handles)
        return None

    @property
    def default_role(self) -> RoleContact | None:
        return self.role(self.document.default.role)


_cache: OrderedDict[tuple[str, int, str], tuple[PolicyDocument, Any]] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 8


_adopted: RowCache[str, AdoptedPolicy | None] = RowCache("policy_versions", size=1)


def adopted_policy(session: Session) -> AdoptedPolicy | None:
    """The latest adopted version, compiled; None while nothing has been adopted. Kept in
    memory until a version is adopted anywhere (the table's change counter moves)."""
    return _adopted.get(session, "latest", lambda: _latest_adopted(session))


def _latest_adopted(session: Session) -> AdoptedPolicy | None:
    latest = session.execute(
        select(PolicyVersion.number, PolicyVersion.label, PolicyVersion.recorded_at)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    number, label, recorded_at = latest
    url = str(session.get_bind().engine.url)
    key = (url, number, recorded_at.isoformat() if recorded_at else "")
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        document = session.scalar(
            select(PolicyVersion.document).where(PolicyVersion.number == number)
        )
        parsed = parse_policy(document or {})
        from bot.answering.cache import get_compiled  # the engine: once, after start-up

        compiled = get_compiled(key, parsed, version_label=label or str(number))
        hit = (parsed, compiled)
        with _cache_lock:
            _cache[key] = hit
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return AdoptedPolicy(number, label or str(number), hit[0], hit[1])


@dataclass
class Answer:
    """One answered question; `data` is the JSON of interfaces.md (check or who), or for a
    search `{"passages": [...], "role": default role, "covered": bool}`."""

    kind: str
    question_id: int
    policy: AdoptedPolicy
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def covered(self) -> bool:
        return bool(self.data.get("covered"))

    @property
    def verdict(self) -> str | None:
        return self.data.get("verdict")

    @property
    def role(self) -> RoleContact | None:
        found = self.data.get("role")
        return RoleContact.from_json(found) if found else None

    @property
    def rules(self) -> list[AnsweredRule]:
        return [
            AnsweredRule(
                str(rule.get("id", "")),
                Verdict(rule.get("verdict") or Verdict.ALLOWED),
                str(rule.get("text", "")),
                tuple(str(e) for e in rule.get("evidence") or [] if str(e).strip()),
            )
            for rule in self.data.get("rules") or []
        ]

    @property
    def passages(self) -> list[Passage]:
        return [
            Passage(str(p.get("title") or p.get("section_id") or ""), str(p.get("text", "")))
            for p in self.data.get("passages") or []
        ]

    @property
    def offers_escalation(self) -> bool:
        """ "Ask <role>" is offered on review/forbidden, on anything uncovered or only noticed
        on weak evidence (the answer then says to ask), and on searches."""
        if self.kind == SEARCH:
            return self.role is not None
        unsure = not self.covered or self.data.get("certainty") == WEAK
        return self.role is not None and (self.verdict in STRICT_VERDICTS or unsure)


@dataclass(frozen=True)
class NoPolicy:
    """Nothing adopted yet: who to ask instead (comms leads, else the admins)."""

    question_id: int
    contacts: list[str]


def who_to_ask_without_policy(session: Session, settings: Settings) -> list[str]:
    leads = [h.user_id for h in people.holders(session, settings.admins, people.COMMS_LEAD)]
    return list(dict.fromkeys(leads)) or sorted(settings.admins)


def check(
    policy: AdoptedPolicy,
    text: str,
    groups: set[str],
    *,
    own: OwnContacts = NOBODY,
    session: Session | None = None,
    settings: Settings | None = None,
    opinion: Opinion | None = None,
    model_first: bool = False,
) -> dict[str, Any]:
    """The answer's JSON; with `session` and `settings`, a configured language model gets to
    give its second opinion when the rules are unsure (it sees the question masked; its
    answers are cached in the caller's unit of work). With `model_first` the model is not
    waited for here: `NeedsModel` is raised before anything is written, and the answer is
    made again with its `opinion` (`bot.opinion.reconsider`)."""
    if session is None or settings is None:
        answer = policy.compiled.check(text, sorted(groups), own)
    else:
        answer, shown = _checked_and_masked(policy, text, sorted(groups), own)
        answer = reconsider(
            session, settings, policy.compiled, policy.number, answer, text, shown,
            sorted(groups), own, opinion, model_first,
        )  # fmt: skip
    return _with_version(policy, answer.to_json())


def who(
    policy: AdoptedPolicy, text: str, groups: set[str], *, own: OwnContacts = NOBODY
) -> dict[str, Any]:
    return _with_version(policy, policy.compiled.who(text, sorted(groups), own).to_json())


def search(policy: AdoptedPolicy, text: str, limit: int = PASSAGE_LIMIT) -> dict[str, Any]:
    from bot.answering.passages import relevant_passages  # stemmers: loaded when first asked

    passages = [_passage(p) for p in relevant_passages(policy.document, text, limit)]
    default = policy.default_role
    return {
        "passages": passages,
        "role": None
        if default is None
        else {
            "id": default.id,
            "name": default.name,
            "contact": default.contact,
            "handles": default.handles,
        },
        "covered": bool(passages),
        "policy_version": policy.label,
    }


def _with_version(policy: AdoptedPolicy, data: dict[str, Any]) -> dict[str, Any]:
    data.setdefault("policy_version", policy.label)
    return data


def _passage(found: Any) -> dict[str, Any]:
    """A passage as plain data: kind, section_id, rule_id, title, text, score."""
    if is_dataclass(found) and not isinstance(found, type):
        return dict(asdict(found))
    return dict(found)


def masked(policy: AdoptedPolicy, text: str) -> str:
    """`text` with personal data masked: every detected value, and whatever any rule's
    `patterns` match (licence plates, passwords), whichever groups the rule applies to."""
    key = _key(text)
    known = policy.masked_texts.get(key)
    if known is None:
        everyones = policy.compiled.matches(text, _everyone(policy))
        known = _remember(policy, key, _masked(text, everyones))
    return known


def _checked_and_masked(
    policy: AdoptedPolicy, text: str, groups: list[str], own: OwnContacts
) -> tuple[CheckAnswer, str]:
    """The rules' answer to `text` for `groups`, and `text` masked: a question not masked
    before is analysed once for both (the analysis was most of the engine's work, done
    twice for every new question)."""
    key = _key(text)
    known = policy.masked_texts.get(key)
    if known is not None:
        return policy.compiled.check(text, groups, own), known
    mine, everyones, detected = policy.compiled.matches_twice(text, groups, own, _everyone(policy))
    return decide(policy.compiled, mine, text=text, own=own), _remember(
        policy, key, _masked(text, everyones, detected)
    )


MASKED_KEPT = 64


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()  # the text is not kept


def _everyone(policy: AdoptedPolicy) -> list[str]:
    return sorted({"all", *policy.group_ids})


def _remember(policy: AdoptedPolicy, key: bytes, masked_text: str) -> str:
    if len(policy.masked_texts) >= MASKED_KEPT:
        policy.masked_texts.clear()  # a handful of recent texts is all it is for
    policy.masked_texts[key] = masked_text
    return masked_text


def _masked(
    text: str, everyones: list[RuleMatch], detected: Sequence[Detection] | None = None
) -> str:
    spans: list[Span] = [
        (e.start, e.end, e.text)
        for match in everyones
        for e in match.evidence
        if e.kind in ("detector", "pattern")
    ]
    return mask_personal_data(text, spans, detected)


def ask(
    session: Session,
    settings: Settings,
    *,
    kind: str,
    text: str,
    groups: set[str],
    asker: str,
    source: str,
    language: str,
    now: datetime | None = None,
    policy: AdoptedPolicy | None = None,
    own_contacts: Iterable[str] = (),
    opinion: Opinion | None = None,
    model_first: bool = False,
    asked_in: tuple[str | None, str | None] = (None, None),
) -> Answer | NoPolicy:
    """Answer one question and log it (the retention purge is the scheduler's chore).

    `own_contacts`: the asker's own work phone and e-mail (from their Slack profile), which are
    not someone else's personal data. The log keeps the question with personal data masked,
    and `asked_in` (channel, message ts), where it was asked. `model_first`, `opinion`: a
    language model is asked outside the caller's unit of work (`check`)."""
    now = now or utcnow()
    policy = policy or adopted_policy(session)
    own = OwnContacts.of(own_contacts)
    if policy is None:
        question_id = question_log.log_question(
            session,
            asker=asker,
            source=source,
            kind=kind,
            text=mask_personal_data(text),
            language=language,
            groups=groups,
            covered=False,
            at=now,
            asked_in=asked_in,
        )
        return NoPolicy(question_id, who_to_ask_without_policy(session, settings))
    if kind == CHECK:
        data = check(
            policy, text, groups, own=own, session=session, settings=settings,
            opinion=opinion, model_first=model_first,
        )  # fmt: skip
        data = during_crisis(session, policy.document, settings.admins, data)
    elif kind == WHO:
        data = who(policy, text, groups, own=own)
    else:
        data = search(policy, text)
    role = data.get("role") or {}
    question_id = question_log.log_question(
        session,
        asker=asker,
        source=source,
        kind=kind,
        text=masked(policy, text),
        language=language,
        groups=groups,
        verdict=data.get("verdict"),
        rule_ids=[r.get("id") for r in data.get("rules") or [] if r.get("id")],
        role_id=role.get("id"),
        policy_version=policy.label,
        policy_number=policy.number,
        covered=bool(data.get("covered")),
        at=now,
        asked_in=asked_in,
    )
    return Answer(kind, question_id, policy, text, data)
