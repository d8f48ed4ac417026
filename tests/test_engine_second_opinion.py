"""A language model's second opinion, against a stand-in API on 127.0.0.1 (runtime.fakellm):
asked only when the rules are unsure, with personal data masked, only real rule ids counting,
cached in the database, and a slow, failing or nonsensical model leaving the rules' answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.answering.answers import MODEL
from bot.asking.intents import CHECK
from bot.asking.service import Answer, ask
from bot.opinion.reconsider import combine
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.answering import SecondOpinion
from runtime.fakellm import FakeLLM
from tests.samples import compiled, policy_data
from tests.seed import adopt

# The sample policy's R14 (Woo requests) in all but its words: the rules are unsure here.
WOO_QUESTION = (
    "Someone in the comments wants copies of all internal emails about the new roundabout. "
    "Can I just send them to him?"
)


@pytest.fixture
def model() -> Iterator[FakeLLM]:
    fake = FakeLLM(answers={"roundabout": ["R14"]}).start()
    yield fake
    fake.stop()


def with_model(settings: Settings, model: FakeLLM, timeout_ms: int = 2000) -> Settings:
    return settings.with_overrides(
        llm_url=model.url, llm_model="fake-1", llm_api_key="sk-test", llm_timeout_ms=timeout_ms
    )


def check(db: Database, settings: Settings, text: str) -> Answer:
    with db.session() as session:  # the caller's unit of work, as a request has
        result = ask(
            session, settings, kind=CHECK, text=text, groups={"all"}, asker="U1", source="cli",
            language="en",
        )  # fmt: skip
    assert isinstance(result, Answer)
    return result


def test_off_by_default_the_rules_answer_alone(db: Database, settings: Settings, model) -> None:  # type: ignore[no-untyped-def]
    adopt(db)
    answer = check(db, settings, WOO_QUESTION)
    assert answer.data["certainty"] in ("weak", "not_covered")
    assert "second_opinion" not in answer.data and model.requests == []


def test_the_model_names_a_rule_and_the_verdict_follows_it(
    db: Database, settings: Settings, model: FakeLLM
) -> None:
    adopt(db)
    answer = check(db, with_model(settings, model), WOO_QUESTION)
    assert answer.verdict == "review" and answer.role and answer.role.id == "woo"
    assert [r.id for r in answer.rules] == ["R14"]
    assert answer.data["certainty"] == MODEL
    assert answer.data["second_opinion"] == {"model": "fake-1", "rules": ["R14"]}
    (request,) = model.requests
    assert request["model"] == "fake-1"
    assert request["response_format"] == {"type": "json_object"}
    offered = json.loads(request["messages"][-1]["content"])
    assert {r["id"] for r in offered["rules"]} >= {"R01", "R14", "R16"}
    assert not any(r["id"] in ("R19", "R20") for r in offered["rules"])  # boa rules: not asker's


def test_a_sure_answer_does_not_ask_the_model(
    db: Database, settings: Settings, model: FakeLLM
) -> None:
    adopt(db)
    answer = check(db, with_model(settings, model), "Bel mevrouw Bakker op 06-12345678")
    assert answer.verdict == "forbidden" and answer.data["certainty"] == "strong"
    assert model.requests == []


def test_personal_data_is_masked_before_it_is_sent(
    db: Database, settings: Settings, model: FakeLLM
) -> None:
    policy = policy_data([{"id": "X", "verdict": "review", "keywords": ["lantaarnpaal"]}])
    adopt(db, policy)
    text = (
        "Peter (peter.jansen72@gmail.com, 06-12345678, Dorpsstraat 12) vraagt iets over de rotonde"
    )
    check(db, with_model(settings, model), text)
    (request,) = model.requests
    sent = json.dumps(request, ensure_ascii=False)
    for secret in ("peter.jansen72", "12345678", "Dorpsstraat 12"):
        assert secret not in sent
    assert "p***@gmail.com" in sent


def test_answers_are_cached_by_version_model_and_masked_text(
    db: Database, settings: Settings, model: FakeLLM
) -> None:
    adopt(db)
    configured = with_model(settings, model)
    first = check(db, configured, WOO_QUESTION)
    second = check(db, configured, "  " + WOO_QUESTION.replace(" ", "  "))  # same words
    assert first.data["second_opinion"] == second.data["second_opinion"]
    assert len(model.requests) == 1
    with db.session() as session:
        rows = session.scalars(select(SecondOpinion)).all()
        assert [(r.model, r.rules, len(r.text_hash)) for r in rows] == [("fake-1", ["R14"], 64)]


@pytest.mark.parametrize("mode", ["error", "nonsense", "invented", "wrong_shape"])
def test_a_failing_or_nonsensical_model_leaves_the_rules_answer(
    db: Database, settings: Settings, mode: str
) -> None:
    adopt(db)
    alone = check(db, settings, WOO_QUESTION).data
    fake = FakeLLM(mode=mode, answers={"roundabout": ["R14"]}).start()
    try:
        answer = check(db, with_model(settings, fake), WOO_QUESTION).data
    finally:
        fake.stop()
    assert len(fake.requests) == 1
    assert "second_opinion" not in answer
    assert {k: answer[k] for k in ("verdict", "rules", "certainty")} == {
        k: alone[k] for k in ("verdict", "rules", "certainty")
    }
    with db.session() as session:  # no answer is no answer to keep
        assert session.scalars(select(SecondOpinion)).all() == []


def test_a_slow_model_is_given_up_on_in_time(db: Database, settings: Settings) -> None:
    adopt(db)
    fake = FakeLLM(mode="slow").start()
    try:
        answer = check(db, with_model(settings, fake, timeout_ms=150), WOO_QUESTION).data
    finally:
        fake.stop()  # releases the held request
    assert "second_opinion" not in answer and answer["certainty"] in ("weak", "not_covered")


def test_detectors_keep_the_last_word() -> None:
    engine = compiled(
        [
            {"id": "P", "verdict": "forbidden", "detect": ["phone"], "role": "privacy"},
            {"id": "W", "verdict": "review", "keywords": ["bron"], "role": "press"},
        ]
    )
    text = "Mijn bron heeft nummer 06-12345678"
    matches = engine.matches(text)
    answer = combine(engine, matches, (), "fake-1")  # the model says: no rule applies
    assert answer.verdict == "forbidden" and [m.rule.id for m in answer.rules] == ["P"]
    assert answer.to_json()["second_opinion"] == {"model": "fake-1", "rules": []}


def test_the_model_can_dismiss_weak_evidence_only() -> None:
    engine = compiled([{"id": "W", "verdict": "forbidden", "keywords": ["bron"], "role": "press"}])
    weak = engine.check("Ik heb een nieuwe bron gevonden")
    assert weak.certainty == "weak"
    dismissed = combine(engine, engine.matches("Ik heb een nieuwe bron gevonden"), (), "m")
    assert (dismissed.verdict, dismissed.covered) == ("allowed", False)
    confirmed = combine(engine, engine.matches("Ik heb een nieuwe bron gevonden"), ("W",), "m")
    assert (confirmed.verdict, confirmed.certainty) == ("forbidden", MODEL)
    evidence: list[Any] = confirmed.to_json()["rules"][0]["evidence"]
    assert evidence == ["bron"]


def test_check_json_on_the_command_line_names_the_model(
    db_url: str, model: FakeLLM, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from runtime.cli import main

    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_LLM_URL", model.url)
    monkeypatch.setenv("POLICYBOT_LLM_MODEL", "fake-1")
    database = Database(db_url)
    adopt(database)
    database.dispose()
    assert main(["check", "--json", WOO_QUESTION]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["second_opinion"] == {"model": "fake-1", "rules": ["R14"]}
    assert out["certainty"] == "model" and out["verdict"] == "review"
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "en")
    assert main(["check", WOO_QUESTION]) == 0
    assert "a language model (fake-1) pointed to rule R14" in capsys.readouterr().out
