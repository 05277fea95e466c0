"""Turtle files of the package (the ontology, the shapes) read into rdflib graphs by Oxigraph's
parser: rdflib's Turtle parser took ~0.05 s per file, and its import as much again, at the start of
every ingest (tests/test_ontology.py checks, for each file, that the graph is the one rdflib's parser
gives)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def read(path: Path, graph: Graph | None = None) -> Graph:
    """The triples of the Turtle file ``path`` added to ``graph`` (a new one if not given), with the
    file's prefixes bound. A blank node label of the file is one ``BNode`` within the call."""
    import pyoxigraph as ox

    g = Graph() if graph is None else graph
    bnodes: dict[str, BNode] = {}

    def term(t: Any) -> Node:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            b = bnodes.get(t.value)
            if b is None:
                b = bnodes[t.value] = BNode()
            return b
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))

    with path.open("rb") as f:
        parser = ox.parse(f, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        for triple in parser:
            g.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        for prefix, ns in parser.prefixes.items():
            g.bind(prefix, ns)
    return g
