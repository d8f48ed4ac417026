"""The consolidation modals: their Block Kit, reading their values back, and field errors.

Every modal's `callback_id` and every `action_id` starts with `review_`. An input block's
`block_id` is the name of the policy field it edits, so the format's issues (`rule.verdict`)
land next to the right field (`response_action: errors`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack

from bot.consolidation import field_of
from bot.policy.model import DETECTORS, FormatIssue
from bot.vocabulary import VERDICTS
from handlers.blocks import Block, context, option, section
from handlers.context import RequestContext
from handlers.slack_text import esc

INPUT_LIMIT = 3000  # Slack's maximum length of a plain_text_input
TEXT_PARTS = 10  # a section text longer than one input is edited in parts
METADATA_LIMIT = 3000

TEXT_MODAL = "review_text_modal"
RULE_MODAL = "review_rule_modal"
ROLE_MODAL = "review_role_modal"
GROUP_MODAL = "review_group_modal"
SETTINGS_MODAL = "review_settings_modal"


# -- small builders -------------------------------------------------------------------------
def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150] or " ", "emoji": True}


def modal(
    ctx: RequestContext,
    callback_id: str,
    title_key: str,
    blocks: list[Block],
    metadata: dict[str, Any],
    submit_key: str | None = "reviewing.modal_save",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": ctx.t(title_key)[:24]},
        "close": {"type": "plain_text", "text": ctx.t("reviewing.modal_cancel")[:24]},
        "blocks": blocks[:100],
        "private_metadata": json.dumps(metadata)[:METADATA_LIMIT],
    }
    if submit_key:
        view["submit"] = {"type": "plain_text", "text": ctx.t(submit_key)[:24]}
    return view


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def text_input(
    block_id: str,
    label: str,
    initial: str | None = None,
    *,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    max_length: int = INPUT_LIMIT,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": f"review_in_{block_id}",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def select_input(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: str | None,
    placeholder: str,
    *,
    optional: bool = False,
) -> Block:
    options = [option(text, value) for text, value in choices][:100]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": f"review_in_{block_id}",
        "placeholder": plain(placeholder),
        "options": options,
    }
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }


def multi_input(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: list[str],
    placeholder: str,
    *,
    checkboxes: bool = False,
) -> Block:
    options = [option(text, value) for text, value in choices][:100]
    element: dict[str, Any] = {"action_id": f"review_in_{block_id}", "options": options}
    if checkboxes:
        element["type"] = "checkboxes"
    else:
        element["type"] = "multi_static_select"
        element["placeholder"] = plain(placeholder)
    chosen = [o for o in options if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": True,
    }


# -- reading submitted values ---------------------------------------------------------------
def values_of(view: dict[str, Any]) -> dict[str, Any]:
    """{block_id: value}: text for inputs, the value for selects, a list for multi-selects."""
    found: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            kind = element.get("type")
            if kind == "plain_text_input":
                found[block_id] = element.get("value") or ""
            elif kind in ("static_select", "external_select"):
                found[block_id] = (element.get("selected_option") or {}).get("value")
            elif kind in ("multi_static_select", "checkboxes"):
                found[block_id] = [o.get("value") for o in element.get("selected_options") or []]
            elif kind == "datepicker":
                found[block_id] = element.get("selected_date")
            elif kind == "conversations_select":
                found[block_id] = element.get("selected_conversation")
            elif kind == "channels_select":
                found[block_id] = element.get("selected_channel")
            else:
                found[block_id] = element.get("value")
    return found


# -- errors next to the field ---------------------------------------------------------------
_TRANSLATED = (
    (re.compile(r"^is required when the verdict is review"), "reviewing.error_review_role"),
    (re.compile(r"^(is required|must not be empty)"), "reviewing.error_required"),
    (re.compile(r"is already the id of another"), "reviewing.error_taken_any"),
    (re.compile(r"the id cannot change"), "reviewing.error_id_in_use"),
    (re.compile(r"is not a short id"), "reviewing.error_id"),
    (re.compile(r"is not a contact"), "reviewing.error_contact"),
    (re.compile(r"is not a Slack user group"), "reviewing.error_usergroup"),
    (re.compile(r"is not a valid regular expression: (?P<detail>.*)"), "reviewing.error_pattern"),
    (re.compile(r"is not a role id"), "reviewing.error_role"),
    (re.compile(r"is not a group id"), "reviewing.error_group"),
)


def issue_text(ctx: RequestContext, issue: FormatIssue) -> str:
    """The format's message in the asker's language where we know it, else as the format says."""
    for pattern, key in _TRANSLATED:
        found = pattern.search(issue.message)
        if found:
            return ctx.t(key, **found.groupdict())
    return issue.message


def field_errors(
    ctx: RequestContext,
    issues: list[FormatIssue],
    blocks: list[Block],
    aliases: dict[str, str] | None = None,
) -> dict[str, str]:
    """{block_id: message} for Slack; an issue whose field has no block goes to the first."""
    present = [b.get("block_id") for b in blocks if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for issue in issues:
        name = field_of(issue)
        name = (aliases or {}).get(name, name)
        block_id = name if name in present else (present[0] if present else name)
        text = issue_text(ctx, issue)
        errors[block_id] = f"{errors[block_id]} {text}" if block_id in errors else text
    return {k: v[:150] for k, v in errors.items() if k}


def ack_field_errors(
    ctx: RequestContext, ack: Ack, view: dict[str, Any], issues: list[FormatIssue], **aliases: str
) -> None:
    """Keep the modal open with each issue next to its field (`aliases` maps a field the modal
    has no block for to the block that should show it)."""
    ack(response_action="errors", errors=field_errors(ctx, issues, view["blocks"], aliases))


# -- the modals -----------------------------------------------------------------------------
def split_for_inputs(text: str, limit: int = INPUT_LIMIT) -> list[str]:
    """Paragraphs packed into pieces that each fit one text input; joined again with a blank
    line, so a text that fits in one input comes back exactly as it was."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        while len(paragraph) > limit:  # one enormous paragraph: cut it at a line or space
            cut = max(paragraph.rfind("\n", 0, limit), paragraph.rfind(" ", 0, limit))
            cut = cut if cut > 0 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(paragraph[:cut].rstrip())
            paragraph = paragraph[cut:].lstrip()
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = paragraph
    if current:
        parts.append(current)
    return parts


def text_modal(
    ctx: RequestContext, section_id: str, title: str, text: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    parts = split_for_inputs(text)
    blocks: list[Block] = [
        text_input("title", ctx.t("reviewing.field_title"), title, max_length=255),
    ]
    count = min(TEXT_PARTS, len(parts) + (1 if len(parts) > 1 else 0))
    for index in range(max(count, 1)):
        label = ctx.t("reviewing.field_text")
        if count > 1:
            label = f"{label} ({index + 1}/{count})"
        blocks.append(
            text_input(
                f"text_{index}",
                label,
                parts[index] if index < len(parts) else None,
                multiline=True,
                optional=True,
                hint=ctx.t("reviewing.field_text_hint") if index == 0 else None,
            )
        )
    return modal(
        ctx,
        TEXT_MODAL,
        "reviewing.modal_text_title",
        blocks,
        metadata | {"s": section_id},
    )


def text_from(values: dict[str, Any]) -> str:
    parts = [
        str(values[k]).strip("\n")
        for k in sorted((k for k in values if k.startswith("text_")), key=lambda k: int(k[5:]))
        if str(values[k] or "").strip()
    ]
    return "\n\n".join(parts)


def verdict_choices(ctx: RequestContext) -> list[tuple[str, str]]:
    return [(ctx.t(f"reviewing.doc.verdict_{v}"), v) for v in VERDICTS]


def rule_modal(
    ctx: RequestContext,
    rule: dict[str, Any],
    sections: list[tuple[str, str]],
    roles: list[tuple[str, str]],
    groups: list[tuple[str, str]],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    pick = ctx.t("reviewing.pick")
    blocks: list[Block] = [
        text_input("id", ctx.t("reviewing.field_rule_id"), rule.get("id"), max_length=64),
        select_input(
            "verdict",
            ctx.t("reviewing.field_verdict"),
            verdict_choices(ctx),
            rule.get("verdict"),
            pick,
        ),
        text_input("text", ctx.t("reviewing.field_rule_text"), rule.get("text"), multiline=True),
        select_input(
            "section",
            ctx.t("reviewing.field_section"),
            sections,
            rule.get("section"),
            pick,
            optional=True,  # the format allows a rule outside any section
        ),
    ]
    if roles:
        blocks.append(
            select_input(
                "role", ctx.t("reviewing.field_role"), roles, rule.get("role"), pick, optional=True
            )
        )
    if groups:
        blocks.append(
            multi_input(
                "applies_to",
                ctx.t("reviewing.field_groups"),
                groups,
                rule.get("applies_to", []),
                pick,
            )
        )
    blocks += [
        text_input(
            "keywords",
            ctx.t("reviewing.field_keywords"),
            "\n".join(rule.get("keywords", [])),
            multiline=True,
            optional=True,
        ),
        text_input(
            "unless",
            ctx.t("reviewing.field_unless"),
            "\n".join(rule.get("unless", [])),
            multiline=True,
            optional=True,
        ),
        multi_input(
            "detect",
            ctx.t("reviewing.field_detect"),
            [(d, d) for d in DETECTORS],
            rule.get("detect", []),
            pick,
            checkboxes=True,
        ),
        text_input(
            "patterns",
            ctx.t("reviewing.field_patterns"),
            "\n".join(rule.get("patterns", [])),
            multiline=True,
            optional=True,
        ),
    ]
    return modal(ctx, RULE_MODAL, "reviewing.modal_rule_title", blocks, metadata)


def role_modal(ctx: RequestContext, role: dict[str, Any], metadata: dict[str, Any]) -> dict:
    blocks: list[Block] = [
        text_input("id", ctx.t("reviewing.field_role_id"), role.get("id"), max_length=64),
        text_input("name", ctx.t("reviewing.field_role_name"), role.get("name"), max_length=255),
        text_input(
            "contact", ctx.t("reviewing.field_contact"), role.get("contact"), max_length=255
        ),
        text_input(
            "handles", ctx.t("reviewing.field_handles"), role.get("handles"), multiline=True
        ),
        text_input(
            "keywords",
            ctx.t("reviewing.field_keywords"),
            "\n".join(role.get("keywords", [])),
            multiline=True,
            optional=True,
        ),
    ]
    return modal(ctx, ROLE_MODAL, "reviewing.modal_role_title", blocks, metadata)


def group_modal(
    ctx: RequestContext,
    group: dict[str, Any],
    usergroups: list[tuple[str, str]] | None,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    slack = str(group.get("slack") or "")
    blocks: list[Block] = [
        text_input("id", ctx.t("reviewing.field_group_id"), group.get("id"), max_length=64),
        text_input("name", ctx.t("reviewing.field_group_name"), group.get("name"), max_length=255),
    ]
    known = {value for _, value in usergroups or []}
    if usergroups:
        blocks.append(
            select_input(
                "slack",
                ctx.t("reviewing.field_usergroup"),
                usergroups,
                slack if slack in known else None,
                ctx.t("reviewing.pick"),
                optional=True,
            )
        )
    else:
        blocks.append(context(ctx.t("reviewing.usergroups_unavailable")))
    blocks.append(
        text_input(
            "slack_typed",
            ctx.t("reviewing.field_usergroup_typed"),
            slack if slack and slack not in known else None,
            optional=True,
            max_length=128,
        )
    )
    return modal(ctx, GROUP_MODAL, "reviewing.modal_group_title", blocks, metadata)


def settings_modal(
    ctx: RequestContext,
    current: Any,
    roles: list[tuple[str, str]],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    pick = ctx.t("reviewing.pick")
    blocks: list[Block] = [
        text_input(
            "organisation",
            ctx.t("reviewing.field_organisation"),
            current.organisation,
            max_length=255,
        ),
        select_input(
            "language",
            ctx.t("reviewing.field_language"),
            [(ctx.t("reviewing.language_nl"), "nl"), (ctx.t("reviewing.language_en"), "en")],
            current.language,
            pick,
        ),
        text_input(
            "version",
            ctx.t("reviewing.field_version_label"),
            current.version,
            optional=True,
            max_length=64,
        ),
        select_input(
            "default_verdict",
            ctx.t("reviewing.field_default_verdict"),
            [(ctx.t(f"reviewing.doc.verdict_{v}"), v) for v in ("allowed", "review")],
            current.default_verdict or "allowed",
            pick,
        ),
    ]
    if roles:
        blocks.append(
            select_input(
                "default_role",
                ctx.t("reviewing.field_default_role"),
                roles,
                current.default_role,
                pick,
            )
        )
    else:
        blocks.append(section(ctx.t("reviewing.no_roles_for_default")))
    blocks.append(
        text_input(
            "decisions",
            ctx.t("reviewing.field_decisions"),
            "\n".join(current.decisions),
            multiline=True,
            optional=True,
        )
    )
    return modal(ctx, SETTINGS_MODAL, "reviewing.modal_settings_title", blocks, metadata)


def shown(text: str, limit: int = 2800) -> str:
    """User text for a section block: escaped, and cut to fit."""
    safe = esc(text.strip())
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"
