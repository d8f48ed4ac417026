"""Every answer in Slack says how it was reached, in the asker's language: a rule matched on
strong evidence; weak evidence (what was noticed and whom to ask, never a confident
*forbidden*); a language model's suggestion (which model, which rules); or not covered. The
asker's own work phone and e-mail, from their Slack profile, are theirs to mention; and a
slow language model gets a "working on it" first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.settings import Settings
from bot.storage import Database
from runtime.fakellm import FakeLLM
from runtime.fakeslack import FakeSlack
from tests.driver import ERIK, GENERAL, SlackDriver
from tests.payloads import text_of
from tests.samples import policy_data
from tests.seed import adopt
from tests.test_engine_frame import WITNESSES
from tests.test_engine_our_work import FACILITIES
from tests.test_engine_outweighed import SHOP
from tests.test_engine_weak_route import INCIDENTS

EMMA = "UEMP0002"  # reads English
SOURCES = {
    "id": "N3",
    "verdict": "forbidden",
    "role": "press",
    "text": "Never reveal a confidential source or anything that identifies one.",
    "keywords": ["source", "bron"],
}
WOO_QUESTION = (
    "Someone in the comments wants copies of all internal emails about the new roundabout. "
    "Can I just send them to him?"
)


def test_strong_evidence_says_so(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "check Lost dog! Call the finder, Mrs Baker, at 06-12345678")
    text = running.last_reply_text()
    assert "Don't post this" in text and "*Rule R01* (forbidden)" in text
    assert "How sure: a rule matched on clear evidence." in text
    running.command(ERIK, "check Baasje gezocht! Bel de vinder, mevrouw Bakker, op 06-12345678")
    assert "Hoe zeker: een regel past, op duidelijke aanwijzingen." in running.last_reply_text()


# A weak match of SOURCES (policy-format.md, "Evidence, weighed" and "A lone word, noticed"):
# who asks, how ("check" or a direct message), the question, what the answer says, and what
# it never says (a confident *forbidden*).
WEAK_ANSWERS = [
    # A colleague named: about the work, so the word is weighed (else a lone word, below).
    pytest.param(
        EMMA,
        "check",
        "Mijn collega heeft een nieuwe bron gevonden",
        [
            "I'm not sure about this one",
            "I noticed “bron” (rule N3); if your post is about that, ask Pers.",
            "*Rule N3* (noticed, not decided)",
            "_Noticed:_ “bron”",
            "Ask Pers",  # the button: whom to ask
        ],
        ["(forbidden)", "Don't post this"],
        id="weighed-en",
    ),
    pytest.param(
        ERIK,
        "check",
        "Mijn collega heeft een nieuwe bron gevonden",
        [
            "Hier ben ik niet zeker van",
            "*Regel N3* (opgemerkt, niet beslist)",
            "Ik zag “bron” (regel N3)",
        ],
        ["(verboden)"],
        id="weighed-nl",
    ),
    # Nobody named, nothing of the work: allowed, and still noticed. No rule shown as
    # deciding, none with its verdict; whom to ask, and the button.
    pytest.param(
        EMMA,
        "check",
        "Ik heb een nieuwe bron gevonden",
        [
            "*No rule of the policy stands in the way*, as far as I can tell.",
            "One word in it also belongs to a rule of the policy; if your post is about",
            "How sure: not sure. I noticed only “bron” (rule N3), a word that also has",
            "if your post is about that after all, ask Pers.",
            "Contact: *Pers*",
            "Ask Pers",
        ],
        ["*Rule N3*", "(forbidden)", "Don't post"],
        id="lone-word-en",
    ),
    pytest.param(
        ERIK,
        "check",
        "Ik heb een nieuwe bron gevonden",
        [
            "*Geen regel uit het beleid staat dit in de weg*, voor zover ik kan zien.",
            "Hoe zeker: niet zeker. Ik zag alleen “bron” (regel N3), een woord met ook",
            "gaat je bericht daar toch over, vraag het dan aan Pers.",
        ],
        ["(verboden)", "Niet posten"],
        id="lone-word-nl",
    ),
    # Someone named: the post may be about them, and the word is weighed as before.
    pytest.param(
        ERIK,
        "check",
        "Ik heb met Jorien een nieuwe bron gevonden",
        ["Hier ben ik niet zeker van"],
        [],
        id="lone-word-with-someone-named-nl",
    ),
    pytest.param(
        EMMA,
        "dm",
        "may I post: I found a new source!",
        [
            "*No rule of the policy stands in the way*, as far as I can tell.",
            "I noticed only “source” (rule N3)",
            "ask Pers.",
        ],
        ["(forbidden)", "Don't post"],
        id="lone-word-dm-en",
    ),
    pytest.param(
        ERIK,
        "dm",
        "mag ik posten: ik heb een nieuwe bron gevonden!",
        [
            "*Geen regel uit het beleid staat dit in de weg*, voor zover ik kan zien.",
            "Ik zag alleen “bron” (regel N3)",
            "vraag het dan aan Pers.",
        ],
        ["(verboden)", "Niet posten"],
        id="lone-word-dm-nl",
    ),
]


@pytest.mark.parametrize(("user", "how", "question", "says", "never_says"), WEAK_ANSWERS)
def test_weak_evidence_is_noticed_never_a_confident_forbidden(
    running: SlackDriver,
    user: str,
    how: str,
    question: str,
    says: list[str],
    never_says: list[str],
) -> None:
    adopt(running.db, policy_data([SOURCES]))
    if how == "dm":
        text = text_of(running.dm(user, question))
    else:
        running.command(user, f"check {question}")
        text = running.last_reply_text()
    for line in says:
        assert line in text
    for line in never_says:
        assert line not in text


def test_weak_evidence_names_the_role_of_the_rule_that_asks_for_a_check(
    running: SlackDriver,
) -> None:
    adopt(running.db, policy_data([SOURCES, INCIDENTS]))
    running.command(EMMA, "check I found a new source for the incident")
    text = running.last_reply_text()
    # Both words are ambiguous alone: the review rule names whom to ask, the forbidding rule
    # heard as weakly is noticed after it, never with its verdict.
    expected = (
        "I noticed “incident”, “source” (rule C1, N3); if your post is about that, ask Crisis."
    )
    assert expected in text
    assert text.index("*Rule C1*") < text.index("*Rule N3*") and "(forbidden)" not in text
    assert "Contact: *Crisis*" in text and "Ask Crisis" in text
    running.command(ERIK, "check Ik heb een bron gevonden over het incident")
    text = running.last_reply_text()
    assert "Ik zag “incident”, “bron” (regel C1, N3)" in text
    assert "vraag het dan aan Crisis" in text and "(verboden)" not in text


def test_weak_evidence_in_a_private_post_is_no_evidence(running: SlackDriver) -> None:
    adopt(running.db, policy_data([SOURCES, INCIDENTS]))
    running.command(EMMA, "check Can I post that my dog had a minor incident with a possum?")
    text = running.last_reply_text()
    assert "No rule of the policy stands in the way" in text and "not sure" not in text
    assert "How sure: no rule covers this; the policy's default answered." in text
    running.command(EMMA, "check Can I post that we had a minor incident at the office?")
    text = running.last_reply_text()
    assert "I'm not sure about this one" in text and "ask Crisis" in text


def test_a_lone_word_about_the_askers_own_family_is_no_evidence(running: SlackDriver) -> None:
    adopt(running.db, policy_data(WITNESSES))
    running.command(ERIK, "check Mag ik posten dat mijn zoon getuige was op de bruiloft?")
    text = running.last_reply_text()
    assert "Geen regel uit het beleid staat dit in de weg" in text and "Niet posten" not in text
    assert (
        "Hoe zeker: geen regel gaat hierover; het standaardantwoord van het beleid geldt." in text
    )
    running.command(EMMA, "check Can I post that my grandma wore her old uniform at my birthday?")
    text = running.last_reply_text()
    assert "No rule of the policy stands in the way" in text and "Don't post this" not in text
    # Someone else named: the post may be about them, and the rule decides as before.
    running.command(
        ERIK, "check Mag ik posten dat mijn zoon getuige was op de bruiloft van Jorien?"
    )
    assert "Niet posten" in running.last_reply_text()
    running.command(
        EMMA, "check Can I post that my grandma and Priya wore a uniform at my birthday?"
    )
    assert "Don't post this" in running.last_reply_text()


def test_not_covered_says_the_default_answered(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "check Beautiful sunset over the town hall tonight")
    text = running.last_reply_text()
    assert "No rule of the policy stands in the way" in text
    assert "How sure: no rule covers this; the policy's default answered." in text


# Where no rule applies but a sign of risk (policy-format.md, "Signs of risk when no rule
# applies") or the work itself ("A post about the work that no rule covers") was noticed: the
# asker, the question, and what the answer says.
NO_RULE_BUT = [
    (
        EMMA,
        "Can I post that our office moves to Utrecht? It's not announced yet.",
        "I'm not sure about this one.* No rule of the policy clearly covers it",
        "No rule of the policy clearly covers this, but I noticed “not announced”",
    ),
    (
        ERIK,
        "Mag ik een foto van de gasten op onze open dag delen?",
        "Hier ben ik niet zeker van.* Geen regel van het beleid gaat er duidelijk over",
        "Geen regel van het beleid gaat hier duidelijk over, maar ik zag “foto van de gasten”",
    ),
    (
        EMMA,
        "Can I post that our team moves to the new building in May?",
        "I'm not sure about this one.* No rule of the policy is about it, but it is",
        "is about this, but it is about your work (“our team moves”)",
    ),
    (
        ERIK,
        "Mag ik posten dat onze afdeling in mei verhuist?",
        "Hier ben ik niet zeker van.* Geen regel van het beleid gaat erover, maar",
        "maar het gaat over je werk (“onze afdeling in”)",
    ),
]


def test_a_sign_of_risk_or_the_work_where_no_rule_applies_is_noticed_not_allowed(
    running: SlackDriver,
) -> None:
    adopt(running.db, policy_data([SOURCES]))
    for user, question, verdict_line, how_sure_line in NO_RULE_BUT:
        running.command(user, f"check {question}")
        text = running.last_reply_text()
        assert verdict_line in text and how_sure_line in text
        assert "Communicatie" in text and "stands in the way" not in text
    # The asker's private life is no sign: the default answers.
    running.command(EMMA, "check Can I post a photo from our family holiday?")
    assert "No rule of the policy stands in the way" in running.last_reply_text()


def test_a_post_told_ahead_of_time_where_no_rule_applies_asks_first_in_a_dm(
    running: SlackDriver,
) -> None:
    # policy-format.md, "A post ahead of time that no rule covers": not allowed outright, the
    # words quoted, whom to ask; the asker's own plan is not quoted as told ahead of time.
    adopt(running.db, policy_data([SOURCES]))
    answer = text_of(running.dm(EMMA, "may I post: the Leeds branch is going to close"))
    assert "I'm not sure about this one.* No rule of the policy clearly covers it" in answer
    assert "I noticed “going to close”, which is often a reason to check first" in answer
    assert "ask Communicatie." in answer and "stands in the way" not in answer
    dutch = "mag ik posten: het filiaal in Venlo gaat volgende maand dicht"
    answer = text_of(running.dm(ERIK, dutch))
    assert "Hier ben ik niet zeker van.* Geen regel van het beleid gaat er duidelijk over" in answer
    assert "ik zag “gaat volgende maand”, vaak een reden om het eerst na te vragen" in answer
    assert "vraag het aan Communicatie." in answer and "(verboden)" not in answer
    answer = text_of(running.dm(ERIK, "mag ik posten: ik volg volgende week een cursus EHBO"))
    assert "volgende week" not in answer.split("Hoe zeker")[1]  # nothing quoted
    assert "Geen regel van het beleid gaat hierover, en ik zag er niets in" in answer  # unsure


def test_a_post_nothing_shows_plainly_fine_is_not_sure_in_a_dm(running: SlackDriver) -> None:
    # policy-format.md, "A post no rule covers and nothing shows to be fine": no confident
    # all-clear, no quote (nothing in particular was noticed), what is missing, whom to ask;
    # in the asker's language. The asker's own things and private life stay allowed.
    adopt(running.db, policy_data([SOURCES]))
    answer = text_of(running.dm(EMMA, "may I post: the class photo of 4A, everyone looks great"))
    assert "I'm not sure about this one.* No rule of the policy covers it, and nothing" in answer
    assert "only your private life, your own things or already public. Ask Communicatie" in answer
    assert "How sure: not sure. No rule of the policy covers this, and I noticed nothing" in answer
    assert "stands in the way" not in answer and "(forbidden)" not in answer
    answer = text_of(running.dm(ERIK, "mag ik posten: de klassenfoto van groep 7, iedereen lacht"))
    assert "Hier ben ik niet zeker van.* Geen regel van het beleid gaat erover, en niets" in answer
    assert "Vraag het Communicatie voordat je het plaatst." in answer
    assert "Hoe zeker: niet zeker. Geen regel van het beleid gaat hierover, en ik zag" in answer
    assert "vraag het aan Communicatie." in answer
    own = text_of(running.dm(ERIK, "mag ik posten: de klassenfoto van mijn dochter"))
    assert "*Geen regel uit het beleid staat dit in de weg.*" in own
    view = text_of(running.dm(EMMA, "may I post: the sunset over the town hall tonight"))
    assert "*No rule of the policy stands in the way.*" in view


SCHOOL = {
    "id": "S1",
    "verdict": "allowed",
    "text": "You may share news about our school and its activities.",
    "keywords": ["school"],
}


def test_a_reply_in_public_is_not_reassured_by_a_weak_allowing_rule(running: SlackDriver) -> None:
    # Only the allowing rule is heard, weakly: answering someone in public is a sign of risk,
    # so the answer asks to check first (policy-format.md, "Signs of risk when no rule applies").
    adopt(running.db, policy_data([SOURCES, SCHOOL]))
    running.command(
        EMMA, "check Someone wrote on Facebook that our school is a mess. Can I answer her?"
    )
    text = running.last_reply_text()
    assert "I'm not sure about this one.* No rule of the policy clearly covers it" in text
    assert "No rule of the policy clearly covers this, but I noticed" in text
    assert "“answer her”" in text and "Communicatie" in text and "stands in the way" not in text
    running.command(ERIK, "check Mag ik reageren op een Facebookpost over onze school?")
    text = running.last_reply_text()
    assert "Hier ben ik niet zeker van.* Geen regel van het beleid gaat er duidelijk over" in text
    assert "“reageren op een Facebookpost”" in text and "Communicatie" in text
    # Without a sign, the weak allowing rule answers as before (noticed, not decided).
    running.command(ERIK, "check Mag ik iets over onze school posten?")
    text = running.last_reply_text()
    assert "Ik zag “school” (regel S1)" in text and "duidelijk over" not in text


def test_a_post_no_rule_covers_asks_the_role_it_is_about(running: SlackDriver) -> None:
    # Where no rule applies, the answer names the role whose own words the post uses (here a
    # facilities role's keyword), not the default role (decide, `role_asked_about`).
    adopt(running.db, policy_data([SOURCES], roles=[*policy_data([])["roles"], FACILITIES]))
    running.command(EMMA, "check Can I post that our office renovation starts in May?")
    text = running.last_reply_text()
    assert "I'm not sure about this one" in text and "it is about your work" in text
    assert "Facilitair bedrijf" in text and "Communicatie" not in text
    running.command(ERIK, "check Mag ik posten dat onze verbouwing in mei begint?")
    text = running.last_reply_text()
    assert "Hier ben ik niet zeker van" in text and "het gaat over je werk" in text
    assert "Facilitair bedrijf" in text and "Communicatie" not in text


def test_who_and_free_questions_say_how_they_were_found(running: SlackDriver) -> None:
    adopt(running.db)
    running.command(EMMA, "who a journalist called about the new cycle path")
    assert "How sure: the policy names *Persvoorlichting" in running.last_reply_text()
    dm = running.dm(ERIK, "Wat zegt het beleid over LinkedIn?")
    assert "Hoe zeker: dit zijn de passages uit het beleid" in text_of(dm)


@pytest.fixture
def model() -> Iterator[FakeLLM]:
    fake = FakeLLM(answers={"roundabout": ["R14"], "rotonde": ["R14"]}).start()
    yield fake
    fake.stop()


@contextmanager
def served_with_model(
    settings: Settings, fake: FakeSlack, db: Database, model: FakeLLM, timeout_ms: int
) -> Iterator[SlackDriver]:
    """The app with the stand-in model configured, waiting at most `timeout_ms` for it."""
    configured = settings.with_overrides(
        llm_url=model.url, llm_model="fake-1", llm_api_key="sk-test", llm_timeout_ms=timeout_ms
    )
    driver = SlackDriver.serving(configured, fake, db)
    try:
        yield driver
    finally:
        driver.close()


def test_a_language_models_suggestion_says_which_model_and_rules(
    settings: Settings, fake_slack: FakeSlack, db: Database, model: FakeLLM
) -> None:
    adopt(db)
    with served_with_model(settings, fake_slack, db, model, 1500) as running:
        running.command(EMMA, "check " + WOO_QUESTION)
        replies = [text_of(r) for r in running.replies()]
    assert len(replies) == 1  # within Slack's patience: no "working on it" first
    text = replies[0]
    assert "How sure: a language model (fake-1) pointed to rule R14" in text
    assert "*Rule R14* (ask first; named by the language model fake-1)" in text
    assert len(model.requests) == 1


def test_a_slow_model_gets_working_on_it_first(
    settings: Settings, fake_slack: FakeSlack, db: Database, model: FakeLLM
) -> None:
    adopt(db)
    with served_with_model(settings, fake_slack, db, model, 5000) as running:
        running.command(ERIK, "check Iemand wil alle interne mails over de nieuwe rotonde.")
        replies = [text_of(r) for r in running.replies()]
        assert len(replies) == 2
        assert "Ik ben ermee bezig" in replies[0] and "taalmodel (fake-1)" in replies[1]
        running.command(ERIK, "check Iemand wil alle interne mails over de nieuwe rotonde.")
        assert len(running.replies()) == 3  # cached now: no wait, no note
        channel = fake_slack.im_for(EMMA)  # a DM: an hourglass on the question instead
        ts = running.message(EMMA, channel, "may I post this: " + WOO_QUESTION)
        assert "hourglass_flowing_sand" in fake_slack.reactions_on(channel, ts)
        running.command(EMMA, "check Beautiful sunset over the town hall tonight")
        replies = [text_of(r) for r in running.replies()]
        assert len(replies) == 5  # not covered: the model is asked, so the note comes first
        assert "Working on it" in replies[3] and "How sure: a language model" in replies[4]
    assert len(model.requests) == 3


def test_the_askers_own_work_contacts_come_from_their_slack_profile(
    running: SlackDriver,
) -> None:
    adopt(running.db)
    post = "Questions about the open day? Call 06-12345678 or mail emma.devries@gemeente.nl"
    running.fake.add_user("UEMP0003", "olaf", locale="en-GB")
    running.command("UEMP0003", "check " + post)  # someone else's number: forbidden
    assert "Don't post this" in running.last_reply_text()
    running.fake.set_contact(EMMA, phone="+31 6 12345678", email="Emma.deVries@gemeente.nl")
    running.command(EMMA, "check " + post)
    text = running.last_reply_text()
    assert "Don't post this" not in text and "06-12345678" not in text  # still masked
    running.command(EMMA, "check " + post)
    looked_up = [c for c in running.fake.calls_for("users.info") if c.args.get("user") == EMMA]
    assert len(looked_up) == 1  # cached with the profile


def test_the_shortcut_says_how_sure_too(running: SlackDriver) -> None:
    adopt(running.db)
    text = "Baasje gezocht! Bel de vinder, mevrouw Bakker, op 06-12345678"
    ts = running.fake.post_user_message(EMMA, GENERAL, text)
    message = {"ts": ts, "text": text, "type": "message"}
    running.message_shortcut(EMMA, "check_against_policy", GENERAL, message)
    answer = running.fake.ephemerals_for(EMMA)[-1]
    assert "How sure: a rule matched on clear evidence." in text_of(answer)


def test_a_stricter_rule_outweighed_on_the_same_words_is_named(running: SlackDriver) -> None:
    adopt(running.db, policy_data(SHOP, language="en"))
    running.command(
        EMMA,
        "check A customer complained on Facebook about her waiting time. "
        "Can I reply to her complaint?",
    )
    text = running.last_reply_text()
    assert "*Rule CO* (ask first)" in text and "Don't post this" not in text
    assert "How sure: a rule matched on clear evidence." in text
    assert (
        "Also matched, on the same words: “customer” (rule PH, forbidden). Your question says "
        "more about the rule above, so that one decides" in text
    )
    running.command(
        ERIK,
        "check Een klant klaagt op Facebook over de wachttijd. Mag ik op haar klacht reageren?",
    )
    text = running.last_reply_text()
    assert "Paste ook, op dezelfde woorden: “klant” (regel PH, verboden)." in text
    assert "*Regel CO* (eerst vragen)" in text
