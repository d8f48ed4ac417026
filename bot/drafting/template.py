"""The drafting template: the sections and guiding questions of a drafting session.

The data lives in `policy_content/drafting_template.yml`; this module turns it into frozen
dataclasses and validates it once, on first load, so a typo in the YAML fails loudly at
start-up (and in the tests) instead of halfway through a working group's session.

The answer syntax of `rules` and `roles` questions is described to users in the questions'
hints; the constants below are the same syntax for the code that parses the answers, so
the two can be kept in step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from bot import yaml_safe
from bot.drafting.content_file import ContentReader, Localized, language
from bot.vocabulary import LANGUAGES, VERDICTS

#: The kinds of guiding question, and what an answer to each looks like:
#: text (free text), list (one item per line), choice (options), rules (one draft rule
#: per line), roles (one "topic → who" per line), library (a multi-select of standard rules).
QUESTION_KINDS = ("text", "list", "choice", "rules", "roles", "library")

#: `rules` answers: a line may start with one of these words and a colon, in either
#: language; the word sets the draft rule's verdict. Longest first, so "eerst vragen"
#: is tried before "vragen".
RULE_VERDICT_WORDS: Mapping[str, str] = {
    "eerst vragen": "review",
    "toegestaan": "allowed",
    "forbidden": "forbidden",
    "verboden": "forbidden",
    "allowed": "allowed",
    "review": "review",
    "vragen": "review",
    "nooit": "forbidden",
    "mag": "allowed",
}

#: `rules` answers: a line may end in "[keywords: a, b]" or "[trefwoorden: a, b]".
RULE_KEYWORD_MARKERS = ("keywords", "trefwoorden")
#: …and in "[example: a post it is about]" and "[not: a look-alike it is not about]" (each
#: as often as there are examples), and "[context: words that make a keyword count]".
RULE_EXAMPLE_MARKERS = ("example", "voorbeeld")
RULE_NOT_EXAMPLE_MARKERS = ("not", "niet", "look-alike", "lijkt op")
RULE_CONTEXT_MARKERS = ("context",)

#: What an accepted answer to a list question may fill besides the section text.
FILLS = {"decisions": "list", "review": "choice"}  # what a question fills, and its kind

#: `roles` answers: "topic → who"; these separate the topic from who handles it, tried in
#: this order (the arrows first, since a topic may itself contain a colon or a dash).
ROLE_SEPARATORS = ("→", "->", ":", " - ")

TEMPLATE_RESOURCE = "drafting_template.yml"

MIN_QUESTIONS = 3
MAX_QUESTIONS = 7
MIN_OPTIONS = 2
MAX_OPTIONS = 5

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class TemplateError(ValueError):
    """The template breaks its format; the message names the path of the bad value."""


@dataclass(frozen=True)
class ChoiceOption:
    """One option of a `choice` question: a button or an entry of a select."""

    id: str
    label: Localized


@dataclass(frozen=True)
class Question:
    """One guiding question of a section."""

    id: str
    kind: str
    prompt: Localized
    hint: Localized | None = None
    options: tuple[ChoiceOption, ...] = ()
    #: choice: several options may be picked; library: always true.
    multiple: bool = False
    #: rules: the verdict of an answer line that starts without a verdict word.
    default_verdict: str | None = None
    section_id: str = ""
    #: what an accepted answer also fills: a list's lines the cover's `decisions`; a choice
    #: the policy's `review` cycle (bot.living.review_cycle).
    fills: str | None = None

    def option(self, option_id: str) -> ChoiceOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"question {self.id!r} has no option {option_id!r}")


@dataclass(frozen=True)
class SectionTemplate:
    """A policy section with its title, introduction and guiding questions, in order."""

    id: str
    title: Localized
    intro: Localized
    questions: tuple[Question, ...]
    #: More words people may type for the section, by language (the id is one too).
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def names_in(self, lang: str | None) -> tuple[str, ...]:
        """The words for this section a reader of `lang` would type, the id first."""
        own = self.names.get(language(lang), ())
        return tuple(dict.fromkeys((self.id, *own)))

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every word for this section, in both languages, the id first."""
        return tuple(
            dict.fromkeys((self.id, *(n for lang in LANGUAGES for n in self.names.get(lang, ()))))
        )

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"section {self.id!r} has no question {question_id!r}")


@dataclass(frozen=True)
class DraftingTemplate:
    """All sections, in document order."""

    sections: tuple[SectionTemplate, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # An index for question(); the dataclass is frozen, hence object.__setattr__.
        index = {q.id: q for s in self.sections for q in s.questions}
        object.__setattr__(self, "_by_id", index)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def section(self, section_id: str) -> SectionTemplate:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"no section {section_id!r} in the drafting template")

    def question(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise KeyError(f"no question {question_id!r} in the drafting template") from None

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, section by section."""
        return tuple(self._by_id.values())


@cache
def load_template() -> DraftingTemplate:
    """The drafting template from the `policy_content` package, validated; read once."""
    text = resources.files("policy_content").joinpath(TEMPLATE_RESOURCE).read_text("utf-8")
    return parse_template(yaml_safe.load(text), source=TEMPLATE_RESOURCE)


# --- Parsing and validation ---------------------------------------------------------------


def parse_template(data: Any, source: str = TEMPLATE_RESOURCE) -> DraftingTemplate:
    """Build a template from parsed YAML; raise TemplateError naming the bad value's path."""
    return _Parser(source).template(data)


class _Parser(ContentReader):
    error = TemplateError

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.question_ids: set[str] = set()

    def ident(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(path, f"{value!r} is not an id (lower case, digits, _)")
        return value

    def template(self, data: Any) -> DraftingTemplate:
        data = self.mapping(data, "(top)", {"sections"})
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            raise self.fail("sections", "expected a non-empty list")
        seen: set[str] = set()
        named: dict[str, str] = {}
        parsed = []
        for i, raw in enumerate(sections):
            section = self.section(raw, f"sections[{i}]")
            if section.id in seen:
                raise self.fail(f"sections[{i}].id", f"{section.id!r} is not unique")
            seen.add(section.id)
            for name in section.all_names:
                # A word must name one section only, or `/policy draft WORD` would guess.
                if named.setdefault(name.casefold(), section.id) != section.id:
                    raise self.fail(
                        f"sections[{i}].names", f"{name!r} already names another section"
                    )
            parsed.append(section)
        return DraftingTemplate(tuple(parsed))

    def section(self, raw: Any, path: str) -> SectionTemplate:
        raw = self.mapping(raw, path, {"id", "names", "title", "intro", "questions"})
        section_id = self.ident(raw.get("id"), f"{path}.id")
        questions = raw.get("questions")
        if not isinstance(questions, list):
            raise self.fail(f"{path}.questions", "expected a list")
        if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
            raise self.fail(
                f"{path}.questions",
                f"{len(questions)} questions; a section has {MIN_QUESTIONS} to {MAX_QUESTIONS}",
            )
        return SectionTemplate(
            id=section_id,
            title=self.localized(raw.get("title"), f"{path}.title"),
            intro=self.localized(raw.get("intro"), f"{path}.intro"),
            questions=tuple(
                self.question(q, f"{path}.questions[{j}]", section_id)
                for j, q in enumerate(questions)
            ),
            names=self.names(raw.get("names"), f"{path}.names"),
        )

    def names(self, raw: Any, path: str) -> dict[str, tuple[str, ...]]:
        if raw is None:
            return {}
        raw = self.mapping(raw, path, set(LANGUAGES))
        names: dict[str, tuple[str, ...]] = {}
        for lang in LANGUAGES:
            words = raw.get(lang) or []
            if not isinstance(words, list) or not all(
                isinstance(w, str) and w.strip() and w == w.strip().lower() for w in words
            ):
                raise self.fail(f"{path}.{lang}", "expected a list of lower-case words")
            names[lang] = tuple(words)
        return names

    def question(self, raw: Any, path: str, section_id: str) -> Question:
        raw = self.mapping(
            raw,
            path,
            {"id", "kind", "prompt", "hint", "options", "multiple", "default_verdict", "fills"},
        )
        qid = raw.get("id")
        # "<section>.<name>" keeps ids unique across sections and readable in logs and
        # stored answers, and lets a stored answer find its section again.
        prefix, _, name = qid.partition(".") if isinstance(qid, str) else ("", "", "")
        if prefix != section_id or not _ID.match(name):
            raise self.fail(f"{path}.id", f"{qid!r} is not of the form '{section_id}.<name>'")
        if qid in self.question_ids:
            raise self.fail(f"{path}.id", f"{qid!r} is not unique")
        self.question_ids.add(qid)

        kind = raw.get("kind")
        if kind not in QUESTION_KINDS:
            raise self.fail(f"{path}.kind", f"{kind!r} is not one of {', '.join(QUESTION_KINDS)}")

        hint = self.localized(raw["hint"], f"{path}.hint") if "hint" in raw else None
        # The answer syntax of rules and roles questions is only explained in the hint.
        if kind in ("rules", "roles") and hint is None:
            raise self.fail(f"{path}.hint", f"a {kind} question must explain its syntax")

        options: tuple[ChoiceOption, ...] = ()
        if kind == "choice":
            options = self.options(raw.get("options"), f"{path}.options")
        elif "options" in raw:
            raise self.fail(f"{path}.options", f"only choice questions have options, not {kind}")

        multiple = raw.get("multiple", kind == "library")
        if not isinstance(multiple, bool):
            raise self.fail(f"{path}.multiple", f"{multiple!r} is not true or false")
        if "multiple" in raw and kind not in ("choice", "library"):
            raise self.fail(f"{path}.multiple", f"only choice questions take multiple, not {kind}")
        if kind == "library" and not multiple:
            raise self.fail(f"{path}.multiple", "a library question is always a multi-select")

        default_verdict = raw.get("default_verdict")
        if kind == "rules":
            if default_verdict not in VERDICTS:
                raise self.fail(
                    f"{path}.default_verdict",
                    f"{default_verdict!r} is not one of {', '.join(VERDICTS)}",
                )
        elif "default_verdict" in raw:
            raise self.fail(f"{path}.default_verdict", f"only rules questions have one, not {kind}")

        fills = raw.get("fills")
        if fills is not None and FILLS.get(fills) != kind:
            raise self.fail(f"{path}.fills", f"{fills!r}: a {kind} question fills none of {FILLS}")

        return Question(
            fills=fills,
            id=qid,
            kind=kind,
            prompt=self.localized(raw.get("prompt"), f"{path}.prompt"),
            hint=hint,
            options=options,
            multiple=multiple,
            default_verdict=default_verdict,
            section_id=section_id,
        )

    def options(self, raw: Any, path: str) -> tuple[ChoiceOption, ...]:
        # 2-5: fewer is no choice; more no longer fits a row of Slack buttons.
        if not isinstance(raw, list) or not MIN_OPTIONS <= len(raw) <= MAX_OPTIONS:
            raise self.fail(path, f"a choice question needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
        options: list[ChoiceOption] = []
        for k, item in enumerate(raw):
            item = self.mapping(item, f"{path}[{k}]", {"id", "label"})
            option_id = self.ident(item.get("id"), f"{path}[{k}].id")
            if any(o.id == option_id for o in options):
                raise self.fail(f"{path}[{k}].id", f"{option_id!r} is not unique")
            label = self.localized(item.get("label"), f"{path}[{k}].label")
            options.append(ChoiceOption(option_id, label))
        return tuple(options)
