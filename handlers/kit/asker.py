"""The asker's profile (their language), learned before a unit of work (`kit.outside`).

A listener whose first words to the asker are decided only inside its unit of work (a
button on something gone, pressed by someone else) would ask Slack for their language there
when their profile is not stored: on PostgreSQL over a pooled connection and an open
transaction. `asker_known` ends such a unit of work first, before it has written anything,
to have Slack asked with none open (`KnowAsker`); the work then runs again and finds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.storage import Session
from handlers.kit.context import RequestContext
from handlers.kit.outside import Errand, OutsideFirst

A = TypeVar("A")
T = TypeVar("T")


class KnowAsker(Errand[A]):
    """Ask Slack for the asker's profile, with no transaction open: the context keeps it
    (`RequestContext.know_profile`), so the next run finds it known; `ahead` is unchanged."""

    def run(self, ctx: RequestContext, ahead: A) -> A:
        ctx.know_profile()
        return ahead


def asker_known(ctx: RequestContext) -> None:
    """In a unit of work run by `first_outside`: return when the asker's profile is stored or
    was asked before it; else end it (`OutsideFirst`) to have Slack asked first. (Before the
    work's first write: the run that ends rolls back.)"""
    if not ctx.profile_known():
        raise OutsideFirst(KnowAsker())


def retrying_with_asker_known(
    ctx: RequestContext, asker: RequestContext, work: Callable[[Session], T]
) -> T:
    """`ctx.retrying(work)`, where `work` calls `asker_known(asker)` before its first write:
    if that ends it, Slack is asked for `asker`'s profile with no transaction open, and `work`
    runs once more, finding it. (`first_outside`'s loop for work that `retrying` runs.)"""
    try:
        return ctx.retrying(work)
    except OutsideFirst as first:
        first.errand.run(asker, None)
        return ctx.retrying(work)
