"""Many sessions, one state: sessions side by side, a restart, and picking up where it stands."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.settings import Settings
from tests.conftest import RunningApp
from tests.test_drafting_helpers import (
    DRAFT_CHANNEL,
    WENDY,
    WILLEM,
    click,
    contributions,
    draft_rules,
    last_post,
    session_row,
    start,
    text_of,
    working_group,
)

GENERAL = "C0GENERAL"


def test_two_sessions_at_once_keep_their_answers_apart(running: RunningApp) -> None:
    working_group(running, WILLEM, WENDY)
    slack = running.slack
    purpose = start(running, WILLEM, "purpose", DRAFT_CHANNEL)
    practice = start(running, WENDY, "practice", GENERAL)

    slack.message(WILLEM, DRAFT_CHANNEL, "Houvast bieden.", thread_ts=purpose)
    slack.message(WENDY, GENERAL, "Reach young job seekers", thread_ts=practice)
    slack.message(WENDY, DRAFT_CHANNEL, "Guidance, not restriction.", thread_ts=purpose)
    slack.message(WILLEM, GENERAL, "volgende", thread_ts=practice)
    slack.message(WILLEM, GENERAL, "LinkedIn\nInstagram", thread_ts=practice)

    got = {(c.section_id, c.question_id, c.text) for c in contributions(running)}
    assert got == {
        ("purpose", "purpose.why", "Houvast bieden."),
        ("purpose", "purpose.why", "Guidance, not restriction."),
        ("practice", "practice.goals", "Reach young job seekers"),
        ("practice", "practice.platforms", "LinkedIn\nInstagram"),
    }
    assert session_row(running, purpose).question_index == 0
    assert session_row(running, practice).question_index == 1
    assert "Question 2 of 7" in text_of(last_post(running, practice, GENERAL))
    # A list answer is kept item by item.
    platforms = next(c for c in contributions(running) if c.question_id == "practice.platforms")
    assert platforms.structured["items"] == ["LinkedIn", "Instagram"]


def test_a_session_continues_after_a_restart(
    running: RunningApp, settings: Settings, fake_slack, db
) -> None:  # type: ignore[no-untyped-def]
    working_group(running, WILLEM, WENDY)
    root = start(running, WENDY, "ownership")
    running.slack.message(WENDY, DRAFT_CHANNEL, "Our online adviser, Sam.", thread_ts=root)
    running.slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    question_two = last_post(running, root)
    running.close()  # the bot goes down mid-session

    restarted = RunningApp(settings, fake_slack, db)  # a new process on the same database
    try:
        restarted.slack.message(WILLEM, DRAFT_CHANNEL, "Anna (HR)\nPiet (pers)", thread_ts=root)
        click(restarted, WILLEM, question_two, "drafting_nav_next")  # a button from before
        assert "Question 3 of 5" in text_of(last_post(restarted, root))
    finally:
        restarted.close()
    assert [(c.question_id, c.author) for c in contributions(restarted)] == [
        ("ownership.author", WENDY),
        ("ownership.working_group", WILLEM),
    ]
    assert session_row(restarted, root).question_index == 2


def test_a_new_draft_of_a_section_says_so_and_continues_where_it_stands(
    running: RunningApp,
) -> None:
    working_group(running, WILLEM, WENDY)
    first = start(running, WENDY, "purpose")
    running.slack.message(WENDY, DRAFT_CHANNEL, "Guidance.", thread_ts=first)
    running.slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=first)
    running.slack.message(WILLEM, DRAFT_CHANNEL, "We twitteren al een jaar.", thread_ts=first)
    running.slack.message(WENDY, DRAFT_CHANNEL, "done", thread_ts=first)

    again = start(running, WENDY, "purpose", GENERAL)
    opening = text_of(running.fake.message(GENERAL, again))
    assert "already has 2 contributions from 2 people" in opening
    assert "continue at question 3 of 4" in opening
    assert "Question 3 of 4" in text_of(last_post(running, again, GENERAL))


def test_two_people_pressing_next_at_once_move_one_question(running: RunningApp) -> None:
    working_group(running, WILLEM, WENDY)
    root = start(running, WENDY, "identity")
    question = last_post(running, root)
    click(running, WILLEM, question, "drafting_nav_next")
    click(running, WENDY, question, "drafting_nav_next")  # the same, stale button
    assert session_row(running, root).question_index == 1
    stale = running.fake.ephemerals_for(WENDY)[-1].text
    assert "no longer open: the session is at question 2 of 6" in stale


def test_replies_arriving_at_the_same_moment_all_count(running: RunningApp) -> None:
    working_group(running, WILLEM, WENDY)
    employees = start(running, WENDY, "employees")
    practice = start(running, WILLEM, "practice", GENERAL)
    for _ in range(5):
        running.slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=employees)
        running.slack.message(WILLEM, GENERAL, "next", thread_ts=practice)

    def reply(n: int) -> None:
        user = (WILLEM, WENDY)[n % 2]
        channel, root = ((DRAFT_CHANNEL, employees), (GENERAL, practice))[n % 2]
        running.slack.message(user, channel, f"verboden: regel {n}\nmag: ook {n}", thread_ts=root)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(reply, range(16)))

    assert len(contributions(running)) == 16
    rules = draft_rules(running)
    assert len(rules) == 32 and len({r.rule_id for r in rules}) == 32
    assert {r.text for r in rules} == {f"regel {n}" for n in range(16)} | {
        f"ook {n}" for n in range(16)
    }
