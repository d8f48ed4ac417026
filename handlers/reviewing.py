"""Consolidation in Slack: `/policy review [SECTION]` (communications lead).

A section's review shows its contributions with accept/reject buttons, its consolidated text
with an "edit text" button (a modal prefilled with the accepted contributions in question
order), and its draft rules and roles with edit/remove buttons. `/policy groups` lives in
handlers/reviewing_groups.py, adoption in handlers/reviewing_adoption.py, export in
handlers/reviewing_export.py. The core does the work (bot/consolidation.py); these listeners
read Slack's payloads and show the result.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond

from bot import consolidation as core
from bot import people
from bot.draft_policy import (
    group_rows,
    role_dict,
    role_rows,
    rule_dict,
    rule_rows,
)
from bot.storage.models.policy import DraftRole, DraftRule
from bot.versions import adoption_problems
from handlers import reviewing_adoption, reviewing_export, reviewing_groups
from handlers.blocks import Block, actions, button, context, divider, header, section
from handlers.context import RequestContext
from handlers.reviewing_common import (
    action_of,
    guarded,
    guarded_view,
    origin,
    remove_from_draft,
    say_later,
    value_of,
)
from handlers.reviewing_modals import (
    ROLE_MODAL,
    RULE_MODAL,
    SETTINGS_MODAL,
    TEXT_MODAL,
    ack_field_errors,
    metadata_of,
    role_modal,
    rule_modal,
    settings_modal,
    shown,
    text_from,
    text_modal,
    values_of,
)
from handlers.router import CommandCall, Subcommand, router_for
from handlers.slack_text import BLOCKS_PER_MESSAGE, esc

# The page for rules and roles that belong to no section of the draft (imported roles, rules
# whose section was left out): reachable as `/policy review other` and from the overview.
OTHER = "_other"
OTHER_WORDS = ("other", "overig", OTHER)


def register(app: App) -> None:
    router = router_for(app)
    router.add(
        Subcommand(
            "review",
            run_review,
            needs=people.COMMS_LEAD,
            aliases=("consolidate", "beoordeel"),
            order=40,
            usage="SECTION",
        )
    )
    reviewing_groups.register(app, router)
    reviewing_adoption.register(app, router)
    reviewing_export.register(app, router)

    for action_id, handler in (
        ("review_open", on_open_section),
        ("review_page_back", on_turn_page),
        ("review_page_next", on_turn_page),
        ("review_accept", on_review_contribution),
        ("review_reject", on_review_contribution),
        ("review_reset", on_review_contribution),
        ("review_edit_text", on_edit_text),
        ("review_prefill", on_edit_text),
        ("review_rule_add", on_rule_edit),
        ("review_rule_edit", on_rule_edit),
        ("review_rule_remove", on_rule_remove),
        ("review_role_add", on_role_edit),
        ("review_role_edit", on_role_edit),
        ("review_role_remove", on_role_remove),
        ("review_settings", on_settings),
    ):
        app.action(action_id)(guarded(handler))
    app.view(TEXT_MODAL)(guarded_view(on_text_submitted))
    app.view(RULE_MODAL)(guarded_view(on_rule_submitted))
    app.view(ROLE_MODAL)(guarded_view(on_role_submitted))
    app.view(SETTINGS_MODAL)(guarded_view(on_settings_submitted))


# -- /policy review -------------------------------------------------------------------------
def run_review(call: CommandCall) -> None:
    ctx = call.ctx
    wanted = call.args.strip()
    if not wanted:
        call.reply(ctx.t("reviewing.overview_title"), overview_blocks(ctx))
        return
    section_id = _find_section(ctx, wanted)
    if section_id is None:
        with ctx.db.session() as session:
            ids = [s["id"] for s in _sections(ctx, session)]
        call.reply(
            ctx.t(
                "reviewing.unknown_section",
                given=esc(wanted[:40]),
                sections=", ".join(f"`{i}`" for i in [*ids, OTHER_WORDS[0]]),
            )
        )
        return
    call.reply(ctx.t("reviewing.review_of", id=section_id), review_pages(ctx, section_id)[0])


def _sections(ctx: RequestContext, session: Any) -> list[dict[str, Any]]:
    return core.reviewable_sections(session, ctx.settings.language)


def _find_section(ctx: RequestContext, wanted: str) -> str | None:
    with ctx.db.session() as session:
        sections = _sections(ctx, session)
    folded = wanted.casefold()
    if folded in OTHER_WORDS:
        return OTHER
    for item in sections:
        if folded in (str(item["id"]).casefold(), str(item["title"]).casefold()):
            return str(item["id"])
    return None


def overview_blocks(ctx: RequestContext) -> list[Block]:
    from bot.draft_policy import draft_dict

    blocks: list[Block] = [section(ctx.t("reviewing.overview_title"))]
    with ctx.db.session() as session:
        sections = _sections(ctx, session)
        rules = rule_rows(session)
        roles = role_rows(session)
        contributions = {s["id"]: core.section_contributions(session, s["id"]) for s in sections}
        problems = adoption_problems(draft_dict(session, ctx.settings.language))
    for item in sections[:40]:
        mine = contributions[item["id"]]
        line = ctx.t(
            "reviewing.overview_line",
            title=esc(str(item["title"])),
            id=item["id"],
            pending=sum(1 for c in mine if c.review == "pending"),
            accepted=sum(1 for c in mine if c.review == "accepted"),
            rules=sum(1 for r in rules if r.section == item["id"]),
            roles=sum(1 for r in roles if r.section == item["id"]),
            edited=ctx.t("reviewing.overview_edited") if str(item.get("text") or "") else "",
        )
        blocks.append(
            section(
                line,
                button(
                    ctx.t("reviewing.button_review"),
                    "review_open",
                    json.dumps({"s": item["id"]}),
                ),
            )
        )
    known = {s["id"] for s in sections}
    loose_rules = sum(1 for r in rules if r.section not in known)
    loose_roles = sum(1 for r in roles if r.section not in known)
    if loose_rules or loose_roles:
        blocks.append(
            section(
                ctx.t("reviewing.overview_other", rules=loose_rules, roles=loose_roles),
                button(ctx.t("reviewing.button_review"), "review_open", json.dumps({"s": OTHER})),
            )
        )
    blocks.append(
        actions(
            button(ctx.t("reviewing.button_settings"), "review_settings", "{}"),
            button(ctx.t("reviewing.button_groups"), "review_groups", "{}"),
        )
    )
    if problems:
        blocks.append(context(reviewing_adoption.problems_text(ctx, problems)[:2900]))
    else:
        blocks.append(context(ctx.t("reviewing.overview_ready")))
    return blocks[:BLOCKS_PER_MESSAGE]


def review_pages(ctx: RequestContext, section_id: str) -> list[list[Block]]:
    """The section's review in pages of at most 50 blocks, never cutting an item from its
    buttons. One page is shown at a time with previous/next buttons: a response_url takes
    only a few answers, so a long section must not need one message per page."""
    units = review_units(ctx, section_id)
    pages: list[list[list[Block]]] = [[]]
    size = 0
    for unit in units:
        if size + len(unit) > BLOCKS_PER_MESSAGE - 2 and pages[-1]:
            pages.append([])
            size = 0
        pages[-1].append(unit)
        size += len(unit)
    result = []
    for number, page in enumerate(pages):
        blocks = _with_page([block for unit in page for block in unit], number)
        if len(pages) > 1:
            blocks.append(context(ctx.t("reviewing.more_pages", page=number + 1, pages=len(pages))))
            moves = []
            if number > 0:
                target = json.dumps({"s": section_id, "go": number - 1})
                moves.append(button(ctx.t("reviewing.button_previous"), "review_page_back", target))
            if number < len(pages) - 1:
                target = json.dumps({"s": section_id, "go": number + 1})
                moves.append(button(ctx.t("reviewing.button_next"), "review_page_next", target))
            blocks.append(actions(*moves, block_id="review_pages"))
        result.append(blocks)
    return result


def _with_page(blocks: list[Block], page: int) -> list[Block]:
    """Stamp the page number into every button's value, so a click re-renders its own page."""
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else None
        accessory = block.get("accessory")
        for element in (elements or []) + ([accessory] if accessory else []):
            if element.get("type") == "button" and element.get("value", "").startswith("{"):
                value = json.loads(element["value"])
                value["p"] = page
                element["value"] = json.dumps(value)
    return blocks


def review_units(ctx: RequestContext, section_id: str) -> list[list[Block]]:
    from bot.drafting.template import load_template

    lang = ctx.lang
    template = load_template()
    prompts = {q.id: q.prompt.get(lang) for q in template.questions}
    with ctx.db.session() as session:
        sections = {s["id"]: s for s in _sections(ctx, session)}
        all_roles = role_rows(session)
        role_names = {r.role_id: r.name for r in all_roles}
        if section_id == OTHER:
            current = {"id": OTHER, "title": ctx.t("reviewing.other_title"), "text": ""}
            contributions = []
            rules = [(r.pk, rule_dict(r)) for r in rule_rows(session) if r.section not in sections]
            roles = [(r.pk, role_dict(r)) for r in all_roles if r.section not in sections]
        else:
            current = sections.get(section_id, {"id": section_id, "title": section_id, "text": ""})
            contributions = core.section_contributions(session, section_id)
            rules = [(r.pk, rule_dict(r)) for r in rule_rows(session, section_id)]
            # the section's own roles, and the roles its rules send people to
            used = {rule.get("role") for _, rule in rules}
            roles = [
                (r.pk, role_dict(r))
                for r in all_roles
                if r.section == section_id or r.role_id in used
            ]
    s = json.dumps({"s": section_id})
    title = esc(str(current["title"]))
    if section_id == OTHER:
        units: list[list[Block]] = [[header(str(current["title"]))]]
        units += _rule_and_role_units(ctx, section_id, rules, roles, role_names)
        return units
    units = [
        [
            header(str(current["title"]) or section_id),
            section(
                ctx.t("reviewing.section_title", title=title, id=section_id),
                button(ctx.t("reviewing.button_edit_text"), "review_edit_text", s),
            ),
        ],
        [
            section(
                ctx.t("reviewing.section_text")
                + "\n"
                + (shown(str(current["text"]), 2000) or ctx.t("reviewing.section_no_text"))
            )
        ],
    ]
    if str(current["text"]).strip() and any(c.review == "accepted" for c in contributions):
        # The text was written before: offer to start over from what is accepted now.
        units.append(
            [
                actions(
                    button(ctx.t("reviewing.button_prefill"), "review_prefill", s),
                    block_id="review_prefill",
                )
            ]
        )
    units.append(
        [divider(), section(ctx.t("reviewing.contributions_title", count=len(contributions)))]
    )
    if not contributions:
        units.append([context(ctx.t("reviewing.no_contributions"))])
    for item in contributions:
        value = json.dumps({"c": item.id, "s": section_id})
        if item.review == "pending":
            buttons = [
                button(ctx.t("reviewing.button_accept"), "review_accept", value, style="primary"),
                button(ctx.t("reviewing.button_reject"), "review_reject", value, style="danger"),
            ]
        else:
            buttons = [button(ctx.t("reviewing.button_reset"), "review_reset", value)]
        units.append(
            [
                section(
                    ctx.t(
                        "reviewing.contribution",
                        state=ctx.t(f"reviewing.state_{item.review}"),
                        author=f"<@{item.author}>",
                        question=esc(prompts.get(item.question_id, item.question_id)),
                        text=shown(item.text, 2500),
                    )
                ),
                actions(*buttons, block_id=f"review_c_{item.id}"),
            ]
        )
    units += _rule_and_role_units(ctx, section_id, rules, roles, role_names)
    return units


def _rule_and_role_units(
    ctx: RequestContext,
    section_id: str,
    rules: list[tuple[int, dict[str, Any]]],
    roles: list[tuple[int, dict[str, Any]]],
    role_names: dict[str, str],
) -> list[list[Block]]:
    s = json.dumps({"s": section_id})
    units: list[list[Block]] = []
    units.append(
        [
            divider(),
            section(
                ctx.t("reviewing.rules_title", count=len(rules)),
                button(ctx.t("reviewing.button_add_rule"), "review_rule_add", s),
            ),
        ]
    )
    if not rules:
        units.append([context(ctx.t("reviewing.no_rules"))])
    for pk, rule in rules:
        value = json.dumps({"r": pk, "s": section_id})
        role = rule.get("role")
        units.append(
            [
                section(
                    ctx.t(
                        "reviewing.rule_line",
                        id=esc(rule["id"]),
                        verdict=ctx.t(f"reviewing.doc.verdict_{rule['verdict']}"),
                        role=ctx.t("reviewing.rule_role", role=esc(role_names.get(role, role)))
                        if role
                        else "",
                        text=shown(rule["text"], 2500),
                    )
                ),
                actions(
                    button(ctx.t("reviewing.button_edit"), "review_rule_edit", value),
                    button(ctx.t("reviewing.button_remove"), "review_rule_remove", value, "danger"),
                    block_id=f"review_r_{pk}",
                ),
            ]
        )
    units.append(
        [
            divider(),
            section(
                ctx.t("reviewing.roles_title", count=len(roles)),
                button(ctx.t("reviewing.button_add_role"), "review_role_add", s),
            ),
        ]
    )
    if not roles:
        units.append([context(ctx.t("reviewing.no_roles"))])
    for pk, role in roles:
        value = json.dumps({"o": pk, "s": section_id})
        units.append(
            [
                section(
                    ctx.t(
                        "reviewing.role_line",
                        name=esc(role["name"]),
                        id=esc(role["id"]),
                        contact=esc(role["contact"]) or ctx.t("reviewing.no_contact"),
                        handles=shown(role["handles"], 2000),
                    )
                ),
                actions(
                    button(ctx.t("reviewing.button_edit"), "review_role_edit", value),
                    button(ctx.t("reviewing.button_remove"), "review_role_remove", value, "danger"),
                    block_id=f"review_o_{pk}",
                ),
            ]
        )
    return units


def _refresh(ctx: RequestContext, respond: Respond, value: dict[str, Any]) -> None:
    """Show the section's review page the click came from again, as it now stands."""
    section_id = str(value.get("s") or "")
    if not section_id:
        return
    pages = review_pages(ctx, section_id)
    page = min(int(value.get("p") or 0), len(pages) - 1)
    respond(
        text=ctx.t("reviewing.review_of", id=section_id),
        blocks=pages[page],
        replace_original=True,
    )


# -- buttons --------------------------------------------------------------------------------
def on_open_section(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    section_id = str(value_of(body).get("s") or "")
    respond(
        text=ctx.t("reviewing.review_of", id=section_id),
        blocks=review_pages(ctx, section_id)[0],
        replace_original=False,
    )


def on_turn_page(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    value = value_of(body)
    _refresh(ctx, respond, {"s": value.get("s"), "p": value.get("go")})


def on_review_contribution(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    value = value_of(body)
    decision = {"review_accept": "accepted", "review_reject": "rejected"}.get(
        action_of(body).get("action_id", ""), "pending"
    )
    try:
        with ctx.db.session() as session:
            core.review_contribution(session, ctx.user_id or "", int(value.get("c", 0)), decision)
    except core.NotFound:
        respond(text=ctx.t("reviewing.gone"), replace_original=False)
    _refresh(ctx, respond, value)


def on_edit_text(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    section_id = str(value_of(body).get("s") or "")
    try:
        with ctx.db.session() as session:
            current = core.section_view(session, section_id, ctx.settings.language)
            title, text = str(current["title"]), str(current["text"])
            from_contributions = action_of(body).get("action_id") == "review_prefill"
            if from_contributions or not text.strip():  # start from what the group said
                text = core.prefill_text(session, section_id)
    except core.NotFound:
        respond(text=ctx.t("reviewing.gone"), replace_original=False)
        return
    view = text_modal(ctx, section_id, title, text, origin(body) | {"p": value_of(body).get("p")})
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _choices(ctx: RequestContext) -> tuple[list, list, list]:
    with ctx.db.session() as session:
        sections = [(str(s["title"]), str(s["id"])) for s in _sections(ctx, session)]
        roles = [(f"{r.name} ({r.role_id})", r.role_id) for r in role_rows(session)]
        groups = [(f"{g.name} ({g.group_id})", g.group_id) for g in group_rows(session)]
    return sections, roles, groups


def on_rule_edit(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    value = value_of(body)
    section_id = str(value.get("s") or "")
    rule: dict[str, Any] = {"section": None if section_id == OTHER else section_id}
    rule["verdict"] = "review"
    pk = value.get("r")
    with ctx.db.session() as session:
        if pk is not None:
            row = session.get(DraftRule, int(pk))
            if row is None:
                respond(text=ctx.t("reviewing.gone"), replace_original=False)
                return
            rule = rule_dict(row)
        else:
            rule["id"] = _next_rule_id({r.rule_id for r in rule_rows(session)})
    sections, roles, groups = _choices(ctx)
    metadata = origin(body) | {"pk": pk, "s": section_id, "p": value.get("p")}
    view = rule_modal(ctx, rule, sections, roles, groups, metadata)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _next_rule_id(taken: set[str]) -> str:
    folded = {t.casefold() for t in taken}
    number = len(taken) + 1
    while f"r{number:02d}" in folded:
        number += 1
    return f"R{number:02d}"


def on_rule_remove(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    value = value_of(body)
    removed = remove_from_draft(ctx, respond, DraftRule, int(value.get("r", 0)))
    if removed is None:
        return
    _refresh(ctx, respond, value)
    respond(text=ctx.t("reviewing.removed_rule", id=esc(removed["id"])), replace_original=False)


def on_role_edit(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    value = value_of(body)
    role: dict[str, Any] = {}
    pk = value.get("o")
    if pk is not None:
        with ctx.db.session() as session:
            row = session.get(DraftRole, int(pk))
            if row is None:
                respond(text=ctx.t("reviewing.gone"), replace_original=False)
                return
            role = role_dict(row)
    metadata = origin(body) | {"pk": pk, "s": value.get("s"), "p": value.get("p")}
    client.views_open(trigger_id=body["trigger_id"], view=role_modal(ctx, role, metadata))


def on_role_remove(
    ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any
) -> None:
    value = value_of(body)
    removed = remove_from_draft(ctx, respond, DraftRole, int(value.get("o", 0)))
    if removed is None:
        return
    _refresh(ctx, respond, value)
    respond(text=ctx.t("reviewing.removed_role", id=esc(removed["id"])), replace_original=False)


# -- document settings ----------------------------------------------------------------------
def on_settings(ctx: RequestContext, body: dict[str, Any], respond: Respond, client: Any) -> None:
    with ctx.db.session() as session:
        current = core.document_settings(session, ctx.settings.language)
        roles = [(f"{r.name} ({r.role_id})", r.role_id) for r in role_rows(session)]
    view = settings_modal(ctx, current, roles, origin(body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


# -- modal submissions ----------------------------------------------------------------------
def on_text_submitted(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    values = values_of(view)
    section_id = str(metadata.get("s") or "")
    try:
        with ctx.db.session() as session:
            row = core.save_section(
                session,
                ctx.user_id or "",
                section_id,
                text_from(values),
                ctx.settings.language,
                title=str(values.get("title") or ""),
            )
            title = row.title
    except core.Invalid as invalid:
        ack_field_errors(ctx, ack, view, invalid.issues)
        return
    except core.NotFound:
        ack(response_action="errors", errors={"title": ctx.t("reviewing.gone")[:150]})
        return
    ack()
    say_later(client, metadata, ctx.user_id or "", ctx.t("reviewing.saved_text", title=esc(title)))


def rule_from(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(values.get("id") or "").strip(),
        "verdict": values.get("verdict"),
        "text": str(values.get("text") or "").strip(),
        "section": values.get("section"),
        "role": values.get("role"),
        "applies_to": list(values.get("applies_to") or []),
        "keywords": core.split_list(values.get("keywords")),
        "unless": core.split_list(values.get("unless")),
        "detect": list(values.get("detect") or []),
        "patterns": core.split_lines(values.get("patterns")),
    }


def on_rule_submitted(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    pk = metadata.get("pk")
    try:
        with ctx.db.session() as session:
            row = core.save_rule(
                session, ctx.user_id or "", rule_from(values_of(view)), int(pk) if pk else None
            )
            rule_id = row.rule_id
    except core.Invalid as invalid:
        present = {b.get("block_id") for b in view["blocks"]}
        aliases = {} if "role" in present else {"role": "verdict"}
        ack_field_errors(ctx, ack, view, invalid.issues, **aliases)
        return
    except core.NotFound:
        ack(response_action="errors", errors={"id": ctx.t("reviewing.gone")[:150]})
        return
    ack()
    say_later(client, metadata, ctx.user_id or "", ctx.t("reviewing.saved_rule", id=esc(rule_id)))


def on_role_submitted(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    values = values_of(view)
    pk = metadata.get("pk")
    data = {
        "id": str(values.get("id") or "").strip(),
        "name": str(values.get("name") or "").strip(),
        "contact": str(values.get("contact") or "").strip(),
        "handles": str(values.get("handles") or "").strip(),
        "keywords": core.split_list(values.get("keywords")),
    }
    if metadata.get("s") and metadata["s"] != OTHER and not pk:
        data["section"] = metadata["s"]
    try:
        with ctx.db.session() as session:
            row = core.save_role(session, ctx.user_id or "", data, int(pk) if pk else None)
            role_id = row.role_id
    except core.Invalid as invalid:
        ack_field_errors(ctx, ack, view, invalid.issues)
        return
    except core.NotFound:
        ack(response_action="errors", errors={"id": ctx.t("reviewing.gone")[:150]})
        return
    ack()
    say_later(client, metadata, ctx.user_id or "", ctx.t("reviewing.saved_role", id=esc(role_id)))


def on_settings_submitted(ctx: RequestContext, body: dict[str, Any], ack: Ack, client: Any) -> None:
    view = body["view"]
    metadata = metadata_of(view)
    values = values_of(view)
    new = core.DocumentSettings(
        organisation=str(values.get("organisation") or ""),
        language=str(values.get("language") or ""),
        version=str(values.get("version") or ""),
        default_verdict=str(values.get("default_verdict") or ""),
        default_role=str(values.get("default_role") or ""),
        decisions=core.split_lines(values.get("decisions")),
    )
    try:
        with ctx.db.session() as session:
            core.save_document_settings(session, ctx.user_id or "", new)
    except core.Invalid as invalid:
        aliases = {"verdict": "default_verdict", "role": "default_role"}
        if "default_role" not in {b.get("block_id") for b in view["blocks"]}:
            aliases["role"] = "default_verdict"
        ack_field_errors(ctx, ack, view, invalid.issues, **aliases)
        return
    ack()
    say_later(client, metadata, ctx.user_id or "", ctx.t("reviewing.saved_settings"))
