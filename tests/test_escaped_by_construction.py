"""Text from a policy or a person reaches Slack escaped, whatever path it takes: a version
label such as `2027.<!channel>` shows as text in an answer, in `/policy adopted` and on the
Home tab, and never pings the channel."""

from __future__ import annotations

import json

from runtime.fakeslack.inbound import app_home_opened_event
from tests.driver import ADMIN, SlackDriver
from tests.samples import sample_policy_data
from tests.seed import adopt

LABEL = "2027.<!channel>"


def _everything_posted(running: SlackDriver) -> str:
    return "\n".join(json.dumps(call.args) for call in running.fake.calls)


def test_a_hostile_version_label_never_pings(running: SlackDriver) -> None:
    data = sample_policy_data()
    data["version"] = LABEL
    data["organisation"] = "Gemeente <!here> & co"
    adopt(running.db, data)

    running.command("UEMP0002", "check Call Jan on 06-12345678")
    assert "2027.&lt;!channel&gt;" in running.last_reply_text()
    running.command(ADMIN, "adopted")
    assert "2027.&lt;!channel&gt;" in running.last_reply_text()
    running.event(app_home_opened_event("UEMP0002", "D0EMMA"))
    home = json.dumps(running.fake.home_view("UEMP0002"))
    assert "2027.&lt;!channel&gt;" in home

    everything = _everything_posted(running)
    assert "<!channel>" not in everything and "<!here>" not in everything
