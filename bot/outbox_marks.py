"""The sent marks of a batch and the look behind them as one statement (PostgreSQL).

`outbox.sent` marks the rows Slack has (their text forgotten) and looks whether rows wait
behind them in their conversations. As statements of their own that is BEGIN, the marks
(pipelined), the look and COMMIT: four round trips per batch, and with answers one at a
time a batch is one answer. Here the marks are an UPDATE in a WITH, the look the statement
that reads it, so the whole is one statement: atomic on its own, run in autocommit
(`Database.one_statement`), one round trip. The look runs on the statement's snapshot, which
does not see its own UPDATE: the rows it marked are left out by their ids, so it finds what
the look after the marks found (a row whose claim was lost and is still pending counts, as
it did).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, BigInteger, String, Table, any_, bindparam, exists, func, select


def sent_and_behind(outbox: Table, pending: str, sent: str) -> Any:
    """Mark the rows `b_ids` held by the claims `b_claims` (pairwise) sent at `b_now` while
    pending; give whether a pending row other than those marked waits in `b_conversations`."""
    given = func.unnest(
        bindparam("b_ids", type_=ARRAY(BigInteger)), bindparam("b_claims", type_=ARRAY(String))
    )
    held = given.table_valued("id", "claim").render_derived(name="held")
    marked = (
        outbox.update()
        .where(outbox.c.id == held.c.id, outbox.c.claim == held.c.claim, outbox.c.state == pending)
        .values(state=sent, args=None, finished_at=bindparam("b_now"), lease_until=None)
        .returning(outbox.c.id)
        .cte("marked")
    )
    behind = exists().where(
        outbox.c.state == pending,
        outbox.c.conversation == any_(bindparam("b_conversations", type_=ARRAY(String))),
        outbox.c.id.not_in(select(marked.c.id)),
    )
    return select(behind.label("behind"))
