"""`/policy SUB …`: one slash command, sub-commands contributed by each capability module."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from slack_bolt import Ack, App, BoltContext, Respond

from bot import people
from handlers.context import RequestContext, request_context
from handlers.slack_text import esc

log = logging.getLogger(__name__)
COMMAND = "/policy"


@dataclass
class CommandCall:
    """Everything a sub-command needs; `respond` answers ephemerally by default."""

    ctx: RequestContext
    args: str
    body: dict[str, Any]
    respond: Respond
    client: Any

    @property
    def channel_id(self) -> str:
        return self.body.get("channel_id", "")

    @property
    def trigger_id(self) -> str | None:
        return self.body.get("trigger_id")

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


@dataclass(frozen=True)
class Subcommand:
    name: str
    run: Callable[[CommandCall], None]
    needs: str = people.EMPLOYEE  # the least role that may use it
    aliases: tuple[str, ...] = ()
    order: int = 50  # position in help
    usage: str = ""  # e.g. "SECTION"; shown in help


class CommandRouter:
    def __init__(self) -> None:
        self.subcommands: dict[str, Subcommand] = {}
        self._lookup: dict[str, Subcommand] = {}

    def add(self, sub: Subcommand) -> None:
        for word in (sub.name, *sub.aliases):
            if word in self._lookup:
                raise ValueError(f"/policy {word} is registered twice")
            self._lookup[word] = sub
        self.subcommands[sub.name] = sub

    def find(self, word: str) -> Subcommand | None:
        return self._lookup.get(word.lower())

    def ordered(self) -> list[Subcommand]:
        return sorted(self.subcommands.values(), key=lambda s: (s.order, s.name))


_routers: WeakKeyDictionary[App, CommandRouter] = WeakKeyDictionary()


def router_for(app: App) -> CommandRouter:
    """The app's router; the first call also registers the `/policy` listener."""
    if app not in _routers:
        router = CommandRouter()
        _routers[app] = router
        _register_command(app, router)
    return _routers[app]


def refusal(ctx: RequestContext, needed: str) -> str:
    return ctx.t("common.refused", role=ctx.role_name(needed))


def _register_command(app: App, router: CommandRouter) -> None:
    @app.command(COMMAND)
    def policy_command(
        ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()  # within Slack's 3 seconds, before any slow work
        ctx = request_context(context)
        text = (body.get("text") or "").strip()
        word, _, args = text.partition(" ")
        call = CommandCall(ctx, args.strip(), body, respond, context.client)
        sub = router.find(word or "help")
        if sub is None:
            sub = router.find("help")
            call.args = ""
            call.reply(ctx.t("common.unknown_subcommand", word=esc(word[:40])))
        assert sub is not None  # help is always registered
        if not ctx.has_role(sub.needs):
            call.reply(refusal(ctx, sub.needs))
            return
        try:
            sub.run(call)
        except Exception:  # never a traceback in Slack: log it, tell the user briefly
            log.exception("/policy %s failed", word)
            call.reply(ctx.t("common.failed"))
