"""Exports of the draft or an adopted version: Markdown, HTML, DOCX and the `policybot/1` YAML.

    source = draft_source(session, "nl", resolve=None, zone=settings.timezone)
    # or version_source(session, 3, resolve=None)
    exported = export(source, "docx", decisions, logo=load_logo(settings.logo))

`resolve` is a `bot.directory.NameResolver`: a caller that can reach Slack passes one so that
Slack ids nobody has named yet are looked up; without it the stored names are used, and an id
nobody knows is written as a neutral phrase, never as the id.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from bot import yaml_safe
from bot.cleantext import clean_data, clean_text
from bot.exporting.source import (
    DRAFT,
    ExportSource,
    NothingAdopted,
    draft_source,
    version_source,
)
from bot.exporting.view import Logo, build_view
from bot.policy.model import PolicyFormatError
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import dump_policy_yaml

log = logging.getLogger(__name__)

FORMATS = ("md", "html", "docx", "yaml")
MIME_TYPES = {
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "yaml": "application/yaml",
}
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))

__all__ = [
    "DRAFT",
    "FORMATS",
    "ExportSource",
    "ExportedFile",
    "Logo",
    "NothingAdopted",
    "draft_source",
    "export",
    "load_logo",
    "version_source",
]


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content: bytes
    mimetype: str
    format: str


def export(
    source: ExportSource,
    fmt: str,
    decisions: list[str] | None = None,
    *,
    logo: Logo | None = None,
) -> ExportedFile:
    """Render `source` as `fmt`; `decisions` are the proposed cover decisions of a draft;
    `logo` goes on the cover of the DOCX and HTML."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    source, decisions = _cleaned(source), clean_data(list(decisions)) if decisions else decisions
    if fmt == "yaml":
        content = export_yaml(source).encode("utf-8")
    else:
        # The renderers (python-docx, Jinja2, markdown-it) are imported only to export: a bot
        # that starts, answers and drafts never pays for them.
        from bot.exporting.docx_writer import render_docx
        from bot.exporting.text import render_html, render_md

        view = build_view(source, decisions, logo)
        render = {"md": render_md, "html": render_html, "docx": render_docx}[fmt]
        content = render(view)
    return ExportedFile(source.filename(fmt), content, MIME_TYPES[fmt], fmt)


def _cleaned(source: ExportSource) -> ExportSource:
    """Text stored before it was cleaned where it entered (`bot.cleantext`) leaves clean all
    the same: no document carries NUL, ESC, BEL or a bidi override (nor can a DOCX hold them)."""
    return replace(
        source,
        policy=clean_data(copy.deepcopy(source.policy)),
        label=clean_text(source.label),
        contributors=[replace(c, name=clean_text(c.name)) for c in source.contributors],
        contributions=[
            replace(c, text=clean_text(c.text), question=clean_text(c.question))
            for c in source.contributions
        ],
        names={key: clean_text(name) for key, name in source.names.items()},
    )


def export_yaml(source: ExportSource) -> str:
    """The `policybot/1` file. A draft that does not validate yet is still written out, as it
    stands, so that it can be finished in an editor and imported again."""
    try:
        return dump_policy_yaml(parse_policy(source.policy))
    except PolicyFormatError:
        return yaml_safe.dump(
            source.policy, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        )


def load_logo(path: Path | None) -> Logo | None:
    """The logo file named by POLICYBOT_LOGO (checked at start-up). Should it have gone or
    changed since, the document is made without it rather than not at all."""
    if path is None:
        return None
    try:
        content = path.read_bytes()
    except OSError as error:
        log.warning("the logo %s cannot be read (%s); exporting without it", path, error)
        return None
    mimetype = next((m for magic, m in _IMAGE_TYPES if content.startswith(magic)), None)
    if mimetype is not None:
        from docx.image.image import Image as DocxImage

        try:
            DocxImage.from_blob(content)  # what Word needs to know: its size in pixels and dpi
        except Exception as error:  # python-docx raises several kinds on a damaged image
            log.warning("the logo %s cannot be read as an image (%s)", path, error)
            return None
        return Logo(content, mimetype)
    log.warning("the logo %s is no longer a PNG or JPEG; exporting without it", path)
    return None
