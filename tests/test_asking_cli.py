"""`policybot check|who [--json] [--group G]... TEXT`, exactly as interfaces.md promises."""

from __future__ import annotations

import io
import json

import pytest

from bot.storage import Database
from runtime.cli import main
from tests.samples import policy_data
from tests.seed import adopt
from tests.test_engine_outweighed import SHOP


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_has_exactly_the_promised_shape(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    code, out, err = _run(
        capsys, "check", "--json", "Mail", "peter.jansen72@gmail.com", "for", "details"
    )
    assert (code, err) == (0, "")
    answer = json.loads(out)
    # interfaces.md's keys in its order, then the bot's extension "certainty"
    assert list(answer) == ["verdict", "policy_version", "rules", "role", "covered", "certainty"]
    assert answer["certainty"] == "strong"
    assert answer["verdict"] == "forbidden" and answer["covered"] is True
    assert answer["policy_version"] == "2026.1"
    assert answer["role"] == {
        "id": "privacy",
        "name": "Privacyteam en functionaris gegevensbescherming",
        "contact": "privacy@gemeentevoorbeeld.nl",
    }
    rule = answer["rules"][0]
    assert list(rule) == ["id", "verdict", "text", "section", "role", "evidence"]
    assert (rule["id"], rule["verdict"], rule["section"], rule["role"]) == (
        "R01",
        "forbidden",
        "employees",
        "privacy",
    )
    assert rule["evidence"] and "peter.jansen72@gmail.com" not in json.dumps(answer)


def test_groups_change_the_answer(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    text = "Selfie in my uniform during the evening shift downtown"
    _, out, _ = _run(capsys, "check", "--json", text)
    assert json.loads(out)["covered"] is False and json.loads(out)["verdict"] == "allowed"
    _, out, _ = _run(capsys, "check", "--json", "--group", "boa", text)
    assert json.loads(out)["verdict"] == "forbidden"
    assert [r["id"] for r in json.loads(out)["rules"]] == ["R20"]


def test_who_json_and_standard_input(cli_env: Database, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    monkeypatch.setattr("sys.stdin", io.StringIO("Who handles FOI requests?\n"))
    code, out, _ = _run(capsys, "who", "--json", "-")
    answer = json.loads(out)
    assert code == 0
    assert list(answer) == ["role", "covered", "rules", "policy_version"]
    assert answer["role"]["id"] == "woo" and answer["covered"] is True
    assert set(answer["role"]) == {"id", "name", "contact", "handles"}


def test_who_not_covered_names_the_default_role(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    _, out, _ = _run(capsys, "who", "--json", "the dress code for the Christmas party")
    answer = json.loads(out)
    assert (answer["role"]["id"], answer["covered"]) == ("communicatie", False)


def test_plain_output_for_people(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    code, out, _ = _run(capsys, "check", "Two reporters messaged me")
    assert code == 0
    assert "Verdict: review" in out and "Rule R05" in out and "Policy version 2026.1" in out


def test_no_adopted_policy_exits_3_with_one_line(cli_env: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _run(capsys, "check", "--json", "hello")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "no adopted policy" in err


def test_bad_input_exits_2_with_one_line(cli_env: Database, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env)
    code, _, err = _run(capsys, "check", "--group", "astronauts", "hello")
    assert code == 2 and err.count("\n") == 1 and "astronauts" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("   \n"))
    code, _, err = _run(capsys, "who", "-")
    assert code == 2 and err.count("\n") == 1 and "no text" in err
    assert "Traceback" not in err


def test_check_names_a_stricter_rule_outweighed_on_the_same_words(
    cli_env: Database, capsys
) -> None:  # type: ignore[no-untyped-def]
    adopt(cli_env, policy_data(SHOP, language="en"))
    text = "A customer complained on Facebook about her waiting time. Can I reply to her complaint?"
    _, out, _ = _run(capsys, "check", "--json", text)
    answer = json.loads(out)
    assert answer["verdict"] == "review" and [r["id"] for r in answer["rules"]] == ["CO"]
    assert answer["outweighed"] == [
        {"id": "PH", "verdict": "forbidden", "role": "privacy", "evidence": ["customer"]}
    ]
    _, out, _ = _run(capsys, "check", text)
    assert "Also matched, on the same words: “customer” (rule PH, forbidden)." in out
