"""The answer syntax the questions' hints promise, read line by line (pure functions)."""

from __future__ import annotations

from bot.drafting.answers import options_named, parse_list, parse_roles, parse_rules, slug
from bot.drafting.template import load_template


def test_rule_lines_take_verdict_words_in_both_languages() -> None:
    rules = parse_rules(
        "1. Eerst vragen: Posts over de fusie [trefwoorden: fusie; overname]\n"
        "• VERBODEN : Wachtwoorden delen\n"
        "mag: Vacatures delen [keywords: vacancy] [role: hr]\n"
        "vragen: Alles over patiënten\n"
        "Zonder woord\n"
        "forbidden:\n",
        "allowed",
    )
    assert [(r.verdict, r.text, r.keywords, r.role) for r in rules] == [
        ("review", "Posts over de fusie", ("fusie", "overname"), None),
        ("forbidden", "Wachtwoorden delen", (), None),
        ("allowed", "Vacatures delen", ("vacancy",), "hr"),
        ("review", "Alles over patiënten", (), None),
        ("allowed", "Zonder woord", (), None),
    ]


def test_role_lines_take_every_separator_and_contact_form() -> None:
    roles = parse_roles(
        "Crisis → @crisisteam\n"
        "Pers -> @U0PRESS01 (Anna)\n"
        "Webcare: #webcare\n"
        "Juridische zaken - juridisch@voorbeeld.nl\n"
        "Subsidies → S0GRANTS99\n"
        "Beleid → Anna de Vries\n"
        "geen scheidingsteken hier",
        {"@crisisteam": "S0CRISIS1"},
    )
    assert [(r.topic, r.contact) for r in roles] == [
        ("Crisis", "S0CRISIS1"),
        ("Pers", "@U0PRESS01"),
        ("Webcare", "#webcare"),
        ("Juridische zaken", "juridisch@voorbeeld.nl"),
        ("Subsidies", "S0GRANTS99"),
        ("Beleid", ""),  # nobody the bot can reach: the contact waits for the lead
    ]
    assert roles[0].keywords == ("crisis",)


def test_lists_choices_and_ids() -> None:
    assert parse_list("- een\n\n* twee\n3) drie\n") == ["een", "twee", "drie"]
    question = load_template().question("identity.interaction")
    assert options_named(question, "interacting") == ["interacting"]
    assert options_named(question, "We are not interacting much") == []
    assert slug("Persvragen én woordvoering!") == "persvragen-en-woordvoering"
