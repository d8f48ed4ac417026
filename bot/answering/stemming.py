"""Inflection-only stemmers for Dutch and English, and the match keys of a word.

Why not the full Snowball stemmers: they also strip derivational suffixes, and those join
words a policy must keep apart: Snowball's English gives `polite` and `political` the same
stem, `emerging` and `emergency`, `integral` and `integrity`, `reporting` and `reporter`;
its Dutch joins `vertrouwen` (trust) and `vertrouwelijk` (confidential). A keyword in a
policy must match its inflected forms (`klachten`, `complaints`, `uniforme`, `elections`)
and nothing else, so these are the inflectional steps of the Snowball algorithms only:

- English: Porter2 steps 0–1c (plurals, -ed/-ing, y→i), with its exception words.
- Dutch: the Snowball Dutch (Porter) steps 1, 2 and 4 (plural -en/-s, -e, the vowel and
  consonant undoubling that makes `vragen` and `vraag` meet), without its derivational step 3.

Derivations that matter for the policy domain (`klagen`/`klacht`) are in the lexicon instead.
The full Snowball stemmers are still used where recall matters more than precision
(`passages.py`: finding related prose, grouping similar questions).
"""

from __future__ import annotations

from functools import lru_cache

MIN_STEM = 4  # shorter stems ("per" from "pers") join too many unrelated words

# -- English (Porter2, steps 0–1c) ---------------------------------------------------------
_EN_VOWELS = frozenset("aeiouy")
_EN_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_EN_EXCEPTIONS = {
    "skis": "ski",
    "skies": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "sky": "sky",
    "news": "news",
    "howe": "howe",
    "atlas": "atlas",
    "cosmos": "cosmos",
    "bias": "bias",
    "andes": "andes",
}
_EN_AFTER_1A = frozenset(
    {"inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"}
)


def _en_r1(word: str) -> int:
    for prefix in ("gener", "commun", "arsen"):
        if word.startswith(prefix):
            return len(prefix)
    for i in range(1, len(word)):
        if word[i] not in _EN_VOWELS and word[i - 1] in _EN_VOWELS:
            return i + 1
    return len(word)


def _en_short_syllable_end(word: str) -> bool:
    if len(word) == 2:
        return word[0] in _EN_VOWELS and word[1] not in _EN_VOWELS
    return (
        len(word) >= 3
        and word[-3] not in _EN_VOWELS
        and word[-2] in _EN_VOWELS
        and word[-1] not in _EN_VOWELS
        and word[-1] not in "wxY"
    )


def english_stem(word: str, *, plural_only: bool = False) -> str:
    """`reporters` → `reporter`, `hiring` → `hire`, `casualties` → `casualti`.

    `plural_only` stops after the plural (step 1a): `earnings` → `earning`, not `earn`."""
    if len(word) <= 2 or not word.isalpha():
        return word
    if word in _EN_EXCEPTIONS:
        return _EN_EXCEPTIONS[word]
    chars = list(word)
    for i, ch in enumerate(chars):  # a y that acts as a consonant
        if ch == "y" and (i == 0 or chars[i - 1] in _EN_VOWELS):
            chars[i] = "Y"
    w = "".join(chars)

    # Step 1a: plurals.
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("ied", "ies")):
        w = w[:-2] if len(w) > 4 else w[:-1]
    elif w.endswith(("us", "ss")):
        pass
    elif w.endswith("s") and any(c in _EN_VOWELS for c in w[:-2]):
        w = w[:-1]
    if plural_only or w in _EN_AFTER_1A:
        return w.replace("Y", "y")

    # Step 1b: -ed, -ing.
    r1 = _en_r1(w)
    if w.endswith(("eed", "eedly")):
        suffix = "eedly" if w.endswith("eedly") else "eed"
        if len(w) - len(suffix) >= r1:
            w = w[: -len(suffix)] + "ee"
    else:
        for suffix in ("ingly", "edly", "ing", "ed"):
            if w.endswith(suffix):
                stem = w[: -len(suffix)]
                if any(c in _EN_VOWELS for c in stem):
                    w = stem
                    if w.endswith(("at", "bl", "iz")):
                        w += "e"
                    elif w.endswith(_EN_DOUBLES):
                        w = w[:-1]
                    elif _en_r1(w) >= len(w) and _en_short_syllable_end(w):
                        w += "e"
                break

    # Step 1c: a final y after a consonant (not the first letter) becomes i.
    if len(w) > 2 and w[-1] in "yY" and w[-2] not in _EN_VOWELS:
        w = w[:-1] + "i"
    return w.replace("Y", "y")


# -- Dutch (Snowball Dutch/Porter, steps 1, 2 and 4) ---------------------------------------
_NL_VOWELS = frozenset("aeiouyè")


def _nl_r1(word: str) -> int:
    for i in range(1, len(word)):
        if word[i] not in _NL_VOWELS and word[i - 1] in _NL_VOWELS:
            return max(i + 1, 3)
    return len(word)


def _nl_undouble(word: str) -> str:
    return word[:-1] if word.endswith(("kk", "dd", "tt")) else word


def dutch_stem(word: str) -> str:
    """`klachten` → `klacht`, `vragen`/`vraag` → `vrag`, `uniforme` → `uniform`."""
    if len(word) < 3 or not word.isalpha():
        return word
    chars = list(word)
    for i, ch in enumerate(chars):  # y and i that act as consonants
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == "y" and (i == 0 or before in _NL_VOWELS):
            chars[i] = "Y"
        elif ch == "i" and before in _NL_VOWELS and after in _NL_VOWELS:
            chars[i] = "I"
    w = "".join(chars)
    r1 = _nl_r1(w)

    # Step 1: -heden, -en/-ene, -s/-se.
    if w.endswith("heden"):
        if len(w) - 5 >= r1:
            w = w[:-5] + "heid"
    elif w.endswith(("ene", "en")):
        cut = 3 if w.endswith("ene") else 2
        stem = w[:-cut]
        if len(stem) >= r1 and stem and stem[-1] not in _NL_VOWELS and not stem.endswith("gem"):
            w = _nl_undouble(stem)
    elif w.endswith(("se", "s")):
        cut = 2 if w.endswith("se") else 1
        stem = w[:-cut]
        if len(stem) >= r1 and stem and stem[-1] not in _NL_VOWELS and stem[-1] != "j":
            w = stem

    # Step 2: a final -e after a consonant.
    if w.endswith("e") and len(w) - 1 >= r1 and len(w) >= 2 and w[-2] not in _NL_VOWELS:
        w = _nl_undouble(w[:-1])

    # Step 4: undouble a vowel in a closed final syllable (vraag → vrag, as vragen → vrag).
    if (
        len(w) >= 4
        and w[-1] not in _NL_VOWELS
        and w[-1] != "I"
        and w[-2] == w[-3]
        and w[-2] in "aeou"
        and w[-4] not in _NL_VOWELS
    ):
        w = w[:-2] + w[-1]
    return w.replace("Y", "y").replace("I", "i")


_VOICELESS = ("t", "k", "f", "s", "ch", "p", "x")


def dutch_participle_stems(word: str) -> tuple[str, ...]:
    """The stems of the verbs a Dutch past participle may come from: ge- + stem + -t/-d
    (`gefilmd` → `filmen`, `geplaatst` → `plaatsen`), or ge- + stem when the stem ends in -t
    or -d itself (`gepest` → `pesten`, `gemeld` → `melden`), each stemmed as its infinitive
    is; -t only after a voiceless stem ending and -d after any other, as Dutch spells them.
    The Snowball Dutch steps leave the prefix on, so without this "ik word gepest" never met
    the keyword `pesten`. Only stems of at least `MIN_STEM` letters: shorter ones join
    unrelated words."""
    if len(word) < 6 or not word.startswith("ge") or word[-1] not in "td" or not word.isalpha():
        return ()
    bare = word[2:]
    infinitives = [bare + "en"]
    # ge- + stem + -t only after a voiceless stem ending ('t kofschip: t, k, f, s, ch, p, x),
    # ge- + stem + -d after any other: "geplant" is `planten`'s, never `planen`'s.
    if (word[-1] == "t") == bare[:-1].endswith(_VOICELESS):
        infinitives.insert(0, bare[:-1] + "en")
    stems = [dutch_stem(v) for v in infinitives]
    # A stem the -en did not come off (`bieen`) is no infinitive's.
    return tuple(
        dict.fromkeys(
            s for s, v in zip(stems, infinitives, strict=True) if MIN_STEM <= len(s) < len(v)
        )
    )


# -- match keys ------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def word_keys(word: str) -> tuple[str, ...]:
    """What a folded word can match on: itself (`w:`), its Dutch stem (`n:`), its English
    stem (`e:`) and English singular (`p:`). Two words match when they share a key; stems
    only meet stems of the same language, so a Dutch stem never meets an English one."""
    keys = ["w:" + word]
    if word.isalpha():
        for prefix, stem in (
            ("n:", dutch_stem(word)),
            ("e:", english_stem(word)),
            ("p:", english_stem(word, plural_only=True)),
        ):
            if len(stem) >= MIN_STEM:
                keys.append(prefix + stem)
    return tuple(keys)


@lru_cache(maxsize=200_000)
def keyword_reach_keys(word: str) -> tuple[str, ...]:
    """The keys a word of a question reaches keywords by: its `word_keys`, and the stems of
    the verbs it may be the past participle of (`gepest` reaches `pesten`). Only keywords:
    the rule texts and the domain lexicon keep to `word_keys`."""
    keys = word_keys(word)
    extra = tuple(f"n:{s}" for s in dutch_participle_stems(word) if f"n:{s}" not in keys)
    return keys + extra if extra else keys


@lru_cache(maxsize=50_000)
def keyword_word_keys(word: str) -> frozenset[str]:
    """The keys a word of a keyword accepts.

    - A keyword in -ing(s) is a noun in its own right (`branding`, `earnings`, `melding`):
      it accepts its plural, not the verb its stem would make of it (`brand`, `earn`, `meld`).
    - A three-letter word (whose stems are too short to use) accepts its plural spelled out:
      `woo` also accepts `woos`.
    """
    keys = set(word_keys(word))
    if len(word) > 5 and word.endswith(("ing", "ings")):
        keys = {k for k in keys if not k.startswith("e:")}
    if len(word) == 3 and word.isalpha():
        keys.update(("w:" + word + "s", "w:" + word + "en"))
    return frozenset(keys)
