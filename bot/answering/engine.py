"""The answering engine: an adopted policy, compiled once, answers "may I post this?" (`check`)
and "who handles this?" (`who`) as policy-format.md "Matching, as users may rely on it" and
"Evidence, weighed" say.

- A rule is a candidate where any of its keywords (in inflected forms, both languages, inside
  Dutch compounds, or through the domain lexicon), detectors (its own and those its text
  implies), patterns, domain concepts or examples match, or where the question shares rare
  words with its own text; minus what one of its `unless` phrases covers.
- Each candidate's evidence is weighed (`weighing`): strong, weak, or dropped (an innocent
  sense, a look-alike of a `not_examples` entry, the asker's own contact details).
- It counts only when it applies to one of the asker's groups (everyone is in `all`).
- `decide` turns the matches into the answer: the strictest verdict, weak matches counting as
  review at most; with none, the default answers and the answer is not covered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from bot.answering.analysis import Analysis
from bot.answering.answers import CheckAnswer, Evidence, RuleMatch, WhoAnswer
from bot.answering.compounds import CompoundSplitter
from bot.answering.decide import decide
from bot.answering.detection import Detection
from bot.answering.detectors import detect_all
from bot.answering.explaining import explained_by_keywords, explained_elsewhere, with_concepts
from bot.answering.frame import policy_frame_cues
from bot.answering.keywords import (
    KEYWORD,
    LEXICON,
    ROLE,
    RULE,
    TRANSLATED,
    UNLESS,
    Hit,
    Matcher,
    compile_phrases,
)
from bot.answering.not_senses import not_sense_spans
from bot.answering.ownership import NOBODY, OwnContacts, is_own
from bot.answering.pattern_gates import GatedPatterns, TextFacts
from bot.answering.ranking import groups_of, ranked
from bot.answering.reading import read
from bot.answering.relevance import NOTHING, rule_texts
from bot.answering.rules import CompiledRule, compile_rule, keyword_matchers, vocabulary
from bot.answering.shown import best_items, covered, evidence_of
from bot.answering.text import (
    Folded,
    Token,
    guess_language,
    hyphen_joined,
    tokenize,
)
from bot.answering.weighing import (
    AFFINITY,
    STRONG,
    TEXT_WEAK,
    WEAK,
    WEAK_WEIGHT,
    Item,
    Reading,
    domain_index,
    example_items,
    innocent_words,
    keyword_item,
    linked_concepts,
    profile,
    strength,
    text_items,
    weak_in_private_post,
)
from bot.answering.word_index import keyword_index, text_index
from bot.policy.model import EVERYONE, PolicyDocument, Role
from bot.vocabulary import Verdict, strictness

DETECTOR_WEIGHT = 2.0  # a valid IBAN or BSN is surer evidence than a word
PATTERN_WEIGHT = 1.5
WHO_WEAK_SHARE = 0.5  # a weakly matched rule's score counts half for "who handles this?"
ROLE_TEXT_WEIGHT = 1.0  # per point of a role's own description heard in the question
CORROBORATION_SCORE = 0.2  # per point of the rule's own words in the question (ranking only)
MAX_PATTERN_HITS = 20  # per pattern: enough evidence, and a bound on a pathological text


# -- the compiled policy --------------------------------------------------------------------
class CompiledPolicy:
    """One policy version, ready to answer. Immutable once built: safe to share by threads."""

    def __init__(
        self, document: PolicyDocument, version_label: str, *, remember_words: bool = True
    ) -> None:
        """`remember_words=False`: the plain indexes, which find the same (`word_index`)."""
        self.document = document
        self.version_label = version_label
        matchers: list[Matcher] = []
        for i, rule in enumerate(document.rules):
            matchers += keyword_matchers(RULE, i, rule.keywords)
            for phrase_text in rule.unless:
                matchers += [
                    Matcher(UNLESS, i, phrase_text, KEYWORD, p)
                    for p in compile_phrases(phrase_text)
                ]
        for j, role in enumerate(document.roles):
            matchers += keyword_matchers(ROLE, j, role.keywords)
        self._index = keyword_index(matchers, remember_words)
        self._profiles = tuple(profile(r) for r in document.rules)
        self._rules = tuple(
            compile_rule(i, r, self._profiles[i]) for i, r in enumerate(document.rules)
        )
        self._rules_of_concept: dict[int, list[int]] = defaultdict(list)
        for i, about in enumerate(self._profiles):
            for number in about.concepts:
                self._rules_of_concept[number].append(i)
        self._role_concepts = tuple(
            linked_concepts([role.name, role.handles, *role.keywords]) for role in document.roles
        )
        # Every role's own description, to hear "who handles this?" in other words.
        self._role_texts = text_index(
            [
                [(r.name, 1.0), (r.handles, 1.0), *((k, 1.0) for k in r.keywords)]
                for r in document.roles
            ],
            remember_words,
        )
        # Every rule's own words, to hear a rule in words it does not list as keywords.
        self._texts = text_index(
            [rule_texts(r.text, r.keywords, r.examples, r.context) for r in document.rules],
            remember_words,
        )
        self._example_rules = tuple(
            i for i, r in enumerate(document.rules) if r.examples or r.not_examples
        )
        self.frame = policy_frame_cues(document)  # private life or work, for this policy
        self._rule_order = {rule.id: i for i, rule in enumerate(document.rules)}
        self._roles = {role.id: role for role in document.roles}
        self._role_order = {role.id: j for j, role in enumerate(document.roles)}
        self._default_role = self._roles[document.default.role]
        self._pattern_rules = tuple(r for r in self._rules if r.patterns)
        # Rules often share a pattern (licence plates, passwords): run each one once.
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._rules_of_pattern: dict[str, list[int]] = defaultdict(list)
        for r in self._pattern_rules:
            for pattern in r.patterns:
                self._patterns.setdefault(pattern.pattern, pattern)
                self._rules_of_pattern[pattern.pattern].append(r.order)
        self._gated_patterns = GatedPatterns(self._patterns)  # each run where it may match
        self._detector_rules = tuple(r for r in self._rules if r.detect)
        self._for_groups = {r.rule.id: r for r in self._rules if r.groups is not None}
        self._rules_of_role: dict[str, list[int]] = defaultdict(list)
        for i, rule in enumerate(document.rules):
            if rule.role:
                self._rules_of_role[rule.role].append(i)
        self._compound_keys = lru_cache(maxsize=16384)(self._splitter(document).keys)
        self._exact_words = self._words_as_written(matchers)
        # The role each matcher leads to, by identity: looked up for every hit of a question.
        self._role_of_matcher = {id(m): self._owner_role(m) for m in matchers}

    def _splitter(self, document: PolicyDocument) -> CompoundSplitter:
        heads: set[str] = set()
        modifiers: dict[str, str] = {}
        for matcher in self._index.single_word():
            for key in matcher.phrase.words[0]:
                kind, _, value = key.partition(":")
                if kind == "n":
                    heads.add(value)
                if kind in ("w", "n") and value.isalpha():
                    modifiers.setdefault(value, key)
        return CompoundSplitter(heads, modifiers, vocabulary(document))

    def _owner_role(self, matcher: Matcher) -> str | None:
        if matcher.kind == ROLE:
            return self.document.roles[matcher.owner].id
        return self.document.rules[matcher.owner].role

    def _words_as_written(self, matchers: list[Matcher]) -> dict[str, frozenset[str | None]]:
        """One-word keywords as written → the roles they lead to. When the policy lists a word
        itself (`branding`, for Communicatie), another keyword that only shares its stem
        (`brand`, fire, for the crisis team) does not claim it for a different role."""
        words: dict[str, set[str | None]] = defaultdict(set)
        for matcher in matchers:
            if matcher.kind == UNLESS or matcher.via != KEYWORD or len(matcher.phrase.words) > 1:
                continue
            word = "".join(t.text for t in tokenize(matcher.source))
            words[word].add(self._owner_role(matcher))
        return {word: frozenset(roles) for word, roles in words.items()}

    def _claimed_elsewhere(self, hit: Hit) -> bool:
        if hit.exact or not hit.word or hit.matcher.kind == UNLESS:
            return False
        roles = self._exact_words.get(hit.word)
        return roles is not None and self._role_of_matcher[id(hit.matcher)] not in roles

    # -- public -----------------------------------------------------------------------------
    def check(
        self,
        text: str,
        groups: Iterable[str] | str | None = (EVERYONE,),
        own: OwnContacts = NOBODY,
    ) -> CheckAnswer:
        """May someone in `groups` post `text`? `own`: the asker's own contact details."""
        return decide(self, self.matches(text, groups, own), text=text, own=own)

    def who(
        self,
        text: str,
        groups: Iterable[str] | str | None = (EVERYONE,),
        own: OwnContacts = NOBODY,
    ) -> WhoAnswer:
        """Which role handles `text`, asked by someone in `groups`?"""
        analysis = self._analyse(text, own)
        matches = self._rule_matches(analysis, groups_of(groups))
        scores, evidence = self._role_scores(analysis)
        strictest: dict[str, int] = {}
        for match in matches:
            if match.rule.role:
                # Weak evidence points somewhere, but less than strong evidence does.
                weight = WHO_WEAK_SHARE if match.strength == WEAK else 1.0
                scores[match.rule.role] += weight * match.score
                rank = strictness(match.rule.verdict)
                strictest[match.rule.role] = min(strictest.get(match.rule.role, 3), rank)
        if not scores:
            return WhoAnswer(self._default_role, False, (), self.version_label)
        best = min(
            scores,
            key=lambda r: (-round(scores[r], 6), strictest.get(r, 3), self._role_order[r]),
        )
        rules = tuple(
            sorted(
                (m for m in matches if m.rule.role == best),
                key=lambda m: strictness(m.rule.verdict),
            )
        )
        return WhoAnswer(
            self._roles[best], True, rules, self.version_label, tuple(evidence[best]), scores[best]
        )

    def role_asked_about(self, text: str) -> Role | None:
        """The role whose own keywords, description or concepts `text` uses most, as "who
        handles this?" weighs them without rules; None when it uses none. For a post that no
        rule covers but that the answer asks to have checked (`decide`): the role the post is
        about knows more of it than the default role does."""
        # Only words, hits and the lexicon's reading: no detectors, patterns or rule texts.
        _, hits, reading, _ = self._words(text)
        scores, _ = self._role_scores(
            Analysis(text, dict(hits), [], [], reading, {}, {}, {}, {}, {})
        )
        if not scores:
            return None
        return self._roles[min(scores, key=lambda r: (-round(scores[r], 6), self._role_order[r]))]

    def _role_scores(
        self, analysis: Analysis
    ) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
        """Per role, how much of its own keywords, concepts and description the question uses,
        and the keywords as evidence (rules' matches come on top in `who`)."""
        text = analysis.text
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[Evidence]] = defaultdict(list)
        for (kind, owner), hits in analysis.hits.items():
            if kind != ROLE:
                continue
            role = self.document.roles[owner]
            # An unless of the role's own rules ("job interview") also silences its keywords.
            spans = [
                s for i in self._rules_of_role.get(role.id, ()) for s in analysis.unless_spans(i)
            ]
            for weight, found in evidence_of(hits, text, spans):
                scores[role.id] += weight
                evidence[role.id].append(found)
        self._score_role_concepts(analysis, scores)
        for j, heard in self._role_texts.hear(tokenize(Folded(text)), text).items():
            if heard.points >= TEXT_WEAK:  # as for a rule: less is a coincidence of words
                scores[self.document.roles[j].id] += ROLE_TEXT_WEIGHT * heard.points
        return scores, evidence

    def matches(
        self,
        text: str,
        groups: Iterable[str] | str | None = (EVERYONE,),
        own: OwnContacts = NOBODY,
    ) -> list[RuleMatch]:
        """Every rule matching `text` (strong or weak) for `groups`, strictest then best first."""
        return ranked(self._rule_matches(self._analyse(text, own), groups_of(groups)))

    def matches_twice(
        self, text: str, groups: Iterable[str], own: OwnContacts, others: Iterable[str]
    ) -> tuple[list[RuleMatch], list[RuleMatch], list[Detection]]:
        """`matches(text, groups, own)`, then `matches(text, others)` and `detect_all(text)`
        (what masking needs), from one analysis: only the asker's own details depend on who asks."""
        plain = self._analyse(text)
        mine = [d for d in plain.detections if not is_own(text, d, own)]
        analysis = plain  # evidence as shown depends on the detections: else a memo of its own
        if len(mine) != len(plain.detections):
            analysis = replace(plain, detections=mine, shown={})
        return (
            ranked(self._rule_matches(analysis, groups_of(groups))),
            ranked(self._rule_matches(plain, groups_of(others))),
            plain.detected,
        )

    def _score_role_concepts(self, analysis: Analysis, scores: dict[str, float]) -> None:
        """A role whose description names a concept the question uses (a data breach, a
        complaint) is a candidate for "who handles this?" too."""
        requires = domain_index().concept_requires
        for number, hits in analysis.reading.concept_hits.items():
            if requires[number] is not None and not analysis.reading.person:
                continue
            for j, linked in enumerate(self._role_concepts):
                if number in linked:
                    role_id = self.document.roles[j].id
                    scores[role_id] += (
                        len(hits) * WEAK_WEIGHT * (1 + AFFINITY * min(linked[number], 5))
                    )

    def role_of(self, role_id: str | None) -> Role:
        return self._roles.get(role_id or "", self._default_role)

    @property
    def default_role(self) -> Role:
        return self._default_role

    def rule_order(self, rule_id: str) -> int:
        return self._rule_order.get(rule_id, len(self._rule_order))

    # -- inside -----------------------------------------------------------------------------
    def _words(
        self, text: str
    ) -> tuple[list[Token], dict[tuple[str, int], list[Hit]], Reading, TextFacts]:
        """The question's words, what the policy's keywords find in them, and what the domain
        lexicon reads there: all that its roles' scores need (`_role_scores`)."""
        folded = Folded(text)
        tokens = tokenize(folded)
        language = guess_language(tokens) or self.document.language
        compound = [self._compound_keys(t.text) for t in tokens] if language == "nl" else None
        joined = hyphen_joined(tokens)
        hits: dict[tuple[str, int], list[Hit]] = defaultdict(list)
        found = self._index.find(tokens, joined, compound)
        for hit in found:
            if hit.exact or not self._claimed_elsewhere(hit):  # most hits: words as written
                hits[(hit.matcher.kind, hit.matcher.owner)].append(hit)
        spans = [(h.start, h.end) for h in found]
        facts = TextFacts(text, folded.text)  # a pattern that cannot match is not run
        examples, dutch = bool(self._example_rules), compound is not None
        reading = read(text, tokens, joined, spans, examples, self.frame, facts, dutch=dutch)
        return tokens, hits, reading, facts

    def _analyse(self, text: str, own: OwnContacts = NOBODY) -> Analysis:
        tokens, hits, reading, facts = self._words(text)
        detected = detect_all(text)
        detections = [d for d in detected if not is_own(text, d, own)]
        pattern_spans = self._gated_patterns.spans(text, facts, MAX_PATTERN_HITS)
        heard = self._texts.hear(tokens, text)
        claims: dict[tuple[int, int], set[int]] = defaultdict(set)
        lexicon_claims: dict[tuple[int, int], set[int]] = defaultdict(set)
        for (kind, owner), found_hits in hits.items():
            if kind == RULE:
                for h in found_hits:
                    mine = lexicon_claims if h.how in (LEXICON, TRANSLATED) else claims
                    mine[(h.start, h.end)].add(owner)
        return Analysis(
            text,
            dict(hits),
            detections,
            detected,
            reading,
            pattern_spans,
            heard,
            {span: frozenset(rules) for span, rules in claims.items()},
            {span: frozenset(rules) for span, rules in lexicon_claims.items()},
            {},
        )

    def _rule_matches(self, analysis: Analysis, groups: frozenset[str]) -> list[RuleMatch]:
        candidates = {owner for kind, owner in analysis.hits if kind == RULE}
        if analysis.detections:
            kinds = {d.kind for d in analysis.detections}
            candidates.update(
                r.order for r in self._detector_rules if not r.detect.isdisjoint(kinds)
            )
        for source in analysis.pattern_spans:
            candidates.update(self._rules_of_pattern[source])
        for number in analysis.reading.concept_hits:
            candidates.update(self._rules_of_concept.get(number, ()))
        candidates.update(self._example_rules)
        candidates.update(i for i, heard in analysis.heard.items() if heard.points >= TEXT_WEAK)
        found = []
        match_rule, rules = self._match_rule, self._rules
        for index in sorted(candidates):
            match = match_rule(rules[index], analysis)
            if match is not None:
                found.append(match)
        # Rules for other groups take part in explaining the question, not in answering it.
        restricted = self._for_groups
        return [
            m
            for m in explained_by_keywords(found)
            if m.rule.id not in restricted or restricted[m.rule.id].applies(groups)
        ]

    def _match_rule(self, compiled: CompiledRule, analysis: Analysis) -> RuleMatch | None:
        text, reading = analysis.text, analysis.reading
        order, rule = compiled.order, compiled.rule
        about = self._profiles[order]
        unless = analysis.unless_spans(order) if rule.unless else []
        heard = analysis.heard.get(order, NOTHING)
        items: list[Item] = []
        concepts_here = bool(reading.concept_hits and about.concepts)  # seldom: the lexicon's
        strict = rule.verdict != _ALLOWED
        # An everyday keyword alone is noise for a strict rule whose concepts are not here.
        alone_is_noise = strict and not (
            concepts_here and not about.concepts.keys().isdisjoint(reading.concept_hits)
        )
        borrowed = False  # keyword evidence not in the author's own words
        private: list[tuple[int, int]] = []  # keywords in a private sense: no text points either
        # The author's own "not in this phrase" (`not_examples` such as "in a row"): the
        # keyword inside it is another word, no evidence and no words of the rule's text.
        other_sense = not_sense_spans(about.not_senses, text) if about.not_senses else []
        for hit in analysis.hits.get((RULE, order), ()):
            if other_sense and covered(hit.start, hit.end, other_sense):
                private.append((hit.start, hit.end))
                continue
            if not unless or not covered(hit.start, hit.end, unless):
                item = keyword_item(hit, text, reading, heard, alone_is_noise, strict)
                if item is not None:
                    items.append(item)
                    borrowed = borrowed or item.kind in _BORROWED
                elif strict and reading.private:
                    private.append((hit.start, hit.end))
        if analysis.detections and compiled.detect:
            for d in analysis.detections:
                if d.kind not in compiled.detect or d.key in compiled.unless_values:
                    continue
                if not covered(d.start, d.end, unless):
                    items.append(Item("detector", d.start, d.end, d.kind, DETECTOR_WEIGHT, True))
        for pattern in compiled.patterns:
            for start, end in analysis.pattern_spans.get(pattern.pattern, ()):
                if not covered(start, end, unless):
                    items.append(Item("pattern", start, end, pattern.pattern, PATTERN_WEIGHT, True))
        # Spans other rules claim matter only to evidence not this rule's own keyword (below).
        if borrowed and analysis.claims:
            elsewhere = analysis.claimed_by_others(order)
            items = [explained_elsewhere(i, elsewhere) for i in items]
        if concepts_here:
            reached = analysis.reached_by_others(order)
            items = with_concepts(items, about, reading, text, unless, heard, reached)
        if heard.words:
            taken = [(i.start, i.end) for i in items] + unless + private
            if reading.innocent or reading.opaque is not None:
                taken += innocent_words(heard, reading, text)
            points = heard.points_outside(taken)
            # Most rules' text is heard only in their keyword: nothing left to take away (and
            # words are only ever taken away, so too few points stay too few).
            if points >= TEXT_WEAK and analysis.claims:
                points = heard.points_outside(taken + analysis.claimed_by_others(order))
            if points >= TEXT_WEAK:
                items += text_items(points)
        if about.examples or about.not_examples:
            from_examples, look_alike = example_items(about, reading)
            if look_alike:  # the author said posts like this are not what the rule is about
                items = [i for i in items if i.kind in ("detector", "pattern")]
            items += from_examples
        if not items:  # no evidence at all
            return None
        # Most matches have one item (a keyword): its `strength` without the call. Worked out
        # once, for the private post's test and for the match.
        how = (STRONG if items[0].decisive else WEAK) if len(items) == 1 else strength(items)
        assert how is not None  # only no items at all have no strength
        if strict and weak_in_private_post(how, reading):  # heard in an everyday sense
            return None
        # Words of the rule's own text in the question make it the likelier of two matches.
        backing = CORROBORATION_SCORE * min(heard.points, 3.0)
        if len(items) == 1:
            only = items[0]
            return RuleMatch(rule, (analysis.evidence(only),), only.weight + backing, how)
        best = best_items(items)
        if len(best) > 1:
            best.sort(key=lambda i: i.start)
        return RuleMatch(
            rule,
            tuple([analysis.evidence(i) for i in best]),
            sum([i.weight for i in best]) + backing,
            how,
        )


_ALLOWED = Verdict.ALLOWED  # a module constant: looked up for every rule a question reaches
_BORROWED = frozenset({LEXICON, TRANSLATED})  # keyword evidence not in the author's own words


def compile_policy(doc: PolicyDocument, version_label: str) -> CompiledPolicy:
    """Compile `doc` (keyword index, stems, regular expressions) to answer questions fast."""
    return CompiledPolicy(doc, version_label)
