"""The command line speaks one language, POLICYBOT_LANGUAGE, with real plurals: its own lines,
and the format's problems under its headline (their paths as the file spells them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from runtime.cli import main
from tests.samples import SAMPLE_POLICY


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "POLICYBOT_LOGO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    return tmp_path


def _policy(tmp_path: Path, change: object = None) -> Path:
    data = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8"))
    if callable(change):
        change(data)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _one_of_each(data: dict) -> None:  # type: ignore[type-arg]
    data["sections"] = data["sections"][:1]
    data["rules"] = [dict(data["rules"][0], section="cover")]
    data["roles"] = [r for r in data["roles"] if r["id"] in (data["rules"][0]["role"],)]
    data["groups"] = data["groups"][:1]
    data["default"]["role"] = data["roles"][0]["id"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 section, 1 rule, 1 role, 1 group"),
        ("nl", "1 onderdeel, 1 regel, 1 rol, 1 groep"),
    ],
)
def test_one_of_each_is_counted_in_the_singular(
    cli: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    expected: str,
) -> None:
    monkeypatch.setenv("POLICYBOT_LANGUAGE", lang)
    assert main(["policy", "import", str(_policy(cli, _one_of_each))]) == 0
    assert expected in capsys.readouterr().out


def test_dutch_lines_stay_dutch(
    cli: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "nl")
    assert main(["policy", "import", str(SAMPLE_POLICY), "--adopt", "--by", "College"]) == 0
    out = capsys.readouterr().out
    assert "8 onderdelen, 24 regels, 10 rollen, 3 groepen" in out
    assert "door College op 20 januari 2026" in out
    assert main(["policy", "export", "--format", "md", "-o", "v.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("versie 2026.1 als md geschreven naar v.md (")
    assert "version" not in out
    # The document management signs counts what the import and the approval request count:
    # the cover sheet is one of the eight sections although it opens the document.
    assert "Dit beleid heeft 8 onderdelen, 24 regels en 10 rollen." in Path("v.md").read_text()
    assert main(["policy", "export", "--format", "md", "--draft", "-o", "c.md"]) == 0
    assert capsys.readouterr().out.startswith("het concept als md geschreven naar c.md (")


def test_format_problems_in_the_clis_language(
    cli: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    def break_it(data: dict) -> None:  # type: ignore[type-arg]
        data["rules"][3]["verdict"] = "maybe"
        data["roles"][1]["contact"] = "the press office"
        del data["rules"][0]["text"]

    bad = _policy(cli, break_it)
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "nl")
    assert main(["policy", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "voldoet niet aan het formaat policybot/1; er is niets geïmporteerd (3 problemen)" in err
    assert "rules[3].verdict: 'maybe' is niet een van forbidden, review, allowed (regel " in err
    assert "rules[0].text: is verplicht" in err
    assert "roles[1].contact: 'the press office' is geen contact" in err
    assert "is not" not in err and "required" not in err and "(line" not in err

    monkeypatch.setenv("POLICYBOT_LANGUAGE", "en")
    assert main(["policy", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nothing was imported (3 problems)" in err
    assert "rules[3].verdict: 'maybe' is not one of forbidden, review, allowed (line " in err


def test_one_problem_is_one_problem(
    cli: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (cli / "broken.yml").write_text("format: policybot/1\nrules: [a,\n  b: c\n", "utf-8")
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "nl")
    assert main(["policy", "import", "broken.yml"]) == 2
    err = capsys.readouterr().err
    assert "(1 probleem)" in err and "regel 4, kolom 1: geen geldige YAML" in err
