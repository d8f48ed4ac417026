"""What a serving process does besides serving: warm up once it listens, and finish the work
in flight before it exits.

Bolt acknowledges a request, then runs its listener in the listener executor: a process told
to stop (SIGTERM from `docker stop`, systemd or Kubernetes) must not drop that work. `drain`
waits for the executor to run dry (bounded), and only then does the process exit.
"""

from __future__ import annotations

import logging
import threading
import time

from bot.i18n import catalogue
from handlers.kit import later
from runtime.app_factory import PolicyApp
from runtime.executor import TrackingExecutor

log = logging.getLogger(__name__)
DRAIN_SECONDS = 25.0  # inside gunicorn's graceful_timeout (30 s) and compose's stop period
# Set once this process has answered its first request (`runtime.serve.wsgi_application`).
FIRST_ANSWERED = threading.Event()
# A process nobody asks anything warms up after this long all the same.
WARM_UP_AT_LATEST_S = 1.0


def drain(app: PolicyApp, timeout: float = DRAIN_SECONDS) -> bool:
    """Let the listener executor finish what it holds, then shut it; True if all finished."""
    deadline = time.monotonic() + timeout
    executor = app.listener_executor
    pending = executor.pending if isinstance(executor, TrackingExecutor) else None
    if pending:
        log.info("stopping: finishing %d piece(s) of work in flight", pending)
    finished = executor.wait_idle(timeout) if isinstance(executor, TrackingExecutor) else True
    # What Slack refused for now is sent when it may, within the same time; what is left then
    # waits in the outbox for the next start (or another instance).
    app.background.drain(deadline)
    app.background.stop()
    executor.shutdown(wait=finished)
    if finished:
        log.info("stopped: all work in flight finished")
    else:
        log.warning("stopped with work unfinished after %.0f s", timeout)
    return finished


def warm_up_in_background(app: PolicyApp | None = None, *, after_first: bool = False) -> None:
    """Load what the first question needs but start-up does not (every capability's listeners
    and core, `handlers.kit.later`; the message catalogue; the engine, its lexicons and
    stemmers, word frequencies, the adopted policy compiled), after the process listens: the
    first ack stays quick and the first answer is not slowed down. `after_first`: once the
    first request is answered (or `WARM_UP_AT_LATEST_S` passed), so that it does not take
    the interpreter from that request, which is usually already waiting."""

    def warm() -> None:
        if after_first:
            FIRST_ANSWERED.wait(WARM_UP_AT_LATEST_S)
        try:
            later.import_all()
            catalogue()  # every message, and the words `/policy` answers to
            # Not imported at start-up (`bot.answering`): the first question would pay for it.
            import bot.answering.engine  # noqa: F401
            import bot.answering.passages  # noqa: F401
            from bot.answering.domain import zipf

            zipf("beleid")
            from bot.answering.risk import risk_cues

            risk_cues("beleid")  # the signs of risk's prefilter, built once
            if app is not None:
                from bot.asking.service import adopted_policy

                with app.database.session() as session:
                    adopted_policy(session)
        except Exception:  # warming up is an optimisation: the first question does it anyway
            log.debug("warm-up failed", exc_info=True)

    threading.Thread(target=warm, name="policybot-warm-up", daemon=True).start()
