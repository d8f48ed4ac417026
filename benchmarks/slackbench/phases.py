"""The measurements of the Slack benchmark, each on one app under test (`Target`)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.slackbench.load import (
    Connection,
    Sent,
    Target,
    answers,
    command_request,
    run_clients,
    send_dm,
    wait_for_answer,
)
from benchmarks.slackbench.processes import cpu_seconds

ANSWER_DEADLINE = 3.0  # Slack's: an ack later than this is a failed delivery


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Sequential:
    """One request at a time, each waited for until its answer reached Slack."""

    command_acks: list[float]
    dm_acks: list[float]
    dm_answers: list[float]
    cpu_per_command: float
    cpu_per_dm: float
    errors: int


def one_at_a_time(target: Target, fake_port: int, count: int, first: int) -> Sequential:
    fake_url = f"http://127.0.0.1:{fake_port}"
    connection, fake = Connection(target.ports[0]), Connection(fake_port)
    command_acks, dm_acks, dm_answers, errors = [], [], [], 0
    try:
        cpu = cpu_seconds(target.pids)
        for n in range(first, first + count):
            user = target.user(n)
            k = target.counts["respond:" + user]
            target.counts["respond:" + user] += 1
            body, content_type = command_request(target, fake_url, n)
            started = time.perf_counter()
            errors += connection.post(body, content_type) != 200
            command_acks.append(time.perf_counter() - started)
            errors += wait_for_answer(fake, Sent("respond:" + user, k, 0.0)) is None
        cpu_commands, cpu = cpu_seconds(target.pids) - cpu, cpu_seconds(target.pids)
        for n in range(first, first + count):
            status, acked, sent = send_dm(target, connection, n)
            answered = wait_for_answer(fake, sent)
            dm_acks.append(acked)
            errors += status != 200 or answered is None
            if answered is not None:
                dm_answers.append(answered)
        cpu_dms = cpu_seconds(target.pids) - cpu
    finally:
        connection.close()
        fake.close()
    return Sequential(
        command_acks, dm_acks, dm_answers, cpu_commands / count, cpu_dms / count, errors
    )


@dataclass
class Loaded:
    acks: list[float]  # from the moment each request was due
    answers: list[float]
    missing: int
    errors: int
    rate: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no HTTP answer at all

    @property
    def held(self) -> bool:
        return (
            not self.missing
            and not self.errors
            and percentile(self.acks, 0.99) < ANSWER_DEADLINE
            and percentile(self.answers, 0.99) < ANSWER_DEADLINE
        )


class Tally:
    """What the client threads of one phase saw, gathered under a lock."""

    def __init__(self) -> None:
        self.acks: list[float] = []
        self.sents: list[Sent] = []
        self.errors = 0
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()

    def add(self, status: int, acked: float, sent: Sent) -> None:
        with self._lock:
            self.acks.append(acked)
            self.sents.append(sent)
            self.errors += status != 200
            self.statuses[status] += 1

    def loaded(self, fake_port: int, wait: float, rate: float = 0.0) -> Loaded:
        times, missing = answers(fake_port, self.sents, wait=wait)
        return Loaded(self.acks, times, missing, self.errors, rate, self.statuses)


def concurrent(target: Target, fake_port: int, clients: int, each: int, first: int) -> Loaded:
    """`clients` askers at once, each sending its next DM as soon as the last was acked."""
    tally = Tally()

    def client(c: int) -> None:
        connection = Connection(target.port(c))
        try:
            for j in range(each):
                tally.add(*send_dm(target, connection, first + c * each + j))
        finally:
            connection.close()

    run_clients(clients, client)
    return tally.loaded(fake_port, wait=20.0)


def open_loop(
    target: Target, fake_port: int, rate: float, seconds: float, first: int, workers: int = 64
) -> Loaded:
    """DMs at a steady `rate` per second for `seconds`, whatever the app does (open loop):
    latencies count from when each request was due, so a queue in front shows."""
    total = int(rate * seconds)
    due_from = time.time() + 0.2
    numbers = itertools.count()
    tally = Tally()

    def worker(w: int) -> None:
        connection = Connection(target.port(w))
        try:
            while (i := next(numbers)) < total:
                due = due_from + i / rate
                if (wait := due - time.time()) > 0:
                    time.sleep(wait)
                status, _, sent = send_dm(target, connection, first + i, scheduled=due)
                tally.add(status, time.time() - due, sent)
        finally:
            connection.close()

    run_clients(workers, worker)
    return tally.loaded(fake_port, wait=30.0, rate=rate)
