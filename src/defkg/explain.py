"""Every fact about a resource (a meeting, a person...) with the sentence and article it came from."""

from __future__ import annotations

from dataclasses import dataclass

from defkg.errors import QueryError
from defkg.store import Store

_EXPLAIN = """
SELECT ?s ?p ?o ?sentence ?article ?url ?headline WHERE {
  ?ev a dk:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:sentence ?sn .
  ?sn dk:text ?sentence ; prov:wasQuotedFrom ?article .
  FILTER(?s = ?x || ?o = ?x)
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:headline ?headline }
}
ORDER BY ?article ?s ?p ?o
"""


@dataclass(frozen=True)
class Explained:
    subject: str
    predicate: str
    object: str
    sentence: str
    article: str
    url: str | None
    headline: str | None


def _short(iri: str) -> str:
    from defkg.vocab import PREFIXES

    for p, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{p}:{iri[len(base) :]}"
    return iri


def resolve_iri(store: Store, spec: str) -> str:
    """A full IRI from an IRI, a prefixed name (dkr:person/...) or a path under dkr:."""
    from defkg.vocab import PREFIXES, RESOURCE_BASE

    spec = spec.strip("<>")
    if "://" in spec:
        return spec
    prefix, _, rest = spec.partition(":")
    if rest and prefix in PREFIXES:
        return PREFIXES[prefix] + rest
    return RESOURCE_BASE + spec.lstrip("/")


def explain(store: Store, iri: str) -> list[Explained]:
    if any(c in iri for c in '<>" {}|\\^`'):
        raise QueryError(f"not an IRI: {iri!r}")
    rows = store.query(_EXPLAIN.replace("?x", f"<{iri}>"))
    out = []
    for r in rows:
        v = [r[i].value if r[i] is not None else None for i in range(7)]
        out.append(
            Explained(
                _short(v[0] or ""),
                _short(v[1] or ""),
                _short(v[2]) if v[2] else "",
                v[3] or "",
                v[4] or "",
                v[5],
                v[6],
            )
        )
    return out
