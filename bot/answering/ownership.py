"""The asker's own contact details are not someone else's personal data.

Two ways to know a detected value is the asker's own: it is one of the details the caller
passes in (from the asker's Slack profile: work phone, e-mail), or the text says so right next
to it ("0612345678 is mijn werknummer", "bel me op …", "my work phone is …"). Such values are
no evidence for any rule; they are still masked wherever the text is shown or stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answering.detection import Detection

_OWN_BEFORE = re.compile(
    r"(?i)(?:\b(?:mijn|my)\s+(?:eigen\s+|own\s+)?(?:werk|zakelijke?|mobiele?|work|office|business|"
    r"direct|private?)?\s*(?:telefoon)?(?:nummer|number|phone|telefoon|mail|e-?mail(?:adres)?|"
    r"mailadres|address|adres|werknummer|06)\s*(?:is|:|=)?\s*|\b(?:bel|app|mail|sms|call|text|"
    r"email|e-mail|reach|contact|bereik)\s+(?:me|mij)\b[^.!?\n]{0,30})$"
)
_OWN_AFTER = re.compile(
    r"(?i)^\s*(?:\(|,|-)?\s*(?:is\s+|=\s*)?(?:mijn|my)\s+(?:eigen\s+|own\s+)?(?:werk|zakelijke?|"
    r"mobiele?|work|office|business|direct)?\s*(?:telefoon)?(?:nummer|number|phone|telefoon|mail|"
    r"e-?mail(?:adres)?|mailadres|address|werknummer)"
)


@dataclass(frozen=True)
class OwnContacts:
    """The asker's own details as the caller knows them (any may be empty)."""

    phones: frozenset[str] = frozenset()  # E.164
    emails: frozenset[str] = frozenset()  # lower case

    @classmethod
    def of(cls, details: Iterable[str]) -> OwnContacts:
        """From free-form details: phone numbers in any common format, e-mail addresses."""
        phones, emails = set(), set()
        for item in details:
            item = (item or "").strip()
            if not item:
                continue
            if "@" in item:
                emails.add(item.lower())
                continue
            import phonenumbers  # here, for a phone number, not at start-up (`detectors`)

            try:
                number = phonenumbers.parse(item, "NL")
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                phones.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        return cls(frozenset(phones), frozenset(emails))

    def __bool__(self) -> bool:
        return bool(self.phones or self.emails)


NOBODY = OwnContacts()


def is_own(text: str, detection: Detection, own: OwnContacts = NOBODY) -> bool:
    """Whether a detected phone number or e-mail address is the asker's own."""
    if detection.kind not in ("phone", "email"):
        return False
    if detection.value in own.phones or detection.value in own.emails:
        return True
    before = text[max(0, detection.start - 60) : detection.start]
    after = text[detection.end : detection.end + 40]
    return bool(_OWN_BEFORE.search(before) or _OWN_AFTER.match(after))
