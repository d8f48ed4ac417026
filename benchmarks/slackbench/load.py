"""The load generator: real signed requests over keep-alive HTTP, as Slack sends them.

One `Connection` per client thread (`http.client`, kept alive). Direct messages go to each
asker's DM; the stand-in Web API (`fake_process`) tells when the answer arrived there, so an
answer is timed end to end: from the moment the request left to the moment its
`chat.postMessage` reached "Slack". Per DM channel the k-th answer belongs to the k-th
question sent there (policybot's outbox keeps a conversation in order).
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import yaml

from benchmarks.slackbench.fake_process import CHANNEL, user_id
from runtime.fakeslack.inbound import event_callback, message_event, slash_command
from runtime.fakeslack.signing import FORM, JSON, signed_headers

SECRET = "bench-signing-secret"
QUESTIONS_FILE = Path(__file__).resolve().parents[2] / "examples/gemeente-voorbeeld.questions.yml"
USERS_PER_APP = 400  # askers per app under test, disjoint, so their DM channels are its own
_numbers = itertools.count(1)


def sample_questions() -> list[str]:
    cases = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return [" ".join(c["text"].split()) for c in cases if c["kind"] == "check"]


QUESTIONS = sample_questions()


@dataclass
class Target:
    """One app under test: its name, the ports of its instances, its askers."""

    name: str
    ports: list[int]
    first_user: int
    pids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def user(self, n: int) -> str:
        return user_id(self.first_user + n % USERS_PER_APP)

    def port(self, n: int) -> int:
        return self.ports[n % len(self.ports)]


class Connection:
    """One keep-alive HTTP connection to one port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, body: str, content_type: str, path: str = "/slack/events") -> int:
        for attempt in (1, 2):  # an idle connection the server closed is opened again, once
            try:
                headers = signed_headers(SECRET, body, content_type)
                self._conn.request("POST", path, body=body.encode(), headers=headers)
                answer = self._conn.getresponse()
                answer.read()
                return answer.status
            except (OSError, http.client.HTTPException):
                self._conn.close()
                if attempt == 2:
                    return 0
        return 0

    def get(self, path: str) -> dict:
        self._conn.request("GET", path)
        answer = self._conn.getresponse()
        return json.loads(answer.read())

    def close(self) -> None:
        self._conn.close()


def dm_request(target: Target, n: int) -> tuple[str, str, str]:
    """A direct message "mag ik dit posten: …" from asker n: (body, type, its DM channel)."""
    user = target.user(n)
    channel = "D" + user[1:]
    text = "mag ik dit posten: " + QUESTIONS[n % len(QUESTIONS)]
    ts = f"{time.time():.6f}"
    envelope = event_callback(message_event(user, channel, text, ts, "im"))
    return json.dumps(envelope), JSON, channel


def command_request(target: Target, fake_url: str, n: int) -> tuple[str, str]:
    """`/policy check …` from asker n in the benchmark channel, with its own response_url."""
    user, number = target.user(n), next(_numbers)
    form = slash_command(
        "/policy",
        "check " + QUESTIONS[n % len(QUESTIONS)],
        user,
        f"asker{n}",
        CHANNEL,
        "algemeen",
        f"{number}.{uuid.uuid4().hex[:10]}",
        f"{fake_url}/respond/{user}.{CHANNEL}.{number}",
    )
    return urlencode(form), FORM


@dataclass(frozen=True)
class Sent:
    """The k-th DM to `channel`, timed from `start` (wall clock: sent, or scheduled)."""

    channel: str
    k: int
    start: float


def send_dm(
    target: Target, connection: Connection, n: int, scheduled: float | None = None
) -> tuple[int, float, Sent]:
    """Send DM n: (HTTP status, ack seconds, what to find its answer by)."""
    body, content_type, channel = dm_request(target, n)
    with target.lock:
        k = target.counts[channel]
        target.counts[channel] += 1
    sent_wall, started = time.time(), time.perf_counter()
    status = connection.post(body, content_type)
    return status, time.perf_counter() - started, Sent(channel, k, scheduled or sent_wall)


def arrivals(fake_port: int, query: str = "") -> dict[str, list[float]]:
    fake = Connection(fake_port)
    try:
        return fake.get("/bench/arrivals" + query)["arrivals"]
    finally:
        fake.close()


def wait_for_answer(fake: Connection, sent: Sent, timeout: float = 10.0) -> float | None:
    """Seconds from `sent.start` to its answer in Slack (None: none within `timeout`)."""
    query = f"/bench/arrivals?channel={sent.channel}&count={sent.k + 1}&timeout={timeout}"
    got = fake.get(query)["arrivals"][sent.channel]
    return got[sent.k] - sent.start if len(got) > sent.k else None


def answers(fake_port: int, sents: list[Sent], wait: float = 20.0) -> tuple[list[float], int]:
    """Each DM's time to its answer, and how many got none within `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        got = arrivals(fake_port)
        missing = [s for s in sents if len(got.get(s.channel, [])) <= s.k]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    times = [got[s.channel][s.k] - s.start for s in sents if len(got.get(s.channel, [])) > s.k]
    return times, len(missing)


def run_clients(count: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
