"""Exercises: military exercises two or more states hold together, as an article reports
them held, under way or begun, or announces them with a name or dates.

A sentence speaks of an exercise when it has an exercise noun ("joint military exercise",
"ortak tatbikat"); a bare "exercise"/"tatbikat" counts only with a name ("Exercise
Sampriti", "Zapad-2025 adlı"). Sentences about an earlier edition ("last year", "2014
yılında icra edilmiştir") are left out, as are states only invited to watch (observers).
The mentions of one article make one exercise per name; unnamed mentions belong to the
named exercise when there is just one. An exercise needs two participating states and
either a report that it is held or a name or dates. Its start is a date range's first
day, else a day date of its sentences, else the day it was said to begin ("on Monday").
Language knowledge: ``lang/<lang>/exercises.tsv``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from defkg.gazetteer import Gazetteer, grammar
from defkg.model import Article, ExerciseFact
from defkg.pipeline.cuewords import Cue, SentenceFacts, by_sentence, find_cues, is_dateline, old_year
from defkg.pipeline.dates import DateMention
from defkg.textnorm import fold

_QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})
_UNTIL = frozenset({"-", *grammar("until")})
_END_BEFORE = frozenset(grammar("end-preposition"))  # "until Friday"
_END_AFTER = frozenset(grammar("end-postposition"))  # "cumaya kadar"
_NAME_NOISE = frozenset(grammar("exercise-noise"))
_NOUNS = frozenset(grammar("exercise-noun"))  # "the joint exercise Union Shield"
_TITLE = frozenset(grammar("exercise-title"))  # "Exercise Sampriti"


@dataclass
class _Mention:
    sentence: int
    name: str | None
    specific: bool
    states: list[str]
    held: bool
    planned: bool
    domains: set[str]


@dataclass
class _Group:
    name: str | None
    mentions: list[_Mention] = field(default_factory=list)
    extra: list[_Mention] = field(default_factory=list)  # bare "the exercise" mentions
    observers: list[str] = field(default_factory=list)


def find_exercises(article: Article, g: Gazetteer, facts: SentenceFacts) -> tuple[ExerciseFact, ...]:
    tokens, lang = facts.tokens, article.language
    cues = find_cues(tokens, facts.sent_of, lang, "exercises")
    mentions: list[_Mention] = []
    bare: list[_Mention] = []
    observers: list[str] = []
    for s, cs in sorted(by_sentence(cues).items()):
        wrong = [c for c in cs if c.role == "not-exercise"]
        nouns = [c for c in cs if c.role == "noun" and not any(_overlap(c, w) for w in wrong)]
        if not nouns:
            continue
        day_dates = [d for d in facts.dates_in(s) if not is_dateline(facts.text, d)]
        span = facts.span(s)
        if not day_dates and (
            any(c.role == "recalled" for c in cs) or old_year(tokens, span, article.published)
        ):
            continue
        planned_cues = [c for c in cs if c.role == "planned"]
        held = any(c.role == "held" and not any(_overlap(c, p) for p in planned_cues) for c in cs)
        # "the Sea of Japan", "Japon Denizi": a state's name inside a sea's or a coast's is no participant
        geo_after = {c.end for c in cs if c.role == "geo-before"}
        geo_next = {c.start for c in cs if c.role == "geo-after"}
        states = list(
            dict.fromkeys(
                st
                for st, i in facts.states(s, people=False)
                if i not in geo_after and not ({i + 1, i + 2} & geo_next)
            )
        )
        if any(c.role == "observer" for c in cs):
            # "Minsk invited observers from many countries to watch the exercise"
            observers.extend(states)
            continue
        names = [_name(n, s, facts, cs, lang) for n in nouns]
        name = next((x for x in names if x), None)
        specific = any(n.key == "specific" for n in nouns)
        domains = {c.key for c in cs if c.role == "domain"}
        m = _Mention(s, name, specific, states, held, bool(planned_cues), domains)
        (mentions if specific or name else bare).append(m)
    groups = _group(mentions, bare)
    out = []
    for grp in groups:
        fact = _fact(grp, observers, facts, g, article)
        if fact is not None:
            out.append(fact)
    return tuple(out)


def _overlap(a: Cue, b: Cue) -> bool:
    return a.start < b.end and b.start < a.end


def _key(name: str) -> str:
    return " ".join(w for w in fold(name).replace("-", " ").split() if w not in _NAME_NOISE)


# -- names --------------------------------------------------------------------------------------------
def _name(n: Cue, s: int, facts: SentenceFacts, cs: list[Cue], lang: str) -> str | None:
    tokens, text, span = facts.tokens, facts.text, facts.span(s)

    def written(i: int, j: int) -> str:
        last = tokens[j - 1]
        out = text[tokens[i].start : last.start + len(last.base)]
        return " ".join(out.strip("".join(_QUOTES) + " ,;").split())

    def run_back(k: int) -> int:
        """The first token of the capitalised run (words, digits, hyphens, brackets) ending before k."""
        b = k
        while b - 1 >= span.start:
            t = tokens[b - 1]
            if (t.is_word and (t.is_cap or t.base.isdigit())) or t.key in ("-", "(", ")", "/"):
                b -= 1
                continue
            break
        while b < k and tokens[b].key in ("-", ")", "/"):
            b += 1
        return b

    def run_forward(k: int) -> int:
        e = k
        while e < span.stop:
            t = tokens[e]
            if (t.is_word and (t.is_cap or t.base.isdigit())) or (
                t.key == "-" and e + 1 < span.stop and tokens[e + 1].is_word
            ):
                e += 1
                if t.suffix:
                    break
                continue
            break
        return e

    # "Zapad-2025 adlı tatbikat", "“Warrior-8” adlı", 'called "Exercise Sampriti"'
    for c in cs:
        if c.role != "name-cue" or abs(c.start - n.start) > 12:
            continue
        if lang == "tr":
            k = c.start
            if k - 1 >= span.start and tokens[k - 1].key in _QUOTES:
                j = k - 1
                i = j - 1
                while i > span.start and tokens[i - 1].key not in _QUOTES and j - i < 8:
                    i -= 1
                if i > span.start and j > i:
                    return written(i, j)
            b = run_back(k)
            if b < k:
                return written(b, k)
        else:
            k = c.end
            while k < span.stop and tokens[k].key in _QUOTES:
                k += 1
            e = run_forward(k)
            if e > k:
                return written(k, e)
    head = tokens[n.end - 1]
    first = tokens[n.start]
    # "Exercise Sampriti", "Exercise Cope Thunder 24"
    if lang != "tr" and first.is_cap and first.key in _TITLE and n.end == n.start + 1:
        e = run_forward(n.end)
        if e > n.end:
            return written(n.start, e)
    # "the joint exercise Union Shield": a capitalised run right after the noun, not a state, date or place
    if lang != "tr" and head.key in _NOUNS:
        e = run_forward(n.end)
        known = {k for m in facts.matches if n.end <= m.start < e for k in range(m.start, m.end)}
        if e > n.end and not any(i in known for i in range(n.end, e)) and not facts.title_case(s):
            return written(n.start if first.is_cap and first.key in _TITLE else n.end, e)
    # "the Joint Sea-2024 naval drills", "Anadolu Kartalı-2024 tatbikatı": a run with a number or hyphen
    b = run_back(n.start)
    numbered = any(t.base.isdigit() or t.key == "-" for t in tokens[b : n.start])
    if b < n.start and numbered and not _only_states(b, n.start, facts):
        return written(b, n.start)
    # "Türkiye-Mısır Dostluk Denizi (Bahr El Sadaka) Deniz Harekâtı Özel Tatbikatı",
    # "ASEAN-India Maritime Exercise"
    if head.is_cap and first.is_cap and not facts.title_case(s):
        b = run_back(n.start)
        if b < n.start or n.end - n.start > 1:
            candidate = written(b, n.end)
            if _key(candidate) and not _only_states(b, n.start, facts):
                return candidate
    return None


def _only_states(i: int, j: int, facts: SentenceFacts) -> bool:
    """The words before the noun are only state names ("Turkish-Azerbaijani"): no name."""
    words = [t for t in facts.tokens[i:j] if t.is_word]
    if not words:
        return True
    names = {
        k
        for m in facts.matches
        if i <= m.start < j and (m.has("state") or m.has("org"))
        for k in range(m.start, m.end)
    }
    return all(t.position in names for t in words)


# -- grouping and facts --------------------------------------------------------------------------------
def _group(mentions: list[_Mention], bare: list[_Mention]) -> list[_Group]:
    groups: list[_Group] = []
    named: dict[str, _Group] = {}
    unnamed: list[_Mention] = []
    for m in mentions:
        if m.name:
            k = _key(m.name)
            if k not in named:
                named[k] = _Group(m.name)
                groups.append(named[k])
            named[k].mentions.append(m)
        else:
            unnamed.append(m)
    if unnamed:
        if len(named) == 1:
            groups[0].mentions.extend(unnamed)
        elif not named:
            groups.append(_Group(None, list(unnamed)))
        else:
            for m in unnamed:  # to the exercise named last before it
                before = [grp for grp in groups if min(x.sentence for x in grp.mentions) <= m.sentence]
                (before[-1] if before else groups[0]).mentions.append(m)
    for grp in groups:
        for b in bare:
            if len(groups) == 1 or min(x.sentence for x in grp.mentions) <= b.sentence:
                grp.extra.append(b)
    return groups


def _fact(
    grp: _Group, observers: list[str], facts: SentenceFacts, g: Gazetteer, article: Article
) -> ExerciseFact | None:
    votes: Counter[str] = Counter()
    for m in grp.mentions:
        votes.update(m.states)
    if len(votes) < 2:
        for m in grp.extra:
            votes.update(m.states)
    states = tuple(sorted(votes))
    if len(states) < 2:
        return None
    sentences = sorted({m.sentence for m in grp.mentions} | {m.sentence for m in grp.extra})
    held = any(m.held for m in grp.mentions + grp.extra)
    planned = any(m.planned for m in grp.mentions + grp.extra)
    start, end, date_sentence = _dates(grp, facts)
    if not (held or grp.name or start):
        return None
    status = "Reported" if held or not planned else "Planned"
    fact_ev: dict[str, tuple[int, ...]] = {}
    if date_sentence is not None:
        fact_ev["start"] = fact_ev["end"] = (date_sentence,)
    place = host = None
    for s in sentences:
        found = facts.place(s)
        if found and place is None:
            place = g.places.get(found[0])
            fact_ev["place"] = (s,)
        loc = facts.locative_state(s)
        if loc and host is None and loc in states:
            host = loc
            fact_ev["host"] = (s,)
    domains = set().union(*(m.domains for m in grp.mentions + grp.extra))
    domain = None if not domains else (next(iter(domains)) if len(domains) == 1 else "Joint")
    obs = tuple(sorted(set(observers) - set(states)))
    return ExerciseFact(
        states=states,
        name=grp.name,
        observers=obs,
        host=host,
        start=start,
        end=end,
        place=place,
        domain=domain,
        status=status,
        evidence=tuple(sentences),
        fact_evidence=fact_ev,
    )


def _dates(grp: _Group, facts: SentenceFacts) -> tuple[date | None, date | None, int | None]:
    """(start, end, sentence): a range first, then a day date, then a relative day or weekday
    in a sentence saying it began; a date after "until"/"kadar" only ends it."""
    tokens, published = facts.tokens, facts.published
    cands: list[tuple[int, int, DateMention, int]] = []
    ends: list[date] = []
    rank = {"absolute": 1, "numeric": 1, "relative": 2, "weekday": 2}
    for m in grp.mentions + grp.extra:
        for d in facts.dates_in(m.sentence):
            if d.start is None:
                continue
            first = facts.token_at(d.char_start)
            last = facts.token_at(d.char_end - 1)
            before = tokens[first - 1].key if first > 0 else ""
            after = tokens[last + 1].key if last + 1 < len(tokens) else ""
            if before in _END_BEFORE or after in _END_AFTER:
                if d.kind == "weekday" and d.start and published:
                    # "until Friday": the coming Friday (a weekday resolves to the past by default)
                    ends.append(published + timedelta(days=(d.start.weekday() - published.weekday()) % 7))
                elif d.end:
                    ends.append(d.end)
                continue
            dl = is_dateline(facts.text, d)
            r = 0 if d.end and d.end != d.start else rank.get(d.kind, 3)
            if r == 2 and not (m.held or m.planned):
                continue  # "on Monday" dates an exercise only in a sentence saying it began or will
            cands.append((int(dl), r, d, m.sentence))
    if not cands:
        return None, (max(ends) if ends else None), None
    cands.sort(key=lambda c: (c[0], c[1], c[2].char_start))
    _, r, best, s = cands[0]
    start, end = best.start, best.end
    if r == 1:
        # "from Nov. 6 to Nov. 18": a later day date of the same sentence after "to"
        later = [
            c[2]
            for c in cands
            if c[3] == s
            and c[2].char_start > best.char_end
            and c[2].start
            and start
            and c[2].start > start
            and tokens[facts.token_at(c[2].char_start) - 1].key in _UNTIL
        ]
        if later:
            end = later[0].end
    if ends and (end is None or end == start) and start and max(ends) >= start:
        end = max(ends)
    return start, end, s
