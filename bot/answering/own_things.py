"""Whether a post speaks of the asker's own things ("my bike", "mijn kat", "my own garden") or
of the work in the first person ("my shift", "mijn collega's", "my client", "a case study
with us"): only the first shows a post no rule covers to be plainly fine
(`unsure.unsure_cue`; policy-format.md, "A post no rule covers and nothing shows to be fine";
devset README, round 24).

"My" is as often the work's as the asker's: a shift, a colleague, a patient are the asker's
only as the work gives them. Two readings tell them apart, each true of the language rather
than of one policy:

- *the thing said of is the work*: the word after "my"/"mijn" (past "own", "new") is one of
  the work's words: the frame lexicon's work cues ("dienst", "shift", "collega", "klant",
  "patient", `frames.yml`), with the private cues this policy's own texts use (a handball
  club's "training", `frame.frame_cues`);
- *someone else is in it*: a person word or a name, other than the asker's own family after
  "my" ("mijn broer"), a pronoun that may stand for them, and a platform's name ("op
  LinkedIn"): a post about others is their business or the work's, not the asker's own.

"Us"/"ons" after a preposition ("with us", "bij ons", "voor ons") is the organisation, not the
asker among those something happens to ("dat scheelt ons een hoop gedoe"), and is not an own
thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.domain import PRONOUNS, mentions_person
from bot.answering.frame import FrameCues
from bot.answering.lexicon import lexicon_file
from bot.answering.text import Token, fold

_WE = frozenset({"us", "ons"})


@dataclass(frozen=True, slots=True)
class OwnLexicon:
    own: frozenset[str]  # "my", "mijn", "eigen", "us" …
    between: frozenset[str]  # between "my" and the thing: "own", "nieuwe"
    platforms: frozenset[str]  # a platform's name is no person's ("LinkedIn", "Insta")
    prepositions: frozenset[str]  # "with us", "bij ons": the organisation
    own_people: frozenset[str]  # "my partner", "mijn man": the asker's own people
    towards: frozenset[str]  # "naar Spanje", "in Gent": a name after these is a place


@lru_cache(maxsize=1)
def own_lexicon() -> OwnLexicon:
    data = lexicon_file("unsure.yml")

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(word)) for word in data[key])

    return OwnLexicon(
        words("own"),
        words("between"),
        words("platforms"),
        words("prepositions"),
        words("own_people"),
        words("towards"),
    )


def own_things(tokens: Sequence[Token], text: str, cues: FrameCues) -> bool:
    """Whether the post speaks of the asker's own things and not of the work in the first
    person (the module's three readings). `tokens`: the post's words; `text`: as written (a
    name is read by its capital)."""
    lexicon = own_lexicon()
    words = [t.text for t in tokens]
    owners = [
        i
        for i, word in enumerate(words)
        if word in lexicon.own
        and not (word in _WE and i > 0 and words[i - 1] in lexicon.prepositions)
    ]
    if not owners:
        return False
    things = [_possessed(words, i, lexicon) for i in owners]
    if any(thing in cues.work for thing in things):
        return False  # "my shift", "mijn collega's"
    return not _someone_else(tokens, text, cues, lexicon)


def _possessed(words: list[str], at: int, lexicon: OwnLexicon) -> str:
    """The word "my" at `at` is said of, past "own" and "new" ("my own new bike": "bike");
    "" at the end."""
    after = at + 1
    while after < len(words) and words[after] in lexicon.between:
        after += 1
    return words[after] if after < len(words) else ""


def _someone_else(tokens: Sequence[Token], text: str, cues: FrameCues, lexicon: OwnLexicon) -> bool:
    """A person word or a name in the post other than the asker's own family or people ("mijn
    broer", "my friends", "mijn man"), a pronoun that may stand for them, a platform's or
    account's name ("Insta"), or a place's name after a preposition of place ("mijn vlucht
    naar Spanje had vertraging": a country, not a person who "had")."""
    not_others = {
        i
        for i, token in enumerate(tokens)
        if token.text in PRONOUNS
        or token.text in lexicon.platforms
        or (
            i > 0
            and (token.text in cues.own or token.text in lexicon.own_people)
            and tokens[i - 1].text in cues.possessive
        )
        or (i > 0 and tokens[i - 1].text in lexicon.towards and _a_name(token, text))
    }
    return mentions_person(list(tokens), text, not_others)


def _a_name(token: Token, text: str) -> bool:
    """Whether `token` is written with a capital: a name, which after "naar" or "in" is a
    place's; a person word written small ("naar klanten") is still read as one."""
    return text[token.ostart : token.oend][:1].isupper()
