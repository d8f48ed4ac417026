"""Our global Bolt middleware, called with Bolt's request and `next` only.

A plain function given to `app.middleware` is wrapped by Bolt in a `CustomMiddleware`, which
at every call builds every argument a listener could ask for (the body's event, message,
action, view …, `say`, `respond` …) to hand it the few it names: py-spy on live workers put
our five of them at about 5 % of a DM's CPU. A `Middleware` subclass is called as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

Next = Callable[[], BoltResponse]
Step = Callable[[BoltRequest, Next], Any]


class Direct(Middleware):
    """`step(request, next)` as a Bolt middleware: it returns `next()`, or a response of
    its own to end the request there."""

    def __init__(self, step: Step) -> None:
        self.step = step

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Next) -> Any:  # noqa: A002
        return self.step(req, next)

    @property
    def name(self) -> str:
        return f"Direct({getattr(self.step, '__qualname__', self.step)})"


def use(app: App, step: Step) -> Step:
    """Install `step` as the app's next global middleware; returns it (a decorator)."""
    app.middleware(Direct(step))
    return step
