"""Language detection for Turkish and English reports, from letters and function words."""

from __future__ import annotations

import re

from defkg.errors import InputError
from defkg.textnorm import tr_lower

_TR_LETTERS = set("çğıöşüİı")
_TR_WORDS = frozenset(
    "ve ile bir bu da de için olarak ise ki gibi kadar daha çok en sonra göre arasında ilgili "
    "tarafından olan oldu etti yaptı bulundu edildi dedi ayrıca ancak üzere kapsamında".split()
)
_EN_WORDS = frozenset(
    "the and of to in a is was for on with by that as at from his her their its an are were "
    "has have had said which this will be".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str, source: str | None = None) -> str:
    """``"tr"`` or ``"en"``; ``InputError`` when the text is in neither."""
    words = [tr_lower(w) for w in _WORD.findall(text[:20000])]
    if not words:
        raise InputError("no words in the text: cannot tell its language", source)
    tr = sum(w in _TR_WORDS for w in words) + 0.5 * sum(ch in _TR_LETTERS for ch in text[:20000]) / 4
    en = sum(w in _EN_WORDS for w in words)
    total = len(words)
    if max(tr, en) < max(2, 0.03 * total):
        raise InputError("unknown language (defkg reads Turkish and English reports)", source)
    return "tr" if tr > en else "en"
