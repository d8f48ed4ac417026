"""`policybot shell`: the real app through Bolt dispatch on FakeSlack, driven by scripts.

Subprocess tests run the console script exactly as a person would pipe a script into it;
in-process tests add a demo sub-command (through the router, as capabilities do) to show
buttons, menus and a modal, and record every payload the shell sends.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.i18n import t
from bot.settings import Settings, load_settings
from handlers.kit.mrkdwn import esc
from handlers.router import CommandCall, Subcommand, router_for
from runtime.fakeslack.workspace import BOT_USER_ID
from runtime.shell import repl, run_shell, user_id_for
from runtime.shell.compose import Directory, to_slack
from runtime.shell.harness import Harness
from runtime.shell.mrkdwn import readable

POLICYBOT = Path(sys.executable).with_name("policybot")


def shell(script: str, folder: Path, **env: str) -> str:
    """Pipe `script` into `policybot shell` with its database in `folder`; the transcript."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POLICYBOT_"))}
    clean |= {"DATABASE_URL": f"sqlite:///{folder / 'policybot.db'}", "POLICYBOT_LANGUAGE": "en"}
    result = subprocess.run(
        [str(POLICYBOT), "shell"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,  # no stray .env from the repository
        env=clean | env,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    return result.stdout


# ---- as a person uses it -----------------------------------------------------------------


def test_piped_help_prints_the_help(tmp_path: Path) -> None:
    out = shell("/policy help\n", tmp_path)
    assert "> /policy help" in out  # a transcript: input echoed, no prompt
    assert "@DM>" not in out
    assert "policybot (only you) in DM:" in out
    assert t("en", "help.title") in out
    assert "/policy role" in out


def test_roles_language_dm_and_a_restart(tmp_path: Path) -> None:
    admin = {"POLICYBOT_ADMINS": user_id_for("maria")}
    working_group_nl = t("nl", "role.working_group")
    first = shell(
        "\\as @maria\n"
        "/policy role add @jan working-group\n"
        "\\as jan\n"
        "\\lang nl\n"
        "/policy role list\n"
        "hello bot\n",
        tmp_path,
        **admin,
    )
    assert f"(you are now @maria, user id {user_id_for('maria')})" in first
    added = t("en", "admin.added", user="@jan", role=t("en", "role.working_group"))
    assert added in first  # <@U…> in the bot's text is shown as @jan
    assert t("nl", "admin.list_title") in first  # jan switched to Dutch
    assert f"@jan: {working_group_nl}" in first
    assert "(your message is [#1])" in first
    assert "policybot in DM:" in first  # the bot answered the DM
    assert (tmp_path / "policybot-shell.json").is_file()

    second = shell("/policy role list\n\\thread 1\n", tmp_path, **admin)
    assert "continuing from policybot-shell.json" in second
    assert "You are @jan in DM" in second
    assert f"@jan: {working_group_nl}" in second  # the grant is in the database
    assert "[#1] you:\n  hello bot" in second  # the fake's messages came back too


def test_user_ids_are_stable_and_accepted_as_admins() -> None:
    assert user_id_for("Maria") == user_id_for("@maria") == user_id_for("maria")
    assert user_id_for("maria") != user_id_for("jan")
    assert re.fullmatch(r"U[A-Z2-7]{10}", user_id_for("maria"))
    settings = load_settings({"POLICYBOT_ADMINS": user_id_for("maria")}, env_file=Path("/none"))
    assert settings.admins == {user_id_for("maria")}


# ---- Slack's text both ways ----------------------------------------------------------------


def test_mrkdwn_is_shown_readably() -> None:
    names = {"U1": "maria", "C1": "general", "S1": "@comms"}.get
    text = "<@U1> in <#C1|general>, <#C1> and <!subteam^S1|@comms>: 1 &lt; 2 &amp;&amp; <!here>"
    assert readable(text, names) == "@maria in #general, #general and @comms: 1 < 2 && @here"
    assert readable("<https://x.org|the site>", names) == "the site (https://x.org)"


def test_typed_text_is_encoded_as_slack_sends_it() -> None:
    directory = Directory(
        user=lambda name: {"policybot": "UBOT"}.get(name, "U" + name.upper()),
        usergroup=lambda handle: "S1" if handle == "comms" else None,
        channel=lambda name: "C1" if name == "general" else None,
    )
    typed = "@policybot ask @comms & @jan in #general or #nowhere <b> a@b.nl"
    assert to_slack(typed, directory) == (
        "<@UBOT> ask <!subteam^S1|@comms> &amp; <@UJAN> in <#C1|general> or #nowhere "
        "&lt;b&gt; a@b.nl"
    )
    assert to_slack("add @jan", directory, labelled=True) == "add <@UJAN|jan>"


# ---- buttons, menus, modals, events: with a demo sub-command ------------------------------

FORM = {
    "type": "modal",
    "callback_id": "demo_form",
    "title": {"type": "plain_text", "text": "Demo form"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "title",
            "label": {"type": "plain_text", "text": "Title"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "kind",
            "label": {"type": "plain_text", "text": "Kind"},
            "element": {
                "type": "static_select",
                "action_id": "choice",
                "options": [
                    {"text": {"type": "plain_text", "text": "Purpose"}, "value": "purpose"},
                    {"text": {"type": "plain_text", "text": "Scope"}, "value": "scope"},
                ],
            },
        },
    ],
}


def demo_blocks(user_id: str) -> list[dict[str, Any]]:
    def button(text: str, action_id: str, value: str) -> dict[str, Any]:
        label = {"type": "plain_text", "text": text}
        return {"type": "button", "text": label, "action_id": action_id, "value": value}

    select = {
        "type": "static_select",
        "action_id": "demo_section",
        "placeholder": {"type": "plain_text", "text": "Section"},
        "options": FORM["blocks"][1]["element"]["options"],
    }
    mention = f"<@{user_id}> &lt;3 <!subteam^SNOBODY|@comms>"
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Demo"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "Which *section*?"}},
        {
            "type": "actions",
            "block_id": "demo_actions",
            "elements": [
                button("Next", "demo_next", "n1"),
                button("Skip", "demo_skip", "s"),
                select,
                button("Open form", "demo_form", "f"),
            ],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": mention}]},
    ]


def add_demo(app: App) -> None:
    def demo(call: CommandCall) -> None:
        call.ctx.slack.post(call.channel_id, esc("Demo"), demo_blocks(call.ctx.user_id or ""))

    def boom(call: CommandCall) -> None:
        raise RuntimeError("kaboom\nsecond line")

    router = router_for(app)
    router.add(Subcommand("demo", demo, help="help.help"))
    router.add(Subcommand("boom", boom, help="help.help"))

    @app.action("demo_next")
    def pressed(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        action = body["actions"][0]
        container = body["container"]
        respond(f"next {action['value']} from {action['block_id']} on a {container['type']}")

    @app.action("demo_section")
    def chosen(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        picked = body["actions"][0]["selected_option"]["value"]
        ts = body["container"]["message_ts"]
        client.chat_postMessage(channel=body["channel"]["id"], thread_ts=ts, text=f"on {picked}")

    @app.action("demo_form")
    def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=FORM)

    @app.view("demo_form")
    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = view["state"]["values"]
        title = values["title"]["value"]["value"]
        if title == "bad":
            ack(response_action="errors", errors={"title": "Too short"})
            return
        ack()
        kind = values["kind"]["choice"]["selected_option"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=f"got {title} / {kind}")


class DemoHarness(Harness):
    """The shell's harness plus the demo listeners, recording every payload it sends."""

    last: DemoHarness | None = None

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        add_demo(self.app)
        self.sent: list[dict[str, Any]] = []
        DemoHarness.last = self

    def event(self, envelope: dict[str, Any]) -> Any:
        self.sent.append(envelope["event"])
        return super().event(envelope)

    def interaction(self, payload: dict[str, Any]) -> Any:
        self.sent.append(payload)
        return super().interaction(payload)


@pytest.fixture
def run_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(repl, "Harness", DemoHarness)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", language="en")

    def run(script: str) -> str:
        out = io.StringIO()
        assert run_shell(settings, io.StringIO(script), out, interactive=False) == 0
        return out.getvalue()

    return run


def test_buttons_and_menus_are_numbered_choices_that_pick_sends(run_demo) -> None:  # type: ignore[no-untyped-def]
    out = run_demo("\\as maria\n\\channel #demo\n/policy demo\n\\pick 1\n\\pick 3\n\\3 2\n")
    assert "[#1] policybot in #demo:\n  # Demo\n  Which *section*?\n  [1] Next  [2] Skip\n" in out
    assert "  [3] Section (choose one: \\pick N M)\n      1) Purpose\n      2) Scope\n" in out
    assert "  [4] Open form\n  ---\n  › @maria <3 @comms\n" in out
    assert "policybot (only you) in #demo:\n  next n1 from demo_actions on a message" in out
    assert "! say which option: \\pick 3 M" in out
    assert "[#2] policybot in #demo, thread [#1]:\n  on scope" in out

    press = next(p for p in DemoHarness.last.sent if p.get("type") == "block_actions")
    assert press["message"]["ts"] == press["container"]["message_ts"]
    assert press["channel"]["name"] == "demo" and press["response_url"]


def test_a_modal_opens_rejects_and_accepts_a_submission(run_demo) -> None:  # type: ignore[no-untyped-def]
    out = run_demo(
        "\\as maria\n/policy demo\n\\pick 4\n"
        "\\submit\ntitle: bad\nkind: 2\n\n"
        "\\submit\nTitle: Good one\nkind: Scope\n\n"
        "\\submit\n"
    )
    assert "=== modal: Demo form ===" in out
    assert "field 1: Title (plain text input)" in out
    assert "(the form was not accepted)\n  ✗ Title: Too short" in out
    assert "(modal closed)" in out
    assert "policybot in DM:\n  got Good one / scope" in out
    assert "! no modal is open" in out
    submission = [p for p in DemoHarness.last.sent if p.get("type") == "view_submission"][-1]
    values = submission["view"]["state"]["values"]
    assert values["title"]["value"] == {"type": "plain_text_input", "value": "Good one"}
    assert values["kind"]["choice"]["selected_option"]["value"] == "scope"


def test_messages_mentions_threads_edits_and_deletes_become_events(run_demo) -> None:  # type: ignore[no-untyped-def]
    out = run_demo(
        "\\as maria\n\\channel #general\nhi @policybot\n\\thread 1\nin the thread\n"
        "\\back\n\\edit 2 changed\n\\delete 2\n\\as jan\n\\delete 1\n\\as maria\n\\dm\nhello\n"
    )
    assert "! you can only delete your own messages; [#1] is not yours" in out
    first = DemoHarness.last
    mine = re.findall(r"\(your message is \[#(\d+)\]\)", out)[-1]
    run_demo(f"\\edit {mine} hello again\n")  # numbers survive the restart

    def events(harness: DemoHarness) -> list[dict[str, Any]]:
        return [e for e in harness.sent if "channel" in e and "event_ts" in e]

    mention, channel_message, reply, changed, deleted, dm = events(first)
    assert mention["type"] == "app_mention" and mention["text"] == f"hi <@{BOT_USER_ID}>"
    assert channel_message["channel_type"] == "channel" and channel_message["ts"] == mention["ts"]
    assert reply["thread_ts"] == mention["ts"] and reply["text"] == "in the thread"
    assert changed["subtype"] == "message_changed"
    assert (changed["previous_message"]["text"], changed["message"]["text"]) == (
        "in the thread",
        "changed",
    )
    assert deleted["subtype"] == "message_deleted" and deleted["deleted_ts"] == reply["ts"]
    assert dm["channel_type"] == "im" and dm["channel"].startswith("D") and dm["text"] == "hello"
    [dm_edit] = events(DemoHarness.last)
    assert dm_edit["message"]["text"] == "hello again" and dm_edit["channel"] == dm["channel"]


def test_app_errors_are_one_line_never_a_traceback(run_demo) -> None:  # type: ignore[no-untyped-def]
    out = run_demo("/policy boom\n\\nonsense\n\\pick 9\n/other\n")
    assert "! bot: /policy boom failed: RuntimeError: kaboom" in out
    assert t("en", "common.failed") in out  # what the user is told, in their language
    assert "second line" not in out and "Traceback" not in out
    assert "! unknown command \\nonsense" in out
    assert "! there is no choice [9]" in out
    assert "! /other is not a valid command" in out


def test_home_tab_and_shortcut(run_demo) -> None:  # type: ignore[no-untyped-def]
    out = run_demo("\\as maria\n\\lang en\n\\home\nsomething to check\n\\shortcut 1\n")
    assert "=== home tab ===" in out
    shortcut = next(p for p in DemoHarness.last.sent if p.get("type") == "message_action")
    assert shortcut["callback_id"] == "check_against_policy"
    assert shortcut["message"]["text"] == "something to check"


def test_reminders_in_the_shell(tmp_path: Path) -> None:
    """A section's owner is reminded in the shell too: its background loop runs the scheduled
    work, and `\\tick` runs what is due at once (the real clock: any day, any hour here)."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    out = shell(
        f"\\as @maria\n/policy plan identity @jan {today}\n\\tick\n",
        tmp_path,
        POLICYBOT_ADMINS=user_id_for("maria"),
        POLICYBOT_WORKING_DAYS="mon-sun",
        POLICYBOT_QUIET_HOURS="",
        # `today` above is UTC's day: the bot's too (in its default, Amsterdam, the date
        # was the day before the bot's from 23:00 UTC, and no reminder was sent).
        POLICYBOT_TIMEZONE="UTC",
    )
    assert "policybot in DM with @jan:" in out
    assert "A reminder: the section *Our online identity* you own is due" in out
    assert "(scheduled work:" in out or "another instance" in out
