"""The directory of names for Slack ids: remembered with when they were learned, the newest
name winning; stale ones listed for a fresh look; a resolver asked only for what is unknown
or stale, its answers kept. Exports from the command line use what is stored; an imported
file whose ids nobody knows shows no raw id."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot import directory
from bot.directory import CHANNEL, USER, USERGROUP, SlackRef
from bot.exporting import draft_source, export
from bot.exporting.names import Names, slack_refs
from bot.storage import Database
from bot.storage.models.directory import KnownName
from runtime.cli import main
from tests.documents import SAMPLE_IDS, docx_parts, open_docx, slack_ids_in
from tests.samples import SAMPLE_POLICY
from tests.seed import load_sample_draft

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def test_a_name_is_remembered_and_the_newest_wins(db: Database) -> None:
    db.migrate()
    with db.session() as session:
        directory.remember_name(session, "U0LOTTE01", USER, "Lotte de Vries", T0)
        directory.remember_name(session, "S0WEBCARE", USERGROUP, "@webcare", T0)
        directory.remember_name(session, "C0COMMS01", CHANNEL, "#communicatie", T0)
    with db.session() as session:
        # learned later elsewhere, then an older answer arrives: the newer name stays
        directory.remember_name(session, "U0LOTTE01", USER, "Lotte Jansen", T0 + dt.timedelta(1))
        directory.remember_name(session, "U0LOTTE01", USER, "Lotte Oud", T0 - dt.timedelta(1))
    with db.session() as session:
        names = directory.stored_names(session, ["U0LOTTE01", "S0WEBCARE", "C0COMMS01", "U0NOBODY"])
        row = session.get(KnownName, "U0LOTTE01")
        assert row is not None and row.learned_at == T0 + dt.timedelta(1)
    assert names == {
        "U0LOTTE01": "Lotte Jansen",
        "S0WEBCARE": "webcare",
        "C0COMMS01": "communicatie",
    }
    shown = Names("nl", names)
    assert shown.contact("@U0LOTTE01") == "Lotte Jansen"
    assert shown.contact("S0WEBCARE") == "@webcare"
    assert shown.contact("#C0COMMS01") == "#communicatie"
    assert shown.contact("@U0NOBODY") == "een Slack-gebruiker (naam nog niet bekend)"
    assert Names("en", {}).contact("S0NOBODY") == "a Slack user group (not yet resolved)"
    assert Names("en", {}).contact("#C0NOBODY") == "a Slack channel (not yet resolved)"
    assert shown.contact("privacy@voorbeeld.nl") == "privacy@voorbeeld.nl"
    assert shown.contact("#webcare") == "#webcare"


def test_a_bad_kind_is_a_programming_error(db: Database) -> None:
    db.migrate()
    with db.session() as session, pytest.raises(ValueError, match="kind"):
        directory.remember_name(session, "U0LOTTE01", "person", "Lotte", T0)


def test_stale_names_are_listed_oldest_first(db: Database) -> None:
    db.migrate()
    with db.session() as session:
        directory.remember_name(session, "U0OLD0001", USER, "Oud", T0 - dt.timedelta(days=60))
        directory.remember_name(session, "S0OLDER01", USERGROUP, "ouder", T0 - dt.timedelta(90))
        directory.remember_name(session, "C0FRESH01", CHANNEL, "vers", T0)
    with db.session() as session:
        stale = directory.stale_ids(session, now=T0 + dt.timedelta(days=1))
        assert stale == [SlackRef("S0OLDER01", USERGROUP), SlackRef("U0OLD0001", USER)]
        assert directory.stale_ids(session, now=T0, max_age=dt.timedelta(days=70)) == [
            SlackRef("S0OLDER01", USERGROUP)
        ]
        unknown = directory.unknown_refs(
            session, [SlackRef("U0OLD0001", USER), SlackRef("U0NEW0001", USER)]
        )
        assert unknown == [SlackRef("U0NEW0001", USER)]


def test_a_resolver_is_asked_only_for_unknown_and_stale_names(db: Database) -> None:
    db.migrate()
    with db.session() as session:
        directory.remember_name(session, "U0KNOWN01", USER, "Bekend", T0)
        directory.remember_name(session, "U0STALE01", USER, "Oude naam", T0 - dt.timedelta(99))
    asked: list[list[SlackRef]] = []

    def resolver(refs: list[SlackRef]) -> dict[str, str]:
        # what the Slack layer's resolver does with users.info, usergroups.list and
        # conversations.info: names for the ids it could look up, nothing for the rest
        asked.append(list(refs))
        slack = {"U0STALE01": "Nieuwe naam", "S0GROUP01": "webcare", "C0CHAN001": "communicatie"}
        return {ref.id: slack[ref.id] for ref in refs if ref.id in slack}

    refs = [
        SlackRef("U0KNOWN01", USER),
        SlackRef("U0STALE01", USER),
        SlackRef("S0GROUP01", USERGROUP),
        SlackRef("C0CHAN001", CHANNEL),
        SlackRef("U0GHOST01", USER),
    ]
    with db.session() as session:
        names = directory.names_for(session, refs, resolver, now=T0)
    assert [r.id for r in asked[0]] == ["C0CHAN001", "S0GROUP01", "U0GHOST01", "U0STALE01"]
    assert names == {
        "U0KNOWN01": "Bekend",
        "U0STALE01": "Nieuwe naam",
        "S0GROUP01": "webcare",
        "C0CHAN001": "communicatie",
    }
    with db.session() as session:  # remembered: the next document needs no lookup for them
        assert directory.unknown_refs(session, refs) == [SlackRef("U0GHOST01", USER)]
        assert directory.names_for(session, refs, None, now=T0) == names


def test_ids_are_found_in_contacts_groups_and_text() -> None:
    policy = {
        "roles": [
            {"id": "a", "contact": "@U0PERS001"},
            {"id": "b", "contact": "S07SVCDESK"},
            {"id": "c", "contact": "#C0WEBCARE"},
            {"id": "d", "contact": "#webcare"},
            {"id": "e", "contact": "x@y.nl"},
        ],
        "groups": [{"id": "g", "slack": "S0BOAS001"}, {"id": "h", "slack": "@boas"}],
        "sections": [{"id": "s", "title": "T", "text": "Vraag <@U0ANNA001|anna> of @U0PIET001."}],
        "rules": [
            {"id": "r", "text": "Meld het in <#C0MELD001|meldingen> of <!subteam^S0CRISIS1>."}
        ],
    }
    refs = slack_refs(policy, ["UWG00001"], ["zie U0BARE0001 en COVID19"])
    assert {r.id for r in refs} == {
        "U0PERS001",
        "S07SVCDESK",
        "C0WEBCARE",
        "S0BOAS001",
        "U0ANNA001",
        "U0PIET001",
        "C0MELD001",
        "S0CRISIS1",
        "UWG00001",
        "U0BARE0001",
    }
    shown = Names("en", {"U0PIET001": "Piet", "C0MELD001": "meldingen-team"})
    text = shown.text("Vraag <@U0ANNA001|anna> of @U0PIET001, zie U0BARE0001 en #COVID19.")
    assert text == "Vraag anna of Piet, zie a Slack user (not yet resolved) en #COVID19."
    hashtags = "Gebruik #CORONA2020 of #WK2026, SOCIALMEDIA1 en mail SOCIALMEDIA1@voorbeeld.nl."
    assert shown.text(hashtags) == hashtags
    # unless Slack told us it is one: then it is a name like every other
    assert Names("nl", {"CORONA2020": "corona"}).text("In #CORONA2020.") == "In #corona."
    assert shown.text("<#C0MELD001> <!subteam^S0CRISIS1|@crisis>") == "#meldingen-team @crisis"


def test_two_instances_remember_the_same_name_at_once(db: Database) -> None:
    """On PostgreSQL this is two connections racing for one row; neither may fail."""
    db.migrate()
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def learn(name: str, minutes: int) -> None:
        try:
            other = Database(db.url)
            barrier.wait()
            with other.session() as session:
                at = T0 + dt.timedelta(minutes=minutes)
                directory.remember_name(session, "U0RACE001", USER, name, at)
            other.dispose()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=learn, args=(n, m)) for n, m in (("A", 1), ("B", 2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(KnownName)) == 1
        assert directory.stored_names(session, ["U0RACE001"]) == {"U0RACE001": "B"}


# -- from the command line, without Slack -----------------------------------------------------
@pytest.fixture
def cli_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "POLICYBOT_LOGO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_LANGUAGE", "nl")
    return Database(db_url)


def test_a_cli_export_shows_the_stored_names(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "import", str(SAMPLE_POLICY), "--adopt", "--by", "College van B&W"]) == 0
    with cli_db.session() as session:  # what the Slack side stored when the contacts were picked
        directory.remember_name(session, "U0PERS001", USER, "Lotte de Vries", T0)
        directory.remember_name(session, "U0INTEG02", USER, "Ahmed Yilmaz", T0)
        directory.remember_name(session, "S07SVCDESK", USERGROUP, "servicedesk", T0)
    target = tmp_path / "beleid.docx"
    assert main(["policy", "export", "--format", "docx", "-o", str(target)]) == 0
    content = target.read_bytes()
    for xml in docx_parts(content).values():
        assert not any(slack_id in xml for slack_id in SAMPLE_IDS)
    document = open_docx(content)
    contacts = [row.cells[-1].text for t in document.tables for row in t.rows]
    assert {"Lotte de Vries", "Ahmed Yilmaz", "@servicedesk"} <= set(contacts)
    cli_db.dispose()


def test_an_imported_file_with_unknown_ids_shows_none_of_them(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(SAMPLE_POLICY.read_text("utf-8"))
    data["roles"][0]["contact"] = "#C0ABCDEF12"
    data["groups"][0]["slack"] = "S0BOAS0001"
    data["sections"][1]["text"] += "\n\nVragen? Vraag het <@U0ANNA0001|anna> of @U0PIET0001."
    source = tmp_path / "ids.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert main(["policy", "import", str(source)]) == 0
    for fmt in ("docx", "html", "md"):
        target = tmp_path / f"concept.{fmt}"
        assert main(["policy", "export", "--format", fmt, "--draft", "-o", str(target)]) == 0
        content = target.read_bytes()
        text = "\n".join(docx_parts(content).values()) if fmt == "docx" else content.decode("utf-8")
        for slack_id in (*SAMPLE_IDS, "C0ABCDEF12", "S0BOAS0001", "U0ANNA0001", "U0PIET0001"):
            assert slack_id not in text, (fmt, slack_id)
        assert not slack_ids_in(text.replace("&#34;", '"'))
        assert "een Slack-gebruiker (naam nog niet bekend)" in text
        assert "een Slack-kanaal (naam nog niet bekend)" in text
    # the YAML keeps the ids: it is the policy file, for the round trip
    target = tmp_path / "concept.yml"
    assert main(["policy", "export", "--format", "yaml", "--draft", "-o", str(target)]) == 0
    assert "#C0ABCDEF12" in target.read_text("utf-8")
    cli_db.dispose()


def test_draft_source_with_a_resolver_names_everyone(db: Database) -> None:
    db.migrate()
    load_sample_draft(db)

    def slack(refs: list[SlackRef]) -> dict[str, str]:
        return {"U0PERS001": "Lotte de Vries", "U0INTEG02": "Ahmed Yilmaz", "S07SVCDESK": "ict"}

    with db.session() as session:
        text = export(draft_source(session, "nl", resolve=slack), "md").content.decode()
    assert "Lotte de Vries" in text and "Ahmed Yilmaz" in text and "@ict" in text
    assert "naam nog niet bekend" not in text
