"""Shared machinery of the agreement and exercise extractors: cue phrases read from a
language data file, matched over tokens, and the sentence-level facts both extractors
look for (the states a sentence names, its dates, whether it is a dateline).

A cue file has the columns ``role key forms``: ``role`` says what the phrase signals
(``noun``, ``signed``, ``planned``...), ``key`` refines it (an agreement kind, a domain),
``forms`` are ``|``-separated phrases. A form ending in ``*`` is a stem: in Turkish its
last word may carry any suffix ("imzala*" = imzaladı, imzalandı, imzalanan). Matching is
over folded tokens, the longest phrase first and an exact word before a stem.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from defkg.gazetteer import Gazetteer, forms, grammar, lang_file, read_tsv
from defkg.pipeline.dates import DateMention
from defkg.pipeline.people import PersonMention
from defkg.pipeline.tokens import Match, Token, tokenize
from defkg.textnorm import fold

_STATE_WHERE = frozenset(grammar("state-where"))  # "in Turkey"
_LOCATIVE = grammar("locative")  # "Türkiye'de", "Londra'da"
_RELATIVE = grammar("relative")  # "Londra'daki": the one in London (an attribute), not where
_PLACE_WHERE = frozenset(grammar("place-where"))  # "in London", "at Incirlik"
_DATELINE_BEFORE = re.compile(r"^\s*(?:[A-ZÇĞİÖŞÜ][\w.'’ -]{0,40},\s*)?$")


@dataclass(frozen=True)
class Cue:
    role: str
    key: str
    start: int  # token index
    end: int  # exclusive
    sentence: int


@dataclass(frozen=True)
class _Form:
    role: str
    key: str
    words: tuple[str, ...]
    stem: bool


@cache
def cue_forms(lang: str, name: str) -> dict[str, tuple[_Form, ...]]:
    """The phrases of ``lang/<lang>/<name>.tsv``, indexed by their first folded word."""
    index: dict[str, list[_Form]] = {}
    for row in read_tsv(lang_file(lang, f"{name}.tsv")):
        for f in forms(row["forms"]):
            stem = f.endswith("*")
            words = tuple(t.key for t in tokenize(f.rstrip("*")))
            if words:
                index.setdefault(words[0], []).append(_Form(row["role"], row["key"], words, stem))
    return {k: tuple(v) for k, v in index.items()}


@cache
def _stems(lang: str, name: str) -> dict[str, tuple[_Form, ...]]:
    """One-word forms whose word may take a suffix (stems; in Turkish every one-word form), by
    their first three letters."""
    out: dict[str, list[_Form]] = {}
    for fs in cue_forms(lang, name).values():
        for f in fs:
            if len(f.words) == 1 and (f.stem or (lang == "tr" and len(f.words[0]) >= 4)):
                out.setdefault(f.words[0][:3], []).append(f)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _candidates_cache(lang: str, name: str) -> dict[str, tuple[_Form, ...]]:
    """Folded word -> the forms that may start at it (words recur: most look-ups hit this)."""
    return {}


def _candidates(lang: str, name: str, key: str) -> tuple[_Form, ...]:
    stems = _stems(lang, name).get(key[:3], ())
    return cue_forms(lang, name).get(key, ()) + tuple(
        f for f in stems if key.startswith(f.words[0]) and key != f.words[0]
    )


def _fits(form: _Form, tokens: tuple[Token, ...], i: int, lang: str) -> bool:
    n = len(form.words)
    if i + n > len(tokens):
        return False
    for k, w in enumerate(form.words):
        t = tokens[i + k]
        last = k == n - 1
        if t.key == w:
            continue
        # a stem, or (Turkish) a phrase's last word with a suffix glued on
        suffixed = t.key.startswith(w) and len(t.key) - len(w) <= 10
        if last and suffixed and (form.stem or (lang == "tr" and len(w) >= 4)):
            continue
        return False
    return True


@cache
def _role_candidates_cache(lang: str, name: str, role: str) -> dict[str, tuple[_Form, ...]]:
    """Folded word -> the forms of ``role`` that may start at it."""
    return {}


def has_cue(tokens: tuple[Token, ...], lang: str, name: str, role: str) -> bool:
    """Whether ``find_cues`` would find a cue of ``role`` in ``tokens``: some form of that role fits
    at some token (the first place one fits always gives a cue). A cheap test an extractor runs
    before looking for every cue: most reports sign no agreement and tell of no exercise."""
    cache = _role_candidates_cache(lang, name, role)
    for i, t in enumerate(tokens):
        cands = cache.get(t.key)
        if cands is None:
            if len(cache) > 200_000:  # bounded, as in find_cues
                cache.clear()
            cands = cache[t.key] = tuple(f for f in _candidates(lang, name, t.key) if f.role == role)
        for f in cands:
            if _fits(f, tokens, i, lang):
                return True
    return False


def find_cues(tokens: tuple[Token, ...], sent_of: list[int], lang: str, name: str) -> list[Cue]:
    """Every cue of one file, longest first at each position; cues of different roles may overlap
    (a noun phrase and a verb), cues of one role do not."""
    cache = _candidates_cache(lang, name)
    out: list[Cue] = []
    taken: dict[str, int] = {}  # role -> first free token
    for i, t in enumerate(tokens):
        cands = cache.get(t.key)
        if cands is None:
            if len(cache) > 200_000:  # bounded: a long ingest meets ever new words
                cache.clear()
            cands = cache[t.key] = _candidates(lang, name, t.key)
        if not cands:
            continue
        best: dict[str, tuple[tuple[int, int], _Form]] = {}
        for f in cands:
            if _fits(f, tokens, i, lang):
                exact = int(tokens[i + len(f.words) - 1].key == f.words[-1])
                score = (len(f.words), exact)
                if f.role not in best or score > best[f.role][0]:
                    best[f.role] = (score, f)
        for role, ((n, _), f) in best.items():
            if taken.get(role, 0) > i:
                continue
            taken[role] = i + n
            out.append(Cue(role, f.key, i, i + n, sent_of[i] if i < len(sent_of) else 0))
    return out


def by_sentence(cues: list[Cue]) -> dict[int, list[Cue]]:
    out: dict[int, list[Cue]] = {}
    for c in cues:
        out.setdefault(c.sentence, []).append(c)
    return out


def is_dateline(text: str, d: DateMention) -> bool:
    """A dateline date: "MINSK, 13 Eylül (Xinhua) --", "KUALA LUMPUR, March 22 —"."""
    line_start = text.rfind("\n", 0, d.char_start) + 1
    before = text[line_start : d.char_start]
    after = text[d.char_end : d.char_end + 12]
    return bool(_DATELINE_BEFORE.match(before)) and (
        not after.strip() or after.lstrip()[:1] in ("–", "-", "—", "(", "|") or after.startswith("\n")
    )


def old_year(tokens: tuple[Token, ...], span: range, published: date | None) -> bool:
    """The sentence names a year before the publication year ("in 2018", "2021'de")."""
    if published is None:
        return False
    for i in span:
        b = tokens[i].base
        if len(b) == 4 and b.isdigit() and 1900 <= int(b) < published.year:
            return True
    return False


class SentenceFacts:
    """What the extractors ask of a sentence: its token span, the states it names, its dates."""

    def __init__(
        self,
        text: str,
        tokens: tuple[Token, ...],
        matches: list[Match],
        sent_of: list[int],
        dates: list[DateMention],
        people: list[PersonMention],
        g: Gazetteer,
        n_sentences: int,
        published: date | None = None,
    ) -> None:
        self.text, self.tokens, self.matches, self.sent_of, self.g = text, tokens, matches, sent_of, g
        # sent_of never decreases: each sentence's tokens are one run
        self.spans: dict[int, range] = {}
        for i, s in enumerate(sent_of):
            if s not in self.spans:
                self.spans[s] = range(i, bisect.bisect_right(sent_of, s, i))
        # the matches of each sentence (the questions below are asked per sentence, many times)
        self.sent_matches: dict[int, list[Match]] = {}
        for m in matches:
            self.sent_matches.setdefault(sent_of[m.start], []).append(m)
        # a person named by surname later takes the state given where they were first named in full
        known: dict[str, str] = {}
        for p in people:
            if p.state:
                for k in p.key:
                    known.setdefault(k, p.state)
        self.people = people
        self.person_state = {
            id(p): p.state or next((known[k] for k in p.key if k in known), None) for p in people
        }
        self.dates = dates
        self.n = n_sentences
        self.published = published

    def span(self, sentence: int) -> range:
        return self.spans.get(sentence, range(0))

    def states(self, sentence: int, capitals: bool = False, people: bool = True) -> list[tuple[str, int]]:
        """(iso3, token index) of every state the sentence names: by name or adjective, through an
        organisation of that state ("Mısır Deniz Kuvvetleri", "UK's DSTL") or a person's nationality."""
        out: list[tuple[str, int]] = []
        for m in self.sent_matches.get(sentence, ()):
            e = m.first("state")
            if e is not None and e.key in self.g.states:
                if capitals or e.kind != "capital":
                    out.append((e.key, m.start))
                continue
            o = m.first("org")
            if o is not None:
                ref = self.g.orgs.get(o.key)
                if ref is not None and ref.state:
                    out.append((ref.state, m.start))
        if people:
            for p in self.people:
                st = self.person_state.get(id(p))
                if p.sentence == sentence and st:
                    out.append((st, p.start))
        return sorted(out, key=lambda x: x[1])

    def locative_state(self, sentence: int) -> str | None:
        """A state named with a locative suffix or after "in": where something takes place."""
        for m in self.sent_matches.get(sentence, ()):
            e = m.first("state")
            if e is None or e.kind == "adjective" or e.key not in self.g.states:
                continue
            suffix = self.tokens[m.end - 1].suffix
            prev = self.tokens[m.start - 1].key if m.start else ""
            if (suffix.startswith(_LOCATIVE) and not suffix.endswith(_RELATIVE)) or prev in _STATE_WHERE:
                return e.key
        return None

    def place(self, sentence: int) -> tuple[str, int] | None:
        """The first gazetteer place the sentence says something happens in ("in X", "X'te")."""
        best: tuple[int, int, str] | None = None
        for m in self.sent_matches.get(sentence, ()):
            e = m.first("place")
            if e is None:
                continue
            suffix = self.tokens[m.end - 1].suffix
            if suffix.endswith(_RELATIVE):
                continue
            prev = self.tokens[m.start - 1].key if m.start else ""
            nxt = self.tokens[m.end : m.end + 2]
            # "in London", "Londra'da", "Bakü/Azerbaycan'da"; a place named otherwise (a dateline, an
            # attribute) does not say where
            located = (
                suffix.startswith(_LOCATIVE)
                or prev in _PLACE_WHERE
                or (len(nxt) == 2 and nxt[0].key == "/" and nxt[1].suffix.startswith(_LOCATIVE))
            )
            if not located:
                continue
            cand = (0, m.start, e.key)
            if best is None or cand < best:
                best = cand
        return (best[2], best[1]) if best else None

    def dates_in(self, sentence: int) -> list[DateMention]:
        span = self.span(sentence)
        if not span:
            return []
        lo, hi = self.tokens[span.start].start, self.tokens[span.stop - 1].end
        return [d for d in self.dates if lo <= d.char_start < hi and d.start]

    def title_case(self, sentence: int) -> bool:
        """A headline in title case ("Azerbaijan, Turkey Launch Joint Military Exercises")."""
        words = [t for t in (self.tokens[i] for i in self.span(sentence)) if t.is_word and t.base.isalpha()]
        return len(words) >= 4 and sum(t.is_cap for t in words) / len(words) > 0.6

    def token_at(self, char: int) -> int:
        for t in self.tokens:
            if t.end > char:
                return t.position
        return len(self.tokens) - 1


def folded_words(text: str) -> set[str]:
    return {w for w in fold(text).replace("-", " ").split() if len(w) > 1}
