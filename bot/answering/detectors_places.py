"""Detectors for where people live and what they drive: Dutch and English street addresses
with a house number, Dutch and British postcodes, Dutch and British licence plates. Validated
as strictly as the format's own detectors, so an ordinary sentence does not become personal
data:

- `postcode`: four digits 1000-9999 and two capitals, not SA, SD or SS (never issued), and not
  a unit or country code (`1024 KB`, `2000 KM`, `1990 NL`); lower case only right after the
  word postcode. A British postcode in capitals (`LS1 4DY`, `BS1 4DJ`), not a size (`4GB`).
- `plate`: the hyphenated Dutch sidecodes 1 to 14 (`AB-12-34` … `999-XX-9`); from sidecode 4 on
  only the letters the RDW issues (no vowels, no C, Q or W). A British registration of the
  current style, written with its space (`AB12 CDE`).
- `address`: a capitalised street name ending in a street word (`Dorpsstraat`, `Kerkweg`,
  `Laan van Meerdervoort`) followed by a house number 1-9999 with an optional addition
  (`12a`, `12-2`, `12 bis`); not a time, a measure or an amount (`Dorpsstraat 12 km`). Also
  the English form `221 Baker Street`, `4 Mill Row`.
"""

from __future__ import annotations

import re

from bot.answering.detection import Detection, mask_text

_POSTCODE = re.compile(r"(?<![\w\-])([1-9]\d{3}) ?([A-Z]{2})(?![\w\-])")
_POSTCODE_AFTER_WORD = re.compile(
    r"(?i)\b(?:postcode|postal code|zip code)\s*:?\s*([1-9]\d{3}) ?([a-z]{2})(?![\w\-])"
)
# A British postcode: outward code (area letters, district digit, maybe a letter or digit),
# then the inward code: a digit and two letters Royal Mail uses (never C, I, K, M, O or V).
_UK_POSTCODE = re.compile(r"(?<![\w\-])([A-Z]{1,2}\d[A-Z\d]?) ?(\d[ABD-HJLNP-UW-Z]{2})(?![\w\-])")
# An inward code that is a size or a unit after a number ("MP3 4GB"). Only these: the Dutch
# list below holds ordinary pairs ("DJ", "AT", "BE") that end real British postcodes
# (`BS1 4DJ`).
_NOT_INWARD_LETTERS = frozenset({"GB", "TB", "PB", "HZ", "GW"})
_NOT_POSTCODE_LETTERS = frozenset(
    str.split(
        """SA SD SS KB MB GB TB PB KM CM MM MW KW GW HZ PK EU NL BE DE FR UK US VS AD BC AM PM
        EN OF IN IS OP TO ON AT BY OR AN AS IT IF NO SO UP WE BE DO GO HE ME MY OK TV PC CD DJ"""
    )
)

_L = "[A-Za-z]"
_ISSUED = "[BDFGHJKLMNPRSTVXZbdfghjklmnprstvxz]"
# Sidecodes 1-3 (before 1978) may hold any letter; 4-14 only issued ones.
_OLD_SIDECODES = (
    rf"{_L}{{2}}-\d{{2}}-\d{{2}}",
    rf"\d{{2}}-\d{{2}}-{_L}{{2}}",
    rf"\d{{2}}-{_L}{{2}}-\d{{2}}",
)
_NEW_SIDECODES = tuple(
    r"XX-99-XX XX-XX-99 99-XX-XX 99-XXX-9 9-XXX-99 XX-999-X X-999-XX XXX-99-X X-99-XXX "
    r"9-XX-999 999-XX-9".replace("9", r"\d").split()
)  # sidecodes 4 to 14; X is a letter
_PLATE = re.compile(
    r"(?<![\w\-])(?:"
    + "|".join([*_OLD_SIDECODES, *(s.replace("X", _ISSUED) for s in _NEW_SIDECODES)])
    + r")(?![\w\-])"
)
# Every sidecode has a digit next to a hyphen: a text without one has no Dutch plate, and
# this one search costs a tenth of `_PLATE`'s (its fourteen sidecodes tried at every place).
_DIGIT_BY_HYPHEN = re.compile(r"\d-|-\d")

# A British registration of the current style (since 2001), as it is written: two letters
# (no I, Q or Z), the age identifier (March 02-26, September 51-76), a space, three letters
# (no I or Q). A fiscal or half year ("FY25 ESG report") has the same shape and is none.
_UK_PLATE = re.compile(
    r"(?<![\w\-])(?!FY|CY|HY)[A-HJ-PR-Y]{2}(?:0[2-9]|1\d|2[0-6]|5[1-9]|6\d|7[0-6])"
    r" [A-HJ-PR-Z]{3}(?![\w\-])"
)

_STREET_WORDS = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|pad|dreef|plantsoen|markt|wal|"
    "baan|ring|allee|boulevard|burgwal|erf|brink|haven|dam|akker|zijde|oord|straatweg|"
    "dwarsstraat|wijk|veld|park|kamp|horst|hoek|berg|gaarde|poort|kwartier"
)
# Words that start a street name ("Burgemeester Jansenstraat", "Van Goghstraat").
_STREET_PREFIXES = (
    r"(?:Van|De|Den|Der|Het|Burgemeester|Dokter|Dr\.|Sint|St\.|Prins|Prinses|Koning|Koningin|"
    r"Graaf|Oude|Nieuwe|Korte|Lange|Hoge|Lage|Kleine|Grote|Eerste|Tweede)"
)
# Street words that also stand as a word of their own after a capitalised one ("Oude Gracht",
# "Nieuwe Markt", "Hoge Weg"), capitalised as street signs write them.
_SEPARATE_STREET_WORDS = "Gracht|Markt|Weg|Laan|Straat|Kade|Singel|Dijk|Plein|Haven|Wal|Dam|Steeg"
_HOUSE_NUMBER = r"[1-9]\d{0,3}(?!\d)(?:\s?[a-zA-Z](?![\w])|-\d{1,3}(?!\d)|\s(?:bis|hs|huis)\b)?"
_AFTER = r"(?![\d:.,]\d|\s?(?:%|km|m\b|meter|uur|min|minuten|jaar|keer|euro|procent|kilo|kg|cm))"
_DUTCH_ADDRESS = re.compile(
    rf"(?<![\w\-])(?:(?:{_STREET_PREFIXES}\s){{0,2}}"
    rf"[A-Z][a-zà-ÿ'\-]*(?:{_STREET_WORDS})|[A-Z][a-zà-ÿ'\-]+\s(?:{_SEPARATE_STREET_WORDS})"
    rf"|(?:Laan|Plein|Weg|Hof|Kade)\s(?:van\s|de\s|der\s|den\s)"
    rf"{{0,2}}[A-Z][\w\-]+(?:\s[A-Z][\w\-]+){{0,2}})\s(?P<number>{_HOUSE_NUMBER}){_AFTER}"
)
# Every Dutch address has its house number after a space: a cheap search that rules most
# texts with digits out before `_DUTCH_ADDRESS`'s street names are tried at every place.
_SPACE_THEN_HOUSE_NUMBER = re.compile(r"\s[1-9]")
# `221 Baker Street`, `3120 N. Oak Drive`, `7 Church Rd`, `1600 Pennsylvania Ave NW`: a
# number, maybe a compass point, one to three capitalised words and a street word (the
# abbreviations as the post office writes them, with or without their full stop).
_ENGLISH_STREET_WORDS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Way|"
    r"Parkway|Pkwy|Highway|Hwy|Circle|Trail|Close|Crescent|Terrace|Square|Sq|Grove|Gardens|Mews|"
    r"Row|Walk|Rise|Parade|Quay|Wharf|Approach|Hill|Vale"
)
_ENGLISH_ADDRESS = re.compile(
    r"(?<![\w\-])[1-9]\d{0,4}[A-Za-z]?\s(?:(?:N|S|E|W|NE|NW|SE|SW)\.?\s|"
    r"(?:North|South|East|West)\s)?(?:[A-Z][a-z]+\s){1,3}"
    rf"(?:{_ENGLISH_STREET_WORDS})(?:\.|(?![\w]))(?:\s(?:NE|NW|SE|SW)(?![\w]))?"
)
# Street words that are ordinary words in front of a number ("Onderweg 5 minuten").
_NOT_STREETS = frozenset({"onderweg", "halfweg", "zijweg", "hoofdweg", "snelweg", "eindhoek"})


def places(text: str) -> list[Detection]:
    """Every postcode, plate and street address in `text` (overlaps are left to the caller)."""
    found: list[Detection] = []
    if any(ch.isdigit() for ch in text):
        found += _postcodes(text)
        found += _plates(text)
        found += _addresses(text)
    return found


def _postcodes(text: str) -> list[Detection]:
    out: list[Detection] = []
    for pattern in (_POSTCODE, _POSTCODE_AFTER_WORD):
        for m in pattern.finditer(text):
            letters = m.group(2).upper()
            if letters in _NOT_POSTCODE_LETTERS:
                continue
            value = f"{m.group(1)} {letters}"
            start, end = m.start(1), m.end(2)
            if any(d.start == start for d in out):
                continue
            out.append(Detection("postcode", start, end, value, mask_text(text[start:end])))
    for m in _UK_POSTCODE.finditer(text):
        if m.group(2)[1:] in _NOT_INWARD_LETTERS:
            continue
        start, end = m.start(1), m.end(2)
        if all(end <= d.start or start >= d.end for d in out):
            value = f"{m.group(1)} {m.group(2)}"
            out.append(Detection("postcode", start, end, value, mask_text(text[start:end])))
    return out


def _plates(text: str) -> list[Detection]:
    out = []
    for pattern in (_PLATE, _UK_PLATE) if _DIGIT_BY_HYPHEN.search(text) else (_UK_PLATE,):
        for m in pattern.finditer(text):
            raw = m.group()
            out.append(Detection("plate", m.start(), m.end(), raw.upper(), mask_text(raw)))
    return out


def _addresses(text: str) -> list[Detection]:
    out = []
    dutch = _DUTCH_ADDRESS.finditer(text) if _SPACE_THEN_HOUSE_NUMBER.search(text) else ()
    for m in dutch:
        street = text[m.start() : m.start("number")].strip()
        if street.split()[-1].lower() in _NOT_STREETS:
            continue
        raw = m.group()
        out.append(
            Detection(
                "address", m.start(), m.end(), " ".join(raw.lower().split()), mask_address(raw)
            )
        )
    for m in _ENGLISH_ADDRESS.finditer(text):
        raw = m.group()
        out.append(
            Detection(
                "address", m.start(), m.end(), " ".join(raw.lower().split()), mask_text(raw, 0)
            )
        )
    return out


def mask_address(raw: str) -> str:
    """`Dorpsstraat 12a` → `Do********* ***`: enough to recognise, not to find the house."""
    return mask_text(raw, 2)
