"""The stand-in's side of the wire: Web API methods, file uploads and response_urls.

Every request is recorded in the call log (what the bot *asked*) and may meet an injected
fault first; the effects on the workspace are the methods' (`methods/`) and the
response_urls' (`responses.py`).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from runtime.fakeslack.faults import FaultPlan
from runtime.fakeslack.http import DROPPED, Answer, json_answer, parse_args
from runtime.fakeslack.methods import METHODS, SlackError
from runtime.fakeslack.methods.base import Backend
from runtime.fakeslack.records import Call, CallLog
from runtime.fakeslack.responses import ResponseUrls

TEXT = {"Content-Type": "text/plain"}


class WebApi:
    """Answers the HTTP requests the bot makes, under `lock` (the workspace's)."""

    def __init__(self, backend: Backend, lock: threading.RLock) -> None:
        self.log = CallLog()
        self.faults = FaultPlan()
        self.responses = ResponseUrls(backend)
        self._backend, self._lock = backend, lock

    def handle_http(self, path: str, query: str, headers: dict[str, str], raw: bytes) -> Answer:
        route, _, rest = path.lstrip("/").partition("/")
        content_type = headers.get("Content-Type", "")
        if route == "api":
            return self._api(rest, parse_args(content_type, raw, query), headers)
        if route == "upload":
            return self._upload(rest, raw, headers)
        if route == "respond":
            return self._respond(rest, raw, headers)
        return 404, TEXT, b"not found"

    def _api(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> Answer:
        call = Call(method, args, headers)
        hold = self.faults.take_hold(method)
        if hold is not None:
            hold.keep()  # outside the fake's lock: the rest of Slack answers meanwhile
        fault = self.faults.take(method)
        if fault is not None and not fault.drop:
            status, out_headers, body = fault.answer()
            call.status, call.response = status, json.loads(body)
            self.log.append(call)
            return status, out_headers, body
        handler = METHODS.get(method)
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        try:
            if handler is None:
                raise SlackError("unknown_method")
            if not (token or args.get("token")):
                raise SlackError("not_authed")
            with self._lock:
                response = {"ok": True, **handler(self._backend, args)}
        except SlackError as error:
            response = {"ok": False, "error": error.error, **error.extra}
        call.response = response
        self.log.append(call)
        answer_hold = self.faults.take_hold(method, done_first=True)
        if answer_hold is not None:
            answer_hold.keep()  # done, and seen in the workspace: only the answer waits
        if fault is not None and fault.drop:
            return DROPPED
        return json_answer(200, response)

    def _upload(self, file_id: str, raw: bytes, headers: dict[str, str]) -> Answer:
        call = Call("upload", {"file_id": file_id, "size": len(raw)}, headers)
        fault = self.faults.take("upload")
        with self._lock:
            file = self._backend.ws.files.get(file_id)
            if fault is None and file is not None:
                file.content = raw
        if fault is not None:
            call.status = fault.status
        elif file is None:
            call.status = 404
        call.response = {"ok": call.status == 200}
        self.log.append(call)
        text = f"OK - {len(raw)}" if call.status == 200 else "upload failed"
        return call.status, TEXT, text.encode()

    def _respond(self, key: str, raw: bytes, headers: dict[str, str]) -> Answer:
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            body = {}
        call = Call("response_url", {"key": key, **body}, headers)
        hold = self.faults.take_hold("response_url")
        if hold is not None:
            hold.keep()  # outside the fake's lock, as a Web API method's
        fault = self.faults.take("response_url")
        if fault is not None:
            call.status, call.response = fault.status, {"ok": False}
            self.log.append(call)
            return fault.status, TEXT, b"failed"
        try:
            with self._lock:
                call.response = {"ok": True, **self.responses.apply(key, body)}
            status, text = 200, "ok"
        except SlackError as error:
            call.response = {"ok": False, "error": error.error, **error.extra}
            status, text = 400, error.error
        self.log.append(call)
        return status, TEXT, text.encode()
