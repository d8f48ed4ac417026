"""A policy author's own other sense of a keyword (policy-format.md, "Matching, as users may
rely on it"): a rule's `not_examples` entry of two to four words that holds one of its one-word
keywords ("in a row" beside `row`) names a phrase in which that keyword means something else.
Where a question holds the phrase, the keyword inside it is no evidence for that rule
(`engine`); a longer entry stays a whole look-alike post (`weighing.example_items`)."""

from __future__ import annotations

from bot.answering.stemming import word_keys
from bot.answering.text import Folded, fold, tokenize
from bot.policy.model import Rule

# a phrase as the keys (`word_keys`) of its words, in order
NotSense = tuple[frozenset[str], ...]

MAX_NOT_SENSE_WORDS = 4  # a longer `not_examples` entry is a whole look-alike post


def not_senses(rule: Rule) -> tuple[NotSense, ...]:
    """The rule's `not_examples` that are short phrases holding one of its one-word keywords
    (`"in a row"` beside the keyword `row`): its author's word that the keyword, inside them,
    means something else. Each as the keys (`word_keys`) of its words, in order."""
    if not rule.not_examples:  # most rules: compiling a policy pays nothing for this
        return ()
    keys = {key for k in rule.keywords if len(k.split()) == 1 for key in word_keys(fold(k))}
    phrases = []
    for example in rule.not_examples:
        tokens = tokenize(Folded(example))
        if not 2 <= len(tokens) <= MAX_NOT_SENSE_WORDS:
            continue
        words = tuple(frozenset(word_keys(t.text)) for t in tokens)
        if any(not w.isdisjoint(keys) for w in words):
            phrases.append(words)
    return tuple(phrases)


def not_sense_spans(phrases: tuple[NotSense, ...], text: str) -> list[tuple[int, int]]:
    """Where the question holds one of the rule's `not_senses` phrases (in any inflection):
    its keyword there is read in the other sense, and is no evidence."""
    tokens = tokenize(Folded(text))
    keys = [frozenset(word_keys(t.text)) for t in tokens]
    spans = []
    for phrase in phrases:
        for first in range(len(tokens) - len(phrase) + 1):
            if all(not keys[first + i].isdisjoint(w) for i, w in enumerate(phrase)):
                spans.append((tokens[first].ostart, tokens[first + len(phrase) - 1].oend))
    return spans
