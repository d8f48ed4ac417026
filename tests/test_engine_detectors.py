"""Detectors find only valid values, resolve overlaps, and never show a value in full."""

from __future__ import annotations

import pytest

from bot.answering.detection import mask_digits, mask_iban, mask_text
from bot.answering.detectors import detect_all
from tests.samples import compiled


def kinds(text: str) -> list[tuple[str, str]]:
    return [(d.kind, text[d.start : d.end]) for d in detect_all(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("rekening NL91 ABNA 0417 1643 00 graag", ("iban", "NL91 ABNA 0417 1643 00")),
        ("rekening NL91ABNA0417164300.", ("iban", "NL91ABNA0417164300")),
        ("iban de89370400440532013000 ok", ("iban", "de89370400440532013000")),
        # mod-97 is the check the format promises; Belgium's own account check is not needed
        ("stort op BE68 5390 0754 7034 aub", ("iban", "BE68 5390 0754 7034")),
        ("persoonsnummer 111222333.", ("bsn", "111222333")),
        ("bsn 12345684 (zonder nul)", ("bsn", "12345684")),
        ("pas 4111 1111 1111 1111 gevonden", ("card", "4111 1111 1111 1111")),
        ("pas 4111-1111-1111-1111", ("card", "4111-1111-1111-1111")),
        ("amex 378282246310005", ("card", "378282246310005")),
        ("bel 06-12345678 nu", ("phone", "06-12345678")),
        ("bel +31 20 123 4567", ("phone", "+31 20 123 4567")),
        ("bel 020-1234567", ("phone", "020-1234567")),
        ("call +44 20 7946 0958", ("phone", "+44 20 7946 0958")),
        ("bel 0470 12 34 56 aub", ("phone", "0470 12 34 56")),  # a Belgian mobile
        ("gsm 0470/12.34.56", ("phone", "0470/12.34.56")),
        ("mail peter.jansen72@gmail.com!", ("email", "peter.jansen72@gmail.com")),
        # British numbers as English-speaking staff write them, without +44
        ("text me on 07911 123456 tonight", ("phone", "07911 123456")),
        ("the office is 020 7946 0958", ("phone", "020 7946 0958")),
        # a range set aside for fiction is invalid to libphonenumber, but announced as a
        # number it is someone's number to a reader
        ("call me on 07700 900123", ("phone", "07700 900123")),
        # Ofcom's ranges for drama are what examples use: a reader takes them for a number,
        # announced or not (07700 900xxx, 0115 496 0xxx and 01632 960xxx are invalid to
        # libphonenumber)
        ("the customer at 07700 900456 complained", ("phone", "07700 900456")),
        ("0115 496 0123 is her landline", ("phone", "0115 496 0123")),
        ("his number 01632 960123", ("phone", "01632 960123")),
        ("mobiel: 06 98765432", ("phone", "06 98765432")),
        ("she lives in Leeds LS1 4DY now", ("postcode", "LS1 4DY")),
        ("post it to SW1A 1AA", ("postcode", "SW1A 1AA")),
        # inward codes ending in ordinary pairs are postcodes too ("DJ", "AT", "BE")
        ("she lives in Bristol BS1 4DJ", ("postcode", "BS1 4DJ")),
        ("deliver to M1 2AT please", ("postcode", "M1 2AT")),
        # a British registration as it is written, and the English street forms of the UK
        ("his car AB12 CDE blocked the gate", ("plate", "AB12 CDE")),
        ("she lives at 9 Mill Row", ("address", "9 Mill Row")),
        ("left it at 14 Castle Hill", ("address", "14 Castle Hill")),
        # North American numbers as American colleagues write them
        ("my cell is 719-633-9925", ("phone", "719-633-9925")),
        ("her office: (212) 555-0199", ("phone", "(212) 555-0199")),
        ("call 303.555.0182 after five", ("phone", "303.555.0182")),
        # a US Social Security number, written with dashes
        ("his SSN is 078-05-1120", ("ssn", "078-05-1120")),
    ],
)
def test_valid_values_are_found(text: str, found: tuple[str, str]) -> None:
    assert kinds(text) == [found]


@pytest.mark.parametrize(
    "text",
    [
        "rekening NL91 ABNA 0417 1643 01",  # mod-97 fails
        "order 123456789 arrived",  # eleven test fails
        "pas 4111 1111 1111 1112",  # Luhn fails
        "card 4111 111 1111 1111 1",  # not grouped as cards are
        "code 000000000",  # passes the eleven test trivially; no BSN
        "datum 20260120",  # a date, not an 8-digit BSN
        "bel 06-1234",  # too short for a phone number
        "om 10.00 uur, 1000 keer, 2026",
        "mail naar info@ of @team",
        "we reached 01632 860123 views",  # possible shape, but nothing says it is a number
        "our FY25 ESG report and the CY26 OKR plan",  # fiscal and calendar years, not plates
        "an MP3 4GB player, a 2TB disk and BS1 4GB",  # sizes after a number are not inward codes
        "an MP3 4GB player and an A4 sheet on the M1",  # sizes and roads, no postcodes
        "invoice 2024-11-0034 and ref 2025551234",  # not grouped as American numbers are
        "case 666-12-3456 and 123-00-4567",  # never issued as Social Security numbers
    ],
)
def test_invalid_values_are_not(text: str) -> None:
    assert kinds(text) == []


def test_iban_digits_are_not_also_a_phone_number() -> None:
    assert [k for k, _ in kinds("NL91 ABNA 0417 1643 00 en 0417 164300")] == ["iban"]


def test_a_bsn_inside_a_phone_number_is_part_of_it() -> None:
    # 22345681 passes the eleven test (as 022345681); after "06 " it is a mobile number.
    assert kinds("bsn 22345681") == [("bsn", "22345681")]
    assert kinds("bel 06 22345681") == [("phone", "06 22345681")]


def test_masks() -> None:
    assert mask_iban("NL91ABNA0417164300") == "NL91 **** **** **** 4300"
    assert mask_digits("06-12345678", 2, 4) == "06-****5678"
    assert mask_digits("4111 1111 1111 1111", 0, 4) == "**** **** **** 1111"
    assert mask_text("GX-412-K") == "GX-***-*"
    masked = {d.kind: d.masked for d in detect_all("p@x.nl 111222333 +31 20 123 4567")}
    assert masked == {"email": "p***@x.nl", "bsn": "*****2333", "phone": "+31 ** *** 4567"}


def test_evidence_of_detectors_is_masked_in_answers() -> None:
    engine = compiled([{"id": "P", "verdict": "forbidden", "detect": ["iban", "email", "phone"]}])
    text = "Stort op NL91 ABNA 0417 1643 00, mail peter.jansen72@gmail.com of bel 06-12345678"
    answer = engine.check(text)
    evidence = answer.to_json()["rules"][0]["evidence"]
    assert evidence == ["NL91 **** **** **** 4300", "p***@gmail.com", "06-****5678"]
    dumped = str(answer.to_json())
    for secret in ("0417", "jansen", "12345678"):
        assert secret not in dumped


def test_only_the_detectors_a_rule_names_count() -> None:
    engine = compiled([{"id": "P", "verdict": "forbidden", "detect": ["email"]}])
    assert engine.check("bel 06-12345678").covered is False
    assert engine.check("mail a.b@c.nl").verdict == "forbidden"


def test_unless_cancels_a_detected_value() -> None:
    engine = compiled(
        [
            {
                "id": "P",
                "verdict": "forbidden",
                "detect": ["email", "phone"],
                "unless": ["info@voorbeeld.nl", "020-1234567"],
            }
        ]
    )
    assert engine.check("Mail info@voorbeeld.nl of bel 020-1234567").covered is False
    assert engine.check("Mail INFO@Voorbeeld.NL").covered is False
    # The same number written differently is still the organisation's own number.
    assert engine.check("Bel +31 20 123 4567").covered is False
    answer = engine.check("Mail info@voorbeeld.nl of jan@voorbeeld.nl")
    assert answer.to_json()["rules"][0]["evidence"] == ["j***@voorbeeld.nl"]
    # An address that merely starts with the allowed one is another address.
    assert engine.check("info@voorbeeld.nl.evil.com").verdict == "forbidden"


def test_a_rule_about_social_security_numbers_finds_an_american_one() -> None:
    # The rule names the kind of data, not a detector: the lexicon brings `bsn` and `ssn`.
    engine = compiled(
        [
            {
                "id": "SSN",
                "verdict": "forbidden",
                "text": "Never post a client's social security number.",
                "keywords": ["social security number"],
            }
        ]
    )
    answer = engine.check("Can I tweet the form? It shows 078-05-1120 in the corner")
    assert answer.verdict == "forbidden"
    assert answer.to_json()["rules"][0]["evidence"] == ["***-**-1120"]
    assert engine.check("Can I tweet the form? It shows case 2024-11-0034").covered is False
