"""What a direct message or mention asks: "may I post this?", "who handles this?", or else.

People write freely, in Dutch or English: "mag ik dit posten: …", "can I share this?",
"wie gaat over persvragen?", "who do I ask about …". Recognition works on a normalised copy of
the text (lower case, accents stripped) so "Mág ik" and "MAG IK" read the same.

- `who`: a "who handles / bij wie moet ik zijn" phrase anywhere; the topic is what follows it
  (or the whole text when the phrase ends the question, as in "… who do I contact?").
- `check`: a "may I post / mag ik / kan ik dit delen / is this ok" phrase, or a message that
  reads like a post rather than a question (no question word at its start). What is checked is
  the whole message minus a leading "mag ik dit posten:" phrase: the context around a pasted post
  ("two reporters messaged me…") often decides the verdict.
- `search`: a question about the policy ("what does the policy say about LinkedIn?"): the most
  relevant passages and an offer to ask the communications team.
- `help`: a greeting or "help" on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.vocabulary import Language

CHECK, WHO, SEARCH, HELP = "check", "who", "search", "help"

_SUBJECT = r"(?:ik|je|jij|we|wij|men|i|we)"
_VERBS_NL = (
    r"(?:posten|plaatsen|delen|zetten|tweeten|retweeten|sturen|versturen|publiceren|"
    r"schrijven|reageren|beantwoorden|doorsturen|liken|melden|vermelden|noemen|laten zien|"
    r"gebruiken|maken|doen|accepteren|zeggen|vertellen)"
)
_VERBS_EN = (
    r"(?:post|share|tweet|retweet|repost|put|publish|send|write|reply|respond|answer|"
    r"forward|like|mention|say|tell|use|upload|accept|thank|give|show)"
)

# "who" comes first: "bij wie kan ik terecht" contains "kan ik" but asks for a person.
WHO_PATTERNS = [
    r"\bwie (?:gaat|gaan) (?:er )?over\b",
    r"\bwie (?:behandelt|regelt|doet|beantwoordt|beheert|gaat|is er|zorgt|beslist)\b",
    r"\bwie (?:is|zijn) (?:er )?(?:verantwoordelijk|het aanspreekpunt|de contactpersoon|"
    r"aanspreekpunt|contactpersoon|bevoegd)\b",
    r"\bbij wie (?:moet|kan|kun|mag|moeten|kunnen) (?:ik|je|we|wij)\b",
    r"\b(?:aan|met|naar|tot) wie (?:moet|kan|kun|mag|moeten|kunnen|wend|stuur)\b",
    r"\bwie (?:moet|kan|kun|mag|zou) (?:ik|je|we|wij)\b",
    r"\bwie (?:kan|kun) (?:me|mij|ons) helpen\b",
    r"\bwaar (?:moet|kan|kun|mag) (?:ik|je|we) (?:terecht|heen|naartoe|mee naartoe|melden)\b",
    r"\bwho (?:handles|deals with|takes care of|is responsible|is in charge|owns|manages|"
    r"answers|decides|looks after|covers|do i|should i|can i|must i|would i|shall i|"
    r"do we|should we|can we|should they|do they|can they|can help|is the contact)\b",
    r"\bwho'?s (?:responsible|in charge|the contact)\b",
    r"\bwhom (?:do|should|can|must) (?:i|we)\b",
    r"\bwho to (?:ask|contact|talk to|call|email|turn to|go to)\b",
    r"\bwhere (?:do|should|can|must) (?:i|we) (?:go|turn|report|send|ask)\b",
]

CHECK_PATTERNS = [
    rf"\b(?:mag|kan|kun|moet|durf) {_SUBJECT}\b",
    r"\b(?:mag|kan) (?:dit|dat|het|deze|die)\b",
    r"\bis (?:dit|dat|het) (?:ok|oke|okay|goed|prima|toegestaan|akkoord|netjes|veilig)\b",
    r"\b(?:ok|oke|okay|goed|prima|toegestaan) (?:om|voor)\b",
    rf"\b(?:mogen|kunnen) (?:we|wij|jullie) (?:dit |dat |het )?\w*\s*{_VERBS_NL}\b",
    r"\bcheck(?:en)?(?: dit| deze| this)?\s*:",
    r"\bcontroleer(?: dit| deze)?\s*:",
    r"\b(?:may|can|could|should|shall|must) (?:i|we)\b",
    r"\b(?:am i|are we) (?:allowed|permitted|ok|okay)\b",
    r"\bis (?:it|this|that) (?:ok|okay|fine|alright|all right|allowed|acceptable|safe)\b",
    r"\b(?:ok|okay|fine|alright|allowed) (?:to|for)\b",
    r"\bis (?:this|that|it) (?:a )?(?:problem|issue)\b",
]

# A question about the policy itself starts with one of these (and has no check/who phrase).
QUESTION_STARTS = [
    r"wat\b",
    r"wat'?s\b",
    r"hoe\b",
    r"waar\b",
    r"wanneer\b",
    r"waarom\b",
    r"welke?\b",
    r"(?:is|zijn) er\b",
    r"geldt\b",
    r"gelden\b",
    r"heeft\b",
    r"hebben\b",
    r"staat er\b",
    r"what\b",
    r"what'?s\b",
    r"how\b",
    r"where\b",
    r"when\b",
    r"why\b",
    r"which\b",
    r"(?:is|are) there\b",
    r"does\b",
    r"do we\b",
    r"do i need\b",
    r"tell me\b",
    r"vertel\b",
    r"uitleg\b",
    r"explain\b",
]

# A greeting or a call for help, with the language it says though it has no function words
# (`bot.asking.language`); None when it does not say ("help" and "hallo" are both
# languages' words).
HELP_WORDS: dict[str, Language | None] = {
    "help": None,
    "hulp": "nl",
    "hallo": None,
    "hoi": "nl",
    "hey": "en",
    "hi": "en",
    "hello": "en",
    "goedemorgen": "nl",
    "goedemiddag": "nl",
    "good morning": "en",
    "dag": None,  # hello and goodbye at once: left to the function words
    "?": None,
    "": None,
}

_WHO = [re.compile(p) for p in WHO_PATTERNS]
_CHECK = [re.compile(p) for p in CHECK_PATTERNS]
_QUESTION = re.compile(r"^(?:" + "|".join(QUESTION_STARTS) + r")")
# A leading trigger followed by ":" or a line break introduces a pasted post.
_LEAD_IN = re.compile(
    r"^\s*(?:(?:mag|kan|kun) (?:ik|je|we) (?:dit|dat|het|deze)\s*(?:\w+\s*){0,5}?\??|"
    r"(?:may|can|could) (?:i|we) (?:\w+\s*){0,5}?(?:this|that|it)\s*(?:\w+\s*){0,3}?\??|"
    r"(?:is )?(?:dit|this) (?:ok|oke|okay|goed|fine)\s*\??|check(?:en)?(?: dit| this)?|"
    r"controleer(?: dit)?)\s*[:\n]\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Intent:
    kind: str  # check | who | search | help
    text: str  # what to answer: the post to check, or the question
    post: str = ""  # the pasted post when one follows a lead-in ("mag ik dit posten: …")
    lead_in: str = ""  # the asker's own words before a pasted post ("mag ik dit posten:")

    @property
    def asker_words(self) -> str:
        """What the asker wrote to the bot, as opposed to a post they pasted (which may be in
        another language than theirs): the lead-in before a post, the question itself, or
        nothing when the message is a post alone."""
        return self.lead_in if self.post else self.text


_SPACES = re.compile(r"\s+")  # compiled once: `re.sub` looks its pattern up on every call


def normalise(text: str) -> str:
    """Lower case, accents off, apostrophes unified, whitespace collapsed: for matching only."""
    if text.isascii():  # most messages: nothing decomposes, no accents to take off
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        plain = plain.replace("\u2019", "'").replace("\u2018", "'")
    return _SPACES.sub(" ", plain.lower()).strip()


def help_word(plain: str) -> str:
    """A normalised message as `HELP_WORDS` holds it: a greeting's punctuation off."""
    return plain.strip(" ?!.")


def recognise(text: str) -> Intent:
    """The intent of a free-text message, in Dutch or English."""
    original = text.strip()
    plain = normalise(original)
    if help_word(plain) in HELP_WORDS:
        return Intent(HELP, original)
    lead_in = _LEAD_IN.match(original)
    if lead_in and original[lead_in.end() :].strip():
        post = original[lead_in.end() :].strip()
        return Intent(CHECK, post, post=post, lead_in=original[: lead_in.end()].strip())
    if any(pattern.search(plain) for pattern in _WHO):
        return Intent(WHO, original)
    if any(pattern.search(plain) for pattern in _CHECK):
        return Intent(CHECK, original)
    if _QUESTION.match(plain):
        return Intent(SEARCH, original)
    # No question word, no phrase: most likely a draft post pasted on its own.
    return Intent(CHECK, original, post=original)
