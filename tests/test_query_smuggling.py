"""Federated queries (SERVICE) and updates cannot be smuggled past the read-only check.

The check reads the query with a SPARQL tokenizer (``defkg.sparql_tokens``): a ``#`` inside an
IRI or an escaped prefixed name is no comment, a quote inside a comment opens no string, and a
keyword inside a string is text. A loopback listener started by the test must receive nothing
from ``defkg query`` or ``defkg serve``, while the same query run without the check does reach it
(so the listener would notice).
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from defkg import queries, sparql_tokens
from defkg.cli.main import cli
from defkg.errors import QueryError
from defkg.serve import make_server, serve_in_thread
from test_serve import build_store, free_port


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it accepts (and closes it)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(400))
                except OSError:
                    self.hits.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("smuggle") / "store")


BYPASS = (
    "SELECT * WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o . "
    "SERVICE <http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }"
)

# Each text would make Oxigraph send a request (SERVICE) or change data (an update); each hides
# its keyword from a check that strips comments or strings with regular expressions.
SMUGGLED = [
    BYPASS,
    # '#' in an IRI, then SERVICE on the same line
    "SELECT * WHERE { ?s <http://x/#a> ?o SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } }",
    # '#' in a prefixed name's escaped local part (PN_LOCAL_ESC)
    "SELECT * WHERE { ?s dk:x\\#y ?o . SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } }",
    # a quote inside a comment: a string-first scanner would open a string there
    "SELECT * WHERE { # it's\n SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } # '",
    # a long string holding a quote and a '#'
    "SELECT * WHERE { ?s ?p '''it's \" # ''' . SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } }",
    # an escaped quote inside a string
    'SELECT * WHERE { ?s ?p "a\\" # " . SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } }',
    # case, SILENT, a variable as the endpoint, a prefixed name as the endpoint
    "select * where { sErViCe silent <http://127.0.0.1:{port}/> { ?a ?b ?c } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e { ?a ?b ?c } }",
    "PREFIX lo: <http://127.0.0.1:{port}/>\nSELECT * WHERE { SERVICE lo:sparql { ?a ?b ?c } }",
    # a prefix named after the keyword does not hide the keyword itself
    "PREFIX service: <http://127.0.0.1:{port}/>\nSELECT * WHERE { SERVICE service: { ?a ?b ?c } }",
    # in a subquery, in OPTIONAL, in a UNION branch, in EXISTS
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:{port}/> { ?s ?b ?c } } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } }",
    # no white space at all
    "SELECT*{SERVICE<http://127.0.0.1:{port}/>{?a ?b ?c}}",
    # an update loading from the listener, behind a comment holding an IRI-looking '<'
    "# <http://x/#\nLOAD <http://127.0.0.1:{port}/data.ttl>",
    # an update after a query, behind a string holding '#'
    "SELECT * WHERE { ?s ?p '#' } ; LOAD <http://127.0.0.1:{port}/data.ttl>",
]


def _text(template: str, port: int) -> str:
    return template.replace("{port}", str(port))


@pytest.mark.parametrize("template", SMUGGLED)
def test_check_refuses_smuggled_keywords(template: str) -> None:
    with pytest.raises(QueryError, match=r"refused"):
        queries.check_read_only(_text(template, 9))


@pytest.mark.parametrize(
    "query",
    [
        # the keyword as data: in a string, an IRI, a comment, a variable, a prefixed name
        "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1/> { }' }",
        'SELECT * WHERE { ?s ?p """LOAD <http://x/>\nSERVICE""" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "# SERVICE <http://127.0.0.1/> { }\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX service: <http://example.org/>\nSELECT * WHERE { ?s service:load ?o }",
        "SELECT * WHERE { ?s dk:x\\#SERVICE ?o }",
    ],
)
def test_keywords_as_data_are_not_refused(query: str) -> None:
    queries.check_read_only(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'unclosed }",
        'SELECT * WHERE { ?s ?p """never closed }',
        "SELECT * WHERE { ?s ?p ?o } `",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1/> { ?a ?b ?c } }",
    ],
)
def test_unreadable_text_is_refused(query: str) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        queries.check_read_only(query)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("<http://a/#b>", ["IRI"]),
        ("dk:x\\#y", ["PNAME"]),
        ("'''a ' b '' c'''", ["STRING"]),
        ('"a\\"b"', ["STRING"]),
        ("# c 'x\n?v", ["VAR"]),
        ("?a<?b", ["VAR", "PUNCT", "VAR"]),
        ('"x"@en-GB', ["STRING", "LANGTAG"]),
        ('"1"^^xsd:int', ["STRING", "PUNCT", "PNAME"]),
        ("_:b1 a :x", ["BNODE", "WORD", "PNAME"]),
        ("1.5e3 -2", ["NUMBER", "PUNCT", "NUMBER"]),
    ],
)
def test_tokens(text: str, kinds: list[str]) -> None:
    assert [t.kind for t in sparql_tokens.tokens(text)] == kinds


def test_listener_would_see_an_unchecked_query(listener: Listener) -> None:
    """Control: Oxigraph itself does send SERVICE requests, so the tests below can fail."""
    with pytest.raises(OSError):  # the listener closes the connection without an answer
        list(ox.Store().query(_text(SMUGGLED[10], listener.port)))
    deadline = time.monotonic() + 5
    while not listener.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.hits and listener.hits[0].startswith(b"POST / HTTP")


@pytest.mark.parametrize("template", SMUGGLED)
def test_defkg_query_sends_nothing(store: Path, listener: Listener, template: str) -> None:
    text = _text(template, listener.port)
    result = CliRunner().invoke(cli, ["query", text, "--store", str(store), "--timeout", "5"])
    assert result.exit_code == 1
    assert "refused" in result.stderr
    with pytest.raises(QueryError, match="refused"):
        queries.run(store, text, timeout=0)
    time.sleep(0.2)
    assert listener.hits == []


@pytest.fixture(scope="module")
def server(store: Path):  # type: ignore[no-untyped-def]
    srv = make_server(store, port=free_port(), timeout=5.0, workers=1)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("template", [SMUGGLED[0], SMUGGLED[2], SMUGGLED[4], SMUGGLED[10]])
@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_serve_sends_nothing(server, listener: Listener, template: str, method: str) -> None:  # type: ignore[no-untyped-def]
    text = _text(template, listener.port)
    if method == "GET":
        req = urllib.request.Request(server.url + "?query=" + urllib.parse.quote(text))
    elif method == "POST-form":
        body = ("query=" + urllib.parse.quote_plus(text)).encode()
        req = urllib.request.Request(server.url, body, {"Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = urllib.request.Request(server.url, text.encode(), {"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 403
    assert b"refused" in e.value.read()
    time.sleep(0.2)
    assert listener.hits == []


@pytest.mark.parametrize("template", [SMUGGLED[0], SMUGGLED[2], SMUGGLED[10], SMUGGLED[15]])
def test_python_api_sends_nothing(store: Path, listener: Listener, template: str) -> None:
    import defkg

    kg = defkg.open(store, read_only=True)
    with pytest.raises(QueryError, match="refused"):
        kg.query(_text(template, listener.port))
    with pytest.raises(QueryError, match="refused"):
        kg.query(_text(template, listener.port), timeout=5)
    time.sleep(0.2)
    assert listener.hits == []
