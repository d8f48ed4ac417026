"""`/policy SUB …`: one slash command, its sub-commands contributed by each capability.

Each sub-command declares the least role that may use it (`needs`) and its help text; the
router acknowledges at once (Slack waits three seconds), refuses anyone below the role (the
one guard's words), and runs the sub-command. An error is the error handler's to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from slack_bolt import Ack, App, BoltContext

from bot import people
from bot.i18n import words
from handlers.guard import refusal
from handlers.kit.blocks import Block
from handlers.kit.context import RequestContext, request_context
from handlers.kit.mrkdwn import Mrkdwn

COMMAND = "/policy"


@dataclass
class CommandCall:
    """Everything a sub-command needs; `reply` answers ephemerally."""

    ctx: RequestContext
    args: str
    body: dict[str, Any]
    # Said just before the sub-command's first reply (`say_first`), in its unit of work.
    first: list[Mrkdwn] = field(default_factory=list)

    @property
    def channel_id(self) -> str:
        return str(self.body.get("channel_id") or "")

    @property
    def trigger_id(self) -> str:
        return str(self.body.get("trigger_id") or "")

    @property
    def response_url(self) -> str | None:
        return self.body.get("response_url")

    def say_first(self, text: Mrkdwn) -> None:
        """A note that goes before the sub-command's first reply, written with it: said now,
        outside a unit of work, the next one (a read of the asker's role) would carry it and
        mark the request done, and the reply would be said after the work had committed."""
        self.first.append(text)

    def reply(self, text: Mrkdwn, blocks: list[Block] | None = None) -> None:
        first, self.first = self.first, []
        for note in first:
            self.ctx.slack.respond(note)
        self.ctx.slack.respond(text, blocks)


@dataclass(frozen=True)
class Subcommand:
    name: str
    run: Callable[[CommandCall], None]
    help: str  # catalogue key: what it does, for `/policy help`
    needs: str = people.EMPLOYEE  # the least role that may use it
    usage: str | None = None  # catalogue key: its arguments, for `/policy help`
    aliases: str | None = None  # catalogue key: other words for it, in both languages
    details: str | None = None  # catalogue key: what it does, at length (`/policy help SUB`)
    example: str | None = None  # catalogue key: an example of its use (`/policy help SUB`)
    order: int = 50  # position in help
    # Help made when asked (`/policy help draft`: the sections and the names they answer to).
    more: Callable[[RequestContext], Mrkdwn] | None = None


class CommandRouter:
    def __init__(self) -> None:
        self.subcommands: dict[str, Subcommand] = {}
        self._lookup: dict[str, Subcommand] | None = None

    def add(self, sub: Subcommand) -> None:
        if sub.name in self.subcommands:
            raise ValueError(f"/policy {sub.name} is registered twice")
        self.subcommands[sub.name] = sub
        self._lookup = None

    def find(self, word: str) -> Subcommand | None:
        return self._words().get(word.lower())

    def _words(self) -> dict[str, Subcommand]:
        """Every word a sub-command answers to, its aliases in both languages included: made
        at the first `/policy`, not at start-up, whose first acknowledgement would otherwise
        wait for the whole message catalogue to be read (issue 13)."""
        lookup = self._lookup
        if lookup is None:
            lookup = {}
            for sub in self.subcommands.values():
                for word in (sub.name, *alias_words(sub.aliases)):
                    if word in lookup:
                        raise ValueError(f"/policy {word} is registered twice")
                    lookup[word] = sub
            self._lookup = lookup
        return lookup

    def ordered(self) -> list[Subcommand]:
        return sorted(self.subcommands.values(), key=lambda s: (s.order, s.name))


def alias_words(key: str | None) -> list[str]:
    """The words of a catalogue entry of aliases, in both languages (`"a, b"`)."""
    return list(words(key)) if key else []


_routers: WeakKeyDictionary[App, CommandRouter] = WeakKeyDictionary()


def router_for(app: App) -> CommandRouter:
    """The app's router; the first call also registers the `/policy` listener."""
    if app not in _routers:
        router = CommandRouter()
        _routers[app] = router
        _register_command(app, router)
    return _routers[app]


def _register_command(app: App, router: CommandRouter) -> None:
    @app.command(COMMAND)
    def policy_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()  # within Slack's 3 seconds, before any slow work
        ctx = request_context(context)
        text = (body.get("text") or "").strip()
        word, _, args = text.partition(" ")
        call = CommandCall(ctx, args.strip(), body)
        found = router.find(word or "help")
        sub = found or router.find("help")
        assert sub is not None  # help is always registered
        # One read: the role, and whether the asker's profile (their language) is stored. If
        # not, Slack is asked now, before any unit of work: every sub-command speaks to them,
        # and its first words would otherwise ask Slack inside its own transaction.
        with ctx.unit_of_work():
            allowed, known = ctx.has_role(sub.needs), ctx.profile_known()
        if not known:
            ctx.know_profile()
        if found is None:
            call.args = ""
            call.say_first(ctx.t("common.unknown_subcommand", word=word[:40]))
        if not allowed:
            call.reply(refusal(ctx, sub.needs))
            return
        sub.run(call)
