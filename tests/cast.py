"""The cast of the tests: the workspace every test starts with (`populate`), and the people
and channels the tests name. `tests.driver` passes them on."""

from __future__ import annotations

from runtime.fakeslack import FakeSlack

TEAM = "T0TEST"
APP = "A0POLICY"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
ADMIN = "UADMIN01"  # in POLICYBOT_ADMINS
CARLA = "UCOMMS01"  # the communications lead, once a test grants it (seed.make_lead)
WILLEM, WENDY = "UWG00001", "UWG00002"  # working group, once granted (seed.working_group)
ERIK, EMMA = "UEMP0001", "UEMP0002"  # employees
LEAD, MEMBER, EMPLOYEE = CARLA, WILLEM, EMMA  # by the role they play in a test
GENERAL, DRAFT_CHANNEL = "C0GENERAL", "C0DRAFT"
PEOPLE = (
    (ADMIN, "admin", "en-US"),
    (CARLA, "carla", "en-US"),
    (WILLEM, "willem", "nl-NL"),
    (WENDY, "wendy", "en-GB"),
    (ERIK, "erik", "nl-NL"),
    (EMMA, "emma", "en-US"),
)
# Text that must come out inert wherever the bot shows it.
HOSTILE = "Let's <script>alert('x')</script> {{ 7*7 }} and ping <!channel> now"


def populate(fake: FakeSlack) -> None:
    """The cast and their channels in the stand-in workspace."""
    for user, name, locale in PEOPLE:
        fake.add_user(user, name, locale=locale)
    fake.add_channel(GENERAL, "general")
    fake.add_channel(DRAFT_CHANNEL, "beleid-werkgroep")


def add_sample_contacts(fake: FakeSlack) -> None:
    """The channels and people the sample policy's roles name, so escalations can reach them."""
    fake.add_channel("C0COMMS", "communicatie")
    fake.add_channel("C0WEBCARE", "webcare")
    fake.add_user("U0PERS001", "pers", locale="nl-NL")
    fake.add_user("U0INTEG02", "integriteit", locale="nl-NL")
