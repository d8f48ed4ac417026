"""A stand-in for an OpenAI-compatible chat API on 127.0.0.1, for tests and the benchmark.

It answers `POST /v1/chat/completions` the way the bot's client expects, and can be told to
misbehave: `mode` is one of

- `good`: `{"rules": [...], "explanation": ...}` from its `answers` (a substring of the post →
  the rule ids to name; `default` when none fits);
- `slow`: holds the request until `release()` (the client's timeout must give up first);
- `error`: HTTP 500;
- `nonsense`: content that is not JSON;
- `invented`: names rule ids the policy does not have;
- `wrong_shape`: a JSON object without a `rules` list.

Every request body is kept in `requests`, so a test can see exactly what left the bot.

    python -m runtime.fakellm [PORT]   # serves `good` with no answers, for trying it by hand
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("good", "slow", "error", "nonsense", "invented", "wrong_shape")


class FakeLLM:
    def __init__(self, mode: str = "good", answers: dict[str, list[str]] | None = None) -> None:
        self.mode = mode
        self.answers = dict(answers or {})
        self.default: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self._release = threading.Event()
        self._arrived = threading.Event()
        self._server: _Server | None = None

    # -- life ------------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeLLM:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.fake = self
        threading.Thread(target=self._server.serve_forever, name="fakellm", daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def wait_for_request(self, timeout: float = 30.0) -> None:
        """Until a request has arrived (a `slow` one is then being held). `timeout` bounds a
        failure only: on a busy machine a first question (the engine loaded, the policy
        compiled) took more than ten seconds to reach the model."""
        if not self._arrived.wait(timeout):
            raise TimeoutError("no request reached the model")

    def release(self) -> None:
        """Let held (`slow`) requests finish."""
        self._release.set()

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- answering -------------------------------------------------------------------------
    def post(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        self.requests.append(body)
        self._arrived.set()
        if path.rstrip("/") != "/v1/chat/completions":
            return 404, b'{"error": "not found"}'
        if self.mode == "slow":
            self._release.wait(timeout=30)
        if self.mode == "error":
            return 500, b'{"error": {"message": "the model is down"}}'
        return 200, json.dumps(_completion(self._content(body))).encode()

    def _content(self, body: dict[str, Any]) -> str:
        if self.mode == "nonsense":
            return "I think rule R1 might apply, but who can say?"
        if self.mode == "wrong_shape":
            return json.dumps({"verdict": "forbidden"})
        if self.mode == "invented":
            return json.dumps({"rules": ["NO-SUCH-RULE"], "explanation": "made up"})
        post = _post_of(body)
        for needle, rules in self.answers.items():
            if needle.lower() in post.lower():
                return json.dumps({"rules": rules, "explanation": f"it is about {needle}"})
        return json.dumps({"rules": self.default, "explanation": "no rule fits"})


def _post_of(body: dict[str, Any]) -> str:
    for message in body.get("messages") or []:
        if message.get("role") == "user":
            try:
                return str(json.loads(message.get("content") or "{}").get("post", ""))
            except ValueError:
                return str(message.get("content", ""))
    return ""


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        status, payload = self.server.fake.post(self.path, body)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout): nothing to answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeLLM


if __name__ == "__main__":
    fake = FakeLLM().start(int(sys.argv[1]) if len(sys.argv) > 1 else 8088)
    print(f"fake language model at {fake.url}", flush=True)
    threading.Event().wait()
