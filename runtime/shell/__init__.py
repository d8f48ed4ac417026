"""`policybot shell`: the real app and handlers, through real Bolt dispatch, on a fake Slack.

`run_shell(settings, stdin, stdout, interactive=...)` is what the CLI calls;
`user_id_for(name)` is the Slack user id the shell gives a name (for POLICYBOT_ADMINS).
"""

from runtime.shell.identity import user_id_for
from runtime.shell.repl import run_shell

__all__ = ["run_shell", "user_id_for"]
