"""Every model module; importing this package registers all tables on `Base.metadata`.

Each capability keeps its tables in its own module (and its own Alembic branch).
"""

from bot.storage.models import drafting, people, policy, slack_cache  # noqa: F401
from bot.storage.models import asking  # noqa: F401
from bot.storage.models import reviewing  # noqa: F401
from bot.storage.models import drafting_extra  # noqa: F401
