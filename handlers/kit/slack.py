"""Every call to Slack goes through here: writes through `Outgoing`, reads through `Lookup`.

`Outgoing` is the one way the bot changes anything in Slack: messages, ephemerals, reactions,
the Home tab, modals, response_url replies and files. Today it calls the Web API at once;
it is also the one place a transactional outbox will go (so that what the bot says survives
a crash and is said once), which is why listeners never call `client.chat_postMessage`
themselves. Methods that may fail say so: they raise `SlackApiError` (a refusal from Slack)
or, for response_url replies, return False. Those named `tell…` and `react` never fail a
listener: what they say is a courtesy, and a failure is only logged.

`Lookup` reads (users, user groups, channel names, permalinks) and answers None when Slack
will not say, so a listener carries on without the fact.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from handlers.kit.blocks import Block, View
from handlers.kit.limits import MESSAGE_TEXT
from handlers.kit.mrkdwn import Mrkdwn
from handlers.kit.response_urls import is_response_url

log = logging.getLogger(__name__)

__all__ = [
    "Lookup",
    "Outgoing",
    "Posted",
    "SlackApiError",
    "SlackChannel",
    "SlackUser",
    "UserGroup",
]


@dataclass(frozen=True)
class Posted:
    """Where a message went: the channel's id (Slack answers with it even for `#name`) and
    the message's ts."""

    channel: str
    ts: str


def _text(text: Mrkdwn) -> str:
    return str(text.cut(MESSAGE_TEXT))


def reason(error: SlackApiError) -> str:
    """Slack's error code (`channel_not_found`, `not_in_channel` …)."""
    return str(error.response.get("error") or "error")


class Outgoing:
    """Writes to Slack for one request; `response_url` is the request's own, if it has one."""

    def __init__(self, client: WebClient, response_url: str | None = None) -> None:
        self.client = client
        self.response_url = response_url

    # -- messages ---------------------------------------------------------------------------
    def post(
        self,
        channel: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        thread_ts: str | None = None,
        unfurl_links: bool | None = None,
    ) -> Posted:
        """A message in `channel` (an id, or `#name`); raises SlackApiError."""
        answer = self.client.chat_postMessage(
            channel=channel,
            text=_text(text),
            blocks=blocks or None,
            thread_ts=thread_ts,
            unfurl_links=unfurl_links,
        )
        return Posted(str(answer.get("channel") or channel), str(answer["ts"]))

    def update(self, channel: str, ts: str, text: Mrkdwn, blocks: list[Block]) -> None:
        """Replace a message the bot posted; raises SlackApiError (gone, too old)."""
        self.client.chat_update(channel=channel, ts=ts, text=_text(text), blocks=blocks)

    def ephemeral(
        self,
        channel: str,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        thread_ts: str | None = None,
    ) -> None:
        """A message only `user` sees, in `channel`; raises SlackApiError (e.g. the bot is not
        in the channel)."""
        self.client.chat_postEphemeral(
            channel=channel, user=user, text=_text(text), blocks=blocks or None, thread_ts=thread_ts
        )

    def open_conversation(self, users: Sequence[str]) -> str:
        """The id of the direct message (one user) or group DM with the bot; raises."""
        opened = self.client.conversations_open(users=",".join(users))
        return str(opened["channel"]["id"])

    def direct_message(
        self,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        unfurl_links: bool | None = None,
    ) -> Posted:
        """A message in `user`'s direct messages with the bot; raises SlackApiError."""
        dm = self.open_conversation([user])
        return self.post(dm, text, blocks, unfurl_links=unfurl_links)

    def tell(self, channel: str, user: str, text: Mrkdwn, thread_ts: str | None = None) -> bool:
        """A private note to one person where they are; never fails the listener."""
        try:
            self.ephemeral(channel, user, text, thread_ts=thread_ts)
        except SlackApiError as error:
            log.info("ephemeral to %s failed: %s", user, reason(error))
            return False
        return True

    def tell_privately(
        self,
        channel: str | None,
        user: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        thread_ts: str | None = None,
    ) -> bool:
        """An ephemeral in `channel`; a direct message when that fails (the bot is not in the
        channel) or there is no channel. Never fails the listener."""
        if channel:
            try:
                self.ephemeral(channel, user, text, blocks, thread_ts=thread_ts)
                return True
            except SlackApiError as error:
                log.info("ephemeral in %s failed (%s); sending a DM", channel, reason(error))
        try:
            self.direct_message(user, text, blocks)
        except SlackApiError as error:
            log.info("could not tell %s: %s", user, reason(error))
            return False
        return True

    def react(self, channel: str, ts: str, name: str) -> bool:
        """Add reaction `name` to a message; never fails the listener (`already_reacted` on a
        redelivery is fine)."""
        try:
            self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as error:
            log.info("reaction on %s failed: %s", ts, reason(error))
            return False
        return True

    # -- surfaces ---------------------------------------------------------------------------
    def publish_home(self, user: str, blocks: list[Block]) -> None:
        self.client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})

    def open_view(self, trigger_id: str, view: View) -> None:
        """Open a modal; raises SlackApiError (an expired trigger, after three seconds)."""
        self.client.views_open(trigger_id=trigger_id, view=view)

    def update_view(self, view_id: str, view: View) -> None:
        self.client.views_update(view_id=view_id, view=view)

    # -- response_url replies ---------------------------------------------------------------
    def respond(
        self,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        replace_original: bool = False,
    ) -> bool:
        """An ephemeral answer through the request's response_url (a slash command, a button
        on a message); False when the request has none or Slack refused it."""
        if not self.response_url:
            return False
        return self.respond_to(self.response_url, text, blocks, replace_original=replace_original)

    def respond_to(
        self,
        url: str,
        text: Mrkdwn,
        blocks: list[Block] | None = None,
        *,
        replace_original: bool = False,
    ) -> bool:
        """The same through a response_url kept from earlier (a modal's opening button)."""
        return self._send(
            url,
            text=_text(text),
            blocks=blocks or None,
            response_type="ephemeral",
            replace_original=replace_original,
        )

    def delete_original(self) -> bool:
        """Remove the ephemeral message whose button was pressed."""
        return bool(self.response_url) and self._send(str(self.response_url), delete_original=True)

    def _send(self, url: str, **message: Any) -> bool:
        if not is_response_url(url, self.client.base_url):
            log.warning("not a response_url of Slack's, not called: %.80s", url)
            return False
        try:
            answer = WebhookClient(url).send(**message)
        except OSError as error:
            log.info("response_url reply failed: %s", error)
            return False
        if answer.status_code >= 300:
            log.info("response_url reply refused: %s %s", answer.status_code, answer.body)
            return False
        return True

    # -- files ------------------------------------------------------------------------------
    def upload(
        self,
        channel: str,
        *,
        filename: str,
        title: str,
        comment: Mrkdwn,
        content: str | None = None,
        file: bytes | None = None,
    ) -> str | None:
        """A file shared in `channel` (files_upload_v2: the upload address comes from
        `files.getUploadURLExternal` on SLACK_API_URL); its permalink; raises SlackApiError."""
        answer = self.client.files_upload_v2(
            channel=channel,
            content=content,
            file=file,
            filename=filename,
            title=title,
            initial_comment=str(comment),
        )
        files = answer.get("files") or [answer.get("file") or {}]
        link = files[0].get("permalink") if files and isinstance(files[0], dict) else None
        return str(link) if link else None


# -- reads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlackUser:
    id: str
    locale: str | None
    name: str | None  # the display name, else the user name
    phone: str | None = None  # their profile's phone and e-mail (users:read.email)
    email: str | None = None
    real_name: str | None = None
    handle: str | None = None  # the user name (`lotte`)


@dataclass(frozen=True)
class SlackChannel:
    id: str
    name: str


@dataclass(frozen=True)
class UserGroup:
    id: str
    handle: str
    name: str


class Lookup:
    """Reads from Slack; each answers None when Slack will not say (and logs why)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def user(self, user_id: str) -> SlackUser | None:
        try:
            user = self.client.users_info(user=user_id, include_locale=True).get("user") or {}
        except SlackApiError as error:  # unknown user, missing scope: fall back, don't fail
            log.info("users.info for %s failed: %s", user_id, reason(error))
            return None
        return _slack_user(user) if user.get("id") else SlackUser(user_id, None, None)

    def users(self, limit: int = 5000) -> list[SlackUser] | None:
        """Every person in the workspace (bots and the deactivated left out), page by page up
        to `limit`; None when Slack will not say."""
        members = self._pages(
            "users.list",
            "members",
            limit,
            lambda cursor: self.client.users_list(cursor=cursor, limit=200, include_locale=True),
        )
        if members is None:
            return None
        return [
            _slack_user(m)
            for m in members
            if m.get("id") and not m.get("deleted") and not m.get("is_bot")
        ]

    def channels(self, limit: int = 5000) -> list[SlackChannel] | None:
        """The public and private channels the bot can see, page by page up to `limit`."""
        channels = self._pages(
            "conversations.list",
            "channels",
            limit,
            lambda cursor: self.client.conversations_list(
                cursor=cursor,
                limit=200,
                exclude_archived=True,
                types="public_channel,private_channel",
            ),
        )
        if channels is None:
            return None
        return [
            SlackChannel(str(c["id"]), str(c["name"]))
            for c in channels
            if c.get("id") and c.get("name")
        ]

    def channel_members(self, channel_id: str, limit: int = 20000) -> list[str] | None:
        """The ids of a channel's members (bots and people alike), page by page up to `limit`;
        None when Slack will not say."""
        found = self._pages(
            "conversations.members",
            "members",
            limit,
            lambda cursor: self.client.conversations_members(
                channel=channel_id, cursor=cursor, limit=200
            ),
            items=str,
        )
        return [str(m) for m in found] if found is not None else None

    def _pages(
        self,
        method: str,
        key: str,
        limit: int,
        call: Callable[[str | None], Any],
        items: type = dict,
    ) -> list[Any] | None:
        """The items under `key` of a paginated list method, up to `limit`; None when Slack
        refused (logged)."""
        found: list[Any] = []
        cursor = None
        try:
            while len(found) < limit:
                page = call(cursor)
                found += [item for item in page.get(key) or [] if isinstance(item, items)]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as error:
            log.info("%s failed: %s", method, reason(error))
            return None
        return found[:limit]

    def usergroups(self, *, include_disabled: bool | None = None) -> list[UserGroup] | None:
        try:
            listed = self.client.usergroups_list(include_disabled=include_disabled)
        except SlackApiError as error:
            log.info("usergroups.list failed: %s", reason(error))
            return None
        return [
            UserGroup(str(g["id"]), str(g.get("handle") or ""), str(g.get("name") or ""))
            for g in listed.get("usergroups") or []
            if g.get("id")
        ]

    def usergroup_members(self, group_id: str) -> list[str] | None:
        try:
            members = self.client.usergroups_users_list(usergroup=group_id)
        except SlackApiError as error:
            log.info("usergroups.users.list for %s failed: %s", group_id, reason(error))
            return None
        return [str(u) for u in members.get("users") or []]

    def channel_name(self, channel_id: str) -> str | None:
        try:
            info = self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            log.info("conversations.info %s failed: %s", channel_id, reason(error))
            return None
        name = (info.get("channel") or {}).get("name")
        return str(name) if name else None

    def is_public_channel(self, channel_id: str) -> bool:
        """Whether everyone in the workspace may read `channel_id`: a public channel. DMs,
        group DMs and private channels are not; nor is a channel Slack will not describe."""
        if not channel_id.startswith("C"):  # D…: a DM; G…: a group DM or old private channel
            return False
        try:
            info = self.client.conversations_info(channel=channel_id).get("channel") or {}
        except SlackApiError as error:
            log.info("conversations.info %s failed: %s", channel_id, reason(error))
            return False
        private = info.get("is_private") or info.get("is_im") or info.get("is_mpim")
        return bool(info.get("is_channel")) and not private

    def permalink(self, channel: str | None, ts: str | None) -> str | None:
        if not channel or not ts:
            return None
        try:
            answer = self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as error:
            log.info("no permalink for %s/%s: %s", channel, ts, reason(error))
            return None
        link = answer.get("permalink")
        return str(link) if link else None


def _slack_user(user: dict[str, Any]) -> SlackUser:
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("name")
    return SlackUser(
        str(user["id"]),
        user.get("locale"),
        name,
        phone=str(profile.get("phone") or "").strip() or None,
        email=str(profile.get("email") or "").strip() or None,
        real_name=profile.get("real_name") or user.get("real_name"),
        handle=user.get("name"),
    )
