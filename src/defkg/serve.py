"""A read-only SPARQL 1.1 Protocol endpoint over a local store (``defkg serve``).

* ``GET /sparql?query=...`` and ``POST /sparql`` (form ``query=...`` or an
  ``application/sparql-query`` body); the default graph is the union of the article graphs
  and the project's prefixes (dk:, dkr:, schema:...) are predeclared.
* Results as SPARQL JSON, XML, CSV or TSV (CONSTRUCT/DESCRIBE: N-Triples, Turtle, RDF/XML),
  chosen by the ``Accept`` header or a ``format``/``output`` parameter; 406 when none of the
  types asked for can be given.
* HTTP/1.1 with keep-alive and a listen backlog of 128; results are streamed (chunked), never
  held whole: a worker serialises into its pipe 64 KiB at a time and waits while the client reads.
* Each query runs in a worker process holding the store open read-only; a query giving nothing
  for longer than the timeout is stopped (the worker is killed and replaced) and answered 503.
* Updates and federated queries (SERVICE) are refused (403). Bound to 127.0.0.1 unless told otherwise.
* CORS headers only on cross-origin requests (an ``Origin`` header), with an OPTIONS preflight.
* ``/`` is the analyst's graph page (``defkg.view.page_html``; ``/?lang=tr`` in Turkish), built
  once and kept until the store changes; ``/editor`` is the query page (a browser asking for
  ``/sparql`` without a query gets it too).

Only the standard library's ``http.server`` is used.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import json
import multiprocessing
import os
import pickle
import queue
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from defkg.errors import DefkgError, QueryError
from defkg.queries import check_read_only, form
from defkg.store import Store
from defkg.vocab import PREFIXES

MAX_QUERY_BYTES = 1_000_000
LANGS = ("en", "tr")  # the graph page's label languages (defkg.view.LANGS; not imported: workers stay light)

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


_PREFERRED = ("text/turtle", "text/csv", "application/sparql-results+json")  # for "text/*", "application/*"


def choose(accept: str, graph: bool) -> tuple[str, str] | None:
    """(pyoxigraph format name, content type) for the results from an Accept header; the default
    (JSON results, N-Triples graphs) when the header is empty or accepts anything (``*/*``, or
    ``type/*`` of a type we serve); ``None`` when we can give none of the types asked for (406)."""
    table = _GRAPH_TYPES if graph else _RESULT_TYPES
    default = table["application/n-triples" if graph else "application/sparql-results+json"]
    media = _accepted(accept)
    if not media:
        return default
    for m in media:
        if m in table:
            return table[m]
        if m == "*/*":
            return default
        if m.endswith("/*"):
            family = sorted((t for t in table if t.startswith(m[:-1])), key=lambda t: t not in _PREFERRED)
            if family:
                return table[family[0]]
    return None


def offered(graph: bool) -> list[str]:
    """The media types a query of this kind can be answered in."""
    table = _GRAPH_TYPES if graph else _RESULT_TYPES
    return sorted({ctype.split(";")[0] for _, ctype in table.values()})


# -- worker processes -------------------------------------------------------------------------------

CHUNK = 64 * 1024  # bytes a worker sends at a time (results are streamed, never held whole)


class _PipeWriter:
    """A file-like object pyoxigraph serialises into: sends ``("start", ctype)`` once the first
    chunk is full (so an error met before that is still answered 400), then the bytes, in chunks."""

    def __init__(self, conn: Any, ctype: str) -> None:
        self.conn, self.ctype, self.buf, self.started = conn, ctype, bytearray(), False

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self._send()
        return len(data)

    def flush(self) -> None:  # pyoxigraph calls it; chunks go out when full or at the end
        pass

    def _send(self) -> None:
        if not self.started:
            self.conn.send(("start", self.ctype))
            self.started = True
        if self.buf:
            self.conn.send_bytes(b"D" + self.buf)  # "D": data (control messages are pickles)
            self.buf.clear()

    def close(self) -> None:
        self._send()
        self.conn.send(("end",))


def _describe(error: SyntaxError, sparql: str) -> str:
    """``LINE:COLUMN: what was expected`` with hints, from ``defkg.sparql_errors`` when the project
    has it; else the parser's own message (``error at LINE:COLUMN: ...``)."""
    try:
        describe = importlib.import_module("defkg.sparql_errors").describe
    except (ImportError, AttributeError):
        return str(error)
    return str(describe(error, sparql, PREFIXES))


def _run(store: Store, sparql: str, fmt: str, conn: Any) -> None:
    """Run the query and stream the serialised results down ``conn``."""
    import pyoxigraph as ox

    try:
        results = store.query(sparql)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {_describe(e, sparql)}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    graph = isinstance(results, ox.QueryTriples)
    chosen = choose(fmt, graph)
    if chosen is None:  # the handler checked the form; a mismatch here is answered all the same
        chosen = choose("", graph)
        assert chosen is not None
    name, ctype = chosen
    out = _PipeWriter(conn, ctype)
    if graph:
        results.serialize(out, format=getattr(ox.RdfFormat, name))
    else:
        results.serialize(out, format=getattr(ox.QueryResultsFormat, name))
    out.close()


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
            _run(store, sparql, accept, conn)
        except DefkgError as e:
            conn.send(("error", 400, str(e)))
        except (BrokenPipeError, EOFError):
            return
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


class Answer:
    """A query being answered: ``ctype`` and the body as an iterator of byte chunks. Iterate it to
    the end or call ``close`` (which stops the worker if the answer was left half read)."""

    def __init__(self, runner: QueryRunner, worker: _Worker, ctype: str, first: bytes | None) -> None:
        self.runner, self.worker, self.ctype, self.first = runner, worker, ctype, first
        self.done = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            if self.first is not None:
                yield self.first
            while True:
                try:
                    if not self.worker.conn.poll(self.runner.timeout):
                        raise QueryTimeout(f"no results for {self.runner.timeout:g} s: the query was stopped")
                    data = self.worker.conn.recv_bytes()
                except (EOFError, OSError):
                    raise QueryError("the query worker died (out of memory?)") from None
                if data[:1] != b"D":  # a control message: ("end",) or ("error", status, text)
                    msg = pickle.loads(data)
                    self.done = True
                    if msg[0] == "end":
                        return
                    raise QueryError(str(msg[2]))
                data = data[1:]
                yield data
        finally:
            self.close()

    def close(self) -> None:
        if self.worker is None:
            return
        worker, self.worker = self.worker, None  # type: ignore[assignment]
        if not self.done:  # half read: the worker is still writing into the pipe
            worker.kill()
            worker = _Worker(self.runner.store_path)
        self.runner.idle.put(worker)


class QueryRunner:
    """A few worker processes running queries on a store, with a timeout per query."""

    def __init__(self, store_path: str, workers: int = 2, timeout: float = 30.0) -> None:
        self.store_path, self.timeout = store_path, timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers = workers
        for _ in range(workers):
            self.idle.put(_Worker(store_path))

    def start(self, sparql: str, accept: str) -> Answer:
        """Start answering: the ``Answer`` once the first chunk (or the whole, if small) is ready;
        ``QueryError`` (bad query), ``QueryTimeout`` (too slow or too busy)."""
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
                self.idle.put(_Worker(self.store_path))
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            msg = worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            self.idle.put(_Worker(self.store_path))
            raise QueryError("the query worker died (out of memory?)") from None
        if msg[0] == "start":
            return Answer(self, worker, msg[1], None)
        self.idle.put(worker)
        raise QueryError(msg[2])

    def run(self, sparql: str, accept: str) -> tuple[str, bytes]:
        """(content type, whole body): for small answers and tests."""
        answer = self.start(sparql, accept)
        return answer.ctype, b"".join(answer)

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

_CORS_METHODS = "GET, HEAD, POST, OPTIONS"
_CORS_HEADERS = {"accept", "content-type", "accept-language", "content-language"}


class PageCache:
    """Pages built from the store (the graph page per language), kept until the store changes:
    the key is the store directory's listing with sizes and modification times (a writer
    always adds or changes files there; a reader never does)."""

    def __init__(self, store_path: str) -> None:
        self.store_path = store_path
        self.lock = threading.Lock()
        self.pages: dict[str, tuple[tuple[Any, ...], bytes]] = {}
        self.builds = 0

    def signature(self) -> tuple[Any, ...]:
        out = []
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.store_path):
                if entry.name.startswith("LOG"):  # RocksDB's info log: written on open, not data
                    continue
                st = entry.stat()
                out.append((entry.name, st.st_size, st.st_mtime_ns))
        return tuple(sorted(out))

    def get(self, key: str, build: Any) -> bytes:
        with self.lock:  # one build at a time; the others wait and take it
            sig = self.signature()
            hit = self.pages.get(key)
            if hit and hit[0] == sig:
                return hit[1]
            page = build()
            self.builds += 1
            self.pages[key] = (sig, page)
            return page


class Handler(BaseHTTPRequestHandler):
    server_version = "defkg"
    protocol_version = "HTTP/1.1"  # keep-alive; results streamed with chunked transfer coding
    timeout = 300  # seconds a connection may stay silent (idle keep-alive, a client that stopped reading)
    runner: QueryRunner
    store_path: str
    pages: PageCache

    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _cors(self) -> None:
        """CORS headers only for a cross-origin request (one with an Origin header)."""
        if self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Origin")

    def _send(
        self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8", headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self._cors()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, headers: dict | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), headers=headers)

    def _body(self) -> bytes | None:
        """The request body (None, answered 413, when too large)."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too large")
            return None
        return self.rfile.read(length) if length > 0 else b""

    # -- routes -----------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        """CORS preflight (and plain OPTIONS): which methods and headers a page may use."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", _CORS_METHODS)
        if self.headers.get("Origin"):
            method = (self.headers.get("Access-Control-Request-Method") or "").upper()
            asked = [
                h.strip().lower()
                for h in (self.headers.get("Access-Control-Request-Headers") or "").split(",")
                if h.strip()
            ]
            if method in ("GET", "HEAD", "POST", "") and all(h in _CORS_HEADERS for h in asked):
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", _CORS_METHODS)
                self.send_header("Access-Control-Allow-Headers", ", ".join(sorted(_CORS_HEADERS)))
                self.send_header("Access-Control-Max-Age", "86400")
            self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query"):
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            if "query" not in params and "text/html" in (self.headers.get("Accept") or ""):
                return self._editor()  # a person in a browser: the query page
            return self._query(params.get("query", [""])[0], params)
        if url.path in ("/", "/index.html"):
            lang = (params.get("lang") or ["en"])[0]
            if lang not in LANGS:
                return self._error(HTTPStatus.BAD_REQUEST, f"lang: one of {', '.join(LANGS)}")
            return self._graph_page(lang)
        if url.path in ("/editor", "/form"):
            return self._editor()
        return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path} (the endpoint is /sparql)")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        raw = self._body()
        if raw is None:
            return None
        if url.path in ("/update", "/store"):
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if url.path not in ("/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {url.path} (the endpoint is /sparql)")
        body = raw.decode("utf-8", errors="replace")
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
        self._body()
        self.close_connection = True
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
                if fmt not in _FORMAT_PARAM:
                    return self._error(
                        HTTPStatus.NOT_ACCEPTABLE,
                        f"format {fmt!r}: one of {', '.join(sorted(_FORMAT_PARAM))}",
                    )
                accept = _FORMAT_PARAM[fmt]
                break
        graph = form(sparql) in ("CONSTRUCT", "DESCRIBE")
        if choose(accept, graph) is None:
            return self._error(
                HTTPStatus.NOT_ACCEPTABLE,
                f"cannot answer in {accept!r}; this query can be answered in {', '.join(offered(graph))}",
            )
        try:
            answer = self.runner.start(sparql, accept)
        except QueryTimeout as e:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(e), {"Retry-After": "5"})
        except QueryError as e:
            return self._error(HTTPStatus.BAD_REQUEST, str(e))
        except DefkgError as e:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(e))
        self._stream(answer)

    def _stream(self, answer: Answer) -> None:
        """Send the answer as it comes: chunked (HTTP/1.1), else until the connection closes."""
        chunked = self.request_version == "HTTP/1.1"
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", answer.ctype)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self._cors()
            self.end_headers()
            if self.command == "HEAD":
                return
            for data in answer:
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                else:
                    self.wfile.write(data)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (QueryError, OSError):
            # failed half-way (error, stall, client gone): the status is sent, so all we can do is
            # end the connection without the closing chunk; the client sees the answer is cut short
            self.close_connection = True
        finally:
            answer.close()

    def _graph_page(self, lang: str) -> None:
        try:
            page = self.pages.get("graph:" + lang, lambda: _build_graph_page(self.store_path, lang))
        except (DefkgError, OSError) as e:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the graph page failed: {e}")
        self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", {"Cache-Control": "no-cache"})

    def _editor(self) -> None:
        page = self.pages.get("editor", lambda: editor_page().encode("utf-8"))
        self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", {"Cache-Control": "no-cache"})


NAV = {"Graph": "/", "Graph (Türkçe)": "/?lang=tr", "SPARQL": "/editor"}


def _build_graph_page(store_path: str, lang: str) -> bytes:
    from defkg import view

    with Store(store_path, read_only=True) as st:
        return view.page_html(st, lang=lang, links=NAV).encode("utf-8")


def examples() -> list[dict[str, str]]:
    """The query page's examples: the named queries, then the cookbook (``docs/cookbook`` of a
    checkout: ``*.rq`` files, or ``*.md`` files with fenced ``sparql`` blocks) when there is one."""
    from defkg import queries

    out = [
        {"group": "Named queries", "name": q.name, "description": q.description, "text": q.text}
        for q in queries.named_queries().values()
    ]
    book = Path(__file__).resolve().parents[2] / "docs" / "cookbook"
    if book.is_dir():
        for path in sorted(book.iterdir()):
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            if path.suffix in (".rq", ".sparql"):
                desc = " ".join(ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#"))
                out.append({"group": "Cookbook", "name": path.stem, "description": desc, "text": text})
            elif path.suffix == ".md":
                title = path.stem
                for m in re.finditer(r"^(#+ .*)$|^```sparql[^\n]*\n(.*?)^```", text, re.M | re.S):
                    if m.group(1):
                        title = m.group(1).lstrip("# ").strip()
                    elif m.group(2):
                        out.append(
                            {"group": "Cookbook", "name": title, "description": "", "text": m.group(2)}
                        )
    return out


def editor_page() -> str:
    """The query page: an editor with highlighting, the prefixes, the examples, Run, a table."""
    from defkg.view import _asset, script_json

    data = {"prefixes": PREFIXES, "examples": examples(), "endpoint": "/sparql"}
    parts = {
        "__PAGE_CSS__": _asset("query.css"),
        "__DATA__": script_json(data),
        "__PAGE_JS__": _asset("query.js"),
        "__NAV__": "".join(f'<a href="{html.escape(u)}">{html.escape(k)}</a>' for k, u in NAV.items()),
    }
    return re.sub("|".join(parts), lambda m: parts[m.group(0)], _asset("query.html"))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the listen backlog: bursts of clients wait instead of being reset
    verbose = False

    def __init__(self, address: tuple[str, int], runner: QueryRunner, store_path: str) -> None:
        self.pages = PageCache(store_path)
        handler = type(
            "BoundHandler", (Handler,), {"runner": runner, "store_path": store_path, "pages": self.pages}
        )
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
