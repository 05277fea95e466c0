"""Export the store: Turtle or N-Triples (all article graphs merged), TriG or N-Quads (one
named graph per article, with its provenance), JSON-LD (named graphs kept; expanded form, written
by Oxigraph)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from defkg.errors import DefkgError
from defkg.ingest import ONTOLOGY_GRAPH
from defkg.store import Store
from defkg.vocab import PREFIXES

FORMATS = {
    "turtle": ("ttl", ox.RdfFormat.TURTLE),
    "trig": ("trig", ox.RdfFormat.TRIG),
    "nt": ("nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("nq", ox.RdfFormat.N_QUADS),
    "jsonld": ("jsonld", ox.RdfFormat.JSON_LD),
}

_MERGED = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"


def _quads(store: Store) -> list[ox.Quad]:
    onto = ox.NamedNode(ONTOLOGY_GRAPH)
    return [q for q in store.quads() if q.graph_name != onto]


def export(store: Store, fmt: str, out: str | os.PathLike[str], name: str = "defkg") -> Path:
    """Write the store in ``fmt`` to ``out`` (a directory, or a file path with a suffix)."""
    if fmt not in FORMATS:
        raise DefkgError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
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
