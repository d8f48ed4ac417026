"""The detectors' shortcuts find what the full searches find.

The phone detector skips its lenient passes where they cannot find a number: what they alone
find (a number a cue announces, one in Britain's ranges for fiction) is still found and
masked, and on any text the detector finds exactly what all eight passes find. A strict
pass for NL, BE or GB is skipped only where it finds nothing (`phone_passes`): on the sets'
questions and on random texts of every region's numbers written in every way. The Dutch
plate and address searches run only on texts with what every match holds (a digit next to a
hyphen; a space and a house number)."""

from __future__ import annotations

import random
from pathlib import Path

import phonenumbers
import pytest
import yaml

from bot.answering.detection import Detection
from bot.answering.detectors import (
    _NANP_ANYWHERE,
    _SET_ASIDE_FOR_FICTION,
    PHONE_REGIONS,
    _phones,
    _phones_in,
    _set_aside_for_fiction,
    detect_all,
)
from bot.answering.detectors_places import (
    _DIGIT_BY_HYPHEN,
    _DUTCH_ADDRESS,
    _PLATE,
    _SPACE_THEN_HOUSE_NUMBER,
    places,
)
from bot.answering.phone_passes import STRICT_REGIONS, fiction_may_be_written, strict_regions
from bot.asking.masking import mask_personal_data

# Possible numbers libphonenumber does not call valid: only a lenient pass finds them.
POSSIBLE_ONLY = "06 98765432"


@pytest.mark.parametrize(
    "text, number, masked",
    [
        ("mobiel: 06 98765432", "06 98765432", "06 ****5432"),
        ("TEXT ME ON 06 98765432 please", "06 98765432", "06 ****5432"),
        ("Bel me op 06 98765432", "06 98765432", "06 ****5432"),
        ("cell phone number: 06 98765432", "06 98765432", "06 ****5432"),
        # where the matcher's numbers may start: a plus, a bracket, any script's digits
        ("bel +31 6 9876 5432", "+31 6 9876 5432", "+31 * **** 5432"),
        ("bel ＋31 6 9876 5432", "＋31 6 9876 5432", "＋31 * **** 5432"),
        ("bel (06) 98765432", "(06) 98765432", "(06) ****5432"),
        ("bel （06） 98765432", "（06） 98765432", "（06） ****5432"),
        ("bel [06] 98765432", "[06] 98765432", "[06] ****5432"),
        ("bel ０６ ９８７６５４３２ nu", "０６ ９８７６５４３２", "０６ ****５４３２"),
        ("bel ٠٦ ٩٨٧٦٥٤٣٢ nu", "٠٦ ٩٨٧٦٥٤٣٢", "٠٦ ****٥٤٣٢"),
        # the cue is read in the 30 characters before the number: one that starts inside a
        # word exactly there is taken for a word of its own
        ("xbel" + " " * 27 + "06 98765432", "06 98765432", "06 ****5432"),
        # Britain's ranges for fiction need no cue
        ("the customer at 07700 900456 complained", "07700 900456", "07*** **0456"),
        ("0115 496 0123 is her landline", "0115 496 0123", "01** *** 0123"),
        # the US passes run only where a North American number's shape is: as written there
        ("call (212) 555-0199 today", "(212) 555-0199", "(21*) ***-0199"),
        ("her cell is 212-555-0199.", "212-555-0199", "21*-***-0199"),
        ("212.555.0199", "212.555.0199", "21*.***.0199"),
        ("ring (212)555-0199", "(212)555-0199", "(21*)***-0199"),
    ],
)
def test_a_number_a_shortcut_could_skip_is_found_and_masked(
    text: str, number: str, masked: str
) -> None:
    found = [(d.kind, text[d.start : d.end], d.masked) for d in detect_all(text)]
    assert found == [("phone", number, masked)]
    assert mask_personal_data(text) == text.replace(number, masked)


@pytest.mark.parametrize(
    "text",
    [
        "label 06 98765432",  # a cue's letters inside a word announce nothing
        "during 06 98765432",
        "beleid 06 98765432",
        "xbel" + " " * 26 + "06 98765432",  # the window starts after the word's first letter
        "bel de buren, 06 98765432",  # the cue is not right before the number
        "we reached 01632 860123 views",
    ],
)
def test_a_possible_number_nothing_announces_is_not(text: str) -> None:
    assert detect_all(text) == []


def _all_eight_passes(text: str) -> list[Detection]:
    """The detector as it was: every region, strict then lenient, on every text."""
    out: list[Detection] = []
    for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE):
        for region in PHONE_REGIONS:
            for found in _phones_in(text, region, leniency):
                if all(found.end <= d.start or found.start >= d.end for d in out):
                    out.append(found)
    return out


_CUES = [
    "bel", "Bel me op", "BEL ons", "tel", "telefoonnummer", "mobiele nummer", "gsm", "nummer",
    "whatsapp", "sms", "app me", "call me on", "Call us at", "phone number", "ring me on",
    "mobile", "cellphone", "cell phone number", "number", "text me on", "tel.",
    "label", "hotel", "during", "xbel", "persoonsnummer", "beleid", "numbers", "telling",
]  # fmt: skip
_TAILS = ["", " ", ":", ": ", " is ", " is: ", "\t", "\n", " - ", ", ", " (", " op "]
_NUMBERS = [
    POSSIBLE_ONLY, "06-12345678", "+31 6 12345678", "0031 6 12345678", "(212) 555-0199",
    "212.555.0199", "07700 900123", "0115 496 0123", "01632 960123", "020 7946 0958",
    "+44 7700 900123", "0470/12.34.56", "123456789", "2026-01-20", "3:45", "06-1234",
    "4111 1111 1111 1111", "0800-FLOWERS", "06 1234 5678 x 12", "（020） 1234567", "[020] 1234567",
    "1-212-555-0199", "+1 212-555-0199", "212 555 0199", "2125550199", "(212)555-0199",
]  # fmt: skip
_DIGITS = ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९"]


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        parts.append(" ".join(rng.choice(["de", "the", "op", "x", "(", "+", "é"]) for _ in "ab"))
        if rng.random() < 0.7:
            spaces = " " * rng.choice([0, 0, 1, 5, 20])
            parts.append(rng.choice(_CUES) + rng.choice(_TAILS) + spaces)
        number = rng.choice(_NUMBERS)
        if rng.random() < 0.3:
            script = rng.choice(_DIGITS)
            number = "".join(script[int(c)] if c.isdigit() else c for c in number)
        parts.append(number)
    return "z" * rng.randint(0, 40) + rng.choice([" ", ""]).join(parts)


def test_the_detector_finds_what_all_eight_passes_find() -> None:
    rng = random.Random(20261202)
    texts = [_random_text(rng) for _ in range(400)]
    assert sum(bool(_all_eight_passes(t)) for t in texts) > 200  # numbers, found
    for text in texts:
        assert _phones(text) == _all_eight_passes(text), text


def test_the_us_passes_keep_nothing_where_no_north_american_shape_is() -> None:
    """The shortcut's premise, on texts the US passes find numbers in (bare ten digits,
    other countries' numbers): what they keep is always in the shape, part of the text."""
    rng = random.Random(20261204)
    texts = [_random_text(rng) for _ in range(300)]
    texts += ["+1 212 555 0199", "2125550199", "1-212-555-0199", "+44 20 7946 0958"]
    for text in texts:
        kept = [
            found
            for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE)
            for found in _phones_in(text, "US", leniency)
        ]
        if _NANP_ANYWHERE.search(text) is None:
            assert kept == [], text


@pytest.mark.parametrize(
    "text, number, masked, regions",
    [
        # each way a strict pass reads a number: a plus, the international prefix, the
        # country code without a plus, the national prefix, and a number written without
        # one; after an `x` (an extension's, or punctuation) every strict pass runs
        ("bel +31 6 12345678 nu", "+31 6 12345678", "+31 * ****5678", STRICT_REGIONS),
        ("mijn nummer is 0031 6 12345678", "0031 6 12345678", "0031 * ****5678", STRICT_REGIONS),
        ("bel 31612345678 nu", "31612345678", "31*****5678", ("NL",)),
        ("gsm 32 470 12 34 56 nu", "32 470 12 34 56", "32 *** ** 34 56", ("BE",)),
        ("het is 06-12345678", "06-12345678", "06-****5678", ("NL",)),
        ("zie 0470 12 34 56 nu", "0470 12 34 56", "04** ** 34 56", ("BE",)),
        ("020 7946 0958 is the office", "020 7946 0958", "02* **** 0958", ("GB",)),
        ("gsm 32 470 12 34 56 x", "32 470 12 34 56", "32 *** ** 34 56", STRICT_REGIONS),
        ("ons nummer 14020 of order 99", "14020", "****0", ("NL",)),
        ("140 20 en 123456", "140 20", "*** *0", ("NL",)),
    ],
)
def test_a_number_only_a_strict_pass_finds_is_found_and_masked(
    text: str, number: str, masked: str, regions: tuple[str, ...]
) -> None:
    assert strict_regions(text) == regions
    found = [(d.kind, text[d.start : d.end], d.masked) for d in detect_all(text)]
    assert found == [("phone", number, masked)]
    assert mask_personal_data(text) == text.replace(number, masked)


@pytest.mark.parametrize(
    "text",
    [
        "Gevonden: het paspoort van Jan, persoonsnummer 111222333. Wie kent hem?",
        "Proud of our team: order 123456789 with 200 new park benches arrived",
        "jersey 1534 456789 ok",
    ],
)
def test_no_strict_pass_runs_where_none_could_find_a_number(text: str) -> None:
    assert strict_regions(text) == ()
    assert _phones(text) == _all_eight_passes(text) == []


def _strict_finds(text: str, region: str) -> bool:
    return bool(_phones_in(text, region, phonenumbers.Leniency.VALID))


def _fiction_found(text: str) -> bool:
    matches = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    return any(_set_aside_for_fiction(match.number, "GB") for match in matches)


def _premise_holds(texts: list[str]) -> tuple[int, int]:
    """That a skipped strict pass finds nothing, and that Britain's lenient pass finds no
    number in the ranges for fiction where `fiction_may_be_written` says so, on each text;
    the passes skipped, and the passes that found a number."""
    skipped = found = 0
    for text in texts:
        fiction = _fiction_found(text)
        found += fiction
        if not fiction_may_be_written(text, _SET_ASIDE_FOR_FICTION):
            skipped += 1
            assert not fiction, text
        regions = strict_regions(text)
        for region in STRICT_REGIONS:
            finds = _strict_finds(text, region)
            found += finds
            if region not in regions:
                skipped += 1
                assert not finds, (region, text)
    return skipped, found


def test_a_skipped_strict_pass_finds_nothing_in_the_sets_questions() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("examples/*.questions.yml")]
    files += [*root.glob("benchmarks/devset/*.questions.yml")]
    files += [*root.glob("benchmarks/blind/*.questions.yml")]  # study sets, readable
    files += [*root.glob("benchmarks/blind3/*.questions.yml")]
    texts = [
        case["text"]
        for path in files
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(case, dict) and isinstance(case.get("text"), str)
    ]
    assert len(texts) > 500
    skipped, found = _premise_holds(texts)
    assert skipped > 1000 and found > 0


_FORMATS = ["{nsn}", "0{nsn}", "{cc}{nsn}", "00{cc}{nsn}", "+{cc}{nsn}", "14{short}"]
_SEPARATORS = [" ", "-", ".", "/", " - ", "", "", "  ", "(", ")", "–", "ー"]
_WORDS = [
    "de", "the", "bel", "op", "order", "nummer", "call", "x", "ext.", "tel:", "(", ",", ";",
    "é", "2x", "#", "int", "at", "~", "into",
]  # fmt: skip


def _example_numbers() -> list[phonenumbers.PhoneNumber]:
    types = [
        phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST, phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER, phonenumbers.PhoneNumberType.PAGER,
        phonenumbers.PhoneNumberType.UAN, phonenumbers.PhoneNumberType.VOICEMAIL,
    ]  # fmt: skip
    regions = ["NL", "BE", "GB", "GG", "JE", "IM", "US", "DE", "FR", "AR", "MX", "BR"]
    found = [phonenumbers.example_number_for_type(r, t) for r in regions for t in types]
    return [number for number in found if number is not None]


# Britain's ranges for fiction (`_SET_ASIDE_FOR_FICTION`), as national numbers
_FICTION = ["7700900123", "2079460958", "1154960123", "1614960123", "1632960123", "8081570123"]


def _written(rng: random.Random, number: phonenumbers.PhoneNumber) -> str:
    nsn = list(phonenumbers.national_significant_number(number))
    if rng.random() < 0.2:
        nsn = list(rng.choice(_FICTION))
    for _ in range(rng.choice([0, 0, 1, 3])):  # nearby numbers, valid or not
        nsn[rng.randrange(len(nsn))] = rng.choice("0123456789")
    short = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 5)))
    digits = rng.choice(_FORMATS).format(cc=number.country_code, nsn="".join(nsn), short=short)
    if rng.random() < 0.3:
        return phonenumbers.format_number(number, rng.choice([0, 1, 2]))  # E164, intl, national
    out, at = "", 0
    while at < len(digits):  # regrouped, as people write numbers
        size = rng.randint(1, 5) if rng.random() < 0.6 else len(digits)
        out += digits[at : at + size] + rng.choice(_SEPARATORS)
        at += size
    return out.rstrip()


def test_a_skipped_strict_pass_finds_nothing_in_random_texts() -> None:
    rng = random.Random(20261205)
    numbers = _example_numbers()
    texts = []
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(1, 3)):
            parts.append(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 3))))
            if rng.random() < 0.7:
                parts.append(_written(rng, rng.choice(numbers)))
            else:
                parts.append(str(rng.randint(10, 10**12)))
        texts.append(rng.choice([" ", ", "]).join(parts))
    # An extension's label (`#`: at most 9 digits) ends a candidate inside a group of digits,
    # where the next one starts: found by an earlier, larger run of this test.
    texts += [
        "int 01409307960 # 0500123456",
        "nummer6868208219#070062345078066)23456/78",
        "# 147955 bel call op 87 # 01123456789",
    ]
    skipped, found = _premise_holds(texts)
    assert skipped > 500 and found > 500


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("zijn auto GX-412-K stond er", "plate", "GX-412-K"),
        ("kenteken 12-BDF-3 en", "plate", "12-BDF-3"),
        ("kenteken ٩٩-XX-XX", "plate", "٩٩-XX-XX"),  # the pattern's digits are any script's
        ("ze woont op de Dorpsstraat 12a", "address", "Dorpsstraat 12a"),
        ("Laan van Meerdervoort\t7 hoek", "address", "Laan van Meerdervoort\t7"),
        ("Oude Gracht\u00a09", "address", "Oude Gracht\u00a09"),
    ],
)
def test_plates_and_addresses_are_still_found(text: str, kind: str, found: str) -> None:
    assert [(d.kind, text[d.start : d.end]) for d in places(text)] == [(kind, found)]


_PIECES = [
    "GX-412-K", "AB-12-34", "12-34-AB", "99-XXX-9", "9-XX-999", "1-2", "2026-01-20", "06-12345678",
    "Dorpsstraat 12", "Kerkweg", "Laan van Meerdervoort", "Oude Gracht", " 7", "\t3", "\u00a05",
    "12a", "-", "٣", "٣-٤", "0", " 0", "de", "x", "Hof", "straat", "AB12 CDE", "nr. 4",
]  # fmt: skip


def test_every_plate_and_address_has_what_the_shortcut_looks_for() -> None:
    rng = random.Random(20261203)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    assert sum(_PLATE.search(t) is not None for t in texts) > 100
    assert sum(_DUTCH_ADDRESS.search(t) is not None for t in texts) > 100
    for text in texts:
        assert _PLATE.search(text) is None or _DIGIT_BY_HYPHEN.search(text), text
        assert _DUTCH_ADDRESS.search(text) is None or _SPACE_THEN_HOUSE_NUMBER.search(text), text
