"""Which strict phone passes (libphonenumber's `VALID` matcher for NL, BE and GB) can find a
number in a text: a cheap test of what every number such a pass finds is written as, so a
pass that cannot find one is not run (each pass costs 0.1 to 0.6 M instructions on a text
with digits, half of it libphonenumber's `parse` of each candidate).

What a strict pass for region R finds is a candidate libphonenumber's matcher cut from the
text, parsed for R and valid. Without a plus sign the parse reads the candidate's digits D
(its digit runs joined, up to an extension, which only ends it) in one of four ways:
R's international prefix (`00`) and another country's number; R's own country code first
(`31 6 …`); R's national prefix (`0`, and Britain's `180020`) and the national number (the
prefix kept where that fits R's numbers better), which must be valid; or D itself as the
national number. In the last case the matcher keeps the number only if it is valid (D
has the shape of a number of one of the regions of R's country code: its general pattern)
and if R does not write it with a national prefix (the format R writes D with, the first of
R's formats D fits, has no national prefix rule, or an optional one, or none fits):
otherwise the prefix must be in the text, and it is not. Where these hold, the number D
makes is asked libphonenumber's own `is_valid_number`, without the parse.

So a pass may find a number only where the text has a plus sign, or a run of digit groups
(digits joined by at most four non-word characters, as the matcher's candidates are) whose
digits from one group on start with R's international prefix and more or with its country
code, or are R's national prefix and a valid national number, or a valid national number
that R writes without a prefix. Where the premises do not hold the test says yes: digits
of another script than ASCII, and letters after a digit that may be in a candidate (`x`,
the matcher's punctuation, and an extension's label: three letters the parse turns into
digits). `tests/test_engine_detector_shortcuts.py` holds the detector to what the passes
alone find on the sets' questions and random texts.

Britain's lenient pass, on a text without a cue, keeps only a number in the ranges set
aside for fiction (`detectors._SET_ASIDE_FOR_FICTION`, read from the number's national
number): those digits are in the text, one after the other, unless the number is another
country's, whose own rules may rewrite them (after a plus sign or `00`), or the premises
above do not hold (`fiction_may_be_written`).

Only libphonenumber's public API and metadata are used (each region's patterns and formats,
`is_valid_number`).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from phonenumbers import NumberFormat, PhoneMetadata

STRICT_REGIONS = ("NL", "BE", "GB")  # the US passes have `detectors._NANP_ANYWHERE`

# A candidate's digit groups: digits joined by at most four characters of the matcher's
# punctuation, whose only word characters are `x` (see `_NOT_COVERED`) and `ー`.
_GROUPED_DIGITS = re.compile(r"[0-9]+(?:[\W\u30FC]{1,4}[0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")
_LONGEST = 17  # digits of a national number libphonenumber parses (`_MAX_LENGTH_FOR_NSN`)
# Where the premises do not hold: a plus sign, digits of another script; after a digit, an
# extension's label (`ext`, `#` …: the matcher's extension takes at most 6, 9 or 20 digits,
# so the next candidate may start inside a group) or `x`, the matcher's punctuation (three
# letters in a number the parse keeps turn into digits: `1 ext 23` is 139823); a group of
# more than 20 digits, the most the matcher's blocks take.
_NOT_COVERED = re.compile(
    r"(?i)[+\uFF0B]|(?![0-9])\d|[0-9]{21}"
    r"|\d\W*(?:x|ext|int|anexo|[#~\uFF03\uFF5E\uFF58]|\uFF45\uFF58|\uFF49\uFF4E|доб)"
)
_MOST_BLOCKS = 21  # digit blocks of one candidate; a run of more may end one inside a group
_FIRST_GROUP_ONLY = re.compile(r"\(?\\1\)?")  # a prefix rule that adds no prefix


class _Format(NamedTuple):
    leading: re.Pattern[str] | None
    pattern: re.Pattern[str]
    needs_prefix: bool


class _Region(NamedTuple):
    country_code: str
    international_prefix: re.Pattern[str]
    national_prefix: re.Pattern[str] | None
    shapes: tuple[re.Pattern[str], ...]  # every region of the country code: its general one
    formats: tuple[_Format, ...]


@functools.cache
def _region(code: str) -> _Region:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(code)
    assert metadata is not None and metadata.country_code is not None
    assert metadata.international_prefix is not None
    shapes = tuple(
        _shape(PhoneMetadata.metadata_for_region(other))
        for other in COUNTRY_CODE_TO_REGION_CODE[metadata.country_code]
    )
    formats = tuple(
        _Format(
            re.compile(form.leading_digits_pattern[-1]) if form.leading_digits_pattern else None,
            re.compile(form.pattern or ""),
            _needs_prefix(form),
        )
        for form in metadata.number_format
    )
    national = re.compile(metadata.national_prefix_for_parsing or "")
    # Read below as a prefix stripped whole: NL's, BE's and GB's have no carrier code kept
    # and no rewriting, which a region's rule may have.
    assert national.groups == 0 and metadata.national_prefix_transform_rule is None
    return _Region(
        str(metadata.country_code),
        re.compile(metadata.international_prefix),
        national if national.pattern else None,
        shapes,
        formats,
    )


def _shape(metadata: PhoneMetadata | None) -> re.Pattern[str]:
    """A region's general pattern of its numbers; any digits where it has none."""
    general = metadata.general_desc if metadata is not None else None
    pattern = general.national_number_pattern if general is not None else None
    return re.compile(pattern or r"\d*")


def _needs_prefix(form: NumberFormat) -> bool:
    """Whether R writes a number of this format with its national prefix (libphonenumber's
    `_is_national_prefix_present_if_required`)."""
    rule = form.national_prefix_formatting_rule
    return (
        bool(rule)
        and not form.national_prefix_optional_when_formatting
        and _FIRST_GROUP_ONLY.fullmatch(rule or "") is None
    )


def strict_regions(text: str) -> tuple[str, ...]:
    """The regions of `STRICT_REGIONS`, in order, whose strict pass may find a number."""
    if _NOT_COVERED.search(text):
        return STRICT_REGIONS
    numbers = _written_numbers(text)
    if numbers is None:
        return STRICT_REGIONS
    return tuple(code for code in STRICT_REGIONS if any(_may_be(_region(code), d) for d in numbers))


def fiction_may_be_written(text: str, fiction: re.Pattern[str]) -> bool:
    """Whether Britain's lenient pass may find a number whose national number `fiction`
    matches (at its start)."""
    if _NOT_COVERED.search(text):
        return True
    international = _region("GB").international_prefix
    for run in _GROUPED_DIGITS.finditer(text):
        groups = _DIGITS.findall(run.group())
        if len(groups) >= _MOST_BLOCKS:
            return True
        digits = "".join(groups)
        if fiction.search(digits):
            return True
        at = 0
        for group in groups:  # another country's number after the international prefix
            found = international.match(digits, at)
            if found is not None and found.end() < len(digits):
                return True
            at += len(group)
    return False


def _written_numbers(text: str) -> set[str] | None:
    """The digits of every run of consecutive digit groups a candidate may hold (None: a
    run of more groups than one candidate takes)."""
    numbers = set()
    for run in _GROUPED_DIGITS.finditer(text):
        groups = _DIGITS.findall(run.group())
        if len(groups) >= _MOST_BLOCKS:
            return None
        for first in range(len(groups)):
            digits = ""
            for group in groups[first:]:
                digits += group
                if len(digits) > _LONGEST:
                    break
                numbers.add(digits)
            numbers.add(digits[: _LONGEST + 1])  # what the prefixes are read from
    return numbers


def _may_be(region: _Region, digits: str) -> bool:
    if digits.startswith(region.country_code):
        return True
    international = region.international_prefix.match(digits)
    if international is not None and international.end() < len(digits):
        return True  # another country's number, read by that country's rules
    national = region.national_prefix.match(digits) if region.national_prefix else None
    if national is not None:  # the parse strips the prefix, or keeps it if that fits better
        return _valid(region, digits[national.end() :]) or _valid(region, digits)
    if not any(shape.fullmatch(digits) for shape in region.shapes):
        return False  # a cheap first look: no valid number has another shape
    for form in region.formats:  # libphonenumber's choice of the format R writes it with
        if (form.leading is None or form.leading.match(digits)) and form.pattern.fullmatch(digits):
            if form.needs_prefix:
                return False
            break
    return _valid(region, digits)


def _valid(region: _Region, national: str) -> bool:
    """Whether `national`, as the parse makes a national number of it (leading zeros kept
    as Italy's are), is a valid number of R's country code (libphonenumber's own check,
    after a cheap look at its shape)."""
    if not national or not any(shape.fullmatch(national) for shape in region.shapes):
        return False
    from phonenumbers import PhoneNumber, is_valid_number

    number = PhoneNumber(country_code=int(region.country_code), national_number=int(national))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros and len(national) > 1:
        number.italian_leading_zero = True
        number.number_of_leading_zeros = min(zeros, len(national) - 1)
    return bool(is_valid_number(number))
