"""policybot against a bare slack-bolt app, side by side, on this machine.

    python benchmarks/bench_slack.py [--rounds 5] [--database postgresql] [--instances 2]

Both run under the same gunicorn (`-w 2 --threads 8`, gthread) against the same stand-in
Web API (`runtime/fakeslack`, a process of its own), and are measured interleaved in one run
(policybot, bare, bare, policybot, …), so a busy shared machine disturbs both alike and the
ratios stay fair. The load generator sends real signed requests over keep-alive HTTP from
threads of its own process. The bare app acknowledges and posts one message; policybot does
its real work on the sample policy (examples/gemeente-voorbeeld.policy.yml), adopted in a
fresh SQLite database, or with `--database postgresql` on a throwaway PostgreSQL server
(started as `make test` starts it: local, durability settings off). Every one of the 400
askers of each app has asked once before the figures are taken (their Slack profiles known,
as in an organisation whose people ask again within a day); a first question costs
policybot one `users.info` more.

Figures (p50/p99 over all rounds):
- `/policy check` ack, one at a time (each answer waited for before the next request);
- DM "mag ik dit posten: …" ack, one at a time; its answer reaching Slack, end to end;
- CPU per request: user + system time of the gunicorn processes (/proc), per command and
  per DM answered, background threads included; on PostgreSQL, the server's own (its
  backends, a process each) per request of policybot's rounds, commands and DMs together;
- ack p99 with 20 askers at once (closed loop);
- DM events one instance holds (a ramp of steady rates, 3 s each; held: every ack and every
  answer within 3 s at p99, nothing lost);
- start to first ack: `policybot serve --http` against gunicorn with the bare app, one worker,
  from bytecode compiled beforehand as in the image;
- `check` p50 at 10,000 rules (the engine alone; benchmarks/bench_check.py's policy).

With `--instances 2` (PostgreSQL only): on a throwaway PostgreSQL, the ramp for one
instance pinned to one core, then two instances pinned to a core each, requests spread
over both: how throughput grows with instances.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slackbench.load import USERS_PER_APP, Target  # noqa: E402
from benchmarks.slackbench.phases import (  # noqa: E402
    Loaded,
    Sequential,
    concurrent,
    one_at_a_time,
    open_loop,
    percentile,
)
from benchmarks.slackbench.processes import (  # noqa: E402
    adopt_sample_policy,
    compile_bytecode,
    cpu_seconds,
    database,
    fake_slack,
    first_ack,
    free_port,
    server_pid,
    serving,
)

DATABASES = {"sqlite": "SQLite (a file)", "postgresql": "PostgreSQL (throwaway, local)"}
RATES = (50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000)
KINDS = ("policybot", "bare")


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def row(name: str, ours: float, bare: float | None, unit: Callable[[float], str] = ms) -> None:
    ratio = f"{ours / bare:.2f}" if bare else ""
    print(f"| {name} | {unit(ours)} | {unit(bare) if bare is not None else ''} | {ratio} |")


def interleaved(rounds: int) -> list[tuple[str, ...]]:
    return [KINDS if r % 2 == 0 else KINDS[::-1] for r in range(rounds)]


def statuses(result: Loaded) -> str:
    """The HTTP statuses other than 200 the load generator got (0: no answer at all)."""
    other = {s: n for s, n in sorted(result.statuses.items()) if s != 200}
    return f" (HTTP {', '.join(f'{s}: {n}' for s, n in other.items())})" if other else ""


def ramp(targets: dict[str, Target], fake_port: int, seconds: float = 3.0) -> dict[str, float]:
    """The highest steady DM rate each target held; interleaved step by step."""
    held = dict.fromkeys(targets, 0.0)
    going = set(targets)
    offset = 0
    for rate in RATES:
        for kind in [k for k in targets if k in going]:
            result = open_loop(targets[kind], fake_port, rate, seconds, offset)
            offset += int(rate * seconds)
            print(f"    {kind:9} {rate:4}/s: ack p99 {ms(percentile(result.acks, 0.99))}, "
                  f"answer p99 {ms(percentile(result.answers, 0.99))}, "
                  f"missing {result.missing}, errors {result.errors}{statuses(result)} "
                  f"({'held' if result.held else 'not held'}; {machine()})")  # fmt: skip
            if result.held:
                held[kind] = rate
            else:
                going.discard(kind)
        if not going:
            break
    return held


def single_instance(args: argparse.Namespace, workdir: Path) -> None:
    with database(args.database, workdir) as database_url:
        measure_one_instance(args, workdir, database_url)


def measure_one_instance(args: argparse.Namespace, workdir: Path, database_url: str) -> None:
    with fake_slack(2 * USERS_PER_APP) as fake_port:
        adopt_sample_policy(database_url, fake_port, workdir)
        targets = {
            kind: Target(kind, [free_port()], 1 + i * USERS_PER_APP) for i, kind in enumerate(KINDS)
        }
        with (
            serving(targets["policybot"], "policybot", database_url, fake_port, workdir, [None]),
            serving(targets["bare"], "bare", database_url, fake_port, workdir, [None]),
        ):
            print(f"both apps up; {machine()}")
            for kind in KINDS:  # warm-up: caches, connections, lazy imports; every asker
                concurrent(targets[kind], fake_port, 8, USERS_PER_APP // 8, 0)  # asks once
            sequential: dict[str, list[Sequential]] = {k: [] for k in KINDS}
            server, server_cpu = server_pid(database_url), 0.0
            for r, order in enumerate(interleaved(args.rounds)):
                for kind in order:
                    ours = server is not None and kind == "policybot"
                    before = cpu_seconds([server]) if ours else 0.0
                    sequential[kind].append(
                        one_at_a_time(targets[kind], fake_port, args.requests, r * args.requests)
                    )
                    server_cpu += cpu_seconds([server]) - before if ours else 0.0
            print(f"one at a time done; {machine()}")
            loaded: dict[str, list[Loaded]] = {k: [] for k in KINDS}
            for r, order in enumerate(interleaved(3)):
                for kind in order:
                    loaded[kind].append(
                        concurrent(targets[kind], fake_port, 20, 10, 20_000 + r * 200)
                    )
            print(f"20 at once done; {machine()}")
            print("  ramp of steady DM rates (3 s each):")
            held = ramp(targets, fake_port)
        startup: dict[str, list[float]] = {k: [] for k in KINDS}
        for order in interleaved(3):
            for kind in order:
                startup[kind].append(
                    first_ack(kind, database_url, fake_port, workdir, targets[kind])
                )
    check_p50 = check_at_10000_rules()
    per_request = server_cpu / (2 * args.rounds * args.requests) if server else None
    report(sequential, loaded, held, startup, check_p50, args.database, per_request)


def report(
    sequential: dict[str, list[Sequential]],
    loaded: dict[str, list[Loaded]],
    held: dict[str, float],
    startup: dict[str, list[float]],
    check_p50: float,
    database_kind: str,
    server_cpu: float | None,
) -> None:
    def joined(kind: str, field: str) -> list[float]:
        return [x for s in sequential[kind] for x in getattr(s, field)]

    def median_of(kind: str, field: str) -> float:  # per request over all rounds
        return statistics.fmean(getattr(s, field) for s in sequential[kind])

    pb, bare = "policybot", "bare"
    errors = {k: sum(s.errors for s in sequential[k]) for k in KINDS}
    print()
    print(f"Machine: {machine()}; Python {sys.version.split()[0]}; policybot on "
          f"{DATABASES[database_kind]}; errors {errors}")  # fmt: skip
    print()
    print("| figure | policybot | bare Bolt | ratio |")
    print("| --- | --- | --- | --- |")
    for name, field in (
        ("`/policy check` ack p50, 1 at a time", "command_acks"),
        ('DM "mag ik dit posten" ack p50, 1 at a time', "dm_acks"),
        ("DM answer reaches Slack (end to end) p50", "dm_answers"),
    ):
        row(name, percentile(joined(pb, field), 0.5), percentile(joined(bare, field), 0.5))
    row(
        "CPU per `/policy check`",
        median_of(pb, "cpu_per_command"),
        median_of(bare, "cpu_per_command"),
    )
    row("CPU per DM answered", median_of(pb, "cpu_per_dm"), median_of(bare, "cpu_per_dm"))
    if server_cpu is not None:  # not in the rows above: a process of its own
        row("PostgreSQL server's CPU per request (commands and DMs)", server_cpu, None)
    acks = {k: [a for run in loaded[k] for a in run.acks] for k in KINDS}
    row("DM ack p99, 20 at once", percentile(acks[pb], 0.99), percentile(acks[bare], 0.99))
    answered = {k: [a for run in loaded[k] for a in run.answers] for k in KINDS}
    row(
        "DM answer p99, 20 at once",
        percentile(answered[pb], 0.99),
        percentile(answered[bare], 0.99),
    )
    row("DM events/s held by one instance (p99 < 3 s)", held[pb], held[bare],
        lambda x: f"≥ {x:.0f}/s")  # fmt: skip
    row("start to first ack (one worker)", statistics.median(startup[pb]),
        statistics.median(startup[bare]))  # fmt: skip
    row("`check` p50 at 10,000 rules (engine)", check_p50, None)


def check_at_10000_rules() -> float:
    from bench_check import questions, synthetic_policy  # type: ignore[import-not-found]

    from bot.answering import compile_policy
    from bot.policy.validation import parse_policy

    data, vocabulary = synthetic_policy(10_000, random.Random(20260120))
    engine = compile_policy(parse_policy(data), "bench")
    texts = questions(vocabulary, random.Random(7))
    for text in texts:
        engine.check(text, ("all", "group1"))
    timings = []
    for _ in range(3):
        for text in texts:
            started = time.perf_counter()
            engine.check(text, ("all", "group1"))
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def fleet(args: argparse.Namespace, workdir: Path) -> None:
    if args.database != "postgresql":
        raise SystemExit("--instances 2 shares one database: run it with --database postgresql")
    with database(args.database, workdir) as url, fake_slack(4 * USERS_PER_APP) as fake_port:
        adopt_sample_policy(url, fake_port, workdir)
        results: dict[int, dict[str, float]] = {}
        for instances in (1, 2):
            cores = ["0", "1"][:instances]
            first = 1 + (instances - 1) * len(KINDS) * USERS_PER_APP  # askers of its own
            targets = {
                kind: Target(kind, [free_port() for _ in cores], first + i * USERS_PER_APP)
                for i, kind in enumerate(KINDS)
            }
            with (
                serving(targets["policybot"], "policybot", url, fake_port, workdir, cores),
                serving(targets["bare"], "bare", url, fake_port, workdir, cores),
            ):
                for kind in KINDS:
                    concurrent(targets[kind], fake_port, 8, USERS_PER_APP // 8, 0)
                print(f"  {instances} instance(s), pinned to core(s) {','.join(cores)}:")
                results[instances] = ramp(targets, fake_port)
    print()
    print(f"Machine: {machine()}; PostgreSQL (throwaway); each instance gunicorn -w 2 --threads 8")
    print()
    print("| DM events/s held (p99 < 3 s) | policybot | bare Bolt |")
    print("| --- | --- | --- |")
    for instances in (1, 2):
        print(f"| {instances} instance(s) | {results[instances]['policybot']:.0f}/s | "
              f"{results[instances]['bare']:.0f}/s |")  # fmt: skip
    for kind in KINDS:
        one, two = results[1][kind], results[2][kind]
        print(f"{kind}: two instances hold {two / one:.2f}× one" if one else f"{kind}: -")
    print(f"(the ramp ends at {RATES[-1]}/s: an app that holds it may hold more)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds, one at a time")
    parser.add_argument("--requests", type=int, default=20, help="requests of each kind per round")
    parser.add_argument("--instances", type=int, choices=(1, 2), default=1)
    parser.add_argument(
        "--database", choices=tuple(DATABASES),
        help="policybot's database (default: sqlite; postgresql with --instances 2)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="work in DIR and keep it: the apps' logs (policybot-PORT.log), the database",
    )  # fmt: skip
    args = parser.parse_args()
    args.database = args.database or ("postgresql" if args.instances == 2 else "sqlite")
    compile_bytecode(ROOT)
    print(f"{machine()}; other work on this machine shares its cores, so figures are noisy: "
          "policybot and bare Bolt run interleaved, and the ratios are what to read")  # fmt: skip
    run = fleet if args.instances == 2 else single_instance
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep.resolve())
        print(f"logs and database kept in {args.keep}")
        return
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp:
        run(args, Path(tmp))


if __name__ == "__main__":
    main()
