"""`policybot check` asks the language model with no transaction open (issue 13): the
command line's question is answered and logged in one transaction, which ends (rolled back,
nothing written) when the rules are unsure and the model must be asked; the model is asked
between transactions, and the question runs again with its opinion. The stand-in model holds
its reply: meanwhile, on PostgreSQL, no transaction of the command line is open (SQLite has
no view of that: there the check is PostgreSQL's). Then the answer names the model, and the
question is logged once with the opinion cached."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.storage import Database
from bot.storage.models.answering import SecondOpinion
from bot.storage.models.asking import AskedQuestion
from runtime.cli import main
from runtime.fakellm import FakeLLM
from tests.held import open_since, server_now
from tests.seed import adopt
from tests.test_engine_second_opinion import WOO_QUESTION


def test_check_asks_the_model_with_no_transaction_open(
    cli_env: Database, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    adopt(cli_env)
    held = FakeLLM(mode="slow", answers={"roundabout": ["R14"]}).start()
    try:
        monkeypatch.setenv("POLICYBOT_LLM_URL", held.url)
        monkeypatch.setenv("POLICYBOT_LLM_MODEL", "fake-1")
        monkeypatch.setenv("POLICYBOT_LLM_TIMEOUT_MS", "60000")  # the hold must not time out
        with ThreadPoolExecutor(max_workers=1) as pool:
            done = pool.submit(main, ["check", "--json", WOO_QUESTION])
            try:
                held.wait_for_request()
                arrived = server_now(cli_env)
                assert open_since(cli_env, arrived) == 0, "a transaction open over the model"
                with cli_env.session() as session:  # nothing logged before the model spoke
                    assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 0
            finally:
                held.release()
            assert done.result(timeout=60) == 0  # bounds a failure only
    finally:
        held.stop()
    out = json.loads(capsys.readouterr().out)
    assert out["second_opinion"] == {"model": "fake-1", "rules": ["R14"]}
    assert out["verdict"] == "review" and len(held.requests) == 1
    with cli_env.session() as session:
        logged = session.scalar(select(func.count()).select_from(AskedQuestion))
        kept = session.scalars(select(SecondOpinion.rules)).all()
    assert logged == 1 and kept == [["R14"]]  # logged once, the opinion cached with it
