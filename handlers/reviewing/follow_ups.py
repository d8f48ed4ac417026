"""What other capabilities do once a version is adopted, by name (wired in
handlers/__init__.py: living asks the kept questions again); run once, in the announcement's
completion step (`adoption.announced`). Here, apart from adoption, so that wiring it imports
nothing else (`handlers.kit.later`)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.kit.context import RequestContext

AfterAdoption = Callable[[RequestContext, int], None]
AFTER_ADOPTION: dict[str, AfterAdoption] = {}
