"""policybot against another checkout of itself, DM by DM: what a change did to a DM answer.

    python benchmarks/bench_dm_pair.py --code DIR [--runs 3] [--seconds 30]
                                       [--database postgresql] [--burst ROUNDS]
                                       [--ramp]

`make bench-slack` compares policybot with a bare Bolt app; from one run to the next on a
shared machine its CPU per DM moves by more than a change of a tenth (bare Bolt's own figure
moves between 1.7 and 2.7 ms). Here the two checkouts (this one, and `DIR`, e.g.
`git archive main | tar -x -C /tmp/before`) are served at the same time, each under the
same gunicorn as there (`-w 2 --threads 8`), with a stand-in Web API and a fresh SQLite
database of its own (`--database postgresql`: a throwaway PostgreSQL server of its own; the
sample policy adopted), and are sent the same direct messages one
at a time, alternating (this, that, that, this, …): whatever else the machine does falls
on both alike. Every asker has asked once before, as in `make bench-slack`.

Prints, per run and as the median of the runs: CPU per DM answered (user + system time of
each app's processes, /proc), the DM's answer reaching Slack end to end (p50), its ack
(p50), and the ratio
of this checkout's to the other's. Asserts nothing.

`--burst ROUNDS`: instead of one DM at a time, `make bench-slack`'s "20 at once" phase (20
askers, each sending its next DM as soon as the last was acked, 10 each), ROUNDS times per
run, alternating which checkout goes first; prints the DM ack p99 and the answer p99 of each
(over all its rounds), and their ratios. The figure issue 13 sets against bare Bolt is that
ack p99.

`--ramp`: instead, `make bench-slack`'s ramp of steady DM rates (3 s each, open loop), the
two checkouts alternating at each rate, from 200/s to 400/s: per rate, each one's ack and
answer p99 and whether it held (p99 < 3 s, nothing missing); per run, the highest rate each
held.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slackbench.load import (  # noqa: E402
    USERS_PER_APP,
    Connection,
    Target,
    send_dm,
    wait_for_answer,
)
from benchmarks.slackbench.phases import concurrent, open_loop, percentile  # noqa: E402
from benchmarks.slackbench.processes import (  # noqa: E402
    adopt_sample_policy,
    compile_bytecode,
    cpu_seconds,
    database,
    fake_slack,
    free_port,
    serving,
)


@dataclass(frozen=True)
class Burst:
    ack_p99: dict[str, float]  # seconds, by checkout
    answer_p99: dict[str, float]
    missing: dict[str, int]


@dataclass(frozen=True)
class Run:
    cpu_per_dm: dict[str, float]  # seconds, by checkout
    answer_p50: dict[str, float]
    ack_p50: dict[str, float]


@contextmanager
def served(
    codes: dict[str, Path], database_kind: str
) -> Iterator[tuple[dict[str, Target], dict[str, int]]]:
    """Each checkout served (gunicorn, its own stand-in Web API and database), every asker
    known: the targets and the stand-ins' ports, by checkout."""
    with tempfile.TemporaryDirectory(prefix="bench-dm-pair-") as tmp, ExitStack() as stack:
        targets: dict[str, Target] = {}
        fakes: dict[str, int] = {}
        for name, code in codes.items():
            workdir = Path(tmp) / name
            workdir.mkdir()
            url = stack.enter_context(database(database_kind, workdir))
            fakes[name] = stack.enter_context(fake_slack(2 * USERS_PER_APP))
            adopt_sample_policy(url, fakes[name], workdir, code)
            target = Target(name, [free_port()], 1)
            stack.enter_context(
                serving(target, "policybot", url, fakes[name], workdir, [None], code)
            )
            targets[name] = target
        for name, target in targets.items():  # every asker asks once: caches, connections
            concurrent(target, fakes[name], 8, USERS_PER_APP // 8, 0)
        yield targets, fakes


def burst_run(codes: dict[str, Path], rounds: int, database_kind: str) -> Burst:
    with served(codes, database_kind) as (targets, fakes):
        acks: dict[str, list[float]] = {name: [] for name in targets}
        answered: dict[str, list[float]] = {name: [] for name in targets}
        missing = dict.fromkeys(targets, 0)
        for r in range(rounds):
            order = list(targets) if r % 2 == 0 else list(targets)[::-1]
            for name in order:
                loaded = concurrent(targets[name], fakes[name], 20, 10, 20_000 + r * 200)
                acks[name] += loaded.acks
                answered[name] += loaded.answers
                missing[name] += loaded.missing
    return Burst(
        {name: percentile(acks[name], 0.99) for name in targets},
        {name: percentile(answered[name], 0.99) for name in targets},
        missing,
    )


RAMP_RATES = (200, 250, 300, 350, 400)


def ramp_run(codes: dict[str, Path], database_kind: str) -> dict[str, int]:
    """The highest steady DM rate each checkout held (0: none)."""
    held, going = dict.fromkeys(codes, 0), set(codes)
    with served(codes, database_kind) as (targets, fakes):
        offset = 0
        for n, rate in enumerate(RAMP_RATES):
            for name in list(targets) if n % 2 == 0 else list(targets)[::-1]:
                result = open_loop(targets[name], fakes[name], rate, 3.0, offset)
                offset += int(rate * 3.0)
                if result.held and name in going:
                    held[name] = rate
                else:  # a rate not held: higher ones no longer count
                    going.discard(name)
                print(
                    f"  {name:5} {rate}/s: ack p99 {percentile(result.acks, 0.99) * 1000:.0f} ms, "
                    f"answer p99 {percentile(result.answers, 0.99) * 1000:.0f} ms, missing "
                    f"{result.missing} ({'held' if result.held else 'not held'}; load average "
                    f"{os.getloadavg()[0]:.1f})",
                    flush=True,
                )
    return held


def one_run(codes: dict[str, Path], seconds: float, database_kind: str) -> Run:
    with served(codes, database_kind) as (targets, fakes):
        apps = {name: Connection(target.ports[0]) for name, target in targets.items()}
        slacks = {name: Connection(fakes[name]) for name in targets}
        try:
            before = {name: cpu_seconds(target.pids) for name, target in targets.items()}
            answers: dict[str, list[float]] = {name: [] for name in targets}
            acks: dict[str, list[float]] = {name: [] for name in targets}
            sent, started = 0, time.monotonic()
            while time.monotonic() - started < seconds:
                order = list(targets) if sent % 2 == 0 else list(targets)[::-1]
                for name in order:
                    _, acked, dm = send_dm(targets[name], apps[name], USERS_PER_APP + sent)
                    acks[name].append(acked)
                    answered = wait_for_answer(slacks[name], dm)
                    if answered is not None:
                        answers[name].append(answered)
                sent += 1
            cpu = {name: cpu_seconds(t.pids) - before[name] for name, t in targets.items()}
        finally:
            for connection in [*apps.values(), *slacks.values()]:
                connection.close()
    return Run(
        {name: cpu[name] / sent for name in targets},
        {name: percentile(answers[name], 0.5) for name in targets},
        {name: percentile(acks[name], 0.5) for name in targets},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, required=True, help="the other checkout")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0, help="of DMs per run")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--burst", type=int, default=0, help="rounds of 20 at once per run")
    parser.add_argument("--ramp", action="store_true", help="the held DM rate of each")
    args = parser.parse_args()
    codes = {"this": ROOT, "other": args.code.resolve()}
    for code in codes.values():
        compile_bytecode(code)
    if args.burst:
        bursts(codes, args.runs, args.burst, args.database)
        return
    if args.ramp:
        for n in range(args.runs):
            held = ramp_run(codes, args.database)
            print(f"run {n + 1}: held up to {held['this']}/s (this), {held['other']}/s (other)")
        return
    runs = []
    for n in range(args.runs):
        run = one_run(codes, args.seconds, args.database)
        runs.append(run)
        cpu, e2e, ack = run.cpu_per_dm, run.answer_p50, run.ack_p50
        print(
            f"run {n + 1}: CPU per DM {cpu['this'] * 1000:.2f} ms (this) against "
            f"{cpu['other'] * 1000:.2f} ms ({cpu['this'] / cpu['other']:.3f}); answer p50 "
            f"{e2e['this'] * 1000:.1f} against {e2e['other'] * 1000:.1f} ms "
            f"({e2e['this'] / e2e['other']:.3f}); ack p50 {ack['this'] * 1000:.2f} against "
            f"{ack['other'] * 1000:.2f} ms ({ack['this'] / ack['other']:.3f}); load average "
            f"{os.getloadavg()[0]:.1f}",
            flush=True,
        )

    def median(figure: str) -> float:
        ratios = [getattr(r, figure)["this"] / getattr(r, figure)["other"] for r in runs]
        return statistics.median(ratios)

    print(
        f"median of {len(runs)} runs, this / other: CPU per DM {median('cpu_per_dm'):.3f}, "
        f"answer p50 {median('answer_p50'):.3f}, ack p50 {median('ack_p50'):.3f}"
    )


def bursts(codes: dict[str, Path], runs: int, rounds: int, database_kind: str) -> None:
    ratios = []
    for n in range(runs):
        load = os.getloadavg()[0]
        burst = burst_run(codes, rounds, database_kind)
        ack, answer = burst.ack_p99, burst.answer_p99
        ratios.append(ack["this"] / ack["other"])
        print(
            f"run {n + 1} (20 at once, {rounds} rounds each): ack p99 {ack['this'] * 1000:.1f} "
            f"(this) against {ack['other'] * 1000:.1f} ms ({ratios[-1]:.3f}); answer p99 "
            f"{answer['this'] * 1000:.0f} against {answer['other'] * 1000:.0f} ms "
            f"({answer['this'] / answer['other']:.3f}); no answer: {burst.missing['this']}, "
            f"{burst.missing['other']}; load average {load:.1f} → {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    print(f"median of {runs} runs, this / other: ack p99 {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
