"""Every fake Web API method, registered in `METHODS` by importing its module."""

from runtime.fakeslack.methods import apps, chat, conversations, files, people, reactions, views
from runtime.fakeslack.methods.base import METHODS, SlackError

__all__ = [
    "METHODS",
    "SlackError",
    "apps",
    "chat",
    "conversations",
    "files",
    "people",
    "reactions",
    "views",
]
