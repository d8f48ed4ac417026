"""Start-up: what `policybot check` spends on imports, and `serve --http` to its first ack.

    python benchmarks/bench_startup.py [--runs 5] [--code DIR]

1. `policybot check TEXT` against the sample policy (adopted in a fresh SQLite database in a
   temporary directory): the total of `python -X importtime`'s top-level imports, the
   heaviest ones, and the whole command's wall time (median of the runs).
2. `policybot serve --http` on a free port, with the stand-in Web API on 127.0.0.1: the time
   from starting the process to the first signed `/policy help` answered 200 (tried every
   10 ms), and to its reply reaching Slack's response_url (median of the runs).

Besides wall time it prints the CPU time the processes used (user + system, from /proc on
Linux), which a busy shared machine disturbs far less. `--code DIR` runs another checkout of
policybot (e.g. `git archive main | tar -x -C /tmp/before`) with this one's environment, to
compare before and after in one sitting.

Both run from bytecode compiled beforehand (`compileall`, as the image is built), whatever
PYTHONDONTWRITEBYTECODE says: a deployment does not compile its sources at every start.

Prints figures; asserts nothing. The target is a first ack within 1 s.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slackbench.processes import compile_bytecode  # noqa: E402
from runtime.fakeslack import FakeSlack  # noqa: E402
from runtime.fakeslack.signing import FORM, signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
CODE = ROOT  # which checkout runs: --code
LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|( +)(\S+)")


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(CODE), **extra}
    return env


def policybot(*args: str) -> list[str]:
    return [sys.executable, "-m", "runtime.cli", *args]


def check_figures(workdir: Path, runs: int) -> None:
    env = environment(workdir / "policybot.db")
    sample = ROOT / "examples" / "gemeente-voorbeeld.policy.yml"
    subprocess.run(
        policybot("policy", "import", str(sample), "--adopt", "--by", "bench"),
        env=env, cwd=workdir, check=True, capture_output=True,
    )  # fmt: skip
    question = ["check", "mag ik deze foto van de teamuitje op Instagram zetten?"]
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(policybot(*question), env=env, cwd=workdir, capture_output=True)
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(after.children_user + after.children_system
                    - before.children_user - before.children_system)  # fmt: skip
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "runtime.cli", *question],
        env=env, cwd=workdir, capture_output=True, text=True,
    )  # fmt: skip
    top: dict[str, int] = {}
    for line in traced.stderr.splitlines():
        match = LINE.match(line)
        if match and len(match[2]) == 1:
            top[match[3]] = int(match[1])
    print("policybot check")
    print(f"  imports (top level, cumulative): {sum(top.values()) / 1000:.0f} ms")
    for name, micros in sorted(top.items(), key=lambda kv: -kv[1])[:6]:
        print(f"    {name:32} {micros / 1000:6.0f} ms")
    print(f"  wall time, median of {runs}: {statistics.median(walls) * 1000:.0f} ms")
    print(f"  CPU time, median of {runs}: {statistics.median(cpus) * 1000:.0f} ms")
    for heavy in ("alembic", "docx", "jinja2", "slack_bolt", "httpx", "gunicorn"):
        loaded = any(re.search(rf"\| +{heavy}$", line) for line in traced.stderr.splitlines())
        print(f"    {heavy:32} {'imported' if loaded else 'not imported'}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children still running (Linux /proc)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return float("nan")
    return total


def first_ack(workdir: Path, fake: FakeSlack, run: int) -> tuple[float, float, float]:
    port = free_port()
    env = environment(
        workdir / "serve.db",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        POLICYBOT_LANGUAGE="en",
    )
    key = f"startup{run}"
    form = {
        "command": "/policy", "text": "help", "user_id": "UBENCH01", "channel_id": "CBENCH01",
        "team_id": "TBENCH01", "response_url": fake.response_url_for(key), "trigger_id": "1.2",
    }  # fmt: skip
    body = urlencode(form)
    started = time.perf_counter()
    process = subprocess.Popen(
        policybot("serve", "--http", "--port", str(port)),
        env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while True:
            if process.poll() is not None or time.perf_counter() - started > 60:
                raise SystemExit("serve --http did not answer")
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/slack/events",
                data=body.encode(),
                headers=signed_headers(SECRET, body, FORM),
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    if answer.status == 200:
                        acked = time.perf_counter() - started
                        cpu = cpu_seconds(process.pid)
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        fake.wait_for("response_url", timeout=10)
        return acked, time.perf_counter() - started, cpu
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve_figures(workdir: Path, runs: int) -> None:
    with FakeSlack() as fake:
        # The first run also creates and migrates the database; the others find it at head.
        times = [first_ack(workdir, fake, run) for run in range(runs)]
    print("policybot serve --http (database already migrated, after the first run)")
    print(f"  first run (fresh database): first ack {times[0][0] * 1000:.0f} ms")
    later = times[1:] or times
    print(f"  start → first ack, median of {len(later)}: "
          f"{statistics.median(t[0] for t in later) * 1000:.0f} ms")  # fmt: skip
    print(f"  start → its reply at the response_url: "
          f"{statistics.median(t[1] for t in later) * 1000:.0f} ms")  # fmt: skip
    print(f"  CPU time used by then (master and worker): "
          f"{statistics.median(t[2] for t in later) * 1000:.0f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve()
    compile_bytecode(CODE)
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; code in {CODE}")
    print(f"load average at the start: {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        check_figures(Path(tmp), args.runs)
        serve_figures(Path(tmp), args.runs)
    print(f"load average at the end: {load_average()}")


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load: what else was running while this measured."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
