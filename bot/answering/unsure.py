"""A post that no rule covers and that nothing shows to be plainly fine (policy-format.md, "A
post no rule covers and nothing shows to be fine"; `policy_content/lexicon/unsure.yml`).

Most posts wrongly called *allowed* on unseen policies are ones no rule matched: the default
answered with a confident all-clear (devset README, rounds 20 to 23). A post the organisation
would want to see first and a post that is plainly fine often share no word with any rule,
so the rules cannot tell them apart; what can is whether the post shows itself to be the
asker's business: their private life (`frame.private_frame`), their own things ("my", "mijn",
"eigen", their own work phone or e-mail; not "my shift" or a post naming someone else:
`own_things`), what is already public (the organisation's post, a
published page), or general knowledge and the world outside (a tip, the weather, the view).
A post that shows none of these is about the work, about other people or about what is not
known to be public, and the honest answer is "I'm not sure: no rule covers this; ask", not
"allowed". A text of one word or none ("hallo") is about nothing yet, and is left alone.

Read last, when no sign of risk, no work's "we" and nothing told ahead of time was found
(`decide._uncovered_cues`): the answer is *review* on weak evidence, with a cue of kind
`unsure` that quotes nothing (nothing in particular was noticed; the answer says what is
missing instead).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answering.answers import Evidence
from bot.answering.detectors import detect_all
from bot.answering.frame import FrameCues, private_frame
from bot.answering.lexicon import lexicon_file
from bot.answering.own_things import own_things
from bot.answering.ownership import NOBODY, OwnContacts, is_own
from bot.answering.risk import CUE
from bot.answering.text import STOPWORDS, Folded, tokenize

UNSURE = "unsure"  # the cue's kind (interfaces.md, `cues`)
MIN_CONTENT_WORDS = 2  # fewer: the text says nothing to be unsure about ("hallo")


@lru_cache(maxsize=2)
def _plainly_fine(ignore_case: bool) -> re.Pattern[str]:
    """What shows a post to be public or general, in one pattern: for lower-cased text, or
    ignoring case for a text whose lower case is not as long (a "İ")."""
    patterns = [str(p) for kind in lexicon_file("unsure.yml")["patterns"].values() for p in kind]
    return re.compile(r"\b(?:" + "|".join(patterns) + ")", re.IGNORECASE if ignore_case else 0)


def unsure_cue(text: str, cues: FrameCues, own: OwnContacts = NOBODY) -> tuple[Evidence, ...]:
    """The `unsure` cue when `text` shows nothing that makes it plainly fine: not private, not
    about the asker's own things, not what is already public, not general knowledge; else
    nothing. `own`: the asker's own contact details (a post giving them is theirs)."""
    lower = text.lower()  # lower case first: faster than ignoring case, as in `risk`
    same = len(lower) == len(text)
    if _plainly_fine(not same).search(lower if same else text):
        return ()
    tokens = tokenize(Folded(text))
    words = [t.text for t in tokens]
    if sum(1 for w in words if w.isalpha() and w not in STOPWORDS) < MIN_CONTENT_WORDS:
        return ()
    if own_things(tokens, text, cues) or private_frame(tokens, cues):
        return ()
    if _own_contact_given(text, own):
        return ()  # the asker's own work phone or e-mail: theirs to give (issue 10)
    return (Evidence("", 0, 0, CUE, UNSURE),)


def _own_contact_given(text: str, own: OwnContacts) -> bool:
    """Whether `text` gives the asker's own work phone or e-mail (`ownership.is_own`). Only a
    text with a digit or an "@" can: the detectors, most of this module's time, are run on
    those alone."""
    if not any(ch.isdigit() or ch == "@" for ch in text):
        return False
    return any(is_own(text, found, own) for found in detect_all(text))
