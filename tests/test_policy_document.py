"""The policybot/1 document model: the sample loads, round trips, and bad files name their paths."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest

from bot.policy.model import FormatIssue, PolicyDocument, PolicyFormatError, Rule
from bot.policy.validation import (
    NameToResolve,
    parse_policy,
    validate_group,
    validate_role,
    validate_rule,
)
from bot.policy.yaml_io import dump_policy_yaml, load_policy_yaml, policy_to_dict, policy_to_json
from tests.samples import SAMPLE_POLICY, minimal_policy_data, sample_text


@pytest.fixture(scope="module")
def sample() -> PolicyDocument:
    return load_policy_yaml(sample_text(SAMPLE_POLICY))


def issues_of(data: Any) -> list[str]:
    with pytest.raises(PolicyFormatError) as caught:
        parse_policy(data)
    return [str(issue) for issue in caught.value.errors]


# -- the sample -----------------------------------------------------------------------------
def test_sample_loads_with_every_part(sample: PolicyDocument) -> None:
    assert sample.format == "policybot/1"
    assert sample.organisation == "Gemeente Voorbeeld"
    assert sample.language == "nl"
    assert sample.version == "2026.1"
    assert sample.adopted is not None
    assert sample.adopted.at == datetime.date(2026, 1, 20)
    assert len(sample.adopted.decisions) == 4
    assert [s.id for s in sample.sections][:3] == ["cover", "ownership", "purpose"]
    assert [g.id for g in sample.groups] == ["boa", "jeugdwerk", "bestuurssecretariaat"]
    assert len(sample.roles) == 10 and len(sample.rules) == 24
    r01 = sample.rule("R01")
    assert r01 is not None
    assert r01.detect == ("bsn", "iban", "card", "phone", "email")
    assert r01.unless == ("info@gemeentevoorbeeld.nl", "14 0123")
    assert len(r01.patterns) == 2
    assert sample.rule("R20").applies_to == ("boa",)  # type: ignore[union-attr]
    assert sample.default.verdict == "allowed" and sample.default.role == "communicatie"


def test_round_trip_through_plain_data_keeps_every_field(sample: PolicyDocument) -> None:
    data = policy_to_dict(sample)
    assert list(data) == [
        "format", "organisation", "language", "version", "adopted",
        "sections", "groups", "roles", "rules", "default",
    ]  # fmt: skip
    assert isinstance(data["adopted"]["at"], datetime.date)
    assert "applies_to" not in data["rules"][0]  # absent optional keys stay absent
    assert parse_policy(data) == sample


def test_plain_data_for_json_differs_only_in_dates(sample: PolicyDocument) -> None:
    as_json = policy_to_json(sample)
    assert as_json["adopted"]["at"] == "2026-01-20"  # JSON columns hold no dates
    assert json.loads(json.dumps(as_json)) == as_json
    as_file = policy_to_dict(sample)
    as_file["adopted"]["at"] = as_file["adopted"]["at"].isoformat()
    assert as_json == as_file
    assert parse_policy(as_json) == sample
    assert type(as_json["rules"][0]["verdict"]) is str  # not the Verdict enum: YAML needs str


def test_round_trip_through_yaml_keeps_every_field(sample: PolicyDocument) -> None:
    text = dump_policy_yaml(sample)
    assert load_policy_yaml(text) == sample
    assert "Woo-coördinator" in text  # unicode stays readable
    assert "keywords: [pers, journalist" in text  # short word lists on one line


def test_x_keys_are_kept_everywhere_and_round_trip() -> None:
    data = minimal_policy_data()
    data["x-owner"] = {"team": "comms"}
    data["rules"][0]["x-origin"] = "library"
    data["roles"][0]["x-slack-id"] = "U123"
    data["default"]["x-note"] = "why"
    doc = parse_policy(data)
    assert doc.extras == {"x-owner": {"team": "comms"}}
    assert doc.rules[0].extras == {"x-origin": "library"}
    assert load_policy_yaml(dump_policy_yaml(doc)) == doc
    assert policy_to_dict(doc)["rules"][0]["x-origin"] == "library"


def test_adopted_at_accepts_an_iso_string() -> None:
    data = minimal_policy_data()
    data["adopted"] = {"at": "2026-03-01", "by": "Directie"}
    assert parse_policy(data).adopted.at == datetime.date(2026, 3, 1)  # type: ignore[union-attr]


# -- errors name their path -----------------------------------------------------------------
def test_bad_verdict_names_its_path() -> None:
    data = minimal_policy_data()
    data["rules"].extend(copy.deepcopy(data["rules"][0]) for _ in range(3))
    for i, rule in enumerate(data["rules"]):
        rule["id"] = f"R{i}"
    data["rules"][3]["verdict"] = "maybe"
    assert issues_of(data) == ["rules[3].verdict: 'maybe' is not one of forbidden, review, allowed"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="policybot/2"), "format: 'policybot/2' is not supported"),
        (lambda d: d.pop("format"), "format: is required"),
        (lambda d: d.update(language="de"), "language: 'de' is not one of nl, en"),
        (lambda d: d.pop("organisation"), "organisation: is required"),
        (lambda d: d.update(version=2026.1), "version: must be text"),
        (lambda d: d.update(colour="blue"), "colour: unknown key"),
        (lambda d: d["rules"][0].update(colour="x"), "rules[0].colour: unknown key"),
        (lambda d: d["rules"][0].pop("text"), "rules[0].text: is required"),
        (lambda d: d["rules"][0].update(verdict="review", role=None), "rules[0].role: is required"),
        (lambda d: d["rules"][0].update(role="nobody"), "rules[0].role: 'nobody' is not a role id"),
        (lambda d: d["rules"][0].update(applies_to=["x"]), "rules[0].applies_to[0]: 'x' is not a"),
        (lambda d: d["rules"][0].update(detect=["fax"]), "rules[0].detect[0]: 'fax' is not one of"),
        (lambda d: d["rules"][0].update(patterns=["(a"]), "rules[0].patterns[0]: is not a valid"),
        (lambda d: d["rules"][0].update(keywords="pers"), "rules[0].keywords: must be a list"),
        (lambda d: d["rules"][0].update(keywords=[True]), "rules[0].keywords[0]: must be text"),
        (lambda d: d["rules"][0].update(id="has space"), "rules[0].id: 'has space' is not a short"),
        (lambda d: d["roles"][0].update(contact="comms"), "roles[0].contact: 'comms' is not a"),
        (lambda d: d["groups"][0].update(slack="editors"), "groups[0].slack: 'editors' is not a"),
        (lambda d: d["groups"][0].update(id="all"), "groups[0].id: 'all' is the implicit group"),
        (lambda d: d["sections"][0].pop("title"), "sections[0].title: is required"),
        (lambda d: d["sections"].append(dict(d["sections"][0])), "sections[1].id: duplicate"),
        (lambda d: d["roles"].append(dict(d["roles"][0])), "roles[1].id: duplicate role id"),
        (lambda d: d["groups"].append(dict(d["groups"][0])), "groups[1].id: duplicate group id"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "rules[1].id: duplicate rule id"),
        (lambda d: d["rules"][0].update(section="employes"), "rules[0].section: 'employes' is not"),
        (lambda d: d["default"].update(verdict="forbidden"), "default.verdict: 'forbidden' is not"),
        (lambda d: d["default"].update(role="nobody"), "default.role: 'nobody' is not a role id"),
        (lambda d: d.pop("default"), "default: is required"),
        (lambda d: d.update(adopted={"at": "soon", "by": "x"}), "adopted.at: 'soon' is not a date"),
        (lambda d: d.update(sections={"id": "x"}), "sections: must be a list"),
    ],
)
def test_each_kind_of_error_names_its_path(change: Any, expected: str) -> None:
    data = minimal_policy_data()
    change(data)
    issues = issues_of(data)
    assert any(issue.startswith(expected) for issue in issues), issues


def test_contact_forms() -> None:
    for contact in ("#webcare", "@U0PERS001", "S07SVCDESK", "woo@gemeente.nl"):
        data = {"id": "r", "name": "R", "contact": contact, "handles": "things"}
        assert validate_role(data) == [], contact
    for contact in ("webcare", "@webcare", "#two words", "mail@"):
        data = {"id": "r", "name": "R", "contact": contact, "handles": "things"}
        assert [i.path for i in validate_role(data)] == ["role.contact"], contact


def test_a_name_slack_will_resolve_is_checked_as_a_name_not_as_an_id() -> None:
    """The role modal's typed `@name`, before Slack has said whose it is: a name with
    something after its `@` passes; the same text as a plain contact does not (the format
    takes ids), and an `@` with nothing after it names nobody."""
    role = {"id": "r", "name": "R", "handles": "things"}
    for typed in ("@webcare", "@Lotte de Vries"):
        assert validate_role(role | {"contact": NameToResolve(typed)}) == [], typed
        assert [i.path for i in validate_role(role | {"contact": typed})] == ["role.contact"]
    for typed in ("@", "@  ", "webcare"):
        issues = validate_role(role | {"contact": NameToResolve(typed)})
        assert [i.path for i in issues] == ["role.contact"], typed


def test_several_errors_are_all_reported() -> None:
    data = minimal_policy_data()
    data["language"] = "fr"
    data["rules"][0]["verdict"] = "maybe"
    data["rules"][0]["detect"] = ["fax"]
    data["roles"][0]["contact"] = "nowhere"
    paths = {issue.path for issue in _errors(data)}
    assert paths == {"language", "rules[0].verdict", "rules[0].detect[0]", "roles[0].contact"}


def _errors(data: Any) -> list[FormatIssue]:
    with pytest.raises(PolicyFormatError) as caught:
        parse_policy(data)
    return caught.value.errors


def test_str_of_the_error_is_one_line_per_issue() -> None:
    data = minimal_policy_data()
    data["language"] = "fr"
    data["rules"][0]["verdict"] = "maybe"
    with pytest.raises(PolicyFormatError) as caught:
        parse_policy(data)
    assert str(caught.value).splitlines() == [
        "language: 'fr' is not one of nl, en",
        "rules[0].verdict: 'maybe' is not one of forbidden, review, allowed",
    ]


def test_not_a_mapping_at_all() -> None:
    assert issues_of(["a list"]) == ["must be a mapping of keys to values, not a list"]


# -- YAML -----------------------------------------------------------------------------------
def test_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(PolicyFormatError) as caught:
        load_policy_yaml("format: policybot/1\nrules: [a,\n  b: c\n")
    (issue,) = caught.value.errors
    assert issue.path.startswith("line ") and issue.line is not None
    assert "not valid YAML" in issue.message


def test_yaml_duplicate_keys_are_errors() -> None:
    text = dump_policy_yaml(parse_policy(minimal_policy_data()))
    text = text.replace("language: nl\n", "language: nl\nlanguage: en\n")
    with pytest.raises(PolicyFormatError) as caught:
        load_policy_yaml(text)
    assert [str(i) for i in caught.value.errors] == ["language: duplicate key (first on line 3)"]


def test_yaml_issues_carry_their_line() -> None:
    text = sample_text(SAMPLE_POLICY).replace("verdict: forbidden", "verdict: never", 1)
    with pytest.raises(PolicyFormatError) as caught:
        load_policy_yaml(text)
    (issue,) = caught.value.errors
    assert issue.path == "rules[0].verdict"
    assert text.splitlines()[issue.line - 1].strip() == "verdict: never"  # type: ignore[operator]


def test_empty_yaml() -> None:
    with pytest.raises(PolicyFormatError, match="empty"):
        load_policy_yaml("")


# -- field-level checks for edit modals -----------------------------------------------------
def test_validate_rule_checks_references_and_fields() -> None:
    rule = {"id": "R9", "verdict": "review", "text": "Ask first.", "role": "press"}
    assert validate_rule(rule, role_ids=["press"], group_ids=[]) == []
    issues = validate_rule(
        {**rule, "role": "ghost", "applies_to": ["boa"], "patterns": ["[x"]},
        role_ids=["press"],
        group_ids=[],
    )
    assert [i.path for i in issues] == ["rule.role", "rule.applies_to[0]", "rule.patterns[0]"]
    assert validate_rule({**rule, "applies_to": ["all"]}, role_ids=["press"], group_ids=[]) == []


def test_validate_group_and_role_use_the_given_path() -> None:
    issues = validate_group({"id": "g", "name": "G"}, path="groups[2]")
    assert [str(i) for i in issues] == ["groups[2].slack: is required"]
    issues = validate_role({"id": "r", "name": "R", "contact": "#r", "handles": "x", "k": 1})
    expected = "unknown key; expected id, name, contact, handles, keywords (or x-… of your own)"
    assert issues == [FormatIssue("role.k", expected)]


def test_documents_are_immutable_and_comparable() -> None:
    doc = parse_policy(minimal_policy_data())
    with pytest.raises(AttributeError):
        doc.language = "en"  # type: ignore[misc]
    assert isinstance(doc.rules[0], Rule)
    assert parse_policy(minimal_policy_data()) == doc


def test_a_rule_may_name_a_standard_section_the_file_does_not_have_yet() -> None:
    data = minimal_policy_data()
    data["rules"][0]["section"] = "employees"
    assert parse_policy(data).rules[0].section == "employees"
