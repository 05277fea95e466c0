"""Sentence splitting that knows abbreviations, initials, ordinals ("2. Başkanı") and dates."""

from __future__ import annotations

import re
from functools import cache

from defkg.model import Sentence

# A boundary: ., ! or ? (optionally closing quotes/brackets) then space and an upper-case
# letter, digit or opening quote; or a line break.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”)\]]*\s+(?=[\"'“(\[]?[A-ZÇĞİÖŞÜ0-9])|\n+")


@cache
def _abbreviation() -> re.Pattern[str]:
    """The end of a text before a full stop that does not end a sentence: an abbreviation of either
    language (``lang/*/abbreviations.tsv``), an initial ("W. White") or a number ("2. Başkanı")."""
    from defkg.gazetteer import LANGUAGES, lang_forms

    words = {f for lang in LANGUAGES for f in lang_forms(lang, "abbreviations.tsv")}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?:\b(?:{alternatives})|\b[A-ZÇĞİÖŞÜ]|\b\d{{1,3}})\.$")


_NUMBER_END = re.compile(r"\b\d{1,3}\.$")


def split(text: str, lang: str = "tr") -> tuple[Sentence, ...]:
    """Split ``text`` into sentences with their character offsets. Turkish writes ordinals as a
    number and a full stop ("2. Ordu"); English does not, so there a number closes a sentence
    ("on Jan. 5. They met")."""
    out: list[Sentence] = []
    start = 0
    pieces: list[tuple[int, int]] = []
    for m in _BOUNDARY.finditer(text):
        end = m.start()
        before = text[max(0, end - 12) : end]
        ordinal_ok = not (lang == "en" and _NUMBER_END.search(before))
        if "\n" not in m.group(0) and _abbreviation().search(before) and ordinal_ok:
            continue  # "Dr. Christian", "2. Başkanı", "W. White"
        pieces.append((start, end))
        start = m.end()
    pieces.append((start, len(text)))
    for s, e in pieces:
        chunk = text[s:e]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        s2 = s + lead
        out.append(Sentence(len(out), s2, s2 + len(stripped), stripped))
    return tuple(out)
