"""Numbers handed out once each, by any number of instances at the same moment.

Rule ids such as `employees-7` used to be found by looking for the first free one; two
transactions doing that at once picked the same id and one of them failed on the unique
constraint (issue 9: 883 of 1,000 replies recorded on PostgreSQL). A counter row updated with
one `INSERT … ON CONFLICT DO UPDATE … RETURNING` cannot hand out a number twice: the second
writer waits for the first one's row lock (PostgreSQL) or for the database lock (SQLite) and
then counts on from what the first one left. A transaction that rolls back gives its number
back, so the numbers stay dense in the usual case.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.storage.models.counters import IdCounter
from bot.storage.writes import insert_statement

# How many taken numbers to step over before giving up (ids someone typed or imported).
_MAX_SKIPS = 10_000


def next_number(session: Session, name: str, start: int = 1) -> int:
    """The next number of counter `name`: `start` the first time, then one more each call."""
    statement = (
        insert_statement(session, IdCounter)
        .values(name=name, value=start)
        .on_conflict_do_update(index_elements=["name"], set_={"value": IdCounter.value + 1})
        .returning(IdCounter.value)
    )
    return int(session.execute(statement).scalar_one())


def free_id(session: Session, prefix: str, taken: Callable[[str], bool], start: int = 1) -> str:
    """`prefix` + the next number of its counter that `taken` does not refuse (an id someone
    typed or imported); never the same for two transactions, even at the same moment."""
    for _ in range(_MAX_SKIPS):
        candidate = f"{prefix}{next_number(session, prefix, start)}"
        if not taken(candidate):
            return candidate
    raise RuntimeError(f"no free id with prefix {prefix!r} after {_MAX_SKIPS} tries")
