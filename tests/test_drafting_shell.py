"""The same session through `policybot shell`: a scripted subprocess, then a second run that
carries on in the same thread (a restart), with the database as the only memory of the bot."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.storage import Database
from bot.storage.models.drafting import Contribution, DraftingSession
from bot.storage.models.policy import DraftRule
from runtime.shell import user_id_for
from tests.cli_runs import run_policybot

FIRST_RUN = r"""
\as @anna
\lang en
/policy role add @willem working-group
\channel #werkgroep
/policy draft employees
\thread
We follow and share.
\as @willem
\lang nl
\thread
volgende
Een e-learning voor iedereen.
\as @erik
\thread
Mag ik ook iets zeggen?
Nog een keer dan.
"""

SECOND_RUN = r"""
\as @willem
\channel #werkgroep
\thread
overslaan
volgende
volgende
\pick 1 1,3
volgende
verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]
klaar
/policy show employees
"""

THIRD_RUN = r"""
\as @anna
\channel #werkgroep
/policy review employees
\pick 11
\pick 8
/policy show employees
"""


def _shell(script: str, database_url: str, workdir: Path) -> str:
    return run_policybot(["shell"], database_url, workdir, script, admins=user_id_for("anna"))


def test_a_session_through_the_shell_survives_a_restart(db_url: str, tmp_path: Path) -> None:
    first = _shell(FIRST_RUN, db_url, tmp_path)
    assert "Drafting: What we expect of every employee" in first
    assert "*Question 1 of 7*" in first
    assert "(bot reacted :white_check_mark: to your message" in first
    assert "*Question 2 of 7*" in first
    assert "alleen leden van de werkgroep" in first  # erik, in Dutch
    assert first.count("Ik zeg dit maar één keer.") == 1  # and only once

    second = _shell(SECOND_RUN, db_url, tmp_path)  # a new process: the bot restarted
    assert "*Question 4 of 7*" in second and "*Question 5 of 7*" in second
    assert "Picked so far:" in second
    assert "Summary: What we expect of every employee" in second
    assert "Deel geen foto's van cliënten" in second  # /policy show, for willem in Dutch
    assert "opgesteld:" not in second  # proposed, not in the draft until the lead accepts

    third = _shell(THIRD_RUN, db_url, tmp_path)  # the communications lead reviews
    assert "Proposes rule 1: _forbidden_: Deel geen foto's van cliënten" in third
    assert "In the draft: `employees-1`" in third
    assert "drafted: `employees-1`" in third  # /policy show, for anna in English
    assert "heeft je bijdrage aan *Wat we van iedere medewerker verwachten* geaccepteerd" in third

    database = Database(db_url)
    try:
        with database.session() as session:
            answers = [
                (c.question_id, c.text)
                for c in session.scalars(select(Contribution).order_by(Contribution.id))
            ]
            rules = {r.rule_id: r.verdict for r in session.scalars(select(DraftRule))}
            (drafting,) = session.scalars(select(DraftingSession))
            status = drafting.status
    finally:
        database.dispose()
    assert answers[:2] == [
        ("employees.expectation", "We follow and share."),
        ("employees.training", "Een e-learning voor iedereen."),
    ]
    assert answers[2][0] == "employees.library"
    assert rules["employees-1"] == "forbidden" and len(rules) >= 3
    assert status == "done"
