"""What the bot puts into button values, select block ids and modals' `private_metadata`, and
reads back when Slack returns them.

Each kind of value is a small frozen dataclass with a `kind` tag; `encode()` writes compact
JSON (`{"k":"rule","rule":12,"section":"practice","page":0}`) and `decode()` reads it back,
checking the tag and the type of every field. Anything else (a value from an older version of
the bot, or one a person made up) raises `PayloadError`, which the error handler answers with
the usual clear refusal. The fields mean one thing each, wherever they appear: `section` is
always a section id, `channel` always a channel id.
"""

from __future__ import annotations

import json
import types
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Self, Union, get_args, get_origin, get_type_hints


class PayloadError(ValueError):
    """A value Slack returned that the bot did not make, or no longer understands."""


@dataclass(frozen=True)
class Payload:
    kind: ClassVar[str]

    def encode(self) -> str:
        # Every field is a number, a string or a flag: read as they are (`asdict` copies each
        # value deeply, which cost more than the JSON: about 1 % of a DM answer's CPU).
        data: dict[str, Any] = {"k": self.kind}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                data[field.name] = value
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def decode(cls, raw: str | None) -> Self:
        try:
            data = json.loads(raw or "")
        except ValueError:
            raise PayloadError(f"not a {cls.kind} value: {raw!r:.80}") from None
        if not isinstance(data, dict) or data.pop("k", None) != cls.kind:
            raise PayloadError(f"not a {cls.kind} value: {raw!r:.80}")
        hints = _hints(cls)
        unknown = set(data) - set(hints)
        if unknown:
            raise PayloadError(f"{cls.kind}: unknown fields {sorted(unknown)}")
        for field in fields(cls):
            if field.name not in data:
                if field.default is MISSING:
                    raise PayloadError(f"{cls.kind}: {field.name} is missing")
                continue
            if not _is_a(data[field.name], hints[field.name]):
                raise PayloadError(f"{cls.kind}: {field.name} is {data[field.name]!r:.40}")
        return cls(**data)


_HINTS: dict[type[Payload], dict[str, Any]] = {}


def _hints(cls: type[Payload]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = {k: v for k, v in get_type_hints(cls).items() if k != "kind"}
    return _HINTS[cls]


def _is_a(value: Any, hint: Any) -> bool:
    if get_origin(hint) in (Union, types.UnionType):
        return any(_is_a(value, option) for option in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


# -- asking -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AskRole(Payload):
    """ "Ask ROLE" under an answer: pass question `question` on. The role it goes to, and
    where it was asked (in a DM, the thread the conversation continues in), are what the
    question's record says, never the button's. `role`, `channel` and `ts` are what buttons
    of earlier versions carried: a `role` other than the recorded one is refused as forged;
    the others are not used."""

    kind: ClassVar[str] = "ask"
    question: int
    role: str | None = None
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class EscalationRef(Payload):
    """Escalation `escalation` (its *Mark answered* button on the post to the role)."""

    kind: ClassVar[str] = "escalation"
    escalation: int


@dataclass(frozen=True)
class GapSection(Payload):
    """A gap's button in `/policy gaps`: start drafting section `section`."""

    kind: ClassVar[str] = "gap"
    section: str


# -- drafting ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StartSection(Payload):
    """Start (or resume) drafting section `section`: its button, and the modal that asks
    where when the button has no channel (the Home tab)."""

    kind: ClassVar[str] = "start"
    section: str


@dataclass(frozen=True)
class NewRound(Payload):
    """Start a new round of section `section` here, closing its open session `session`."""

    kind: ClassVar[str] = "round"
    section: str
    session: int


@dataclass(frozen=True)
class QuestionRef(Payload):
    """Question `index` of drafting session `session`: the navigation buttons, and the block
    id of a question's select."""

    kind: ClassVar[str] = "q"
    session: int
    index: int


@dataclass(frozen=True)
class OptionPick(Payload):
    """A choice question's option button: `option` on question `index` of `session`."""

    kind: ClassVar[str] = "pick"
    session: int
    index: int
    option: str


# -- reviewing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewPage(Payload):
    """Page `page` of section `section`'s review (and what is done to the section itself)."""

    kind: ClassVar[str] = "page"
    section: str
    page: int = 0


@dataclass(frozen=True)
class ContributionRef(Payload):
    """Contribution `contribution`, on page `page` of section `section`'s review."""

    kind: ClassVar[str] = "contribution"
    contribution: int
    section: str
    page: int = 0


@dataclass(frozen=True)
class Decide(Payload):
    """Decide `decision` (accepted, rejected, pending) on contribution `contribution`, on page
    `page` of section `section`'s review; `note` asks for the lead's comment first."""

    kind: ClassVar[str] = "decide"
    contribution: int
    decision: str
    section: str
    page: int = 0
    note: bool = False


@dataclass(frozen=True)
class QuestionAccept(Payload):
    """Accept every waiting answer to question `question` (page `page` of `section`)."""

    kind: ClassVar[str] = "accept_all"
    section: str
    question: str
    page: int = 0


@dataclass(frozen=True)
class ProposedRule(Payload):
    """Rule `line` that contribution `contribution` proposes: accept it edited into the draft."""

    kind: ClassVar[str] = "proposed"
    contribution: int
    line: int
    section: str
    page: int = 0


@dataclass(frozen=True)
class RuleRef(Payload):
    """Draft rule `rule` (None: a new one) on page `page` of section `section`'s review."""

    kind: ClassVar[str] = "rule"
    section: str
    rule: int | None = None
    page: int = 0


@dataclass(frozen=True)
class RoleRef(Payload):
    """Draft role `role` (None: a new one) on page `page` of section `section`'s review."""

    kind: ClassVar[str] = "role"
    section: str
    role: int | None = None
    page: int = 0


@dataclass(frozen=True)
class GroupRef(Payload):
    """Draft group `group` (None: a new one) in `/policy groups`."""

    kind: ClassVar[str] = "group"
    group: int | None = None


@dataclass(frozen=True)
class VersionRef(Payload):
    """Adopted version `number` (to adopt again)."""

    kind: ClassVar[str] = "version"
    number: int


# -- living by the policy -------------------------------------------------------------------
@dataclass(frozen=True)
class AckRef(Payload):
    """*I have read it* under a request to acknowledge version `version`; who pressed it is
    who acknowledges (the request is theirs, or there is none)."""

    kind: ClassVar[str] = "ack"
    version: int


@dataclass(frozen=True)
class AckForm(Payload):
    """The modal that asks an audience to acknowledge adopted version `version`."""

    kind: ClassVar[str] = "ack_form"
    version: int


@dataclass(frozen=True)
class SignoffRef(Payload):
    """Management's sign-off request `request` (approve, decline, withdraw)."""

    kind: ClassVar[str] = "signoff"
    request: int


# -- modals: what a submission needs, and where to confirm it ----------------------------------
@dataclass(frozen=True)
class Form(Payload):
    """Where the button that opened a modal was: its message's `reply_url` (a response_url),
    else the `channel` (for an ephemeral), so the modal's outcome is told there."""

    kind: ClassVar[str] = "form"
    reply_url: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class TextForm(Form):
    kind: ClassVar[str] = "text_form"
    section: str = ""


@dataclass(frozen=True)
class RuleForm(Form):
    """A rule's modal: rule `rule` (None: a new one), or line `line` of what contribution
    `contribution` proposes, to be accepted as the lead edits it."""

    kind: ClassVar[str] = "rule_form"
    rule: int | None = None
    contribution: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class DecisionForm(Form):
    """The lead's comment on a decision about contribution `contribution` (page `page` of
    section `section`'s review, where the page is shown again)."""

    kind: ClassVar[str] = "decision_form"
    contribution: int = 0
    decision: str = ""
    section: str = ""
    page: int = 0


@dataclass(frozen=True)
class DecisionsForm(Form):
    """The cover's decisions, edited on the review page of section `section`."""

    kind: ClassVar[str] = "decisions_form"
    section: str = ""
    page: int = 0


@dataclass(frozen=True)
class RoleForm(Form):
    kind: ClassVar[str] = "role_form"
    role: int | None = None
    section: str | None = None  # a new role belongs to the section it was added on


@dataclass(frozen=True)
class GroupForm(Form):
    kind: ClassVar[str] = "group_form"
    group: int | None = None


@dataclass(frozen=True)
class SettingsForm(Form):
    kind: ClassVar[str] = "settings_form"


@dataclass(frozen=True)
class AdoptForm(Form):
    """Adopting the draft as it was shown (`fingerprint`), or earlier version `readopt`."""

    kind: ClassVar[str] = "adopt_form"
    fingerprint: str | None = None
    readopt: int | None = None
    confirmed: bool = False  # step 1: the lead ticked "adopt what is not ready all the same"
