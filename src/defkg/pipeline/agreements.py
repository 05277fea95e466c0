"""Agreements: the defence agreements an article reports signed (or initialled), with
their kind, title as written, parties, signing date and place, signatories and the
meeting they were signed at.

A sentence reports a signing when it has a signing verb ("signed", "imzalandı") that is
not part of a plan ("will sign", "imzalanacak"); each agreement noun in it ("memorandum
of understanding", "Mutabakat Muhtırası") is one mention, unless a plan, a renewal or a
negotiation is said of that noun, or it is named only as the framework of something else
("under the agreement", "anlaşma kapsamında"). Mentions of one document are merged: a bare
noun ("the MoU", "anlaşma") is the agreement named before; two titles of one kind whose
words mostly agree are one agreement. Parties are the states the signing sentences name
(by name, adjective, an organisation or a person of that state), completed from the
meeting the article reports when the sentence says only "the two countries". Language
knowledge: ``lang/<lang>/agreements.tsv``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from defkg.gazetteer import Gazetteer, grammar
from defkg.model import AgreementFact, Article, ExerciseFact, MeetingFact, Person
from defkg.pipeline.cuewords import (
    Cue,
    SentenceFacts,
    by_sentence,
    find_cues,
    folded_words,
    has_cue,
    is_dateline,
    old_year,
)
from defkg.pipeline.dates import DateMention
from defkg.pipeline.exercises import find_exercises
from defkg.pipeline.people import CONJUNCTION, PAIR_JOINER, PersonMention
from defkg.pipeline.tokens import Match, Token
from defkg.textnorm import fold

RECALLED_AFTER = timedelta(days=60)  # signed this long before publication: recalled, not reported
_CLOSE = frozenset({",", ".", ";", ":", "(", ")", '"', "“", "”", "‘", "’", "'", "«", "»", "—", "–"})
NAME_JOINER = frozenset(grammar("name-joiner"))  # lowercase inside a capitalised Turkish title: "ve"
PLACE_PREPOSITIONS = frozenset(grammar("place-preposition"))  # "... in Ankara": the subject ends
ARTICLES = frozenset(grammar("article"))  # "and the ...": a new subject


class Engagements(NamedTuple):
    agreements: tuple[AgreementFact, ...]
    exercises: tuple[ExerciseFact, ...]


def engagements(
    article: Article,
    g: Gazetteer,
    tokens: tuple[Token, ...],
    matches: list[Match],
    sent_of: list[int],
    dates: list[DateMention],
    people: list[PersonMention],
    meetings: tuple[MeetingFact, ...],
) -> Engagements:
    """The agreements and exercises of an article, from what the meeting extractor has read.

    An agreement needs a cue of its signing and a noun naming it, an exercise a noun naming it
    (``find_agreements``, ``find_exercises``): a report without them is not searched further."""
    lang = article.language
    want_agreements = has_cue(tokens, lang, "agreements", "signed") and has_cue(
        tokens, lang, "agreements", "noun"
    )
    want_exercises = has_cue(tokens, lang, "exercises", "noun")
    if not (want_agreements or want_exercises):
        return Engagements((), ())
    facts = SentenceFacts(
        article.text, tokens, matches, sent_of, dates, people, g, len(article.sentences), article.published
    )
    return Engagements(
        find_agreements(article, g, facts, meetings) if want_agreements else (),
        find_exercises(article, g, facts) if want_exercises else (),
    )


@dataclass
class _Mention:
    kind: str
    title: str
    subject: str | None
    generic: bool
    sentence: int
    noun: Cue
    states: list[str]


@dataclass
class _Agreement:
    kind: str
    title: str
    subject: str | None
    generic: bool
    created_in: int
    sentences: list[int] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)
    mentions: list[_Mention] = field(default_factory=list)


def find_agreements(
    article: Article,
    g: Gazetteer,
    facts: SentenceFacts,
    meetings: list[MeetingFact] | tuple[MeetingFact, ...],
) -> tuple[AgreementFact, ...]:
    tokens, lang = facts.tokens, article.language
    cues = find_cues(tokens, facts.sent_of, lang, "agreements")
    sentences = by_sentence(cues)
    agreements: list[_Agreement] = []
    signing: dict[int, list[Cue]] = {}
    plural_states: list[str] = []
    for s in sorted(sentences):
        cs = sentences[s]
        no = [c for c in cs if c.role == "not-signed"]
        signed = [c for c in cs if c.role == "signed" and not any(_overlap(c, n) for n in no)]
        nouns = [c for c in cs if c.role == "noun"]
        if not signed or not nouns:
            continue
        span = facts.span(s)
        day_dates = [d for d in facts.dates_in(s) if d.start]
        if not day_dates and (
            old_year(tokens, span, article.published) or any(c.role == "recalled" for c in cs)
        ):
            continue  # an agreement signed in some earlier year, recalled without its date
        states = list(dict.fromkeys(st for st, _ in facts.states(s)))
        signing[s] = signed
        for n in nouns:
            if any(_near(n, c, lang, before=4, after=3) for c in no):
                continue
            if any(c.role == "in-force" and _framework(n, c, lang) for c in cs):
                continue
            if any(c.role == "not-agreement" and _overlap(n, c) for c in cs):
                continue  # "mutabakat tutanağı": the signed minutes of a meeting
            if any(c.role == "relation" and c.start == n.end for c in cs):
                continue  # "anlaşmasına ilişkin uygulama protokolü": the protocol is what was signed
            if n.key == "plural":
                plural_states.extend(states)
                continue
            m = _mention(n, s, states, facts, cs, lang)
            _merge(agreements, m)
    published = article.published
    out = []
    for a in agreements:
        parties = _parties(a, meetings, plural_states, article, g)
        if len(parties) < 2:
            continue
        ev = tuple(sorted(set(a.sentences)))
        signed_on, date_ev = _signed_date(a, signing, facts)
        status = "Reported"
        if signed_on and published and signed_on < published - RECALLED_AFTER:
            status = "Recalled"
        meeting = _meeting(parties, signed_on, meetings, status)
        fact_ev: dict[str, tuple[int, ...]] = {}
        if signed_on is None and meeting is not None and meetings[meeting].start:
            signed_on = meetings[meeting].start
            fact_ev["signed"] = meetings[meeting].fact_evidence.get("start", meetings[meeting].evidence)
        elif date_ev is not None:
            fact_ev["signed"] = (date_ev,)
        place = None
        for s in ev:
            found = facts.place(s)
            if found:
                place = g.places.get(found[0])
                fact_ev["place"] = (s,)
                break
        if place is None and meeting is not None and meetings[meeting].place:
            place = meetings[meeting].place
            fact_ev["place"] = meetings[meeting].fact_evidence.get("place", meetings[meeting].evidence)
        out.append(
            AgreementFact(
                kind=a.kind,
                states=parties,
                title=a.title,
                subject=a.subject,
                signed=signed_on,
                place=place,
                signatories=_signatories(
                    ev, facts, meetings[meeting] if meeting is not None else None, parties
                ),
                meeting=meeting,
                status=status,
                evidence=ev,
                fact_evidence=fact_ev,
            )
        )
    return tuple(out)


# -- mentions ---------------------------------------------------------------------------------------
def _overlap(a: Cue, b: Cue) -> bool:
    return a.start < b.end and b.start < a.end


def _near(noun: Cue, cue: Cue, lang: str, before: int, after: int) -> bool:
    return noun.start - before <= cue.start < noun.end + after


def _framework(noun: Cue, cue: Cue, lang: str) -> bool:
    """ "under the agreement" (English: the cue before the noun), "anlaşma kapsamında" (Turkish: after)."""
    if lang == "tr":
        return noun.end <= cue.start <= noun.end + 2
    return noun.start - 4 <= cue.start < noun.start


def _mention(n: Cue, s: int, states: list[str], facts: SentenceFacts, cs: list[Cue], lang: str) -> _Mention:
    tokens, text = facts.tokens, facts.text
    span = facts.span(s)
    boundary = {c.start for c in cs if c.role == "boundary"} | {
        c.start for c in cs if c.role in ("signed", "not-signed", "in-force", "noun") and c is not n
    }
    b = n.start
    head_cap = tokens[n.start].is_cap
    limit = 12 if lang == "tr" and head_cap else 7
    while b - 1 >= span.start and n.start - (b - 1) <= limit:
        t = tokens[b - 1]
        joins = t.key in CONJUNCTION and (
            b - 2 >= span.start
            and tokens[b - 2].is_word
            and (tokens[b - 2].is_cap or (lang != "tr" and b - 2 not in boundary))
        )
        if (b - 1 in boundary and not joins) or t.suffix:
            break
        if t.is_word:
            if lang == "tr" and head_cap and not (t.is_cap or t.base.isdigit()) and t.key not in NAME_JOINER:
                break
            if lang == "tr" and not head_cap and t.is_cap:
                break  # "Bakanlar anlaşmayı imzaladı": the sentence's subject, not the title
            if t.key in CONJUNCTION and not joins:
                break
        elif t.key not in ("-", ",", "(", ")") or (t.key == "," and not (lang == "tr" and head_cap)):
            break
        b -= 1
    while b < n.start and (not tokens[b].is_word or tokens[b].key in CONJUNCTION):
        b += 1
    e = n.end
    subject = None
    if lang != "tr":
        f = e
        while f < span.stop and tokens[f].key in ("”", '"', "’", "'"):
            f += 1
        starts = {c.start for c in cs if c.role == "subject-start"}
        stops = {c.start for c in cs if c.role == "subject-stop"}
        if f < span.stop and f in starts:
            k = f + 1
            while (
                k < span.stop
                and k - f <= 18
                and tokens[k].key not in _CLOSE - {"(", ")"}
                and not (tokens[k].key in PLACE_PREPOSITIONS and k + 1 < span.stop and tokens[k + 1].is_cap)
                and (
                    k not in stops
                    or (
                        tokens[k].key in PAIR_JOINER
                        and k - f > 1
                        and not (k + 1 < span.stop and tokens[k + 1].key in ARTICLES)
                    )
                )
                and not any(c.start == k and c.role in ("signed", "noun") for c in cs)
            ):
                k += 1
            if k > f + 1:
                subject = text[tokens[f].start : tokens[k - 1].end]
                e = k
    last = tokens[n.end - 1]
    head_end = last.start + len(last.base)
    title = text[tokens[b].start : head_end] + (" " + subject if subject else "")
    if lang == "tr" and b < n.start:
        subject = text[tokens[b].start : tokens[n.start - 1].end]
    kind = n.key
    words_span = range(b, e)
    if kind == "OtherAgreement" and any(c.role == "cooperation" and c.start in words_span for c in cs):
        kind = "DefenceCooperationAgreement"
    # a bare noun ("the agreement", "the MoU", "anlaşma"): the document named before
    generic = b == n.start and e == n.end and (n.end - n.start == 1 or kind == "MemorandumOfUnderstanding")
    return _Mention(kind, " ".join(title.split()), subject, generic, s, n, states)


def _compatible(a: _Agreement, m: _Mention) -> bool:
    wa, wm = folded_words(a.title), folded_words(m.title)
    small = min(len(wa), len(wm)) or 1
    return len(wa & wm) / small >= 0.5


def _merge(agreements: list[_Agreement], m: _Mention) -> None:
    target = None
    if m.generic:
        same = [a for a in agreements if a.kind == m.kind] or agreements
        target = same[-1] if same else None
    else:
        for a in agreements:
            if a.created_in == m.sentence and not a.generic:
                continue  # two documents named in one sentence are two documents
            if a.kind == m.kind and (a.generic or _compatible(a, m)):
                target = a
                break
            # a "deal", "pact" or "agreement" (a headline's word) and a document of a named kind
            vague = "OtherAgreement" in (a.kind, m.kind)
            if vague and (a.generic or _compatible(a, m) or 0 in (a.created_in, m.sentence)):
                target = a
                break
    if target is None:
        target = _Agreement(m.kind, m.title, m.subject, m.generic, m.sentence)
        agreements.append(target)
    elif (
        (target.generic and not m.generic)
        or (target.kind == "OtherAgreement" and m.kind != "OtherAgreement")
        or (not m.generic and m.kind == target.kind and len(m.title) > len(target.title))
    ):
        # the fullest title the article gives
        target.kind, target.title, target.subject, target.generic = m.kind, m.title, m.subject, False
    target.mentions.append(m)
    if m.sentence not in target.sentences:
        target.sentences.append(m.sentence)
        target.states.update(m.states)


# -- parties, date, meeting, signatories --------------------------------------------------------------
def _parties(
    a: _Agreement,
    meetings: list[MeetingFact] | tuple[MeetingFact, ...],
    plural_states: list[str],
    article: Article,
    g: Gazetteer,
) -> tuple[str, ...]:
    found = [s for s, _ in a.states.most_common()]
    pairs = [set(m.states) for m in meetings if m.status == "Reported" and len(m.states) == 2]
    if len(found) > 2:
        # a bilateral agreement of the meeting's pair, a third state named in passing; else all named
        # ("Türkiye, Azerbaijan and Georgia signed a trilateral memorandum")
        inside = [p for p in pairs if p <= set(found)]
        found = sorted(inside[0]) if inside else found
    if len(found) < 2:
        for extra in dict.fromkeys(plural_states):
            if extra not in found and len(found) < 2:
                found.append(extra)
    if len(found) < 2:
        fitting = [p for p in pairs if set(found) <= p]
        if (fitting and all(p == fitting[0] for p in fitting)) or (fitting and found):
            found = sorted(fitting[0])
    return tuple(sorted(found))


def _signed_date(
    a: _Agreement, signing: dict[int, list[Cue]], facts: SentenceFacts
) -> tuple[date | None, int | None]:
    best: tuple[int, int, date, int] | None = None
    for s in a.sentences:
        verbs = signing.get(s, [])
        for d in facts.dates_in(s):
            if d.start is None or d.start != d.end:
                continue
            tok = facts.token_at(d.char_start)
            dist = min((abs(tok - v.start) for v in verbs), default=99)
            cand = (int(is_dateline(facts.text, d)), dist, d.start, s)
            if best is None or cand[:2] < best[:2]:
                best = cand
    return (best[2], best[3]) if best else (None, None)


def _meeting(
    parties: tuple[str, ...],
    signed: date | None,
    meetings: list[MeetingFact] | tuple[MeetingFact, ...],
    status: str,
) -> int | None:
    cands = [i for i, m in enumerate(meetings) if m.status == "Reported" and set(m.states) == set(parties)]
    if signed is not None:
        # signed on one of the meeting's days (a visit reported by its first day: within three days)
        on_day = [
            i
            for i in cands
            if (start := meetings[i].start) is not None
            and start <= signed <= max(meetings[i].end or start, start + timedelta(days=3))
        ]
        if on_day:
            return on_day[0]
        if status == "Recalled":
            return None
        cands = [i for i in cands if meetings[i].start is None]
    return cands[0] if cands else None


def _signatories(
    sentences: tuple[int, ...],
    facts: SentenceFacts,
    meeting: MeetingFact | None,
    parties: tuple[str, ...],
) -> tuple[Person, ...]:
    out: list[Person] = []
    for p in facts.people:
        if p.sentence not in sentences:
            continue
        words = set(p.key)
        person = None
        if meeting is not None:
            person = next(
                (
                    q.person
                    for q in meeting.participants
                    if words <= set(fold(q.person.name).replace("-", " ").split())
                ),
                None,
            )
        state = facts.person_state.get(id(p))
        if person is None and state in parties:
            rank = facts.g.ranks.get(p.rank) if p.rank else None
            person = Person(p.name, state, rank=rank, title=p.title_text)
        if person is not None and person.state in parties and all(x.name != person.name for x in out):
            out.append(person)
    if not out and meeting is not None:
        # "the two ministers signed": the heads of the delegations of the meeting it was signed at
        out = [q.person for q in meeting.participants if q.head and q.person.state in parties]
    return tuple(out)
