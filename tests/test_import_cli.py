"""`policybot policy import|export`: the round trip keeps every field; a bad file is refused
as a whole with the path of each bad value and changes nothing; exit codes as promised."""

from __future__ import annotations

import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml
from sqlalchemy import func, select

from bot.storage import Database
from bot.storage.models.policy import AuditEntry, DraftRule, DraftSection, PolicyVersion
from runtime.cli import main
from tests.samples import SAMPLE_POLICY

REPO = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(DraftRule)) or 0,
            session.scalar(select(func.count()).select_from(DraftSection)) or 0,
            session.scalar(select(func.count()).select_from(PolicyVersion)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_import_then_export_yaml_gives_back_every_field(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "policy", "import", str(SAMPLE_POLICY))
    assert (code, err) == (0, "") and "24 rules" in out
    target = tmp_path / "back.yml"
    code, out, err = run(
        capsys, "policy", "export", "--format", "yaml", "--draft", "-o", str(target)
    )
    assert (code, err) == (0, "")
    original = yaml.safe_load(SAMPLE_POLICY.read_text(encoding="utf-8"))
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == original


def test_extra_x_keys_survive_the_round_trip(cli_env: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(SAMPLE_POLICY.read_text(encoding="utf-8"))
    data["x-owner"] = {"team": "communicatie"}
    data["sections"][0]["x-note"] = "cover first"
    data["rules"][0]["x-reviewed"] = True
    data["roles"][0]["x-slack-channel"] = "C0COMMS"
    data["groups"][0]["x-size"] = 40
    source = tmp_path / "extended.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert run(capsys, "policy", "import", str(source))[0] == 0
    target = tmp_path / "back.yml"
    assert run(capsys, "policy", "export", "--format", "yaml", "--draft", "-o", str(target))[0] == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == data


def test_import_and_adopt_then_export_the_version(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    by = "College van burgemeester en wethouders"
    code, out, err = run(capsys, "policy", "import", str(SAMPLE_POLICY), "--adopt", "--by", by)
    assert code == 0 and "version 2026.1 (number 1)" in out
    target = tmp_path / "v1.yml"
    assert (
        run(capsys, "policy", "export", "--format", "yaml", "--version", "1", "-o", str(target))[0]
        == 0
    )
    assert yaml.safe_load(target.read_text("utf-8")) == yaml.safe_load(
        SAMPLE_POLICY.read_text("utf-8")
    )
    # the latest version is the default
    latest = tmp_path / "latest.yml"
    assert run(capsys, "policy", "export", "--format", "yaml", "-o", str(latest))[0] == 0
    assert latest.read_bytes() == target.read_bytes()


def test_every_format_exports_from_the_command_line(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "policy", "import", str(SAMPLE_POLICY), "--adopt", "--by", "B&W")[0] == 0
    for fmt in ("md", "html", "docx"):
        target = tmp_path / f"policy.{fmt}"
        code, out, err = run(capsys, "policy", "export", "--format", fmt, "-o", str(target))
        assert (code, err) == (0, "") and str(target) in out
    assert "| R01 |" in (tmp_path / "policy.md").read_text("utf-8")
    parser = HTMLParser()
    parser.feed((tmp_path / "policy.html").read_text("utf-8"))
    document = docx.Document(io.BytesIO((tmp_path / "policy.docx").read_bytes()))
    assert any("B&W" in cell.text for t in document.tables for row in t.rows for cell in row.cells)


def test_a_file_that_breaks_the_format_changes_nothing(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "policy", "import", str(SAMPLE_POLICY))[0] == 0
    before = counts(cli_env)
    data = yaml.safe_load(SAMPLE_POLICY.read_text(encoding="utf-8"))
    data["rules"][3]["verdict"] = "maybe"
    data["roles"][1]["contact"] = "the press office"
    del data["rules"][0]["text"]
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    code, out, err = run(capsys, "policy", "import", str(bad), "--adopt", "--by", "Directie")
    assert code == 2 and out == ""
    assert "rules[3].verdict: 'maybe' is not one of forbidden, review, allowed" in err
    assert "roles[1].contact:" in err and "rules[0].text: is required" in err
    assert "Traceback" not in err
    assert counts(cli_env) == before


def test_bad_input_exits_2_with_one_line(cli_env: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "policy", "import", str(SAMPLE_POLICY), "--adopt")
    assert code == 2 and err.count("\n") == 1 and "--by" in err
    code, _, err = run(capsys, "policy", "import", str(tmp_path / "missing.yml"))
    assert code == 2 and err.count("\n") == 1 and "missing.yml" in err
    (tmp_path / "broken.yml").write_text("format: policybot/1\nrules: [", "utf-8")
    code, _, err = run(capsys, "policy", "import", str(tmp_path / "broken.yml"))
    assert code == 2 and "not valid YAML" in err
    assert counts(cli_env) == (0, 0, 0, 0)


def test_export_without_an_adopted_version_exits_3(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "policy", "export", "--format", "md", "-o", str(tmp_path / "x.md"))
    assert code == 3 and out == "" and err.count("\n") == 1
    assert not (tmp_path / "x.md").exists()
    code, _, err = run(capsys, "policy", "export", "--format", "md", "--version", "4", "-o", "x")
    assert code == 3 and "no version 4" in err


def test_a_policy_without_rules_cannot_be_adopted(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(SAMPLE_POLICY.read_text(encoding="utf-8"))
    data["rules"] = []
    source = tmp_path / "norules.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    code, out, err = run(capsys, "policy", "import", str(source), "--adopt", "--by", "Directie")
    assert code == 2 and "cannot be adopted" in err
    assert counts(cli_env) == (0, 0, 0, 0)


def test_the_installed_command_runs_it_too(cli_env: Database, tmp_path: Path, db_url: str) -> None:
    target = tmp_path / "draft.md"
    env = {"DATABASE_URL": db_url, "POLICYBOT_LANGUAGE": "nl", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "policy", "import", str(SAMPLE_POLICY)],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "geïmporteerd als concept" in done.stdout  # the operator's language
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "runtime.cli",
            "policy",
            "export",
            "--format",
            "md",
            "--draft",
            "-o",
            str(target),
        ],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "# Social mediabeleid: Gemeente Voorbeeld" in target.read_text("utf-8")


def test_a_nul_character_is_refused_before_the_database(
    cli_env: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    text = SAMPLE_POLICY.read_text("utf-8").replace(
        "title: Waarom dit beleid", 'title: "Waarom\\0 dit beleid"'
    )
    (tmp_path / "nul.yml").write_text(text, "utf-8")
    code, out, err = run(capsys, "policy", "import", str(tmp_path / "nul.yml"))
    assert code == 2 and "sections[2].title: contains a NUL character" in err
    assert counts(cli_env) == (0, 0, 0, 0)
