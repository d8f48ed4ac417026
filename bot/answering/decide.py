"""From the rules that matched to one answer: the verdict, the rules that decided it, whom to
contact, and how sure it is (policy-format.md, "Matching" and "Evidence, weighed").

- Rules matched on strong evidence decide at their own verdict.
- A rule matched only on weak evidence counts at most as *review*: the answer says what was
  noticed and whom to ask, and a weak match is never a confident *forbidden*.
- A `forbidden` rule heard strongly through one keyword of one word that another rule of the
  policy uses too (its text or keywords: a word the policy says of several subjects, as
  "customer" in an airline's), beside a `review` or `allowed` rule heard strongly with a higher
  score, counts as weak evidence: the rule the question says more of decides, and the
  forbidding rule is noticed (`_general_word_weak`).
- A `forbidden` rule whose every piece of strong evidence stands on words that are also
  evidence of the best `review` rule (the same words, or a phrase around them whose other
  words say nothing of a subject: "our logo" and "logo"), which the question says more of (a
  higher score), is outweighed: the same words explain both, and the rule the question is
  more about decides ("ask my friends to chip in" is the review rule about one's own
  fundraising, not the forbidden one about donors' details). A detector's or a pattern's
  match is never outweighed. The outweighed
  rules are named in the answer (`CheckAnswer.outweighed`).
- When every rule heard is `forbidden`, all on weak evidence, and one of them was heard in its
  own words (its text accounts for part of the question), they count as strong: nothing points
  to a milder rule, and the question shares more than one word with them (`_forbidding_alone`).
- The strictest of these wins; the rules at that verdict decide it, strong ones before weak
  ones. When only weak matches decide (a *review* answer), the rules whose own verdict is
  review come first and name the role: the policy's route for a post to be checked.
- With no match at all the default answers, not covered; unless the default allows the
  post and it holds a sign of risk that any organisation would want checked (`risk`), or,
  failing one, speaks of the organisation's work as the asker's own ("we", "our", in a post
  that is not private: `risk.our_work_cue`): then it is *review* on weak evidence, quoting the
  sign and naming the role the post is about as "who handles this?" finds it from the roles'
  own keywords, descriptions and concepts (`role_asked_about`), or else the default role.
  Failing both, a post told ahead of time ("going to close", "volgende maand"), not private
  and not the asker's own plan, is answered so too (`risk.timing_cue`). Failing all three, a
  post that shows nothing that makes it plainly fine (not private, not the asker's own
  things, not already public, not general knowledge: `unsure.unsure_cue`) is answered so
  too, saying that no rule covers it and whom to ask: "I'm not sure" rather than "allowed".
- The same signs of risk (not the work's "we") are read when only `allowed` rules matched, all
  on weak evidence: a weak match of an allowing rule is no reason to reassure a post that
  holds a sign ("answer her" under a complaint about our campsite, where a rule allowing
  posts about the campsite was heard weakly). The answer is then the sign's, as above, with
  the allowing rules noticed.
- A weak *review* that rests on one ambiguous keyword alone, in a post that names nobody and
  says nothing of the work, under an allowing default and with no sign of risk, is the
  default's *allowed* (not covered), still weak: it names the word noticed and the role of
  its rule to ask if the post is about that after all (`lone_word`; policy-format.md, "A lone
  word, noticed"). Never a confident *forbidden*, and never silent about what was noticed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from bot.answering.answers import (
    NOT_COVERED,
    STRONG,
    WEAK,
    CheckAnswer,
    Evidence,
    RuleMatch,
    SecondOpinion,
)
from bot.answering.frame import FrameCues
from bot.answering.lone_word import about_nobody, one_lone_keyword
from bot.answering.ownership import NOBODY, OwnContacts
from bot.answering.relevance import rarity
from bot.answering.risk import our_work_cue, risk_cues, timing_cue
from bot.answering.stemming import word_keys
from bot.answering.text import fold
from bot.answering.unsure import unsure_cue
from bot.policy.model import PolicyDocument, Role
from bot.vocabulary import VERDICTS, Verdict, strictness

_FORBIDDEN, _REVIEW = Verdict.FORBIDDEN, Verdict.REVIEW
# Evidence that is never outweighed by the same words in another rule: no words of the
# question (the rule's text as a whole, an example), or personal data.
_NOT_SHARED = frozenset({"text", "example", "detector", "pattern"})
_RANK = {verdict: strictness(verdict) for verdict in VERDICTS}  # as `strictness`, a dict
_WORD = re.compile(r"[^\W_]+")  # as `text.tokenize` splits words
_ONE_WORD_KINDS = frozenset({"keyword", "compound"})  # a keyword as its author wrote it


class Deciding(Protocol):
    """What `decide` needs of a compiled policy (`engine.CompiledPolicy` is one)."""

    @property
    def document(self) -> PolicyDocument: ...

    @property
    def version_label(self) -> str: ...

    @property
    def default_role(self) -> Role: ...

    def role_of(self, role_id: str | None) -> Role: ...

    def role_asked_about(self, text: str) -> Role | None: ...  # as "who handles this?"

    @property
    def frame(self) -> FrameCues: ...  # the policy's cues of private life and work


def counted_verdict(match: RuleMatch) -> Verdict:
    """The verdict a match counts for: weak evidence caps it at review."""
    if match.strength == WEAK and match.rule.verdict == Verdict.FORBIDDEN:
        return Verdict.REVIEW
    return match.rule.verdict


def decide(
    policy: Deciding,
    matches: Sequence[RuleMatch],
    *,
    certainty_of_strong: str = STRONG,
    second_opinion: SecondOpinion | None = None,
    text: str = "",
    own: OwnContacts = NOBODY,
) -> CheckAnswer:
    """The answer for `matches` (as `CompiledPolicy.matches` orders them: strictest first,
    best first within a verdict). `certainty_of_strong` names how the non-weak matches were
    reached (MODEL when a language model named them). `text`: the question, read for signs of
    risk when no rule matched (none is read without it: a model's answer stands as it is).
    `own`: the asker's own contact details, which make a post no rule covers theirs."""
    label = policy.version_label
    outweighed = _outweighed(matches)
    if outweighed:
        gone = {id(m) for m in outweighed}  # by identity: comparing whole matches is slow
        matches = [m for m in matches if id(m) not in gone]
    else:  # the same words explain both rules first: then the answer names it outweighed
        matches = _general_word_weak(policy.document, matches)
    matches = _forbidding_alone(matches)
    noticed = tuple(m for m in matches if m.strength == WEAK)
    if not matches:
        default = policy.document.default
        allowing = _allowing_default(policy, text)
        cues = _uncovered_cues(policy, text, own) if allowing else ()
        if cues:
            return _sign_answer(policy, text, cues, second_opinion)
        return _uncovered(policy, default.verdict, policy.default_role, NOT_COVERED, second_opinion)
    if _allowed_outweighs(matches):
        matches = [m for m in matches if m.strength != WEAK]
    counted = [(counted_verdict(m), m) for m in matches]  # once each: dozens at 10,000 rules
    final = min((verdict for verdict, _ in counted), key=_RANK.__getitem__)  # no call per match
    at_final = [m for verdict, m in counted if verdict == final]
    sure = [m for m in at_final if m.strength != WEAK]
    deciding = tuple(sure or _own_verdict_first(at_final, final))
    certainty = _certainty(deciding, certainty_of_strong)
    if final == Verdict.ALLOWED and certainty == WEAK and _allowing_default(policy, text):
        cues = risk_cues(text)  # rare: only allowing rules, and only weakly, matched
        if cues:
            return _sign_answer(policy, text, cues, second_opinion, noticed)
    if certainty == WEAK:  # every match weak: named in the order they decided
        noticed = tuple(_own_verdict_first(list(noticed), final))
        if final == _REVIEW and _lone_word_allowed(policy, matches, text):
            # The default answers (no rule decided: not covered); what was noticed is said,
            # and whom to ask about it: the role of the rule heard, as for any weak answer.
            role = _role_of(policy, deciding)
            return _uncovered(policy, Verdict.ALLOWED, role, WEAK, second_opinion, noticed)
    chosen = {id(m) for m in deciding}  # by identity: comparing whole matches is slow
    weaker = tuple(
        m
        for _, m in sorted(
            ((v, m) for v, m in counted if id(m) not in chosen and v != final),
            key=lambda vm: _RANK[vm[0]],
        )
    )
    return CheckAnswer(
        final,
        deciding,
        _role_of(policy, deciding),
        label,
        True,
        weaker,
        certainty=certainty,
        noticed=noticed,
        second_opinion=second_opinion,
        outweighed=outweighed,
    )


def _lone_word_allowed(policy: Deciding, matches: Sequence[RuleMatch], text: str) -> bool:
    """Whether a weak *review* rests only on one lone ambiguous keyword (of one strict rule or
    more), in a post that names nobody, says nothing of the work and holds no sign of risk,
    where the default allows: then the default answers, and what was noticed is still said
    (`lone_word`)."""
    return (
        _allowing_default(policy, text)
        and one_lone_keyword(matches)
        and about_nobody(text, policy.frame)
        and not risk_cues(text)
    )


def _uncovered_cues(policy: Deciding, text: str, own: OwnContacts) -> tuple[Evidence, ...]:
    """What makes a post no rule matched worth checking under an allowing default: a sign of
    risk; failing one, the work's "we"; failing that, the post told ahead of time; failing
    that, nothing that shows it to be plainly fine (`unsure_cue`)."""
    frame = policy.frame
    return (
        risk_cues(text)
        or our_work_cue(text, frame)
        or timing_cue(text, frame)
        or unsure_cue(text, frame, own)
    )


def _allowing_default(policy: Deciding, text: str) -> bool:
    return bool(text) and policy.document.default.verdict == Verdict.ALLOWED


def _sign_answer(
    policy: Deciding,
    text: str,
    cues: tuple[Evidence, ...],
    second_opinion: SecondOpinion | None,
    noticed: tuple[RuleMatch, ...] = (),
) -> CheckAnswer:
    """*Review* on weak evidence because of signs of risk no rule decided on: not covered (for
    `/policy gaps`), naming the role the post is about, or else the default role."""
    role = policy.role_asked_about(text) or policy.default_role
    return _uncovered(policy, Verdict.REVIEW, role, WEAK, second_opinion, noticed, cues)


def _uncovered(
    policy: Deciding,
    verdict: Verdict,
    role: Role,
    certainty: str,
    second_opinion: SecondOpinion | None,
    noticed: tuple[RuleMatch, ...] = (),
    cues: tuple[Evidence, ...] = (),
) -> CheckAnswer:
    """An answer no rule decided, so not covered (`/policy gaps` lists it): the default's
    (NOT_COVERED), a sign of risk's or a lone word's (WEAK, naming what was noticed). Every
    such answer is made here, so they differ only in what is passed."""
    return CheckAnswer(
        verdict,
        (),
        role,
        policy.version_label,
        False,
        certainty=certainty,
        noticed=noticed,
        second_opinion=second_opinion,
        cues=cues,
    )


def _role_of(policy: Deciding, deciding: Sequence[RuleMatch]) -> Role:
    """Whom to ask: the role of the first deciding rule that names one, else the default."""
    role = next((policy.role_of(m.rule.role) for m in deciding if m.rule.role), None)
    return role or policy.default_role


def _own_verdict_first(weak: list[RuleMatch], final: Verdict) -> list[RuleMatch]:
    """Matches on weak evidence alone, the rules whose own verdict is the answer's first (and
    so whose role the answer names): a weak answer is *review*, and a `review` rule says whom
    the policy has check such a post, where a `forbidden` rule heard as weakly counts only as
    review. Otherwise as ranked (strictest rule first, best first within a verdict)."""
    return sorted(weak, key=lambda m: m.rule.verdict != final)  # stable: ranked within each


def _outweighed(matches: Sequence[RuleMatch]) -> tuple[RuleMatch, ...]:
    """The `forbidden` rules matched on strong evidence that the best `review` rule outweighs,
    or none: when every word that made them match also made the review rule match (the same
    span, or a phrase around it with no other word of a subject: `_shares_words`), those words
    explain both, and the review rule, with more of its own words in the question (its
    `score`), is what the question is about. All of them or none: one forbidding rule with
    evidence of its own still decides. Evidence that stands for no words of the question (the
    rule's text as a whole, an example) and personal data (a detector's or a pattern's match)
    are never shared this way. A language model's matches (strength MODEL) are not weighed."""
    forbidding = [m for m in matches if m.strength == STRONG and m.rule.verdict == _FORBIDDEN]
    if not forbidding:  # most answers
        return ()
    reviewing = [m for m in matches if m.strength == STRONG and m.rule.verdict == _REVIEW]
    if not reviewing:
        return ()
    best = max(reviewing, key=lambda m: m.score)  # ranked: the first of equals
    words = [(e.start, e.end) for e in best.evidence]
    for match in forbidding:
        if match.score >= best.score:
            return ()
        for evidence in match.evidence:
            if evidence.kind in _NOT_SHARED or not _shares_words(evidence, words):
                return ()
    return tuple(forbidding)


def _shares_words(evidence: Evidence, words: Sequence[tuple[int, int]]) -> bool:
    """Whether `evidence` stands on words of the question that `words` (the spans of another
    rule's evidence) also stand on: the same span, or a phrase around them whose other words
    say nothing of a subject (`rarity` 0: "our", "de", "the"). A concept's "our logo" around
    the review rule's keyword "logo" is the same word; "logo wijzigen" is not, as "wijzigen"
    is the forbidding rule's own. Counting only identical spans let such a phrase keep a
    forbidding rule deciding that the review rule outweighs on the very same word (round 25)."""
    start, end = evidence.start, evidence.end
    if (start, end) in words:
        return True
    rest = list(evidence.text)
    if len(rest) != end - start:  # not the question's own characters (masked): no words shared
        return False
    overlaps = False
    for s, e in words:
        if s < end and start < e:
            overlaps = True
            rest[max(s, start) - start : min(e, end) - start] = " " * (min(e, end) - max(s, start))
    if not overlaps:
        return False
    return all(rarity(fold(word)) == 0.0 for word in _WORD.findall("".join(rest)))


def _forbidding_alone(matches: Sequence[RuleMatch]) -> Sequence[RuleMatch]:
    """`matches` counted as strong evidence when every rule heard is `forbidden`, all on weak
    evidence, and one of them was heard in its own words (evidence `text`: words of its text
    that account for part of the question, not one keyword): nothing in the question points to
    a milder rule, and what it shares with the forbidding ones is more than a word that happens
    to be there, so the cap to review would only hide the one verdict the policy gives for it
    (benchmarks/devset/README.md, round 24).
    Otherwise unchanged: rules heard through one keyword or one concept term stay weak when
    none is heard in its own words (never a confident *forbidden* on one word; beside one that
    is, they decide with it), and so does every weak match when a rule of another verdict, or
    any rule on strong evidence, was heard."""
    if not matches or any(m.strength != WEAK or m.rule.verdict != _FORBIDDEN for m in matches):
        return matches  # most answers: a strong match, or a milder rule heard
    if not any(all(e.kind == "text" for e in m.evidence) for m in matches):
        return matches
    return [replace(m, strength=STRONG) for m in matches]


def _general_word_weak(
    document: PolicyDocument, matches: Sequence[RuleMatch]
) -> Sequence[RuleMatch]:
    """`matches` with the `forbidden` rules heard strongly through one word alone counted as
    weak, when that word is one the policy's other rules use too (in their text or keywords)
    and a milder rule (`review` or `allowed`) was heard strongly with a higher score: a word
    the policy says of several subjects ("customer" in an airline's policy) does not tell
    which of them the post is about, and the rule the question says more of ("lost luggage",
    "delayed") is the specific one. Counted weak, the forbidding rule is noticed, not decided
    on: beside a strong `review` rule the answer is that rule's, beside a strong `allowed`
    rule the allowed rule outweighs it as any weak strict match (`_allowed_outweighs`).
    All of them or none, as `_outweighed`: a forbidding rule with more evidence (a second
    word, a phrase, a detector, its text), or a word no other rule uses, still decides
    (benchmarks/devset/README.md, round 25)."""
    forbidding = [m for m in matches if m.strength == STRONG and m.rule.verdict == _FORBIDDEN]
    if not forbidding:  # most answers
        return matches
    milder = [m for m in matches if m.strength == STRONG and m.rule.verdict != _FORBIDDEN]
    if not milder:
        return matches
    best = max(m.score for m in milder)
    for match in forbidding:
        if match.score >= best or not _one_general_word(document, match):
            return matches
    general = {id(m) for m in forbidding}  # by identity: comparing whole matches is slow
    return [replace(m, strength=WEAK) if id(m) in general else m for m in matches]


def _one_general_word(document: PolicyDocument, match: RuleMatch) -> bool:
    """Whether `match` rests on one keyword of one word (as written, inflected or in a
    compound) that another rule of `document` uses in its text or keywords."""
    if len(match.evidence) != 1 or match.evidence[0].kind not in _ONE_WORD_KINDS:
        return False
    word = fold(match.evidence[0].source)
    if not _WORD.fullmatch(word):  # a phrase says more than a word
        return False
    users = _rules_using(document)
    return any(
        rule_id != match.rule.id for key in word_keys(word) for rule_id in users.get(key, ())
    )


# The word keys of each policy's rules (text and keywords), built once per policy document: a
# few policies are answered at a time, so a small table of them, newest last.
_RULE_WORDS: dict[int, tuple[PolicyDocument, dict[str, frozenset[str]]]] = {}
_RULE_WORDS_KEPT = 8
_RULE_WORDS_LOCK = threading.Lock()


def _rules_using(document: PolicyDocument) -> dict[str, frozenset[str]]:
    """Word key (`stemming.word_keys`) → the ids of the rules whose text or keywords hold it."""
    held = _RULE_WORDS.get(id(document))
    if held is not None and held[0] is document:
        return held[1]
    users: dict[str, set[str]] = {}
    for rule in document.rules:
        text = fold(" ".join((rule.text, *rule.keywords)))
        for word in set(_WORD.findall(text)):
            for key in word_keys(word):
                users.setdefault(key, set()).add(rule.id)
    table = {key: frozenset(ids) for key, ids in users.items()}
    with _RULE_WORDS_LOCK:  # answers run on several threads; a table built twice is harmless
        if len(_RULE_WORDS) >= _RULE_WORDS_KEPT:
            _RULE_WORDS.pop(next(iter(_RULE_WORDS)))
        _RULE_WORDS[id(document)] = (document, table)
    return table


def _allowed_outweighs(matches: Sequence[RuleMatch]) -> bool:
    """Whether an allowed rule matched on strong evidence while every stricter rule matched on
    weak evidence only, and at one place or in one way: then the post is what the allowed rule
    allows, and the weak matches are noticed, not decided on ("Trots op ons team! Mag ik een
    foto van de taart delen?" is the pride the policy allows, not the photos of colleagues it
    asks to check). Stricter rules heard in two ways at two places (`_heard_twice`) are not
    outweighed: beside the allowed rule they are more than one incidental word."""
    if not any(m.strength == STRONG and m.rule.verdict == Verdict.ALLOWED for m in matches):
        return False  # most answers
    stricter = [m for m in matches if m.rule.verdict != Verdict.ALLOWED]
    return all(m.strength == WEAK for m in stricter) and not _heard_twice(stricter)


def _heard_twice(matches: Sequence[RuleMatch]) -> bool:
    """Whether `matches` hold two kinds of evidence at places of the question that do not
    overlap ("omzetcijfers" through the lexicon and "winst" through a concept; a keyword and
    the rule's text as a whole): two separate routes to the stricter rules, where one word
    heard two ways ("revenue figures" and its "revenue") is still one (devset README, round
    25)."""
    evidence = [e for m in matches for e in m.evidence]
    return any(
        first.kind != second.kind and _apart(first, second)
        for i, first in enumerate(evidence)
        for second in evidence[i + 1 :]
    )


def _apart(first: Evidence, second: Evidence) -> bool:
    """Whether two pieces of evidence stand at places that do not overlap; the rule's text as a
    whole (no place: start equals end) stands apart from any word."""
    if (first.start == first.end) != (second.start == second.end):
        return True
    return first.end <= second.start or second.end <= first.start


def _certainty(deciding: Sequence[RuleMatch], certainty_of_strong: str) -> str:
    if all(m.strength == WEAK for m in deciding):
        return WEAK
    if any(m.strength == STRONG for m in deciding):
        return STRONG if certainty_of_strong == STRONG else certainty_of_strong
    return certainty_of_strong
