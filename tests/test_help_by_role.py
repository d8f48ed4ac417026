"""`/policy help` lists only what the asker may do, by their role; `/policy help SUB` explains
one sub-command (usage, what it does, an example, who may use it) in their language, and
Dutch words work as well (`/policy hulp concept`)."""

from __future__ import annotations

from tests.driver import ADMIN, SlackDriver
from tests.seed import make_lead, working_group

ERIK, EMMA = "UEMP0001", "UEMP0002"  # Dutch, English


def listed(running: SlackDriver, user: str) -> set[str]:
    running.command(user, "help")
    text = running.last_reply_text()
    return {word for word in ("check", "who", "mine", "draft", "status", "review", "adopt",
                              "export", "gaps", "escalations", "role", "help")
            if f"`/policy {word}" in text}  # fmt: skip


def test_each_role_sees_what_it_may_do(running: SlackDriver) -> None:
    employee = listed(running, EMMA)
    assert employee == {"check", "who", "mine", "role", "help"}
    assert "more commands are for the working group" in running.last_reply_text()
    working_group(running.db, EMMA)
    assert listed(running, EMMA) == employee | {"draft", "status"}
    make_lead(running.db, EMMA)
    lead = listed(running, EMMA)
    assert lead >= employee | {"draft", "review", "adopt", "export", "gaps", "escalations"}
    assert "more command" not in running.last_reply_text()
    assert listed(running, ADMIN) == lead


def test_one_subcommand_explained_in_english(running: SlackDriver) -> None:
    running.command(EMMA, "help check")
    text = running.last_reply_text()
    assert "*`/policy check TEXT`*" in text
    assert "may I post this?" in text and "Only you see the answer" in text
    assert "_Example:_ `/policy check Proud of our team" in text
    assert "_Also works as:_ `controleer`" in text
    assert "_Who may use it:_ everyone" in text and "You don't have" not in text


def test_dutch_aliases_and_a_command_above_ones_role(running: SlackDriver) -> None:
    running.command(ERIK, "hulp concept")
    text = running.last_reply_text()
    assert "*`/policy draft [ONDERDEEL]`*" in text
    assert "_Voorbeeld:_ `/policy concept identity`" in text
    assert "_Wie mag het gebruiken:_ de werkgroep, de communicatieleider en beheerders" in text
    assert "Die rol heb je niet (*werkgroep* of hoger)" in text
    running.command(ERIK, "concept")  # and the alias itself works as the command
    assert "werkgroep" in running.last_reply_text()


def test_an_unknown_subcommand_to_explain_gets_the_list(running: SlackDriver) -> None:
    running.command(EMMA, "help frobnicate")
    replies = [r.get("text", "") for r in running.replies()]
    assert any("I don't know `/policy frobnicate`" in r for r in replies)
    assert "`/policy check TEXT`" in running.last_reply_text()


def test_every_subcommand_has_its_explanation_and_example(running: SlackDriver) -> None:
    router_words = ("check", "who", "mine", "gaps", "escalations", "role", "help", "draft",
                    "status", "show", "review", "groups", "adopt", "adopted", "export")  # fmt: skip
    for word in router_words:
        running.command(ADMIN, f"help {word}")
        text = running.last_reply_text()
        assert "_Example:_ `/policy" in text and "_Who may use it:_" in text, word
