"""Dutch compounds: `bosbrand` is a `brand`, `persvragen` are questions from the `pers`.

Dutch writes compounds as one word, so a keyword can be the end (head) or the start
(modifier) of a longer word. Matching every substring would turn `personeel` into `pers`
and `verbrand` into `brand`, so a split is accepted only when both parts look like words:

- keyword as head (`bos|brand`, `parkeer|klacht`): the part before it, less a linking
  `s`/`e`/`en`, has at least three letters, a vowel, and is no prefix (`ver-`, `ont-` …).
  A Dutch compound is a kind of its head, so this direction is safe to apply broadly.
- keyword as modifier (`pers|vraag`, `crisis|team`): the rest, less a linking element, must
  be a known word: one the policy itself uses, or a common compound part (`COMMON_PARTS`).
  `pers|oneel` and `brand|stof` fail that test.

The engine applies this only to Dutch text: English writes compounds apart, and its
`showcase` or `compress` should not become `case` or `press`.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.answering.stemming import MIN_STEM, dutch_stem

_LINKS = ("en", "s", "e", "")
_NOT_MODIFIERS = frozenset(
    {
        "ver", "ont", "her", "mis", "bij", "het", "een", "van", "die", "dat", "wat", "hun",
        "ons", "mijn", "zijn", "haar", "wie", "hoe", "wel", "niet", "geen", "nog", "ook",
        "dan", "the", "and", "for", "con", "com", "pro", "pre", "sub", "sup", "dis", "non",
    }
)  # fmt: skip

# Heads that often follow a keyword in a compound, beyond the words of the policy itself.
COMMON_PARTS = frozenset(
    str.split(
        """vraag verzoek bericht berichten conferentie voorlichter voorlichting team app groep
    account foto video post artikel melding code gegevens lek beleid medewerker adviseur
    regeling procedure plan besluit nota stuk dossier zaak mail lijst overleg vergadering
    agenda dienst centrum kanaal pagina profiel contact nummer adres formulier afdeling
    coordinator functionaris bureau chat reactie bezoek actie campagne nieuws"""
    )
)


class CompoundSplitter:
    """Finds the keywords a Dutch compound word contains, as extra match keys."""

    def __init__(
        self,
        head_stems: Iterable[str],
        modifier_keys: dict[str, str],
        vocabulary: Iterable[str],
    ) -> None:
        # Dutch stems of one-word keywords that may end a compound.
        self._heads = frozenset(s for s in head_stems if len(s) >= MIN_STEM)
        # Spellings of one-word keywords that may start a compound → the key they match on.
        self._modifiers = {k: v for k, v in modifier_keys.items() if len(k) >= MIN_STEM}
        self._vocabulary = frozenset(vocabulary) | {dutch_stem(w) for w in COMMON_PARTS}
        self._shortest_modifier = min((len(k) for k in self._modifiers), default=0)

    def keys(self, word: str) -> tuple[str, ...]:
        """Match keys (`n:brand`, `w:pers`) for the keywords inside `word`; () for none."""
        if len(word) < 7 or not word.isalpha():
            return ()
        found: list[str] = []
        stem = dutch_stem(word)
        for cut in range(3, len(stem) - MIN_STEM + 1):
            head = stem[cut:]
            if head in self._heads and self._is_modifier(stem[:cut]):
                found.append("n:" + head)
        if self._shortest_modifier:
            for cut in range(self._shortest_modifier, len(word) - 2):
                key = self._modifiers.get(word[:cut])
                if key is not None and self._is_known_rest(word[cut:]):
                    found.append(key)
        return tuple(dict.fromkeys(found))

    @staticmethod
    def _is_modifier(part: str) -> bool:
        for link in _LINKS:
            if link and not part.endswith(link):
                continue
            word = part[: len(part) - len(link)]
            if len(word) >= 3 and word not in _NOT_MODIFIERS and any(c in "aeiouy" for c in word):
                return True
        return False

    def _is_known_rest(self, rest: str) -> bool:
        for link in _LINKS:
            if link and not rest.startswith(link):
                continue
            word = rest[len(link) :]
            if len(word) >= 3 and (
                word in self._vocabulary or dutch_stem(word) in self._vocabulary
            ):
                return True
        return False
