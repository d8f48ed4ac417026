"""What `Outgoing` writes for Slack's AI assistant: a thread's status, its suggested prompts and
its title (`assistant.threads.*`), as letters in the outbox like every other write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.kit import courier
from handlers.kit.letters import Then


class AssistantThreads:
    """The assistant's writes; mixed into `Outgoing`, whose `_letter` puts them in the outbox."""

    def _letter(
        self, kind: str, conversation: str, args: dict[str, Any], then: Then | None = None
    ) -> None:
        raise NotImplementedError

    def assistant_status(self, channel: str, thread_ts: str, status: str) -> None:
        """What the assistant is doing in its thread ("is checking…"; empty: done). Meant for
        `at_once()`: a status nobody sees in time is no loss."""
        args = {"channel_id": channel, "thread_ts": thread_ts, "status": status}
        self._letter(courier.ASSISTANT_STATUS, channel, args)

    def assistant_prompts(
        self, channel: str, thread_ts: str, title: str, prompts: Sequence[tuple[str, str]]
    ) -> None:
        """The suggested prompts of an assistant thread: (title, message) pairs, at most four."""
        shown = [{"title": t[:75], "message": m[:2000]} for t, m in prompts[:4]]
        args = {"channel_id": channel, "thread_ts": thread_ts, "title": title, "prompts": shown}
        self._letter(courier.ASSISTANT_PROMPTS, channel, args)

    def assistant_title(self, channel: str, thread_ts: str, title: str) -> None:
        """The title of an assistant thread, as its history lists it."""
        args = {"channel_id": channel, "thread_ts": thread_ts, "title": title[:255]}
        self._letter(courier.ASSISTANT_TITLE, channel, args)
