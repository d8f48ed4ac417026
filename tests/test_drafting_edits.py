"""Editing a reply updates its contribution and what it proposes: an answer the lead had
accepted waits for the lead again, and the draft keeps what was accepted until then; deleting
withdraws the answer and takes what it put into the draft out again. Someone outside the
working group is told once, privately, why their reply was not recorded."""

from __future__ import annotations

from tests.driver import DRAFT_CHANNEL, EMMA, ERIK, LEAD, WENDY, WILLEM, SlackDriver
from tests.seed import accept, contributions, draft_rules, working_group


def _to_rules_question(running: SlackDriver, root: str) -> None:
    for _ in range(5):  # employees: expectation, training, conduct, handover, library → rules
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def test_edits_update_and_deletes_withdraw(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "employees")
    _to_rules_question(running, root)
    ts = running.message(
        WILLEM,
        DRAFT_CHANNEL,
        "verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]\n"
        "Posts over de verhuizing",
        thread_ts=root,
    )
    assert draft_rules(running.db) == []
    (answer,) = contributions(running.db)
    accept(running.db, answer.id)
    rules = draft_rules(running.db)
    assert [(r.rule_id, r.verdict) for r in rules] == [
        ("employees-1", "forbidden"),
        ("employees-2", "review"),
    ]

    running.clock.advance(60)  # a minute later, by the app's clock
    running.edit(
        DRAFT_CHANNEL,
        ts,
        "verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]\n"
        "toegestaan: Posts over de verhuizing na de persdatum",
    )
    (answer,) = contributions(running.db)
    assert answer.text.endswith("na de persdatum") and answer.updated_at > answer.created_at
    assert answer.review == "pending"  # the author changed what the lead accepted
    # Until the lead decides again, the draft keeps the version that was accepted.
    assert [(r.rule_id, r.verdict) for r in draft_rules(running.db)] == [
        ("employees-1", "forbidden"),
        ("employees-2", "review"),
    ]
    accept(running.db, answer.id)
    rules = draft_rules(running.db)
    assert [(r.rule_id, r.verdict, r.text) for r in rules] == [
        ("employees-1", "forbidden", "Deel geen foto's van cliënten"),
        ("employees-2", "allowed", "Posts over de verhuizing na de persdatum"),
    ]

    running.delete(DRAFT_CHANNEL, ts)
    assert contributions(running.db) == []
    (withdrawn,) = contributions(running.db, status="withdrawn")
    assert withdrawn.text.endswith("na de persdatum")  # nothing anyone wrote is lost
    assert draft_rules(running.db) == []

    running.command(WILLEM, "show employees --history", DRAFT_CHANNEL)
    history = running.last_reply_text()
    assert "trok in: bijdrage" in history
    assert "verwijderde regel `employees-2`" in history
    assert "wijzigde regel `employees-2`: review: Posts over de verhuizing → allowed:" in history
    assert f"<@{LEAD}> aanvaardde bijdrage" in history


def test_an_outsider_is_told_once_and_nothing_is_recorded(running: SlackDriver) -> None:
    working_group(running.db, WENDY)
    root = running.start_draft(WENDY, "identity")
    first = running.message(ERIK, DRAFT_CHANNEL, "<!channel> kijk hier", thread_ts=root)
    running.message(ERIK, DRAFT_CHANNEL, "volgende", thread_ts=root)
    running.message(EMMA, DRAFT_CHANNEL, "I agree", thread_ts=root)

    assert contributions(running.db) == []
    assert running.fake.reactions_on(DRAFT_CHANNEL, first) == {}
    told_erik = running.fake.ephemerals_for(ERIK)
    assert len(told_erik) == 1  # once, however often he writes
    assert "alleen leden van de werkgroep" in told_erik[0].text  # in his language
    assert told_erik[0].thread_ts == root
    assert "only members of the working group" in running.fake.ephemerals_for(EMMA)[0].text
    assert len(running.thread(root)) == 1  # his "volgende" moved nothing
