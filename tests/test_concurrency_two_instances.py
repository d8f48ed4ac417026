"""Issue 9, finding 3: concurrency without loss. Twenty members post fifty replies each to a
rules question, through two instances of the app on one database (PostgreSQL in the second
run of `make test`): every reply is recorded and confirmed, nobody is left uninformed. The
rule ids their proposals get at acceptance come from a counter that cannot hand out a number
twice, however many acceptances run at once on however many instances."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.reviewing import proposals
from bot.storage import Database
from bot.storage.counters import next_number
from bot.storage.transactions import in_transaction
from tests.driver import DRAFT_CHANNEL, LEAD, WENDY, SlackDriver
from tests.seed import contributions, draft_rules, make_lead, working_group

MEMBERS, REPLIES = 20, 50
WAIT = 240  # seconds any one batch may take before the test fails instead of hanging


def _members(running: SlackDriver) -> list[str]:
    members = [f"UMEMBER{n:03d}" for n in range(MEMBERS)]
    for member in members:
        running.fake.add_user(member, member.lower(), locale="nl-NL")
    working_group(running.db, WENDY, *members)
    return members


def test_a_thousand_replies_through_two_instances_are_all_recorded(running: SlackDriver) -> None:
    members = _members(running)
    root = running.start_draft(WENDY, "practice")
    for _ in range(5):  # practice.rules
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)

    with running.another_instance() as other:
        instances = (running, other)

        def post(job: tuple[int, int]) -> str:
            member, n = job
            text = f"verboden: Regel {member}-{n} [trefwoorden: w{member}x{n}]"
            return instances[(member + n) % 2].message(
                members[member], DRAFT_CHANNEL, text, thread_ts=root
            )

        jobs = [(member, n) for n in range(REPLIES) for member in range(MEMBERS)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            sent = [f.result(timeout=WAIT) for f in [pool.submit(post, job) for job in jobs]]
    # Either instance's background loop may send what the other queued: both finished.
    running.wait()

    recorded = contributions(running.db)
    assert len(recorded) == MEMBERS * REPLIES
    assert {c.message_ts for c in recorded} == set(sent)  # every reply, none twice
    assert {c.text for c in recorded} == {
        f"verboden: Regel {m}-{n} [trefwoorden: w{m}x{n}]"
        for m in range(MEMBERS)
        for n in range(REPLIES)
    }
    # Every writer was told it was recorded, and nobody was told anything went wrong.
    unconfirmed = [ts for ts in sent if not running.fake.reactions_on(DRAFT_CHANNEL, ts)]
    assert unconfirmed == []
    assert all(running.fake.ephemerals_for(member) == [] for member in members)
    assert draft_rules(running.db) == []  # proposals, waiting for the lead


def test_acceptances_on_two_instances_never_share_a_rule_id(running: SlackDriver) -> None:
    make_lead(running.db)
    members = _members(running)[:4]
    root = running.start_draft(WENDY, "practice")
    for _ in range(5):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    for n in range(60):
        running.message(members[n % 4], DRAFT_CHANNEL, f"Regel {n}\nOok {n}", thread_ts=root)
    ids = [c.id for c in contributions(running.db)]

    # Two instances: two engines on the one database, each accepting as its requests do.
    second = Database(running.db.url)
    try:

        def accept(job: tuple[int, int]) -> None:
            index, contribution = job
            db = (running.db, second)[index % 2]
            in_transaction(
                db,
                lambda s: proposals.decide(s, LEAD, contribution, proposals.ACCEPTED, "nl"),
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            for future in [pool.submit(accept, job) for job in enumerate(ids)]:
                future.result(timeout=WAIT)
    finally:
        second.dispose()

    rules = draft_rules(running.db)
    assert len(rules) == 120 and len({r.rule_id for r in rules}) == 120
    assert {r.rule_id for r in rules} == {f"practice-{n}" for n in range(1, 121)}  # dense


def test_a_counter_hands_out_each_number_once(db: Database) -> None:
    other = Database(db.url)
    try:

        def take(index: int) -> int:
            return in_transaction(
                (db, other)[index % 2], lambda s: next_number(s, "rules-practice-")
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            numbers = [f.result(timeout=WAIT) for f in [pool.submit(take, i) for i in range(200)]]
    finally:
        other.dispose()
    assert sorted(numbers) == list(range(1, 201))
