"""The asker's own family is no third person (policy-format.md, "A lone keyword in a private
post"): a strict rule's lone everyday keyword in a post about the asker's private life that
names only the asker's own family ("mijn dochter", "my grandma", and "she" or "haar" for them)
is no evidence, as in a private post that names nobody. Anyone else named (a name, a
colleague, a client, someone else's relative) keeps the word, as before."""

from __future__ import annotations

import pytest

from bot.answering.frame import FrameCues, frame_cues, only_own_family
from bot.answering.text import Folded, tokenize
from tests.samples import compiled
from tests.test_engine_frame import WITNESSES, _answer

WITNESS = ("forbidden", "strong", ["W"])
UNIFORM = ("forbidden", "strong", ["U"])


def _own_family_only(text: str, cues: FrameCues) -> bool:
    return only_own_family(tokenize(Folded(text)), text, cues)


NOT_COVERED = ("allowed", "not_covered", [])
# A post, and how the witnesses' and uniforms' rules answer it.
POSTS = [
    # Only the asker's own family, and pronouns that may stand for them: no evidence.
    ("Mag ik posten dat mijn zoon getuige was op de bruiloft?", NOT_COVERED),
    ("Can I post that my grandma was a guest at my birthday? She wore her uniform.", NOT_COVERED),
    # A name, a client or someone else's relative: the post may be about them.
    ("Mag ik posten dat mijn zoon getuige was op de bruiloft van Jorien?", WITNESS),
    ("Mag ik posten dat mijn zoon getuige was op de bruiloft van een klant?", WITNESS),
    ("Mag ik posten dat mijn dochter getuige was op de bruiloft van haar vriendin?", WITNESS),
    ("Can I post that my grandma and the neighbour's son wore a uniform at my birthday?", UNIFORM),
    # At work the family cue makes no private post: "de dochter van mijn collega".
    ("Mag ik posten dat de dochter van mijn collega getuige was op haar bruiloft?", WITNESS),
]


@pytest.mark.parametrize(("text", "expected"), POSTS)
def test_the_askers_own_family_is_no_third_person(
    text: str, expected: tuple[str, str, list[str]]
) -> None:
    assert _answer(compiled(WITNESSES), text) == expected


def test_only_the_askers_own_family_counts_as_family() -> None:
    cues = frame_cues([])
    assert _own_family_only("Mijn dochter had haar eerste zwemles", cues)
    assert _own_family_only("my kid's school election: she won!", cues)
    # "een vader" may be a client's father; "haar vriendin" is someone else's friend.
    assert not _own_family_only("een vader schold me uit", cues)
    assert not _own_family_only("mijn dochter en haar vriendin", cues)
    assert not _own_family_only("my son and my colleague", cues)
    assert not _own_family_only("my son and Priya", cues)
    # Nobody named at all is not "only family": there is no person to set aside.
    assert not _own_family_only("a photo of the sunset", cues)
