"""Send the store's named graphs to a SPARQL server, so a team can share one store.

Every named graph of the store (each article's graph, the entity graph, the ontology graph)
replaces the graph of the same name on the server:

* with a Graph Store Protocol endpoint (``graph_store``, preferred when given): one
  ``PUT ?graph=IRI`` per graph, N-Triples body (SPARQL 1.1 Graph Store HTTP Protocol),
  ``workers`` requests at a time; a PUT failing with a server error is sent again (up to
  ``PUT_TRIES`` times: it replaces the whole graph, so that is safe);
* otherwise through SPARQL 1.1 Update: ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }``,
  several graphs per request up to ``chunk_bytes``. Blank nodes are sent as skolem IRIs
  (``INSERT DATA`` may not hold blank nodes on every server: Virtuoso refuses them). When the
  server fails a request (HTTP 5xx other than a time-out: Virtuoso, for one, cannot compile some
  large requests), the request is split in two and each half sent again, down to one graph and
  then to halves of one graph's triples; every part is idempotent, so resending is safe.

Pushing again replaces what was pushed before; graphs that are on the server but not in the
store are left alone. Credentials (in the URLs, ``credentials`` or ``DEFKG_USER``/
``DEFKG_PASSWORD``) go as Basic or Digest authentication, as the server asks (``remote.request``).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from defkg import remote
from defkg.errors import DefkgError, QueryError
from defkg.store import Store

# Skolem IRIs for blank nodes (SPARQL 1.1 / RDF 1.1 §3.5 ".well-known/genid").
GENID = "https://w3id.org/defkg/.well-known/genid/"


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    retries: int = 0  # requests split and sent again after a server error


def graph_payloads(store: Store) -> Iterator[tuple[str, str, int]]:
    """(graph IRI, N-Triples, triple count) for every named graph of the store."""
    for g in store.graphs():
        triples = list(
            store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", union=False)
        )
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        yield g, (nt or b"").decode("utf-8"), len(triples)


# A blank node label at the start of a line or after a space, outside literals (N-Triples lines
# are "subject predicate object ." with literals only in object position, so the subject and a
# blank-node object are found without parsing the literal).
_BNODE_SUBJECT = re.compile(r"^_:([A-Za-z0-9_][\w.-]*)", re.MULTILINE)
_BNODE_OBJECT = re.compile(r" _:([A-Za-z0-9_][\w.-]*) \.$", re.MULTILINE)


def skolemise(graph: str, nt: str) -> str:
    """``nt`` with each blank node replaced by an IRI under ``GENID``, unique to the graph."""
    if "_:" not in nt:
        return nt
    prefix = GENID + hashlib.sha1(graph.encode("utf-8")).hexdigest()[:16] + "-"
    nt = _BNODE_SUBJECT.sub(lambda m: f"<{prefix}{m.group(1)}>", nt)
    return _BNODE_OBJECT.sub(lambda m: f" <{prefix}{m.group(1)}> .", nt)


def _put(graph_store: str, graph: str, nt: str, timeout: float, creds: remote.Credentials | None) -> int:
    url = graph_store + ("&" if "?" in graph_store else "?") + urllib.parse.urlencode({"graph": graph})
    data = nt.encode("utf-8")
    headers = {"Content-Type": "application/n-triples"}
    remote.request(url, data, headers, method="PUT", timeout=timeout, credentials=creds)
    return len(data)


@dataclass(frozen=True)
class _Part:
    """Some of one graph's triples; ``first`` parts drop the graph on the server first."""

    graph: str
    lines: tuple[str, ...]
    first: bool

    def update(self) -> str:
        insert = f"INSERT DATA {{ GRAPH <{self.graph}> {{\n{''.join(self.lines)}}} }}" if self.lines else ""
        drop = f"DROP SILENT GRAPH <{self.graph}>"
        if self.first:
            return f"{drop} ;\n{insert}" if insert else drop
        return insert

    def halves(self) -> tuple[_Part, _Part]:
        mid = len(self.lines) // 2
        return _Part(self.graph, self.lines[:mid], self.first), _Part(self.graph, self.lines[mid:], False)


def replace_update(graph: str, nt: str) -> str:
    """The SPARQL Update replacing ``graph`` by the N-Triples ``nt`` (blank nodes skolemised)."""
    nt = skolemise(graph, nt)
    return _Part(graph, tuple(nt.splitlines(keepends=True)), True).update()


def _retryable(e: QueryError) -> bool:
    """A server error that a smaller request may avoid (not a time-out, not refused credentials)."""
    m = re.search(r": HTTP (\d{3}) ", str(e))
    return bool(m) and int(m.group(1)) >= 500 and "timed out" not in str(e)  # type: ignore[union-attr]


class _Updater:
    def __init__(
        self, endpoint: str, timeout: float, creds: remote.Credentials | None, report: PushReport
    ) -> None:
        self.endpoint, self.timeout, self.creds, self.report = endpoint, timeout, creds, report

    def send(self, parts: list[_Part]) -> None:
        text = " ;\n".join(u for u in (p.update() for p in parts) if u)
        if not text:
            return
        data = text.encode("utf-8")
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        try:
            remote.request(self.endpoint, data, headers, timeout=self.timeout, credentials=self.creds)
        except QueryError as e:
            if not _retryable(e) or (len(parts) == 1 and len(parts[0].lines) <= 1):
                raise
            self.report.retries += 1
            if len(parts) > 1:
                mid = len(parts) // 2
                self.send(parts[:mid])
                self.send(parts[mid:])
            else:
                first, second = parts[0].halves()
                self.send([first])
                self.send([second])
            return
        self.report.requests += 1
        self.report.bytes += len(data)


PUT_TRIES = 3  # a graph store PUT failing with a server error is sent up to this many times


def _put_all(
    store: Store,
    graph_store: str,
    timeout: float,
    creds: remote.Credentials | None,
    report: PushReport,
    progress: Callable[[PushReport], None] | None,
    workers: int,
) -> None:
    """PUT every graph, ``workers`` requests at a time (a server on several cores loads graphs
    side by side); the first failure stops the push and is raised."""
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

    lock = threading.Lock()

    def one(graph: str, nt: str, n: int) -> tuple[int, int]:
        # a PUT replaces the whole graph: sending it again is safe. Virtuoso fails now and then when
        # two requests bring a language tag it has not seen yet at the same time (SR197: Non unique
        # primary key on DB.DBA.RDF_LANGUAGE): the second try finds the tag there.
        for attempt in range(PUT_TRIES):
            try:
                return _put(graph_store, graph, nt, timeout, creds), n
            except QueryError as e:
                if not _retryable(e) or attempt == PUT_TRIES - 1:
                    raise
                with lock:
                    report.retries += 1
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def done(f: Future[tuple[int, int]]) -> None:
        size, n = f.result()
        report.bytes += size
        report.requests += 1
        report.graphs += 1
        report.triples += n
        if progress:
            progress(report)

    with ThreadPoolExecutor(max(1, workers)) as pool:
        running: set[Future[tuple[int, int]]] = set()
        try:
            for graph, nt, n in graph_payloads(store):
                if len(running) >= 2 * max(1, workers):
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for f in finished:
                        done(f)
                running.add(pool.submit(one, graph, nt, n))
            for f in running:
                done(f)
        finally:
            for f in running:
                f.cancel()


def _update_all(
    store: Store, updater: _Updater, chunk_bytes: int, progress: Callable[[PushReport], None] | None
) -> None:
    """DROP + INSERT DATA for every graph, several small graphs per request up to ``chunk_bytes``."""
    report = updater.report
    pending: list[_Part] = []
    size = 0
    for graph, nt, n in graph_payloads(store):
        if pending and size + len(nt) > chunk_bytes:
            updater.send(pending)
            pending, size = [], 0
        pending.append(_Part(graph, tuple(skolemise(graph, nt).splitlines(keepends=True)), True))
        size += len(nt) + 100
        report.graphs += 1
        report.triples += n
        if progress:
            progress(report)
    if pending:
        updater.send(pending)


def push(
    store: Store,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    chunk_bytes: int = 100_000,
    timeout: float = 300.0,
    progress: Callable[[PushReport], None] | None = None,
    credentials: remote.Credentials | None = None,
    workers: int = 2,
) -> PushReport:
    """Replace each of the store's named graphs on the server; see the module's docstring."""
    if not update_endpoint and not graph_store:
        raise DefkgError("push: give an update endpoint or a graph store endpoint")
    report = PushReport()
    started = time.perf_counter()
    if graph_store:
        _put_all(store, graph_store, timeout, credentials, report, progress, workers)
    else:
        assert update_endpoint
        _update_all(store, _Updater(update_endpoint, timeout, credentials, report), chunk_bytes, progress)
    report.seconds = time.perf_counter() - started
    return report
