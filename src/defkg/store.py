"""The embedded, persistent store: Oxigraph (RocksDB) on disk, one named graph per article.

rdflib builds and serialises graphs; the store holds them. Writing an article's
graph is one SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA``), which Oxigraph
applies as a single transaction: after a crash the store holds each article
wholly or not at all, and re-ingesting replaces the article's graph.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from defkg.errors import StoreError
from defkg.vocab import PREFIXES

GraphPayload = tuple[str, str]  # (graph IRI, N-Triples text)


class Store:
    """A defkg store at ``path``; opened read-write unless ``read_only``."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only or not create:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"{self.path}: no defkg store here (run `defkg ingest ... --store {path}`)")
        try:
            self._ox = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreError(
                    f"{self.path}: the store is in use by another defkg process (ingest); "
                    "wait for it to finish and try again"
                ) from e
            raise StoreError(f"{self.path}: cannot open the store: {msg}") from e

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Atomically replace the named graph ``graph_iri`` by the given N-Triples."""
        self.replace_graphs([(graph_iri, ntriples)])

    def replace_graphs(self, payloads: Iterable[GraphPayload]) -> None:
        """Atomically replace several named graphs in one transaction."""
        parts = []
        for graph_iri, nt in payloads:
            parts.append(f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}\n}} }}")
        if not parts:
            return
        self._write(" ;\n".join(parts))

    def drop_graph(self, graph_iri: str) -> None:
        self._write(f"DROP SILENT GRAPH <{graph_iri}>")

    def _write(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            self._ox.update(update)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"{self.path}: write failed: {e}") from e

    def flush(self) -> None:
        if not self.read_only:
            self._ox.flush()

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, union: bool = True):  # type: ignore[no-untyped-def]
        """Run a SPARQL query over the union of all graphs; returns pyoxigraph results."""
        return self._ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._ox.quads_for_pattern(None, None, None, None))

    def dump(self, output: str | os.PathLike[str], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Serialise the whole dataset (or one graph, or the union for triple formats) to a file."""
        kwargs: dict = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
        if graph is not None:
            kwargs["from_graph"] = ox.NamedNode(graph)
        self._ox.dump(str(output), fmt, **kwargs)

    def close(self) -> None:
        if not self.read_only:
            self._ox.flush()
        del self._ox

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def open_store(path: str | os.PathLike[str], read_only: bool = False) -> Iterator[Store]:
    store = Store(path, read_only=read_only, create=not read_only)
    try:
        yield store
    finally:
        store.close()
