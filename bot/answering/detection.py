"""What a detector found, and how found values are shown: masked, so an answer, a log line
or a language model never sees the whole value. `detectors` and `detectors_places` find them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Detection:
    kind: str
    start: int
    end: int
    value: str  # canonical: compact upper-case IBAN, digits, E.164 phone, lower-case e-mail
    masked: str  # what an answer may show

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


# -- masking --------------------------------------------------------------------------------
def mask_email(raw: str) -> str:
    """`peter.jansen72@gmail.com` → `p***@gmail.com`."""
    local, _, domain = raw.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_iban(compact: str) -> str:
    """`NL91ABNA0417164300` → `NL91 **** **** **** 4300`."""
    hidden = max(1, math.ceil((len(compact) - 8) / 4))
    return " ".join([compact[:4], *["****"] * hidden, compact[-4:]])


def mask_tail(digits: str, visible: int = 4) -> str:
    """`111222333` → `*****2333`."""
    return "*" * (len(digits) - visible) + digits[-visible:]


def mask_digits(raw: str, lead: int, tail: int) -> str:
    """Digits hidden except the first `lead` and last `tail`; separators kept:
    `06-12345678` → `06-****5678`."""
    total = sum(ch.isdigit() for ch in raw)
    if total - lead - tail < 3:  # a short number: show less of it
        lead, tail = 0, min(tail, total // 3)
    out, seen = [], 0
    for ch in raw:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= lead or seen > total - tail else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_text(raw: str, visible: int = 2) -> str:
    """A pattern's match, e.g. a licence plate or a password: the first letters stay so the
    asker recognises it, the rest is hidden: `GX-412-K` → `GX-***-*`."""
    out, seen = [], 0
    for ch in raw:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen <= visible else "*")
        else:
            out.append(ch)
    return "".join(out)
