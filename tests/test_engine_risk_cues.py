"""Signs of risk when no rule applies (policy-format.md, "Evidence, weighed"): a post that no
rule matched, under a policy whose default allows it, is *review* on weak evidence when it
holds a sign any organisation would want checked (something not made public yet, a third
person met at work, other people in a picture, speaking for the organisation, attacking the
employer); the answer quotes the sign and names the default role. A sign never makes a post
forbidden, never overrules a rule that matched, and leaves a stricter default alone."""

from __future__ import annotations

import json
import random
import re
from importlib import resources
from pathlib import Path

import pytest
import re2
import yaml

from bot import yaml_safe
from bot.answering.answers import NOT_COVERED, WEAK
from bot.answering.risk import MAX_CUES, _loosened, _prefilter, _reading, _signs, risk_cues
from bot.answering.unsure import UNSURE
from bot.asking.certainty import SIGN_OF_RISK, how_sure
from bot.opinion.reconsider import combine
from bot.storage import Database
from tests.samples import compiled, policy_data
from tests.seed import adopt

ROOT = Path(__file__).resolve().parents[1]
CLINIC = [
    {
        "id": "P",
        "verdict": "forbidden",
        "role": "privacy",
        "text": "Never post a patient's name or diagnosis.",
        "keywords": ["diagnose", "diagnosis"],
    },
    {
        "id": "V",
        "verdict": "allowed",
        "text": "You may share our own vacancies.",
        "keywords": ["vacature", "vacancy"],
    },
]


def _answer(text: str, **kwargs: object) -> tuple[str, str, list[str], list[str]]:
    answer = compiled(CLINIC, **kwargs).check(text)
    return (
        answer.verdict,
        answer.certainty,
        [m.rule.id for m in answer.rules],
        # The signs quoted: not the "not sure" of a post nothing shows plainly fine, which is
        # no sign and quotes nothing (unsure.py, test_engine_unsure).
        [c.text for c in answer.cues if c.source != UNSURE],
    )


def test_a_sign_of_risk_in_an_uncovered_post_asks_to_check_first() -> None:
    answer = compiled(CLINIC).check(
        "Can I post that the new wing opens in May? It's not announced yet."
    )
    assert (answer.verdict, answer.certainty, answer.covered) == ("review", WEAK, False)
    assert answer.rules == () and answer.role.id == "comms"  # the default role to ask
    assert [(c.source, c.text) for c in answer.cues] == [("unpublished", "not announced")]
    assert answer.to_json()["cues"] == [{"kind": "unpublished", "evidence": "not announced"}]


def test_each_kind_of_sign_in_both_languages() -> None:
    assert _answer("Mag ik delen dat we gaan verhuizen? Het is nog niet bekend.") == (
        "review", WEAK, [], ["nog niet bekend"],
    )  # fmt: skip
    assert _answer("Mag ik een verhaal posten over de vrouw die we vanmiddag hielpen?")[3] == [
        "vrouw die we"
    ]
    assert _answer("Can I share a photo of the guests at the open day?")[3] == [
        "photo of the guests"
    ]
    # (Not "een patiënt": the patient rule's own word is heard there, weakly, since round 20.)
    assert _answer("Een cliënt van mij won de marathon, mag ik dat posten?")[3] == [
        "Een cliënt van mij"
    ]
    assert _answer("Can I tweet that our receptionist has cancer?")[3] == ["has cancer"]
    assert _answer("Mag ik namens de kliniek reageren op dat artikel?")[3] == [
        "namens de",
        "reageren op dat artikel",  # and answering in public (test_engine_public_reply.py)
    ]
    assert _answer("Can I vent about my boss on Reddit?")[3] == ["vent about my boss"]


def test_without_a_sign_the_default_still_answers() -> None:
    assert _answer("Can I post a picture of the sunset from the clinic's roof?") == (
        "allowed", NOT_COVERED, [], [],
    )  # fmt: skip
    # The asker's own family in a picture is no sign; their own plans no secret.
    assert _answer("Can I share a photo of my kids at the beach?") == (
        "allowed", NOT_COVERED, [], [],
    )  # fmt: skip
    assert _answer("Het is geen geheim dat ik van taart houd!")[:2] == ("allowed", NOT_COVERED)


def test_a_rule_that_matched_decides_and_the_sign_is_not_read() -> None:
    # The allowed rule decides its vacancy, announced or not; the forbidden rule its diagnosis.
    assert _answer("Can I share our vacancy for a nurse before it's announced internally?")[:3] == (
        "allowed",
        "strong",
        ["V"],
    )
    assert _answer("Can I post the diagnosis of the man we treated today?")[:3] == (
        "forbidden", "strong", ["P"],
    )  # fmt: skip


def test_a_stricter_default_stands_and_a_sign_is_never_forbidden() -> None:
    many = "Confidential, not announced yet, on behalf of our company: the man we arrested"
    assert len(risk_cues(many)) == 4
    assert _answer(many)[:2] == ("review", WEAK)  # several signs: still only review
    strict = {"verdict": "review", "role": "privacy"}
    assert _answer(many, default=strict)[:2] == ("review", NOT_COVERED)
    assert compiled(CLINIC, default=strict).check(many).role.id == "privacy"


def test_the_answer_says_what_it_noticed_and_whom_to_ask() -> None:
    answer = compiled(CLINIC).check("Mag ik dit vertrouwelijke memo delen?")
    how = how_sure(answer.to_json())
    assert (how.certainty, how.key, how.rules) == (WEAK, SIGN_OF_RISK, ())
    assert how.noticed == ("vertrouwelijke",) and how.role == "Communicatie"


def test_a_model_that_names_no_rule_leaves_the_sign_standing() -> None:
    engine = compiled(CLINIC)
    text = "Can I post that the new wing opens in May? It's not announced yet."
    answer = combine(engine, engine.matches(text), (), "fake-1", text)
    assert (answer.verdict, answer.certainty) == ("review", WEAK)
    assert answer.second_opinion is not None and answer.cues
    # Without a sign, the model's "no rule applies" is the default's answer, as before.
    plain = "Can I post a picture of the sunset?"
    assert combine(engine, engine.matches(plain), (), "fake-1", plain).verdict == "allowed"


@pytest.mark.parametrize(
    ("question", "language", "cue", "lines"),
    [
        (
            "Can I share a photo of the guests at our open day?",
            "en",
            {"kind": "people_pictured", "evidence": "photo of the guests"},
            (
                "Verdict: review. Ask Communicatie first.",
                "No rule of the policy clearly covers this, but I noticed “photo of the guests”",
            ),
        ),
        (  # a post about the work (policy-format.md, "A post about the work that no rule …")
            "Mag ik posten dat onze afdeling in mei verhuist?",
            "nl",
            {"kind": "our_work", "evidence": "onze afdeling in"},
            ("maar het gaat over je werk (“onze afdeling in”)",),
        ),
    ],
)
def test_check_on_the_command_line_says_what_it_noticed(
    db_url: str, tmp_path, monkeypatch, capsys, question, language, cue, lines
) -> None:  # type: ignore[no-untyped-def]
    from runtime.cli import main

    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "POLICYBOT_LLM_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    database = Database(db_url)
    adopt(database, policy_data(CLINIC))
    database.dispose()
    assert main(["check", "--json", question]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["verdict"], out["certainty"], out["covered"], out["rules"]) == (
        "review", "weak", False, [],
    )  # fmt: skip
    assert out["cues"] == [cue]
    monkeypatch.setenv("POLICYBOT_LANGUAGE", language)
    assert main(["check", question]) == 0
    printed = capsys.readouterr().out
    assert all(line in printed for line in lines), printed


def test_personal_data_in_a_sign_is_masked_where_it_is_quoted() -> None:
    answer = compiled(CLINIC).check("Can I post a photo of the Dorpsstraat 12 residents?")
    assert answer.verdict == "review"
    assert [c.text for c in answer.cues] == ["photo of the Do********* ** residents"]
    assert "Dorpsstraat 12" not in str(answer.to_json())


def test_the_signs_are_written_in_lower_case_as_the_text_is_read() -> None:
    path = resources.files("policy_content") / "lexicon" / "risk.yml"
    patterns = yaml_safe.load(path.read_text(encoding="utf-8"))["patterns"]
    written = [p for kind in patterns.values() for p in kind]
    literal = [re.sub(r"\\[A-Za-z]", "", p) for p in written]  # escapes (\b, \w) aside
    assert literal and all(p == p.lower() for p in literal)
    assert _answer("CONFIDENTIAL: CAN I POST THIS?")[3] == ["CONFIDENTIAL"]


# Each incident met at work, in Dutch and English, and the sign the answer quotes.
INCIDENTS = {
    "Mag ik op Insta zetten wat ik ter plaatse heb gezien?": "ter plaatse",
    "Can I post about the crash we responded to on the A2?": "crash we responded to",
    "Mag ik vertellen over de inzet bij het ongeval op de ring?": "bij het ongeval",
    "Can I tweet that the suspect in handcuffs was the mayor's son?": "in handcuffs",
    "Mag ik een foto posten van de verdachte die in de boeien zit?": "in de boeien",
    "The building was evacuated this morning, can I post a story?": "was evacuated",
    "A visitor collapsed in the waiting room, can I share it?": "collapsed",
    "Mag ik delen dat de sporthal is uitgebrand?": "uitgebrand",
    "Can I post about the data breach at our office?": "data breach",
    "Mag ik melden dat we een datalek hadden?": "datalek",
}


def test_an_incident_met_at_work_asks_to_check_first_in_both_languages() -> None:
    # Called out, on the scene, what happened to someone there: the people in it and the facts
    # not yet out are not the asker's to share, whatever the policy says.
    assert _answer("We were called to a house fire last night. Can I share what we saw?") == (
        "review", WEAK, [], ["We were called to"],
    )  # fmt: skip
    heard = {text: _answer(text) for text in INCIDENTS}
    assert {text: answer[3] for text, answer in heard.items()} == {
        text: [sign] for text, sign in INCIDENTS.items()
    }
    assert [answer[:3] for answer in heard.values()] == [("review", WEAK, [])] * len(INCIDENTS)


def test_a_shift_or_an_incident_only_in_the_news_is_no_sign() -> None:
    # A tip for colleagues on the night shift, a first-aid course, a stabbing the asker only
    # read about: nothing met at work.
    assert _answer("Mijn tip voor alle collega's in de nachtdienst: drink genoeg water!") == (
        "allowed", NOT_COVERED, [], [],
    )  # fmt: skip
    assert _answer("Ik volg volgende week een reanimatiecursus, leuk om te delen?")[3] == []
    assert _answer("Can I share the news article about the stabbing at the station?")[3] == []
    assert _answer("Can I post that I love the local music scene?")[3] == []


def test_an_incident_under_a_rule_that_matched_is_the_rule_s_to_decide() -> None:
    assert _answer("Can I post the diagnosis of the man we were called to last night?")[:3] == (
        "forbidden", "strong", ["P"],
    )  # fmt: skip


# The prefilter (devset README, "Signs of risk, read faster"): the strings each sign cannot
# match without, found in one pass, rule most questions out before any regular expression.
def _every_question() -> list[str]:
    files = [
        *ROOT.glob("benchmarks/devset/*.questions.yml"),
        *ROOT.glob("examples/*/*.questions.yml"),
    ]
    cases = [case for path in files for case in yaml.safe_load(path.read_text("utf-8")) or []]
    return [case["text"] for case in cases if isinstance(case, dict) and "text" in case]


def test_the_prefilter_changes_no_sign_found() -> None:
    # Every question of the development set and the sample, and random mixes of their words:
    # the signs found are those every sign's pattern, read in full, finds.
    questions = _every_question()
    words = " ".join(questions).split()
    rng = random.Random(11)
    mixes = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 40))) for _ in range(3000)]
    in_full = _reading(tuple(range(len(_signs()))))
    found = 0
    for text in [*questions, *mixes, *INCIDENTS]:
        expected = [(m.start(), m.end(), m.lastgroup) for m in in_full.finditer(text.lower())]
        cues = risk_cues(text)
        assert [(c.start, c.end, c.source) for c in cues] == expected[:MAX_CUES], text
        found += bool(cues)
    assert len(questions) > 300 and found > 40  # the signs were put to the test


def test_every_sign_is_in_the_prefilter() -> None:
    # A sign RE2 cannot read (a look-around, a back-reference) would be read in every
    # question again: write it without.
    assert not _prefilter().always


def test_the_prefilter_knows_letters_beyond_ascii() -> None:
    # RE2's own \b and \w know only ASCII: "the coöperatie" must still pass "the \w+", a
    # sign next to "é" still be found, and a long text be read to its end.
    long = " ".join(["Een gewone vraag over het weer en de patiëntenzorg."] * 60)
    texts = {
        "Before the coöperatie announced it, may I post?": "Before the coöperatie announce",
        "Café news, confidential: mag ik dit delen?": "confidential",
        long + " Het is nog niet bekend.": "nog niet bekend",
    }
    in_full = _reading(tuple(range(len(_signs()))))
    for text, sign in texts.items():
        assert [c.text for c in risk_cues(text)] == [sign]
        assert [(c.start, c.end) for c in risk_cues(text)] == [
            m.span() for m in in_full.finditer(text.lower())
        ]


def test_a_sign_is_given_to_re2_only_as_wide_as_re_reads_it() -> None:
    # RE2's \b and \w know only ASCII: a boundary is left out, a word character widened.
    assert _loosened(r"\bthe \w+\b (said|\.)") == r"the [\pL\pN_]+ (said|\.)"
    # What it cannot widen so is refused, and that sign read by `re` in every question.
    for narrower in (r"\d+ days", r"in\sfull", r"\Bing", r"[\w-]+ said", r"x[ \b]"):
        with pytest.raises(re2.error):
            _loosened(narrower)


def test_a_text_whose_lower_case_is_longer_is_read_in_full() -> None:
    # "İ" lower-cases to two characters: the text is read as written, ignoring case.
    assert [c.text for c in risk_cues("İstanbul plans: CONFIDENTIAL, not announced yet")] == [
        "CONFIDENTIAL",
        "not announced",
    ]
    assert risk_cues("İstanbul in the snow, may I post it?") == ()
