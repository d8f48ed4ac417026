"""The processes of the Slack benchmark: the stand-in Web API, policybot and the bare Bolt
app under the same gunicorn, their CPU time from /proc, and their time to a first ack."""

from __future__ import annotations

import compileall
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.slackbench.load import SECRET, Connection, Target, command_request

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "-w", "2", "--threads", "8"]
SAMPLE_POLICY = ROOT / "examples" / "gemeente-voorbeeld.policy.yml"


def compile_bytecode(code: Path) -> None:
    """Compile the checkout's modules to bytecode, as the image does (`compileall` in the
    Dockerfile), so start-up is measured as a deployment starts. A shell with
    PYTHONDONTWRITEBYTECODE set (as CI and some development machines have) would otherwise
    compile all of policybot's sources again at every start: about 0.2 s of CPU."""
    for package in ("bot", "handlers", "runtime"):
        compileall.compile_dir(code / package, quiet=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(
    database_url: str, fake_port: int, port: int, workdir: Path, root: Path = ROOT
) -> dict[str, str]:
    """The app's environment; `root`: the checkout whose code it runs (another one's, to
    compare: its modules come first on the path)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    metrics = workdir / f"metrics-{port}"
    metrics.mkdir(exist_ok=True)
    return env | {
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(root),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{fake_port}/api/",
        "POLICYBOT_LANGUAGE": "nl",
        "PORT": str(port or 3000),
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }


@contextmanager
def fake_slack(users: int) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.slackbench.fake_process", str(port), str(users)],
        cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        process.stdout.readline()  # "ready"
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """The URL of a fresh database of `kind`: a SQLite file in `workdir`, or a throwaway
    PostgreSQL server (as `make test` starts it), stopped at the end."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'policybot.db'}"
        return
    pg = Path(tempfile.mkdtemp(prefix="policybot-pg."))  # its own: the server's user enters it
    url = subprocess.run(
        [str(ROOT / "scripts/throwaway_postgres.sh"), "start", str(pg)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    try:
        yield url
    finally:
        subprocess.run([str(ROOT / "scripts/throwaway_postgres.sh"), "stop", str(pg)], check=False)


def server_pid(database_url: str) -> int | None:
    """The PostgreSQL server's main process, whose children are the backends serving each
    connection (their CPU time is the database's work); None for SQLite, which runs inside
    the app's processes."""
    if not database_url.startswith("postgresql"):
        return None
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "", 1)) as connection:
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])


def adopt_sample_policy(
    database_url: str, fake_port: int, workdir: Path, root: Path = ROOT
) -> None:
    env = environment(database_url, fake_port, 0, workdir, root)
    subprocess.run(
        [sys.executable, "-m", "runtime.cli", "policy", "import", str(SAMPLE_POLICY),
         "--adopt", "--by", "bench"],
        env=env, cwd=workdir, check=True, capture_output=True,
    )  # fmt: skip


def app_command(
    kind: str, port: int, workers: list[str] | None = None, root: Path = ROOT
) -> list[str]:
    gunicorn = workers or GUNICORN
    if kind == "policybot":
        return [*gunicorn, "-c", str(root / "runtime/gunicorn_conf.py"), "runtime.wsgi:application"]
    return [*gunicorn, "-k", "gthread", "--keep-alive", "5", "-b", f"127.0.0.1:{port}",
            "benchmarks.slackbench.bare_app:application"]  # fmt: skip


@contextmanager
def serving(
    target: Target, kind: str, database_url: str, fake_port: int, workdir: Path,
    cores: list[str | None], root: Path = ROOT,
) -> Iterator[Target]:  # fmt: skip
    """Start `kind` (policybot or bare) on each of `target.ports` (pinned to `cores`), from
    the checkout `root`."""
    processes = []
    for port, core in zip(target.ports, cores, strict=True):
        pin = ["taskset", "-c", core] if core is not None else []
        with (workdir / f"{kind}-{port}.log").open("ab") as log:  # the child keeps its copy
            processes.append(subprocess.Popen(
                [*pin, *app_command(kind, port, root=root)],
                env=environment(database_url, fake_port, port, workdir, root), cwd=workdir,
                stdout=subprocess.DEVNULL, stderr=log,
            ))  # fmt: skip
    try:
        for port, process in zip(target.ports, processes, strict=True):
            wait_until_acked(port, process, target, fake_port)
        target.pids = [p.pid for p in processes]
        yield target
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=40)


def wait_until_acked(
    port: int, process: subprocess.Popen, target: Target, fake_port: int, started: float = 0.0
) -> float:
    """Seconds from `started` until a signed `/policy check` on `port` is answered 200."""
    started = started or time.perf_counter()
    fake_url = f"http://127.0.0.1:{fake_port}"
    while True:
        if process.poll() is not None or time.perf_counter() - started > 60:
            raise SystemExit(f"the app on port {port} did not start (see its log)")
        connection = Connection(port)
        try:
            body, content_type = command_request(target, fake_url, 0)
            if connection.post(body, content_type) == 200:
                return time.perf_counter() - started
        finally:
            connection.close()
        time.sleep(0.01)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes and their children (Linux /proc)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for each in [str(pid), *children]:
            try:
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
            grandchildren = Path(f"/proc/{each}/task/{each}/children")
            if each != str(pid) and grandchildren.exists():
                total += cpu_seconds([int(c) for c in grandchildren.read_text().split()])
    return total


def first_ack(kind: str, database_url: str, fake_port: int, workdir: Path, target: Target) -> float:
    """Seconds from starting one worker of `kind` (policybot: `policybot serve --http`) to its
    first acknowledged `/policy check`."""
    port, started = free_port(), time.perf_counter()
    if kind == "policybot":
        command = [sys.executable, "-m", "runtime.cli", "serve", "--http", "--port", str(port)]
    else:
        command = app_command(kind, port, [str(BIN / "gunicorn"), "-w", "1", "--threads", "8"])
    process = subprocess.Popen(
        command, env=environment(database_url, fake_port, port, workdir), cwd=workdir,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        return wait_until_acked(port, process, target, fake_port, started)
    finally:
        process.terminate()
        process.wait(timeout=40)
