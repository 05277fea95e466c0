"""Golden graphs: two articles we wrote, their expected RDF kept as Turtle in tests/golden/.

The graphs are compared with ``rdflib.compare.isomorphic``; on a difference the test prints the
triples only in the expected graph and only in the produced one. After an intended change of the
converter, regenerate with ``DEFKG_REGOLD=1 pytest tests/test_golden.py`` and review the diff.
"""

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from defkg.ingest import ntriples
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import build, to_graph

GOLDEN = Path(__file__).parent / "golden"
ARTICLES = sorted(GOLDEN.glob("*.txt"))


def produce(path: Path) -> Graph:
    article = reader.read_text(path.read_text(encoding="utf-8"), source=path.name)
    return to_graph(extract(article))


def readable(g: Graph) -> str:
    return "\n".join(sorted(" ".join(t.n3(g.namespace_manager) for t in triple) for triple in g))


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_golden_graph(path: Path):
    got = produce(path)
    expected_file = path.with_suffix(".ttl")
    if os.environ.get("DEFKG_REGOLD") or not expected_file.exists():
        got.serialize(expected_file, format="turtle")
        pytest.skip(f"wrote {expected_file.name}")
    expected = Graph().parse(expected_file, format="turtle")
    if not isomorphic(got, expected):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(
            f"graph differs from {expected_file.name}\n--- only expected:\n{readable(only_expected)}"
            f"\n+++ only produced:\n{readable(only_got)}"
        )


def test_reingesting_gives_the_same_graph():
    path = ARTICLES[0]
    assert isomorphic(produce(path), produce(path))


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_ingest_path_writes_the_golden_graph(path: Path):
    """Ingest never builds an rdflib Graph: it writes N-Triples straight from the built triples.
    Those N-Triples, parsed back, are the golden graph."""
    article = reader.read_text(path.read_text(encoding="utf-8"), source=path.name)
    built = build(extract(article))
    parsed = Graph().parse(data=ntriples(built), format="nt")
    assert len(parsed) == len(built)  # each triple once
    assert isomorphic(parsed, Graph().parse(path.with_suffix(".ttl"), format="turtle"))
