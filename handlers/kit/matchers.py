"""Listener matchers, and our listeners, called with what they name, not through Bolt's
keyword injection.

Bolt wraps every matcher (the event type, command or action id a listener is registered
for, and the `matchers=` a capability adds) in a matcher that, at each call, builds every
argument a listener could ask for (`build_required_kwargs`: the body's event, message,
action, view, command …, `say`, `respond` …) to hand it the one or two it names. Bolt tries
the listeners in order until one matches, so each request pays that for every listener
before its own: a DM three times (and twice more for the added matchers), a button up to
sixty. py-spy on live workers put the building at 2.4 % of a DM's CPU.

`call_directly` swaps each such matcher for one that reads what its function names (`body`,
`context`, `event`, `client`, `ack`, `say`, `respond`) straight from the request, with the
values Bolt would have given; a matcher whose function names anything else stays as Bolt
built it. A lazily imported matcher or listener (`kit.later.listener`, which takes Bolt's
`args` and passes on what its target names: every listener of ours) is given a stand-in for
`args` that reads each name the same way when asked, and any other name from Bolt's own
injection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.kwargs_injection.utils import build_required_kwargs
from slack_bolt.listener.custom_listener import CustomListener
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher
from slack_bolt.listener_matcher.custom_listener_matcher import CustomListenerMatcher
from slack_bolt.listener_matcher.listener_matcher import ListenerMatcher
from slack_bolt.middleware.assistant import Assistant
from slack_bolt.request.payload_utils import to_event

# What Bolt's injection gives for these names (`build_required_kwargs`), read directly.
_READ: dict[str, Callable[[BoltRequest], Any]] = {
    "body": lambda request: request.body,
    "context": lambda request: request.context,
    "event": lambda request: to_event(request.body),
    "client": lambda request: request.context.client,
    "ack": lambda request: request.context.ack,
    "say": lambda request: request.context.say,
    "respond": lambda request: request.context.respond,
}
TAKES_ARGS = "policybot_takes_args"  # set on a function that reads only names from `args`


class _Direct(ListenerMatcher):
    """`function(**named)`, each name read from the request as Bolt would give it."""

    def __init__(self, function: Callable[..., Any], names: list[str]) -> None:
        self.function, self.names = function, names

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        return bool(self.function(**{name: _READ[name](req) for name in self.names}))


class _ArgsMatcher(ListenerMatcher):
    """A matcher taking Bolt's `args` that only reads names from it: given `_Named`."""

    def __init__(self, wrapped: BuiltinListenerMatcher | CustomListenerMatcher) -> None:
        self.wrapped = wrapped

    def matches(self, req: BoltRequest, resp: BoltResponse) -> bool:
        wrapped = self.wrapped
        return bool(wrapped.func(args=_Named(req, resp, wrapped.logger, wrapped.func)))


class _DirectListener(CustomListener):
    """A listener whose function takes `args` and only reads names from it (every one
    `kit.later.listener` made): given `_Named` instead of Bolt's `Args` of everything."""

    def run_ack_function(
        self, *, request: BoltRequest, response: BoltResponse
    ) -> BoltResponse | None:
        named = _Named(request, response, self.logger, self.ack_function)
        return self.ack_function(args=named)


class _Named:
    """Bolt's `args` for a function that reads names from it: those of `_READ` read
    directly (a property each, below), `logger` its own; any other from Bolt's own
    injection, built when asked.

    The names read most are properties, not `__getattr__`'s: on Python 3.11 a name that
    reaches `__getattr__` first has its AttributeError formatted and dropped (about 2,500
    instructions, six reads per DM)."""

    __slots__ = ("_request", "_response", "_logger", "_function")

    def __init__(
        self,
        request: BoltRequest,
        response: BoltResponse,
        logger: logging.Logger,
        function: Callable[..., Any],
    ) -> None:
        self._request, self._response = request, response
        self._logger, self._function = logger, function

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def __getattr__(self, name: str) -> Any:
        built = build_required_kwargs(
            logger=self._logger,
            required_arg_names=[name],
            request=self._request,
            response=self._response,
            this_func=self._function,
        )
        return built.get(name)


def _read_as_property(read: Callable[[BoltRequest], Any]) -> property:
    return property(lambda named: read(named._request))


for _name, _read in _READ.items():
    setattr(_Named, _name, _read_as_property(_read))


def call_directly(app: App) -> None:
    """Swap the matchers of every listener registered so far (see the module), the app's
    own and those of Bolt's `Assistant` middleware (which tries its listeners on every
    event, a DM's among them)."""
    listeners = list(app._listeners)  # Bolt's lists; the listeners themselves are public
    for layer in app._middleware_list:
        if isinstance(layer, Assistant):
            for kind in _ASSISTANT_LISTENERS:
                listeners += getattr(layer, kind, None) or []
    for listener in listeners:
        listener.matchers = [_direct(matcher) for matcher in listener.matchers]
        if (
            type(listener) is CustomListener
            and listener.arg_names == ["args"]
            and getattr(listener.ack_function, TAKES_ARGS, False)
        ):
            listener.__class__ = _DirectListener  # the same listener, called directly


_ASSISTANT_LISTENERS = (
    "_thread_started_listeners",
    "_thread_context_changed_listeners",
    "_user_message_listeners",
    "_bot_message_listeners",
)


def _direct(matcher: ListenerMatcher) -> ListenerMatcher:
    if type(matcher) not in (BuiltinListenerMatcher, CustomListenerMatcher):
        return matcher
    assert isinstance(matcher, BuiltinListenerMatcher | CustomListenerMatcher)
    function, names = matcher.func, list(matcher.arg_names)
    if names == ["args"] and getattr(function, TAKES_ARGS, False):
        return _ArgsMatcher(matcher)
    if not names or any(name not in _READ for name in names):
        return matcher
    return _Direct(function, names)
