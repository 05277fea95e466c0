"""Shards: the article graphs as N-Quads files, for a map step run anywhere and a bulk load later.

``extract(paths, out)`` reads and extracts articles (worker processes, as ``ingest`` does) and
writes their graphs to ``out/part-NNNNN.nq``: N-Quads, each article's quads together, at most
``SHARD_QUADS`` quads a file. Next to each shard, ``part-NNNNN.graphs`` lists its graph IRIs
in order (one a line), so the loader knows what a shard replaces without parsing it. A shard
is written under a temporary name and renamed when complete: a directory only ever holds
whole shards.

``load(shards, store)`` bulk-loads shards in name order. A shard whose graphs the store does
not hold yet is handed to Oxigraph's bulk loader as a file (one atomic ingest: a shard is below
the loader's 1,000,000-quad unit); graphs the store already holds are replaced in one
transaction, as ``ingest`` does; so loading shards gives the store a local ``ingest`` of the
same inputs would give (a later article of the same id wins: within a shard, the extractor
keeps the last; across shards, the later shard).

The entity graph (``defkg.entities``): article graphs only name the entities they refer to
(with the forms they used, ``dk:mentionedAs``); their descriptions live in one graph of their
own, a function of those forms. ``extract`` also writes ``entities.nq``, the entity graph of
the extracted articles, so that the shards hold a whole dataset. ``load`` does not load it:
the store describes the entities of what it loads again, from every article graph it holds
(``Store.keeping_entities``), as ``ingest`` does. Into an empty store, the one shard of an
extract goes in one bulk load with the ontology and its entity graph, as ingest's first batch
does (``_load_into_empty``: the store stays compressed; the same quads).

The files are plain N-Quads: any RDF store's loader reads them too, e.g. a shared Oxigraph
server's ``oxigraph load --location DIR --file shards/*.nq`` (``entities.nq`` included; the
ontology graph then has to be loaded once as well: ``ontology/defkg.ttl`` into graph
``https://w3id.org/defkg/ontology``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from defkg import ingest as _ingest
from defkg.errors import DefkgError, InputError
from defkg.store import BULK_QUADS, Store
from defkg.vocab import DK

ENTITIES = "entities"  # the entity graph's shard: entities.nq
SHARD_QUADS = 400_000  # quads per shard at most (a shard is one atomic bulk load: below BULK_QUADS)
SUFFIX = ".nq"
INDEX_SUFFIX = ".graphs"


@dataclass
class ShardReport:
    """What an extract or a load did."""

    articles: int = 0
    meetings: int = 0
    quads: int = 0
    shards: list[Path] = field(default_factory=list)
    errors: list[DefkgError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chars: int = 0
    # (entity IRI, form) pairs of the written graphs, as ``entities.entity_graph`` takes them
    mentions: set[tuple[str, tuple[str, str | None]]] = field(default_factory=set)
    entities: Path | None = None  # the entity graph's shard (extract)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, other: ShardReport) -> None:
        self.articles += other.articles
        self.meetings += other.meetings
        self.quads += other.quads
        self.shards += other.shards
        self.errors += other.errors
        self.warnings += other.warnings
        self.chars += other.chars
        self.mentions |= other.mentions


class ShardWriter:
    """Writes (graph IRI, N-Quads bytes, quads) items to ``out/<prefix>-NNNNN.nq`` shards.

    Within a shard a later item of the same graph replaces the earlier one (as in ``ingest``);
    an item that would overflow the shard starts the next one (an article is never split)."""

    def __init__(self, out: str | os.PathLike[str], prefix: str = "part", limit: int = SHARD_QUADS) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise InputError("not a directory", str(self.out))
        self.out.mkdir(parents=True, exist_ok=True)
        self.prefix, self.limit = prefix, min(limit, BULK_QUADS)
        self.items: dict[str, tuple[bytes, int]] = {}
        self.size = 0
        self.written: list[Path] = []
        self.mentions: set[tuple[str, tuple[str, str | None]]] = set()

    def add(self, graph_iri: str, nq: bytes, quads: int) -> None:
        old = self.items.pop(graph_iri, None)
        if old is not None:
            self.size -= old[1]
        if self.items and self.size + quads > self.limit:
            self.flush()
        self.items[graph_iri] = (nq, quads)
        self.size += quads

    def flush(self) -> None:
        if not self.items:
            return
        self.mentions |= mentions(nq for nq, _ in self.items.values())
        path = self.out / f"{self.prefix}-{len(self.written):05d}{SUFFIX}"
        index = path.with_suffix(INDEX_SUFFIX)
        tmp, tmp_index = path.with_name(path.name + ".part"), index.with_name(index.name + ".part")
        try:
            with tmp.open("wb") as f:
                for nq, _ in self.items.values():
                    f.write(nq)
            tmp_index.write_text("".join(f"{g}\n" for g in self.items), encoding="utf-8")
            os.replace(tmp_index, index)  # the index first: a shard is complete once its .nq exists
            os.replace(tmp, path)
        except OSError as e:
            raise InputError(f"cannot write a shard: {e.strerror or e}", str(path)) from e
        self.written.append(path)
        self.items, self.size = {}, 0

    def close(self) -> list[Path]:
        self.flush()
        return self.written


def collect(
    results: Iterable[_ingest.Result],
    writer: ShardWriter,
    progress: Callable[[ShardReport], None] | None = None,
) -> ShardReport:
    """Write the ``ok`` results of ingest's workers to ``writer``; count everything into a report."""
    report = ShardReport()
    for res in results:
        if res[0] == "error":
            report.errors.append(res[1])
        elif res[0] == "warning":
            report.warnings.append(res[1])
        else:
            _, g_iri, nq, meetings, quads, chars = res[:6]
            writer.add(g_iri, nq, quads)
            report.articles += 1
            report.meetings += meetings
            report.quads += quads
            report.chars += chars
        if progress:
            progress(report)
    report.shards = writer.close()
    report.mentions = writer.mentions
    return report


def mentions(payloads: Iterable[bytes]) -> set[tuple[str, tuple[str, str | None]]]:
    """The (entity IRI, form) pairs of article graphs given as N-Quads (their ``dk:mentionedAs``
    quads; the form only for entities described from forms, as ``entities.rebuild`` reads them)."""
    import pyoxigraph as ox

    from defkg import entities
    from defkg.vocab import DK

    marker = f" <{DK.mentionedAs}> ".encode()
    lines = [ln for nq in payloads for ln in nq.split(b"\n") if marker in ln]
    out: set[tuple[str, tuple[str, str | None]]] = set()
    if not lines:
        return out
    for q in ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_QUADS):
        iri, form = q.subject.value, q.object
        keep = entities.needs_forms(iri) and isinstance(form, ox.Literal)
        out.add((iri, (form.value, form.language or None) if keep else ("", None)))
    return out


def write_entities(out: str | os.PathLike[str], found: Iterable[tuple[str, tuple[str, str | None]]]) -> Path:
    """Write ``out/entities.nq``: the entity graph of the given mentions (``ShardReport.mentions``)."""
    from defkg import entities

    writer = ShardWriter(out, ENTITIES, limit=BULK_QUADS)
    triples = list(entities.entity_graph(found))
    writer.add(entities.ENTITY_GRAPH, _ingest.nquads(triples, entities.ENTITY_GRAPH), len(triples))
    writer.mentions = set()
    path = writer.close()[0]
    final = path.with_name(ENTITIES + SUFFIX)
    os.replace(path.with_suffix(INDEX_SUFFIX), final.with_suffix(INDEX_SUFFIX))
    os.replace(path, final)
    return final


def extract(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    validate: bool = True,
    jobs: int | None = None,
    prefix: str = "part",
    limit: int = SHARD_QUADS,
    progress: Callable[[ShardReport], None] | None = None,
) -> ShardReport:
    """Extract every article under ``paths`` into N-Quads shards in ``out``, and their entity graph
    into ``out/entities.nq`` (errors are collected)."""
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    results = _ingest._results(_ingest._units(paths), validate, jobs)
    try:
        report = collect(results, ShardWriter(out, prefix, limit), progress)
    finally:
        results.close()
    if report.shards:
        drop_superseded(report.shards)
        report.entities = write_entities(out, report.mentions)
    return report


def drop_superseded(files: list[Path]) -> int:
    """Remove from each shard the graphs a later shard of ``files`` (in load order) holds again: the
    same article came twice, and the later one wins, as in ``ingest``; so that the shards are a
    dataset for any loader, not only for ``load``. Rare: shards are read only where it happens.
    Returns how many graphs were dropped."""
    seen: set[str] = set()
    dropped = 0
    for shard in sorted(files, key=lambda f: f.name, reverse=True):
        graphs = _graphs_of(shard)
        again = {g for g in graphs if g in seen}
        seen.update(graphs)
        if not again:
            continue
        _, rest = _split_by_graph(shard, again)
        index = shard.with_suffix(INDEX_SUFFIX)
        tmp, tmp_index = shard.with_name(shard.name + ".part"), index.with_name(index.name + ".part")
        tmp.write_bytes(b"".join(rest))
        tmp_index.write_text("".join(f"{g}\n" for g in graphs if g not in again), encoding="utf-8")
        os.replace(tmp_index, index)
        os.replace(tmp, shard)
        dropped += len(again)
    return dropped


def shard_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The shards under ``paths`` (``.nq`` files, directories searched), in load order: by name."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob(f"*{SUFFIX}") if f.is_file())
        elif p.is_file():
            found.append(p)
        else:
            raise InputError("no such file or directory", str(p))
    return sorted(found, key=lambda f: (f.name, str(f)))


def _graphs_of(shard: Path) -> list[str]:
    """The graph IRIs of a shard, from its index or (a shard written by another tool) its quads."""
    index = shard.with_suffix(INDEX_SUFFIX)
    if index.exists():
        return [g for g in index.read_text(encoding="utf-8").splitlines() if g]
    import pyoxigraph as ox

    try:
        with shard.open("rb") as f:
            seen = {q.graph_name.value for q in ox.parse(f, format=ox.RdfFormat.N_QUADS)}
    except (OSError, SyntaxError, ValueError) as e:
        raise InputError(f"not N-Quads: {e}", str(shard)) from e
    return sorted(g for g in seen if isinstance(g, str))


def _split_by_graph(shard: Path, graphs: set[str]) -> tuple[dict[str, list[str]], list[bytes]]:
    """The lines of a shard: N-Triples of each graph in ``graphs``, and the other lines as they are."""
    from defkg.ingest import _iri

    suffixes = {f" {_iri(g)} .": g for g in graphs}
    picked: dict[str, list[str]] = {g: [] for g in graphs}
    rest: list[bytes] = []
    with shard.open("rb") as f:
        for raw in f:
            line = raw.decode("utf-8").rstrip("\n")
            head, sep, graph_part = line.rpartition(" <")
            g = suffixes.get(f" <{graph_part}") if sep else None
            if g is None:
                rest.append(raw if raw.endswith(b"\n") else raw + b"\n")
            else:
                picked[g].append(f"{head} .\n")
    return picked, rest


def load(
    paths: Iterable[str | os.PathLike[str]],
    store_path: str | os.PathLike[str],
    wait: float = 0.0,
    optimize: bool | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ShardReport:
    """Bulk-load the shards under ``paths`` into the store at ``store_path`` (created if needed).

    ``optimize``: compact the store at the end (default: when the load made at least a quarter of
    its data files, as ``ingest`` does)."""
    from defkg.entities import ENTITY_GRAPH

    files = shard_files(paths)
    report = ShardReport()
    with Store(store_path, wait=wait) as store:
        before = store.disk_bytes()
        # each shard's graphs, read once (from its index, or by parsing a shard of another tool);
        # the entity graph's shard is left out: the store describes the entities of what it loads
        shards = [(f, g) for f in files if (g := _graphs_of(f)) != [ENTITY_GRAPH]]
        first = _load_into_empty(store, shards)
        if _ingest.ONTOLOGY_GRAPH not in store.graphs():
            _ingest.ensure_ontology(store)
        for shard, graphs in shards:
            if shard != first:
                old = {g for g in graphs if store.has_graph(g)}
                with store.keeping_entities(graphs, existing=bool(old)):  # the entity graph follows
                    if not old:
                        store.bulk_load_file(shard)
                    else:  # a re-load: those graphs are replaced in one transaction, the others bulk-loaded
                        picked, rest = _split_by_graph(shard, old)
                        if rest:
                            store.bulk_load_nquads(b"".join(rest))
                        store.replace_graphs((g, "".join(lines)) for g, lines in picked.items())
            report.articles += len(graphs)
            report.quads += _count_lines(shard)
            report.shards.append(shard)
            if progress:
                progress(shard)
        after = store.disk_bytes()
        if optimize or (optimize is None and files and after - before >= after / 4):
            store.optimize()
    return report


def _load_into_empty(store: Store, shards: list[tuple[Path, list[str]]]) -> Path | None:
    """Into an empty store, the one shard of article graphs that ``extract`` wrote ((shard, its
    graphs)) goes in one bulk load with the ontology and its entity graph (``ingest.load_into_empty``:
    what the usual way writes, with no transaction, so the loader's compressed files stay as they
    are); the shard, or None when that does not apply (several shards, a shard of another tool, too
    many quads, a shard that does not parse: then the usual way loads it, and reports what is wrong
    with it)."""
    import pyoxigraph as ox

    from defkg.entities import ENTITY_GRAPH

    if len(shards) != 1 or not store.is_empty():
        return None
    shard, graphs = shards[0]
    if not shard.with_suffix(INDEX_SUFFIX).exists() or {ENTITY_GRAPH, _ingest.ONTOLOGY_GRAPH} & set(graphs):
        return None
    data = shard.read_bytes()
    quads = data.count(b"\n") + (not data.endswith(b"\n") and bool(data))
    if quads > BULK_QUADS:
        return None
    mentioned = ox.NamedNode(str(DK.mentionedAs))
    forms: dict[str, set[tuple[str, str | None]]] = {}
    try:
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if q.predicate == mentioned and isinstance(q.object, ox.Literal):
                forms.setdefault(q.subject.value, set()).add((q.object.value, q.object.language or None))
    except (SyntaxError, ValueError):
        return None
    return shard if _ingest.load_into_empty(store, [data], quads, forms, lenient=False) else None


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
    return n
