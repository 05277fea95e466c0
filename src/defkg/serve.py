"""A read-only SPARQL 1.1 Protocol endpoint over a local store (``defkg serve``).

* ``GET /sparql?query=...`` and ``POST /sparql`` (form ``query=...`` or an
  ``application/sparql-query`` body); the default graph is the union of the article graphs
  and the project's prefixes (dk:, dkr:, schema:...) are predeclared.
* Results as SPARQL JSON, XML, CSV or TSV (CONSTRUCT/DESCRIBE: N-Triples, Turtle, RDF/XML),
  chosen by the ``Accept`` header or a ``format``/``output`` parameter; 406 when none of the
  types asked for can be given.
* HTTP/1.1 with keep-alive and a listen backlog of 128; results are streamed (chunked), never
  held whole: a worker sends 64 KiB at a time and waits while the client reads.
* Each query runs in a worker process (``defkg.serve_worker``) holding the store open read-only;
  the worker checks it first: not SPARQL 400 (with its line and column), updates and federated
  queries (SERVICE) 403, no acceptable format 406. A query giving nothing for longer than the
  timeout is stopped (the worker is killed and replaced) and answered 503.
* ``memory``: the resident memory of the server and its workers together; a worker over its share
  while streaming SELECT rows reopens the store (dropping RocksDB's caches) and resumes the answer
  at its row (``defkg.serve_worker``). This process loads neither pyoxigraph nor rdflib; pages
  are built by a child process. Bound to 127.0.0.1 unless told otherwise.
* CORS headers only on cross-origin requests (an ``Origin`` header), with an OPTIONS preflight.
* ``/`` is the analyst's graph page (``defkg.view.page_html``; ``/?lang=tr`` in Turkish), built
  once and kept until the store changes; ``/editor`` is the query page (a browser asking for
  ``/sparql`` without a query gets it too).

Only the standard library's ``http.server`` is used.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from defkg import serve_worker
from defkg.errors import DefkgError, QueryError
from defkg.namespaces import PREFIXES
from defkg.sparql_errors import did_you_mean

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

WORKER_START_SECONDS = 60.0


class _Worker:
    """A query worker (``defkg.serve_worker``): a process of its own started with one end of a
    socket pair (not ``multiprocessing``: no resource-tracker process, no re-import of the CLI)."""

    def __init__(self, store_path: str, memory: int) -> None:
        ours, theirs = socket.socketpair()
        env = _worker_env()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "defkg.serve_worker", str(theirs.fileno()), store_path],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            theirs.close()
        self.sock = ours
        try:
            serve_worker.send_json(ours, {"memory": memory})
            _, payload = serve_worker.receive(ours, WORKER_START_SECONDS)
            msg = json.loads(payload)
        except (TimeoutError, EOFError, OSError):
            self.kill()
            raise DefkgError("the query worker did not start") from None
        if not msg.get("ready"):
            self.kill()
            raise DefkgError(str(msg.get("message", "the query worker did not start")))

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.sock.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            serve_worker.send_json(self.sock, {"stop": True})
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2)
        self.kill()


class QueryTimeout(QueryError):
    pass


class Refused(QueryError):
    """A query the worker did not answer: its HTTP status (400 syntax, 403 update or SERVICE,
    406 no acceptable format, 500 store) and the message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Answer:
    """A query being answered: ``ctype`` and the body as an iterator of byte chunks. Iterate it to
    the end or call ``close`` (which stops the worker if the answer was left half read)."""

    def __init__(self, runner: QueryRunner, worker: _Worker, ctype: str) -> None:
        self.runner, self.worker, self.ctype = runner, worker, ctype
        self.done = False
        self.stats: dict[str, int] = {}  # of a SELECT answer, once sent: rows, reopened, peak_rss, limit

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                try:
                    kind, data = serve_worker.receive(self.worker.sock, self.runner.timeout)
                except TimeoutError:
                    raise QueryTimeout(
                        f"no results for {self.runner.timeout:g} s: the query was stopped"
                    ) from None
                except (EOFError, OSError):
                    raise QueryError("the query worker died (out of memory?)") from None
                if kind == b"D":
                    yield data
                    continue
                msg = json.loads(data)
                self.done = True
                if msg.get("end"):
                    self.stats = {k: v for k, v in msg.items() if k != "end"}
                    return
                raise QueryError(str(msg.get("message")))
        finally:
            self.close()

    def close(self) -> None:
        if self.worker is None:
            return
        worker, self.worker = self.worker, None  # type: ignore[assignment]
        self.runner.release(worker, healthy=self.done)


class QueryRunner:
    """A few worker processes running queries on a store, with a timeout per query. ``memory``:
    the resident memory (bytes) a worker keeps under while streaming SELECT rows (0: no limit)."""

    def __init__(self, store_path: str, workers: int = 2, timeout: float = 30.0, memory: int = 0) -> None:
        self.store_path, self.timeout, self.memory = store_path, timeout, memory
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers = workers
        started: list[_Worker] = []
        try:
            for _ in range(workers):
                started.append(_Worker(store_path, memory))
        except DefkgError:
            for w in started:
                w.stop()
            raise
        for w in started:
            self.idle.put(w)

    def release(self, worker: _Worker, healthy: bool) -> None:
        """Give a worker back; one left half-way through an answer is replaced."""
        if not healthy:  # still writing into the socket (or dead): replace it
            worker.kill()
            worker = _Worker(self.store_path, self.memory)
        self.idle.put(worker)

    def start(self, sparql: str, accept: str) -> Answer:
        """Start answering: the ``Answer`` once the first chunk (or the whole, if small) is ready;
        ``QueryError`` (bad query), ``QueryTimeout`` (too slow or too busy)."""
        started = time.monotonic()
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"busy: no worker free within {self.timeout:g} s") from None
        left = max(0.1, self.timeout - (time.monotonic() - started))
        formats = {
            "select": choose(accept, False),
            "graph": choose(accept, True),
            "default": {"select": choose("", False), "graph": choose("", True)},
            "accept": accept,
            "offered": {"select": offered(False), "graph": offered(True)},
        }
        try:
            serve_worker.send_json(worker.sock, {"query": sparql, "formats": formats})
            _, payload = serve_worker.receive(worker.sock, left)
        except TimeoutError:
            self.release(worker, healthy=False)
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped") from None
        except (EOFError, OSError):
            self.release(worker, healthy=False)
            raise QueryError("the query worker died (out of memory?)") from None
        msg = json.loads(payload)
        if "start" in msg:
            return Answer(self, worker, msg["start"])
        self.idle.put(worker)
        raise Refused(int(msg.get("error", 400)), str(msg.get("message")))

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
            w.stop()


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
        """Answer a query; the worker checks it (400 not SPARQL, 403 update or SERVICE, 406 no
        format the client accepts) so this process never loads the SPARQL machinery."""
        if not sparql.strip():
            return self._error(HTTPStatus.BAD_REQUEST, "no query: give ?query=SPARQL")
        accept = self.headers.get("Accept") or ""
        for key in ("format", "output"):
            fmt = (params.get(key) or [""])[0].lower()
            if fmt:
                if fmt not in _FORMAT_PARAM:
                    return self._error(
                        HTTPStatus.NOT_ACCEPTABLE,
                        f"format {fmt!r}: one of {', '.join(sorted(_FORMAT_PARAM))}"
                        + did_you_mean(fmt, _FORMAT_PARAM),
                    )
                accept = _FORMAT_PARAM[fmt]
                break
        try:
            answer = self.runner.start(sparql, accept)
        except QueryTimeout as e:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(e), {"Retry-After": "5"})
        except Refused as e:
            return self._error(HTTPStatus(e.status), str(e))
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
            if answer.stats.get("reopened"):
                mb = {k: answer.stats.get(k, 0) >> 20 for k in ("peak_rss", "limit")}
                self.log_message(
                    "%d rows; the worker reopened the store %d times to stay under %d MB (largest %d MB)",
                    answer.stats.get("rows", 0),
                    answer.stats["reopened"],
                    mb["limit"],
                    mb["peak_rss"],
                )
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
        page = self.pages.get("editor", lambda: _build_graph_page(self.store_path, "editor"))
        self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", {"Cache-Control": "no-cache"})


NAV = {"Graph": "/", "Graph (Türkçe)": "/?lang=tr", "SPARQL": "/editor"}


SERVER_ROOM = 10 << 20  # what the server process grows by once serving (threads, buffers)
PAGE_SECONDS = 600.0  # the longest a graph page may take to build


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])  # this defkg, wherever it was imported from
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _build_graph_page(store_path: str, lang: str) -> bytes:
    """The graph page in ``lang`` (or the query page, ``"editor"``), built by a process of its own
    (``defkg.serve_worker --page``): its libraries (networkx, pyvis, the SPARQL machinery) and
    the store's data never enter the server's memory."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "defkg.serve_worker", "--page", lang, store_path, json.dumps(NAV)],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=_worker_env(),
            timeout=PAGE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise DefkgError(f"the graph page took longer than {PAGE_SECONDS:g} s") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DefkgError(lines[-1] if lines else f"the page builder failed ({done.returncode})")
    return done.stdout


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
    memory: int = 0,
    shared: bool = False,
) -> Server:
    """A server (not yet serving: call ``serve_forever``) over the store at ``store_path``.
    ``memory`` (bytes, 0: no limit): what each worker keeps under while streaming SELECT rows;
    with ``shared``, what the whole serve keeps under (this process's resident memory now, then
    an equal share for each worker)."""
    if memory and shared:
        own = serve_worker.rss() + SERVER_ROOM  # the server grows a little once it serves
        memory = max(1, (memory - own) // workers)
    runner = QueryRunner(str(store_path), workers=workers, timeout=timeout, memory=memory)
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
