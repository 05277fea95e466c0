"""The embedded, persistent store: Oxigraph (RocksDB) on disk, one named graph per article.

The pipeline builds and serialises graphs; the store holds them. A graph the store
does not hold yet is added by Oxigraph's bulk loader (``add_new_graphs``: index files
handed to RocksDB in one atomic ingest); a graph it holds is replaced by one SPARQL
Update (``DROP SILENT GRAPH`` + ``INSERT DATA``), which Oxigraph applies as a single
transaction. Either way, after a crash the store holds each article wholly or not at
all, and re-ingesting replaces the article's graph.

Every write also keeps the entity graph (``dkr:graph/entities``, see ``defkg.entities``) in
step: the entities the written (or replaced, or dropped) graphs refer to are described again,
in one transaction after the articles' own. A file ``ENTITIES_PENDING`` in the store's
directory marks the time in between: a process killed then leaves it behind, and the next
write open computes the entity graph again from the article graphs before anything else.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defkg.errors import StoreError
from defkg.namespaces import PREFIXES

GraphPayload = tuple[str, str]  # (graph IRI, N-Triples text)
# at most this many quads per bulk load: Oxigraph's loader ingests one atomic set of index files
# per 1,000,000 quads (DEFAULT_BULK_LOAD_BATCH_SIZE), so a load below that is all or nothing
BULK_QUADS = 500_000

# what RocksDB writes (a store killed while being created has some of these and no CURRENT yet)
_ROCKSDB_FILE = re.compile(
    r"CURRENT|IDENTITY|LOCK|LOG(\.old.*)?|MANIFEST-\d+|OPTIONS-\d+(\.dbtmp)?|\d+\.(log|sst|dbtmp)"
)
# what Oxigraph's bulk loader writes before RocksDB takes the files over (a random u128, in
# decimal, with or without a "bulk-" prefix and ".sst"); a load killed midway leaves them behind
_BULK_TEMP = re.compile(r"(bulk-)?\d{20,}(\.sst)?")
ENTITIES_PENDING = "defkg-entities.pending"
_IRI_OK = re.compile(r"[a-z][a-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*", re.IGNORECASE)


def _graph_ref(iri: str) -> str:
    """``<iri>`` for a SPARQL Update; refuses anything that is not an absolute IRI (no injection)."""
    if not _IRI_OK.fullmatch(iri):
        raise StoreError(f"not a valid graph IRI: {iri[:80]!r}")
    return f"<{iri}>"


class Store:
    """A defkg store at ``path``; opened read-write unless ``read_only``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        read_only: bool = False,
        create: bool = True,
        wait: float = 0.0,
    ) -> None:
        """``wait``: seconds to wait for another process (an ingest) to release the store's lock
        before giving up with a ``StoreError``; readers (``read_only``) never wait for writers."""
        self.path = Path(path)
        self.read_only = read_only
        self._keeping = False
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a directory, so not a defkg store")
        if not read_only and create and self.path.is_dir() and not (self.path / "CURRENT").exists():
            foreign = [f.name for f in self.path.iterdir() if not _ROCKSDB_FILE.fullmatch(f.name)]
            if foreign:  # never scatter a database among someone's files
                raise StoreError(
                    f"{self.path}: not a defkg store but a directory holding other files "
                    f"({', '.join(sorted(foreign)[:3])}{', ...' if len(foreign) > 3 else ''}); "
                    "give a new or empty directory"
                )
        if (read_only or not create) and not (self.path / "CURRENT").exists():
            raise StoreError(f"{self.path}: no defkg store here (run `defkg ingest ... --store {path}`)")
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                self._ox = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
                break
            except OSError as e:
                msg = str(e)
                if "lock" not in msg.lower():
                    raise StoreError(f"{self.path}: cannot open the store: {msg}") from e
                if time.monotonic() >= deadline:
                    waited = f" (waited {wait:g} s)" if wait > 0 else ""
                    raise StoreError(
                        f"{self.path}: the store is in use by another defkg process (an ingest){waited}; "
                        "wait for it to finish and try again, or give --wait SECONDS"
                    ) from e
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        if not read_only:
            self._remove_bulk_leftovers()
            if (self.path / ENTITIES_PENDING).exists():
                self.repair_entities()

    def _remove_bulk_leftovers(self) -> None:
        """Delete the files of a bulk load killed before RocksDB took them over (safe: this
        process holds the store's lock, so no load is running)."""
        for f in self.path.iterdir():
            if _BULK_TEMP.fullmatch(f.name) and f.is_file():
                f.unlink(missing_ok=True)

    # -- the entity graph ------------------------------------------------------------------------
    def repair_entities(self) -> None:
        """Compute the entity graph again from the article graphs (after a write was killed)."""
        from defkg import entities

        self._pending(True)
        entities.rebuild(self)
        self._pending(False)

    def _pending(self, on: bool) -> None:
        marker = self.path / ENTITIES_PENDING
        if on:
            marker.touch()
        else:
            marker.unlink(missing_ok=True)

    @contextmanager
    def keeping_entities(
        self, graph_iris: Iterable[str], existing: bool = True, mentions: dict[str, set[Any]] | None = None
    ) -> Iterator[None]:
        """Around a write of ``graph_iris``: describe again every entity they refer to, before
        (``existing``: graphs that may be in the store already) and after the write. Nested uses
        leave the work to the outermost one (which must name every graph written inside).
        ``mentions``: what the written graphs say of their entities (``entities.mentions_in`` of
        them after the write), when the caller knows it."""
        from defkg import entities

        graphs = [g for g in graph_iris if g != entities.ENTITY_GRAPH]
        if not graphs or self._keeping:
            yield
            return
        before = entities.mentioned_in(self, graphs) if existing else set()
        self._pending(True)
        self._keeping = True
        try:
            yield
        finally:  # also after a failed write: part of a bulk load may be in
            self._keeping = False
            after = mentions if mentions is not None else entities.mentions_in(self, graphs)
            only_added = None if before else (set(graphs), after)
            entities.refresh(self, before | set(after), only_added)
            self._pending(False)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one transaction); for the store's own bookkeeping."""
        self._write(sparql)

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Atomically replace the named graph ``graph_iri`` by the given N-Triples."""
        self.replace_graphs([(graph_iri, ntriples)])

    def replace_graphs(self, payloads: Iterable[GraphPayload]) -> None:
        """Atomically replace several named graphs in one transaction."""
        parts, iris = [], []
        for graph_iri, nt in payloads:
            g = _graph_ref(graph_iri)
            iris.append(graph_iri)
            parts.append(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{nt}\n}} }}")
        if not parts:
            return
        with self.keeping_entities(iris):
            self._write(" ;\n".join(parts))

    def has_graph(self, graph_iri: str) -> bool:
        return bool(self._ox.contains_named_graph(ox.NamedNode(graph_iri)))

    def add_new_graphs(self, payloads: Iterable[GraphPayload]) -> None:
        """Add named graphs the store does not hold yet, fast, each wholly or not at all.

        This is Oxigraph's bulk loader (about 4x faster than a transaction): it sorts the
        quads into one new file per index and hands all of them to RocksDB's
        ``IngestExternalFiles`` in one call, which RocksDB records atomically across the
        indexes (after a crash, all of the files are in or none). The loader writes one such
        set of files per million quads, so each call here loads at most ``BULK_QUADS`` quads:
        every article of a call is in the store wholly or not at all. Graphs the store already
        holds must go through ``replace_graphs`` (the loader only adds).
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        payloads = list(payloads)
        with self.keeping_entities([g for g, _ in payloads], existing=False):
            chunk: list[str] = []
            size = 0
            for graph_iri, nt in payloads:
                g = f" {_graph_ref(graph_iri)} .\n"
                quads = nt.count(" .\n")
                if chunk and size + quads > BULK_QUADS:
                    self._bulk("".join(chunk))
                    chunk, size = [], 0
                chunk.append(nt.replace(" .\n", g))  # N-Triples -> N-Quads of that graph
                size += quads
            if chunk:
                self._bulk("".join(chunk))

    def _bulk(self, nquads: str) -> None:
        try:
            self._ox.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"{self.path}: write failed: {e}") from e

    def drop_graph(self, graph_iri: str) -> None:
        ref = _graph_ref(graph_iri)
        with self.keeping_entities([graph_iri]):
            self._write(f"DROP SILENT GRAPH {ref}")

    def _write(self, update: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            self._ox.update(update)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"{self.path}: write failed: {e}") from e

    # -- ready N-Quads (ingest's workers, the shards of ``defkg extract``) ------------------------
    def is_empty(self) -> bool:
        """No quad at all (a store just created)."""
        return next(iter(self._ox.quads_for_pattern(None, None, None, None)), None) is None

    def load_first(self, nquads: Iterable[bytes], quads: int, lenient: bool = False) -> None:
        """Fill an empty store in one bulk load, wholly or not at all: every graph of its first
        write, the entity graph of those graphs included (``entities.first_description``), so that
        nothing is left for ``keeping_entities`` to do. Oxigraph's loader compresses its files and
        a full compaction (``optimize``) of a store written by one load has nothing to merge; once
        a compaction merges writes, a store under a few GB keeps them uncompressed
        (benchmarks/README.md, "Store bytes"). ``quads``: how many, at most ``BULK_QUADS``."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        if quads > BULK_QUADS:
            raise StoreError(f"{self.path}: {quads} quads are more than one load holds ({BULK_QUADS})")
        if not self.is_empty():
            raise StoreError(f"{self.path}: not empty: its first load is over")
        self._bulk_from(b"".join(nquads), None, lenient)

    def add_new_nquads(
        self,
        payloads: Iterable[tuple[str, bytes, int]],
        lenient: bool = False,
        mentions: dict[str, set[Any]] | None = None,
    ) -> None:
        """``add_new_graphs`` for graphs given as ready N-Quads: (graph IRI, the graph's quads as
        UTF-8 N-Quads bytes, how many). What ingest's workers hand over: the parent only joins them.

        ``lenient``: the parser does not check IRIs again (half its cost, ~8 % of a load): only for
        N-Quads ``defkg.ingest.nquads`` wrote, whose IRIs are escaped as they are written.
        ``mentions``: the graphs' ``dk:mentionedAs`` (entity IRI -> its literals, as
        ``entities.mentions_in`` gives them), when the caller has them (ingest's workers): the
        entity graph is then updated without reading them back."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        payloads = list(payloads)
        for graph_iri, _, _ in payloads:
            _graph_ref(graph_iri)
        with self.keeping_entities([g for g, _, _ in payloads], existing=False, mentions=mentions):
            chunk: list[bytes] = []
            size = 0
            for _, nq, quads in payloads:
                if chunk and size + quads > BULK_QUADS:
                    self._bulk_from(b"".join(chunk), None, lenient)
                    chunk, size = [], 0
                chunk.append(nq)
                size += quads
            if chunk:
                self._bulk_from(b"".join(chunk), None, lenient)

    def bulk_load_nquads(self, nquads: bytes) -> None:
        """Bulk-load N-Quads bytes (at most ``BULK_QUADS`` quads, to stay one atomic load). The entity
        graph is not updated: wrap the loads in ``keeping_entities`` (or call ``repair_entities``)."""
        self._bulk_from(nquads, None)

    def bulk_load_file(self, path: str | os.PathLike[str]) -> None:
        """Bulk-load an N-Quads file (a shard of ``defkg extract``): wholly or not at all when it holds
        at most 1,000,000 quads (see ``add_new_graphs``); only adds, like the loader."""
        self._bulk_from(None, path)

    def _bulk_from(
        self, data: bytes | None, path: str | os.PathLike[str] | None, lenient: bool = False
    ) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            if path is not None:
                self._ox.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            else:
                self._ox.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=lenient)
        except (OSError, SyntaxError, ValueError) as e:
            where = f"loading {path}" if path is not None else "write"
            raise StoreError(f"{self.path}: {where} failed: {e}") from e

    def optimize(self) -> None:
        """Compact the store's files (RocksDB's full compaction). Queries after a bulk load run
        about twice as fast; the cost grows with the whole store (~1.7 s per million triples)."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        try:
            self._ox.optimize()
        except OSError as e:
            raise StoreError(f"{self.path}: optimize failed: {e}") from e

    def disk_bytes(self) -> int:
        """Bytes of the store's data files on disk (RocksDB may delete files meanwhile: a
        compaction runs in the background)."""
        total = 0
        for f in self.path.glob("*.sst"):
            try:
                total += f.stat().st_size
            except FileNotFoundError:
                continue
        return total

    def flush(self) -> None:
        if not self.read_only:
            self._ox.flush()

    # -- reading ---------------------------------------------------------------------------------
    def quads(
        self, subject: Any = None, predicate: Any = None, obj: Any = None, graph: Any = None
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (pyoxigraph terms or None; all by default), from an index."""
        return iter(self._ox.quads_for_pattern(subject, predicate, obj, graph))

    def query(self, sparql: str, union: bool = True) -> Any:
        """Run a SPARQL query over the union of all graphs; returns pyoxigraph results."""
        return self._ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._ox)

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
def open_store(path: str | os.PathLike[str], read_only: bool = False, wait: float = 0.0) -> Iterator[Store]:
    store = Store(path, read_only=read_only, create=not read_only, wait=wait)
    try:
        yield store
    finally:
        store.close()
