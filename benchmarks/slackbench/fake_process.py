"""The stand-in Web API as a process of its own, for the Slack benchmark.

    python -m benchmarks.slackbench.fake_process PORT USERS

It is `runtime.fakeslack.FakeSlack` with a workspace of USERS people (U_B0001 …, Dutch
locale, each with a DM with the bot) and one channel, plus what a load generator in another
process needs:

- `GET /bench/arrivals?channel=D…&count=N&timeout=S`: waits until N messages have been
  posted in that channel (or S seconds) and answers with their arrival times (`time.time()`,
  the clock both processes share), so the generator can time an answer end to end.
- `GET /bench/arrivals`: every channel's arrival times.
- `/respond/USER.CHANNEL.N`: a response_url nobody handed out yet is known at once, as one
  Slack gave with that command (the generator makes them up); what is posted there arrives
  in the "channel" `respond:USER`.

Prints `ready` on stdout once it listens.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from urllib.parse import parse_qs

from runtime.fakeslack import FakeSlack
from runtime.fakeslack.http import Answer, json_answer, parse_args

CHANNEL = "C_BENCH"


def user_id(number: int) -> str:
    return f"U_B{number:04d}"


class Arrivals:
    """The recording responder: the fake's own, plus the benchmark's endpoints."""

    def __init__(self, fake: FakeSlack) -> None:
        self._fake = fake
        self._inner = fake._server.responder  # noqa: SLF001 (the benchmark wraps the fake)
        self._times: dict[str, list[float]] = defaultdict(list)
        self._posted = threading.Condition()

    def handle_http(self, path: str, query: str, headers: dict[str, str], raw: bytes) -> Answer:
        if path == "/bench/arrivals":
            return self._arrivals(parse_qs(query))
        key = path.removeprefix("/respond/")
        if key != path:
            self._know_response_url(key)
        answer = self._inner.handle_http(path, query, headers, raw)
        if answer[0] != 200:
            return answer
        if path == "/api/chat.postMessage":
            self._record(str(parse_args(headers.get("Content-Type", ""), raw, query)["channel"]))
        elif key != path:
            self._record("respond:" + key.split(".")[0])
        return answer

    def _record(self, channel: str) -> None:
        with self._posted:
            self._times[channel].append(time.time())
            self._posted.notify_all()

    def _know_response_url(self, key: str) -> None:
        parts = key.split(".")
        if len(parts) == 3:
            self._fake.response_url_for(key, user=parts[0], channel=parts[1])

    def _arrivals(self, query: dict[str, list[str]]) -> Answer:
        channel = (query.get("channel") or [""])[0]
        if not channel:
            with self._posted:
                return json_answer(200, {"arrivals": dict(self._times)})
        count = int((query.get("count") or ["1"])[0])
        deadline = time.monotonic() + float((query.get("timeout") or ["10"])[0])
        with self._posted:
            while len(self._times[channel]) < count and time.monotonic() < deadline:
                self._posted.wait(deadline - time.monotonic())
            return json_answer(200, {"arrivals": {channel: list(self._times[channel])}})


def main(argv: list[str]) -> None:
    port, users = int(argv[0]), int(argv[1])
    fake = FakeSlack(port=port)
    for number in range(1, users + 1):
        fake.add_user(user_id(number), f"asker{number}", locale="nl-NL")
        fake.im_for(user_id(number))
    fake.add_channel(CHANNEL, "algemeen", [user_id(n) for n in range(1, users + 1)])
    fake._server.responder = Arrivals(fake)  # noqa: SLF001
    # Slack takes every connection; the stand-in's default backlog (5) would drop some under
    # load, and a dropped SYN costs a client a second: not a figure of the app under test.
    fake._server.socket.listen(1024)  # noqa: SLF001
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
