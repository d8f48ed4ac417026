"""Backslash commands (`\\as`, `\\channel`, `\\pick` …); help_text.py lists them all."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.profiles import forget, set_language
from bot.vocabulary import is_language
from runtime.fakeslack import Message
from runtime.shell import interactions
from runtime.shell.errors import ShellError
from runtime.shell.help_text import HELP
from runtime.shell.identity import channel_id_for, locale_for, normalise, usergroup_id_for
from runtime.shell.session import NAME, Session

Command = Callable[[Session, str], None]
COMMANDS: dict[str, Command] = {}
TS = re.compile(r"^\d+\.\d+$")
REPLAYED = 6  # messages shown on entering a thread: enough to see where it stands


class Quit(Exception):
    """`\\quit`: leave the loop."""


def command(*names: str) -> Callable[[Command], Command]:
    def register(handler: Command) -> Command:
        for name in names:
            COMMANDS[name] = handler
        return handler

    return register


def run(session: Session, line: str) -> None:
    name, _, args = line[1:].strip().partition(" ")
    if name.isdigit():  # `\3` is `\pick 3`
        name, args = "pick", f"{name} {args}"
    handler = COMMANDS.get(name.lower())
    if handler is None:
        raise ShellError(f"unknown command \\{name}; \\help lists them")
    handler(session, args.strip())


def number(word: str, what: str) -> int:
    if not word.lstrip("#").isdigit():
        raise ShellError(f"{what} is a number, like 3")
    return int(word.lstrip("#"))


@command("help", "?")
def show_help(session: Session, args: str) -> None:
    session.print(HELP)


@command("quit", "exit", "q")
def leave(session: Session, args: str) -> None:
    raise Quit


@command("where", "whoami")
def where(session: Session, args: str) -> None:
    thread = session.state.thread_ts
    in_thread = f", thread [#{session.state.number_of(session.here(), thread)}]" if thread else ""
    user = session.fake.user(session.me)
    locale = user.locale if user else "?"
    session.print(
        f"(you are @{session.state.user_name} ({session.me}, {locale}) in "
        f"{session.place_name()}{in_thread})"
    )


@command("as")
def become(session: Session, args: str) -> None:
    if not args:
        raise ShellError("say who: \\as @name")
    name = normalise(args.split()[0])
    if name == "policybot":
        raise ShellError("you cannot be the bot")
    user_id = session.ensure_user(name)
    session.state.user_name = name
    session.print(f"(you are now @{name}, user id {user_id})")


@command("lang", "language")
def language(session: Session, args: str) -> None:
    lang = args.strip().lower()
    if not is_language(lang):
        raise ShellError("\\lang nl or \\lang en")
    locale = locale_for(lang)
    session.fake.set_locale(session.me, locale)
    with session.harness.db.session() as db_session:
        set_language(db_session, session.me, lang)
    session.state.language = lang
    session.print(f"(@{session.state.user_name} now uses Slack in {locale})")


@command("contact", "profile")
def contact(session: Session, args: str) -> None:
    """Your Slack profile's work phone and e-mail: yours to mention in a post."""
    phone = " ".join(w for w in args.split() if "@" not in w)
    email = next((w for w in args.split() if "@" in w), "")
    session.fake.set_contact(session.me, phone=phone, email=email)
    with session.harness.db.session() as db_session:
        forget(db_session, session.me)  # as Slack would, the bot reads the profile anew
    shown = ", ".join(x for x in (phone, email) if x) or "none"
    session.print(f"(@{session.state.user_name}'s profile contact details: {shown})")


@command("channel", "join")
def channel(session: Session, args: str) -> None:
    if not args:
        with session.fake.lock:
            names = sorted(c.name for c in session.fake.ws.channels.values() if not c.is_im)
        session.print("(channels: " + (", ".join("#" + n for n in names) or "none yet") + ")")
        return
    name = normalise(args.split()[0])
    if not NAME.match(name) or "." in name:
        raise ShellError(f"#{name} is not a channel name: lower-case letters, digits, - and _")
    channel_id = session.channel_id(name) or channel_id_for(name)
    session.fake.add_channel(channel_id, name, members=[session.me])
    session.state.channel, session.state.thread_ts = channel_id, None
    session.print(f"(you are in #{name})")


@command("dm")
def direct_message(session: Session, args: str) -> None:
    session.state.channel, session.state.thread_ts = None, None
    session.print("(you are in your DM with the bot)")


@command("thread")
def thread(session: Session, args: str) -> None:
    here = session.here()
    if not args:
        parent = _latest_thread(session, here)
    elif TS.match(args):
        found = session.fake.message(here, args)
        if found is None:
            raise ShellError(f"no message {args} in {session.place_name()}")
        parent = found
    else:
        parent = session.numbered_message(number(args, "the message"))
    root_ts = parent.thread_ts or parent.ts
    channel_id = parent.channel
    if session.is_dm(channel_id) and channel_id != session.fake.im_for(session.me):
        raise ShellError("that thread is in someone else's DM")
    session.state.channel = None if session.is_dm(channel_id) else channel_id
    session.state.thread_ts = root_ts
    shown = session.fake.messages(channel_id, root_ts)
    session.print(
        f"(you are in the thread of [#{session.state.number_of(channel_id, root_ts)}] "
        f"in {session.place_name()}; \\back leaves it)"
    )
    if len(shown) > REPLAYED:
        session.print(f"({len(shown) - REPLAYED} earlier messages not shown)")
    session.replay(shown[-REPLAYED:])


def _latest_thread(session: Session, channel_id: str) -> Message:
    bot = session.fake.bot_user_id
    mine = [m for m in session.fake.messages(channel_id, top_level=True) if m.user == bot]
    if not mine:
        raise ShellError(f"the bot has not posted in {session.place_name()} yet")
    with_replies = [m for m in mine if m.thread_ts == m.ts]
    return (with_replies or mine)[-1]


@command("back")
def back(session: Session, args: str) -> None:
    session.state.thread_ts = None
    session.print(f"(you are in {session.place_name()})")


@command("usergroup", "group")
def usergroup(session: Session, args: str) -> None:
    words = args.split()
    if len(words) < 2:
        raise ShellError("\\usergroup @handle @member …")
    handle = normalise(words[0])
    members = [session.ensure_user(w) for w in words[1:]]
    session.fake.add_usergroup(usergroup_id_for(handle), handle, members)
    names = ", ".join("@" + normalise(w) for w in words[1:])
    session.print(f"(user group @{handle}: {names})")


@command("pick", "p")
def pick(session: Session, args: str) -> None:
    first, _, rest = args.partition(" ")
    interactions.pick(session, number(first, "the choice"), rest.strip())


@command("submit")
def submit(session: Session, args: str) -> None:
    interactions.submit(session)


@command("cancel", "close")
def cancel(session: Session, args: str) -> None:
    interactions.cancel(session)


@command("shortcut")
def shortcut(session: Session, args: str) -> None:
    interactions.shortcut(session, number(args.split()[0] if args else "", "the message"))


@command("edit")
def edit(session: Session, args: str) -> None:
    first, _, text = args.partition(" ")
    if not text.strip():
        raise ShellError("\\edit N new text")
    interactions.edit(session, number(first, "the message"), text.strip())


@command("delete")
def delete(session: Session, args: str) -> None:
    interactions.delete(session, number(args.split()[0] if args else "", "the message"))


@command("home")
def home(session: Session, args: str) -> None:
    interactions.open_home(session)


@command("tick")
def tick(session: Session, args: str) -> None:
    """The scheduled work that is due now (reminders, the digest), as `policybot tick` runs
    it; the background loop runs it on its own every few minutes too."""
    app = session.harness.app
    turned = app.background.scheduler.turn(force=True)
    app.background.wait_idle(timeout=10)
    if turned.ran is None:
        session.print("(another instance is running the scheduled work right now)")
        return
    session.print(
        f"(scheduled work: {turned.ran} sent, {turned.skipped} no longer needed, "
        f"{turned.failed} failed; they are direct messages: \\as @name, then \\dm, to read them)"
    )
