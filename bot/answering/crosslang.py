"""Dutch and English words that are the same word spelled two ways: `locatie` and `location`,
`kamp` and `camp`, `integriteit` and `integrity`, `financieel` and `financial`.

A policy in one language is asked about in the other (policy-format.md: keywords match "in
both languages whatever `language` says"), and most of the two languages' shared vocabulary
is Latin or French and regular: a handful of spelling correspondences turn one into the other.
`cognate_keys` maps a word to a spelling both forms share (`x:` keys), so the engine can hear
a rule's own words across the language boundary without a dictionary entry for each.

Only suffixes that are regular in both languages are mapped, and only on words long enough
that the stem left over is a word of its own; a short or irregular pair (`klant`/`client`,
`wet`/`law`) belongs in the bilingual lexicon (`policy_content/lexicon/translations.yml`).
False friends that merely look alike (`brand`, `kind`, `wet`) are identical spellings, which
the engine treats through the senses lexicon, not here.
"""

from __future__ import annotations

from functools import lru_cache

from bot.answering.stemming import dutch_stem, english_stem

MIN_STEM = 4  # a stem shorter than this joins unrelated words
MIN_SUFFIX_STEM = 3  # before a mapped suffix the suffix itself says enough (loc-atie, med-isch)

# (Dutch suffix, English suffix, shared form), longest first within each language. Plurals and
# inflections are stripped first (`locaties` → `locatie`, `locations` → `location`).
_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("atie", "ation", "=ATN"),  # informatie, locatie, organisatie, communicatie
    ("tie", "tion", "=TN"),  # actie, functie, sectie, reactie, promotie
    ("iteit", "ity", "=ITY"),  # integriteit, universiteit, identiteit, activiteit
    ("isch", "ical", "=IK"),  # medisch/medical, ethisch/ethical, technisch/technical
    ("isch", "ic", "=IK"),  # ... and the short English form (public, electronic)
    ("ieel", "ial", "=IAL"),  # financieel, officieel, confidentieel, commercieel
    ("eel", "al", "=AL"),  # operationeel, professioneel, emotioneel, seksueel
    ("aal", "al", "=AL"),  # sociaal, nationaal, digitaal, lokaal
    ("ief", "ive", "=IV"),  # negatief, positief, exclusief, actief
    ("aat", "ate", "=AT"),  # kandidaat, privaat, senaat
    ("ant", "ant", "=ANT"),  # restaurant, assistant
    ("ent", "ent", "=ENT"),  # incident, student, president
    ("ist", "ist", "=IST"),  # journalist, racist, specialist
    ("isme", "ism", "=ISM"),  # racisme, journalisme, toerisme
    ("iek", "ic", "=IK"),  # politiek/politic(s), kritiek/critic, publiek/public
    ("ogie", "ogy", "=OGY"),  # technologie, ideologie
    ("egie", "egy", "=EGY"),  # strategie
    ("afie", "aphy", "=AFY"),  # fotografie, biografie
    ("iel", "ile", "=ILE"),  # profiel, mobiel
)
_ENGLISH_ENDINGS = tuple({en for _, en, _ in _SUFFIXES} | {"ist", "ism", "ate", "ile"})

# Dutch verbs in -eren against English verbs in -ate, -ise/-ize or nothing:
# discrimineren/discriminate, organiseren/organise, informeren/inform, publiceren/(publicize).
_VERB_NL = ("iseren", "eren")
_VERB_EN = ("ise", "ize", "ate")

# Spellings that differ regularly: c/k (camp, kamp), x/ks (sexual, seksueel), ph/f (photo, foto),
# th/t (theater), y/i inside words (analyse), doubled consonants (adres, address).
_SPELLING = (("ph", "f"), ("th", "t"), ("ck", "k"), ("qu", "kw"), ("x", "ks"), ("c", "k"))


def _spelling(stem: str) -> str:
    stem = stem.replace("sch", "s")  # medisch/medical, technisch/technical: the stem is med-, tech-
    for old, new in _SPELLING:
        stem = stem.replace(old, new)
    out: list[str] = []
    for ch in stem:  # undouble: address → adres, commissie → komisie
        if not out or out[-1] != ch or ch in "aeiou":
            out.append(ch)
    return "".join(out).replace("z", "s")


def _plain(word: str) -> str:
    """A word without its plural: `locaties` → `locatie`, `locations` → `location`."""
    if word.endswith("s") and word[:-1].endswith(_ENGLISH_ENDINGS):
        return word[:-1]  # locations, candidates, profiles, negatives
    if word.endswith("ieve") and len(word) > 8:
        return word[:-4] + "ief"  # negatieve → negatief
    if word.endswith(("iteiten", "aties")):
        return word[:-2] if word.endswith("en") else word[:-1]
    if word.endswith("ies") and len(word) > 6:
        return word[:-3] + "y"
    for ending in ("ele", "eve", "ische", "ale", "aten", "anten", "enten", "isten"):
        if word.endswith(ending) and len(word) > len(ending) + MIN_SUFFIX_STEM:
            # officiele → officieel, negatieve → negatief, medische → medisch, kandidaten → …
            base = word[: -len(ending)]
            return (
                base
                + {
                    "ele": "eel",
                    "eve": "ief",
                    "ische": "isch",
                    "ale": "aal",
                    "aten": "aat",
                    "anten": "ant",
                    "enten": "ent",
                    "isten": "ist",
                }[ending]
            )
    return word


@lru_cache(maxsize=100_000)
def cognate_keys(word: str) -> tuple[str, ...]:
    """`x:` keys a folded word shares with its cognate in the other language: its stems in the
    shared spelling (`kampen` and `camps` → `x:kamp`, `studenten` and `students` →
    `x:student`) and, for a word with a regular suffix, the stem and the suffix's shared form
    (`locatie` and `location` → `x:lokation`)."""
    if len(word) < 4 or not word.isalpha():
        return ()
    keys: list[str] = []
    forms = dict.fromkeys(
        f
        for f in (_plain(word), dutch_stem(word), english_stem(word, plural_only=True))
        if len(f) >= 6
    )
    for plain in forms:
        for nl, en, shared in _SUFFIXES:
            for suffix in (nl, en):
                if plain.endswith(suffix) and len(plain) - len(suffix) >= MIN_SUFFIX_STEM:
                    stem = plain[: -len(suffix)]
                    if suffix in ("tie", "tion") and stem.endswith("a"):
                        continue  # -atie/-ation is the longer rule's
                    keys.append("x:" + _spelling(stem) + shared)
        for suffix in (*_VERB_NL, *_VERB_EN):
            if plain.endswith(suffix) and len(plain) - len(suffix) >= MIN_STEM + 1:
                keys.append("x:" + _spelling(plain[: -len(suffix)]) + "=V")
                break
    for stem in (dutch_stem(word), english_stem(word)):
        if len(stem) >= MIN_STEM:
            keys.append("x:" + _spelling(stem))
    return tuple(dict.fromkeys(keys))
