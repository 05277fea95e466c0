"""``defkg serve`` as HTTP: HTTP/1.1 keep-alive, chunked streaming, 406, CORS only when asked with a
working preflight, the graph page cached until the store changes, 16 clients at once without a
reset, and a dump of 134 MB streamed by a server that with its worker stays under 100 MB
(``--memory 100``: a worker drops the store's caches by reopening it, see ``defkg.serve_worker``)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from defkg.serve import make_server, serve_in_thread
from defkg.store import Store
from test_serve import build_store, free_port

pytestmark = pytest.mark.server

ASK = "/sparql?query=" + urllib.parse.quote("ASK { ?m a dk:Meeting }")
STATES = "/sparql?query=" + urllib.parse.quote("SELECT DISTINCT ?s WHERE { ?s a dk:State } ORDER BY ?s")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("http") / "store")


@pytest.fixture(scope="module")
def server(store_dir: Path):  # type: ignore[no-untyped-def]
    srv = make_server(store_dir, port=free_port(), timeout=5.0, workers=2)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


def conn(server) -> http.client.HTTPConnection:  # type: ignore[no-untyped-def]
    host, port = server.server_address[:2]
    return http.client.HTTPConnection(host, port, timeout=60)


def get(server, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):  # type: ignore[no-untyped-def]
    c = conn(server)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r, r.read()
    finally:
        c.close()


def test_http11_keep_alive_and_chunked(server) -> None:  # type: ignore[no-untyped-def]
    c = conn(server)
    try:
        for path in (STATES, "/", STATES):  # three requests on one connection
            c.request("GET", path, headers={"Accept": "text/csv"})
            r = c.getresponse()
            body = r.read()
            assert r.status == 200 and r.version == 11
            if path == STATES:
                assert r.getheader("Transfer-Encoding") == "chunked"
                assert body.decode().splitlines()[0] == "s" and "/state/TUR" in body.decode()
            else:
                assert int(r.getheader("Content-Length")) == len(body)
    finally:
        c.close()


@pytest.mark.parametrize(
    ("sparql", "status", "where"),
    [
        ("SELECT * WHERE { ?s ?p ?o ", 400, "1:"),  # the group is not closed
        ('SELECT * WHERE {\n  ?s ?p "not closed }', 400, "2:"),  # a string the tokenizer cannot read
        ("SELECT * WHERE { ?s foo:bar ?o }", 400, "1:21"),  # an unknown prefix
        ("SELEKT * WHERE { ?s ?p ?o }", 400, "1:1"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT ten", 400, "1:"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", 403, ""),
        ("SELECT * WHERE { SERVICE <http://x.org/s> { ?s ?p ?o } }", 403, ""),
    ],
)
def test_syntax_errors_are_400_with_the_line_and_column(server, sparql, status, where) -> None:  # type: ignore[no-untyped-def]
    r, body = get(server, "/sparql?query=" + urllib.parse.quote(sparql))
    assert r.status == status, body
    text = body.decode()
    if status == 400:
        assert re.search(r"\b\d+:\d+\b", text) and where in text, text  # LINE:COLUMN
    else:
        assert "read-only" in text


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (STATES, {"Accept": "image/png"}, 406),
        (STATES, {"Accept": "application/n-triples"}, 406),  # a graph format for a SELECT
        (STATES + "&format=xlsx", {}, 406),
        (STATES + "&format=jsn", {}, 406),  # did you mean 'json'?
        (STATES, {"Accept": "text/*"}, 200),
        (STATES, {"Accept": "image/png, */*;q=0.1"}, 200),
        (STATES, {}, 200),
        (
            "/sparql?query=" + urllib.parse.quote("CONSTRUCT WHERE { ?s a dk:State }"),
            {"Accept": "text/csv"},
            406,
        ),
        (
            "/sparql?query=" + urllib.parse.quote("SELECT * { SERVICE <http://x.org/s> { ?s ?p ?o } }"),
            {},
            403,
        ),
    ],
)
def test_406_and_refusals(server, path, headers, status) -> None:  # type: ignore[no-untyped-def]
    r, body = get(server, path, headers)
    assert r.status == status, body
    if status == 406:
        assert b"csv" in body  # says what it can give
    if "format=jsn" in path:
        assert b"did you mean 'json'" in body


def test_cors_only_when_asked(server) -> None:  # type: ignore[no-untyped-def]
    r, _ = get(server, ASK)
    assert r.getheader("Access-Control-Allow-Origin") is None
    r, _ = get(server, ASK, {"Origin": "https://notebook.example"})
    assert r.getheader("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize(
    ("method", "req_headers", "allowed"),
    [("POST", "content-type", True), ("GET", "", True), ("PUT", "", False), ("POST", "x-secret", False)],
)
def test_preflight(server, method, req_headers, allowed) -> None:  # type: ignore[no-untyped-def]
    headers = {"Origin": "https://notebook.example", "Access-Control-Request-Method": method}
    if req_headers:
        headers["Access-Control-Request-Headers"] = req_headers
    r, body = get(server, "/sparql", headers, method="OPTIONS")
    assert r.status == 204 and body == b""
    assert (r.getheader("Access-Control-Allow-Origin") == "*") is allowed
    if allowed:
        assert method in r.getheader("Access-Control-Allow-Methods")


def test_query_page_and_browser_on_sparql(server) -> None:  # type: ignore[no-untyped-def]
    for path, headers in (("/editor", {}), ("/sparql", {"Accept": "text/html,*/*;q=0.8"})):
        r, body = get(server, path, headers)
        assert r.status == 200 and r.getheader("Content-Type").startswith("text/html")
        assert b'id="q-text"' in body and b"meetings-between" in body  # editor and the named queries
        assert b'"group":"Cookbook"' in body  # and docs/cookbook


DK = "https://w3id.org/defkg/ontology#"
EXTRA = "https://w3id.org/defkg/id/meeting/chl-tur/x"


def test_graph_page_cached_until_store_changes(tmp_path) -> None:
    path = build_store(tmp_path / "store")
    srv = make_server(path, port=free_port(), timeout=5.0, workers=1)
    serve_in_thread(srv)
    try:
        first = get(srv, "/")[1]
        assert get(srv, "/")[1] == first and srv.pages.builds == 1
        get(srv, "/?lang=tr")
        assert srv.pages.builds == 2  # one page per language
        with Store(path) as st:  # a writer adds a report of a new pair
            st.replace_graph(
                "https://w3id.org/defkg/id/graph/extra",
                f"<{EXTRA}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DK}Meeting> .\n"
                f"<{EXTRA}> <{DK}participatingState> <https://w3id.org/defkg/id/state/CHL> .\n",
            )
        again = get(srv, "/")[1]
        assert srv.pages.builds == 3 and b'"CHL"' in again and b'"CHL"' not in first
    finally:
        srv.shutdown()
        srv.server_close()


def test_sixteen_clients_at_once(server) -> None:  # type: ignore[no-untyped-def]
    """16 clients connect at the same moment, each sending 6 requests on its connection."""
    barrier = threading.Barrier(16)
    failures: list[str] = []
    statuses: list[int] = []

    def client(i: int) -> None:
        try:
            c = conn(server)
            barrier.wait()
            for path in (STATES, "/", ASK, "/editor", STATES, ASK):
                c.request("GET", path, headers={"Accept": "text/csv"} if "query" in path else {})
                r = c.getresponse()
                r.read()
                statuses.append(r.status)
            c.close()
        except Exception as e:  # a reset, a refused connection, a timeout: all failures
            failures.append(f"client {i}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    assert statuses == [200] * 16 * 6


def test_backlog_is_real(server) -> None:  # type: ignore[no-untyped-def]
    assert server.request_queue_size >= 128


# -- a big dump, streamed ------------------------------------------------------------------------------

DUMP_TRIPLES = 300_000
FILLER = "x" * 400  # ~450 bytes a row: the dump is ~135 MB, more than the memory allowed


def big_store(path: Path) -> Path:
    import pyoxigraph as ox

    g = "<https://w3id.org/defkg/id/graph/big>"
    lines = (
        f'<https://w3id.org/defkg/id/thing/{i}> <https://w3id.org/defkg/ontology#text> "{FILLER}{i}" {g} .\n'
        for i in range(DUMP_TRIPLES)
    )
    store = ox.Store(str(path))
    store.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


def wait_for_port(port: int, seconds: float = 60.0) -> None:
    """Until a server listens on 127.0.0.1:port (a serve started as a process of its own)."""
    for _ in range(int(seconds * 10)):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)


def rss_tree(pid: int) -> tuple[int, int]:
    """(RSS of the server process, RSS of all its worker processes together), bytes."""
    import psutil

    proc = psutil.Process(pid)
    kids = proc.children(recursive=True)
    workers = 0
    for k in kids:
        with contextlib.suppress(psutil.NoSuchProcess):
            workers += k.memory_info().rss
    return proc.memory_info().rss, workers


@pytest.mark.slow
def test_streamed_dump_under_100_mb(tmp_path) -> None:
    path = big_store(tmp_path / "big")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent / "src"), *sys.path]),
    }
    command = ["-m", "defkg", "serve", "--store", str(path), "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(
        [sys.executable, *command, "--memory", "100", "--verbose"],
        stderr=subprocess.PIPE,
        env=env,
    )
    log: list[str] = []  # the server's log (read as it comes: a full pipe would stop the server)
    lines = iter(proc.stderr or ())
    reader = threading.Thread(target=lambda: log.extend(line.decode(errors="replace") for line in lines))
    reader.start()
    try:
        wait_for_port(port)
        peak = [0, 0, 0]  # server, workers, the whole serve (at one moment)
        got = [0]  # bytes received so far
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                srv, workers = rss_tree(proc.pid)
                peak[0], peak[1], peak[2] = (
                    max(peak[0], srv),
                    max(peak[1], workers),
                    max(peak[2], srv + workers),
                )
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        c.request(
            "GET",
            "/sparql?query=" + urllib.parse.quote("SELECT ?s ?o WHERE { ?s dk:text ?o }"),
            headers={"Accept": "text/csv"},
        )
        r = c.getresponse()
        assert r.status == 200 and r.getheader("Transfer-Encoding") == "chunked"
        rows = 0
        while True:
            chunk = r.read(1 << 16)
            if not chunk:
                break
            got[0] += len(chunk)
            rows += chunk.count(b"\n")
            time.sleep(0.001)  # a client reading a little slower than the server writes
        done.set()
        sampler.join()
        c.close()
        size = got[0]
        report = {
            "bytes": size,
            "rows": rows - 1,
            "server_rss_mb": peak[0] >> 20,
            "worker_rss_mb": peak[1] >> 20,
            "serve_rss_mb": peak[2] >> 20,
        }
        for _ in range(100):  # the log line of the answer is written once it is sent
            if any("reopened the store" in line for line in log):
                break
            time.sleep(0.05)
        report["log"] = [line.strip()[-160:] for line in log if "rows;" in line]
        print(json.dumps(report))
        assert rows - 1 == DUMP_TRIPLES and size > 100 << 20
        # the whole serve (server and worker, RSS sampled every 20 ms) stays under 100 MB while
        # it sends 134 MB; without the limit the worker alone reached 196 MB (RocksDB's caches)
        assert peak[2] < 100 << 20, report
        assert report["log"], log  # the server says what the worker did to keep the limit
    finally:
        proc.terminate()
        proc.wait(30)
        reader.join(10)
