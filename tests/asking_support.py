"""Helpers for the asking tests: an adopted policy in the database, and reading answers back.

Plain functions, not fixtures, so tests/conftest.py stays the lead's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml

from bot.policy.validation import parse_policy
from bot.reviewing.versions import Approval, adopt_document
from bot.storage import Database
from tests.engine_fixtures import SAMPLE_POLICY, sample_text


def sample_policy_data() -> dict[str, Any]:
    """The sample municipality's policy as JSON-able data (dates as ISO strings)."""
    data = yaml.safe_load(sample_text(SAMPLE_POLICY))
    return json.loads(json.dumps(data, default=str))


def adopt(db: Database, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Adopt `data` (default: the sample policy) as the next version, as `/policy adopt` does."""
    document = data if data is not None else sample_policy_data()
    approval = Approval(by="College van B&W", on=dt.date(2026, 1, 20), decisions=[])
    with db.session() as session:
        adopt_document(session, "UADMIN01", parse_policy(document), approval)
    return document


def add_sample_contacts(fake: Any) -> None:
    """The channels and people the sample policy's roles name, so escalations can reach them."""
    fake.add_channel("C0COMMS", "communicatie")
    fake.add_channel("C0WEBCARE", "webcare")
    fake.add_user("U0PERS001", "pers", locale="nl-NL")
    fake.add_user("U0INTEG02", "integriteit", locale="nl-NL")


def blocks_text(blocks: list[dict[str, Any]] | None) -> str:
    """Every text in a list of blocks, joined: what a reader sees."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(found)


def last_reply(running: Any) -> dict[str, Any]:
    """The last answer to a slash command or button (a response_url POST): text and blocks."""
    call = running.fake.last("response_url")
    assert call is not None, "the bot did not answer"
    return call.args


def reply_text(args: dict[str, Any]) -> str:
    return (args.get("text") or "") + "\n" + blocks_text(args.get("blocks"))


def buttons(blocks: list[dict[str, Any]] | None, action_id: str) -> list[dict[str, Any]]:
    """The buttons with `action_id`, in actions blocks and section accessories."""
    found = []
    for block in blocks or []:
        for element in block.get("elements", []) + [block.get("accessory") or {}]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                found.append(element)
    return found
