"""Listeners whose module is imported when they are first called.

A serving process must acknowledge its first request within a second of starting (issue 13):
importing every capability's listeners, and with them the whole core (`bot/`: hundreds of
dataclasses and the policy model), was the largest part of start-up. So each capability
registers its listeners, matchers and sub-commands by name (`"module:function"`); what Slack
needs to route a request (command words, action and callback ids, event types) stays in
light modules. The module is imported when a request first reaches it, and the worker
imports all of them once it has answered its first request (`import_all`, from
`runtime.lifecycle`), so later requests pay nothing.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

from slack_bolt.kwargs_injection.args import Args
from slack_bolt.util.utils import get_arg_names_of_callable

from handlers.kit.matchers import TAKES_ARGS

_TARGETS: dict[str, None] = {}  # every "module:name" registered, in order
_MODULES: dict[str, None] = {}  # imported for what they register (scheduled jobs, completion steps)
_LOCK = threading.Lock()
# One import at a time through here: the warm-up thread and a request's thread importing two
# modules that import each other would otherwise each hold one and wait for the other.
_IMPORTING = threading.RLock()


class Later:
    """`module:name`, imported when first called, then called as itself."""

    def __init__(self, target: str) -> None:
        self.module, _, self.name = target.partition(":")
        self.__name__ = self.__qualname__ = self.name  # what Bolt and logs call it
        self._target: Callable[..., Any] | None = None
        with _LOCK:
            _TARGETS[target] = None

    def resolve(self) -> Callable[..., Any]:
        target = self._target
        if target is None:
            target = getattr(_import(self.module), self.name)
            self._target = target
        return target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


def later(target: str) -> Later:
    """A plain function (a sub-command's `run`, a hook) imported when first called."""
    return Later(target)


def listener(target: str | Callable[[], Callable[..., Any]]) -> Callable[[Args], Any]:
    """A Bolt listener or matcher imported when first called: `"module:name"`, or what
    `target()` returns then (a method of an object made on first use). Bolt injects its
    arguments by the names of the function it was given: this one takes them all (`args`)
    and hands the function those its own parameters name, as Bolt would have."""
    find = Later(target).resolve if isinstance(target, str) else target
    found: list[tuple[Callable[..., Any], list[str]]] = []

    def run(args: Args) -> Any:
        if not found:
            function = find()
            names = get_arg_names_of_callable(function)
            found.append((function, names[1:] if inspect.ismethod(function) else names))
        function, names = found[0]
        return function(**{name: getattr(args, name) for name in names})

    name = target.partition(":")[2] if isinstance(target, str) else "deferred"
    run.__name__ = run.__qualname__ = name  # Bolt names the listener's logger after it
    setattr(run, TAKES_ARGS, True)  # as a matcher, it may be given `args` lazily (kit.matchers)
    return run


def registering(*modules: str) -> None:
    """Modules that register something as they are imported (what a scheduled job or a
    completion step does): `import_all` imports them, and so does whoever looks up such a
    registry before the warm-up (`handlers.kit.scheduler`, `handlers.kit.outbox`)."""
    with _LOCK:
        _MODULES.update(dict.fromkeys(modules))


def registered() -> list[str]:
    """Every "module:name" registered so far."""
    with _LOCK:
        return list(_TARGETS)


def import_all() -> None:
    """Import every module registered so far: the warm-up after the first request, and the
    registries filled as their modules are imported, before they are read."""
    with _LOCK:
        modules = [*_MODULES, *(target.partition(":")[0] for target in _TARGETS)]
    for module in dict.fromkeys(modules):
        _import(module)


def _import(module: str) -> ModuleType:
    with _IMPORTING:
        return importlib.import_module(module)
