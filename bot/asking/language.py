"""The language a person asked in.

Slack's locale is a poor guide to it: Slack offers no Dutch interface, so a Dutch employee's
locale is most often `en-US`. The words of a question are a better one: an answer (and the
conversation an escalation of it starts) is in the language of the question when its
function words say so, and in the locale's (else the default) only when they do not. A post
the asker wants checked says nothing of their language, only their own words around it do.
"""

from __future__ import annotations

from bot.answering.text import guess_language, tokenize
from bot.asking.intents import HELP_WORDS, help_word, normalise
from bot.vocabulary import Language, is_language


def language_of_question(asker_words: str) -> Language | None:
    """`nl` or `en` when the asker's own words say which, else None.

    Only what the asker wrote to the bot counts (`Intent.asker_words`: "mag ik dit posten:",
    "wie gaat over klachten?"), never a post they want checked: a Dutch colleague may well
    want to share an English post, and still reads Dutch."""
    greeting = HELP_WORDS.get(help_word(normalise(asker_words)))
    if greeting is not None:  # a greeting or a call for help says its language
        return greeting
    guessed = guess_language(tokenize(asker_words)) if asker_words else None
    return guessed if is_language(guessed) else None
