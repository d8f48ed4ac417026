"""No Slack call inside an open transaction in the review's button flows (issue 13): accepting
one contribution, accepting a whole question, and deciding with a comment (a modal) ask Slack
for the lead's profile before the decision's transaction, for an author's profile through an
outbox read after its commit, and for the names the accepted roles bring in after the commit.
On SQLite a Slack call inside the transaction would hold the one writer's turn: every other
request's write, another person's ack included, would wait for Slack's answer.

Each test holds every such call in the stand-in Web API, one by one; while each is held,
another person's direct message is acknowledged and answered. Once Slack answers, the
decision is in the draft, its author is told once in their own language, and the contact's
name is learned."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.storage import Database
from bot.storage.models.directory import KnownName
from runtime.fakeslack import FakeSlack
from tests.driver import DRAFT_CHANNEL, EMMA, LEAD, WENDY, WILLEM, SlackDriver
from tests.held import answered_while_held, forget
from tests.payloads import text_value
from tests.rhythm_scene import dms, serving, wait_for_ack
from tests.seed import contributions, draft_roles, make_lead, working_group

LOTTE, WEBCARE = "U0LOTTE01", "S0WEBCARE"
ROLES_STEP = 6  # communications.roles, from the section's first question
QUESTION = "Mag ik een foto van ons nieuwe kantoor op LinkedIn zetten?"


def _roles_answer(slack: SlackDriver, line: str) -> int:
    """Wendy answers the roles question with an address, Willem with `line`: the id of
    Willem's contribution."""
    root = slack.start_draft(WENDY, "communications")
    for _ in range(ROLES_STEP):
        slack.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)
    slack.message(WENDY, DRAFT_CHANNEL, "Nieuwsbrief - nieuws@voorbeeld.nl", thread_ts=root)
    slack.message(WILLEM, DRAFT_CHANNEL, line, thread_ts=root)
    return contributions(slack.db)[-1].id


def _known_names(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {k.slack_id: k.name for k in session.scalars(select(KnownName))}


def _decide(slack: SlackDriver, how: str, answer: int) -> Any:
    """The lead's decision, as a button press (or a modal submitted): its answer."""
    if how == "accept":
        button = slack.find_button("review_accept", f'"contribution":{answer},')
        return slack.press(LEAD, button)
    if how == "accept_all":
        return slack.press(LEAD, slack.find_button("review_accept_all"))
    view = slack.opened_view()
    return slack.view_submission(LEAD, view, {"comment": text_value("Dank je, Willem.")})


@pytest.mark.parametrize(
    ("how", "line", "contact", "held"),
    [
        # users.info three times: the lead, the author (outbox read), the contact's name
        ("accept", f"Persvragen en woordvoering -> <@{LOTTE}>", LOTTE, ["users.info"] * 3),
        (
            "accept_all",
            f"Webcare → <!subteam^{WEBCARE}|@webcare>",
            WEBCARE,
            ["users.info", "users.info", "usergroups.list"],
        ),
        # the modal's menu press looked up the lead: the author, then the contact's name
        ("modal", f"Persvragen en woordvoering -> <@{LOTTE}>", LOTTE, ["users.info"] * 2),
    ],
)
def test_a_decision_waits_on_slack_without_holding_anyone_elses_write(
    settings: Settings,
    fake_slack: FakeSlack,
    db: Database,
    how: str,
    line: str,
    contact: str,
    held: list[str],
) -> None:
    make_lead(db)
    working_group(db, WILLEM, WENDY)
    fake_slack.add_user(LOTTE, "lotte", locale="nl-NL")
    fake_slack.add_usergroup(WEBCARE, "webcare", [LOTTE])
    with serving(settings, fake_slack, db) as slack, ThreadPoolExecutor(max_workers=1) as pool:
        answer = _roles_answer(slack, line)
        slack.dm(EMMA, QUESTION)  # Emma's profile stored: her answers ask Slack nothing
        slack.command(LEAD, "review communications")
        if how == "modal":
            slack.pick_in_menu(LEAD, "review_decide_more", "Accept, with a comment…", f":{answer},")
        forget(db, LEAD, WILLEM)
        assert contact not in _known_names(db)
        holds = [fake_slack.hold_next(method) for method in held]
        answered = len(slack.acks)
        try:
            decided = pool.submit(_decide, slack, how, answer)
            wait_for_ack(slack, answered + 1)
            for hold in holds:
                hold.wait_until_arrived()
                # Emma's question answered meanwhile: had the button's transaction held the
                # writer's turn, her ack's write would have waited for it.
                answered_while_held(slack, EMMA, QUESTION)
                hold.release()
        finally:
            for hold in holds:
                hold.release()
        decided.result(timeout=60)  # bounds a failure only
        slack.wait()
        assert slack.acks[answered].status == 200
        assert contributions(db)[-1].review == "accepted"  # Willem's
        assert any(r.contact.lstrip("@") == contact for r in draft_roles(db))
        assert _known_names(db)[contact] == ("webcare" if how == "accept_all" else "lotte")
        (told,) = [m for m in dms(slack, WILLEM) if "heeft je bijdrage" in m]  # once, in Dutch
        assert "geaccepteerd" in told
