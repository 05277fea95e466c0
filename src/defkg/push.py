"""Send the store's named graphs to a SPARQL server, so a team can share one store.

Each article's named graph (and the ontology graph) replaces the graph of the same name
on the server:

* with a Graph Store Protocol endpoint (``graph_store``): one ``PUT ?graph=IRI`` per graph,
  N-Triples body (SPARQL 1.1 Graph Store HTTP Protocol);
* otherwise through SPARQL 1.1 Update: ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }``
  for each graph, several graphs per request up to ``chunk_bytes``.

Pushing again replaces what was pushed before; graphs that are on the server but not in the
store are left alone.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from defkg import remote
from defkg.errors import DefkgError
from defkg.store import Store


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0


def graph_payloads(store: Store) -> Iterator[tuple[str, str, int]]:
    """(graph IRI, N-Triples, triple count) for every named graph of the store."""
    for g in store.graphs():
        triples = list(
            store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", union=False)
        )
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        yield g, (nt or b"").decode("utf-8"), len(triples)


def _put(graph_store: str, graph: str, nt: str, timeout: float) -> int:
    url = graph_store + ("&" if "?" in graph_store else "?") + urllib.parse.urlencode({"graph": graph})
    data = nt.encode("utf-8")
    remote.request(url, data, {"Content-Type": "application/n-triples"}, method="PUT", timeout=timeout)
    return len(data)


def _update(endpoint: str, update: str, timeout: float) -> int:
    data = update.encode("utf-8")
    remote.request(
        endpoint, data, {"Content-Type": "application/sparql-update; charset=utf-8"}, timeout=timeout
    )
    return len(data)


def replace_update(graph: str, nt: str) -> str:
    """The SPARQL Update replacing ``graph`` by the N-Triples ``nt``."""
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{nt}}} }}"


def push(
    store: Store,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    chunk_bytes: int = 2_000_000,
    timeout: float = 300.0,
    progress: Callable[[PushReport], None] | None = None,
) -> PushReport:
    """Replace each of the store's named graphs on the server; see the module's docstring."""
    if not update_endpoint and not graph_store:
        raise DefkgError("push: give an update endpoint or a graph store endpoint")
    report = PushReport()
    started = time.perf_counter()
    pending: list[str] = []
    pending_size = 0

    def flush() -> None:
        nonlocal pending, pending_size
        if pending:
            assert update_endpoint
            report.bytes += _update(update_endpoint, " ;\n".join(pending), timeout)
            report.requests += 1
            pending, pending_size = [], 0

    for graph, nt, n in graph_payloads(store):
        if graph_store:
            report.bytes += _put(graph_store, graph, nt, timeout)
            report.requests += 1
        else:
            part = replace_update(graph, nt)
            if pending and pending_size + len(part) > chunk_bytes:
                flush()
            pending.append(part)
            pending_size += len(part)
        report.graphs += 1
        report.triples += n
        if progress:
            progress(report)
    flush()
    report.seconds = time.perf_counter() - started
    return report
