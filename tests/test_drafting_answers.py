"""Answers by kind: choice by button and select, the rule library, rules and roles questions.
What an answer proposes enters the draft when the communications lead accepts it."""

from __future__ import annotations

from tests.driver import DRAFT_CHANNEL, WENDY, WILLEM, SlackDriver
from tests.payloads import element, text_of
from tests.seed import accept, contributions, draft_roles, draft_rules, working_group


def _go_to(running: SlackDriver, root: str, steps: int) -> None:
    for _ in range(steps):
        running.message(WENDY, DRAFT_CHANNEL, "next", thread_ts=root)


def test_a_choice_question_answered_by_button_and_select(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "identity")
    _go_to(running, root, 1)
    question = running.last_post(root)  # broadcasting or interacting?
    running.click(WILLEM, question, "drafting_pick_0")
    running.click(WENDY, question, "drafting_pick_1")
    running.click(WILLEM, question, "drafting_pick_1")  # willem changes his mind
    picks = [(c.author, c.structured["options"], c.text) for c in contributions(running.db)]
    label = element(question, "drafting_pick_1")[1]["text"]["text"]
    assert label.startswith("Interacting")
    assert picks == [(WILLEM, ["interacting"], label), (WENDY, ["interacting"], label)]
    updated = running.fake.last("chat.update").args
    assert updated["ts"] == question.ts and "Picked so far:" in str(updated["blocks"])

    # A multiple choice is a multi-select: the pick replaces that person's earlier one.
    cover = running.start_draft(WENDY, "cover")
    _go_to(running, cover, 2)
    scope = running.last_post(cover)
    running.click(WILLEM, scope, "drafting_picks_select", selected=["staff", "flexible"])
    running.click(WILLEM, scope, "drafting_picks_select", selected=["staff"])
    (answer,) = [c for c in contributions(running.db) if c.question_id == "cover.scope"]
    assert answer.structured["options"] == ["staff"]


def test_the_library_adopts_standard_rules_and_their_roles(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "employees")
    _go_to(running, root, 4)
    library = running.last_post(root)
    _, select = element(library, "drafting_library_select")
    assert select["type"] == "multi_static_select" and len(select["options"]) >= 11
    running.click(
        WILLEM,
        library,
        "drafting_library_select",
        selected=["std-personal-data", "std-complaints"],
    )
    assert draft_rules(running.db) == []  # proposed, not yet in the draft
    assert "Picked so far:" in str(running.fake.last("chat.update").args["blocks"])
    (willem,) = contributions(running.db)
    accept(running.db, willem.id)
    rules = {r.rule_id: r for r in draft_rules(running.db)}
    assert set(rules) == {"std-personal-data", "std-complaints"}
    assert rules["std-personal-data"].detect and rules["std-personal-data"].origin.startswith(
        "library:"
    )
    roles = {r.role_id: r for r in draft_roles(running.db)}
    complaints_role = rules["std-complaints"].role
    assert complaints_role in roles and roles[complaints_role].contact == ""

    # Wendy picks one that is already adopted, and one more: only the new one is added.
    both = ["std-complaints", "std-press"]
    running.click(WENDY, library, "drafting_library_select", selected=both)
    assert "Accepted into the draft" in str(running.fake.last("chat.update").args["blocks"])
    wendy = next(c for c in contributions(running.db) if c.author == WENDY)
    accept(running.db, wendy.id)
    assert {r.rule_id for r in draft_rules(running.db)} == {
        "std-personal-data",
        "std-complaints",
        "std-press",
    }
    # Willem drops personal data from his pick: that waits for the lead again, and the draft
    # keeps what was accepted until the lead has accepted the new pick.
    running.click(WILLEM, library, "drafting_library_select", selected=["std-complaints"])
    assert "std-personal-data" in {r.rule_id for r in draft_rules(running.db)}
    accept(running.db, willem.id)
    assert {r.rule_id for r in draft_rules(running.db)} == {"std-complaints", "std-press"}


def test_a_rules_question_drafts_rules_in_either_language(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    root = running.start_draft(WENDY, "practice")
    _go_to(running, root, 5)  # practice.rules, default verdict "allowed"
    assert "rule" in text_of(running.last_post(root)).lower()
    running.message(
        WILLEM,
        DRAFT_CHANNEL,
        "- nooit: Reageren op trollen [trefwoorden: trol, schelden]\n"
        "eerst vragen: Kinderen herkenbaar in beeld [keywords: children, pupils]\n"
        "Review: Posts about the reorganisation\n"
        "Berichten van onze accounts delen [voorbeeld: Kijk wat onze collega's vandaag deden!]"
        " [niet: Ik deel een vacature van een andere werkgever] [context: account]",
        thread_ts=root,
    )
    assert draft_rules(running.db) == []  # proposed: it waits for the lead
    (answer,) = contributions(running.db)
    assert [r["verdict"] for r in answer.structured["rules"]] == [
        "forbidden",
        "review",
        "review",
        "allowed",
    ]
    accept(running.db, answer.id)
    rules = draft_rules(running.db)
    assert [(r.rule_id, r.verdict, r.text, r.keywords, r.role) for r in rules] == [
        ("practice-1", "forbidden", "Reageren op trollen", ["trol", "schelden"], None),
        ("practice-2", "review", "Kinderen herkenbaar in beeld", ["children", "pupils"], "comms"),
        ("practice-3", "review", "Posts about the reorganisation", [], "comms"),
        ("practice-4", "allowed", "Berichten van onze accounts delen", [], None),
    ]
    assert all(r.origin == "contribution" and r.contribution_id == answer.id for r in rules)
    assert any(r.role_id == "comms" for r in draft_roles(running.db))  # review rules need a role
    # An example and a look-alike came with the last line, for the matcher.
    assert rules[3].examples == ["Kijk wat onze collega's vandaag deden!"]
    assert rules[3].not_examples == ["Ik deel een vacature van een andere werkgever"]
    assert rules[3].context == ["account"]


def test_a_roles_question_takes_a_user_group_mention_as_contact(running: SlackDriver) -> None:
    working_group(running.db, WILLEM, WENDY)
    running.fake.add_usergroup("S0CRISIS1", "crisisteam", [WENDY])
    root = running.start_draft(WENDY, "communications")
    _go_to(running, root, 6)  # communications.roles
    running.message(
        WILLEM,
        DRAFT_CHANNEL,
        "Crisiscommunicatie → <!subteam^S0CRISIS1|@crisisteam>\n"
        "Persvragen en woordvoering -> <@UWG00002>\n"
        "Vragen en klachten (webcare): <#C0GENERAL|general>\n"
        "Nieuwsbrief - nieuws@voorbeeld.nl\n"
        "just a remark without a separator",
        thread_ts=root,
    )
    assert draft_roles(running.db) == []
    accept(running.db)
    contacts = {r.role_id: r.contact for r in draft_roles(running.db)}
    assert contacts == {
        "crisis": "S0CRISIS1",
        "press": "@UWG00002",
        "webcare": "#general",
        "nieuwsbrief": "nieuws@voorbeeld.nl",
    }
    (answer,) = contributions(running.db)
    assert "@crisisteam" in answer.text and "<!subteam" not in answer.text
