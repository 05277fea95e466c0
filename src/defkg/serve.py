"""A read-only SPARQL 1.1 Protocol endpoint over a local store (``defkg serve``).

* ``GET /sparql?query=...`` and ``POST /sparql`` (form ``query=...`` or an
  ``application/sparql-query`` body); the default graph is the union of the article graphs
  and the project's prefixes (dk:, dkr:, schema:...) are predeclared.
* Results as SPARQL JSON, XML, CSV or TSV (CONSTRUCT/DESCRIBE: N-Triples, Turtle, RDF/XML),
  chosen by the ``Accept`` header or a ``format``/``output`` parameter.
* Each query runs in a worker process holding the store open read-only; a query running longer
  than the timeout is stopped (the worker is killed and replaced) and answered 503.
* Updates are refused (403). Bound to 127.0.0.1 unless told otherwise.
* ``/`` is the graph page (``defkg.view``, the largest nodes) when that module is installed, else
  the query form (always at ``/form``).

Only the standard library's ``http.server`` is used.
"""

from __future__ import annotations

import contextlib
import html
import json
import multiprocessing
import queue
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from defkg.errors import DefkgError, QueryError
from defkg.queries import check_read_only
from defkg.store import Store

MAX_QUERY_BYTES = 1_000_000

_RESULT_TYPES = {  # media type -> (pyoxigraph format name, content type)
    "application/sparql-results+json": ("JSON", "application/sparql-results+json"),
    "application/json": ("JSON", "application/sparql-results+json"),
    "application/sparql-results+xml": ("XML", "application/sparql-results+xml"),
    "application/xml": ("XML", "application/sparql-results+xml"),
    "text/csv": ("CSV", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("TSV", "text/tab-separated-values; charset=utf-8"),
}
_GRAPH_TYPES = {
    "application/n-triples": ("N_TRIPLES", "application/n-triples"),
    "text/plain": ("N_TRIPLES", "application/n-triples"),
    "text/turtle": ("TURTLE", "text/turtle; charset=utf-8"),
    "application/x-turtle": ("TURTLE", "text/turtle; charset=utf-8"),
    "application/rdf+xml": ("RDF_XML", "application/rdf+xml"),
}
_FORMAT_PARAM = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "n-triples": "application/n-triples",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranked.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(ranked)]


def choose(accept: str, graph: bool) -> tuple[str, str]:
    """(pyoxigraph format name, content type) for the results, from an Accept header."""
    table = _GRAPH_TYPES if graph else _RESULT_TYPES
    for media in _accepted(accept):
        if media in table:
            return table[media]
    return table["application/n-triples" if graph else "application/sparql-results+json"]


# -- worker processes -------------------------------------------------------------------------------


def _run(store: Store, sparql: str, accept: str) -> tuple[str, bytes]:
    import pyoxigraph as ox

    try:
        results = store.query(sparql)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(results, ox.QueryTriples):
        fmt, ctype = choose(accept, graph=True)
        return ctype, results.serialize(format=getattr(ox.RdfFormat, fmt)) or b""
    fmt, ctype = choose(accept, graph=False)
    return ctype, results.serialize(format=getattr(ox.QueryResultsFormat, fmt)) or b""


def _worker_main(store_path: str, conn: Any) -> None:  # pragma: no cover - runs in a child process
    try:
        store = Store(store_path, read_only=True)
    except DefkgError as e:
        conn.send(("error", 500, str(e)))
        return
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        sparql, accept = msg
        try:
            ctype, body = _run(store, sparql, accept)
            conn.send(("ok", ctype, body))
        except DefkgError as e:
            conn.send(("error", 400, str(e)))
        except Exception as e:  # an evaluation error (type error, unsupported function...)
            conn.send(("error", 400, f"query failed: {type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, store_path: str) -> None:
        ctx = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(store_path, child), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(60):
            self.kill()
            raise DefkgError("the query worker did not start")
        msg = self.conn.recv()
        if msg[0] != "ready":
            self.kill()
            raise DefkgError(msg[2])

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryTimeout(QueryError):
    pass


class QueryRunner:
    """A few worker processes running queries on a store, with a timeout per query."""

    def __init__(self, store_path: str, workers: int = 2, timeout: float = 30.0) -> None:
        self.store_path, self.timeout = store_path, timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers = workers
        for _ in range(workers):
            self.idle.put(_Worker(store_path))

    def run(self, sparql: str, accept: str) -> tuple[str, bytes]:
        """(content type, body); ``QueryError`` (bad query), ``QueryTimeout`` (too slow or too busy)."""
        started = time.monotonic()
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"busy: no worker free within {self.timeout:g} s") from None
        left = max(0.1, self.timeout - (time.monotonic() - started))
        try:
            worker.conn.send((sparql, accept))
            if not worker.conn.poll(left):
                worker.kill()
                worker = _Worker(self.store_path)
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            msg = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = _Worker(self.store_path)
            raise QueryError("the query worker died (out of memory?)") from None
        finally:
            self.idle.put(worker)
        if msg[0] == "ok":
            return msg[1], msg[2]
        raise QueryError(msg[2])

    def close(self) -> None:
        while True:
            try:
                w = self.idle.get_nowait()
            except queue.Empty:
                break
            with contextlib.suppress(OSError):
                w.conn.send(None)
            w.proc.join(1)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(1)
            w.conn.close()


# -- HTTP -------------------------------------------------------------------------------------------

_FORM_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>defkg SPARQL endpoint</title>
<body style="font-family:sans-serif;max-width:60em;margin:2em auto">
<h1>defkg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET or POST, read-only). Prefixes dk:, dkr:, schema:,
org:, prov:, foaf:, skos:, rdfs:, xsd: are predeclared; the default graph is the union of the articles.</p>
<form method="post" action="/sparql"><textarea name="query" rows="12" cols="100">{query}</textarea><br>
<select name="format"><option>json</option><option>csv</option><option>tsv</option><option>xml</option>
</select>
<button>Run</button></form>
<h2>Named queries</h2><ul>{named}</ul></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "defkg"
    runner: QueryRunner
    store_path: str

    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"))

    # -- routes -----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query"):
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return self._query(params.get("query", [""])[0], params)
        if url.path in ("/", "/index.html"):
            return self._page(graph=True)
        if url.path == "/form":
            return self._page(graph=False)
        return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path} (the endpoint is /sparql)")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/update", "/store"):
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if url.path not in ("/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path} (the endpoint is /sparql)")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if ctype == "application/sparql-query":
            return self._query(body, params)
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return self._query(form.get("query", [""])[0], {**params, **form})
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported content type {ctype!r}")

    def do_PUT(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        if not sparql.strip():
            return self._error(HTTPStatus.BAD_REQUEST, "no query: give ?query=SPARQL")
        try:
            check_read_only(sparql)  # updates and federated (SERVICE) queries
        except QueryError as e:
            return self._error(HTTPStatus.FORBIDDEN, f"this endpoint is read-only: {e}")
        accept = self.headers.get("Accept") or ""
        for key in ("format", "output"):
            fmt = (params.get(key) or [""])[0].lower()
            if fmt:
                accept = _FORMAT_PARAM.get(fmt, fmt) + (", " + accept if accept else "")
                break
        try:
            ctype, body = self.runner.run(sparql, accept)
        except QueryTimeout as e:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(e))
        except QueryError as e:
            return self._error(HTTPStatus.BAD_REQUEST, str(e))
        except DefkgError as e:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
        self._send(HTTPStatus.OK, body, ctype)

    def _page(self, graph: bool) -> None:
        page = _view_page(self.store_path) if graph else None
        if page is None:
            from defkg import queries

            named = "".join(
                f"<li><b>{html.escape(q.name)}</b>: {html.escape(q.description)} "
                f'<a href="/sparql?format=csv&amp;query={urllib.parse.quote(q.text)}">CSV</a></li>'
                for q in queries.named_queries().values()
            )
            page = _FORM_PAGE.format(query=html.escape("SELECT * WHERE { ?s ?p ?o } LIMIT 10"), named=named)
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")


VIEW_LIMIT = 1500  # nodes on the graph page at / (the largest ones); the whole store may be much bigger


def _view_page(store_path: str) -> str | None:
    """The graph page of ``defkg.view`` if that module is there (it is optional)."""
    try:
        from defkg import view
    except ImportError:
        return None
    fn = getattr(view, "view_html", None)
    if not callable(fn):
        return None
    try:
        with Store(store_path, read_only=True) as st:
            out = fn(st, limit=VIEW_LIMIT)
        return out if isinstance(out, str) else None
    except Exception:  # the page is a convenience: the endpoint keeps working without it
        return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    verbose = False

    def __init__(self, address: tuple[str, int], runner: QueryRunner, store_path: str) -> None:
        handler = type("BoundHandler", (Handler,), {"runner": runner, "store_path": store_path})
        super().__init__(address, handler)
        self.runner = runner

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        super().server_close()
        self.runner.close()


def make_server(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7879,
    timeout: float = 30.0,
    workers: int = 2,
) -> Server:
    """A server (not yet serving: call ``serve_forever``) over the store at ``store_path``."""
    with Store(store_path, read_only=True):  # fails early and clearly when there is no store
        pass
    runner = QueryRunner(str(store_path), workers=workers, timeout=timeout)
    try:
        return Server((host, port), runner, str(store_path))
    except OSError as e:
        runner.close()
        raise DefkgError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def serve_in_thread(server: Server) -> threading.Thread:
    t = threading.Thread(target=server.serve_forever, name="defkg-serve", daemon=True)
    t.start()
    return t


def status_json(server: Server) -> str:
    return json.dumps(
        {"endpoint": server.url, "timeout": server.runner.timeout, "workers": server.runner.workers}
    )
