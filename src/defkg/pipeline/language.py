"""Language detection for Turkish and English reports, from letters and function words."""

from __future__ import annotations

import re
from functools import cache

from defkg.errors import InputError
from defkg.textnorm import tr_lower

_WORD = re.compile(r"[^\W\d_]+")


@cache
def function_words(lang: str) -> frozenset[str]:
    from defkg.gazetteer import lang_forms

    return frozenset(tr_lower(f) for f in lang_forms(lang, "function_words.tsv"))


@cache
def turkish_letters(role: str) -> tuple[str, ...]:
    """Letters of the Turkish alphabet of one role (``lang/tr/letters.tsv``): ``turkish``, the letters
    it writes beyond English's; ``distinctive``, those no other language shares together with it."""
    from defkg.gazetteer import lang_forms

    return tuple(dict.fromkeys(lang_forms("tr", "letters.tsv", role)))


@cache
def foreign_letters() -> tuple[str, ...]:
    """Letters of other Turkic Latin alphabets that Turkish does not use (``lang/tr/foreign_letters.tsv``)."""
    from defkg.gazetteer import lang_forms

    return tuple(lang_forms("tr", "foreign_letters.tsv"))


def detect(text: str, source: str | None = None) -> str:
    """``"tr"`` or ``"en"``; ``InputError`` when the text is in neither."""
    head = text[:20000]
    words = _WORD.findall(tr_lower(head))
    if not words:
        raise InputError("no words in the text: cannot tell its language", source)
    tr_words, en_words = function_words("tr"), function_words("en")
    # (a map over the set's bound method: cheaper than a generator expression)
    tr = sum(map(tr_words.__contains__, words)) + 0.5 * sum(map(head.count, turkish_letters("turkish"))) / 4
    en = sum(map(en_words.__contains__, words))
    total = len(words)
    if max(tr, en) < max(2, 0.03 * total):
        raise InputError("unknown language (defkg reads Turkish and English reports)", source)
    lang = "tr" if tr > en else "en"
    if lang == "tr" and sum(map(head.count, foreign_letters())) * 200 > max(len(head), 1):
        # Azerbaijani, Turkmen...: Turkish letters and words, with letters Turkish never writes (ə)
        raise InputError("unknown language (defkg reads Turkish and English reports)", source)
    # Turkish has letters no other Latin-script language shares (ğ, ı, ş together); English prose is
    # dense in its function words. Without them the text is in some third language.
    if len(words) > 30:
        distinct = sum(map(head.count, turkish_letters("distinctive")))
        if (lang == "tr" and distinct < 3) or (lang == "en" and en < 0.12 * total):
            raise InputError("unknown language (defkg reads Turkish and English reports)", source)
    return lang
