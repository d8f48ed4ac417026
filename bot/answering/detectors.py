"""Built-in detectors for personal data: only valid values count, and they are shown masked.

- `iban`: ISO 13616 mod-97 (python-stdnum), compact or in groups of four; the country's own
  account check is not required (the format promises mod-97).
- `bsn`: the Dutch eleven test (python-stdnum), 9 digits or 8 with the leading zero dropped.
- `card`: the Luhn check on 13 to 19 digits, compact or in the usual groups.
- `ssn`: a US Social Security number written as people write it, `AAA-GG-SSSS`, without the
  numbers never issued (area 000, 666, 900-999; group 00; serial 0000). Nine bare digits are
  left to the BSN's eleven test.
- `phone`: a valid Dutch, Belgian, British, North American or international number
  (phonenumbers, regions NL, BE, GB and US; a North American one only as written in groups,
  `(212) 555-0199`); right after a word that says it is one ("bel", "call me on", "mobiel:"),
  a number of a possible length and shape counts too (the ranges set aside for fiction,
  `07700 900123`, are still someone's number to a reader).
- `email`: an address.
- `address`, `postcode`, `plate`: Dutch and English street addresses, Dutch and British
  postcodes, Dutch licence plates (`detectors_places`).

Where detections overlap the more specific one wins: the digits of an IBAN are not also a
phone number, a phone number's digits not also a BSN.

phonenumbers and python-stdnum are imported by the checks that use them: phonenumbers on
the first text with enough digits, python-stdnum on the first candidate BSN or card number
(start-up's log lines, with a port or an id, have none).
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from bot.answering.detection import Detection, mask_digits, mask_email, mask_iban, mask_tail
from bot.answering.detectors_places import places
from bot.answering.phone_passes import STRICT_REGIONS, fiction_may_be_written, strict_regions

if TYPE_CHECKING:  # phonenumbers itself is imported only when a text has enough digits
    from phonenumbers import PhoneNumber

# Stronger checks first: an IBAN beats a card number, a card a BSN, a BSN a phone number.
_PRIORITY = {
    "iban": 0, "card": 1, "email": 2, "bsn": 3, "ssn": 4, "phone": 5, "plate": 6, "postcode": 7,
    "address": 8,
}  # fmt: skip

_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?![\w\-])")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}")
_BSN = re.compile(
    r"(?<![\d.\-])(?:\d{9}|\d{8}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d])"
)
# Dashes only: `020 12 3456` is a Dutch phone number, `078-05-1120` is nobody's phone.
_SSN = re.compile(r"(?<![\d\-])(\d{3})-(\d{2})-(\d{4})(?![\d\-])")
_DIGIT_RUN = re.compile(r"(?<![\d])\d+(?:[ \-]\d+)*(?![\d])")


def detect_all(text: str) -> list[Detection]:
    """Every valid value in `text`, overlaps resolved, in text order."""
    found: list[Detection] = []
    if "@" in text:
        found += _emails(text)
    digits = sum(map(str.isdigit, text))
    if digits >= 6:  # every detector below needs digits
        found += _ibans(text)
        found += _bsns(text)
        found += _ssns(text)
        found += _cards(text)
        found += _phones(text)
    if digits:
        found += places(text)
    return _resolve(found)


def _resolve(found: list[Detection]) -> list[Detection]:
    # A value inside a longer one is part of it (a phone number's last 8 digits are no BSN);
    # of two that only overlap, the stronger check wins.
    whole = [
        d
        for d in found
        if not any(
            o is not d
            and o.start <= d.start
            and d.end <= o.end
            and o.end - o.start > d.end - d.start
            for o in found
        )
    ]
    kept: list[Detection] = []
    for d in sorted(whole, key=lambda d: (_PRIORITY[d.kind], d.start - d.end, d.start)):
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)


# -- the detectors --------------------------------------------------------------------------
def _emails(text: str) -> list[Detection]:
    out = []
    for m in _EMAIL.finditer(text):
        raw = m.group()
        local, _, domain = raw.partition("@")
        if local.startswith(".") or local.endswith(".") or ".." in raw:
            continue
        out.append(Detection("email", m.start(), m.end(), raw.lower(), mask_email(raw)))
    return out


def _ibans(text: str) -> list[Detection]:
    out = []
    for m in _IBAN_START.finditer(text):
        raw = m.group()
        # The greedy candidate may run into the next word ("… 1643 00 this"): try the longest
        # prefix that ends at a word boundary and passes the check.
        ends = [
            i + 1
            for i, ch in enumerate(raw)
            if ch != " " and (i + 1 == len(raw) or raw[i + 1] == " ")
        ]
        for end in reversed(ends):
            compact = raw[:end].replace(" ", "").upper()
            # The format promises ISO 13616's mod-97 check, not each country's own account
            # check (python-stdnum rejects some valid Belgian IBANs on the latter).
            if len(compact) >= 15 and _iban_valid(compact):
                start = m.start()
                out.append(Detection("iban", start, start + end, compact, mask_iban(compact)))
                break
    return out


def _iban_valid(compact: str) -> bool:
    from stdnum import iban

    return bool(iban.is_valid(compact, check_country=False))


def _looks_like_date(digits: str) -> bool:
    """8 digits that read as a date (20260120, 20012026) are a date, not a BSN."""
    for fmt in ("%Y%m%d", "%d%m%Y"):
        try:
            day = datetime.datetime.strptime(digits, fmt)
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return True
    return False


def _bsns(text: str) -> list[Detection]:
    out = []
    for m in _BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 8 and _looks_like_date(digits):
            continue
        digits = digits.zfill(9)
        if digits.strip("0") and _bsn_valid(digits):
            out.append(Detection("bsn", m.start(), m.end(), digits, mask_tail(digits)))
    return out


def _bsn_valid(digits: str) -> bool:
    # Imported for a candidate only: python-stdnum's package brings ssl and pydoc along, and
    # most texts with digits (every log line with a port or an id) have none.
    from stdnum.nl import bsn

    return bool(bsn.is_valid(digits))


def _ssns(text: str) -> list[Detection]:
    out = []
    for m in _SSN.finditer(text):
        area, group, serial = m.groups()
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            continue  # never issued: a reference or a code, not a person's number
        raw = m.group()
        value = area + group + serial
        out.append(Detection("ssn", m.start(), m.end(), value, mask_digits(raw, 0, 4)))
    return out


def _card_grouping_ok(raw: str) -> bool:
    """Compact, or grouped as cards print them (4-4-4-4, 4-4-4-4-3, 4-6-5 …)."""
    groups = re.split(r"[ \-]", raw)
    if len(groups) == 1:
        return True
    sizes = [len(g) for g in groups]
    if sizes[:-1] == [4] * (len(sizes) - 1) and 1 <= sizes[-1] <= 4:
        return True
    return sizes in ([4, 6, 5], [4, 6, 4])


def _cards(text: str) -> list[Detection]:
    out = []
    for m in _DIGIT_RUN.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if not (13 <= len(digits) <= 19 and _card_grouping_ok(raw) and digits.strip("0")):
            continue
        from stdnum import luhn  # for a candidate only, as `_bsn_valid`

        if luhn.is_valid(digits):
            out.append(Detection("card", m.start(), m.end(), digits, mask_digits(raw, 0, 4)))
    return out


# Where a number written without a country code is looked up: the Netherlands first, then
# Belgium (Flemish organisations write `0470 12 34 56`), then Britain (English-speaking staff
# write `07911 123456`, `020 7946 0958`), then North America (`719-633-9925`,
# `(212) 555-0199`: American colleagues). A number valid in an earlier region keeps it.
PHONE_REGIONS = ("NL", "BE", "GB", "US")
_NOT_US = tuple(region for region in PHONE_REGIONS if region != "US")  # order kept
assert _NOT_US == STRICT_REGIONS and PHONE_REGIONS[-1] == "US"  # `phone_passes` tests these
# A word that announces a phone number just before it: then a possible number is one.
_CUE_WORDS = (
    r"bel(?:\s+me|\s+ons|\s+hem|\s+haar)?(?:\s+op)?|tel(?:efoon)?(?:nummer)?|mobiel(?:e\s+nummer)?|"
    r"gsm|nummer|whatsapp|sms|app\s+me|call(?:\s+me|\s+us|\s+him|\s+her)?(?:\s+on|\s+at)?|phone(?:\s+number)?|"
    r"ring(?:\s+me|\s+him|\s+her)?(?:\s+on)?|mobile(?:\s+number)?|cell(?:\s*phone)?(?:\s+number)?|number|text(?:\s+me)?(?:\s+on)?|tel\."
)
_PHONE_CUE = re.compile(rf"(?i)\b(?:{_CUE_WORDS})\s*(?:is|:)?\s*$")
# A cue right before where libphonenumber's matcher can start a number: a digit (any
# script), an opening bracket or a plus (its `_PATTERN`; an inner match it tries starts
# after the candidate's first digit, bracket or plus, which a cue cannot end next to). No
# `\b`: `_announced` looks at 30 characters, and a window that starts inside a word
# ("…label 06…") sees a word start there. Each match ends at the first such character after
# its start, so one that ends where a number starts is among them (`_cue_announces_one`).
_CUE_BEFORE_NUMBER = re.compile(
    rf"(?i)(?:{_CUE_WORDS})\s*(?:is|:)?\s*(?=[\d(\[\uFF08\uFF3B+\uFF0B])"
)


# Ofcom's numbers set aside for TV and radio drama, as national numbers without the 0: never
# assigned, so libphonenumber calls some of them invalid (07700 900xxx, 0115 496 0xxx,
# 01632 960xxx), yet a reader takes any of them for someone's number, and they are what
# examples and scripts use for one.
_SET_ASIDE_FOR_FICTION = re.compile(
    r"(?:7700900|2079460|11[3-8]4960|1[2-6]14960|2896496|2920180|1632960|8081570|9098790|3069990)"
)


# How North American numbers are written: (212) 555-0199, 212-555-0199, 212.555.0199.
_NANP = r"(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}"
_NANP_SHAPE = re.compile(_NANP + "$")
# A North American number is kept only in that shape, and what is kept is part of the text:
# on a text without it anywhere, the US passes (the dearest: a +1 number's validity is
# tried against some twenty regions' patterns) could find nothing that is kept.
_NANP_ANYWHERE = re.compile(_NANP)


def _phones(text: str) -> list[Detection]:
    import phonenumbers

    out: list[Detection] = []
    # The lenient passes keep only a number a cue announces, or in Britain's ranges for
    # fiction: with no cue before any place a number could start, only Britain's can find
    # one (three of the eight passes over the text saved). A strict pass runs only where a
    # number it could find is written (`phone_passes`).
    nanp = _NANP_ANYWHERE.search(text) is not None
    lenient: tuple[str, ...]
    if _cue_announces_one(text):
        lenient = PHONE_REGIONS if nanp else _NOT_US
    else:  # only a number in Britain's ranges for fiction can be kept
        lenient = ("GB",) if fiction_may_be_written(text, _SET_ASIDE_FOR_FICTION) else ()
    strict = strict_regions(text) + (("US",) if nanp else ())  # the US last, as in PHONE_REGIONS
    for leniency, regions in (
        (phonenumbers.Leniency.VALID, strict),
        (phonenumbers.Leniency.POSSIBLE, lenient),
    ):
        for region in regions:
            for found in _phones_in(text, region, leniency):
                if all(found.end <= d.start or found.start >= d.end for d in out):
                    out.append(found)
    return out


def _announced(text: str, start: int) -> bool:
    return _PHONE_CUE.search(text[max(0, start - 30) : start]) is not None


def _cue_announces_one(text: str) -> bool:
    """Whether `_announced` holds anywhere a phone number could start in `text`."""
    return any(_announced(text, m.end()) for m in _CUE_BEFORE_NUMBER.finditer(text))


def _set_aside_for_fiction(number: PhoneNumber, region: str) -> bool:
    return region == "GB" and _SET_ASIDE_FOR_FICTION.match(str(number.national_number)) is not None


def _phones_in(text: str, region: str, leniency: int) -> list[Detection]:
    import phonenumbers

    out = []
    valid_only = leniency == phonenumbers.Leniency.VALID
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
        if not valid_only and (
            len(str(match.number.national_number)) < 8
            or not (_announced(text, match.start) or _set_aside_for_fiction(match.number, region))
        ):
            continue  # short codes and extensions are no one's number
        if region == "US" and not _NANP_SHAPE.match(match.raw_string.strip()):
            continue  # bare ten digits or odd groups are a reference far more often than a phone
        number = match.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        raw = match.raw_string
        keep = 2
        stripped = raw.lstrip()
        if stripped.startswith("+"):
            keep = len(str(number.country_code))
        elif stripped.startswith("00"):
            keep = 2 + len(str(number.country_code))
        out.append(Detection("phone", match.start, match.end, e164, mask_digits(raw, keep, 4)))
    return out
