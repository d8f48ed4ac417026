"""The suite's autouse guards fail a test that breaks their rule. Each reads the warning the
product logs (kit.context: a request spoke after its work had committed; runtime.slack_client:
Slack asked while holding SQLite's writer turn, or while a unit of work is open). A guard that
read only its own teardown's records passed whatever the test logged, so it checked nothing:
these runs keep it honest.

The breaking tests run in a pytest of their own (a child process), importing the guards from
this suite's conftest; the child's verdict is what is checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CHECKOUT

GUARDS = """
import logging

from tests.conftest import (
    _requests_speak_within_their_unit_of_work,
    _slack_is_never_asked_holding_the_writer_turn,
    _slack_is_never_asked_inside_a_unit_of_work,
)
"""

BREAKING = {
    "late": """
def test_speaks_late() -> None:
    logging.getLogger("handlers.kit.context").warning(
        "a request spoke after its work had committed: sent on its own", stack_info=True
    )
""",
    "held": """
def test_asks_slack_holding_the_turn() -> None:
    logging.getLogger("runtime.slack_client").warning(
        "Slack asked (%s) while this thread holds the database's writer turn", "chat.postMessage"
    )
""",
    "inside": """
def test_asks_slack_inside_a_unit_of_work() -> None:
    logging.getLogger("runtime.slack_client").warning(
        "Slack asked (%s) while this thread has a unit of work open", "users.info"
    )
""",
    "quiet": """
def test_keeps_the_rules() -> None:
    logging.getLogger("handlers.kit.context").info("a request answered within its work")
""",
}


def _run_alone(tmp_path: Path, case: str) -> subprocess.CompletedProcess[str]:
    test_file = tmp_path / f"test_{case}.py"
    test_file.write_text(GUARDS + BREAKING[case])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
        + ["--rootdir", str(tmp_path), "-c", "/dev/null", str(test_file)],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=120,  # bounds a failure only
    )


@pytest.mark.parametrize(
    ("case", "guard_says"),
    [
        ("late", "a request spoke after its work had committed"),
        ("held", "Slack asked while holding the writer turn"),
        ("inside", "Slack asked inside a unit of work"),
    ],
)
def test_a_guard_fails_the_test_whose_call_logs_its_warning(
    tmp_path: Path, case: str, guard_says: str
) -> None:
    run = _run_alone(tmp_path, case)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed, 1 error" in run.stdout, run.stdout
    assert guard_says in run.stdout, run.stdout


def test_a_test_that_keeps_the_rules_passes_both_guards(tmp_path: Path) -> None:
    run = _run_alone(tmp_path, "quiet")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout, run.stdout
