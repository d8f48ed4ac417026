"""The standard rule library and the standard roles: coverage, soundness, and dict shapes."""

from __future__ import annotations

import copy
import re
import unicodedata
from importlib import resources
from typing import Any

import pytest
import yaml

from bot.drafting.rule_library import (
    LIBRARY_SECTION,
    LibraryError,
    LibraryRule,
    StandardRole,
    library_rule,
    load_rule_library,
    load_standard_roles,
    parse_rule_library,
    parse_standard_roles,
    standard_role,
)
from bot.drafting.template import load_template
from bot.policy.model import DETECTORS
from bot.vocabulary import VERDICTS


@pytest.fixture(scope="module")
def rules() -> list[LibraryRule]:
    return load_rule_library()


@pytest.fixture(scope="module")
def roles() -> list[StandardRole]:
    return load_standard_roles()


def raw_file(name: str) -> dict[str, Any]:
    text = resources.files("policy_content").joinpath(name).read_text("utf-8")
    return copy.deepcopy(yaml.safe_load(text))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def all_keywords(rule: LibraryRule) -> list[str]:
    return [fold(k) for k in (*rule.keywords.nl, *rule.keywords.en)]


# --- Coverage -------------------------------------------------------------------------------


# topic → (rule id, verdict, role, a keyword it must carry)
REQUIRED = {
    "confidential information": ("std-confidential", "forbidden", "integrity", "vertrouwelijk"),
    "non-public financial figures": ("std-financial", "forbidden", "comms", "kwartaalcijfers"),
    "personal data": ("std-personal-data", "forbidden", "privacy", "persoonsgegevens"),
    "patients": ("std-patients", "review", "privacy", "patient"),
    "clients": ("std-clients", "review", "comms", "new client"),
    "legal matters": ("std-legal", "review", "legal", "rechtszaak"),
    "crises": ("std-crisis", "forbidden", "crisis", "crisis"),
    "press questions": ("std-press", "review", "press", "journalist"),
    "complaints": ("std-complaints", "review", "webcare", "klacht"),
    "unofficial accounts and impersonation": ("std-accounts", "review", "comms", "impersonation"),
    "political statements": ("std-political", "review", "integrity", "politiek"),
    "copyright": ("std-copyright", "review", "comms", "auteursrecht"),
    "passwords": ("std-credentials", "forbidden", "security", "wachtwoord"),
    "harassment": ("std-harassment", "review", "integrity", "intimidatie"),
}


@pytest.mark.parametrize("topic", sorted(REQUIRED))
def test_required_topic_is_covered_sensibly(topic: str) -> None:
    rule_id, verdict, role, keyword = REQUIRED[topic]
    rule = library_rule(rule_id)
    assert rule.verdict == verdict
    assert rule.role == role
    assert fold(keyword) in all_keywords(rule)


def test_ids_are_unique_and_prefixed(rules: list[LibraryRule]) -> None:
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    # std- keeps adopted rules apart from the working group's own ids (R1, F2 …).
    assert all(i.startswith("std-") for i in ids)


def test_personal_data_uses_every_detector() -> None:
    rule = library_rule("std-personal-data")
    assert set(rule.detect) == set(DETECTORS)
    assert set(DETECTORS) == {
        "email",
        "phone",
        "iban",
        "bsn",
        "ssn",
        "card",
        "address",
        "postcode",
        "plate",
    }


def test_political_rule_hints_at_groups_but_applies_to_nobody_yet() -> None:
    rule = library_rule("std-political")
    assert rule.applies_to_hint is not None
    assert "woordvoerders" in fold(rule.applies_to_hint.nl)
    assert "civil servants" in fold(rule.applies_to_hint.en)
    assert "applies_to" not in rule.to_rule_dict("nl")


def test_the_library_is_not_only_prohibitions(rules: list[LibraryRule]) -> None:
    # Guidelines that give a hold: the library also says what is welcome.
    assert {r.verdict for r in rules} == set(VERDICTS)


# --- Soundness ------------------------------------------------------------------------------


def test_verdicts_roles_detectors_and_patterns_are_valid(
    rules: list[LibraryRule], roles: list[StandardRole]
) -> None:
    role_ids = {r.id for r in roles}
    for rule in rules:
        assert rule.verdict in VERDICTS, rule.id
        assert rule.role in role_ids, rule.id
        assert set(rule.detect) <= set(DETECTORS), rule.id
        for pattern in rule.patterns:
            re.compile(pattern, re.IGNORECASE)


def test_review_rules_name_a_standard_role(rules: list[LibraryRule]) -> None:
    for rule in rules:
        if rule.verdict == "review":
            assert standard_role(rule.role).id == rule.role


def test_every_rule_has_dutch_and_english_texts_and_keywords(rules: list[LibraryRule]) -> None:
    for rule in rules:
        assert rule.title.nl and rule.title.en and rule.title.nl != rule.title.en, rule.id
        assert rule.text.nl and rule.text.en and rule.text.nl != rule.text.en, rule.id
        assert len(rule.keywords.nl) >= 3 and len(rule.keywords.en) >= 3, rule.id
        # The Dutch list is Dutch: not merely the English list again.
        assert set(rule.keywords.nl) != set(rule.keywords.en), rule.id


def test_every_unless_phrase_covers_a_keyword(rules: list[LibraryRule]) -> None:
    # An unless phrase cancels only the matches it covers: one that contains none of the
    # rule's keywords can never cancel anything and is dead weight.
    for rule in rules:
        keywords = all_keywords(rule)
        for phrase in rule.unless:
            folded = fold(phrase)
            phrase_words = words(phrase)
            covered = any(
                (" " in k and k in folded) or any(w.startswith(k) for w in phrase_words)
                for k in keywords
            )
            assert covered, (rule.id, phrase)


def test_harmless_uses_are_excused() -> None:
    assert {"geen geheim", "secret santa"} <= set(library_rule("std-confidential").unless)
    assert "be patient" in library_rule("std-patients").unless
    assert "job interview" in library_rule("std-press").unless
    assert "strong password" in library_rule("std-credentials").unless


# Single words that appear in countless harmless posts: on a forbidden or review rule they
# would flag them all. Such subjects need a phrase ("nieuwe klant", "grote brand").
TOO_GENERIC = {
    "klant", "klanten", "customer", "brand", "fire", "press", "share", "delen", "post",
    "foto", "photo", "nieuws", "news", "team", "werk", "work", "ongeluk", "accident",
    "client", "forecast", "prognose", "licence", "license", "liable", "coalition",
}  # fmt: skip


def test_strict_rules_avoid_generic_single_words(rules: list[LibraryRule]) -> None:
    for rule in rules:
        if rule.verdict != "allowed":
            assert not TOO_GENERIC & set(all_keywords(rule)), rule.id


def test_patterns_find_what_they_are_for() -> None:
    plates = [re.compile(p, re.IGNORECASE) for p in library_rule("std-personal-data").patterns]

    def plate(text: str) -> bool:
        return any(p.search(text) for p in plates)

    for text in ("auto met kenteken AB-12-34", "GX-412-K", "1-KBB-12", "12-ab-cd"):
        assert plate(text), text
    for text in ("op 12-05-2024", "bel 06-12345678", "versie 1.2.3", "Covid-19"):
        assert not plate(text), text

    secrets = [re.compile(p, re.IGNORECASE) for p in library_rule("std-credentials").patterns]

    def secret(text: str) -> bool:
        return any(p.search(text) for p in secrets)

    for text in (
        "ww: Zomer2024!",
        "password = hunter2",
        "token xoxb-1234567890-abcdefghij",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "AKIAIOSFODNN7EXAMPLE",
    ):
        assert secret(text), text
    for text in ("Kies een sterk wachtwoord", "password manager tips", "xoxo, Anna"):
        assert not secret(text), text


# --- Roles ----------------------------------------------------------------------------------


def test_standard_roles(roles: list[StandardRole], rules: list[LibraryRule]) -> None:
    ids = [r.id for r in roles]
    assert len(ids) == len(set(ids))
    expected = {"comms", "press", "webcare", "privacy", "legal", "crisis", "hr", "integrity"}
    assert expected | {"security"} == set(ids)
    for role in roles:
        assert role.contact == "", role.id  # the organisation fills it in
        assert role.name.nl and role.name.en
        assert role.handles.nl and role.handles.en and role.handles.nl != role.handles.en
        assert role.keywords.nl and role.keywords.en
    # Every standard role is there for some rule: none is dead weight in a new policy.
    assert {r.role for r in rules} == set(ids)


# --- Dict shapes ----------------------------------------------------------------------------


RULE_KEYS = {"id", "section", "verdict", "text", "role", "keywords", "unless", "detect", "patterns"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_to_rule_dict_shape(rules: list[LibraryRule], lang: str) -> None:
    for rule in rules:
        d = rule.to_rule_dict(lang)
        assert set(d) == RULE_KEYS, rule.id
        assert d["id"] == rule.id
        assert d["section"] == LIBRARY_SECTION == "employees"
        assert d["verdict"] == rule.verdict
        assert d["text"] == rule.text.get(lang)
        assert d["role"] == rule.role
        for key in ("keywords", "unless", "detect", "patterns"):
            assert isinstance(d[key], list) and all(isinstance(x, str) for x in d[key])
        # Both languages' keywords, the policy's language first.
        first = rule.keywords.nl if lang == "nl" else rule.keywords.en
        assert d["keywords"][: len(first)] == list(first)
        assert {fold(k) for k in d["keywords"]} == set(all_keywords(rule))
    # The dict is a copy: changing it leaves the library alone.
    d = library_rule("std-press").to_rule_dict("nl")
    d["keywords"].append("x")
    assert "x" not in library_rule("std-press").keywords.nl


def test_to_rule_dict_is_a_valid_policy_rule(rules: list[LibraryRule]) -> None:
    role_ids = {r.id for r in load_standard_roles()}
    for rule in rules:
        d = rule.to_rule_dict("en")
        assert d["verdict"] in VERDICTS
        assert d["text"].strip()
        assert d["verdict"] != "review" or d["role"] in role_ids
        assert d["keywords"] or d["detect"] or d["patterns"]


def test_to_role_dict_shape() -> None:
    role = standard_role("webcare")
    d = role.to_role_dict("nl", "#webcare")
    assert d == {
        "id": "webcare",
        "name": role.name.nl,
        "contact": "#webcare",
        "handles": role.handles.nl,
        "keywords": role.keywords.ordered("nl"),
    }
    assert role.to_role_dict("en")["contact"] == ""
    assert role.to_role_dict("en-GB")["handles"] == role.handles.en


def test_lookups_and_caching() -> None:
    with pytest.raises(KeyError):
        library_rule("std-nope")
    with pytest.raises(KeyError):
        standard_role("nope")
    first = load_rule_library()
    first.clear()
    assert load_rule_library(), "the cached library must not be emptied by a caller"


def test_the_template_offers_the_library() -> None:
    question = load_template().question("employees.library")
    assert question.kind == "library" and question.multiple
    assert len(load_rule_library()) >= 12


# --- Validation -----------------------------------------------------------------------------


def broken_rules(change: Any) -> str:
    raw = raw_file("standard_rules.yml")
    change(raw)
    role_ids = {r.id for r in load_standard_roles()}
    with pytest.raises(LibraryError) as info:
        parse_rule_library(raw, role_ids)
    return str(info.value)


def test_unknown_role_names_the_path() -> None:
    message = broken_rules(lambda r: r["rules"][2].update(role="marketing"))
    assert message == "standard_rules.yml: rules[2].role: 'marketing' is not a standard role"


def test_bad_verdict_detector_pattern_and_keywords() -> None:
    assert "rules[0].verdict: 'maybe' is not one of forbidden, review, allowed" in broken_rules(
        lambda r: r["rules"][0].update(verdict="maybe")
    )
    assert "rules[3].detect[0]: 'licence' is not one of" in broken_rules(
        lambda r: r["rules"][3].update(detect=["licence"])
    )
    assert "rules[3].patterns[0]: does not compile" in broken_rules(
        lambda r: r["rules"][3].update(patterns=["(unclosed"])
    )
    assert "rules[1].keywords.en: needs at least one keyword" in broken_rules(
        lambda r: r["rules"][1]["keywords"].update(en=[])
    )
    assert "rules[1].text.nl: missing or empty text" in broken_rules(
        lambda r: r["rules"][1]["text"].pop("nl")
    )
    assert "rules[5].id: 'std-confidential' is not unique" in broken_rules(
        lambda r: r["rules"][5].update(id="std-confidential")
    )


def test_bad_role_file() -> None:
    raw = raw_file("standard_roles.yml")
    raw["roles"][1]["handles"] = {"nl": "Alleen Nederlands"}
    with pytest.raises(LibraryError, match=r"roles\[1\]\.handles\.en: missing or empty text"):
        parse_standard_roles(raw)
