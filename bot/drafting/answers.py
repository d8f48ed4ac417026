"""Reading an answer by the kind of question it answers: pure functions, no database.

The syntax is the one the questions' hints promise (`policy_content/drafting_template.yml`),
with the verdict words and separators that `bot.drafting.template` lists. Slack markup never
reaches this module: the Slack layer turns mentions into plain references first (`@U0123`
for a person, `@handle` for a user group, `#name` for a channel) and passes what a user-group
handle stands for in `contacts`, so the core stores contacts in the policybot/1 forms
(`@U0123`, `S0123`, `#channel`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.drafting.template import (
    ROLE_SEPARATORS,
    RULE_CONTEXT_MARKERS,
    RULE_EXAMPLE_MARKERS,
    RULE_KEYWORD_MARKERS,
    RULE_NOT_EXAMPLE_MARKERS,
    RULE_VERDICT_WORDS,
    Question,
)

ROLE_MARKERS = ("role", "rol")

# "- item", "* item", "• item", "1. item", "2) item": list bullets people type or paste.
_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,3}[.)])\s+")
_VERDICT = re.compile(
    r"^\s*("
    + "|".join(re.escape(w) for w in sorted(RULE_VERDICT_WORDS, key=len, reverse=True))
    + r")\s*:\s*",
    re.IGNORECASE,
)
_MARKERS = (
    RULE_KEYWORD_MARKERS
    + ROLE_MARKERS
    + RULE_EXAMPLE_MARKERS
    + RULE_NOT_EXAMPLE_MARKERS
    + RULE_CONTEXT_MARKERS
)
_MARKER = re.compile(
    r"\[\s*("
    + "|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True))
    + r")\s*:\s*([^\]]*)\]",
    re.IGNORECASE,
)
_USER_REF = re.compile(r"@([UW][A-Z0-9]{2,})\b")
_CHANNEL_REF = re.compile(r"#([\w][\w.-]*)", re.UNICODE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_USERGROUP_ID = re.compile(r"\b(S[A-Z0-9]{6,})\b")
# Words too general to tell one role from another when taken from a topic as keywords.
_GENERIC = {
    "a", "about", "all", "alle", "alles", "and", "de", "een", "en", "everything", "for",
    "het", "of", "on", "op", "or", "over", "question", "questions", "the", "van", "voor",
    "vraag", "vragen", "with",
}  # fmt: skip


@dataclass(frozen=True)
class RuleLine:
    """One line of a `rules` answer: a draft rule in the making."""

    verdict: str
    text: str
    keywords: tuple[str, ...] = ()
    role: str | None = None  # an explicit "[role: press]"
    examples: tuple[str, ...] = ()  # "[example: …]": a post the rule is about
    not_examples: tuple[str, ...] = ()  # "[not: …]": a look-alike it is not about
    context: tuple[str, ...] = ()  # "[context: …]": words that make a keyword count

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict,
            "text": self.text,
            "keywords": list(self.keywords),
            "role": self.role,
        }
        for key in ("examples", "not_examples", "context"):
            if getattr(self, key):  # left out when empty, as answers stored before had them
                data[key] = list(getattr(self, key))
        return data

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> RuleLine:
        return cls(
            str(data.get("verdict") or "review"),
            str(data.get("text") or ""),
            tuple(data.get("keywords") or ()),
            data.get("role") or None,
            tuple(data.get("examples") or ()),
            tuple(data.get("not_examples") or ()),
            tuple(data.get("context") or ()),
        )


@dataclass(frozen=True)
class RoleLine:
    """One line of a `roles` answer: "topic → who"."""

    topic: str
    who: str
    contact: str  # policybot/1 form, or "" when `who` names nobody the bot can reach
    keywords: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "who": self.who,
            "contact": self.contact,
            "keywords": list(self.keywords),
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> RoleLine:
        return cls(
            str(data.get("topic") or ""),
            str(data.get("who") or ""),
            str(data.get("contact") or ""),
            tuple(data.get("keywords") or ()),
        )


@dataclass(frozen=True)
class ParsedAnswer:
    """What an answer says, by kind; `structured()` is what a Contribution keeps of it."""

    kind: str
    items: tuple[str, ...] = ()  # list
    options: tuple[str, ...] = ()  # choice and library: the ids picked
    rules: tuple[RuleLine, ...] = ()
    roles: tuple[RoleLine, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def structured(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == "list":
            data["items"] = list(self.items)
        elif self.kind in ("choice", "library"):
            data["options"] = list(self.options)
        elif self.kind == "rules":
            data["rules"] = [r.to_dict() for r in self.rules]
        elif self.kind == "roles":
            data["roles"] = [r.to_dict() for r in self.roles]
        return data | self.extra

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ParsedAnswer:
        """The answer as `structured()` stored it: what a contribution proposes."""
        return cls(
            str(data.get("kind") or "text"),
            items=tuple(data.get("items") or ()),
            options=tuple(data.get("options") or ()),
            rules=tuple(RuleLine.of(r) for r in data.get("rules") or ()),
            roles=tuple(RoleLine.of(r) for r in data.get("roles") or ()),
        )


def parse_answer(
    question: Question, text: str, contacts: Mapping[str, str] | None = None
) -> ParsedAnswer:
    """A typed reply to `question`. Choice and library questions are answered by picking,
    so a typed reply to them is kept as text (and, for choice, any option named in it)."""
    if question.kind == "list":
        return ParsedAnswer("list", items=tuple(parse_list(text)))
    if question.kind == "rules":
        return ParsedAnswer(
            "rules", rules=tuple(parse_rules(text, question.default_verdict or "review"))
        )
    if question.kind == "roles":
        return ParsedAnswer("roles", roles=tuple(parse_roles(text, contacts or {})))
    if question.kind == "choice":
        return ParsedAnswer("choice", options=tuple(options_named(question, text)))
    return ParsedAnswer("text")


def parse_list(text: str) -> list[str]:
    """One item per line; bullets and empty lines dropped."""
    return [item for item in (_BULLET.sub("", line).strip() for line in text.splitlines()) if item]


def parse_rules(text: str, default_verdict: str) -> list[RuleLine]:
    """Every line that says something becomes a rule."""
    rules = []
    for line in parse_list(text):
        rule = parse_rule_line(line, default_verdict)
        if rule is not None:
            rules.append(rule)
    return rules


def parse_rule_line(line: str, default_verdict: str) -> RuleLine | None:
    """`verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]` and the like."""
    verdict = default_verdict
    found = _VERDICT.match(line)
    if found:
        verdict = RULE_VERDICT_WORDS[_casefold_key(found.group(1))]
        line = line[found.end() :]
    keywords: list[str] = []
    role: str | None = None
    examples: list[str] = []
    not_examples: list[str] = []
    context: list[str] = []
    for marker in _MARKER.finditer(line):
        name, values = marker.group(1).lower(), marker.group(2)
        if name in ROLE_MARKERS:
            role = values.strip().lower() or None
        elif name in RULE_EXAMPLE_MARKERS:
            examples.extend(_sentences(values))
        elif name in RULE_NOT_EXAMPLE_MARKERS:
            not_examples.extend(_sentences(values))
        elif name in RULE_CONTEXT_MARKERS:
            context.extend(_split_words(values))
        else:
            keywords.extend(_split_words(values))
    text = _tidy(_MARKER.sub("", line))
    if not text:
        return None
    return RuleLine(
        verdict,
        text,
        tuple(_unique(keywords)),
        role,
        tuple(_unique(examples)),
        tuple(_unique(not_examples)),
        tuple(_unique(context)),
    )


def parse_roles(text: str, contacts: Mapping[str, str]) -> list[RoleLine]:
    """Every "topic → who" line becomes a role; lines without both halves are left alone."""
    roles = []
    for line in parse_list(text):
        role = parse_role_line(line, contacts)
        if role is not None:
            roles.append(role)
    return roles


def parse_role_line(line: str, contacts: Mapping[str, str]) -> RoleLine | None:
    keywords: list[str] = []
    for marker in _MARKER.finditer(line):
        if marker.group(1).lower() in RULE_KEYWORD_MARKERS:
            keywords.extend(_split_words(marker.group(2)))
    line = _MARKER.sub("", line)
    for separator in ROLE_SEPARATORS:
        if separator in line:
            topic, _, who = line.partition(separator)
            break
    else:
        return None
    topic, who = _tidy(topic), _tidy(who)
    if not topic or not who:
        return None
    if not keywords:
        keywords = topic_keywords(topic)
    return RoleLine(topic, who, contact_in(who, contacts), tuple(_unique(keywords)))


def contact_in(who: str, contacts: Mapping[str, str]) -> str:
    """The first reachable contact named in `who`, in policybot/1 form; "" when none."""
    # A user group's handle looks like a plain "@word": the Slack layer tells us which are.
    for shown in sorted(contacts, key=len, reverse=True):
        if shown and shown in who:
            return contacts[shown]
    if found := _EMAIL.search(who):
        return found.group(0)
    if found := _USER_REF.search(who):
        return "@" + found.group(1)
    if found := _USERGROUP_ID.search(who):
        return found.group(1)
    if found := _CHANNEL_REF.search(who):
        return "#" + found.group(1)
    return ""


def options_named(question: Question, text: str) -> list[str]:
    """Options of a choice question that a typed reply names, one per line, by its label (in
    either language) or id; a sentence that merely contains an option's word names none."""
    lines = {_fold(line).strip(" .!") for line in parse_list(text)}
    return [
        option.id
        for option in question.options
        if lines & {_fold(option.id), _fold(option.label.nl), _fold(option.label.en)}
    ]


def topic_keywords(topic: str) -> list[str]:
    """Phrases of a topic that can signal a question for its role: "Press questions and
    spokesperson" → press questions, spokesperson. Generic words alone are dropped."""
    phrases = re.split(r"\s*(?:[,;/&()]|\band\b|\ben\b|\bor\b|\bof\b)\s*", topic, flags=re.I)
    result = []
    for phrase in phrases:
        phrase = phrase.strip(" .-").lower()
        if not phrase or len(phrase.split()) > 4:
            continue
        if all(word in _GENERIC for word in phrase.split()):
            continue
        result.append(phrase)
    return _unique(result)


def slug(text: str, limit: int = 40) -> str:
    """A short id from free text: "Persvragen en woordvoering" → persvragen-en-woordvoering."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "role"


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def _casefold_key(word: str) -> str:
    wanted = " ".join(word.split()).casefold()
    for key in RULE_VERDICT_WORDS:
        if key.casefold() == wanted:
            return key
    raise KeyError(word)  # unreachable: the pattern only matches listed words


def _sentences(values: str) -> list[str]:
    """Examples are whole posts, commas and all: several in one marker are split by `;` or `|`."""
    return [_tidy(v).strip("\"'“”") for v in re.split(r"[;|]", values) if _tidy(v).strip("\"'“”")]


def _split_words(values: str) -> list[str]:
    return [w.strip().strip("\"'") for w in re.split(r"[,;]", values) if w.strip().strip("\"'")]


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" -–—:")


def _unique(words: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for word in words:
        if word.casefold() not in seen:
            seen.add(word.casefold())
            result.append(word)
    return result
