"""Consolidation, adoption and export through `policybot shell`: a scripted subprocess on a
database the CLI imported the sample policy into."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.storage import Database
from bot.storage.models.policy import DraftSection, PolicyVersion
from runtime.shell import user_id_for
from tests.cli_runs import run_policybot
from tests.samples import SAMPLE_POLICY

SCRIPT = r"""
\as @carla
\lang en
\channel #general
/policy review purpose
\pick 1
\submit
text_0: A shorter purpose, written in the shell.

/policy adopt
\submit

\submit
approved_by: Directie
announce: #general

/policy adopted
/policy export docx
"""


def _run(argv: list[str], database_url: str, workdir: Path, script: str = "") -> str:
    return run_policybot(argv, database_url, workdir, script, admins=user_id_for("carla"))


def test_review_adopt_and_export_in_the_shell(db_url: str, tmp_path: Path) -> None:
    _run(["policy", "import", str(SAMPLE_POLICY)], db_url, tmp_path)
    out = _run(["shell"], db_url, tmp_path, SCRIPT)
    assert "The text of *Waarom dit beleid* is saved in the draft." in out
    assert "Step 1 of 3" in out and "Step 2 of 3" in out and "Step 3 of 3: done." in out
    assert "Versie 2026.1 van ons social mediabeleid is vastgesteld" in out  # announced
    assert "*2026.1* (number 1)" in out and "in force" in out
    assert "gemeente-voorbeeld-policy-2026.1.docx" in out

    database = Database(db_url)
    try:
        with database.session() as session:
            text = session.get(DraftSection, "purpose").text
            version = session.scalars(select(PolicyVersion)).one()
            frozen = next(s for s in version.document["sections"] if s["id"] == "purpose")
    finally:
        database.dispose()
    assert text == "A shorter purpose, written in the shell."
    assert frozen["text"] == text and version.approved_by == "Directie"
