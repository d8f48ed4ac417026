"""Many sessions, one state: sessions side by side, a restart, and picking up where it stands."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.driver import DRAFT_CHANNEL, WENDY, WILLEM, SlackDriver
from tests.payloads import text_of
from tests.seed import accept, contributions, draft_rules, session_row, working_group

GENERAL = "C0GENERAL"


def test_two_sessions_at_once_keep_their_answers_apart(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    slack = running
    purpose = running.start_draft(WILLEM, "purpose", DRAFT_CHANNEL)
    practice = running.start_draft(WENDY, "practice", GENERAL)

    slack.message(WILLEM, DRAFT_CHANNEL, "Houvast bieden.", thread_ts=purpose)
    slack.message(WENDY, GENERAL, "Reach young job seekers", thread_ts=practice)
    slack.message(WENDY, DRAFT_CHANNEL, "Guidance, not restriction.", thread_ts=purpose)
    slack.message(WILLEM, GENERAL, "volgende", thread_ts=practice)
    slack.message(WILLEM, GENERAL, "LinkedIn\nInstagram", thread_ts=practice)

    got = {(c.section_id, c.question_id, c.text) for c in contributions(running.db)}
    assert got == {
        ("purpose", "purpose.why", "Houvast bieden."),
        ("purpose", "purpose.why", "Guidance, not restriction."),
        ("practice", "practice.goals", "Reach young job seekers"),
        ("practice", "practice.platforms", "LinkedIn\nInstagram"),
    }
    assert session_row(running.db, purpose).question_index == 0
    assert session_row(running.db, practice).question_index == 1
    assert "Question 2 of 7" in text_of(running.last_post(practice, GENERAL))
    # A list answer is kept item by item.
    platforms = next(c for c in contributions(running.db) if c.question_id == "practice.platforms")
    assert platforms.structured["items"] == ["LinkedIn", "Instagram"]


def test_a_session_continues_after_a_restart(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "ownership")
    running.message(WENDY, DRAFT_CHANNEL, "Our online adviser, Sam.", thread_ts=root)
    running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    question_two = running.last_post(root)
    running.close()  # the bot goes down mid-session

    with running.another_instance() as restarted:  # a new process on the same database
        restarted.message(WILLEM, DRAFT_CHANNEL, "Anna (HR)\nPiet (pers)", thread_ts=root)
        restarted.click(WILLEM, question_two, "drafting_nav_next")  # a button from before
        assert "Question 3 of 6" in text_of(restarted.last_post(root))
    assert [(c.question_id, c.author) for c in contributions(restarted.db)] == [
        ("ownership.author", WENDY),
        ("ownership.working_group", WILLEM),
    ]
    assert session_row(restarted.db, root).question_index == 2


def test_a_new_draft_of_a_section_says_so_and_continues_where_it_stands(
    running: SlackDriver,
) -> None:
    working_group(running.db, WILLEM, WENDY)
    first = running.start_draft(WENDY, "purpose")
    running.message(WENDY, DRAFT_CHANNEL, "Guidance.", thread_ts=first)
    running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=first)
    running.message(WILLEM, DRAFT_CHANNEL, "We twitteren al een jaar.", thread_ts=first)
    running.message(WENDY, DRAFT_CHANNEL, "done", thread_ts=first)  # the session is finished

    again = running.start_draft(WENDY, "purpose", GENERAL)
    opening = text_of(running.fake.message(GENERAL, again))
    assert "already has 2 contributions from 2 people" in opening
    assert "continue at question 3 of 4" in opening
    assert "Question 3 of 4" in text_of(running.last_post(again, GENERAL))


def test_two_people_pressing_next_at_once_move_one_question(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "identity")
    question = running.last_post(root)
    running.click(WILLEM, question, "drafting_nav_next")
    running.click(WENDY, question, "drafting_nav_next")  # the same, stale button
    assert session_row(running.db, root).question_index == 1
    stale = running.fake.ephemerals_for(WENDY)[-1].text
    assert "no longer open: the session is at question 2 of 6" in stale


def test_replies_arriving_at_the_same_moment_all_count(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    employees = running.start_draft(WENDY, "employees")
    practice = running.start_draft(WILLEM, "practice", GENERAL)
    for _ in range(5):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=employees)
        running.message(WILLEM, GENERAL, "next", thread_ts=practice)

    def reply(n: int) -> None:
        user = (WILLEM, WENDY)[n % 2]
        channel, root = ((DRAFT_CHANNEL, employees), (GENERAL, practice))[n % 2]
        running.message(user, channel, f"verboden: regel {n}\nmag: ook {n}", thread_ts=root)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(reply, range(16)))

    assert len(contributions(running.db)) == 16
    assert draft_rules(running.db) == []  # proposals wait for the lead
    accept(running.db)
    rules = draft_rules(running.db)
    assert len(rules) == 32 and len({r.rule_id for r in rules}) == 32
    assert {r.text for r in rules} == {f"regel {n}" for n in range(16)} | {
        f"ook {n}" for n in range(16)
    }
