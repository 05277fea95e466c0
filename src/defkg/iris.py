"""Deterministic IRIs from normalised keys.

The same key always gives the same IRI, so re-ingesting an article gives the same
graph and two articles reporting the same person or meeting share one node:

* a person is keyed by their state and their name's folded tokens, sorted
  ("Yaşar Güler" = "Yasar GULER"; "NAKATANI Gen" = "Gen Nakatani");
* a meeting is keyed by its sorted state pair and start date.

Only ``[A-Za-z0-9-/]`` ever reaches an IRI path, whatever the input text.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache

from defkg.textnorm import fold, slug
from defkg.vocab import RESOURCE_BASE

_SAFE = re.compile(re.escape(RESOURCE_BASE) + r"[A-Za-z0-9/-]+")

# the parts of IRIs recur (article ids, keys, sentence numbers): each is slugged once
_slug = lru_cache(maxsize=16384)(slug)


def _iri(*parts: str) -> str:
    return RESOURCE_BASE + "/".join(_slug(p) if i else p for i, p in enumerate(parts))


def digest(*parts: object, length: int = 12) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:length]


def state(iso3: str) -> str:
    return RESOURCE_BASE + "state/" + _slug(iso3).upper()


def organization(key: str) -> str:
    return _iri("org", key)


def _token(token: str) -> str:
    """A name token's slug; a token in a script that folds to nothing ASCII (Cyrillic, Arabic...)
    gets a digest instead, so that two such names do not share one IRI."""
    s = slug(token)
    return s if s != "x" or token == "x" else "u" + digest(token, length=8)


def _code(iso3: str | None) -> str:
    return _slug(iso3) if iso3 else "xxx"


@lru_cache(maxsize=8192)  # people recur across articles
def person_key(name: str, state_iso3: str | None) -> str:
    tokens = sorted(fold(name).replace("-", " ").split())
    return f"{_code(state_iso3)}/{'-'.join(_token(t) for t in tokens) or 'x'}"


def person(name: str, state_iso3: str | None) -> str:
    return RESOURCE_BASE + "person/" + person_key(name, state_iso3)


def rank(key: str) -> str:
    return _iri("rank", key)


def role_post(role: str, state_iso3: str | None, accredited_to: str | None = None) -> str:
    """A state's post of a role ("the ambassador of Türkiye to the United Kingdom"):
    ``role/ambassador/tur/gbr``, under the role it is a post of."""
    parts = ["role", role, _code(state_iso3)]
    if accredited_to:
        parts.append(accredited_to.lower())
    return _iri(*parts)


def post(state_iso3: str | None, org_key: str | None, title: str | None) -> str:
    return _iri("post", _code(state_iso3), org_key or "none", title or "member")


def role(key: str) -> str:
    return _iri("role", key)


def place(key: str) -> str:
    return _iri("place", key)


def topic(key: str) -> str:
    return _iri("topic", key)


def meeting_key(states: tuple[str, ...], start: date | None, article_id: str, ordinal: int) -> str:
    pair = "-".join(sorted(_slug(s) for s in states)) or "unknown"
    when = _slug(start.isoformat()) if start else f"undated-{_slug(article_id)}-{int(ordinal)}"
    return f"{pair}/{when}"


def meeting(states: tuple[str, ...], start: date | None, article_id: str, ordinal: int = 0) -> str:
    return RESOURCE_BASE + "meeting/" + meeting_key(states, start, article_id, ordinal)


def _own(iri: str) -> str:
    """An IRI minted here (only ``[A-Za-z0-9-/]`` after the base); ``ValueError`` otherwise."""
    if not _SAFE.fullmatch(iri):
        raise ValueError(f"not an IRI minted by defkg.iris: {iri[:80]!r}")
    return iri


def delegation(meeting_iri: str, state_iso3: str) -> str:
    return f"{_own(meeting_iri)}/delegation/{slug(state_iso3)}"


def stance(meeting_iri: str, kind: str, text: str) -> str:
    return f"{_own(meeting_iri)}/stance/{slug(kind)}-{digest(fold(text), length=10)}"


def article(article_id: str) -> str:
    return _iri("article", article_id)


def graph(article_id: str) -> str:
    return _iri("graph", article_id)


def sentence(article_id: str, index: int) -> str:
    return _iri("sentence", article_id, str(int(index)))


def evidence_label(article_id: str, *fact: object) -> str:
    """The blank node label of a fact's evidence node in its article's graph: a digest of the
    article and the fact (96 bits), so that the same fact and sentence give one node within an
    article, and no two articles' nodes share a label in one load (the store renames blank nodes
    as it loads them; a label that two graphs of one load shared would be one node)."""
    return "e" + digest(article_id, *fact, length=24)
