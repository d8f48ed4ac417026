"""What a serving process imports before its first request, and what it leaves for later.

The engine, its lexicons and stemmers are not needed to acknowledge anything: `bot.answering`
loads its names when first used. Nor are the capabilities' listeners and the core they use:
the app registers them by name (`handlers.kit.later`) and imports each when a request first
reaches it. The worker imports all of them once it has answered its first request
(`runtime.lifecycle`). Each check runs in a fresh interpreter, as a process starts.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.storage import models
from handlers.router import CommandRouter, Subcommand
from runtime.lifecycle import FIRST_ANSWERED
from tests.driver import SlackDriver

ROOT = Path(__file__).resolve().parents[1]
LATER = (
    "bot.answering.engine",
    "bot.answering.passages",
    "bot.answering.domain",
    "snowballstemmer",
)


# Each capability's listeners and the core behind them: imported when first used.
CAPABILITIES = (
    "handlers.asking.questions",
    "handlers.asking.assistant",
    "handlers.drafting.thread",
    "handlers.drafting.flow",
    "handlers.reviewing.pages",
    "handlers.reviewing.adoption",
    "handlers.rhythm.reminders",
    "handlers.living.acknowledge",
    "handlers.home.tab",
    "bot.drafting.sessions",
    "bot.reviewing.review",
    "bot.rhythm.digest",
    "bot.living.rechecks",
    "bot.exporting",
)
# Tables the first request does not touch: their models are mapped when first used.
MODELS_LATER = tuple(
    f"bot.storage.models.{name}"
    for name in (
        "answering",
        "counters",
        "drafting",
        "drafting_extra",
        "living",
        "policy",
        "reviewing",
    )
)
# A process with its app built, as `serve` has it before it takes requests.
BUILT = (
    "from bot.settings import load_settings\n"
    "from runtime.startup import open_database\n"
    "from runtime.app_factory import create_app\n"
    "settings = load_settings()\n"
    "app = create_app(settings, open_database(settings))\n"
)


# The warm-up, then every name registered looked up, and every module of the project imported:
# the registries filled as modules are imported must not grow.
WARMED_UP = """
from handlers.kit import later
later.import_all()
for target in later.registered():
    assert callable(later.Later(target).resolve()), target
from handlers.kit.outbox import HOOKS
from handlers.kit.scheduler import RUNNERS
from bot.scheduling.planners import PLANNERS
known = (set(HOOKS), set(RUNNERS), set(PLANNERS))
import importlib, pkgutil, handlers, bot
for package in (handlers, bot):
    for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in found.name:
            importlib.import_module(found.name)
assert known == (set(HOOKS), set(RUNNERS), set(PLANNERS)), "registered elsewhere"
"""


def _modules_after(code: str, database: Path | None = None) -> set[str]:
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    if database is not None:
        env |= {
            "DATABASE_URL": f"sqlite:///{database}",
            "SLACK_BOT_TOKEN": "xoxb-startup",
            "SLACK_SIGNING_SECRET": "startup-secret",
        }
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_serving_imports_no_engine_before_its_first_question() -> None:
    loaded = _modules_after("import runtime.serve, runtime.http_server")
    assert "runtime.app_factory" in loaded  # the app itself is there
    assert "bot.answering.detectors" in loaded  # logs are masked from the first line
    assert not loaded & set(LATER)


def test_a_built_app_has_imported_no_capability_before_its_first_request(
    tmp_path: Path,
) -> None:
    # As every start after the first, which created the database (from every model).
    database = tmp_path / "built.db"
    _modules_after(BUILT, database)
    # Nor read the message catalogue: `/policy` reads the words it answers to when first used.
    loaded = _modules_after(
        BUILT + "from bot.i18n import catalogue\nassert not catalogue.cache_info().currsize\n",
        database,
    )
    assert "handlers.router" in loaded  # `/policy` and its sub-commands are registered
    assert "yaml" not in loaded  # the catalogue's and the policy's parser: read later
    assert not loaded & set(CAPABILITIES)
    assert not loaded & set(LATER)
    assert not loaded & set(MODELS_LATER)


def test_settings_without_a_dotenv_file_import_no_dotenv_parser(tmp_path: Path) -> None:
    settings = (
        "from pathlib import Path\n"
        "from bot.settings import load_settings\n"
        f"load_settings(env_file=Path({str(tmp_path / '.env')!r}))\n"
    )
    assert "dotenv" not in _modules_after(settings)
    (tmp_path / ".env").write_text("POLICYBOT_LANGUAGE=en\n")
    assert "dotenv" in _modules_after(settings)


def test_a_new_database_is_created_without_alembic(tmp_path: Path) -> None:
    """The first start on an empty database creates it from the models, stamped at head
    (`bot.storage.schema.create_at_head`): Alembic and its templates stay unimported, and
    the next start finds the schema at head."""
    database = tmp_path / "new.db"
    assert not database.exists()
    for _start in range(2):
        loaded = _modules_after(BUILT + "assert app is not None\n", database)
        assert not {name for name in loaded if name.split(".")[0] in ("alembic", "mako")}


def test_the_models_list_names_every_model_module() -> None:
    found = {module.name for module in pkgutil.iter_modules(models.__path__)}
    assert found == set(models.MODULES)


@pytest.mark.parametrize("name", models.MODULES)
def test_a_model_module_imported_alone_brings_the_tables_its_foreign_keys_name(name: str) -> None:
    """Models are imported as they are needed, each alone: a foreign key to a table no
    module imported yet would fail at the first flush, join or `create_all`."""
    _modules_after(
        f"import bot.storage.models.{name}\n"
        "from bot.storage.base import Base\n"
        "for table in Base.metadata.tables.values():\n"
        "    for key in table.foreign_keys:\n"
        "        assert key.column is not None, key\n"
    )


def test_every_listener_registered_by_name_is_found_after_the_warm_up(tmp_path: Path) -> None:
    """Each name the capabilities registered resolves to a function, and nothing registers
    (a completion step, a scheduled job, a planner) in a module the warm-up leaves out."""
    loaded = _modules_after(BUILT + WARMED_UP, tmp_path / "warm.db")
    assert loaded >= set(CAPABILITIES)


@pytest.mark.parametrize(
    "first_use",
    [
        # The scheduler's turn: its planners and what each job says register as imported.
        "app.background.scheduler.turn(force=True)\n"
        "from handlers.kit.scheduler import RUNNERS\n"
        "assert 'rhythm:digest' in RUNNERS and 'living:ack_reminder' in RUNNERS, RUNNERS\n",
        # An outbox row's completion step, sent by the background loop after a restart.
        "from handlers.kit.outbox import completion_step\n"
        "assert completion_step('reviewing:announced') is not None\n",
    ],
    ids=["scheduler", "completion step"],
)
def test_what_registers_on_import_is_imported_before_it_is_looked_up(
    tmp_path: Path, first_use: str
) -> None:
    loaded = _modules_after(BUILT + first_use, tmp_path / "lookup.db")
    assert "handlers.rhythm.reminders" in loaded


def test_a_word_two_sub_commands_answer_to_is_refused_at_the_first_command() -> None:
    router = CommandRouter()
    router.add(Subcommand("help", lambda call: None, help="help.help", aliases="help.aliases"))
    router.add(Subcommand("hulp", lambda call: None, help="help.help"))  # an alias of help
    with pytest.raises(ValueError, match="hulp is registered twice"):
        router.find("help")
    with pytest.raises(ValueError, match="help is registered twice"):
        router.add(Subcommand("help", lambda call: None, help="help.help"))


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
