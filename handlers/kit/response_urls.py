"""Which addresses a response_url may have: the bot posts what it says there, so a URL from a
modal's metadata or a request is used only when it is Slack's (or, for test doubles and
GovSlack, on the host of SLACK_API_URL). Anything else, a forged or mistaken address, is
never called: the reply goes another way (`replies.answer_privately`)."""

from __future__ import annotations

from urllib.parse import urlsplit

SLACK_HOOK_HOSTS = frozenset({"hooks.slack.com", "hooks.slack-gov.com"})


def is_response_url(url: str, api_url: str) -> bool:
    """Whether `url` is one Slack gives as a response_url, for a bot whose Web API is at
    `api_url`: https on Slack's hooks host, or any path on the Web API's own scheme and host."""
    try:
        target, api = urlsplit(url), urlsplit(api_url)
        if target.scheme == "https" and target.hostname in SLACK_HOOK_HOSTS:
            return target.port in (None, 443)
        return (target.scheme, target.hostname, target.port) == (api.scheme, api.hostname, api.port)
    except ValueError:  # a port that is not a number, a malformed address
        return False
