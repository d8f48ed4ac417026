"""`/policy check` and `/policy who`: answered ephemerally, in the asker's language, with the
deciding rules, masked evidence, whom to contact and the version; echoed text made inert."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models.asking import AskedQuestion
from tests.driver import SlackDriver
from tests.payloads import buttons, text_of
from tests.seed import adopt

BSN = "111222333"  # passes the eleven test


def test_check_forbids_personal_data_and_masks_it(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", f"check Found a passport, personal number {BSN}. Who knows him?")
    answer = running.last_reply()
    assert answer["response_type"] == "ephemeral"
    text = text_of(answer)
    assert "Don't post this" in text
    assert "R01" in text and "Plaats nooit persoonsgegevens" in text  # quoted as written (nl)
    assert BSN not in text  # detected personal data is never repeated in full
    assert "2026.1" in text
    assert buttons(answer.get("blocks"), "asking_escalate"), "forbidden offers 'Ask <role>'"
    with running.db.session() as session:
        logged = session.scalars(select(AskedQuestion)).one()
    assert (logged.verdict, logged.rule_ids, logged.role_id, logged.policy_version) == (
        "forbidden",
        ["R01"],
        "privacy",
        "2026.1",
    )
    assert logged.covered is True


def test_a_dutch_asker_gets_a_dutch_answer_to_an_english_post(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0001", "check Two reporters from the paper messaged me")
    text = running.last_reply_text()
    assert "Vraag het eerst aan" in text and "R05" in text
    assert "Word je online benaderd door een journalist" in text


def test_an_allowed_post_offers_no_escalation(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "check Proud of our team: the new benches are in place!")
    answer = running.last_reply()
    assert "You may post this" in text_of(answer) and "R10" in text_of(answer)
    assert not buttons(answer.get("blocks"), "asking_escalate")


def test_who_names_the_role_and_its_contact(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "who Who handles FOI requests that come in through Facebook?")
    answer = running.last_reply()
    text = text_of(answer)
    assert "Woo-coördinator" in text
    assert "<mailto:woo@gemeentevoorbeeld.nl|woo@gemeentevoorbeeld.nl>" in text
    assert not buttons(answer.get("blocks"), "asking_escalate")


def test_who_says_honestly_when_the_policy_does_not_cover_it(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "who the dress code for the staff Christmas party")
    answer = running.last_reply()
    text = text_of(answer)
    assert "doesn't say who handles this" in text and "Afdeling Communicatie" in text
    assert buttons(answer.get("blocks"), "asking_escalate")
    with running.db.session() as session:
        assert session.scalars(select(AskedQuestion.covered)).one() is False


def test_user_mentions_and_pings_in_an_echoed_post_are_inert(running: SlackDriver) -> None:
    adopt(running.db)
    # What Slack sends for `/policy check <!channel> hey <@U123> …` with escaping on.
    running.command("UEMP0002", "check <!channel> hey <@U123ABC|bob> & team: proud of us!")
    answer = running.last_reply()
    raw = answer.get("text", "") + str(answer.get("blocks"))
    assert "<!channel>" not in raw and "<@U123ABC" not in raw
    assert "@channel hey @U123ABC" in raw  # shown as plain words, pinging nobody


def test_text_typed_to_look_like_markup_is_escaped_when_echoed(running: SlackDriver) -> None:
    adopt(running.db)
    # Typed literally, `<!channel>` reaches the bot as `&lt;!channel&gt;`.
    running.command("UEMP0002", "check &lt;!channel&gt; &lt;@U123&gt; proud of us!")
    answer = running.last_reply()
    raw = answer.get("text", "") + str(answer.get("blocks"))
    assert "<!channel>" not in raw and "<@U123>" not in raw
    assert "&lt;!channel&gt;" in raw and "&lt;@U123&gt;" in raw


def test_empty_check_gets_usage_and_logs_nothing(running: SlackDriver) -> None:
    adopt(running.db)
    running.command("UEMP0002", "check")
    assert "/policy check" in running.last_reply_text()
    running.command("UEMP0001", "who   ")
    assert "/policy who" in running.last_reply_text()
    with running.db.session() as session:
        assert session.scalars(select(AskedQuestion)).all() == []


def test_help_lists_the_asking_commands(running: SlackDriver) -> None:
    running.command("UEMP0002", "help")
    text = running.last_reply_text()
    assert "/policy check TEXT" in text and "/policy who QUESTION" in text


def test_a_newly_adopted_version_answers_at_once(running: SlackDriver) -> None:
    data = adopt(running.db)
    running.command("UEMP0002", "check Proud of our team!")
    assert "Policy version 2026.1" in running.last_reply_text()

    stricter = dict(data) | {"version": "2026.2"}
    stricter["rules"] = [
        (r | {"verdict": "review", "role": "communicatie"}) if r["id"] == "R10" else r
        for r in data["rules"]
    ]
    adopt(running.db, stricter)
    running.command("UEMP0002", "check Proud of our team!")
    text = running.last_reply_text()
    assert "Policy version 2026.2" in text and "Ask Afdeling Communicatie first" in text
