"""Markdown and HTML exports, from the Jinja2 templates in `policy_content/templates/`.

Whatever a contributor typed stays text: HTML is autoescaped, section Markdown is rendered
by markdown-it with raw HTML switched off, and the Markdown export escapes `<` so that neither
a tag nor a Slack mention (`<!channel>`) survives a Markdown viewer. Values are data to Jinja,
never template source, so `{{ 7*7 }}` in a contribution is printed, not evaluated.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from bot.exporting.view import DocumentView


def _md_escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("<", "&lt;")
    return value


def _cell(value: Any) -> str:
    """One Markdown table cell: no line breaks, no column separators."""
    text = " ".join(str(value or "").split())
    return text.replace("|", "\\|")


def _oneline(value: Any) -> str:
    return " ".join(str(value or "").split())


def _link_text(value: Any) -> str:
    """Text inside `[…]`: one line, brackets escaped so the link stays a link."""
    return re.sub(r"([\[\]\\])", r"\\\1", _oneline(value))


def heading_anchor(title: str) -> str:
    """The anchor Markdown viewers (GitHub, GitLab, markdown-it-anchor) give a heading:
    lower case, punctuation dropped, spaces as dashes."""
    text = unicodedata.normalize("NFC", _oneline(title)).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _data_uri(content: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


@cache
def markdown_parser() -> MarkdownIt:
    # commonmark without raw HTML: `<script>` in a section's text is shown, not run.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render_markdown_html(text: str) -> Markup:
    return Markup(markdown_parser().render(text or ""))


@cache
def _environment(kind: str) -> Environment:
    common: dict[str, Any] = {
        "loader": PackageLoader("policy_content", "templates"),
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":
        env = Environment(autoescape=True, **common)
        env.filters["markdown"] = render_markdown_html
    else:
        env = Environment(autoescape=False, finalize=_md_escape, **common)
    env.filters["cell"] = _cell
    env.filters["oneline"] = _oneline
    env.filters["anchor"] = heading_anchor
    env.filters["link_text"] = _link_text
    env.filters["data_uri"] = _data_uri
    return env


def render_md(doc: DocumentView) -> bytes:
    text = _environment("md").get_template("policy.md.j2").render(doc=doc)
    # Blank lines pile up where optional parts are left out; one is enough in Markdown.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return ("\n".join(lines).strip() + "\n").encode("utf-8")


def render_html(doc: DocumentView) -> bytes:
    return _environment("html").get_template("policy.html.j2").render(doc=doc).encode()
