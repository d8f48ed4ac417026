"""SQLite's writers take turns: the threads of a process in a queue, the processes on one
database file at a lock file beside it (`bot.storage.sqlite_writers`), instead of in
SQLite's busy handler, whose growing pauses made acks wait up to half a second."""

from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import sqlite_writers
from bot.storage.database import make_engine
from bot.storage.sqlite_writers import AT_FORK, FileTurn, WriterTurn, writing_first


def test_two_holders_of_one_lock_file_take_turns(tmp_path: Path) -> None:
    path = str(tmp_path / "db-writers")
    first, second = FileTurn(path), FileTurn(path)
    assert first.take(1.0)
    assert not second.take(0.01)  # bounded: it gives up as SQLite would ("locked")
    first.give_back()
    assert second.take(0.01)
    second.give_back()


class _Clock:
    """A monotonic clock only the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _taking(turn: FileTurn, **kwargs: bool) -> tuple[threading.Thread, list[bool]]:
    got: list[bool] = []
    thread = threading.Thread(target=lambda: got.append(turn.take(30.0, **kwargs)))
    thread.start()
    return thread, got


def test_an_ack_waiting_in_one_process_goes_before_another_processs_answers(
    tmp_path: Path,
) -> None:
    # One FileTurn per process (each its own open files: flock tells them apart).
    path = str(tmp_path / "db-writers")
    answers, ack = FileTurn(path), FileTurn(path)
    next_answer = FileTurn(path, clock=_Clock())  # its bound never passes
    assert answers.take(1.0)  # an answer's transaction holds the lock
    acking, ack_got = _taking(ack, first=True)
    answering, answer_got = _taking(next_answer)
    _until(lambda: next_answer.yielding)  # it sees the ack waiting, and leaves it the lock
    answers.give_back()
    acking.join(10)
    assert ack_got == [True] and answer_got == []
    ack.give_back()  # the ack's INSERT committed: the answer goes on
    answering.join(10)
    assert answer_got == [True] and not next_answer.yielding
    next_answer.give_back()


def test_an_answer_leaves_the_lock_to_a_waiting_ack_no_longer_than_its_bound(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "db-writers")
    answer_clock = _Clock()
    answer = FileTurn(path, clock=answer_clock)
    # An ack of another process says it waits (and, stuck somewhere, never takes the lock).
    waiting_ack = os.open(path + "-first", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(waiting_ack, fcntl.LOCK_SH)
    try:
        answering, got = _taking(answer)
        _until(lambda: answer.yielding)
        answer_clock.now += sqlite_writers.YIELD_S / 2
        answering.join(0.05)
        assert got == [] and answer.yielding  # within its bound: it still waits
        answer_clock.now += sqlite_writers.YIELD_S  # past it: the answer takes the lock
        answering.join(10)
        assert got == [True]
        answer.give_back()
    finally:
        os.close(waiting_ack)


def _write_until_told(url: str, started: Event, finish: Event) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        started.set()
        finish.wait(30)  # another process's write transaction, open until the test says
    engine.dispose()


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork")
def test_a_writer_of_another_process_waits_for_the_lock_file_then_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    started, finish = multiprocessing.Event(), multiprocessing.Event()
    other = multiprocessing.Process(target=_write_until_told, args=(url, started, finish))
    other.start()
    try:
        assert started.wait(10)
        assert not FileTurn(str(tmp_path / "shared.db") + "-writers").take(0.01)  # theirs

        def write() -> None:  # waits at the lock file while the other process writes
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (2)"))

        writer = threading.Thread(target=write)
        writer.start()
        finish.set()
        writer.join(30)
        assert not writer.is_alive()
        with engine.connect() as connection:
            assert sorted(connection.execute(text("SELECT x FROM t")).scalars()) == [1, 2]
    finally:
        finish.set()
        other.join(10)
        engine.dispose()


def test_engines_made_and_dropped_leave_nothing_to_run_at_fork(tmp_path: Path) -> None:
    """Tests make an engine per app, many times: what a forked child resets does not grow."""
    gc.collect()
    before = len(AT_FORK)
    for n in range(30):
        engine = make_engine(f"sqlite:///{tmp_path / f'db{n}.db'}")
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        assert len(AT_FORK) >= 2  # its turn and its lock file, while it lives
        engine.dispose()
        del engine, connection
    gc.collect()
    assert len(AT_FORK) <= before


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork")
def test_a_forked_child_starts_with_its_writer_turn_free(tmp_path: Path) -> None:
    """The parent holds the turn when it forks: the one hook frees it in the child."""
    engine = make_engine(f"sqlite:///{tmp_path / 'forked.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))  # this thread holds the turn
        child = multiprocessing.Process(target=_take_the_turns_in_child)
        child.start()
        child.join(30)
    engine.dispose()
    assert child.exitcode == 0


def _take_the_turns_in_child() -> None:
    turns = [turn for turn in AT_FORK if isinstance(turn, WriterTurn)]
    taken: list[bool] = []
    other = threading.Thread(target=lambda: taken.append(all(t.take(0.05) for t in turns)))
    other.start()
    other.join()
    raise SystemExit(0 if turns and taken == [True] else 1)


def _until(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Wait for other threads to reach a state (they block on the turn: no clock involved)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the threads did not get there"
        time.sleep(0.001)


def _writer(turn: WriterTurn, name: str, first: bool, order: list[str]) -> None:
    with writing_first() if first else nullcontext():
        if turn.take(10.0):
            order.append(name)
            turn.give_back()


def test_a_writer_going_first_takes_the_turn_before_writers_waiting_longer() -> None:
    turn, order = WriterTurn(), list[str]()
    assert turn.take(1.0)  # a transaction under way
    answers = [
        threading.Thread(target=_writer, args=(turn, f"answer {n}", False, order)) for n in range(3)
    ]
    for answer in answers:
        answer.start()
    _until(lambda: turn.waiting == (0, 3))
    ack = threading.Thread(target=_writer, args=(turn, "ack", True, order))
    ack.start()
    _until(lambda: turn.waiting == (1, 3))

    turn.give_back()
    for thread in [ack, *answers]:
        thread.join(10)

    assert order[0] == "ack"
    assert sorted(order[1:]) == ["answer 0", "answer 1", "answer 2"]
    assert turn.waiting == (0, 0) and turn.take(0.0)  # free again


def test_writers_behind_a_first_one_that_gave_up_get_the_turn() -> None:
    turn, order = WriterTurn(), list[str]()
    assert turn.take(1.0)
    answer = threading.Thread(target=_writer, args=(turn, "answer", False, order))
    answer.start()
    _until(lambda: turn.waiting == (0, 1))

    def going_first_for_a_moment() -> None:
        with writing_first():
            order.append(str(turn.take(0.01)))  # the turn stays taken: it gives up

    gave_up = threading.Thread(target=going_first_for_a_moment)
    gave_up.start()
    gave_up.join(10)
    assert answer.is_alive()  # still waiting for the transaction under way

    turn.give_back()
    answer.join(10)
    assert order == ["False", "answer"]


def test_every_way_the_driver_writes_takes_the_turn_and_the_end_gives_it_back(
    tmp_path: Path,
) -> None:
    """The turn is taken at the driver (`TurnConnection`): SQLAlchemy's statements, its
    executemany, and sqlite3's own `execute` shortcut; a commit, a rollback, or the connection
    back in the pool gives it back."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ways.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    writes = [
        lambda c: c.execute(text("INSERT INTO t VALUES (1)")),
        lambda c: c.exec_driver_sql("  insert INTO t VALUES (?)", [(2,), (3,)]),
        lambda c: c.connection.dbapi_connection.execute("UPDATE t SET x = x + 1"),
    ]
    for write in writes:
        for end in ("commit", "rollback", "close"):
            connection = engine.connect()
            connection.execute(text("SELECT count(*) FROM t"))
            assert not sqlite_writers.holds_turn(connection)  # a read takes nothing
            write(connection)
            assert sqlite_writers.holds_turn(connection)
            if end == "close":
                dbapi_connection = connection.connection.dbapi_connection
                connection.close()
                assert not getattr(dbapi_connection, "holds_turn", True)
            else:
                getattr(connection, end)()
                assert not sqlite_writers.holds_turn(connection)
                connection.close()
    engine.dispose()
