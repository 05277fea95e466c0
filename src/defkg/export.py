"""Export the store: Turtle or N-Triples (all article graphs merged), TriG or N-Quads (one
named graph per article, with its provenance), JSON-LD (named graphs kept; expanded form, written
by Oxigraph)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from defkg.errors import InputError
from defkg.namespaces import ONTOLOGY_GRAPH, PREFIXES
from defkg.store import Store

FORMATS = {
    "turtle": ("ttl", ox.RdfFormat.TURTLE),
    "trig": ("trig", ox.RdfFormat.TRIG),
    "nt": ("nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("nq", ox.RdfFormat.N_QUADS),
    "jsonld": ("jsonld", ox.RdfFormat.JSON_LD),
}

# other names people give the formats (file suffixes, media type names), case-insensitive
ALIASES = {
    "ttl": "turtle",
    "n-triples": "nt",
    "ntriples": "nt",
    "nq": "nquads",
    "n-quads": "nquads",
    "json-ld": "jsonld",
    "json": "jsonld",
}


def canonical_format(name: str) -> str:
    """The export format ``name`` (or one of its aliases, any case) stands for; ``InputError`` with
    "did you mean" otherwise."""
    key = name.strip().lower()
    if key in FORMATS:
        return key
    if key in ALIASES:
        return ALIASES[key]
    from defkg.sparql_errors import did_you_mean

    raise InputError(
        f"unknown export format {name!r}{did_you_mean(key, [*FORMATS, *ALIASES])} "
        f"(one of {', '.join(FORMATS)}; also {', '.join(ALIASES)})"
    )


_MERGED = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"


def _quads(store: Store) -> list[ox.Quad]:
    onto = ox.NamedNode(ONTOLOGY_GRAPH)
    return [q for q in store.quads() if q.graph_name != onto]


def export(store: Store, fmt: str, out: str | os.PathLike[str], name: str = "defkg") -> Path:
    """Write the store in ``fmt`` (a name of ``FORMATS`` or an alias: ttl, json-ld...) to ``out``
    (a directory, or a file path with a suffix)."""
    fmt = canonical_format(fmt)
    suffix, rdf_format = FORMATS[fmt]
    target = Path(out)
    if target.suffix == "":
        target.mkdir(parents=True, exist_ok=True)
        target = target / f"{name}.{suffix}"
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if fmt in ("turtle", "nt"):
        triples = list(store.query(_MERGED, union=False))
        ox.serialize(triples, str(tmp), rdf_format, prefixes=PREFIXES if fmt == "turtle" else None)
    elif fmt in ("trig", "nquads"):
        ox.serialize(_quads(store), str(tmp), rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
    else:  # expanded JSON-LD (full IRIs), straight from Oxigraph: ~10x faster than through rdflib
        ox.serialize(_quads(store), str(tmp), ox.RdfFormat.JSON_LD)
    os.replace(tmp, target)
    return target
