"""An in-process stand-in for Slack: the Web API (`FakeSlack`) and the requests Slack sends
to an app (`inbound` payloads, `signing`). Used by `policybot shell` and by the tests."""

from runtime.fakeslack.activity import Activity
from runtime.fakeslack.fake import FakeSlack
from runtime.fakeslack.records import Call
from runtime.fakeslack.workspace import Ephemeral, Message, UploadedFile

__all__ = ["Activity", "Call", "Ephemeral", "FakeSlack", "Message", "UploadedFile"]
