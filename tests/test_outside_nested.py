"""`first_outside` called inside a unit of work already open (`kit.outside`): that unit of work
cannot roll back alone, so an errand whose learning the request context keeps is handed to
the `first_outside` that opened it, which runs it with no connection held and the whole work
again; an errand that fills its own loop's `ahead` met there is a defect, raised."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage import Database, Session
from bot.storage.held import holds_a_connection
from handlers.kit.context import RequestContext
from handlers.kit.outbox import Outbox
from handlers.kit.outside import Errand, OutsideFirst, first_outside
from handlers.kit.requests import Flight
from handlers.kit.services import Services


class _Noted(Errand[int]):
    """Kept by the context (as a profile is): notes whether a connection was held meanwhile."""

    kept_by_context = True

    def __init__(self, held: list[bool]) -> None:
        self.held = held

    def run(self, ctx: RequestContext, ahead: int) -> int:
        self.held.append(holds_a_connection())
        return ahead


class _Counted(Errand[int]):
    """Fills the loop's `ahead`: only the loop that met it can run it."""

    def run(self, ctx: RequestContext, ahead: int) -> int:
        return ahead + 1


def _context(settings: Settings, db: Database) -> RequestContext:
    clock = ManualClock()
    client = WebClient(token=settings.bot_token, base_url=settings.slack_api_url)
    services = Services(settings, db, Outbox(db, client, clock, "test"), Flight(clock), clock)
    return RequestContext(services, client, "UCOMMS01")


def test_a_kept_errand_met_in_an_open_unit_of_work_is_run_outside_by_the_enclosing_loop(
    settings: Settings, db: Database
) -> None:
    ctx = _context(settings, db)
    held: list[bool] = []
    runs: list[str] = []

    def inner(session: Session, _: None) -> str:
        if not held:
            raise OutsideFirst(_Noted(held))
        return "learned"

    def outer(session: Session, _: None) -> str:
        runs.append("outer")
        return first_outside(ctx, inner, None, runs=2)

    assert first_outside(ctx, outer, None, runs=2) == "learned"
    assert held == [False]  # asked with no connection held
    assert runs == ["outer", "outer"]  # the whole work again, not the inner part alone


def test_an_errand_for_its_own_loop_met_in_an_open_unit_of_work_is_a_defect(
    settings: Settings, db: Database
) -> None:
    ctx = _context(settings, db)

    def inner(session: Session, ahead: int) -> int:
        if ahead == 0:
            raise OutsideFirst(_Counted())
        return ahead

    def outer(session: Session, _: None) -> int:
        return first_outside(ctx, inner, 0, runs=2)

    with pytest.raises(RuntimeError, match="_Counted met inside an open unit of work"):
        first_outside(ctx, outer, None, runs=2)
    assert first_outside(ctx, inner, 0, runs=2) == 1  # its own loop runs it
