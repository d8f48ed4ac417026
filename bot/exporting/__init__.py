"""Exports of the draft or an adopted version: Markdown, HTML, DOCX and the `policybot/1` YAML.

source = draft_source(session, "nl")          # or version_source(session, 3)
exported = export(source, "docx", decisions)  # bytes, a file name and a MIME type
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from bot.exporting.docx_writer import render_docx
from bot.exporting.source import (
    DRAFT,
    ExportSource,
    NothingAdopted,
    draft_source,
    version_source,
)
from bot.exporting.text import render_html, render_md
from bot.exporting.view import build_view
from bot.policy.model import PolicyFormatError
from bot.policy.validation import parse_policy
from bot.policy.yaml_io import dump_policy_yaml

FORMATS = ("md", "html", "docx", "yaml")
MIME_TYPES = {
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "yaml": "application/yaml",
}

__all__ = [
    "DRAFT",
    "FORMATS",
    "ExportSource",
    "ExportedFile",
    "NothingAdopted",
    "draft_source",
    "export",
    "version_source",
]


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content: bytes
    mimetype: str
    format: str


def export(source: ExportSource, fmt: str, decisions: list[str] | None = None) -> ExportedFile:
    """Render `source` as `fmt`; `decisions` are the proposed cover decisions of a draft."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "yaml":
        content = export_yaml(source).encode("utf-8")
    else:
        view = build_view(source, decisions)
        render = {"md": render_md, "html": render_html, "docx": render_docx}[fmt]
        content = render(view, source.language)
    return ExportedFile(source.filename(fmt), content, MIME_TYPES[fmt], fmt)


def export_yaml(source: ExportSource) -> str:
    """The `policybot/1` file. A draft that does not validate yet is still written out, as it
    stands, so that it can be finished in an editor and imported again."""
    try:
        return dump_policy_yaml(parse_policy(source.policy))
    except PolicyFormatError:
        return yaml.safe_dump(
            source.policy, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        )
