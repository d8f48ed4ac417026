"""A small bilingual lexicon of the social media policy domain.

Each concept is a set of Dutch and English words and phrases that name the same thing,
including derivations the stemmers do not join (`klagen` and `klacht`). When a keyword of a
rule or role IS one of a concept's terms (in any inflected form), the rule or role also
matches the concept's other terms, at a lower weight. So a policy that lists `klacht` also
hears "zit te klagen", and one that lists only `complaint` also hears "klachten".

What belongs here, and what does not:
- Only terms that mean the concept in ordinary use. A term that often means something else
  in the other language or in everyday speech is marked `~`: it links a keyword to the
  concept, but is never added as an expansion (`~brand` would make "our brand" a fire).
- No false friends (nl `brand` = fire, nl `kind` = child, en `fine` = okay, nl `gift`).
- Nothing about a particular organisation: the bot runs on policies it has never seen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.keywords import Phrase, compile_phrases, same_phrase

CONCEPTS: tuple[tuple[str, ...], ...] = (
    # -- press and spokespeople ----------------------------------------------------------
    (
        "pers", "press", "journalist", "journalistiek", "journalism", "reporter",
        "verslaggever", "krant", "newspaper", "dagblad", "courant", "local paper",
        "regional paper", "national paper", "news outlet", "media outlet", "persbureau",
        "news agency", "persvraag", "press inquiry", "press enquiry", "press question",
        "media inquiry", "media enquiry", "mediavraag", "persverzoek", "media request",
    ),
    (
        "woordvoerder", "spokesperson", "spokesman", "spokeswoman", "persvoorlichter",
        "voorlichter", "press officer",
    ),
    ("interview", "interviewen", "vraaggesprek"),
    ("blogger", "vlogger", "podcaster", "podcastmaker", "podcast maker"),
    ("persbericht", "press release", "news release"),
    # -- residents, complaints, webcare --------------------------------------------------
    ("klacht", "klagen", "klager", "beklag", "complaint", "complain", "complainant"),
    ("inwoner", "bewoner", "~burger", "resident", "citizen", "inhabitant"),
    ("boze inwoner", "boze burger", "boze bewoner", "angry resident", "angry citizen"),
    ("negatieve recensie", "slechte review", "negative review", "bad review"),
    ("webcare", "social customer service", "online klantenservice"),
    # -- crisis ----------------------------------------------------------------------------
    ("crisis", "crises", "calamiteit", "calamity", "noodsituatie", "~emergency", "noodgeval"),
    ("~ramp", "disaster", "catastrophe", "catastrofe"),
    ("explosie", "explosion", "ontploffing", "ontploffen", "~explode"),
    ("evacuatie", "evacuation", "evacueren", "evacuate"),
    ("slachtoffer", "victim", "casualty", "casualties"),
    ("overstroming", "~flood", "~flooding", "wateroverlast"),
    ("nl-alert", "nl alert"),
    # -- confidentiality and unpublished decisions -----------------------------------------
    ("vertrouwelijk", "confidential", "confidentieel"),
    ("geheim", "secret", "geheimhouding", "secrecy"),
    ("besloten vergadering", "closed meeting", "closed session", "besloten deel"),
    ("lopende aanbesteding", "ongoing tender", "current tender", "open tender"),
    ("aanbesteding", "tender", "procurement"),
    ("conceptbesluit", "draft decision", "ontwerpbesluit", "concept besluit"),
    ("collegevoorstel", "college proposal", "raadsvoorstel", "council proposal"),
    (
        "niet openbaar", "nog niet openbaar", "not public", "not yet public", "not public yet",
        "nog niet gepubliceerd", "not yet published", "unpublished", "embargo",
        "under embargo", "onder embargo", "sneak peek", "sneak preview", "voorproefje",
        "binnenkort groot nieuws", "big news coming",
    ),
    # -- speaking for the organisation, politics -------------------------------------------
    ("burgemeester", "mayor"),
    ("wethouder", "alderman", "aldermen", "deputy mayor"),
    ("college van b&w", "college van burgemeester en wethouders", "municipal executive"),
    ("politiek", "politics", "political", "politicus", "politician"),
    ("verkiezing", "election", "verkiezingscampagne", "election campaign"),
    ("politieke partij", "political party"),
    ("fractie", "political group", "council group"),
    ("coalitie", "coalition"),
    ("oppositie", "opposition"),
    ("raadslid", "councillor", "councilor", "council member", "gemeenteraadslid"),
    ("gemeenteraad", "municipal council", "city council", "town council", "~council"),
    ("raadsvergadering", "council meeting", "raadszitting", "council session"),
    ("griffie", "griffier", "council clerk", "clerk of the council"),
    ("livestream", "live stream", "livestreamen"),
    # -- integrity -------------------------------------------------------------------------
    ("integriteit", "integrity"),
    ("belangenverstrengeling", "conflict of interest", "belangenconflict", "conflicting interests"),
    (
        "nevenwerkzaamheden", "nevenfunctie", "bijbaan", "side job", "side gig", "second job",
        "side business", "bijverdienste",
    ),
    ("freelance", "freelancer", "zzp", "zzp'er", "zzper", "self-employed"),
    ("eigen bedrijf", "own business", "own company", "eigen onderneming"),
    ("gesponsord", "sponsored", "sponsoring", "betaalde samenwerking", "paid partnership"),
    ("reclame", "advertentie", "advertisement", "advertising", "advert"),
    ("kortingscode", "discount code", "promo code", "promotiecode", "coupon code", "couponcode"),
    ("geschenk", "relatiegeschenk", "cadeau", "~gift"),
    # -- threats, harassment, discrimination -----------------------------------------------
    ("bedreiging", "bedreigen", "dreigement", "threat", "threaten", "threatening"),
    (
        "intimidatie", "intimideren", "intimidation", "intimidate", "harassment", "harass",
        "lastigvallen", "lastiggevallen", "stalken", "stalking",
    ),
    ("belediging", "beledigen", "beledigend", "insult", "insulting"),
    ("schelden", "uitschelden", "scheldpartij", "scheldwoord", "name-calling"),
    (
        "discriminerend", "discriminatie", "discrimineren", "discriminatory", "discrimination",
        "discriminate",
    ),
    ("racistisch", "racisme", "racist", "racism"),
    # -- personal data and privacy ---------------------------------------------------------
    (
        "persoonsgegevens", "personal data", "personal information", "personal details",
        "persoonlijke gegevens", "privegegevens", "prive-gegevens",
    ),
    ("datalek", "data breach", "data leak", "privacy breach", "privacy incident"),
    (
        "avg", "gdpr", "general data protection regulation",
        "algemene verordening gegevensbescherming",
    ),
    ("privacy", "privacybeleid", "privacy policy"),
    ("bsn", "burgerservicenummer", "citizen service number", "sofinummer"),
    ("huisadres", "home address", "woonadres", "prive-adres", "priveadres", "private address"),
    ("geboortedatum", "date of birth", "birth date", "birthdate"),
    (
        "medische gegevens", "medical records", "medical data", "medical information",
        "gezondheidsgegevens", "gezondheidsinformatie", "health data", "health information",
        "medisch dossier",
    ),
    ("kenteken", "licence plate", "license plate", "number plate", "nummerplaat"),
    # -- Woo: requests for information, archives -------------------------------------------
    (
        "woo", "wob", "woo-verzoek", "wob-verzoek", "informatieverzoek", "information request",
        "foi", "foi request", "freedom of information", "freedom of information request",
        "wet open overheid", "open government act", "openbaarmakingsverzoek",
        "verzoek om informatie", "request for information", "public records request",
    ),
    ("openbaarmaking", "disclosure", "public disclosure"),
    ("archiefwet", "archives act", "public records act"),
    ("archivering", "archiving", "archiveren"),
    # -- accounts and security -------------------------------------------------------------
    ("wachtwoord", "password", "passcode"),
    (
        "inloggegevens", "login details", "credentials", "login credentials", "inlogcode",
        "login code",
    ),
    (
        "verificatiecode", "verification code", "authenticatiecode", "authentication code",
        "sms-code", "2fa-code",
    ),
    ("2fa", "two-factor", "two-factor authentication", "tweestapsverificatie", "mfa"),
    ("gehackt", "hacken", "hacked", "gekaapt", "hijacked", "~compromised", "gecompromitteerd"),
    ("phishing", "phishingmail", "phishing email", "phishing mail"),
    ("inloggen", "login", "log in", "sign in"),
    ("informatiebeveiliging", "information security", "infosec", "cybersecurity", "cyber security"),
    ("nieuw account", "new account", "account aanmaken", "create an account", "create account"),
    ("nepaccount", "fake account", "fake profile", "nepprofiel"),
    ("privéaccount", "personal account", "private account", "prive account"),
    ("volgverzoek", "follow request", "volgerverzoek"),
    ("vriendschapsverzoek", "friend request", "connectieverzoek", "connection request"),
    ("huisstijl", "house style", "corporate identity", "visual identity"),
    ("gemeentewapen", "coat of arms"),
    # -- official channels -------------------------------------------------------------------
    ("nieuwsbrief", "newsletter"),
    ("retweet", "retweeten", "repost", "reposten"),
    ("officieel bericht", "official post", "official message", "official statement"),
    # -- images of young people --------------------------------------------------------------
    ("kinderen", "children", "kids"),
    ("jongeren", "youngsters", "young people", "teenagers", "tieners", "pubers", "adolescents"),
    ("minderjarigen", "minderjarige", "minors", "underage"),
    ("leerlingen", "pupils", "scholieren", "schoolchildren"),
    ("toestemming", "consent"),
    # -- enforcement (boa's and similar) -----------------------------------------------------
    ("aanhouding", "aanhouden", "arrestatie", "arresteren", "arrest"),
    ("bekeuring", "boete", "parkeerboete", "parking ticket", "parking fine", "traffic ticket"),
    ("verdachte", "~suspect"),
    ("overtreder", "offender", "wetsovertreder"),
    ("bodycam", "body camera", "bodycambeelden", "bodycam footage"),
    ("surveillance", "patrol", "surveilleren", "patrouille", "surveillanceroute", "patrol route"),
    ("dienstrooster", "~rooster", "roster", "duty roster", "shift schedule", "werkrooster"),
    ("handboeien", "handcuffs"),
    ("wapenstok", "baton"),
    # -- board members' agendas --------------------------------------------------------------
    ("werkbezoek", "working visit", "work visit"),
    ("reisschema", "itinerary", "travel schedule"),
    ("verblijfplaats", "whereabouts"),
    ("afspraak", "appointment"),
    # -- youth work, care --------------------------------------------------------------------
    ("zorgmelding", "care report", "safeguarding report"),
    # -- business: results, deals, disputes, customers ---------------------------------------
    (
        "kwartaalcijfers", "quarterly results", "quarterly figures", "jaarcijfers",
        "annual results", "financial results", "earnings", "omzetcijfers", "revenue figures",
    ),
    ("fusie", "merger", "overname", "acquisition", "takeover"),
    ("rechtszaak", "lawsuit", "litigation", "court case", "legal proceedings", "legal action"),
    ("reorganisatie", "reorganisation", "reorganization", "restructuring"),
    ("ontslag", "layoff", "layoffs", "redundancies", "massaontslag"),
    ("salaris", "salary", "~loon", "wages"),
    ("klant", "customer", "~client"),
    ("klantgegevens", "customer data", "client data", "klantdata"),
    ("bedrijfsgeheim", "trade secret", "trade secrets"),
    ("productlancering", "product launch", "productlaunch"),
    # -- jobs ----------------------------------------------------------------------------------
    ("vacature", "vacancy", "job opening", "job posting", "job ad", "openstaande functie"),
    ("werving", "recruitment", "recruiting", "werven"),
    ("sollicitatie", "solliciteren", "sollicitant", "job application", "applicant"),
    ("personeelszaken", "human resources", "p&o", "personeel en organisatie"),
)  # fmt: skip


# -- compiled, once per process -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Term:
    phrase: Phrase
    expands: bool  # False for `~` terms: they link a keyword to the concept, nothing more


class CompiledLexicon:
    def __init__(self, concepts: tuple[tuple[str, ...], ...]) -> None:
        self.concepts: list[list[_Term]] = []
        self.index: dict[str, list[tuple[int, _Term]]] = defaultdict(list)
        for number, terms in enumerate(concepts):
            compiled: list[_Term] = []
            for term in terms:
                expands = not term.startswith("~")
                for phrase in compile_phrases(term.lstrip("~")):
                    entry = _Term(phrase, expands)
                    compiled.append(entry)
                    for key in phrase.words[0]:
                        self.index[key].append((number, entry))
            self.concepts.append(compiled)

    def expansions(self, phrase: Phrase) -> list[_Term]:
        """The other terms of every concept `phrase` is a term of."""
        concepts = {
            number
            for key in phrase.words[0]
            for number, term in self.index.get(key, ())
            if same_phrase(term.phrase, phrase)
        }
        return [
            term
            for number in sorted(concepts)
            for term in self.concepts[number]
            if term.expands and not same_phrase(term.phrase, phrase)
        ]

    def concepts_of_word(self, keys: Iterable[str]) -> frozenset[int]:
        """The concepts a single word (given by its match keys) is a one-word term of."""
        return frozenset(
            number
            for key in keys
            for number, term in self.index.get(key, ())
            if len(term.phrase.words) == 1 and key in term.phrase.words[0]
        )


@lru_cache(maxsize=1)
def compiled_lexicon() -> CompiledLexicon:
    return CompiledLexicon(CONCEPTS)
