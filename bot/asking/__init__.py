"""Answering employees from the adopted policy: intents, the question log, escalations, gaps.

No Slack here: `handlers/asking.py` and `runtime/cli_asking.py` call into these modules.
"""
