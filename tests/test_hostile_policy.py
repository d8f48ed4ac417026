"""`policybot policy import` refuses hostile files at once, each with one line and exit 2,
and changes nothing: a file over the size limit, an endless one, an alias bomb, deep nesting,
NUL and binary data (finding 5). Control characters and bidi overrides in a file that is
otherwise a policy are removed on the way in, so no document carries them (finding 8)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.policy.reading import MAX_DEPTH, PolicyRefused, check_structure
from bot.policy.yaml_io import load_policy_yaml
from bot.storage import Database
from bot.storage.models.policy import AuditEntry, DraftRule, DraftSection, PolicyVersion
from runtime.cli import main
from tests.documents import document_text
from tests.samples import SAMPLE_POLICY

# The 579-byte file of the attack run: nine levels of nine aliases, 9⁹ strings expanded.
ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
format: policybot/1
"""
UNWANTED = ("\x00", "\x1b", "\x07", "\u202e")
PEAK_BYTES = 16 * 1024 * 1024  # three times the read limit; an expanded bomb takes gigabytes


def _nothing_stored(db: Database) -> bool:
    with db.session() as session:
        tables = (DraftRule, DraftSection, PolicyVersion, AuditEntry)
        return all(not session.scalar(select(func.count()).select_from(t)) for t in tables)


def _refused(capsys: pytest.CaptureFixture[str], db: Database, path: Path) -> str:
    """Import `path`: refused, exit 2, one line, nothing stored, and nothing of it built: the
    import's memory at its peak stays near the read buffer (at most the size limit, 5 MiB;
    5.3 MB measured for each of these files, and for the sample policy imported).

    Memory, not time: what a bomb costs is its expansion (9⁹ strings, gigabytes), which no
    measure of seconds on shared cores tells apart from a slow moment (a CPU-time bound
    counted the pytest process's other threads too); the reason refused (the structure's
    check, before anything is loaded) says where it was stopped."""
    tracemalloc.start()
    try:
        code = main(["policy", "import", str(path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.startswith("policybot: ") and err.count("\n") == 1, err  # one line
    assert "Traceback" not in err and out == ""
    assert peak < PEAK_BYTES, f"{peak / 1e6:.1f} MB at the peak"
    assert _nothing_stored(db)
    return err


def test_an_alias_bomb_is_refused_before_it_expands(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.yml"
    bomb.write_text(ALIAS_BOMB, "utf-8")
    assert len(ALIAS_BOMB.encode()) < 600
    assert "alias bomb" in _refused(capsys, cli_env, bomb)


def test_an_alias_that_contains_itself_is_refused(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "loop.yml"
    loop.write_text("format: policybot/1\nrules: &r [*r]\n", "utf-8")
    assert "*r refers to a value that contains it" in _refused(capsys, cli_env, loop)


def test_many_aliases_are_refused_even_when_each_is_small(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = tmp_path / "many.yml"
    many.write_text("a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n", "utf-8")
    assert "more than 100 YAML aliases" in _refused(capsys, cli_env, many)


@pytest.mark.parametrize(
    "nesting",
    [
        "[" * 100_000 + "]" * 100_000,  # flow style, past libyaml's own limit
        "rules: " + "[" * 200 + "]" * 200,  # past ours, inside libyaml's
        "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "end\n",  # block style
    ],
    ids=["flow-100000", "flow-200", "block-300"],
)
def test_deep_nesting_is_refused_without_a_recursion_error(
    nesting: str, cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.yml"
    deep.write_text(nesting, "utf-8")
    assert f"nested more than {MAX_DEPTH} deep" in _refused(capsys, cli_env, deep)


@pytest.mark.parametrize(
    "content",
    [
        b"format: policybot/1\norganisation: Gemeente\x00Voorbeeld\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"format: policybot/1\norganisation: \xff\xfe\xfd\n",
    ],
    ids=["nul-byte", "png", "not-utf8"],
)
def test_nul_and_binary_data_are_refused(
    content: bytes, cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "binary.yml"
    binary.write_bytes(content)
    assert "is not a text file" in _refused(capsys, cli_env, binary)


def test_a_file_over_the_limit_is_refused_and_the_limit_is_a_setting(
    cli_env: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = tmp_path / "big.yml"
    big.write_bytes(b"# " + b"x" * (6 * 1024 * 1024) + b"\n" + SAMPLE_POLICY.read_bytes())
    assert "larger than 5 MiB (POLICYBOT_MAX_POLICY_BYTES)" in _refused(capsys, cli_env, big)

    monkeypatch.setenv("POLICYBOT_MAX_POLICY_BYTES", "4096")
    assert SAMPLE_POLICY.stat().st_size > 4096
    assert "larger than 4 KiB" in _refused(capsys, cli_env, SAMPLE_POLICY)


def test_an_endless_input_is_read_only_up_to_the_limit(
    cli_env: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "larger than 5 MiB" in _refused(capsys, cli_env, Path("/dev/zero"))


def test_merge_keys_and_a_few_shared_values_still_load() -> None:
    text = SAMPLE_POLICY.read_text("utf-8") + "x-shared: &shared {owner: comms}\nx-use: *shared\n"
    check_structure(text)
    assert load_policy_yaml(text).extras["x-use"] == {"owner": "comms"}
    with pytest.raises(PolicyRefused):
        check_structure(ALIAS_BOMB)
    # A text only the Python parser reads (libyaml refuses `[tip:]`) is checked by it too.
    with pytest.raises(PolicyRefused):
        check_structure(ALIAS_BOMB + "x-tip: [tip:]\n")
    with pytest.raises(PolicyRefused):
        load_policy_yaml(ALIAS_BOMB.replace("format: policybot/1", "x-tip: [tip:]"))


def test_control_characters_and_bidi_overrides_are_removed_and_no_export_carries_them(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8"))
    data["organisation"] = "Gemeente\x1b[31m Voorbeeld\x07"
    data["sections"][0]["title"] = "Waarom \u202edit beleid\u202c"
    data["rules"][0]["text"] += " \u2066geïsoleerd\u2069\x1b]0;pwned\x07"
    hostile = tmp_path / "hostile.yml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    hostile.write_text(text.replace("Voorbeeld", "Voor\x1bbeeld", 1), "utf-8")  # raw ESC too
    assert main(["policy", "import", str(hostile), "--adopt", "--by", "College\x07 van B&W"]) == 0
    capsys.readouterr()

    for fmt in ("md", "html", "docx", "yaml"):
        target = tmp_path / f"out.{fmt}"
        assert main(["policy", "export", "--format", fmt, "-o", str(target)]) == 0
        content = document_text(target.read_bytes(), fmt)
        assert not any(c in content for c in UNWANTED), fmt
        assert "Gemeente[31m Voorbeeld" in content and "Waarom dit beleid" in content
    capsys.readouterr()
