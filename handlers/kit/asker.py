"""The asker's profile (their language), learned before a unit of work (`kit.outside`).

A listener whose first words to the asker are decided only inside its unit of work (a
button on something gone, pressed by someone else) would ask Slack for their language there
when their profile is not stored: on PostgreSQL over a pooled connection and an open
transaction. `asker_known` ends such a unit of work first, before it has written anything,
to have Slack asked with none open (`KnowAsker`, for the person of the context it names,
who may be another than the request's); the work, run by `first_outside`, then runs again
and finds it."""

from __future__ import annotations

from typing import TypeVar

from handlers.kit.context import RequestContext
from handlers.kit.outside import Errand, OutsideFirst

A = TypeVar("A")


class KnowAsker(Errand[A]):
    """Ask Slack for `asker`'s profile, with no transaction open: that context keeps it
    (`RequestContext.know_profile`), so the next run finds it known; `ahead` is unchanged."""

    kept_by_context = True

    def __init__(self, asker: RequestContext) -> None:
        self.asker = asker

    def run(self, ctx: RequestContext, ahead: A) -> A:
        self.asker.know_profile()
        return ahead


def asker_known(asker: RequestContext) -> None:
    """In a unit of work run by `first_outside`: return when `asker`'s profile is stored or
    was asked before it; else end it (`OutsideFirst`) to have Slack asked first. (Before the
    work's first write: the run that ends rolls back.)"""
    if not asker.profile_known():
        raise OutsideFirst(KnowAsker(asker))
