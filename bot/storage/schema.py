"""Where the schema stands, answered without Alembic.

Importing Alembic costs more than a `policybot check` does (about 0.14 s, with Mako and
Pygments behind it), and nearly every start finds the schema already at head. So the head is
read from the revision files themselves (their `revision`/`down_revision` assignments, as
Alembic reads them) and the current revision from `alembic_version`; Alembic is imported only
when there is something to migrate. `/readyz` asks the same question.

A database with no tables at all is not migrated one revision after another: Alembic's own
recipe for a new database ("Building an Up to Date Database from Scratch") creates the tables
from the models and stamps the version table at head, which is what `create_at_head` does,
without importing Alembic either. It is correct only while the models and the migrations
describe the same schema; `tests/test_migrations.py` compares the two on both backends.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import resources

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)

VERSION_TABLE = "alembic_version"


@cache
def head_revision() -> str:
    """The one revision no other revision revises (the history is one line)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = resources.files("bot.storage") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        values = _assignments(entry.read_text(encoding="utf-8"))
        revisions.add(str(values["revision"]))
        parent = values.get("down_revision")  # None, one revision, or several (a merge)
        if isinstance(parent, str):
            parents.add(parent)
        elif isinstance(parent, tuple | list):
            parents.update(str(p) for p in parent)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


# The two assignments, each on a line of its own as Alembic writes them: parsed alone, they
# cost a start far less than the whole file (which is parsed when they span lines).
_REVISION_LINES = re.compile(r"^(?:down_)?revision\b[^\n]*$", re.MULTILINE)


def _assignments(source: str) -> dict[str, object]:
    """`revision` and `down_revision` of one revision file, read, not run."""
    try:
        return _assigned(ast.parse("\n".join(_REVISION_LINES.findall(source))))
    except SyntaxError:
        return _assigned(ast.parse(source))


def _assigned(module: ast.Module) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in module.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if not isinstance(target, ast.Name) or value is None:
            continue
        if target.id in ("revision", "down_revision"):
            values[target.id] = ast.literal_eval(value)
    return values


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def at_head(engine: Engine) -> bool:
    """True when the database answers and its migrations are at head (raises if it is down)."""
    with engine.connect() as connection:
        return current_revision(connection) == head_revision()


def version_table() -> Table:
    """Alembic's version table, as its MigrationContext makes it (`version_table_impl`)."""
    return Table(
        VERSION_TABLE,
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
    )


def is_empty(connection: Connection) -> bool:
    """The database has no tables at all: neither ours nor Alembic's."""
    return not inspect(connection).get_table_names()


def create_at_head(connection: Connection, metadata: MetaData) -> None:
    """Every table of `metadata`, and the version table stamped at head, in the caller's
    transaction: a new database as the migrations would leave it, in one step."""
    metadata.create_all(connection)
    versions = version_table()
    versions.create(connection)
    connection.execute(versions.insert().values(version_num=head_revision()))
