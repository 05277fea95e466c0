"""Ingest articles into a store: read -> extract -> RDF -> validate -> replace the article's graph.

At scale the work is spread over processes: worker processes read, extract, build and
serialise each article's graph (N-Quads bytes, ready for the store's bulk loader); the parent
only loads them, up to ``BATCH_QUADS`` quads (or ``batch_size`` graphs) per load. Inputs are
streamed through a bounded window of tasks, so memory stays flat whatever the size of the
corpus. The order of the inputs is kept: when the same article comes twice, the later one
wins, as with one process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from defkg.errors import DefkgError, InputError, InputWarning
from defkg.model import Article
from defkg.namespaces import ONTOLOGY_GRAPH
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import build
from defkg.store import BULK_QUADS, Store

TASK_SIZE = 16  # articles per task sent to a worker
WINDOW = 4  # tasks in flight per worker (bounds memory)
SERIAL_BELOW = 8  # fewer inputs than this: no worker processes
# the workers' cyclic garbage collector: a young-generation collection every 50,000 allocations
# (CPython's default is 700). Extraction makes and drops many small objects, so most are gone by
# refcount before a collection would look at them: ~12 % less worker CPU (benchmarks/README.md,
# eighth round); the few cycles an article leaves wait a little longer. Only in our own workers:
# the process that calls ``ingest`` keeps its settings.
WORKER_GC_THRESHOLDS = (50_000, 50, 1000)
BATCH_QUADS = 400_000  # a batch is written when it holds this many quads (or batch_size articles): the
# bulk loader's cost per quad falls with the size of a load (1,200 generated articles: 6.6 ms CPU per
# article in loads of 200, 4.6 in one load) and big loads leave less for compaction; below
# store.BULK_QUADS, so a batch is still one atomic load
FLUSH_TRIPLES = 300_000  # flush the store's memory tables this often: RocksDB keeps them otherwise
# (one per index, up to ~1.5 GB); flushing keeps the writer's memory flat whatever the corpus size


@dataclass
class IngestReport:
    articles: int = 0
    meetings: int = 0
    triples: int = 0
    errors: list[DefkgError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0  # characters of article text read
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) found in a directory, not read

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rate(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def ontology_files() -> list[Path]:
    here = Path(__file__).parent / "ontology"
    return [here / "defkg.ttl"]


def _ontology() -> Any:
    from rdflib import Graph

    from defkg import turtle

    g = Graph()
    for f in ontology_files():
        if f.exists():
            turtle.read(f, g)
    return g


def ensure_ontology(store: Store) -> None:
    """Load the ontology into its own named graph (used for labels of statuses, kinds...)."""
    g = _ontology()
    if len(g):
        store.replace_graph(ONTOLOGY_GRAPH, ntriples(g))


# -- N-Triples, fast --------------------------------------------------------------------------------
# rdflib's serializer is slow (a plugin, a stream, a sort); Term.n3() is not N-Triples for
# literals with newlines (it writes \"\"\"long strings\"\"\"). This writes N-Triples directly.

_IRI_BAD = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_IRI_BAD_RE = re.compile("[" + re.escape("".join(sorted(_IRI_BAD))) + "]")


def _escape(text: str) -> str:
    """A literal's text as N-Triples writes it (backslash first; ``str.replace`` is many times faster
    than ``str.translate`` with a table on sentence-long texts)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _iri(value: str) -> str:
    if _IRI_BAD_RE.search(value):
        value = "".join(f"%{ord(ch):02X}" if ch in _IRI_BAD else ch for ch in value)  # not IRI characters
    return f"<{value}>"


# the N-Triples texts of IRIs, kept across graphs: IRIs recur (the vocabulary's terms, the entities), and
# the article graph makes each recurring one once, so that a look-up here is mostly by identity; emptied
# when full (an article's own IRIs do not recur), which bounds it (a plain dict: nquads 5-10 % faster
# than with an lru_cache)
_IRI_TEXTS: dict[URIRef, str] = {}
_IRI_TEXTS_MAX = 50_000


def _iri_term(term: URIRef) -> str:
    s = _IRI_TEXTS.get(term)
    if s is None:
        if len(_IRI_TEXTS) >= _IRI_TEXTS_MAX:
            _IRI_TEXTS.clear()
        s = _IRI_TEXTS[term] = _iri(str(term))
    return s


def _term(term: Any) -> str:
    if type(term) is URIRef:
        return _iri_term(term)
    if isinstance(term, Literal):
        lex = f'"{_escape(str(term))}"'
        if term.language:
            return f"{lex}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{lex}^^{_iri(str(term.datatype))}"
        return lex
    if isinstance(term, BNode):
        return f"_:{term}"
    return _iri(str(term))


def ntriples(graph: Any) -> str:
    """The triples of an rdflib graph or an ``ArticleGraph`` as N-Triples text (in iteration order)."""
    cache: dict[Any, str] = {}

    def t(x: Any) -> str:
        s = cache.get(x)
        if s is None:
            s = cache[x] = _term(x)
        return s

    return "".join(f"{t(s)} {t(p)} {t(o)} .\n" for s, p, o in graph)


def nquads(graph: Any, graph_iri: str) -> bytes:
    """The triples of ``graph`` as N-Quads of the named graph ``graph_iri``, UTF-8 (what the store's
    bulk loader reads and what ``defkg extract`` writes)."""
    cache: dict[Any, str] = {}
    get = cache.get  # a term's text is never empty: "get(x) or t(x)" calls t only the first time

    def t(x: Any) -> str:
        s = cache[x] = _iri_term(x) if type(x) is URIRef else _term(x)
        return s

    g = f" {_iri(graph_iri)} .\n"
    text = "".join(f"{get(s) or t(s)} {get(p) or t(p)} {get(o) or t(o)}{g}" for s, p, o in graph)
    return text.encode("utf-8")


def nquads_to_ntriples(nq: bytes, graph_iri: str) -> str:
    """The N-Triples of one graph's N-Quads as ``nquads`` writes them (for ``Store.replace_graphs``)."""
    return nq.decode("utf-8").replace(f" {_iri(graph_iri)} .\n", " .\n")


# the forms an article graph uses for each entity it refers to: (entity IRI, ((text, language), ...))
Mentions = tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]
# a graph's payload: N-Triples text, or (N-Quads bytes of that graph, quad count, its mentions) from
# the workers
Payload = str | tuple[bytes, int, Mentions]


def _form_terms(forms: tuple[tuple[str, str | None], ...]) -> list[Any]:
    """The ``dk:mentionedAs`` literals of an entity's forms, as the store gives them back."""
    return [ox.Literal(text, language=lang) if lang else ox.Literal(text) for text, lang in forms]


def write_first_batch(store: Store, batch: list[tuple[str, Payload]]) -> bool:
    """Write the first batch of an ingest into an empty store in one bulk load with the ontology and
    the entity graph of its graphs (``load_into_empty``), when the workers gave every graph's
    entity forms and it fits in one load; False (nothing written) otherwise."""
    graphs = dict(batch)
    forms: dict[str, set[tuple[str, str | None]]] = {}
    parts: list[bytes] = []
    quads = 0
    for payload in graphs.values():
        if isinstance(payload, str):
            return False
        nq, n, mentions = payload
        parts.append(nq)
        quads += n
        for iri, fs in mentions:
            forms.setdefault(iri, set()).update((text, lang or None) for text, lang in fs)
    # written by ``nquads``: IRIs escaped already
    return bool(parts) and load_into_empty(store, parts, quads, forms, lenient=True)


def load_into_empty(
    store: Store, parts: list[bytes], quads: int, forms: dict[str, set[tuple[str, str | None]]], lenient: bool
) -> bool:
    """Load article graphs (N-Quads ``parts`` of ``quads`` quads; ``forms``: their entities' forms)
    into an empty store in one bulk load with the ontology and the entity graph
    (``Store.load_first``); False (nothing written) when that is more than one load holds. The store
    then holds what ``ensure_ontology`` and ``write_batch`` would have written (tested), with no
    transaction and nothing for a compaction to merge: its files stay compressed (half the bytes)."""
    from defkg import entities

    ontology = _ontology()
    described = entities.first_description(forms)
    quads += len(ontology) + len(described)
    if quads > BULK_QUADS:
        return False
    extra = [nquads(ontology, ONTOLOGY_GRAPH), nquads(described, entities.ENTITY_GRAPH)]
    store.load_first([*parts, *extra], quads, lenient=lenient)
    return True


def write_batch(store: Store, batch: list[tuple[str, Payload]]) -> None:
    """Replace the graphs of ``batch`` ((graph IRI, payload) pairs; a later pair of the same graph wins).

    Graphs the store does not hold yet (the bulk of a first ingest) go through the bulk loader
    (``Store.add_new_nquads``: about 4x faster than a transaction, and the workers' N-Quads bytes
    are loaded as they are); graphs already there are replaced with ``Store.replace_graphs``
    (DROP + INSERT DATA in one transaction). Either way, after a crash the store holds each
    article wholly or not at all.
    """
    new: list[tuple[str, bytes, int]] = []
    old: list[tuple[str, str]] = []
    # the entity forms of the new graphs, when the workers gave them all (else the store reads them)
    mentions: dict[str, set[Any]] | None = {}
    for g, payload in dict(batch).items():
        if store.has_graph(g):
            old.append((g, payload if isinstance(payload, str) else nquads_to_ntriples(payload[0], g)))
        elif isinstance(payload, str):
            new.append((g, payload.replace(" .\n", f" {_iri(g)} .\n").encode("utf-8"), payload.count(" .\n")))
            mentions = None
        else:
            new.append((g, payload[0], payload[1]))
            if mentions is not None:
                for iri, forms in payload[2]:
                    mentions.setdefault(iri, set()).update(_form_terms(forms))
    if new:
        # written by ``nquads``: IRIs escaped already
        store.add_new_nquads(new, lenient=True, mentions=mentions)
    if old:
        store.replace_graphs(old)


class _Writer:
    """Writes batches on a thread of its own, so that the parent keeps feeding the workers while
    Oxigraph loads (its loader runs without the GIL). At most ``queued`` batches wait: memory
    stays bounded. An error of the writer is raised by the next ``put`` or by ``close``."""

    def __init__(self, store: Store, queued: int = 2, fresh: bool = False) -> None:
        self.store = store
        self.fresh = fresh  # an empty store: its first batch goes through ``write_first_batch``
        self.queue: queue.Queue[tuple[list[tuple[str, Payload]], int] | None] = queue.Queue(maxsize=queued)
        self.error: BaseException | None = None
        self.unflushed = 0
        self.thread = threading.Thread(target=self._run, name="defkg-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue  # drain: the parent stops at its next put
            batch, triples = item
            try:
                self._write(batch)
                self.unflushed += triples
                if self.unflushed >= FLUSH_TRIPLES:
                    self.store.flush()
                    self.unflushed = 0
            except BaseException as e:  # handed to the parent thread
                self.error = e

    def _write(self, batch: list[tuple[str, Payload]]) -> None:
        if self.fresh:  # the first batch into an empty store: in one load with the ontology if it can
            self.fresh = False
            if write_first_batch(self.store, batch):
                return
            ensure_ontology(self.store)
        write_batch(self.store, batch)

    def put(self, batch: list[tuple[str, Payload]], triples: int) -> None:
        """Queue ``batch`` ((graph IRI, payload) pairs holding ``triples`` triples) for writing."""
        self._raise()
        if batch:
            self.queue.put((batch, triples))

    def close(self) -> None:
        """Wait for every batch to be written; raise the writer's error if there was one."""
        self.queue.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


def article_nquads(article: Article, validate: bool = True) -> tuple[str, bytes, int, int, Mentions]:
    """(graph IRI, N-Quads bytes of the article's graph, meeting count, quad count, the forms the
    graph uses for each entity it refers to) for one article: what a worker hands to the parent,
    which loads the bytes and updates the entity graph from the forms without reading them back."""
    extraction = extract(article)
    graph = build(extraction)
    if validate:
        from defkg.validate import check_graph

        check_graph(graph.described(), source=article.source)
    g = str(graph.identifier)
    return g, nquads(graph, g), len(extraction.meetings), len(graph), graph.entities


# -- units of work ----------------------------------------------------------------------------------
# A unit is one input article as the parent sees it, before reading: ("file", path) or
# ("line", path, line number, raw bytes) for a line of a JSON Lines file, or ("error", InputError).

Unit = tuple[Any, ...]
Result = tuple[Any, ...]  # ("ok", graph IRI, N-Quads bytes, meetings, triples, chars, mentions),
# ("error", DefkgError) or ("warning", text)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes] | InputError]:
    lines = getattr(reader, "jsonl_lines", None)
    if lines is not None:
        yield from lines(path)
        return
    try:
        with path.open("rb") as f:
            for n, raw in enumerate(f, start=1):
                if raw.strip():
                    yield n, raw
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", str(path))


def _units(
    paths: Iterable[str | os.PathLike[str]], skipped: list[tuple[Path, str]] | None = None
) -> Iterator[Unit]:
    for path in reader.expand([Path(p) for p in paths], skipped):
        if path.suffix.lower() in reader.JSONL_SUFFIXES:
            for item in _jsonl_lines(path):
                if isinstance(item, InputError):
                    yield ("error", item)
                else:
                    yield ("line", str(path), item[0], item[1])
        else:
            yield ("file", str(path))


def _read_line(path: str, n: int, raw: bytes) -> Article:
    """One article from a JSON Lines line (``reader.read_jsonl_line``)."""
    read_line = getattr(reader, "read_jsonl_line", None)
    if read_line is not None:
        return read_line(raw, path, n)
    import json

    try:
        obj = json.loads(raw)
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ValueError("expected an object with a 'text' string")
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError(f"bad JSON line: {e}", path, n) from None
    meta = {k: str(obj[k]) for k in ("url", "published", "title", "publisher", "language") if obj.get(k)}
    return reader.make_article(obj["text"], meta, f"{path}:{n}")


def _articles(unit: Unit) -> Iterator[Any]:
    """Articles, errors and warnings (``reader.InputWarning``) of one unit."""
    kind = unit[0]
    if kind == "error":
        yield unit[1]
    elif kind == "line":
        try:
            yield _read_line(unit[1], unit[2], unit[3])
        except DefkgError as e:
            yield e
    else:
        yield from reader.read_path(Path(unit[1]))


def _process(unit: Unit, validate: bool) -> list[Result]:
    out: list[Result] = []
    for item in _articles(unit):
        if isinstance(item, InputWarning):
            out.append(("warning", str(item)))
            continue
        if isinstance(item, DefkgError):
            out.append(("error", item))
            continue
        if not isinstance(item, Article):
            out.append(("warning", str(item)))
            continue
        try:
            g_iri, nq, meetings, triples, mentions = article_nquads(item, validate)
        except DefkgError as e:
            out.append(("error", e))
            continue
        except Exception as e:  # a bug in a stage: report it against the article, keep going
            out.append(("error", DefkgError(f"{item.source}: internal error: {type(e).__name__}: {e}")))
            continue
        out.append(("ok", g_iri, nq, meetings, triples, len(item.text), mentions))
    return out


def _work(task: tuple[list[Unit], bool]) -> list[Result]:
    units, validate = task
    out: list[Result] = []
    for u in units:
        out.extend(_process(u, validate))
    return out


def _chunks(units: Iterator[Unit], size: int) -> Iterator[list[Unit]]:
    chunk: list[Unit] = []
    for u in units:
        chunk.append(u)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _warm(validate: bool) -> None:
    """Fill every lazy table of the stages once in the parent, so that forked workers inherit
    them instead of each building its own on its first article: the pipeline is run on the
    two short reports ``lang/<lang>/warmup.txt`` (written for this; not stored)."""
    from defkg.gazetteer import LANGUAGES, lang_file
    from defkg.pipeline import reader

    for lang in LANGUAGES:
        path = lang_file(lang, "warmup.txt")
        try:
            article_nquads(reader.read_text(path.read_text(encoding="utf-8"), source=str(path)), validate)
        except (OSError, DefkgError):  # only a head start: the workers fill what is left (tested)
            continue


def _worker_init() -> None:
    import gc

    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def _pool(jobs: int) -> Any:
    """A process pool; forked (the workers inherit the loaded stages) where the OS allows it."""
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init)


def _unit_name(unit: Unit) -> str:
    if unit[0] == "line":
        return f"{unit[1]}:{unit[2]}"
    return str(unit[1])


class _Pooled:
    """Results of worker processes, in input order, through a bounded window of tasks.

    A worker that dies (killed for memory, a crash in a native library) breaks the pool: the
    pool is started again and the articles of the tasks that were lost are retried one by one,
    so only the article that kills a worker is reported (as an error), and the ingest goes on.
    """

    def __init__(self, units: Iterator[Unit], validate: bool, jobs: int) -> None:
        _warm(validate)
        self.pool = _pool(jobs)  # forked before the store is opened
        self.units, self.validate, self.jobs = units, validate, jobs

    def _restart(self, broken: Any) -> None:
        if broken is self.pool:
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = _pool(self.jobs)

    def _one_by_one(self, chunk: list[Unit]) -> Iterator[Result]:
        from concurrent.futures.process import BrokenProcessPool

        for unit in chunk:
            pool = self.pool
            try:
                yield from pool.submit(_work, ([unit], self.validate)).result()
            except BrokenProcessPool:
                self._restart(pool)
                yield (
                    "error",
                    DefkgError(f"{_unit_name(unit)}: the worker process died reading it (out of memory?)"),
                )

    def _get(self, pool: Any, future: Any, chunk: list[Unit]) -> Iterator[Result]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            results = future.result()
        except BrokenProcessPool:
            self._restart(pool)
            yield from self._one_by_one(chunk)
            return
        yield from results

    def __iter__(self) -> Iterator[Result]:
        from concurrent.futures.process import BrokenProcessPool

        pending: deque = deque()
        for chunk in _chunks(self.units, TASK_SIZE):
            pool = self.pool
            try:
                future = pool.submit(_work, (chunk, self.validate))
            except BrokenProcessPool:
                self._restart(pool)
                pool = self.pool
                future = pool.submit(_work, (chunk, self.validate))
            pending.append((pool, future, chunk))
            if len(pending) >= self.jobs * WINDOW:
                yield from self._get(*pending.popleft())
        while pending:
            yield from self._get(*pending.popleft())

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Serial:
    def __init__(self, units: Iterable[Unit], validate: bool) -> None:
        self.units, self.validate = units, validate

    def __iter__(self) -> Iterator[Result]:
        for u in self.units:
            yield from _process(u, self.validate)

    def close(self) -> None:
        pass


def _results(units: Iterator[Unit], validate: bool, jobs: int) -> _Pooled | _Serial:
    """Results in input order; in worker processes unless the input is small or ``jobs`` is 1."""
    head: list[Unit] = []
    for u in units:
        head.append(u)
        if len(head) >= SERIAL_BELOW:
            break
    if jobs <= 1 or len(head) < SERIAL_BELOW:
        return _Serial(itertools.chain(head, units), validate)
    return _Pooled(itertools.chain(head, units), validate, jobs)


def _bar(enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" art", file=sys.stderr, smoothing=0.1, dynamic_ncols=True, desc="ingest")


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store_path: str | os.PathLike[str],
    validate: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
    batch_size: int = 5000,
    jobs: int | None = None,
    bar: bool | None = None,
    wait: float = 0.0,
    optimize: bool | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``; errors are collected, not raised.

    ``jobs``: worker processes (default: the number of cores; 1: all in this process).
    ``bar``: a progress bar on stderr (default: only when stderr is a terminal).
    ``progress``: called with the report after each article.
    ``wait``: seconds to wait for another process holding the store (``StoreError`` after that).
    ``optimize``: compact the store at the end (``Store.optimize``: queries after a bulk load run
    about twice as fast). Default: when this ingest made at least a quarter of the store's data
    files, so that a small ingest into a big store does not pay for compacting all of it.
    """
    report = IngestReport()
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    started = time.perf_counter()
    skipped: list[tuple[Path, str]] = []
    results = _results(_units(paths, skipped), validate, jobs)
    progress_bar = _bar(bar)
    try:
        with Store(store_path, wait=wait) as store:
            fresh = store.is_empty()
            if not fresh and ONTOLOGY_GRAPH not in store.graphs():
                ensure_ontology(store)
            before = store.disk_bytes()
            writer = _Writer(store, fresh=fresh)
            try:
                _collect(results, report, batch_size, writer, progress_bar, progress)
            finally:
                writer.close()
            if writer.fresh:  # nothing was written: the store still gets its ontology
                ensure_ontology(store)
            after = store.disk_bytes()
            if optimize or (optimize is None and report.articles and after - before >= after / 4):
                store.optimize()
    finally:
        results.close()  # stops the workers (also when the loop was left early)
        if progress_bar is not None:
            progress_bar.close()
    report.seconds = time.perf_counter() - started
    report.skipped = [(str(f), why) for f, why in skipped]
    if not Path(store_path).exists():
        raise InputError("nothing was ingested", str(store_path))
    return report


def _collect(
    results: Iterable[Result],
    report: IngestReport,
    batch_size: int,
    writer: _Writer,
    progress_bar: Any,
    progress: Callable[[IngestReport], None] | None,
) -> None:
    """Count the results into ``report`` and hand them to ``writer`` ``batch_size`` at a time."""
    batch: list[tuple[str, Payload]] = []
    triples_in_batch = 0
    for res in results:
        if res[0] == "error":
            report.errors.append(res[1])
        elif res[0] == "warning":
            report.warnings.append(res[1])
            continue
        else:
            _, g_iri, nq, meetings, triples, chars, mentions = res
            batch.append((g_iri, (nq, triples, mentions)))
            report.articles += 1
            report.meetings += meetings
            report.triples += triples
            report.bytes += chars
            triples_in_batch += triples
            if len(batch) >= batch_size or triples_in_batch >= BATCH_QUADS:
                writer.put(batch, triples_in_batch)
                batch, triples_in_batch = [], 0
        if progress_bar is not None:
            progress_bar.update(1)
        if progress:
            progress(report)
    writer.put(batch, triples_in_batch)
