"""What Slack's answer about the role modal's contact means for the role
(`bot.reviewing.contacts.contact_to_store`): plain data in, the contact to store or none."""

from __future__ import annotations

from bot.directory import CHANNEL, USER, USERGROUP
from bot.reviewing.contacts import AskedContact, SlackSaid, StoredContact, contact_to_store

LOTTE = StoredContact("@U0LOTTE01", "U0LOTTE01", USER, "lotte")


def test_a_typed_name_is_stored_as_what_goes_by_it_or_refused_unless_a_channel() -> None:
    typed = AskedContact("@lotte", "", "", typed=True)
    assert contact_to_store(typed, SlackSaid(found=LOTTE)) == LOTTE
    assert contact_to_store(typed, SlackSaid()) is None
    channel = AskedContact("#communicatie", "", "", typed=True)
    assert contact_to_store(channel, SlackSaid()) == StoredContact("#communicatie")


def test_a_typed_id_slack_does_not_know_is_refused_a_picked_one_is_trusted() -> None:
    for kind, contact in ((USER, "@U0NOBODY9"), (USERGROUP, "S0NOBODY99")):
        slack_id = contact.lstrip("@")
        typed = AskedContact(contact, slack_id, kind, typed=True)
        picked = AskedContact(contact, slack_id, kind, typed=False)
        assert contact_to_store(typed, SlackSaid(known=False)) is None
        assert contact_to_store(picked, SlackSaid(known=False)) == StoredContact(
            contact, slack_id, kind
        )
        known = contact_to_store(typed, SlackSaid(known=True, name="x"))
        assert known == StoredContact(contact, slack_id, kind, "x")


def test_what_slack_would_not_say_is_trusted() -> None:
    """A user group list Slack refused, a channel the bot cannot see: stored, without a name."""
    group = AskedContact("S0WEBCARE1", "S0WEBCARE1", USERGROUP, typed=True)
    assert contact_to_store(group, SlackSaid()) == StoredContact(
        "S0WEBCARE1", "S0WEBCARE1", USERGROUP
    )
    channel = AskedContact("#C0SECRET01", "C0SECRET01", CHANNEL, typed=True)
    assert contact_to_store(channel, SlackSaid()) == StoredContact(
        "#C0SECRET01", "C0SECRET01", CHANNEL
    )
