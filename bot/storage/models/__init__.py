"""Every model module; importing this package registers all tables on `Base.metadata`.

Each capability keeps its tables in its own module (and its own Alembic branch).
"""

from bot.storage.models import (  # noqa: F401
    answering,  # noqa: F401
    asking,  # noqa: F401
    changes,  # noqa: F401
    counters,  # noqa: F401
    delivery,  # noqa: F401
    directory,  # noqa: F401
    drafting,
    drafting_extra,  # noqa: F401
    living,  # noqa: F401
    people,
    policy,
    reviewing,  # noqa: F401
    rhythm,  # noqa: F401
    slack_cache,
)
