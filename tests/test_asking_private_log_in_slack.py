"""The private question log as Slack shows it: `/policy gaps` and `/policy escalations` show
questions masked, and so does the role's view of an escalation and everything relayed to the
role; nothing the bot says to someone other than the asker holds the personal data they
typed. (The asker's own answer echoes their post masked too.)"""

from __future__ import annotations

from bot.asking import question_log
from tests.driver import SlackDriver, add_sample_contacts
from tests.escalating import ask_by_dm, press_ask, role_post
from tests.payloads import text_of
from tests.seed import adopt, make_lead

LEAD = "UCOMMS01"
SECRETS = ["peter.jansen72@gmail.com", "06-12345678", "NL91ABNA0417164300", "Dorpsstraat 12"]
PERSONAL = " ".join(SECRETS)


def everything_the_bot_said(running: SlackDriver, but_not_to: str = "") -> str:
    """Every message, ephemeral and response the bot sent (except those only `but_not_to`
    sees, when given)."""
    said = [text_of(m) for m in running.fake.bot_messages()]
    said += [text_of(call.args) for call in running.fake.calls_for("response_url")]
    said += [
        text_of(call.args)
        for call in running.fake.calls_for("chat.postEphemeral")
        if call.args.get("user") != but_not_to
    ]
    return "\n".join(said)


def test_gaps_show_uncovered_questions_masked(running: SlackDriver) -> None:
    """Questions are logged masked; a row from before that (or one a detector learned to see
    since) is masked again on its way to Slack."""
    adopt(running.db)
    make_lead(running.db)
    with running.db.session() as session:
        for user in ("UEMP0001", "UEMP0002"):
            question_log.log_question(
                session, asker=user, source="dm", kind="search", language="en",
                text=f"dress code for the Christmas party? {PERSONAL}",
                policy_version="2026.1", policy_number=1, covered=False,
            )  # fmt: skip
    running.command(LEAD, "gaps")
    text = running.last_reply_text()
    assert "dress code" in text and "p***@gmail.com" in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_role_and_the_lead_see_the_question_masked(running: SlackDriver) -> None:
    adopt(running.db)
    make_lead(running.db)
    add_sample_contacts(running.fake)
    asked = ask_by_dm(
        running, "UEMP0002", f"may I post this: complaints under our post, from {PERSONAL}"
    )
    press_ask(running, asked)
    post = role_post(running, "C0COMMS")  # the privacy team, by e-mail: via communications
    running.message("UEMP0002", asked.dm, f"Also, her IBAN is {SECRETS[2]}", thread_ts=asked.ts)
    running.message(LEAD, "C0COMMS", "Thanks, we'll look at it", thread_ts=post.ts)
    running.command(LEAD, "escalations")
    lead_view = running.last_reply_text()
    assert "complaints under our post" in lead_view
    assert "complaints under our post" in text_of(post)
    for secret in SECRETS:
        assert secret not in lead_view and secret not in text_of(post), secret
    # Across everything the bot said to anyone, the asker's private view included: masked.
    said = everything_the_bot_said(running)
    for secret in SECRETS:
        assert secret not in said, secret
