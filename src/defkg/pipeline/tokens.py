"""Tokens and the gazetteer matcher.

A token is a word with what follows its apostrophe ("Londra'da" -> base "Londra",
suffix "da"), or one punctuation mark. Matching runs over folded bases (Turkish lower
case, no diacritics), so "Yasar GULER" and "Yaşar Güler" meet the same entries. The
last word of a common-noun form may carry a Turkish suffix without an apostrophe
("Bakanlığı" matches "Bakanlığından"); proper nouns need the apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from defkg.gazetteer import Entry, grammar, load
from defkg.textnorm import fold

_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W_]+)?|\d+(?:'[^\W_]+)?|[^\w\s]")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
# categories whose last word may carry a Turkish suffix without an apostrophe
_SUFFIXABLE = frozenset({"title", "org", "role", "cue", "kind", "topic"})
_MAX_SUFFIX = 8
# "People's Republic": an English genitive after the apostrophe does not end a phrase
_EN_GENITIVE = frozenset(grammar("genitive", "en"))


class Token(NamedTuple):
    """One token (immutable; a named tuple rather than a frozen dataclass: an article has
    hundreds of tokens and a named tuple is made 3x faster)."""

    position: int  # its index in the tokens of the text
    start: int
    end: int
    text: str
    base: str  # the word before an apostrophe
    suffix: str  # what follows the apostrophe ("" if none)
    key: str  # folded base, or the punctuation mark

    @property
    def is_word(self) -> bool:
        return self.base[:1].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.base[:1].isupper()

    @property
    def is_upper(self) -> bool:
        return len(self.base) > 1 and self.base.isupper()


@lru_cache(maxsize=65536)
def _parts(word: str) -> tuple[str, str, str]:
    """(base, suffix, key) of a token's text."""
    base, _, suffix = word.partition("'")
    key = fold(base) if base[:1].isalnum() else base.translate(_DASHES)
    return base, suffix, key or base


def tokenize(text: str) -> tuple[Token, ...]:
    out = []
    new, parts = Token._make, _parts
    for n, m in enumerate(_TOKEN.finditer(text)):
        word = m.group()
        start, end = m.span()
        out.append(new((n, start, end, word, *parts(word))))
    return tuple(out)


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    entries: tuple[Entry, ...]
    char_start: int
    char_end: int
    # the first entry of each category: every match is asked (find_dates asks each for a month), so it
    # is made with the match rather than through a cached_property, whose first read takes a lock
    _by_category: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        out: dict[str, Entry] = {}
        for e in self.entries:
            out.setdefault(e.category, e)
        object.__setattr__(self, "_by_category", out)

    def first(self, category: str) -> Entry | None:
        return self._by_category.get(category)

    def has(self, category: str) -> bool:
        return category in self._by_category


@dataclass(frozen=True)
class _Form:
    entry: Entry
    acronym: str | None  # exact-case letters of an all-caps short form, which the text must match
    proper: bool  # must start with a capital letter in the text


class _Node(dict[str, "_Node"]):
    __slots__ = ("_stems", "forms", "stem_lengths")

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        # lengths of the keys of children that end a form which may take a suffix (longest
        # first): the only prefixes of a suffixed word worth looking up
        self.stem_lengths: tuple[int, ...] = ()
        self._stems: dict[str, tuple[_Node, ...]] = {}

    def stems(self, key: str) -> tuple[_Node, ...]:
        """The children with forms that ``key`` continues with a suffix ("bakanlığı" for
        "bakanlığından"), longest first; words recur, so each word is looked up once."""
        found = self._stems.get(key)
        if found is None:
            if len(self._stems) > 200_000:  # bounded: a long ingest meets ever new words
                self._stems.clear()
            lowest = max(2, len(key) - _MAX_SUFFIX)
            found = self._stems[key] = tuple(
                c
                for k in self.stem_lengths
                if lowest <= k < len(key) and (c := self.get(key[:k])) is not None and c.forms
            )
        return found

    def index_stems(self) -> None:
        lengths = {len(k) for k, c in self.items() if any(f.entry.category in _SUFFIXABLE for f in c.forms)}
        self.stem_lengths = tuple(sorted(lengths, reverse=True))
        for c in self.values():
            c.index_stems()


@cache
def trie(lang: str) -> _Node:
    root = _Node()
    for form, entry in load(lang).forms:
        toks = tokenize(form)
        if not toks:
            continue
        node = root
        for t in toks:
            node = node.setdefault(t.key, _Node())
        letters = "".join(t.base for t in toks if t.is_word)
        acronym = letters if (letters.isupper() and len(letters) <= 6) else None
        proper = entry.category in ("state", "place", "rank") and form[:1].isupper()
        node.forms.append(_Form(entry, acronym, proper))
    root.index_stems()
    return root


def _accept(form: _Form, tokens: tuple[Token, ...], i: int, j: int, continued: bool) -> bool:
    if continued and form.entry.category not in _SUFFIXABLE:
        return False
    if form.acronym is not None:
        written = "".join(t.base for t in tokens[i:j] if t.is_word)
        if written != form.acronym:
            return False
    return not (form.proper and not tokens[i].is_cap)


def find(tokens: tuple[Token, ...], lang: str) -> list[Match]:
    """Longest non-overlapping gazetteer matches, left to right."""
    root = trie(lang)
    suffixes = lang == "tr"  # only Turkish glues suffixes to words
    text_matches: list[Match] = []
    n = len(tokens)
    i = 0
    while i < n:
        best: tuple[int, list[Entry]] | None = None
        node = root
        j = i
        while j < n:
            tok = tokens[j]
            child = node.get(tok.key)
            # the Turkish suffix continuation of this word ("Bakanlığı" -> "Bakanlığından"), kept unless a
            # longer exact match follows
            if suffixes and node.stem_lengths and tok.is_word and not tok.suffix:
                for c in node.stems(tok.key):
                    ok = [f.entry for f in c.forms if _accept(f, tokens, i, j + 1, True)]
                    if ok:
                        best = (j + 1, ok)
                        break
            if child is None:
                break
            node = child
            j += 1
            if node.forms:
                ok = [f.entry for f in node.forms if _accept(f, tokens, i, j, False)]
                if ok:
                    best = (j, ok)
            if tok.suffix and not (lang == "en" and tok.suffix in _EN_GENITIVE):
                break  # a suffix ends the phrase (but "People's Republic")
        if best is None:
            i += 1
            continue
        end, entries = best
        text_matches.append(Match(i, end, tuple(entries), tokens[i].start, tokens[end - 1].end))
        i = end
    return text_matches
