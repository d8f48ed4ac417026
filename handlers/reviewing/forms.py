"""The consolidation modals: their Block Kit, the values they send back, and field errors.

Every modal's `callback_id` and every `action_id` starts with `review_`. An input block's
`block_id` is the name of the policy field it edits, so the format's issues (`rule.verdict`)
land next to the right field (`response_action: errors`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.policy.model import DETECTORS, FormatIssue, issue_message
from bot.reviewing.document import DocumentSettings
from bot.reviewing.fields import field_of
from bot.reviewing.items import GroupItem, RoleItem, RuleItem
from bot.reviewing.review import Choices
from bot.vocabulary import DEFAULT_VERDICTS, LANGUAGES, VERDICTS
from handlers.kit.blocks import (
    Block,
    View,
    channel_input,
    context,
    input_errors,
    modal,
    multi_input,
    section,
    select_input,
    text_input,
    user_input,
)
from handlers.kit.context import RequestContext
from handlers.kit.limits import INPUT_VALUE
from handlers.kit.payloads import GroupForm, RoleForm, RuleForm, SettingsForm, TextForm
from handlers.reviewing.ids import GROUP_MODAL, ROLE_MODAL, RULE_MODAL, SETTINGS_MODAL, TEXT_MODAL

TEXT_PARTS = 10  # a section text longer than one input is edited in parts
NAME_LENGTH = 255  # names and titles as long as the database keeps them
ID_LENGTH = 64
TEXT_PART = "text_"  # + the part's number: the block ids of the text inputs


VERDICT_WORDS = {  # how the document names each verdict
    "forbidden": "reviewing.doc.verdict_forbidden",
    "review": "reviewing.doc.verdict_review",
    "allowed": "reviewing.doc.verdict_allowed",
}
LANGUAGE_NAMES = {"nl": "reviewing.language_nl", "en": "reviewing.language_en"}


def _input_id(block_id: str) -> str:
    return f"review_in_{block_id}"


def _text(block_id: str, label: str, initial: str | None = None, **options: Any) -> Block:
    return text_input(block_id, label, initial, action_id=_input_id(block_id), **options)


def _select(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: str | None,
    pick: str,
    **options: Any,
) -> Block:
    return select_input(
        block_id, label, choices, initial, pick, action_id=_input_id(block_id), **options
    )


def _multi(
    block_id: str,
    label: str,
    choices: list[tuple[str, str]],
    initial: tuple[str, ...],
    pick: str,
    **options: Any,
) -> Block:
    return multi_input(
        block_id, label, choices, initial, pick, action_id=_input_id(block_id), **options
    )


def _modal(
    ctx: RequestContext, callback_id: str, title_key: str, blocks: list[Block], metadata: str
) -> View:
    return modal(
        callback_id,
        ctx.plain(title_key),
        blocks,
        metadata=metadata,
        submit=ctx.plain("reviewing.modal_save"),
        close=ctx.plain("reviewing.modal_cancel"),
    )


# -- errors next to the field ---------------------------------------------------------------
_TRANSLATED = (
    (re.compile(r"^is required when the verdict is review"), "reviewing.error_review_role"),
    (re.compile(r"^(is required|must not be empty)"), "reviewing.error_required"),
    (re.compile(r"is not a short id"), "reviewing.error_id"),
    (re.compile(r"is not a contact"), "reviewing.error_contact"),
    (re.compile(r"is not a Slack user group"), "reviewing.error_usergroup"),
    (re.compile(r"is not a valid regular expression: (?P<detail>.*)"), "reviewing.error_pattern"),
    (re.compile(r"is not a role id"), "reviewing.error_role"),
    (re.compile(r"is not a group id"), "reviewing.error_group"),
)


def issue_text(ctx: RequestContext, issue: FormatIssue) -> str:
    """The format's message in the asker's language: the review's own words where it has
    them, else the format's catalogue message (the English text only for an issue that has
    no catalogue key)."""
    for pattern, key in _TRANSLATED:
        found = pattern.search(issue.message)
        if found:
            return ctx.plain(key, **found.groupdict())
    if issue.key:
        values = {k: v for k, v in issue.values.items() if k != "location"}
        return issue_message(issue.key, values, ctx.lang)
    return issue.message


def field_errors(
    ctx: RequestContext,
    view: View,
    issues: list[FormatIssue],
    aliases: dict[str, str] | None = None,
) -> dict[str, str]:
    """{block_id: message} for `response_action: errors`; an issue whose field has no block in
    the modal goes to the block `aliases` names, else to the first input."""
    present = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for issue in issues:
        name = field_of(issue)
        name = (aliases or {}).get(name, name)
        block_id = name if name in present else str(present[0] if present else name)
        text = issue_text(ctx, issue)
        errors[block_id] = f"{errors[block_id]} {text}" if block_id in errors else text
    return input_errors({k: v for k, v in errors.items() if k})


# -- the section's text ---------------------------------------------------------------------
def split_for_inputs(text: str, limit: int = INPUT_VALUE) -> list[str]:
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


def text_modal(ctx: RequestContext, title: str, text: str, form: TextForm) -> View:
    parts = split_for_inputs(text)
    blocks: list[Block] = [
        _text("title", ctx.plain("reviewing.field_title"), title, max_length=NAME_LENGTH)
    ]
    count = min(TEXT_PARTS, len(parts) + (1 if len(parts) > 1 else 0))
    for index in range(max(count, 1)):
        label = ctx.plain("reviewing.field_text")
        if count > 1:
            label = f"{label} ({index + 1}/{count})"
        blocks.append(
            _text(
                f"{TEXT_PART}{index}",
                label,
                parts[index] if index < len(parts) else None,
                multiline=True,
                optional=True,
                hint=ctx.plain("reviewing.field_text_hint") if index == 0 else None,
            )
        )
    return _modal(ctx, TEXT_MODAL, "reviewing.modal_text_title", blocks, form.encode())


def text_from(values: dict[str, Any]) -> str:
    numbered = sorted(
        (k for k in values if k.startswith(TEXT_PART)), key=lambda k: int(k[len(TEXT_PART) :])
    )
    parts = [str(values[k]).strip("\n") for k in numbered if str(values[k] or "").strip()]
    return "\n\n".join(parts)


# -- rules, roles, groups -------------------------------------------------------------------
def verdict_choices(
    ctx: RequestContext, verdicts: tuple[str, ...] = VERDICTS
) -> list[tuple[str, str]]:
    return [(ctx.plain(VERDICT_WORDS[v]), v) for v in verdicts]


def rule_modal(ctx: RequestContext, rule: RuleItem, choices: Choices, form: RuleForm) -> View:
    pick = ctx.plain("reviewing.pick")
    sections = [(s.title, s.id) for s in choices.sections]
    roles = [(f"{r.name} ({r.id})", r.id) for r in choices.roles]
    groups = [(f"{g.name} ({g.id})", g.id) for g in choices.groups]
    blocks: list[Block] = [
        _text("id", ctx.plain("reviewing.field_rule_id"), rule.id, max_length=ID_LENGTH),
        _select(
            "verdict",
            ctx.plain("reviewing.field_verdict"),
            verdict_choices(ctx),
            rule.verdict,
            pick,
        ),
        _text("text", ctx.plain("reviewing.field_rule_text"), rule.text, multiline=True),
        # the format allows a rule outside any section
        _select(
            "section",
            ctx.plain("reviewing.field_section"),
            sections,
            rule.section,
            pick,
            optional=True,
        ),
    ]
    if roles:
        label = ctx.plain("reviewing.field_role")
        blocks.append(_select("role", label, roles, rule.role, pick, optional=True))
    if groups:
        blocks.append(
            _multi("applies_to", ctx.plain("reviewing.field_groups"), groups, rule.applies_to, pick)
        )
    blocks += [
        _text(
            "keywords",
            ctx.plain("reviewing.field_keywords"),
            "\n".join(rule.keywords),
            multiline=True,
            optional=True,
        ),
        _text(
            "unless",
            ctx.plain("reviewing.field_unless"),
            "\n".join(rule.unless),
            multiline=True,
            optional=True,
        ),
        _multi(
            "detect",
            ctx.plain("reviewing.field_detect"),
            [(d, d) for d in DETECTORS],
            rule.detect,
            pick,
            checkboxes=True,
        ),
        _text(
            "patterns",
            ctx.plain("reviewing.field_patterns"),
            "\n".join(rule.patterns),
            multiline=True,
            optional=True,
        ),
        _text(
            "context",
            ctx.plain("reviewing.field_context"),
            "\n".join(rule.context),
            multiline=True,
            optional=True,
            hint=ctx.plain("reviewing.field_context_hint"),
        ),
        _text(
            "examples",
            ctx.plain("reviewing.field_examples"),
            "\n".join(rule.examples),
            multiline=True,
            optional=True,
            hint=ctx.plain("reviewing.field_examples_hint"),
        ),
        _text(
            "not_examples",
            ctx.plain("reviewing.field_not_examples"),
            "\n".join(rule.not_examples),
            multiline=True,
            optional=True,
            hint=ctx.plain("reviewing.field_not_examples_hint"),
        ),
    ]
    if form.contribution is not None:  # a proposed rule edited in: its id comes at acceptance
        blocks[0] = _text(
            "id",
            ctx.plain("reviewing.field_rule_id"),
            None,
            max_length=ID_LENGTH,
            optional=True,
            hint=ctx.plain("reviewing.field_rule_id_later"),
        )
        blocks.insert(0, context(ctx.t("reviewing.edit_in_intro")))
    return _modal(ctx, RULE_MODAL, "reviewing.modal_rule_title", blocks, form.encode())


CONTACT_FIELDS = ("contact_user", "contact_usergroup", "contact_channel", "contact_email")
CONTACT_TYPED = "contact_typed"


def role_modal(
    ctx: RequestContext,
    role: RoleItem | None,
    form: RoleForm,
    usergroups: list[tuple[str, str]] | None,
) -> View:
    """A role's modal. Whom to contact is picked with Slack's own pickers (a person, a
    channel), from the workspace's user groups, or typed (`@lotte`, `@webcare`,
    `#communicatie`, an e-mail address): one of them."""
    role = role or RoleItem(None, "", "", "", "")
    pick = ctx.plain("reviewing.pick")
    contact = role.contact.strip()
    user = contact[1:] if contact.startswith("@U") or contact.startswith("@W") else None
    channel = contact[1:] if contact.startswith("#C") or contact.startswith("#G") else None
    known_groups = {value for _, value in usergroups or []}
    group = contact if contact in known_groups else None
    email = contact if "@" in contact and not contact.startswith("@") else None
    typed = None if (user or channel or group or email) else contact or None
    blocks: list[Block] = [
        _text("id", ctx.plain("reviewing.field_role_id"), role.id, max_length=ID_LENGTH),
        _text("name", ctx.plain("reviewing.field_role_name"), role.name, max_length=NAME_LENGTH),
        section(ctx.t("reviewing.contact_intro")),
        user_input(
            "contact_user",
            ctx.plain("reviewing.field_contact_user"),
            user,
            action_id=_input_id("contact_user"),
            placeholder=pick,
            optional=True,
        ),
    ]
    if usergroups:
        label = ctx.plain("reviewing.field_contact_usergroup")
        blocks.append(_select("contact_usergroup", label, usergroups, group, pick, optional=True))
    blocks += [
        channel_input(
            "contact_channel",
            ctx.plain("reviewing.field_contact_channel"),
            channel,
            action_id=_input_id("contact_channel"),
            placeholder=pick,
            optional=True,
        ),
        _text(
            "contact_email",
            ctx.plain("reviewing.field_contact_email"),
            email,
            optional=True,
            max_length=NAME_LENGTH,
        ),
        _text(
            CONTACT_TYPED,
            ctx.plain("reviewing.field_contact_typed"),
            typed,
            optional=True,
            max_length=NAME_LENGTH,
        ),
        _text("handles", ctx.plain("reviewing.field_handles"), role.handles, multiline=True),
        _text(
            "keywords",
            ctx.plain("reviewing.field_keywords"),
            "\n".join(role.keywords),
            multiline=True,
            optional=True,
        ),
    ]
    return _modal(ctx, ROLE_MODAL, "reviewing.modal_role_title", blocks, form.encode())


def group_modal(
    ctx: RequestContext,
    group: GroupItem | None,
    usergroups: list[tuple[str, str]] | None,
    form: GroupForm,
) -> View:
    group = group or GroupItem(None, "", "", "")
    slack = group.slack
    blocks: list[Block] = [
        _text("id", ctx.plain("reviewing.field_group_id"), group.id, max_length=ID_LENGTH),
        _text(
            "name",
            ctx.plain("reviewing.field_group_name"),
            group.name,
            max_length=NAME_LENGTH,
        ),
    ]
    known = {value for _, value in usergroups or []}
    if usergroups:
        label, pick = ctx.plain("reviewing.field_usergroup"), ctx.plain("reviewing.pick")
        initial = slack if slack in known else None
        blocks.append(_select("slack", label, usergroups, initial, pick, optional=True))
    else:
        blocks.append(context(ctx.t("reviewing.usergroups_unavailable")))
    blocks.append(
        _text(
            "slack_typed",
            ctx.plain("reviewing.field_usergroup_typed"),
            slack if slack and slack not in known else None,
            optional=True,
            max_length=128,
        )
    )
    return _modal(ctx, GROUP_MODAL, "reviewing.modal_group_title", blocks, form.encode())


def settings_modal(
    ctx: RequestContext, current: DocumentSettings, roles: list[RoleItem], form: SettingsForm
) -> View:
    pick = ctx.plain("reviewing.pick")
    languages: list[tuple[str, str]] = [
        (ctx.plain(LANGUAGE_NAMES[lang]), lang) for lang in LANGUAGES
    ]
    default = current.default_verdict or "allowed"
    blocks: list[Block] = [
        _text(
            "organisation",
            ctx.plain("reviewing.field_organisation"),
            current.organisation,
            max_length=NAME_LENGTH,
        ),
        _select(
            "language",
            ctx.plain("reviewing.field_language"),
            languages,
            current.language,
            pick,
            hint=ctx.plain("reviewing.field_language_hint"),
        ),
        _text(
            "version",
            ctx.plain("reviewing.field_version_label"),
            current.version,
            optional=True,
            max_length=ID_LENGTH,
        ),
        _select(
            "default_verdict",
            ctx.plain("reviewing.field_default_verdict"),
            verdict_choices(ctx, DEFAULT_VERDICTS),
            default,
            pick,
        ),
    ]
    if roles:
        choices = [(f"{r.name} ({r.id})", r.id) for r in roles]
        label = ctx.plain("reviewing.field_default_role")
        blocks.append(_select("default_role", label, choices, current.default_role, pick))
    else:
        blocks.append(section(ctx.t("reviewing.no_roles_for_default")))
    return _modal(ctx, SETTINGS_MODAL, "reviewing.modal_settings_title", blocks, form.encode())
