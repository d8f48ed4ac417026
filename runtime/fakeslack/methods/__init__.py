"""Every fake Web API method, registered in `METHODS` by importing its module."""

from runtime.fakeslack.methods import (
    apps,
    assistant,
    chat,
    conversations,
    files,
    people,
    reactions,
    views,
)
from runtime.fakeslack.methods.base import METHODS, SlackError

__all__ = [
    "METHODS",
    "SlackError",
    "apps",
    "assistant",
    "chat",
    "conversations",
    "files",
    "people",
    "reactions",
    "views",
]
