"""Listener matchers called directly (`handlers.kit.matchers`): the same answers as Bolt's
own, for every listener of the app, without Bolt's keyword injection."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener.custom_listener import CustomListener
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.listener_matcher.custom_listener_matcher import CustomListenerMatcher
from slack_bolt.middleware.assistant import Assistant
from slack_sdk import WebClient

from handlers.kit import matchers
from handlers.kit.later import listener
from tests.driver import SlackDriver

# One body of each kind Slack sends, for every listener's own matcher to judge.
BODIES: list[dict[str, Any]] = [
    {"type": "event_callback", "event_id": "Ev1", "team_id": "T1",
     "event": {"type": "message", "channel_type": "im", "user": "U1", "text": "mag ik",
               "channel": "D1", "ts": "1.1"}},
    {"type": "event_callback", "event_id": "Ev2", "team_id": "T1",
     "event": {"type": "app_mention", "user": "U1", "text": "<@UBOT> hoi", "channel": "C1",
               "ts": "1.2"}},
    {"type": "event_callback", "event_id": "Ev3", "team_id": "T1",
     "event": {"type": "app_home_opened", "user": "U1", "tab": "home"}},
    {"command": "/policy", "text": "check mag ik", "user_id": "U1", "team_id": "T1"},
    {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"},
     "actions": [{"action_id": "policy_escalate", "type": "button", "value": "{}"}]},
    {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
     "view": {"type": "modal", "callback_id": "policy_rule_form", "private_metadata": ""}},
    {"type": "message_action", "callback_id": "policy_check_message", "team": {"id": "T1"},
     "user": {"id": "U1"}},
]  # fmt: skip


def _bolt_app() -> App:
    return App(
        client=WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/"),
        signing_secret="secret",
        token_verification_enabled=False,
    )


def _request(body: dict[str, Any]) -> BoltRequest:
    return BoltRequest(body=body, mode="socket_mode")


def test_every_primary_matcher_answers_as_bolts_own(running: SlackDriver) -> None:
    app = running.app
    swapped = 0
    for listener_ in app._listeners:
        primary = listener_.matchers[0]
        assert not isinstance(primary, BuiltinListenerMatcher), "left to Bolt's injection"
        rebuilt = BuiltinListenerMatcher(func=primary.function)  # type: ignore[attr-defined]
        for body in BODIES:
            response = BoltResponse(status=200)
            assert primary.matches(_request(body), response) == rebuilt.matches(
                _request(body), response
            )
        swapped += 1
    assert swapped == len(app._listeners) > 50


def test_a_matcher_naming_more_is_given_what_bolt_gives() -> None:
    seen: dict[str, Any] = {}

    def in_a_dm(event: dict[str, Any], client: WebClient, body: dict[str, Any]) -> bool:
        seen.update(event=event, client=client, body=body)
        return event.get("channel_type") == "im"

    def with_options(options: Any) -> bool:
        return options is None  # a message event has none

    app = _bolt_app()
    app.event("message", matchers=[listener(lambda: in_a_dm)])(lambda: None)
    app.event("message", matchers=[with_options])(lambda: None)
    matchers.call_directly(app)
    lazily, own = app._listeners[0].matchers[1], app._listeners[1].matchers[1]
    assert not isinstance(lazily, CustomListenerMatcher)
    assert isinstance(own, CustomListenerMatcher), "a name it cannot read stays with Bolt"

    request = _request(BODIES[0])
    request.context["client"] = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    assert lazily.matches(request, BoltResponse(status=200)) is True
    assert seen["body"] is request.body and seen["event"] is request.body["event"]
    assert seen["client"] is request.context.client  # from Bolt's own injection
    assert own.matches(request, BoltResponse(status=200)) is True


def test_the_assistants_matchers_are_called_directly_too(running: SlackDriver) -> None:
    layers = [m for m in running.app._middleware_list if isinstance(m, Assistant)]
    assert layers, "the app has Bolt's Assistant middleware"
    listeners = [
        listener_
        for kind in ("_thread_started_listeners", "_user_message_listeners")
        for listener_ in getattr(layers[0], kind) or []
    ]
    assert listeners
    for listener_ in listeners:
        for matcher in listener_.matchers:
            assert not isinstance(matcher, BuiltinListenerMatcher | CustomListenerMatcher)


def test_our_listeners_are_given_what_bolt_gives() -> None:
    seen: dict[str, Any] = {}

    def answer(event: dict[str, Any], client: WebClient, logger: Any, options: Any) -> None:
        seen.update(event=event, client=client, logger=logger, options=options)

    app = _bolt_app()
    app.event("message")(listener(lambda: answer))
    matchers.call_directly(app)
    registered = app._listeners[0]
    assert isinstance(registered, CustomListener)
    assert type(registered).run_ack_function is not CustomListener.run_ack_function

    request = _request(BODIES[0])
    request.context["client"] = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    registered.run_ack_function(request=request, response=BoltResponse(status=200))
    assert seen["event"] is request.body["event"] and seen["client"] is request.context.client
    assert seen["logger"] is registered.logger
    assert seen["options"] is None  # from Bolt's own injection: a message has no options
