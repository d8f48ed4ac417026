"""Masking what looks like personal data before the bot repeats someone's text.

The engine masks the evidence it quotes; this covers the other places the bot shows a text
back (the excerpt of a checked post, the question passed on to a role). It masks more
eagerly than the detectors match: any e-mail address and any run of seven or more digits
(with spaces, dots or dashes between them, as phone numbers, IBANs, card and BSN numbers are
written). Showing `peter…@gmail.com` where a harmless order number was is a small price;
repeating a valid BSN in a channel is not.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# An IBAN: two letters, two check digits, then letters/digits in groups.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{2,4}){3,8}\b", re.IGNORECASE)
# Seven or more digits, allowing the separators people type inside numbers.
_DIGITS = re.compile(r"\+?\d(?:[\s.\-/]?\d){6,}")


def _keep_tail(value: str, keep: int = 2) -> str:
    digits = [c for c in value if c.isalnum()]
    return "•" * max(len(digits) - keep, 3) + "".join(digits[-keep:])


def mask_personal_data(text: str) -> str:
    """`text` with e-mail addresses and long numbers masked (last two characters kept)."""
    masked = _EMAIL.sub(lambda m: f"{m.group(1)}…@{m.group(2)}", text)
    masked = _IBAN.sub(
        lambda m: (
            _keep_tail(m.group(0)) if any(c.isdigit() for c in m.group(0)[4:]) else m.group(0)
        ),
        masked,
    )
    return _DIGITS.sub(lambda m: _keep_tail(m.group(0)), masked)


def excerpt(text: str, limit: int = 600) -> str:
    """A masked excerpt of at most `limit` characters, cut at a word where possible."""
    masked = mask_personal_data(text.strip())
    if len(masked) <= limit:
        return masked
    cut = masked[:limit].rsplit(" ", 1)[0]
    return cut + "…"
