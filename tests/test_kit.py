"""The shared kit: text escaped by construction, the catalogue's values escaped, and typed
payloads that refuse what the bot did not make."""

from __future__ import annotations

import pytest

from handlers.kit import mrkdwn
from handlers.kit.catalogue import plain, say
from handlers.kit.mrkdwn import Mrkdwn, esc
from handlers.kit.payloads import (
    AskRole,
    ContributionRef,
    PayloadError,
    QuestionRef,
    RuleForm,
    RuleRef,
)

PING = "2027.<!channel>"


def test_escaping_is_idempotent_and_leaves_no_markup() -> None:
    once = esc("a <!channel> & <@U123>")
    assert once == "a &lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert esc(once) == once  # Slack sends text already escaped: never &amp;lt;
    assert isinstance(once, Mrkdwn)


def test_pieces_put_together_stay_safe() -> None:
    label = mrkdwn.bold("Rule")
    assert label + PING == "*Rule*2027.&lt;!channel&gt;"
    assert mrkdwn.fmt("*{}* by {}", PING, mrkdwn.user("U0ANNA")) == (
        "*2027.&lt;!channel&gt;* by <@U0ANNA>"
    )
    assert mrkdwn.join(", ", [PING, mrkdwn.channel("C0GEN")]) == "2027.&lt;!channel&gt;, <#C0GEN>"
    assert mrkdwn.lines(["<b>", mrkdwn.code("x`y")]) == "&lt;b&gt;\n`xy`"


def test_markup_is_made_only_of_what_it_claims_to_be() -> None:
    assert mrkdwn.user("U0ANNA") == "<@U0ANNA>"
    assert mrkdwn.user("<!here>") == "&lt;!here&gt;"  # not a user id: shown as text
    assert mrkdwn.channel("C0GEN") == "<#C0GEN>" and mrkdwn.channel("#general") == "#general"
    assert mrkdwn.usergroup("S0TEAM") == "<!subteam^S0TEAM>"
    assert (
        mrkdwn.link("https://x.example/a?b=1&c=2", "see") == "<https://x.example/a?b=1&amp;c=2|see>"
    )
    assert mrkdwn.link("javascript:alert(1)", "see") == "see"
    assert mrkdwn.mailto("a@b.nl") == "<mailto:a@b.nl|a@b.nl>"


def test_user_references_become_mentions_only_for_people_vouched_for() -> None:
    text = "ask @U0ANNA1 or @U999EVIL1 or <!channel>"
    shown = mrkdwn.shown(text, people={"U0ANNA1"})
    assert shown == "ask <@U0ANNA1> or @U999EVIL1 or &lt;!channel&gt;"
    assert mrkdwn.shown(text) == "ask @U0ANNA1 or @U999EVIL1 or &lt;!channel&gt;"


def test_cutting_never_breaks_an_entity_or_a_mention() -> None:
    text = esc("ab<cd") + mrkdwn.user("U0ANNA")
    for limit in range(1, len(text) + 1):
        cut = text.cut(limit)
        assert len(cut) <= limit
        assert "&l…" not in cut and "&lt…" not in cut and "<@U0" not in cut.replace("<@U0ANNA>", "")
    assert mrkdwn.split(Mrkdwn("word " * 1000), 300)[0].endswith("word")


def test_catalogue_values_are_escaped_unless_they_are_markup() -> None:
    said = say("en", "reviewing.saved_text", title=PING)
    assert "<!channel>" not in said and "&lt;!channel&gt;" in said
    said = say("en", "admin.added", user=mrkdwn.user("U0ANNA"), role="working group")
    assert said.startswith("<@U0ANNA>")
    assert plain("en", "reviewing.saved_text", title=PING).count("<!channel>") == 1  # plain_text


def test_payloads_come_back_as_they_were_made() -> None:
    for payload in (
        AskRole(12, "webcare", "C0GEN", "1700000000.000100"),
        AskRole(12, "webcare"),
        QuestionRef(3, 0),
        ContributionRef(7, "purpose", 2),
        RuleRef("purpose", None, 1),
        RuleForm(reply_url="https://hooks.example/1", channel=None, rule=4),
    ):
        assert type(payload).decode(payload.encode()) == payload


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "purpose",  # a value from before payloads had kinds
        '{"c": 1, "s": "purpose"}',
        '{"k":"rule","section":"purpose","rule":1}',  # another kind of value
        '{"k":"contribution","contribution":"1","section":"purpose"}',  # a number as text
        '{"k":"contribution","contribution":true,"section":"purpose"}',
        '{"k":"contribution","section":"purpose"}',  # missing
        '{"k":"contribution","contribution":1,"section":"purpose","admin":true}',  # made up
        "[1, 2]",
    ],
)
def test_a_value_the_bot_did_not_make_is_refused(raw: str | None) -> None:
    with pytest.raises(PayloadError):
        ContributionRef.decode(raw)
