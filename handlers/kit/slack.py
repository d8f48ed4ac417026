"""Every call to Slack goes through here: writes through `Outgoing`, reads through `Lookup`.

`Outgoing` is the one way the bot changes anything in Slack: messages, ephemerals, reactions,
the Home tab, modals, response_url replies and files. What it is asked to say is written to
the outbox (`bot.outbox`) in the request's unit of work, and sent right after that commits
(`kit.outbox`): nothing is said for work that rolled back, nothing is lost for work that
committed, and a Slack that refuses for now (429, 5xx) delays the message without blocking
anyone. So writes return nothing and never fail the listener; work that needs Slack's answer
(the ts of a post, a permalink) names a completion step (`then=Then(...)`, see
`kit.outbox.after_sending`). A private answer says where to go when its first way is refused
for good: through the response_url, else as an ephemeral in the channel, else as a DM.

Opening a modal cannot wait (its trigger_id expires within three seconds): `open_view` calls
Slack at once and raises `TriggerExpired` when it is too late (a request run again after a
crash), which the error handler answers with "try again".

`Lookup` (`kit.lookup`, re-exported here) reads users, user groups, channel names and
permalinks, and answers None when Slack will not say, so a listener carries on without the
fact.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.outbox import Letter
from handlers.kit import courier
from handlers.kit.assistant_threads import AssistantThreads
from handlers.kit.blocks import Block, View
from handlers.kit.letters import (
    Then,
    ephemeral_args,
    given,
    message_text,
    private_route,
    url_key,
)
from handlers.kit.lookup import Lookup, SlackChannel, SlackUser, UserGroup, reason
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.response_urls import is_response_url

log = logging.getLogger(__name__)
# A courtesy note is being made at once ("working on it", `Outgoing.at_once`): by design
# inside the open unit of work, which must not wait for it to commit.
COURTESY: ContextVar[bool] = ContextVar("policybot_courtesy", default=False)

__all__ = [
    "Lookup",
    "Outgoing",
    "SlackApiError",
    "SlackChannel",
    "SlackUser",
    "Then",
    "TriggerExpired",
    "UserGroup",
]
EXPIRED_TRIGGER = frozenset({"expired_trigger_id", "invalid_trigger_id", "trigger_expired"})


class TriggerExpired(Exception):
    """A modal could not open: its trigger_id had expired (Slack gives three seconds)."""


class Outgoing(AssistantThreads):
    """Writes to Slack for one request (`response_url` is its own, if it has one): each is
    handed to `write`, which puts it in the request's unit of work."""

    def __init__(
        self,
        write: Callable[[Letter], None],
        client: WebClient,
        response_url: str | None = None,
    ) -> None:
        self._write = write
        self.client = client
        self.response_url = response_url
        self._at_once = False

    def _letter(
        self, kind: str, conversation: str, args: dict[str, Any], then: Then | None = None
    ) -> None:
        hook, hook_args = (then.hook, then.args) if then else (None, None)
        if self._at_once:  # a courtesy note: now, or not at all
            token = COURTESY.set(True)
            try:
                delivered = courier.deliver(self.client, kind, args)
            finally:
                COURTESY.reset(token)
            if not delivered.ok:
                log.info("%s (at once) not made: %s", kind, delivered.error)
            return
        self._write(Letter(kind, conversation, args, hook, hook_args))

    @contextmanager
    def at_once(self) -> Iterator[None]:
        """Writes in the block are made at once and not recorded: courtesy notes ("working on
        it") that must not wait for the unit of work to commit, and that nobody misses if
        they are lost. Never for the answer itself, nor with a completion step."""
        self._at_once = True
        try:
            yield
        finally:
            self._at_once = False

    def open_conversation(self, users: Sequence[str]) -> str:
        """The id of the direct message (one user) or group DM with the bot, at once (opening
        says nothing to anyone, and Slack answers the same id again); raises SlackApiError."""
        opened = self.client.conversations_open(users=",".join(users))
        return str(opened["channel"]["id"])

    # -- messages ---------------------------------------------------------------------------
    def post(
        self,
        channel: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        thread_ts: str | None = None,
        unfurl_links: bool | None = None,
        then: Then | None = None,
    ) -> None:
        """A message in `channel` (an id, or `#name`); `then` learns its channel id and ts."""
        args = given(
            channel=channel,
            text=message_text(text),
            blocks=blocks or None,
            thread_ts=thread_ts,
            unfurl_links=unfurl_links,
        )
        self._letter(courier.POST, channel, args, then)

    def update(self, channel: str, ts: str, text: Mrkdwn, blocks: list[Block]) -> None:
        """Replace a message the bot posted (gone or too old: given up, logged)."""
        args = {"channel": channel, "ts": ts, "text": message_text(text), "blocks": blocks}
        self._letter(courier.UPDATE, channel, args)

    def ephemeral(
        self,
        channel: str,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        thread_ts: str | None = None,
    ) -> None:
        """A message only `user` sees, in `channel` (not there: given up, logged)."""
        args = ephemeral_args(channel, user, text, blocks, thread_ts)
        self._letter(courier.EPHEMERAL, channel, args)

    def direct_message(
        self,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        unfurl_links: bool | None = None,
        then: Then | None = None,
    ) -> None:
        """A message in `user`'s direct messages with the bot."""
        self.to_people([user], text, blocks, unfurl_links=unfurl_links, then=then)

    def to_people(
        self,
        users: Sequence[str],
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        unfurl_links: bool | None = None,
        then: Then | None = None,
    ) -> None:
        """A message in the direct message (one user) or group DM (several) with the bot;
        `then` learns the conversation's id and the message's ts."""
        args = given(
            users=list(users),
            text=message_text(text),
            blocks=blocks or None,
            unfurl_links=unfurl_links,
        )
        self._letter(courier.POST, "dm:" + ",".join(sorted(users)), args, then)

    def tell(self, channel: str, user: str, text: Mrkdwn, thread_ts: str | None = None) -> None:
        """A private note to one person where they are (a courtesy: not there, not said)."""
        self.ephemeral(channel, user, text, thread_ts=thread_ts)

    def tell_privately(
        self,
        channel: str | None,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        thread_ts: str | None = None,
    ) -> None:
        """An ephemeral in `channel`; a direct message when that is refused (the bot is not in
        the channel) or there is no channel."""
        route = private_route(channel, user, text, blocks, thread_ts)
        assert route is not None  # with a DM to fall back on, there is always a way
        self._letter(route["kind"], channel or "dm:" + user, route["args"])

    def react(self, channel: str, ts: str, name: str) -> None:
        """Add reaction `name` to a message (`already_reacted` counts as done)."""
        self._letter(courier.REACT, channel, {"channel": channel, "timestamp": ts, "name": name})

    # -- surfaces ---------------------------------------------------------------------------
    def publish_home(self, user: str, blocks: list[Block]) -> None:
        view = {"type": "home", "blocks": blocks}
        self._letter(courier.PUBLISH_HOME, "home:" + user, {"user_id": user, "view": view})

    def open_view(self, trigger_id: str, view: View) -> None:
        """Open a modal, at once; raises TriggerExpired when the trigger is too old, and
        SlackApiError when Slack refuses otherwise."""
        try:
            self.client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as error:
            if reason(error) in EXPIRED_TRIGGER:
                raise TriggerExpired(trigger_id) from None
            raise

    def update_view(self, view_id: str, view: View) -> None:
        self._letter(courier.UPDATE_VIEW, "view:" + view_id, {"view_id": view_id, "view": view})

    # -- response_url replies ---------------------------------------------------------------
    def respond(
        self,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        replace_original: bool = False,
        otherwise: dict[str, Any] | None = None,
    ) -> bool:
        """An ephemeral answer through the request's response_url (a slash command, a button
        on a message); False when the request has none (or one that is not Slack's)."""
        if not self.response_url:
            return False
        return self.respond_to(
            self.response_url, text, blocks, replace_original=replace_original, otherwise=otherwise
        )

    def respond_to(
        self,
        url: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        replace_original: bool = False,
        otherwise: dict[str, Any] | None = None,
    ) -> bool:
        """The same through a response_url kept from earlier (a modal's opening button);
        `otherwise` (a `private_route`) when Slack refuses it for good (expired, used up).
        False, and nothing written, for an address that is not Slack's (`response_urls`):
        the caller answers another way."""
        if not self._slacks(url):
            return False
        args = given(
            url=url,
            text=message_text(text),
            blocks=blocks or None,
            response_type="ephemeral",
            replace_original=replace_original or None,
            **{"or": otherwise},
        )
        self._letter(courier.RESPOND, url_key(url), args)
        return True

    def _slacks(self, url: str) -> bool:
        if is_response_url(url, self.client.base_url):
            return True
        log.warning("not a response_url of Slack's, not called: %.80s", url)
        return False

    def delete_original(self) -> bool:
        """Remove the ephemeral message whose button was pressed."""
        if not self.response_url or not self._slacks(self.response_url):
            return False
        args = {"url": self.response_url, "delete_original": True}
        self._letter(courier.RESPOND, url_key(self.response_url), args)
        return True

    # -- files and reads the work needs later -----------------------------------------------
    def upload(
        self,
        channel: str | None = None,
        *,
        to_user: str | None = None,
        filename: str,
        title: str,
        comment: Mrkdwn,
        content: str | None = None,
        file: bytes | None = None,
        then: Then | None = None,
    ) -> None:
        """A file shared in `channel`, or in `to_user`'s direct messages with the bot
        (files_upload_v2: the upload address comes from SLACK_API_URL)."""
        args = given(
            channel=channel,
            users=[to_user] if to_user else None,
            content=content,
            file_b64=base64.b64encode(file).decode("ascii") if file is not None else None,
            filename=filename,
            title=title,
            initial_comment=str(comment),
        )
        self._letter(courier.UPLOAD, channel or "dm:" + str(to_user), args, then)

    def permalink(self, channel: str, ts: str, then: Then) -> None:
        """Ask Slack for a message's permalink; `then` receives it (or learns there is none).
        For links the work can fill in later, so recording never waits for them."""
        args = {"channel": channel, "message_ts": ts}
        self._letter(courier.PERMALINK, f"read:{channel}", args, then)

    def look_up_contact(self, read: dict[str, Any], then: Then) -> None:
        """Ask Slack who a role's contact is (`contact_lookup.read_contact`: a picked id's name, a
        typed name's id); `then` receives it (`Sent.contact`: empty when nobody in Slack
        goes by a typed name). Slack slow or down delays the read; it is not lost."""
        self._letter(courier.CONTACT, f"read:{read.get('contact')}", read, then)

    def look_up_person(self, user: str, then: Then) -> None:
        """Ask Slack who `user` is (`users.info`: their locale, name, work contacts), for a
        message made in their language after the ack; `then` receives it (`Sent.person`:
        empty when Slack would not say). Slack slow or down delays the read; it is not lost."""
        self._letter(courier.PERSON, f"read:{user}", {"user": user}, then)

    def usergroup_members(self, group_id: str, then: Then) -> None:
        """Ask Slack who is in a user group; `then` receives them (`Sent.users`), or learns
        that Slack would not say. Slack slow or down delays the read; it is not lost."""
        self._letter(courier.USERGROUP_MEMBERS, f"read:{group_id}", {"usergroup": group_id}, then)
