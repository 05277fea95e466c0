"""Ingest articles into a store: read -> extract -> RDF -> validate -> replace the article's graph."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from defkg.errors import DefkgError, InputError
from defkg.model import Article
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import to_graph
from defkg.store import Store

ONTOLOGY_GRAPH = "https://w3id.org/defkg/ontology"


@dataclass
class IngestReport:
    articles: int = 0
    meetings: int = 0
    triples: int = 0
    errors: list[DefkgError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def ontology_files() -> list[Path]:
    here = Path(__file__).parent / "ontology"
    return [here / "defkg.ttl"]


def ensure_ontology(store: Store) -> None:
    """Load the ontology into its own named graph (used for labels of statuses, kinds...)."""
    from rdflib import Graph

    g = Graph()
    for f in ontology_files():
        if f.exists():
            g.parse(f, format="turtle")
    if len(g):
        store.replace_graph(ONTOLOGY_GRAPH, g.serialize(format="nt"))


def article_ntriples(article: Article, validate: bool = True) -> tuple[str, str, int, int]:
    """(graph IRI, N-Triples, meeting count, triple count) for one article."""
    extraction = extract(article)
    graph = to_graph(extraction)
    if validate:
        from defkg.validate import check_graph

        check_graph(graph, source=article.source)
    return str(graph.identifier), graph.serialize(format="nt"), len(extraction.meetings), len(graph)


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store_path: str | os.PathLike[str],
    validate: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
    batch_size: int = 64,
) -> IngestReport:
    report = IngestReport()
    with Store(store_path) as store:
        if ONTOLOGY_GRAPH not in store.graphs():
            ensure_ontology(store)
        batch: list[tuple[str, str]] = []
        for path in reader.expand([Path(p) for p in paths]):
            for item in reader.read_path(path):
                if isinstance(item, InputError):
                    report.errors.append(item)
                    continue
                try:
                    g_iri, nt, meetings, triples = article_ntriples(item, validate)
                except DefkgError as e:
                    report.errors.append(e)
                    continue
                batch.append((g_iri, nt))
                report.articles += 1
                report.meetings += meetings
                report.triples += triples
                if len(batch) >= batch_size:
                    store.replace_graphs(batch)
                    batch.clear()
                if progress:
                    progress(report)
        store.replace_graphs(batch)
    if not Path(store_path).exists():
        raise InputError("nothing was ingested", str(store_path))
    return report
