"""How much one request may cost, and why each default is what it is.

Settings override every value (bot/settings.py names the variables; README and
docs/interfaces.md document them).
"""

from __future__ import annotations

# Slack's largest requests are view submissions: a modal of at most 100 blocks and its
# inputs, form-encoded (which can triple JSON's size), a few hundred KiB at the very most.
# A request body larger than this is refused with 413 before a byte of it is read.
MAX_REQUEST_BYTES = 1024 * 1024

# The largest policy file read (`bot.policy.reading`, whose YAML the settings do not need at
# start-up): a 10,000-rule policy is about 3 MB.
DEFAULT_MAX_POLICY_BYTES = 5 * 1024 * 1024

# Slack waits 3 seconds for the ack, then retries: a body that has not arrived by then is
# of no use, and a connection that holds a thread without sending one is an attack.
REQUEST_READ_TIMEOUT_MS = 3000

# Threads per `serve --http` worker. A thread is held while a request's body is read (at most
# the read timeout) and while Bolt acks it; idle keep-alive connections hold none.
HTTP_THREADS = 32

# A database that does not answer must make a request fail in about Slack's 3 seconds, not
# hang it: connecting gives up after this (PostgreSQL counts whole seconds, at least 2) …
DB_CONNECT_TIMEOUT_MS = 2000
# … and one statement after this (PostgreSQL's statement_timeout, and the client's own
# deadline a second later for a server that does not answer at all; SQLite's busy timeout,
# how long a writer waits for another's lock).
DB_STATEMENT_TIMEOUT_MS = 5000
