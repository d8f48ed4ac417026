"""The detectors for street addresses, postcodes and licence plates: valid values only, as
strictly as the format's own detectors, shown masked."""

from __future__ import annotations

import pytest

from bot.answering.detectors import detect_all
from bot.asking.masking import mask_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(d.kind, d.value) for d in detect_all(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mevrouw de Boer van de Dorpsstraat 12 belt", [("address", "dorpsstraat 12")]),
        ("woont op de Kerkweg 3a in Assen", [("address", "kerkweg 3a")]),
        ("Laan van Meerdervoort 1234", [("address", "laan van meerdervoort 1234")]),
        ("Burgemeester Jansenstraat 7-2", [("address", "burgemeester jansenstraat 7-2")]),
        ("she lives at 221 Baker Street", [("address", "221 baker street")]),
        # American forms: compass points and the post office's abbreviations
        ("his house is 3120 N. Oak Drive", [("address", "3120 n. oak drive")]),
        ("drop it at 7 Church Rd tonight", [("address", "7 church rd")]),
        ("1600 Pennsylvania Ave NW", [("address", "1600 pennsylvania ave nw")]),
        ("she lives at 12 Main St. in Denver", [("address", "12 main st.")]),
        # Dutch street names of two words, and `Laan van` with a longer name
        ("wonend op de Oude Gracht 12 in Utrecht", [("address", "oude gracht 12")]),
        ("Laan van Nieuw Oost-Indië 131", [("address", "laan van nieuw oost-indië 131")]),
        ("Postcode 6441 AB, Brunssum", [("postcode", "6441 AB")]),
        ("postcode 1012ab", [("postcode", "1012 AB")]),
        ("auto met kenteken GX-412-K", [("plate", "GX-412-K")]),
        ("1-KBB-12 en 12-34-AB", [("plate", "1-KBB-12"), ("plate", "12-34-AB")]),
    ],
)
def test_valid_values_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Onderweg 5 minuten later",  # a street word that is an ordinary word
        "De Dorpsstraat 12 km verderop is afgesloten",  # a distance, not a house number
        "om 12:30 bij de Marktstraat",  # no number after the street
        "in 2024 EN 2025",  # capitals that are no postcode
        "1024 KB aan data, 2000 KM gereden",  # units
        "9999 SS",  # never issued
        "AE-IOU-1 en covid-19",  # vowels are not issued in modern plates; not a plate
        "dorpsstraat 12",  # a street name is written with a capital
        "In de Grote Markt 2 keer per jaar",  # a count, not a house number
        "we walked 5 miles down the road",  # no capitalised street name
    ],
)
def test_look_alikes_are_not(text: str) -> None:
    assert [f for f in found(text) if f[0] in ("address", "postcode", "plate")] == []


def test_they_are_masked_wherever_text_is_shown_or_stored() -> None:
    masked = mask_personal_data("Dorpsstraat 12, 6441 AB, kenteken GX-412-K")
    assert masked == "Do********* **, 64** **, kenteken GX-***-*"
