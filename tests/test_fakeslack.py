"""FakeSlack answers like Slack's Web API, records every call, and fails on request.

Driven with a real `slack_sdk.WebClient` over HTTP, as the bot talks to it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from runtime.executor import TrackingExecutor
from runtime.fakeslack import FakeSlack, inbound, signing

MARIA, JAN = "UMARIA001", "UJAN00001"
GENERAL = "C0GENERAL"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user(MARIA, "maria", locale="nl-NL")
        slack.add_user(JAN, "jan")
        slack.add_channel(GENERAL, "general", members=[MARIA, JAN])
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def error_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response["error"]


# ---- identity, recording ---------------------------------------------------------------------


def test_auth_test_names_the_bot_and_calls_are_recorded(fake: FakeSlack, client: WebClient):
    answer = client.auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == (
        fake.bot_user_id,
        fake.bot_id,
        fake.team_id,
    )
    call = fake.last("auth.test")
    assert call is not None and call.ok
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert fake.calls_for("auth.test") == [call]
    fake.clear()
    assert fake.calls == []


def test_unknown_methods_and_missing_tokens_are_refused(fake: FakeSlack, client: WebClient):
    assert error_of(lambda: client.api_call("chat.teleport")) == "unknown_method"
    assert fake.last("chat.teleport") is not None
    anonymous = WebClient(base_url=fake.api_url)
    assert error_of(lambda: anonymous.auth_test()) == "not_authed"


def test_wait_for_returns_a_call_made_meanwhile_and_explains_a_timeout(
    fake: FakeSlack, client: WebClient
):
    later = threading.Timer(0.05, lambda: client.chat_postMessage(channel=GENERAL, text="late"))
    later.start()
    call = fake.wait_for("chat.postMessage", lambda c: c.args["text"] == "late", timeout=5)
    assert call.response["ok"] is True
    with pytest.raises(AssertionError, match=r"(?s)no chat\.delete call.*chat\.postMessage"):
        fake.wait_for("chat.delete", timeout=0.05)


# ---- chat ------------------------------------------------------------------------------------


def test_post_message_answers_like_slack_with_unique_increasing_ts(
    fake: FakeSlack, client: WebClient
):
    first = client.chat_postMessage(channel=GENERAL, text="one", blocks=[SECTION])
    second = client.chat_postMessage(channel=GENERAL, text="two")
    assert first["channel"] == GENERAL and first["message"]["text"] == "one"
    assert first["message"]["bot_id"] == fake.bot_id
    assert first["message"]["blocks"][0]["block_id"]  # Slack fills in block ids
    assert first["ts"] < second["ts"]
    assert [m.text for m in fake.bot_messages(GENERAL)] == ["one", "two"]


def test_blocks_sent_as_json_text_in_a_form_body_are_decoded(fake: FakeSlack, client: WebClient):
    client.api_call(
        "chat.postMessage",
        data={"channel": GENERAL, "text": "form", "blocks": json.dumps([SECTION])},
    )
    assert fake.last("chat.postMessage").args["blocks"][0]["type"] == "section"
    assert fake.bot_messages(GENERAL)[0].blocks[0]["text"]["text"] == "hello"


def test_posting_to_a_user_id_lands_in_their_dm(fake: FakeSlack, client: WebClient):
    answer = client.chat_postMessage(channel=MARIA, text="psst")
    assert answer["channel"] == fake.im_for(MARIA)
    assert client.conversations_open(users=MARIA)["channel"]["id"] == fake.im_for(MARIA)
    assert client.conversations_info(channel=fake.im_for(MARIA))["channel"]["user"] == MARIA


def test_chat_errors(fake: FakeSlack, client: WebClient):
    assert error_of(lambda: client.chat_postMessage(channel="CNOPE", text="x")) == (
        "channel_not_found"
    )
    empty = lambda: client.api_call("chat.postMessage", json={"channel": GENERAL})  # noqa: E731
    assert error_of(empty) == "no_text"
    too_long = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    refused = error_of(
        lambda: client.chat_postMessage(channel=GENERAL, text="x", blocks=[too_long])
    )
    assert refused == "invalid_blocks"
    assert fake.last("chat.postMessage").response["errors"]
    person = fake.post_user_message(MARIA, GENERAL, "mine")
    assert error_of(lambda: client.chat_update(channel=GENERAL, ts=person, text="x")) == (
        "cant_update_message"
    )
    assert error_of(lambda: client.chat_delete(channel=GENERAL, ts="1.000001")) == (
        "message_not_found"
    )


def test_ephemeral_update_delete_and_permalink(fake: FakeSlack, client: WebClient):
    answer = client.chat_postEphemeral(channel=GENERAL, user=MARIA, text="just you")
    assert fake.ephemerals_for(MARIA)[0].ts == answer["message_ts"]
    assert fake.ephemerals_for(JAN) == []
    assert error_of(lambda: client.chat_postEphemeral(channel=GENERAL, user="UNOPE", text="x")) == (
        "user_not_found"
    )

    ts = client.chat_postMessage(channel=GENERAL, text="draft")["ts"]
    updated = client.chat_update(channel=GENERAL, ts=ts, text="final", blocks=[SECTION])
    assert updated["message"]["text"] == "final" and fake.message(GENERAL, ts).edited
    link = client.chat_getPermalink(channel=GENERAL, message_ts=ts)["permalink"]
    assert link == f"https://example.slack.com/archives/{GENERAL}/p{ts.replace('.', '')}"
    client.chat_delete(channel=GENERAL, ts=ts)
    assert fake.message(GENERAL, ts) is None


# ---- conversations -----------------------------------------------------------------------------


def test_threads_history_and_replies(fake: FakeSlack, client: WebClient):
    question = fake.post_user_message(MARIA, GENERAL, "may I post this?")
    reply = client.chat_postMessage(channel=GENERAL, text="yes", thread_ts=question)["ts"]
    fake.post_user_message(JAN, GENERAL, "thanks", thread_ts=reply)  # a reply to a reply
    later = client.chat_postMessage(channel=GENERAL, text="later")["ts"]

    history = client.conversations_history(channel=GENERAL)["messages"]
    assert [m["ts"] for m in history] == [later, question]  # newest first, no replies
    assert history[1]["reply_count"] == 2
    thread = client.conversations_replies(channel=GENERAL, ts=question)["messages"]
    assert [m["text"] for m in thread] == ["may I post this?", "yes", "thanks"]
    assert [m.text for m in fake.messages(GENERAL, thread_ts=question)] == [
        "may I post this?",
        "yes",
        "thanks",
    ]
    link = client.chat_getPermalink(channel=GENERAL, message_ts=reply)["permalink"]
    assert link.endswith(f"?thread_ts={question}&cid={GENERAL}")
    assert error_of(lambda: client.conversations_replies(channel=GENERAL, ts="1.1")) == (
        "thread_not_found"
    )


def test_history_pages_with_a_cursor(fake: FakeSlack, client: WebClient):
    for n in range(5):
        client.chat_postMessage(channel=GENERAL, text=str(n))
    first = client.conversations_history(channel=GENERAL, limit=3)
    rest = client.conversations_history(
        channel=GENERAL, limit=3, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in first["messages"] + rest["messages"]] == ["4", "3", "2", "1", "0"]
    assert rest["has_more"] is False


# ---- people ----------------------------------------------------------------------------------


def test_users_and_usergroups(fake: FakeSlack, client: WebClient):
    maria = client.users_info(user=MARIA, include_locale=True)["user"]
    assert (maria["name"], maria["locale"]) == ("maria", "nl-NL")
    assert "locale" not in client.users_info(user=MARIA)["user"]
    assert error_of(lambda: client.users_info(user="UNOPE")) == "user_not_found"
    assert {u["id"] for u in client.users_list()["members"]} == {MARIA, JAN, fake.bot_user_id}

    fake.add_usergroup("S0COMMS", "comms", [MARIA])
    groups = client.usergroups_list(include_users=True)["usergroups"]
    assert groups[0]["handle"] == "comms" and groups[0]["users"] == [MARIA]
    assert client.usergroups_users_list(usergroup="S0COMMS")["users"] == [MARIA]
    assert error_of(lambda: client.usergroups_users_list(usergroup="SNOPE")) == "no_such_subteam"


# ---- reactions -------------------------------------------------------------------------------


def test_reactions(fake: FakeSlack, client: WebClient):
    ts = fake.post_user_message(MARIA, GENERAL, "done")
    client.reactions_add(channel=GENERAL, timestamp=ts, name="white_check_mark")
    assert fake.reactions_on(GENERAL, ts) == {"white_check_mark": [fake.bot_user_id]}
    again = lambda: client.reactions_add(channel=GENERAL, timestamp=ts, name="white_check_mark")  # noqa: E731
    assert error_of(again) == "already_reacted"
    client.reactions_remove(channel=GENERAL, timestamp=ts, name="white_check_mark")
    assert fake.reactions_on(GENERAL, ts) == {}
    gone = lambda: client.reactions_remove(channel=GENERAL, timestamp=ts, name="eyes")  # noqa: E731
    assert error_of(gone) == "no_reaction"


# ---- views -----------------------------------------------------------------------------------

MODAL = {
    "type": "modal",
    "callback_id": "form",
    "title": {"type": "plain_text", "text": "Form"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "title",
            "label": {"type": "plain_text", "text": "Title"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_modals_open_push_update_and_home_tabs(fake: FakeSlack, client: WebClient):
    trigger = fake.issue_trigger(MARIA)
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert opened["id"].startswith("V") and opened["state"] == {"values": {}}
    assert [v["id"] for v in fake.open_views(MARIA)] == [opened["id"]]

    pushed = client.views_push(trigger_id=trigger, view=MODAL)["view"]
    assert pushed["previous_view_id"] == opened["id"]
    changed = dict(MODAL, title={"type": "plain_text", "text": "Changed"})
    updated = client.views_update(view_id=opened["id"], view=changed, hash=opened["hash"])
    assert updated["view"]["title"]["text"] == "Changed"
    stale = lambda: client.views_update(view_id=opened["id"], view=MODAL, hash=opened["hash"])  # noqa: E731
    assert error_of(stale) == "hash_conflict"
    fake.close_view(opened["id"])  # closing the bottom closes what is on top of it
    assert fake.open_views(MARIA) == []

    home = {"type": "home", "blocks": [SECTION]}
    client.views_publish(user_id=MARIA, view=home)
    assert fake.home_view(MARIA)["blocks"][0]["text"]["text"] == "hello"
    assert error_of(lambda: client.views_publish(user_id="UNOPE", view=home)) == "user_not_found"
    untitled = {"type": "modal", "blocks": []}
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=untitled)) == (
        "invalid_arguments"
    )


# ---- files -----------------------------------------------------------------------------------


def test_files_upload_v2_goes_through_the_fake(fake: FakeSlack, client: WebClient):
    answer = client.files_upload_v2(
        channel=GENERAL,
        content="# Policy\n",
        filename="policy.md",
        title="Our policy",
        initial_comment="Here it is",
    )
    upload_url = fake.last("files.getUploadURLExternal").response["upload_url"]
    assert upload_url.startswith(fake.base_url + "/upload/F")
    [stored] = fake.uploaded_files()
    assert (stored.content, stored.filename, stored.title) == (
        b"# Policy\n",
        "policy.md",
        "Our policy",
    )
    assert (stored.channel, stored.initial_comment) == (GENERAL, "Here it is")
    assert answer["file"]["id"] == stored.id
    assert client.files_info(file=stored.id)["file"]["name"] == "policy.md"
    shared = fake.bot_messages(GENERAL)[-1]
    assert shared.text == "Here it is" and shared.files[0]["id"] == stored.id
    assert error_of(lambda: client.files_info(file="FNOPE")) == "file_not_found"


# ---- response_url ----------------------------------------------------------------------------


def test_response_urls_reach_the_asker_the_channel_or_the_original(fake: FakeSlack):
    url = fake.response_url_for("k1", user=MARIA, channel=GENERAL)
    assert url == f"{fake.base_url}/respond/k1"
    WebhookClient(url).send(text="only you")
    assert [e.text for e in fake.ephemerals_for(MARIA)] == ["only you"]
    WebhookClient(url).send(text="everyone", response_type="in_channel")
    assert fake.bot_messages(GENERAL)[-1].text == "everyone"
    call = fake.last("response_url")
    assert call.args["response_type"] == "in_channel" and call.args["key"] == "k1"

    original = fake.bot_messages(GENERAL)[-1].ts
    on_message = fake.response_url_for("k2", user=MARIA, channel=GENERAL, message_ts=original)
    WebhookClient(on_message).send(text="replaced", replace_original=True)
    assert fake.message(GENERAL, original).text == "replaced"
    WebhookClient(on_message).send(delete_original=True)
    assert fake.message(GENERAL, original) is None


# ---- fault injection -------------------------------------------------------------------------


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack, retry_waits: list[float]):
    client = WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=3)
    assert client.chat_postMessage(channel=GENERAL, text="hi")["ok"] is True
    refused, accepted = fake.calls_for("chat.postMessage")
    assert (refused.status, refused.response["error"]) == (429, "ratelimited")
    assert len(retry_waits) == 1 and 3 <= retry_waits[0] < 4  # Retry-After: 3, plus jitter
    assert len(fake.bot_messages(GENERAL)) == 1  # the refused attempt did nothing


def test_server_errors_and_injected_errors(fake: FakeSlack):
    client = WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )
    fake.fail_next("users.info", status=500, times=2)
    assert client.users_info(user=MARIA)["ok"] is True
    assert [c.status for c in fake.calls_for("users.info")] == [500, 500, 200]
    fake.fail_next("chat.postMessage", status=200, error="is_archived")
    assert error_of(lambda: client.chat_postMessage(channel=GENERAL, text="x")) == "is_archived"


# ---- the other direction: requests to the app, and the executor ------------------------------


def test_inbound_requests_carry_a_valid_slack_signature():
    body, content_type = signing.event_body(
        inbound.event_callback(inbound.message_event(MARIA, "D1", "hi", "1.000001", "im"))
    )
    request = signing.bolt_request("secret", body, content_type)
    headers = {k: v[0] for k, v in request.headers.items()}
    assert SignatureVerifier("secret").is_valid_request(body, headers)
    assert request.body["event"]["channel_type"] == "im"
    second = inbound.event_callback({"type": "app_home_opened"})
    assert second["event_id"] != request.body["event_id"]


def test_tracking_executor_waits_for_work_that_submits_work():
    done: list[str] = []
    gate = threading.Event()
    with TrackingExecutor(max_workers=2) as executor:

        def child() -> None:
            gate.wait(5)
            done.append("child")

        def parent() -> None:
            executor.submit(child)
            done.append("parent")

        executor.submit(parent)
        assert executor.wait_idle(timeout=0.05) is False  # the child waits for the gate
        gate.set()
        assert executor.wait_idle(timeout=30) is True  # a failure's bound: the gate is open
        assert sorted(done) == ["child", "parent"] and executor.pending == 0


def test_snapshot_and_restore_keep_the_workspace(fake: FakeSlack, client: WebClient):
    ts = fake.post_user_message(MARIA, GENERAL, "remember me")
    client.chat_postMessage(channel=GENERAL, text="reply", thread_ts=ts)
    data = json.loads(json.dumps(fake.snapshot()))  # must survive a trip through JSON
    with FakeSlack() as again:
        again.restore(data)
        assert [m.text for m in again.messages(GENERAL, thread_ts=ts)] == ["remember me", "reply"]
        assert again.user(MARIA).locale == "nl-NL"
        newer = again.post_user_message(JAN, GENERAL, "new")
        assert newer > fake.bot_messages(GENERAL)[-1].ts
