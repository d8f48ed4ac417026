"""Answers that follow new versions: when a version is adopted in Slack, the questions of the
retention period are asked again; an asker whose answer changed hears it once, in their
language, with the old and new verdict and the rule that changed; the lead hears how many."""

from __future__ import annotations

import copy
import threading

from bot.asking.intents import CHECK
from bot.asking.question_log import log_question
from bot.living.rechecks import recheck, unsent
from bot.policy.validation import parse_policy
from bot.reviewing.draft import replace_draft
from bot.storage import Database, utcnow
from tests.driver import EMMA, ERIK, LEAD, SlackDriver
from tests.payloads import text_of
from tests.samples import sample_policy_data
from tests.seed import adopt, make_lead

PROUD = "Proud of our team: the new benches are in place!"


def told(running: SlackDriver, user: str) -> list:
    dm = running.fake.im_for(user)
    return [
        m
        for m in running.fake.bot_messages(dm)
        if "has changed with version" in m.text or "is veranderd met versie" in m.text
    ]


def test_a_changed_answer_is_told_once_in_the_askers_language(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    running.command(EMMA, f"check {PROUD}")
    assert "You may post this" in running.last_reply_text()
    running.command(ERIK, "check Trots op ons team: de nieuwe bankjes staan er!")
    running.command(ERIK, "check Wat vinden jullie van het weer?")  # not changed by v2

    data = copy.deepcopy(sample_policy_data())
    proud = next(r for r in data["rules"] if r["id"] == "R10")
    proud["verdict"] = "review"  # pride now needs a look first
    data["version"] = "2026.2"
    with running.db.session() as session:
        replace_draft(session, parse_policy(data), LEAD)
    running.adopt_from_slack()
    running.wait()

    emma, erik = told(running, EMMA), told(running, ERIK)
    assert len(emma) == 1 and len(erik) == 1
    assert "it was *allowed*, it is now *ask first*" in text_of(emma[0])
    assert "*R10*" in text_of(emma[0]) and PROUD[:20] in text_of(emma[0])
    assert "het was *toegestaan*, het is nu *eerst vragen*" in text_of(erik[0])
    lead = running.fake.bot_messages(running.fake.im_for(LEAD))[-1]
    assert "2 answers changed" in text_of(lead)

    with running.db.session() as session:  # asked again (another instance): nothing twice
        assert recheck(session, 2, 90, utcnow()) is None
    assert len(told(running, EMMA)) == 1


def test_two_instances_ask_again_once(db: Database) -> None:
    """The same adoption followed up at two instances at once: one run, each notice once."""
    adopt(db)
    with db.session() as session:
        for n in range(5):
            log_question(
                session,
                asker=f"UEMP000{n}",
                source="dm",
                kind=CHECK,
                text=f"{PROUD} #{n}",
                language="en",
                verdict="allowed",
                rule_ids=["R10"],
                policy_version="2026.1",
                policy_number=1,
            )
    data = copy.deepcopy(sample_policy_data())
    next(r for r in data["rules"] if r["id"] == "R10")["verdict"] = "review"
    adopt(db, data | {"version": "2026.2"})
    results: list[object] = []
    barrier = threading.Barrier(2)

    def follow_up() -> None:
        barrier.wait()
        with db.session() as session:
            results.append(recheck(session, 2, 90, utcnow()))

    threads = [threading.Thread(target=follow_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [r for r in results if r is not None]
    assert len(done) == 1 and done[0].changed == 5  # type: ignore[attr-defined]
    with db.session() as session:
        assert len(unsent(session, 2)) == 5
