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
from datetime import date

from defkg.textnorm import fold, slug
from defkg.vocab import RESOURCE_BASE


def _iri(*parts: str) -> str:
    return RESOURCE_BASE + "/".join(slug(p) if i else p for i, p in enumerate(parts))


def digest(*parts: object, length: int = 12) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:length]


def state(iso3: str) -> str:
    return RESOURCE_BASE + "state/" + slug(iso3).upper()


def organization(key: str) -> str:
    return _iri("org", key)


def person_key(name: str, state_iso3: str | None) -> str:
    tokens = sorted(fold(name).replace("-", " ").split())
    return f"{(state_iso3 or 'xxx').lower()}/{'-'.join(slug(t) for t in tokens) or 'x'}"


def person(name: str, state_iso3: str | None) -> str:
    return RESOURCE_BASE + "person/" + person_key(name, state_iso3)


def rank(key: str) -> str:
    return _iri("rank", key)


def role_post(role: str, state_iso3: str | None, accredited_to: str | None = None) -> str:
    parts = ["post", (state_iso3 or "xxx").lower(), role]
    if accredited_to:
        parts.append("to-" + accredited_to.lower())
    return _iri(*parts)


def post(state_iso3: str | None, org_key: str | None, title: str | None) -> str:
    return _iri("post", (state_iso3 or "xxx").lower(), org_key or "none", title or "member")


def role(key: str) -> str:
    return _iri("role", key)


def place(key: str) -> str:
    return _iri("place", key)


def topic(key: str) -> str:
    return _iri("topic", key)


def meeting_key(states: tuple[str, ...], start: date | None, article_id: str, ordinal: int) -> str:
    pair = "-".join(sorted(s.lower() for s in states)) or "unknown"
    when = start.isoformat() if start else f"undated-{slug(article_id)}-{ordinal}"
    return f"{pair}/{when}"


def meeting(states: tuple[str, ...], start: date | None, article_id: str, ordinal: int = 0) -> str:
    return RESOURCE_BASE + "meeting/" + meeting_key(states, start, article_id, ordinal)


def delegation(meeting_iri: str, state_iso3: str) -> str:
    return f"{meeting_iri}/delegation/{slug(state_iso3)}"


def stance(meeting_iri: str, kind: str, text: str) -> str:
    return f"{meeting_iri}/stance/{slug(kind)}-{digest(fold(text), length=10)}"


def article(article_id: str) -> str:
    return _iri("article", article_id)


def graph(article_id: str) -> str:
    return _iri("graph", article_id)


def evidence(article_id: str, *fact: object) -> str:
    return _iri("evidence", article_id, digest(*fact))


def is_own(iri: str) -> bool:
    return iri.startswith(RESOURCE_BASE)
