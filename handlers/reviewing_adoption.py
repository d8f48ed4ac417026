"""`/policy adopt` and `/policy adopted`: freezing the draft into version N, and going back.

Adoption takes three steps in one modal: (1) what will be frozen and what changed since the
last version, (2) management's approval (approved by, date, decisions) and the channel to
announce in, (3) the freeze, then a short diff announced in that channel. A refusal (no rule
at all, a `review` rule without a role, a draft that breaks the format) is answered with the
reasons and opens nothing. The draft's fingerprint travels in the modal's metadata: if the
draft moves between step 1 and step 3, nothing is adopted and the lead is asked to look again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot import people, versions
from bot.consolidation import split_lines
from bot.draft_policy import cover_decisions, draft_dict
from bot.i18n import t
from bot.storage.models.policy import PolicyVersion
from bot.vocabulary import language_or
from handlers.blocks import Block, button, context, header, section
from handlers.context import RequestContext
from handlers.reviewing_common import guarded, guarded_view, say_later, value_of
from handlers.reviewing_modals import METADATA_LIMIT, metadata_of, plain, text_input, values_of
from handlers.router import CommandCall, CommandRouter, Subcommand
from handlers.slack_text import BLOCKS_PER_MESSAGE, esc

log = logging.getLogger(__name__)

CONFIRM_MODAL = "review_adopt_confirm"
APPROVAL_MODAL = "review_adopt_approval"
ITEMS_SHOWN = 25  # ids listed per line of a diff before "+N more"


def register(app: App, router: CommandRouter) -> None:
    router.add(
        Subcommand("adopt", run_adopt, needs=people.COMMS_LEAD, aliases=("vaststellen",), order=42)
    )
    router.add(
        Subcommand("adopted", run_adopted, needs=people.COMMS_LEAD, aliases=("versions",), order=43)
    )
    app.action("review_readopt")(guarded(on_readopt))
    app.view(CONFIRM_MODAL)(guarded_view(on_confirmed))
    app.view(APPROVAL_MODAL)(guarded_view(on_approved))


# -- refusals -------------------------------------------------------------------------------
def problems_text(ctx: RequestContext, problems: list[versions.Problem], limit: int = 12) -> str:
    lines = [ctx.t("reviewing.adopt_refused")]
    for problem in problems:
        if problem.code == "no_rules":
            lines.append(ctx.t("reviewing.problem_no_rules"))
        elif problem.code == "review_without_role":
            ids = ", ".join(f"`{esc(i)}`" for i in problem.detail[:ITEMS_SHOWN])
            lines.append(ctx.t("reviewing.problem_review_without_role", ids=ids))
        else:
            shown = [f"    `{esc(issue)}`" for issue in problem.detail[:limit]]
            if len(problem.detail) > limit:
                shown.append(
                    "    " + ctx.t("reviewing.problems_more", count=len(problem.detail) - limit)
                )
            lines.append(ctx.t("reviewing.problem_invalid", issues="\n".join(shown)))
    return "\n".join(lines)


# -- step 1: what will be frozen --------------------------------------------------------------
def run_adopt(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.db.session() as session:
        data = draft_dict(session, ctx.settings.language)
        problems = versions.adoption_problems(data)
        latest = versions.latest_version(session)
        previous = (dict(latest.document), latest.label) if latest else None
        number = (latest.number if latest else 0) + 1
    if problems:
        call.reply(problems_text(ctx, problems))
        return
    metadata = {
        "mode": "draft",
        "fp": versions.fingerprint(data),
        "c": call.channel_id,
        "u": call.body.get("response_url"),
    }
    view = confirm_view(ctx, data, previous, number, metadata)
    try:
        call.client.views_open(trigger_id=call.trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open for adopt failed: %s", error.response.get("error"))
        call.reply(ctx.t("common.failed"))


def _default_text(lang: str, data: dict[str, Any]) -> str:
    default = data.get("default") or {}
    roles = {r.get("id"): r for r in data.get("roles") or []}
    role = roles.get(default.get("role"), {})
    verdict = t(lang, f"reviewing.doc.verdict_{default.get('verdict', 'allowed')}")
    return f"{verdict}, {esc(str(role.get('name') or default.get('role') or ''))}"


def confirm_view(
    ctx: RequestContext,
    data: dict[str, Any],
    previous: tuple[dict[str, Any], str] | None,
    number: int,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    blocks: list[Block] = [
        section(ctx.t("reviewing.adopt_step1", number=number)),
        section(
            ctx.t(
                "reviewing.adopt_frozen",
                sections=len(data.get("sections") or []),
                rules=len(data.get("rules") or []),
                roles=len(data.get("roles") or []),
                groups=len(data.get("groups") or []),
                default=_default_text(ctx.lang, data),
            )
        ),
    ]
    if previous is None:
        blocks.append(section(ctx.t("reviewing.adopt_first")))
    else:
        old, label = previous
        changes = versions.diff(old, data)
        if changes.empty:
            blocks.append(section(ctx.t("reviewing.adopt_no_changes", label=esc(label))))
        else:
            blocks.append(section(ctx.t("reviewing.adopt_changes_since", label=esc(label))))
            blocks.append(section("\n".join(diff_lines(ctx.lang, changes, data, old))[:2900]))
    blocks.append(context(ctx.t("reviewing.adopt_step1_next")))
    return _modal(ctx, CONFIRM_MODAL, blocks, metadata, "reviewing.modal_next")


def _modal(
    ctx: RequestContext,
    callback_id: str,
    blocks: list[Block],
    metadata: dict[str, Any],
    submit_key: str | None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": ctx.t("reviewing.modal_adopt_title")[:24]},
        "close": {
            "type": "plain_text",
            "text": ctx.t("reviewing.modal_cancel" if submit_key else "reviewing.modal_close")[:24],
        },
        "blocks": blocks[:100],
        "private_metadata": json.dumps(metadata)[:METADATA_LIMIT],
    }
    if submit_key:
        view["submit"] = {"type": "plain_text", "text": ctx.t(submit_key)[:24]}
    return view


def _items(ids: list[str], titles: dict[str, str] | None = None) -> str:
    names = [esc(titles.get(i, i)) if titles else f"`{esc(i)}`" for i in ids[:ITEMS_SHOWN]]
    more = f" (+{len(ids) - ITEMS_SHOWN})" if len(ids) > ITEMS_SHOWN else ""
    return ", ".join(names) + more


def diff_lines(
    lang: str, changes: versions.PolicyDiff, new: dict[str, Any], old: dict[str, Any] | None
) -> list[str]:
    """The short diff: rules added, removed and changed, sections changed (and the rest)."""
    titles = versions.section_titles(old or {}) | versions.section_titles(new)
    lines = []
    if changes.rules_added:
        lines.append(t(lang, "reviewing.diff_rules_added", items=_items(changes.rules_added)))
    if changes.rules_removed:
        lines.append(t(lang, "reviewing.diff_rules_removed", items=_items(changes.rules_removed)))
    if changes.rules_changed:
        lines.append(
            t(lang, "reviewing.diff_rules_changed", items=_items(list(changes.rules_changed)))
        )
    if changes.sections_added:
        lines.append(
            t(lang, "reviewing.diff_sections_added", items=_items(changes.sections_added, titles))
        )
    if changes.sections_removed:
        lines.append(
            t(
                lang,
                "reviewing.diff_sections_removed",
                items=_items(changes.sections_removed, titles),
            )
        )
    if changes.sections_changed:
        lines.append(
            t(
                lang,
                "reviewing.diff_sections_changed",
                items=_items(changes.sections_changed, titles),
            )
        )
    roles = changes.roles_added + changes.roles_removed + changes.roles_changed
    if roles:
        lines.append(t(lang, "reviewing.diff_roles", items=_items(roles)))
    if changes.groups_changed:
        lines.append(t(lang, "reviewing.diff_groups", items=_items(changes.groups_changed)))
    if changes.default_changed:
        lines.append(t(lang, "reviewing.diff_default"))
    return lines


# -- step 2: the approval -------------------------------------------------------------------
def approval_view(
    ctx: RequestContext,
    metadata: dict[str, Any],
    decisions: list[str],
    intro: str,
) -> dict[str, Any]:
    announce: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "review_in_announce",
        "placeholder": plain(ctx.t("reviewing.pick")),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if metadata.get("c") and str(metadata["c"])[:1] in ("C", "G"):
        announce["initial_conversation"] = metadata["c"]
    blocks: list[Block] = [
        section(intro),
        text_input("approved_by", ctx.t("reviewing.field_approved_by"), None, max_length=255),
        {
            "type": "input",
            "block_id": "approved_on",
            "label": plain(ctx.t("reviewing.field_approved_on")),
            "element": {
                "type": "datepicker",
                "action_id": "review_in_approved_on",
                "initial_date": dt.date.today().isoformat(),
            },
        },
        text_input(
            "decisions",
            ctx.t("reviewing.field_decisions"),
            "\n".join(decisions),
            multiline=True,
            optional=True,
        ),
        {
            "type": "input",
            "block_id": "announce",
            "label": plain(ctx.t("reviewing.field_announce")),
            "element": announce,
        },
    ]
    return _modal(ctx, APPROVAL_MODAL, blocks, metadata, "reviewing.modal_adopt")


def on_confirmed(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    metadata = metadata_of(body["view"])
    with ctx.db.session() as session:
        decisions = cover_decisions(session)
    ack(
        response_action="update",
        view=approval_view(ctx, metadata, decisions, ctx.t("reviewing.adopt_step2")),
    )


def on_readopt(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    number = int(value_of(body).get("n") or 0)
    with ctx.db.session() as session:
        earlier = session.get(PolicyVersion, number)
        latest = versions.latest_version(session)
        if earlier is None or latest is None:
            respond(text=ctx.t("reviewing.gone"), replace_original=False)
            return
        label, decisions, next_number = earlier.label, list(earlier.decisions), latest.number + 1
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    metadata = {"mode": "readopt", "n": number, "c": channel, "u": body.get("response_url")}
    intro = ctx.t("reviewing.readopt_step", label=esc(label), number=next_number)
    client.views_open(
        trigger_id=body["trigger_id"], view=approval_view(ctx, metadata, decisions, intro)
    )


# -- step 3: freeze and announce ------------------------------------------------------------
def _approval_errors(ctx: RequestContext, values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not str(values.get("approved_by") or "").strip():
        errors["approved_by"] = ctx.t("reviewing.error_required")
    try:
        on = dt.date.fromisoformat(str(values.get("approved_on") or ""))
        if on > dt.date.today():
            errors["approved_on"] = ctx.t("reviewing.error_future")
    except ValueError:
        errors["approved_on"] = ctx.t("reviewing.error_date")
    if not values.get("announce"):
        errors["announce"] = ctx.t("reviewing.error_channel")
    return {k: v[:150] for k, v in errors.items()}


def on_approved(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    values = values_of(view)
    errors = _approval_errors(ctx, values)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    approval = versions.Approval(
        by=str(values["approved_by"]).strip(),
        on=dt.date.fromisoformat(str(values["approved_on"])),
        decisions=split_lines(values.get("decisions")),
    )
    channel = str(values["announce"])
    actor = ctx.user_id or ""
    try:
        with ctx.db.session() as session:
            if metadata.get("mode") == "readopt":
                version = versions.readopt(session, actor, int(metadata.get("n") or 0), approval)
            else:
                version = versions.adopt_draft(
                    session,
                    actor,
                    approval,
                    ctx.settings.language,
                    expected=metadata.get("fp"),
                )
            version.announced_in = channel  # a new row, written once with the rest of it
            announcement = announcement_blocks(session, version)
            number, label = version.number, version.label
    except versions.DraftChanged:
        ack(
            response_action="errors",
            errors={"approved_by": ctx.t("reviewing.error_draft_changed")[:150]},
        )
        return
    except (versions.AdoptionRefused, versions.UnknownVersion):
        ack(
            response_action="errors",
            errors={"approved_by": ctx.t("reviewing.adopt_refused_now")[:150]},
        )
        return
    # One update in the usual case: the announcement is on its way as the modal says so.
    announcing = ctx.t("reviewing.announced_in", channel=channel)
    ack(response_action="update", view=done_view(ctx, number, label, announcing, metadata))
    text, blocks = announcement
    try:
        client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
    except SlackApiError as error:
        log.warning("announcing version %s failed: %s", number, error.response.get("error"))
        failed = ctx.t("reviewing.announce_failed", channel=channel)
        with contextlib.suppress(SlackApiError):  # the lead may have closed the modal already
            client.views_update(
                view_id=view.get("id"), view=done_view(ctx, number, label, failed, metadata)
            )
        say_later(client, metadata, actor, failed)
    log.info("version %s (%s) adopted by %s", number, label, actor)


def done_view(
    ctx: RequestContext, number: int, label: str, announced: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    text = ctx.t("reviewing.adopt_done", number=number, label=esc(label), announced=announced)
    return _modal(ctx, APPROVAL_MODAL + "_done", [section(text)], metadata, None)


def announcement_blocks(session: Any, version: PolicyVersion) -> tuple[str, list[Block]]:
    """The announcement, in the policy's own language: it speaks to the whole channel."""
    document = dict(version.document)
    lang = language_or(document.get("language"), "en")
    previous = versions.previous_version(session, version.number)
    title = t(lang, "reviewing.announce_title", label=version.label)
    blocks: list[Block] = [
        header(title),
        section(
            t(
                lang,
                "reviewing.announce_approval",
                by=esc(version.approved_by),
                on=version.approved_on.isoformat(),
            )
        ),
    ]
    if version.based_on:
        earlier = session.get(PolicyVersion, version.based_on)
        label = earlier.label if earlier else str(version.based_on)
        blocks.append(section(t(lang, "reviewing.announce_readopted", label=esc(label))))
    if previous is None:
        blocks.append(
            section(
                t(
                    lang,
                    "reviewing.announce_first",
                    rules=len(document.get("rules") or []),
                    sections=len(document.get("sections") or []),
                )
            )
        )
    else:
        changes = versions.diff(dict(previous.document), document)
        if changes.empty:
            blocks.append(
                section(t(lang, "reviewing.announce_no_changes", label=esc(previous.label)))
            )
        else:
            lines = diff_lines(lang, changes, document, dict(previous.document))
            blocks.append(
                section(
                    t(lang, "reviewing.announce_changes", label=esc(previous.label))
                    + "\n"
                    + "\n".join(lines)
                )
            )
    blocks.append(context(t(lang, "reviewing.announce_footer")))
    fallback = "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section")
    return f"{title}\n{fallback}"[:3900], blocks[:BLOCKS_PER_MESSAGE]


# -- /policy adopted ------------------------------------------------------------------------
def run_adopted(call: CommandCall) -> None:
    ctx = call.ctx
    with ctx.db.session() as session:
        found = versions.list_versions(session)[:20]
        labels = {v.number: v.label for v in versions.list_versions(session)}
        rows = [
            (v.number, v.label, v.approved_by, v.approved_on, v.recorded_by, v.based_on)
            for v in found
        ]
    if not rows:
        call.reply(ctx.t("reviewing.versions_none"))
        return
    blocks: list[Block] = [section(ctx.t("reviewing.versions_title"))]
    current = rows[0][0]
    for number, label, by, on, recorded, based_on in rows:
        line = ctx.t(
            "reviewing.version_line",
            label=esc(label),
            number=number,
            by=esc(by),
            on=on.isoformat(),
            recorded=f"<@{recorded}>" if recorded[:1] in ("U", "W") else esc(recorded),
            based=ctx.t("reviewing.version_based", label=esc(labels.get(based_on, str(based_on))))
            if based_on
            else "",
            current=ctx.t("reviewing.version_current") if number == current else "",
        )
        if number == current:
            blocks.append(section(line))
        else:
            blocks.append(
                section(
                    line,
                    button(
                        ctx.t("reviewing.button_readopt"),
                        "review_readopt",
                        json.dumps({"n": number}),
                    ),
                )
            )
    call.reply(ctx.t("reviewing.versions_title"), blocks[:BLOCKS_PER_MESSAGE])
