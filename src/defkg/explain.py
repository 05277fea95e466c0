"""Every fact about a resource (a meeting, a person...) with the sentence and article it came from."""

from __future__ import annotations

from dataclasses import dataclass

from defkg.errors import QueryError
from defkg.store import Store

# The resource as the subject or the object of a fact with evidence: two look-ups of the bound
# IRI (a FILTER over every evidence node took 3.3 s for one meeting on 1M quads; now ~5 ms).
_EXPLAIN = """
SELECT ?s ?p ?o ?sentence ?article ?url ?headline WHERE {
  {
    ?ev rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?o .
    BIND(?x AS ?s)
  } UNION {
    ?ev rdf:object ?x ; rdf:predicate ?p ; rdf:subject ?s .
    FILTER(?s != ?x)
    BIND(?x AS ?o)
  }
  ?ev dk:sentence ?sn .
  ?sn dk:text ?sentence ; prov:wasQuotedFrom ?article .
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
    """The IRI as SPARQL reads it (``dkr:meeting\\/gbr-tur\\/2025-05-29``), to paste into a query."""
    from defkg.resolve import sparql_name

    return sparql_name(iri)


def resolve_iri(store: Store, spec: str) -> str:
    """A full IRI from an IRI, a prefixed name (``dkr:person/...``, or escaped as defkg prints it:
    ``dkr:person\\/...``) or a path under dkr:."""
    from defkg.resolve import expand
    from defkg.vocab import RESOURCE_BASE

    return expand(spec) or RESOURCE_BASE + spec.strip("<>").lstrip("/")


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
                _short(v[2]) if v[2] and type(r[2]).__name__ == "NamedNode" else (v[2] or ""),
                v[3] or "",
                v[4] or "",
                v[5],
                v[6],
            )
        )
    return out
