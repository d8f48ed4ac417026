"""The profile cache forgets per key (`bot.storage.changes`, `BY_KEY`): every transaction
that writes profiles records, under the counter value it moves the table to, which people's
profiles it wrote; a write whose rows it cannot name records none, which makes every
instance forget all its profiles, as before; old records are pruned. The two instances that
read them are in `tests/test_caches_two_instances.py`."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, event, select, update

from bot import profiles
from bot.storage import Database
from bot.storage.changes import KEPT, PRUNE_EVERY, changed_keys, counters
from bot.storage.models.changes import ChangeCounter, ChangedKey
from bot.storage.models.slack_cache import UserProfile

TABLE = "user_profiles"


def _counter(db: Database) -> int:
    with db.session() as session:
        return counters(session).get(TABLE, 0)


def _keys(db: Database, since: int, upto: int) -> set[str] | None:
    with db.session() as session:
        return changed_keys(session, TABLE, since, upto)


def test_each_profile_stored_names_its_person_under_the_new_counter(db: Database) -> None:
    start = _counter(db)
    with db.session() as session:
        profiles.store_profile(session, "U1", "nl-NL", "nl", "Anna")
        profiles.store_profile(session, "U2", "en-GB", "en", "Ben")
    with db.session() as session:
        profiles.set_language(session, "U3", "nl")
    assert _counter(db) == start + 2  # one increment per transaction
    assert _keys(db, start, start + 1) == {"U1", "U2"}
    assert _keys(db, start + 1, start + 2) == {"U3"}
    assert _keys(db, start, start + 2) == {"U1", "U2", "U3"}


def test_a_profile_deleted_as_an_object_names_its_person(db: Database) -> None:
    with db.session() as session:
        profiles.store_profile(session, "U4", None, None, None)
    start = _counter(db)
    with db.session() as session:
        profiles.forget(session, "U4")
    assert _keys(db, start, start + 1) == {"U4"}


def test_a_write_by_a_condition_names_nobody_so_caches_forget_everything(db: Database) -> None:
    with db.session() as session:
        profiles.store_profile(session, "U5", None, None, None)
    start = _counter(db)
    with db.session() as session:
        session.execute(delete(UserProfile).where(UserProfile.user_id == "U5"))
    with db.session() as session:
        profiles.store_profile(session, "U6", None, None, None)
    assert _keys(db, start, start + 1) is None
    assert _keys(db, start, start + 2) is None  # one value without keys spoils the range
    assert _keys(db, start + 1, start + 2) == {"U6"}


def test_a_cache_further_behind_than_the_kept_values_forgets_everything(db: Database) -> None:
    with db.session() as session:
        profiles.store_profile(session, "U7", None, None, None)
    now = _counter(db)
    assert _keys(db, now - 1, now) == {"U7"}
    assert _keys(db, now - KEPT - 1, now) is None  # not even read


def test_old_keys_are_pruned_every_so_many_counter_values(db: Database) -> None:
    with db.session() as session:
        profiles.store_profile(session, "U8", None, None, None)
    due = 2 * KEPT  # a multiple of PRUNE_EVERY: the next store prunes
    assert due % PRUNE_EVERY == 0
    with db.session() as session:
        session.execute(
            update(ChangeCounter).where(ChangeCounter.table_name == TABLE).values(counter=due - 1)
        )
        session.add_all(
            [
                ChangedKey(table_name=TABLE, counter=due - KEPT, row_key="UOLD"),
                ChangedKey(table_name=TABLE, counter=due - KEPT + 1, row_key="UNEW"),
            ]
        )
    with db.session() as session:
        profiles.store_profile(session, "U9", None, None, None)
    with db.session() as session:
        kept = set(
            session.scalars(select(ChangedKey.row_key).where(ChangedKey.table_name == TABLE))
        )
    assert "UOLD" not in kept
    assert {"UNEW", "U9"} <= kept
    assert _keys(db, due - 1, due) == {"U9"}


def _profile_reads(db: Database, user_id: str) -> tuple[profiles.Profile | None, list[str]]:
    seen: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "FROM user_profiles" in statement or "FROM changed_keys" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with db.session() as session:
            return profiles.cached_profile(session, user_id), seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_profile_stored_is_kept_in_memory_as_written_once_committed(db: Database) -> None:
    with db.session() as session:
        profiles.store_profile(session, "U10", "nl-NL", "nl", "Noor", email="noor@example.org")
    found, reads = _profile_reads(db, "U10")
    assert reads == []  # neither the row nor the changed keys: this instance wrote them
    assert found == profiles.Profile("U10", "nl", "Noor", None, "noor@example.org")
    other = Database(db.url)  # another instance loads the row: the same profile, as fresh
    try:
        with other.session() as session:
            assert profiles.cached_profile(session, "U10") == found
    finally:
        other.dispose()
    with db.session() as session:
        profiles.forget(session, "U10")
    assert _profile_reads(db, "U10") == (None, [])


def test_a_profile_stored_in_a_unit_of_work_that_fails_is_not_kept(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        profiles.store_profile(session, "U11", "nl-NL", "nl", "Sem")
        session.flush()
        raise RuntimeError("the listener failed")
    found, reads = _profile_reads(db, "U11")
    assert found is None
    assert any("FROM user_profiles" in statement for statement in reads)


def test_on_postgresql_the_counter_and_its_keys_are_written_by_one_statement(
    db: Database,
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no INSERT in a WITH: two statements there")
    start = _counter(db)
    sent: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "change_counters" in statement or "changed_keys" in statement:
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with db.session() as session:
            profiles.store_profile(session, "U12", "nl-NL", "nl", "Lot")
            profiles.store_profile(session, "U13", "en-GB", "en", "Max")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    writes = [statement for statement in sent if "INSERT INTO" in statement]
    assert len(writes) == 1
    assert "INSERT INTO change_counters" in writes[0] and "INSERT INTO changed_keys" in writes[0]
    assert _counter(db) == start + 1
    assert _keys(db, start, start + 1) == {"U12", "U13"}
