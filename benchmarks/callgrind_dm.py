"""Instructions per DM answered (valgrind's callgrind): the same count on every run, whatever
else the machine does.

    python benchmarks/callgrind_dm.py [--code DIR] [--few 10] [--many 60]

One process does what a gunicorn worker does (the app as `runtime.wsgi` builds it, the sample
policy adopted in a fresh SQLite database, the stand-in Web API in a process of its own) and
is sent direct messages through its WSGI callable, one at a time, each waited for until its
answer reaches the stand-in Slack: first 40 to warm it (every one of 40 askers asks once),
then `few` or `many`. It runs twice under callgrind (`PYTHONHASHSEED=0`), and the difference
divided by `many - few` is one DM's instructions: the ack, the answer, its post and its
share of the sent marks, without start-up. The background loop's work by the clock (its poll
each second, the lease renewal, the scheduler's turn) is left out: under valgrind a DM takes
seconds, so it would be counted per DM, by how long the run took. `--code DIR`: another
checkout (with its own `.venv`), to count the code before a change. Takes minutes.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM = 40  # askers, each asking once before the count
WAIT_S = 1200  # for one answer, under valgrind on a busy machine


def count(code: Path, dms: int) -> int:
    """Instructions of one run: start-up, the warm DMs, and `dms` more."""
    sys.path.insert(0, str(code))
    from benchmarks.slackbench.processes import adopt_sample_policy, environment, fake_slack

    with tempfile.TemporaryDirectory(prefix="callgrind-dm-") as tmp, fake_slack(200) as fake:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'policybot.db'}"
        adopt_sample_policy(url, fake, workdir, code)
        env = environment(url, fake, 0, workdir, code) | {
            "PYTHONHASHSEED": "0",
            # Under valgrind a writer may wait seconds for its turn: no false "locked".
            "POLICYBOT_DB_STATEMENT_TIMEOUT_MS": "600000",
        }
        out = workdir / "callgrind.out"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             str(code / ".venv/bin/python"), str(ROOT / "benchmarks/callgrind_dm.py"),
             "--inside", str(dms)],
            env=env, cwd=workdir, capture_output=True, text=True,
        )  # fmt: skip
        if "answered" not in run.stdout or not out.exists():
            raise SystemExit(f"the counted run failed:\n{run.stderr[-3000:]}")
        totals = [line for line in out.read_text().splitlines() if line.startswith("summary:")]
        return int(totals[0].split()[1])


def inside(dms: int) -> None:
    """Under valgrind: build the app, send the DMs, wait for each answer."""
    import runtime.background as background

    background.TICK = 3600.0
    background.RENEW_EVERY = timedelta(days=1)
    background.SCHEDULE_EVERY = timedelta(days=1)
    from benchmarks.slackbench.load import SECRET, Target, dm_request
    from runtime.fakeslack.signing import signed_headers
    from runtime.wsgi import application

    fake_port = int(os.environ["SLACK_API_URL"].rsplit(":", 1)[1].split("/")[0])
    fake = http.client.HTTPConnection("127.0.0.1", fake_port, timeout=WAIT_S + 60)
    target, asked = Target("this", [0], 1), dict[str, int]()

    def ask(n: int) -> None:
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
        asked[channel] = asked.get(channel, 0) + 1
        query = f"channel={channel}&count={asked[channel]}&timeout={WAIT_S}"
        fake.request("GET", f"/bench/arrivals?{query}")
        if len(json.loads(fake.getresponse().read())["arrivals"][channel]) < asked[channel]:
            raise SystemExit(f"DM {n} was not answered within {WAIT_S} s")

    for n in range(WARM + dms):
        ask(n % WARM)
    print("answered", dms, flush=True)
    os._exit(0)  # the app's threads are not ours to stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to count")
    parser.add_argument("--few", type=int, default=10)
    parser.add_argument("--many", type=int, default=60)
    parser.add_argument("--inside", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside is not None:
        inside(args.inside)
        return
    code = args.code.resolve()
    few, many = count(code, args.few), count(code, args.many)
    per_dm = (many - few) / (args.many - args.few)
    print(f"{code}: {few:,} instructions with {args.few} DMs, {many:,} with {args.many}")
    print(f"per DM answered: {per_dm / 1e6:.2f} M instructions")


if __name__ == "__main__":
    main()
