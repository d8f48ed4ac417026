"""Helpers for the reviewing tests: a draft in the database, and reading the bot's answers.

Plain functions, not fixtures, so tests/conftest.py stays the lead's. State is put in the
database the way the bot itself stores it (contributions as the drafting threads record them,
the sample policy through the same import the CLI uses); what the bot did is read back from
the fake Web API's record.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bot import people
from bot.policy.yaml_io import load_policy_yaml
from bot.reviewing.draft import replace_draft
from bot.storage import Database
from bot.storage.models.drafting import Contribution

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = SHARED / "samples" / "gemeente-voorbeeld.policy.yml"
LEAD = "UCOMMS01"
ADMIN = "UADMIN01"
MEMBER = "UWG00001"
EMPLOYEE = "UEMP0002"
HOSTILE = "Let's <script>alert('x')</script> {{ 7*7 }} and ping <!channel> now"

_counter = iter(range(1, 1_000_000))


def make_lead(db: Database, user: str = LEAD) -> None:
    with db.session() as session:
        people.grant(session, ADMIN, user, people.COMMS_LEAD)


def make_member(db: Database, user: str = MEMBER) -> None:
    with db.session() as session:
        people.grant(session, ADMIN, user, people.WORKING_GROUP)


def load_sample_draft(db: Database) -> None:
    """The sample municipality's policy as the draft (what `policybot policy import` does)."""
    doc = load_policy_yaml(SAMPLE.read_text(encoding="utf-8"))
    with db.session() as session:
        replace_draft(session, doc, "test")


def add_contribution(
    db: Database,
    section: str,
    question: str,
    author: str,
    text: str,
    *,
    review: str = "pending",
    minutes: int = 0,
) -> int:
    """A reply in a drafting thread, as the drafting capability records it."""
    n = next(_counter)
    with db.session() as session:
        row = Contribution(
            section_id=section,
            question_id=question,
            author=author,
            text=text,
            channel="C0DRAFT",
            message_ts=f"1700000000.{n:06d}",
            review=review,
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes),
        )
        session.add(row)
        session.flush()
        return row.id


def blocks_text(blocks: list[dict[str, Any]] | None) -> str:
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


def replies(running: Any) -> list[dict[str, Any]]:
    """Every answer posted to a response_url, oldest first."""
    return [call.args for call in running.fake.calls_for("response_url")]


def reply_text(args: dict[str, Any]) -> str:
    return (args.get("text") or "") + "\n" + blocks_text(args.get("blocks"))


def all_reply_text(running: Any) -> str:
    return "\n".join(reply_text(r) for r in replies(running))


def find_button(running: Any, action_id: str, contains: str | None = None) -> dict[str, Any]:
    """The newest button with `action_id` in any answer (whose value contains `contains`)."""
    for args in reversed(replies(running)):
        for block in args.get("blocks") or []:
            elements = list(block.get("elements") or [])
            if block.get("accessory"):
                elements.append(block["accessory"])
            for element in elements:
                if element.get("action_id") != action_id:
                    continue
                if contains is None or contains in element.get("value", ""):
                    return element
    raise AssertionError(f"no {action_id} button in the answers")


def click(running: Any, user: str, element: dict[str, Any], channel: str = "C0GENERAL") -> Any:
    return running.slack.block_action(
        user,
        {"action_id": element["action_id"], "value": element.get("value", "")},
        channel=channel,
    )


def opened_view(running: Any) -> dict[str, Any]:
    """The modal the bot opened last, as the fake stored it (with its id)."""
    call = running.fake.last("views.open")
    assert call is not None and call.ok, f"no modal was opened: {call}"
    return call.response["view"]


def input_value(view: dict[str, Any], block_id: str) -> Any:
    for block in view["blocks"]:
        if block.get("block_id") == block_id:
            element = block["element"]
            return element.get("initial_value", element.get("initial_option"))
    raise AssertionError(f"no input {block_id} in the modal")


def text_value(value: str) -> dict[str, Any]:
    return {"a": {"type": "plain_text_input", "value": value}}


def select_value(value: str | None) -> dict[str, Any]:
    option = {"value": value} if value is not None else None
    return {"a": {"type": "static_select", "selected_option": option}}


def multi_value(values: list[str], kind: str = "multi_static_select") -> dict[str, Any]:
    return {"a": {"type": kind, "selected_options": [{"value": v} for v in values]}}


def submit(running: Any, user: str, view: dict[str, Any], values: dict[str, Any]) -> Any:
    answer = running.slack.view_submission(user, view, values)
    assert answer.status == 200, answer.body
    return answer.json() if answer.body else None


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    return json.loads(view.get("private_metadata") or "{}")
