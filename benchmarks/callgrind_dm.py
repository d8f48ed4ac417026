"""Instructions per DM answered (valgrind's callgrind): the same count on every run, whatever
else the machine does.

    python benchmarks/callgrind_dm.py [--code DIR] [--few 10] [--many 60] [--fresh]
                                      [--database postgresql] [--keep DIR]
                                      [--app both|policybot|bare|harness] [--profile FILE]

One process does what a gunicorn worker does (the app as `runtime.wsgi` builds it, the sample
policy adopted in a fresh SQLite database, the stand-in Web API in a process of its own) and
is sent direct messages through its WSGI callable, one at a time, each waited for until its
answer reaches the stand-in Slack: first 40 to warm it (every one of 40 askers asks once),
then `few` or `many`. With `--fresh`, every DM asks a question not asked before (the
development sets' questions in turn), as an organisation's people do: the sample's 32
questions come back, and what the answer remembers of a text (its masked form) is then
found, not worked out. It runs twice under callgrind (`PYTHONHASHSEED=0`), and the difference
divided by `many - few` is one DM's instructions: the ack, the answer, its post and its
share of the sent marks, without start-up. The background loop's work by the clock (its poll
each second, the lease renewal, the scheduler's turn) is left out: under valgrind a DM takes
seconds, so it would be counted per DM, by how long the run took. `--code DIR`: another
checkout (with its own `.venv`), to count the code before a change. `--database
postgresql`: in a throwaway PostgreSQL server instead, whose own work is not counted (a
process of its own, outside valgrind): what the driver and its round trips cost the worker.
Takes minutes. `--statements` (PostgreSQL only): no valgrind; the server logs every
statement it is sent (`log_statement = all`), and the same difference counts one DM's
statements, each a round trip (psycopg's BEGIN and COMMIT among them).

`--app`: by default (`both`) the same count for policybot, for the bare Bolt app of
`make bench-slack` (`slackbench/bare_app.py`: no database) and for the harness alone (an app
that reads the request, acks and answers nothing: this loop's signing, requests and waits),
then each app's count without the harness's and their ratio: issue 13's CPU ratio, steady.
`--keep DIR` keeps callgrind's files (`callgrind.APP.DMS.out`) for `callgrind_annotate
--inclusive=yes`. `--profile FILE`: no valgrind; `many` DMs after the same warm-up under
cProfile, one profile per thread with the thread's CPU time as its clock, into
`FILE.policybot` and `FILE.bare` (`python -m pstats`); idle threads still show time in
`lock.acquire` and `SimpleQueue.get` (leave those out), and cProfile's cost per call
inflates code of many small calls, so read shares, not milliseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
WARM = 40  # askers, each asking once before the count
WAIT_S = 1200  # for one answer, under valgrind on a busy machine


def fresh_questions() -> list[str]:
    """Every check question of the sample and the development sets, each once, in order."""
    files = [ROOT / "examples/gemeente-voorbeeld.questions.yml"]
    files += sorted((ROOT / "benchmarks/devset").glob("*.questions.yml"))
    texts = [
        " ".join(case["text"].split())
        for path in files
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))
        if case.get("kind", "check") == "check"
    ]
    return list(dict.fromkeys(texts))


def count(
    code: Path,
    dms: int,
    fresh: bool = False,
    database_kind: str = "sqlite",
    statements: bool = False,
    app: str = "policybot",
    profile: Path | None = None,
    keep: Path | None = None,
) -> int:
    """Instructions of one run: start-up, the warm DMs, and `dms` more (with `statements`,
    the statements the PostgreSQL server was sent in that run). `app`: policybot, or the
    bare Bolt app (`slackbench/bare_app.py`, no database) under the same harness."""
    sys.path.insert(0, str(code))
    from benchmarks.slackbench import processes
    from benchmarks.slackbench.processes import (
        adopt_sample_policy,
        compile_bytecode,
        environment,
        fake_slack,
    )

    # Without bytecode on disk (PYTHONDONTWRITEBYTECODE) every run counts compiling the
    # modules it imports, and a run whose modules another process compiled meanwhile does
    # not: the difference of two runs was then the compiling, not the DMs.
    compile_bytecode(code)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="callgrind-dm-")))
        fake = stack.enter_context(fake_slack(200))
        if hasattr(processes, "database"):
            url = stack.enter_context(processes.database(database_kind, workdir))
        elif database_kind == "sqlite":  # a checkout from before `--database`
            url = f"sqlite:///{workdir / 'policybot.db'}"
        else:
            raise SystemExit(f"{code} is older than `--database`: count it on SQLite")
        if app == "policybot":
            adopt_sample_policy(url, fake, workdir, code)
        env = (
            environment(url, fake, 0, workdir, code)
            | {
                "PYTHONHASHSEED": "0",
                # Under valgrind a writer may wait seconds for its turn: no false "locked".
                "POLICYBOT_DB_STATEMENT_TIMEOUT_MS": "600000",
            }
            | ({"CALLGRIND_DM_PROFILE": str(profile.resolve())} if profile else {})
        )
        out = workdir / "callgrind.out"
        log = _log_statements(url) if statements else None
        counted = [str(code / ".venv/bin/python"), str(ROOT / "benchmarks/callgrind_dm.py"),
                   "--inside", str(dms), "--app", app, *(["--fresh"] if fresh else [])]  # fmt: skip
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        run = subprocess.run(
            counted if log or profile else valgrind + counted,
            env=env, cwd=workdir, capture_output=True, text=True,
        )  # fmt: skip
        if log is not None and "answered" in run.stdout:
            return _statements_in(log)
        if profile is not None and "answered" in run.stdout:
            return 0
        if "answered" not in run.stdout or not out.exists():
            raise SystemExit(f"the counted run failed:\n{run.stderr[-3000:]}")
        if keep is not None:  # for `callgrind_annotate --inclusive=yes FILE`
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(out, keep / f"callgrind.{app}.{dms}.out")
        totals = [line for line in out.read_text().splitlines() if line.startswith("summary:")]
        return int(totals[0].split()[1])


def _log_statements(url: str) -> Path:
    """Have the throwaway server log every statement; its log file (`server.log` beside its
    data directory, as `scripts/throwaway_postgres.sh` starts it)."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "", 1), autocommit=True) as connection:
        connection.execute("ALTER SYSTEM SET log_statement = 'all'")
        connection.execute("SELECT pg_reload_conf()")
        row = connection.execute("SHOW data_directory").fetchone()
    assert row is not None
    return Path(row[0]).parent / "server.log"


def _statements_in(log: Path) -> int:
    """Statements the server was sent: a simple query's line, or an extended query's
    `execute` (psycopg's prepared statements and parameters)."""
    lines = log.read_text(errors="replace").splitlines()
    return sum(1 for line in lines if "LOG:  statement: " in line or "LOG:  execute " in line)


def _profile_every_thread() -> list[cProfile.Profile]:
    """A cProfile of its own in this thread and every thread started from now on (the app's
    executors and sender): cProfile sees only the thread that enables it."""
    profiles: list[cProfile.Profile] = []

    def start(*_: object) -> None:
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)  # CPU time, mostly not waits
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start)
    start()  # this thread: the door and the ack, as a server's request thread
    return profiles


def _no_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The harness's stand-in for an app: reads the request, acks, answers nothing."""
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Length", "0")])
    return [b""]


def inside(dms: int, fresh: bool, app: str) -> None:
    """Under valgrind: build the app, send the DMs, wait for each answer. With
    CALLGRIND_DM_PROFILE (no valgrind): cProfile the counted DMs, every thread, into that
    file (`python -m pstats FILE`)."""
    profile_to = os.environ.get("CALLGRIND_DM_PROFILE")
    profiles = _profile_every_thread() if profile_to else []
    if app == "policybot":
        import runtime.background as background

        background.TICK = 3600.0
        background.RENEW_EVERY = timedelta(days=1)
        background.SCHEDULE_EVERY = timedelta(days=1)
        from runtime.wsgi import application
    elif app == "bare":
        from benchmarks.slackbench.bare_app import application
    else:  # "harness": this loop's own work, the same for both, to take from both
        application = _no_app
    from benchmarks.slackbench import load
    from benchmarks.slackbench.load import SECRET, Target, dm_request
    from runtime.fakeslack.signing import signed_headers

    fake_port = int(os.environ["SLACK_API_URL"].rsplit(":", 1)[1].split("/")[0])
    fake = http.client.HTTPConnection("127.0.0.1", fake_port, timeout=WAIT_S + 60)
    target, asked = Target("this", [0], 1), dict[str, int]()

    questions = fresh_questions() if fresh else []

    def ask(n: int, question: str | None) -> None:
        if question is not None:  # the other checkout's `dm_request` takes its questions so
            load.QUESTIONS = [question]
        body, content_type, channel = dm_request(target, n)
        raw = body.encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "3000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.multithread": True,
            "wsgi.multiprocess": False, "wsgi.run_once": False,
        } | {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in signed_headers(SECRET, body, content_type).items()
        }  # fmt: skip
        status: list[str] = []
        answer = application(environ, lambda s, _h, _e=None: status.append(s))
        b"".join(answer)
        getattr(answer, "close", lambda: None)()  # the hand-over happens at close
        if not status[0].startswith("200"):
            raise SystemExit(f"DM {n} answered {status[0]}")
        asked[channel] = asked.get(channel, 0) + (app != "harness")  # no answer comes
        query = f"channel={channel}&count={asked[channel]}&timeout={WAIT_S}"
        fake.request("GET", f"/bench/arrivals?{query}")
        if len(json.loads(fake.getresponse().read())["arrivals"][channel]) < asked[channel]:
            raise SystemExit(f"DM {n} was not answered within {WAIT_S} s")

    for n in range(WARM + dms):
        if n == WARM:  # the warm-up is not counted
            for profile in profiles:
                profile.clear()
        ask(n % WARM, questions[n] if fresh else None)
    if profile_to:
        stats = [profile for profile in profiles if profile.getstats()]
        pstats.Stats(*stats).dump_stats(profile_to)
    print("answered", dms, flush=True)
    os._exit(0)  # the app's threads are not ours to stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to count")
    parser.add_argument("--few", type=int, default=10)
    parser.add_argument("--many", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="a new question in every DM")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--statements", action="store_true", help="count statements (PostgreSQL), not instructions"
    )
    parser.add_argument(
        "--app",
        choices=("both", "policybot", "bare", "harness"),
        default="both",
        help="count policybot, the bare Bolt app, the harness alone, or all three and the "
        "ratio of the apps without the harness (`both`, the default)",
    )
    parser.add_argument(
        "--profile", type=Path, help="no valgrind: cProfile `many` DMs (every thread) into FILE"
    )
    parser.add_argument("--keep", type=Path, help="keep callgrind's output files in DIR")
    parser.add_argument("--inside", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside is not None:
        inside(args.inside, args.fresh, args.app)
        return
    if args.statements and args.database != "postgresql":
        parser.error("--statements counts what a PostgreSQL server is sent: --database postgresql")
    if args.statements and args.app != "policybot":
        args.app = "policybot"  # the bare app has no database
    code = args.code.resolve()
    if args.profile:
        for app in ("policybot", "bare") if args.app == "both" else (args.app,):
            out = args.profile.with_name(f"{args.profile.name}.{app}")
            count(code, args.many, args.fresh, args.database, False, app, out)
            print(f"{app}: {args.many} DMs profiled into {out}")
        return
    apps = ("policybot", "bare", "harness") if args.app == "both" else (args.app,)
    what = "statements" if args.statements else "instructions"
    per_dm: dict[str, float] = {}
    for app in apps:
        few, many = (
            count(code, dms, args.fresh, args.database, args.statements, app, keep=args.keep)
            for dms in (args.few, args.many)
        )
        per_dm[app] = (many - few) / (args.many - args.few)
        print(f"{app} ({code}): {few:,} {what} with {args.few} DMs, {many:,} with {args.many}")
        if args.statements:
            print(f"{app}, per DM answered: {per_dm[app]:.2f} statements")
        else:
            print(f"{app}, per DM answered: {per_dm[app] / 1e6:.2f} M instructions", flush=True)
    if len(per_dm) == 3:
        own = {app: per_dm[app] - per_dm["harness"] for app in ("policybot", "bare")}
        print(f"without the harness: policybot {own['policybot'] / 1e6:.2f} M, bare Bolt "
              f"{own['bare'] / 1e6:.2f} M; policybot / bare Bolt: "
              f"{own['policybot'] / own['bare']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
