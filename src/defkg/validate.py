"""SHACL validation of article graphs against ``ontology/shapes.ttl``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from defkg.errors import ValidationError

SHAPES = Path(__file__).parent / "ontology" / "shapes.ttl"


@lru_cache(maxsize=1)
def shapes_graph():  # type: ignore[no-untyped-def]
    from rdflib import Graph

    g = Graph()
    if SHAPES.exists():
        g.parse(SHAPES, format="turtle")
    return g


def report(graph) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    """(conforms, report text) for an rdflib graph."""
    from pyshacl import validate

    conforms, _, text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)
    return bool(conforms), str(text)


def check_graph(graph, source: str | None = None) -> None:  # type: ignore[no-untyped-def]
    if not len(shapes_graph()):
        return
    conforms, text = report(graph)
    if not conforms:
        first = next((ln.strip() for ln in text.splitlines() if "Message:" in ln), "does not conform")
        raise ValidationError(f"{source or graph.identifier}: graph does not conform to the shapes: {first}")
