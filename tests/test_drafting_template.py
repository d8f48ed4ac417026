"""The drafting template: its structure, its languages, and the step plan it comes from."""

from __future__ import annotations

import copy
import re
import unicodedata
from importlib import resources
from typing import Any

import pytest
import yaml

from bot.drafting.answers import parse_rule_line
from bot.drafting.content_file import Localized
from bot.drafting.template import (
    QUESTION_KINDS,
    RULE_KEYWORD_MARKERS,
    RULE_VERDICT_WORDS,
    DraftingTemplate,
    Question,
    SectionTemplate,
    TemplateError,
    load_template,
    parse_template,
)
from bot.policy.model import STANDARD_SECTION_IDS as SECTION_IDS
from bot.vocabulary import VERDICTS


@pytest.fixture(scope="module")
def template() -> DraftingTemplate:
    return load_template()


@pytest.fixture()
def raw() -> dict[str, Any]:
    """The template file as parsed YAML, for tests that break it on purpose."""
    text = resources.files("policy_content").joinpath("drafting_template.yml").read_text("utf-8")
    return copy.deepcopy(yaml.safe_load(text))


def fold(text: str) -> str:
    """Lower case without accents, so assertions don't depend on é or capitals."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def section_text(section: SectionTemplate, lang: str) -> str:
    """Everything the bot can say in a section, in one language, folded."""
    parts = [section.title.get(lang), section.intro.get(lang)]
    for q in section.questions:
        parts.append(q.prompt.get(lang))
        if q.hint:
            parts.append(q.hint.get(lang))
        parts.extend(o.label.get(lang) for o in q.options)
    return fold("\n".join(parts))


def question_text(question: Question, lang: str) -> str:
    parts = [question.prompt.get(lang)]
    if question.hint:
        parts.append(question.hint.get(lang))
    parts.extend(o.label.get(lang) for o in question.options)
    return fold("\n".join(parts))


# --- Structure ------------------------------------------------------------------------------


def test_the_eight_sections_in_document_order(template: DraftingTemplate) -> None:
    assert template.section_ids == SECTION_IDS
    assert SECTION_IDS == (
        "cover",
        "ownership",
        "purpose",
        "identity",
        "employees",
        "communications",
        "practice",
        "adoption",
    )


def test_three_to_seven_questions_per_section(template: DraftingTemplate) -> None:
    for section in template.sections:
        assert 3 <= len(section.questions) <= 7, section.id


def test_question_ids_are_unique_and_name_their_section(template: DraftingTemplate) -> None:
    ids = [q.id for q in template.questions]
    assert len(ids) == len(set(ids))
    for section in template.sections:
        for q in section.questions:
            assert q.section_id == section.id
            assert q.id.startswith(section.id + ".")


def test_every_text_is_in_dutch_and_english(template: DraftingTemplate) -> None:
    texts: list[Localized] = []
    for section in template.sections:
        texts += [section.title, section.intro]
        for q in section.questions:
            texts.append(q.prompt)
            texts += [q.hint] if q.hint else []
            texts += [o.label for o in q.options]
    for text in texts:
        assert text.nl.strip() and text.en.strip()
    # Longer texts are translated, not copied: a copy means a forgotten translation.
    for text in texts:
        if len(text.en) > 20:
            assert text.nl != text.en, text.en


def test_every_kind_is_used_and_known(template: DraftingTemplate) -> None:
    kinds = [q.kind for q in template.questions]
    assert set(kinds) == set(QUESTION_KINDS)
    assert QUESTION_KINDS == ("text", "list", "choice", "rules", "roles", "library")


def test_one_library_question_in_the_employees_section(template: DraftingTemplate) -> None:
    library = [q for q in template.questions if q.kind == "library"]
    assert [q.id for q in library] == ["employees.library"]
    assert library[0].multiple is True
    assert library[0].options == ()


def test_rules_and_roles_sit_where_they_fit(template: DraftingTemplate) -> None:
    rules = {q.section_id for q in template.questions if q.kind == "rules"}
    roles = {q.section_id for q in template.questions if q.kind == "roles"}
    assert rules == {"employees", "practice"}
    assert roles == {"communications"}


def test_choice_questions_have_two_to_five_distinct_options(template: DraftingTemplate) -> None:
    for q in template.questions:
        if q.kind == "choice":
            assert 2 <= len(q.options) <= 5, q.id
            assert len({o.id for o in q.options}) == len(q.options), q.id
        else:
            assert q.options == (), q.id


def test_only_rules_questions_have_a_default_verdict(template: DraftingTemplate) -> None:
    for q in template.questions:
        if q.kind == "rules":
            assert q.default_verdict in VERDICTS
        else:
            assert q.default_verdict is None, q.id


# --- The answer syntax the hints promise -------------------------------------------------------


def test_rules_hints_teach_the_verdict_words_the_parser_knows(template: DraftingTemplate) -> None:
    verdict_word = re.compile(
        r"^(" + "|".join(sorted(RULE_VERDICT_WORDS, key=len, reverse=True)) + r"):\s*(.+)$",
        re.IGNORECASE,
    )
    marker = re.compile(r"\[(" + "|".join(RULE_KEYWORD_MARKERS) + r"):[^\]]+\]")
    for q in (q for q in template.questions if q.kind == "rules"):
        assert q.hint is not None
        for lang, words, default_word in (
            ("nl", ("verboden:", "eerst vragen:", "toegestaan:"), "trefwoorden"),
            ("en", ("forbidden:", "review:", "allowed:"), "keywords"),
        ):
            hint = q.hint.get(lang)
            for word in words:
                assert f'"{word}"' in hint, (q.id, lang, word)
            # The example lines parse as the hint says: a verdict word, then the rule,
            # then keywords in square brackets; all three verdicts are shown.
            examples = [line for line in hint.splitlines()[1:] if line.strip()]
            verdicts = set()
            for line in examples:
                match = verdict_word.match(line)
                assert match, (q.id, lang, line)
                verdicts.add(RULE_VERDICT_WORDS[match.group(1).lower()])
                assert marker.search(line), (q.id, lang, line)
                assert f"[{default_word}:" in line
                parsed = parse_rule_line(line, "review")
                assert parsed is not None and parsed.keywords, (q.id, lang, line)
                assert "[" not in parsed.text, (q.id, lang, line)  # every marker understood
            assert verdicts == set(VERDICTS), (q.id, lang)
            # The hint shows how to give an example (and a look-alike) of a rule.
            assert any(parse_rule_line(line, "review").examples for line in examples), q.id
        # The hint names the default verdict in both languages.
        default_words = {"forbidden": "verboden", "review": "eerst vragen", "allowed": "toegestaan"}
        assert f'wordt het "{default_words[q.default_verdict]}"' in q.hint.nl
        assert f'becomes "{q.default_verdict}"' in q.hint.en


def test_verdict_words_cover_both_languages() -> None:
    assert set(RULE_VERDICT_WORDS.values()) == set(VERDICTS)
    for word in ("forbidden", "verboden", "nooit", "review", "vragen", "eerst vragen"):
        assert word in RULE_VERDICT_WORDS
    for word in ("allowed", "toegestaan", "mag"):
        assert RULE_VERDICT_WORDS[word] == "allowed"
    # Longest first, so a parser that tries them in order sees "eerst vragen" before "vragen".
    words = list(RULE_VERDICT_WORDS)
    assert words.index("eerst vragen") < words.index("vragen")


def test_roles_hint_explains_separators_and_mentions(template: DraftingTemplate) -> None:
    q = template.question("communications.roles")
    assert q.kind == "roles" and q.hint is not None
    for lang in ("nl", "en"):
        hint = q.hint.get(lang)
        for separator in ('"->"', '":"', '" - "', "→"):
            assert separator in hint, (lang, separator)
        assert "@" in hint and "#" in hint
    assert "aanspreekpunt" in q.hint.nl
    assert "contact" in q.hint.en


# --- The step plan's content --------------------------------------------------------------------


def test_cover_asks_for_decisions_and_approval(template: DraftingTemplate) -> None:
    nl = section_text(template.section("cover"), "nl")
    en = section_text(template.section("cover"), "en")
    assert "besluiten" in nl and "akkoord" in nl
    assert "decisions" in en and "approv" in en


def test_ownership_names_the_adviser_lobbyist_and_working_group(
    template: DraftingTemplate,
) -> None:
    nl = section_text(template.section("ownership"), "nl")
    en = section_text(template.section("ownership"), "en")
    assert "communicatieadviseur" in nl and "lobbyist" in nl and "werkgroep" in nl
    assert "communications adviser" in en and "lobbyist" in en and "working group" in en
    # Readers' comments: staff already active privately lead the roll-out; editorial staff.
    assert "prive al actief" in fold(template.question("ownership.working_group").hint.nl)
    editorial = question_text(template.question("ownership.editorial"), "en")
    assert "journalists" in editorial and "other staff" in editorial


def test_purpose_is_guidance_not_restriction(template: DraftingTemplate) -> None:
    nl = section_text(template.section("purpose"), "nl")
    en = section_text(template.section("purpose"), "en")
    assert "houvast" in nl and "geen regels om te beperken" in nl
    assert "not rules that restrict" in en


def test_identity_asks_the_four_axes_and_the_online_translation(
    template: DraftingTemplate,
) -> None:
    identity = template.section("identity")
    choices = [q for q in identity.questions if q.kind == "choice"]
    assert len(choices) == 4
    nl = section_text(identity, "nl")
    en = section_text(identity, "en")
    for a, b in (
        ("zendend", "interacterend"),
        ("leidend", "volgend"),
        ("actief", "reactief"),
        ("transparant", "gesloten"),
    ):
        assert any(a in fold(q.prompt.nl) and b in fold(q.prompt.nl) for q in choices), a
    for a, b in (
        ("broadcasting", "interacting"),
        ("leading", "following"),
        ("active", "reactive"),
        ("open", "closed"),
    ):
        assert any(a in fold(q.prompt.en) and b in fold(q.prompt.en) for q in choices), a
    assert "transparent" in en
    for word in ("missie", "visie", "motto", "online vertaling"):
        assert word in nl
    for word in ("mission", "vision", "motto", "translate online"):
        assert word in en


def test_employees_expectations_training_and_handover(template: DraftingTemplate) -> None:
    employees = template.section("employees")
    nl = section_text(employees, "nl")
    en = section_text(employees, "en")
    for word in ("volgen", "posten", "alert", "monitoringdashboard", "linkedin-groepen"):
        assert word in nl, word
    for word in ("aspiratieniveau", "training", "tools", "zo specifiek mogelijk"):
        assert word in nl, word
    for word in ("follow", "post", "alert", "monitoring dashboard", "linkedin groups"):
        assert word in en, word
    for word in ("aspiration", "training", "tools", "as specific as possible"):
        assert word in en, word
    handover = question_text(template.question("employees.handover"), "nl")
    assert "communicatie" in handover and "crisis" in handover and "journalist" in handover
    # Readers' comment: social media fall under the normal rules of conduct.
    assert "normale omgangsvormen" in question_text(template.question("employees.conduct"), "nl")
    assert "normal rules of conduct" in question_text(template.question("employees.conduct"), "en")


def test_communications_covers_the_department_roles(template: DraftingTemplate) -> None:
    communications = template.section("communications")
    nl = section_text(communications, "nl")
    en = section_text(communications, "en")
    for word in ("woordvoering 2.0", "knipselkrant", "monitor", "accounts", "webcare"):
        assert word in nl, word
    for word in ("crisis", "techniek", "scholing", "management"):
        assert word in nl, word
    for word in ("spokesperson 2.0", "press clippings", "monitoring", "accounts", "webcare"):
        assert word in en, word
    for word in ("crisis", "technology", "training", "management"):
        assert word in en, word


def test_practice_lists_todays_platforms_and_the_protocols(template: DraftingTemplate) -> None:
    practice = template.section("practice")
    platforms = question_text(template.question("practice.platforms"), "nl")
    for platform in ("linkedin", "instagram", "facebook", "tiktok", "youtube", "x,", "whatsapp"):
        assert platform in platforms, platform
    assert "bluesky" in platforms and "mastodon" in platforms
    for lang in ("nl", "en"):
        text = section_text(practice, lang)
        assert "webcare" in text and "crisis" in text and "monitor" in text
    nl = section_text(practice, "nl")
    en = section_text(practice, "en")
    assert "doelen" in nl and "doelgroep" in nl and "platforms" in nl and "protocollen" in nl
    assert "goals" in en and "audiences" in en and "platforms" in en and "protocols" in en
    # Readers' comments: business goals beyond press-release posts; accounts not owned.
    assert "persbericht" in question_text(template.question("practice.goals"), "nl")
    unowned = question_text(template.question("practice.unowned_accounts"), "nl")
    assert "domeinnaam" in unowned and "nepaccounts" in unowned


def test_hyves_is_gone(template: DraftingTemplate) -> None:
    for section in template.sections:
        for lang in ("nl", "en"):
            assert "hyves" not in section_text(section, lang)


def test_adoption_covers_support_decision_lines_people_means_frameworks(
    template: DraftingTemplate,
) -> None:
    adoption = template.section("adoption")
    nl = section_text(adoption, "nl")
    en = section_text(adoption, "en")
    for word in ("officieel", "enthousiast", "beslislijnen", "drie managementlagen", "tweet"):
        assert word in nl, word
    for word in ("mensen", "middelen", "kaders", "ict", "scholing", "bereidheid tot verandering"):
        assert word in nl, word
    for word in ("formally adopt", "enthusiastic", "three layers of management", "tweet"):
        assert word in en, word
    for word in ("people", "means", "frameworks", "it conditions", "willingness to change"):
        assert word in en, word


# --- Loader API -----------------------------------------------------------------------------------


def test_lookups(template: DraftingTemplate) -> None:
    assert template.section("identity").title.get("en") == "Our online identity"
    q = template.question("identity.interaction")
    assert q.kind == "choice" and q.section_id == "identity" and q.multiple is False
    assert q.option("interacting").label.get("nl").startswith("Interacterend")
    with pytest.raises(KeyError):
        template.section("nope")
    with pytest.raises(KeyError):
        template.question("identity.nope")
    with pytest.raises(KeyError):
        q.option("nope")


def test_localized_get_handles_slack_locales() -> None:
    text = Localized(nl="Hallo", en="Hello")
    assert text.get("nl") == "Hallo"
    assert text.get("nl-NL") == "Hallo"
    assert text.get("nl_BE") == "Hallo"
    assert text.get("en") == "Hello"
    assert text.get("en-GB") == "Hello"
    assert text.get("de-DE") == "Hello"
    assert text.get(None) == "Hello"


def test_load_template_is_cached() -> None:
    assert load_template() is load_template()


def test_the_yaml_file_parses_to_the_same_template(raw: dict[str, Any]) -> None:
    assert parse_template(raw) == load_template()


# --- Validation -----------------------------------------------------------------------------------


def broken(raw: dict[str, Any], change: Any) -> str:
    change(raw)
    with pytest.raises(TemplateError) as info:
        parse_template(raw)
    return str(info.value)


def test_missing_translation_names_the_path(raw: dict[str, Any]) -> None:
    message = broken(raw, lambda r: r["sections"][3]["questions"][1]["prompt"].pop("en"))
    assert message == (
        "drafting_template.yml: sections[3].questions[1].prompt.en: missing or empty text"
    )


def test_too_few_and_too_many_questions(raw: dict[str, Any]) -> None:
    few = copy.deepcopy(raw)
    message = broken(
        few, lambda r: r["sections"][0].update(questions=r["sections"][0]["questions"][:2])
    )
    assert "sections[0].questions: 2 questions" in message
    many = copy.deepcopy(raw)
    extra = copy.deepcopy(many["sections"][4]["questions"][0])

    def add(r: dict[str, Any]) -> None:
        extra["id"] = "employees.extra"
        r["sections"][4]["questions"].append(extra)

    assert "sections[4].questions: 8 questions" in broken(many, add)


def test_duplicate_question_id(raw: dict[str, Any]) -> None:
    def dup(r: dict[str, Any]) -> None:
        r["sections"][1]["questions"][1]["id"] = r["sections"][1]["questions"][0]["id"]

    assert "sections[1].questions[1].id: 'ownership.author' is not unique" in broken(raw, dup)


def test_question_id_must_name_its_section(raw: dict[str, Any]) -> None:
    def move(r: dict[str, Any]) -> None:
        r["sections"][1]["questions"][0]["id"] = "cover.author"

    assert "sections[1].questions[0].id" in broken(raw, move)


def test_unknown_kind(raw: dict[str, Any]) -> None:
    def change(r: dict[str, Any]) -> None:
        r["sections"][2]["questions"][0]["kind"] = "essay"

    assert "sections[2].questions[0].kind: 'essay' is not one of" in broken(raw, change)


def test_choice_needs_options(raw: dict[str, Any]) -> None:
    def change(r: dict[str, Any]) -> None:
        r["sections"][3]["questions"][1]["options"] = r["sections"][3]["questions"][1]["options"][
            :1
        ]

    assert "sections[3].questions[1].options: a choice question needs 2 to 5" in broken(raw, change)


def test_rules_question_needs_a_default_verdict(raw: dict[str, Any]) -> None:
    def change(r: dict[str, Any]) -> None:
        r["sections"][4]["questions"][5]["default_verdict"] = "maybe"

    message = broken(raw, change)
    assert "sections[4].questions[5].default_verdict: 'maybe' is not one of" in message


def test_unknown_key_is_a_typo(raw: dict[str, Any]) -> None:
    def change(r: dict[str, Any]) -> None:
        r["sections"][0]["questions"][0]["hnit"] = r["sections"][0]["questions"][0].pop("hint")

    assert "sections[0].questions[0].hnit: unknown key" in broken(raw, change)


def test_options_only_on_choice(raw: dict[str, Any]) -> None:
    def change(r: dict[str, Any]) -> None:
        r["sections"][0]["questions"][0]["options"] = r["sections"][0]["questions"][2]["options"]

    assert "sections[0].questions[0].options: only choice questions" in broken(raw, change)
