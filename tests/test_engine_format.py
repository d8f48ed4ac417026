"""The format's extensions for the matcher (policy-format.md, "Helping the matcher"): rule keys
`context`, `examples` and `not_examples`, and the detectors `address`, `postcode` and `plate`;
validated with the path of a bad value, and kept through every round trip."""

from __future__ import annotations

import pytest

from bot.policy.model import PolicyFormatError
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import dump_policy_yaml, load_policy_yaml, policy_to_dict
from bot.reviewing.draft import draft_dict, replace_draft
from bot.storage import Database
from tests.samples import minimal_policy_data

HELPED = {
    "context": ["vertrekken", "kazerne"],
    "examples": ["Morgen vertrekken we met twaalf voertuigen naar de heide"],
    "not_examples": ["Ik vertrek morgen op vakantie"],
    "detect": ["phone", "address", "postcode", "plate"],
}


def helped_policy() -> dict:
    data = minimal_policy_data()
    data["rules"][0].update(HELPED)
    return data


def test_the_new_keys_are_read() -> None:
    rule = parse_policy(helped_policy()).rules[0]
    assert rule.context == ("vertrekken", "kazerne")
    assert rule.examples == (HELPED["examples"][0],)
    assert rule.not_examples == (HELPED["not_examples"][0],)
    assert rule.detect == ("phone", "address", "postcode", "plate")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("examples", "one post", "rules[0].examples: must be a list, not text"),
        ("not_examples", [""], "rules[0].not_examples[0]: must not be empty"),
        ("context", [True], "rules[0].context[0]: must be text, not true/false"),
        ("detect", ["licence"], "rules[0].detect[0]: 'licence' is not one of email, phone"),
    ],
)
def test_bad_values_are_named_by_their_path(key: str, value: object, message: str) -> None:
    data = minimal_policy_data()
    data["rules"][0][key] = value
    with pytest.raises(PolicyFormatError) as raised:
        parse_policy(data)
    assert any(str(issue).startswith(message) for issue in raised.value.errors), raised.value


def test_yaml_round_trip_keeps_them() -> None:
    doc = parse_policy(helped_policy())
    again = load_policy_yaml(dump_policy_yaml(doc))
    assert again == doc
    written = policy_to_dict(doc)["rules"][0]
    assert list(written)[-3:] == ["context", "examples", "not_examples"]


def test_import_into_the_draft_and_export_keeps_them(db: Database) -> None:
    doc = parse_policy(helped_policy())
    with db.session() as session:
        replace_draft(session, doc, "UADMIN01")
    with db.session() as session:
        exported = parse_policy(draft_dict(session, "nl"))
    assert exported.rules[0] == doc.rules[0]
    assert load_policy_yaml(dump_policy_yaml(exported)).rules[0].examples == doc.rules[0].examples
