"""Editing a reply updates its contribution and what it drafted; deleting withdraws both.
Someone outside the working group is told once, privately, why their reply was not recorded."""

from __future__ import annotations

from tests.conftest import RunningApp
from tests.test_drafting_helpers import (
    DRAFT_CHANNEL,
    EMMA,
    ERIK,
    WENDY,
    WILLEM,
    contributions,
    delete,
    draft_rules,
    edit,
    replies_to,
    start,
    thread,
    working_group,
)


def _to_rules_question(running: RunningApp, root: str) -> None:
    for _ in range(5):  # employees: expectation, training, conduct, handover, library → rules
        running.slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def test_edits_update_and_deletes_withdraw(running: RunningApp) -> None:
    working_group(running, WILLEM, WENDY)
    root = start(running, WENDY, "employees")
    _to_rules_question(running, root)
    ts = running.slack.message(
        WILLEM,
        DRAFT_CHANNEL,
        "verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]\n"
        "Posts over de verhuizing",
        thread_ts=root,
    )
    rules = draft_rules(running)
    assert [(r.rule_id, r.verdict) for r in rules] == [
        ("employees-1", "forbidden"),
        ("employees-2", "review"),
    ]

    edit(
        running,
        DRAFT_CHANNEL,
        ts,
        "verboden: Deel geen foto's van cliënten [trefwoorden: cliënt, foto]\n"
        "toegestaan: Posts over de verhuizing na de persdatum",
    )
    (answer,) = contributions(running)
    assert answer.text.endswith("na de persdatum") and answer.updated_at > answer.created_at
    rules = draft_rules(running)
    assert [(r.rule_id, r.verdict, r.text) for r in rules] == [
        ("employees-1", "forbidden", "Deel geen foto's van cliënten"),
        ("employees-2", "allowed", "Posts over de verhuizing na de persdatum"),
    ]

    delete(running, DRAFT_CHANNEL, ts)
    assert contributions(running) == []
    (withdrawn,) = contributions(running, status="withdrawn")
    assert withdrawn.text.endswith("na de persdatum")  # nothing anyone wrote is lost
    assert draft_rules(running) == []

    running.slack.command(WILLEM, "show employees --history", DRAFT_CHANNEL)
    history = replies_to(running)[-1]
    assert "trok in: bijdrage" in history
    assert "verwijderde regel `employees-2`" in history
    assert "wijzigde regel `employees-2`: review: Posts over de verhuizing → allowed:" in history


def test_an_outsider_is_told_once_and_nothing_is_recorded(running: RunningApp) -> None:
    working_group(running, WENDY)
    root = start(running, WENDY, "identity")
    first = running.slack.message(ERIK, DRAFT_CHANNEL, "<!channel> kijk hier", thread_ts=root)
    running.slack.message(ERIK, DRAFT_CHANNEL, "volgende", thread_ts=root)
    running.slack.message(EMMA, DRAFT_CHANNEL, "I agree", thread_ts=root)

    assert contributions(running) == []
    assert running.fake.reactions_on(DRAFT_CHANNEL, first) == {}
    told_erik = running.fake.ephemerals_for(ERIK)
    assert len(told_erik) == 1  # once, however often he writes
    assert "alleen leden van de werkgroep" in told_erik[0].text  # in his language
    assert told_erik[0].thread_ts == root
    assert "only members of the working group" in running.fake.ephemerals_for(EMMA)[0].text
    assert len(thread(running, root)) == 1  # his "volgende" moved nothing
