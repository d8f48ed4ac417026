"""The models, one module per capability; each registers its tables on `Base.metadata` when it
is imported, by whatever uses them.

Importing this package imports none of them. Mapping a model class is most of what the models
cost a start, and a serving process needs only some of them to acknowledge its first request:
the rest are imported by the code that uses them (at the latest by the warm-up after the first
request, `runtime.lifecycle`). A module whose foreign key names another module's table imports
that module. What needs the whole schema (a new database created from the models, Alembic's
comparison with them) asks `everything()`.
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import MetaData

from bot.storage.base import Base

MODULES = (
    "answering",
    "asking",
    "changes",
    "counters",
    "delivery",
    "directory",
    "drafting",
    "drafting_extra",
    "living",
    "people",
    "policy",
    "reviewing",
    "rhythm",
    "slack_cache",
)


def everything() -> MetaData:
    """`Base.metadata` with every model's table on it."""
    for name in MODULES:
        import_module(f"{__name__}.{name}")
    return Base.metadata
