"""Reads from Slack (`Lookup`: users, user groups, channels, channel names, permalinks), each
answering None when Slack will not say, so a listener carries on without the fact. Writes
are `kit.slack.Outgoing`'s."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def reason(error: SlackApiError) -> str:
    """Slack's error code (`channel_not_found`, `not_in_channel` …)."""
    return str(error.response.get("error") or "error")


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
    """Reads from Slack; each answers None when Slack will not say (and logs why).
    `raise_if`: the refusals raised instead, for an outbox read (`courier.CONTACT`) to be
    tried again later when Slack refused only for now (429, 5xx) rather than taken as
    Slack's answer."""

    def __init__(
        self, client: WebClient, *, raise_if: Callable[[SlackApiError], bool] | None = None
    ) -> None:
        self.client = client
        self.raise_if = raise_if

    def _refused(self, error: SlackApiError, what: str) -> None:
        log.info("%s failed: %s", what, reason(error))
        if self.raise_if is not None and self.raise_if(error):
            raise error

    def user(self, user_id: str) -> SlackUser | None:
        try:
            user = self.client.users_info(user=user_id, include_locale=True).get("user") or {}
        except SlackApiError as error:  # unknown user, missing scope: fall back, don't fail
            self._refused(error, f"users.info for {user_id}")
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
            self._refused(error, method)
            return None
        return found[:limit]

    def usergroups(self, *, include_disabled: bool | None = None) -> list[UserGroup] | None:
        try:
            listed = self.client.usergroups_list(include_disabled=include_disabled)
        except SlackApiError as error:
            self._refused(error, "usergroups.list")
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
            self._refused(error, f"conversations.info {channel_id}")
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
