"""The languages of the people a unit of work speaks to, learned before it (`kit.outside`).

A scheduled job (and any work that speaks to people other than the asker) finds whom it
tells only in its own unit of work. Their profiles (their language) are mostly stored; one
that is not (first seen, or expired) only Slack can give, and asking Slack there would hold
a transaction and a pooled connection on PostgreSQL over the call. So the work names its
readers first (`know_people`): if any is unknown it ends by raising `OutsideFirst`, Slack is
asked for all of them at once with no transaction open, and the work runs again with what
Slack said, which the request's context keeps (`RequestContext.hear`) and each reader's
context keeps in the unit of work when it reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from bot.storage import Session
from handlers.kit.context import RequestContext
from handlers.kit.outside import Errand, OutsideFirst, first_outside

A = TypeVar("A")
T = TypeVar("T")
RUNS = 2  # one kind of errand: the second run knows everyone the first named


class LearnPeople(Errand[A]):
    """Ask Slack for these people's profiles (`users.info`), outside any unit of work: the
    request's context keeps what Slack said (`RequestContext.hear`) for every next run."""

    kept_by_context = True

    def __init__(self, users: Iterable[str]) -> None:
        self.users = tuple(dict.fromkeys(users))

    def run(self, ctx: RequestContext, ahead: A) -> A:
        ctx.hear({user: ctx.lookup.user(user) for user in self.users})
        return ahead


def know_people(ctx: RequestContext, users: Iterable[str]) -> None:
    """In a unit of work run by `with_people_known`: return when every one of `users` has a
    stored profile or one Slack gave before it; else end it before it has asked anyone, to
    have Slack asked for those unknown. (Best before the work's first write, which the run
    that ends rolls back and the next writes again.)"""
    unknown = [user for user in users if not ctx.for_user(user).profile_known()]
    if unknown:
        raise OutsideFirst(LearnPeople(unknown))


def with_people_known(ctx: RequestContext, work: Callable[[Session], T]) -> T:
    """`work` in the request's unit of work; if it needs people Slack alone knows
    (`know_people`), that unit of work rolls back, Slack is asked with none open, and `work`
    runs once more, finding what Slack said. (Inside a unit of work already open, the
    `first_outside` that opened it asks: see `kit.outside`.)"""
    return first_outside(ctx, lambda session, _: work(session), None, RUNS)
