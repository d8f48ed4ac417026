"""What a serving process imports before its first request, and what it leaves for later.

The engine, its lexicons and stemmers are not needed to acknowledge anything: `bot.answering`
loads its names when first used, and the worker warms them up once it has answered its
first request (`runtime.lifecycle`). Each check runs in a fresh interpreter, as a process
starts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from runtime.lifecycle import FIRST_ANSWERED
from tests.driver import SlackDriver

ROOT = Path(__file__).resolve().parents[1]
LATER = (
    "bot.answering.engine",
    "bot.answering.passages",
    "bot.answering.domain",
    "snowballstemmer",
)


def _modules_after(code: str) -> set[str]:
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_serving_imports_no_engine_before_its_first_question() -> None:
    loaded = _modules_after("import runtime.serve, runtime.http_server")
    assert "runtime.app_factory" in loaded  # the app itself is there
    assert "bot.answering.detectors" in loaded  # logs are masked from the first line
    assert not loaded & set(LATER)


def test_the_engine_names_load_when_first_used() -> None:
    loaded = _modules_after(
        "from bot.answering import compile_policy, CheckAnswer\n"
        "assert compile_policy.__module__ == 'bot.answering.engine'\n"
        "assert CheckAnswer.__module__ == 'bot.answering.answers'"
    )
    assert "bot.answering.engine" in loaded


def test_an_unknown_name_of_the_engine_package_is_an_attribute_error() -> None:
    loaded = _modules_after(
        "import bot.answering\n"
        "try:\n"
        "    bot.answering.no_such_name\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('no AttributeError')"
    )
    assert "bot.answering.engine" not in loaded


def test_the_process_warms_up_once_it_has_answered_its_first_request(
    running: SlackDriver,
) -> None:
    FIRST_ANSWERED.clear()  # as in a process that has just started
    with urllib.request.urlopen(running.url.replace("/slack/events", "/healthz"), timeout=10):
        pass
    assert FIRST_ANSWERED.is_set()
