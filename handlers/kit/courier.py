"""Making one outbox letter's call to Slack, and saying how it went: made, refused for now
(429, 5xx, Slack unreachable: try again later), or refused for good (the channel is gone).

This is the one place, besides `kit.slack`, that writes to Slack. Nothing here waits or
retries: a refusal for now is the outbox's to schedule, so no thread ever sleeps on Slack.
A letter may carry another to try when Slack refuses it for good (`or`): a private answer
goes through the response_url, else as an ephemeral, else as a direct message.

A post is made once, even when the connection fails after Slack may have read it
(`post_once`). Every post of an outbox row carries message metadata naming the row
(`event_type: policybot_outbox`, `event_payload: {"row": id}`). When the connection fails
after the whole request was written (`keepalive.MaybeSent`), or when the background sender
takes a row (it may have been made: a timeout, a crash between the call and its record),
the row's message is first looked for where it was posted (`conversations.history`, or
`conversations.replies` in a thread, with `include_all_metadata`), and posted only when it
is not there; Slack's answer is then the found message's channel and ts. chat.postMessage
has no idempotency key and a client cannot choose a message's ts: metadata is the one thing
of ours Slack keeps with a message and gives back. A lookup Slack refuses for good (a
missing history scope) does not stop the post: it may then show twice, rather than never.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from handlers.kit.contact_lookup import read_contact
from handlers.kit.keepalive import MaybeSent, PooledWebhookClient, never_resent
from handlers.kit.lookup import Lookup
from handlers.kit.response_urls import is_response_url

log = logging.getLogger(__name__)

POST, UPDATE, EPHEMERAL, REACT = "post", "update", "ephemeral", "react"
PUBLISH_HOME, UPDATE_VIEW, RESPOND, UPLOAD, PERMALINK = (
    "publish_home",
    "update_view",
    "respond",
    "upload",
    "permalink",
)
# Reads whose answer a completion step needs after the ack: the setup's user group, the role
# modal's contact (`contact_lookup.read_contact`: several Web API methods), a person's profile
# (their language, for a message made once Slack has said it: `Outgoing.look_up_person`).
USERGROUP_MEMBERS, CONTACT, PERSON = "usergroup_members", "contact", "person"
# The AI assistant's thread (assistant.threads.*): its status, suggested prompts and title.
ASSISTANT_STATUS, ASSISTANT_PROMPTS, ASSISTANT_TITLE = (
    "assistant_status",
    "assistant_prompts",
    "assistant_title",
)
# Slack's words for "not now" in an answer that is otherwise an ordinary refusal.
NOT_NOW = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
# A reaction that is there already, a message already gone: done, as far as we are concerned.
AS_GOOD_AS_DONE = frozenset({"already_reacted"})
EVENT_TYPE = "policybot_outbox"  # the metadata of every post of an outbox row
LOOK_BACK = 100  # messages of a conversation searched for a row's post: it is among the newest
TIMEOUT = 10  # seconds a call may take before Slack counts as unreachable for now
RATE_LIMITED, SERVER_ERROR, CONNECTION = "rate_limited", "server_error", "connection"
# The Web API method each letter calls (response_url replies and uploads are not methods).
METHODS = {
    POST: "chat.postMessage",
    UPDATE: "chat.update",
    EPHEMERAL: "chat.postEphemeral",
    REACT: "reactions.add",
    PUBLISH_HOME: "views.publish",
    UPDATE_VIEW: "views.update",
    RESPOND: "response_url",
    UPLOAD: "files.upload",
    PERMALINK: "chat.getPermalink",
    USERGROUP_MEMBERS: "usergroups.users.list",
    PERSON: "users.info",
    ASSISTANT_STATUS: "assistant.threads.setStatus",
    ASSISTANT_PROMPTS: "assistant.threads.setSuggestedPrompts",
    ASSISTANT_TITLE: "assistant.threads.setTitle",
}


@dataclass(frozen=True)
class Delivered:
    """How one call went. `retry`: Slack refused for now; try after `retry_after` seconds."""

    ok: bool
    retry: bool = False
    retry_after: float | None = None
    error: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # why not now: rate_limited, server_error, connection

    def outcome(self) -> dict[str, Any]:
        """What a completion step is told: Slack's answer, or its error."""
        return {"ok": self.ok, "error": self.error, **self.result}


def deliver(
    client: WebClient,
    kind: str,
    args: dict[str, Any],
    *,
    row: int | None = None,
    unsure: bool = False,
) -> Delivered:
    """Make the call a letter describes; on a refusal for good, its `or` letter instead.
    A post of outbox row `row` is made at most once (`post_once`; `unsure`: an earlier try
    may have been made)."""
    call = {k: v for k, v in args.items() if k != "or"}
    try:
        if kind == POST and row is not None:
            result = post_once(
                client, _conversation(client, call), _without(call, "users"), row, unsure
            )
        else:
            result = _perform(client, kind, call)
    except SlackApiError as error:
        delivered = _refused(error)
    except OSError as error:  # refused connection, timeout, DNS: Slack is unreachable for now
        delivered = Delivered(False, retry=True, error=type(error).__name__, reason=CONNECTION)
    else:
        return Delivered(True, result=result)
    fallback = args.get("or")
    if delivered.retry or not fallback:
        return delivered
    log.info("%s refused (%s); trying %s", kind, delivered.error, fallback["kind"])
    return deliver(client, fallback["kind"], fallback["args"], row=row, unsure=unsure)


def reply_now(url: str, text: str, api_url: str) -> Delivered:
    """An ephemeral note through a response_url, made at once and not recorded (a courtesy:
    "working on it", "try again"); a response_url needs no Web API client. Only an address
    that is Slack's (`response_urls`, for a bot whose Web API is at `api_url`) is called."""
    if not is_response_url(url, api_url):
        return Delivered(False, error="not a response_url of Slack's")
    args = {"url": url, "text": text, "response_type": "ephemeral"}
    try:
        return Delivered(True, result=_respond(args))
    except SlackApiError as error:
        return _refused(error)
    except OSError as error:
        return Delivered(False, retry=True, error=type(error).__name__, reason=CONNECTION)


def for_now(error: SlackApiError) -> bool:
    """Whether Slack refused only for now (429, 5xx, "ratelimited" …): worth trying later."""
    return _refused(error).retry


def _refused(error: SlackApiError) -> Delivered:
    response = error.response
    code = str(response.get("error") or "") if response is not None else ""
    status = int(getattr(response, "status_code", 0) or 0)
    if code in AS_GOOD_AS_DONE:
        return Delivered(True, error=code)
    if status == 429 or status >= 500 or code in NOT_NOW:
        why = RATE_LIMITED if status == 429 or code == "ratelimited" else SERVER_ERROR
        wait = _retry_after(response)
        return Delivered(False, retry=True, retry_after=wait, error=code, reason=why)
    return Delivered(False, error=code or f"HTTP {status}")


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


def _perform(client: WebClient, kind: str, args: dict[str, Any]) -> dict[str, Any]:
    if kind == RESPOND:
        return _respond(args)
    if kind == POST:
        channel = _conversation(client, args)
        answer = post_message(client, _without(args, "users") | {"channel": channel})
        return {"channel": str(answer.get("channel") or channel), "ts": str(answer["ts"])}
    if kind == UPDATE:
        client.chat_update(**args)
        return {}
    if kind == EPHEMERAL:
        client.chat_postEphemeral(**args)
        return {}
    if kind == REACT:
        client.reactions_add(**args)
        return {}
    if kind == PUBLISH_HOME:
        client.views_publish(**args)
        return {}
    if kind == UPDATE_VIEW:
        client.views_update(**args)
        return {}
    if kind == ASSISTANT_STATUS:
        client.assistant_threads_setStatus(**args)
        return {}
    if kind == ASSISTANT_PROMPTS:
        client.assistant_threads_setSuggestedPrompts(**args)
        return {}
    if kind == ASSISTANT_TITLE:
        client.assistant_threads_setTitle(**args)
        return {}
    if kind == PERMALINK:
        link = client.chat_getPermalink(**args).get("permalink")
        return {"permalink": str(link)} if link else {}
    if kind == USERGROUP_MEMBERS:
        users = client.usergroups_users_list(**args).get("users") or []
        return {"users": [str(u) for u in users]}
    if kind == CONTACT:  # Slack refusing one of its reads for now: the letter waits
        return {"contact": read_contact(Lookup(client, raise_if=for_now), args)}
    if kind == PERSON:  # empty: Slack would not say (refused for good)
        person = Lookup(client, raise_if=for_now).user(str(args["user"]))
        return {"person": {k: v for k, v in asdict(person).items() if v}} if person else {}
    if kind == UPLOAD:
        channel = _conversation(client, args)
        file = args.get("file_b64")
        answer = client.files_upload_v2(
            **_without(args, "users", "file_b64")
            | {"channel": channel, "file": base64.b64decode(file) if file else None}
        )
        files = answer.get("files") or [answer.get("file") or {}]
        link = files[0].get("permalink") if isinstance(files[0], dict) else None
        return {"channel": channel, "permalink": str(link)} if link else {"channel": channel}
    raise ValueError(f"no such outbox letter: {kind}")


def _without(args: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k not in names}


def _conversation(client: WebClient, args: dict[str, Any]) -> str:
    """The channel to write in: given, or the direct message (or group DM) with `users`."""
    users = args.get("users")
    if not users:
        return str(args["channel"])
    opened = client.conversations_open(users=",".join(users))
    return str(opened["channel"]["id"])


class _Refused(SlackApiError):
    """A response_url that answered other than 2xx, in the Web API's terms."""


def _respond(args: dict[str, Any]) -> dict[str, Any]:
    message = _without(args, "url")
    answer = PooledWebhookClient(str(args["url"]), timeout=TIMEOUT, retry_handlers=[]).send(
        **message
    )
    if answer.status_code < 300:
        return {}
    failure = _Failure(answer.status_code, answer.headers, answer.body)
    raise _Refused(f"response_url answered {answer.status_code}", failure)


class _Failure(dict[str, Any]):
    """A response_url's refusal dressed as a Web API response (status, headers, error)."""

    def __init__(self, status: int, headers: dict[str, Any], body: str) -> None:
        super().__init__(ok=False, error=(body or "").strip()[:100] or f"HTTP {status}")
        self.status_code = status
        self.headers = headers


def post_once(
    client: WebClient, channel: str, args: dict[str, Any], row: int, unsure: bool
) -> dict[str, Any]:
    """chat.postMessage of outbox row `row` in `channel`, made at most once; `unsure`: an
    earlier try may have been made. Returns the message's channel and ts."""
    marked = args | {
        "channel": channel,
        "metadata": {"event_type": EVENT_TYPE, "event_payload": {"row": row}},
    }
    thread_ts = args.get("thread_ts")
    if unsure and (found := posted(client, channel, thread_ts, row)) is not None:
        return found
    try:
        return _post(client, channel, marked)
    except MaybeSent:
        found = posted(client, channel, thread_ts, row)
        if found is not None:
            log.info("outbox row %d was posted before the connection failed: not again", row)
            return found
        return _post(client, channel, marked)  # not made: once more (MaybeSent: for later)


def _post(client: WebClient, channel: str, args: dict[str, Any]) -> dict[str, Any]:
    with never_resent():
        answer = post_message(client, args)
    return {"channel": str(answer.get("channel") or channel), "ts": str(answer["ts"])}


def post_message(client: WebClient, args: dict[str, Any]) -> SlackResponse:
    """chat.postMessage, as `client.chat_postMessage(**args)` sends it for a letter's args
    (plain data: its blocks already dicts, its text given): the JSON body without the None
    values. Called as the Web API method itself, it skips the wrapper's per-call work for
    what letters never hold (block objects, attachments, a missing text): about a tenth of
    a post's CPU."""
    return client.api_call(
        "chat.postMessage", json={k: v for k, v in args.items() if v is not None}
    )


def posted(
    client: WebClient, channel: str, thread_ts: str | None, row: int
) -> dict[str, Any] | None:
    """Row `row`'s message in the conversation (or thread), if Slack has it."""
    try:
        if thread_ts:
            page = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=1000, include_all_metadata=True
            )
        else:
            page = client.conversations_history(
                channel=channel, limit=LOOK_BACK, include_all_metadata=True
            )
    except SlackApiError as error:
        status = int(getattr(error.response, "status_code", 0) or 0)
        if status == 429 or status >= 500:
            raise  # not now: the row waits, and looks again
        log.warning(
            "could not look for outbox row %d (%s): posting", row, error.response.get("error")
        )
        return None
    for message in page.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == EVENT_TYPE and str(payload.get("row")) == str(row):
            return {"channel": channel, "ts": str(message["ts"])}
    return None
