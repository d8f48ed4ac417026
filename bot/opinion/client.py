"""One chat completion against an OpenAI-compatible API (Ollama, vLLM, a hosted one).

`POST {url}/chat/completions` with `response_format: {type: json_object}`; the message content
must be a JSON object. Anything else (a timeout, a refused connection, an HTTP error, content
that is not a JSON object) is None: the caller keeps the rules' own answer.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelClient:
    url: str  # the API base, e.g. http://localhost:11434/v1
    model: str
    api_key: str | None = None
    timeout_ms: int = 1500

    def complete_json(self, messages: list[dict[str, str]]) -> dict[str, Any] | None:
        """The model's answer as a JSON object, or None when there is none in time."""
        import httpx  # only with POLICYBOT_LLM_URL set: most bots never ask a model

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "messages": messages,
            "response_format": {"type": "json_object"},
            "temperature": 0,
        }
        seconds = self.timeout_ms / 1000
        try:
            # One overall budget: connect, send and read together stay inside it.
            with httpx.Client(timeout=httpx.Timeout(seconds)) as client:
                response = client.post(f"{self.url}/chat/completions", json=body, headers=headers)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
            parsed = json.loads(content)
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
            log.warning("language model gave no usable answer: %s", type(error).__name__)
            return None
        return parsed if isinstance(parsed, dict) else None
