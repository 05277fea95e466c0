"""Talking to SPARQL servers without one: authentication (Basic, Digest) against a small local HTTP
server, credentials kept out of messages, time-outs named, terms normalised, capped results
refused, updates split and retried, SPARQL text never taken for a file name."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from defkg import push as push_mod
from defkg import queries, remote
from defkg.cli.main import cli
from defkg.errors import QueryError

# --- a local server asking for Basic or Digest authentication ----------------------------------

USER, PASSWORD = "alice", "p4ss-w0rd!"
REALM = "defkg-test"
RESULTS = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}
)


def _md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def _digest_ok(header: str, method: str) -> bool:
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest ") :]))
    ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
    ha2 = _md5(f"{method}:{fields.get('uri', '')}")
    want = _md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
    return fields.get("username") == USER and fields.get("response") == want


class _Handler(http.server.BaseHTTPRequestHandler):
    scheme = "digest"
    challenges = 0
    bodies: ClassVar[list[bytes]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        ok = (
            _digest_ok(auth, self.command)
            if type(self).scheme == "digest" and auth.startswith("Digest ")
            else auth == "Basic " + __import__("base64").b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        )
        if not ok:
            type(self).challenges += 1
            self.send_response(401)
            if type(self).scheme == "digest":
                nonce = hashlib.sha1(str(type(self).challenges).encode()).hexdigest()
                self.send_header(
                    "WWW-Authenticate",
                    f'Digest realm="{REALM}", nonce="{nonce}", opaque="xyz", qop="auth", algorithm="MD5"',
                )
            else:
                self.send_header("WWW-Authenticate", f'Basic realm="{REALM}"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        type(self).bodies.append(body)
        data = RESULTS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _handle


class AuthServer:
    def __init__(self, scheme: str) -> None:
        self.handler: type[_Handler] = type(
            "H", (_Handler,), {"scheme": scheme, "challenges": 0, "bodies": []}
        )
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.base = f"http://127.0.0.1:{self.srv.server_address[1]}"


@pytest.fixture(params=["digest", "basic"])
def auth(request: pytest.FixtureRequest) -> Iterator[AuthServer]:
    server = AuthServer(request.param)
    threading.Thread(target=server.srv.serve_forever, args=(0.02,), daemon=True).start()
    remote._schemes.clear()
    yield server
    server.srv.shutdown()
    server.srv.server_close()


@pytest.mark.parametrize("where", ["url", "credentials", "env"])
def test_credentials_from_anywhere_are_accepted(
    auth: AuthServer, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth_server = auth.base
    url, creds = f"{auth_server}/sparql", None
    if where == "url":
        url = auth_server.replace("http://", f"http://{USER}:{PASSWORD.replace('!', '%21')}@") + "/sparql"
    elif where == "credentials":
        creds = remote.Credentials(USER, PASSWORD)
    else:
        monkeypatch.setenv("DEFKG_USER", USER)
        monkeypatch.setenv("DEFKG_PASSWORD", PASSWORD)
    table = remote.query(url, "SELECT ?x WHERE { ?x ?p ?o }", credentials=creds)
    assert table.rows == (({"type": "literal", "value": "1"},),)


def test_the_scheme_is_remembered_so_later_requests_are_not_refused_first(auth: AuthServer) -> None:
    auth_server = auth.base
    creds = remote.Credentials(USER, PASSWORD)
    for _ in range(5):
        remote.request(f"{auth_server}/store?graph=x", b"<a:b> <a:c> <a:d> .", {}, "PUT", credentials=creds)
    handler = auth.handler
    assert handler.challenges == 1  # one 401, then every request authenticated at once
    assert len(handler.bodies) == 5


def test_refused_credentials_are_reported_without_the_password(auth: AuthServer) -> None:
    auth_server = auth.base
    url = auth_server.replace("http://", f"http://{USER}:wrong-secret@") + "/sparql"
    with pytest.raises(QueryError) as e:
        remote.query(url, "SELECT * WHERE { ?s ?p ?o }")
    assert "HTTP 401" in str(e.value) and "refused the credentials" in str(e.value)
    assert "wrong-secret" not in str(e.value) and USER not in str(e.value)


def test_no_credentials_says_how_to_give_them(auth: AuthServer, monkeypatch: pytest.MonkeyPatch) -> None:
    auth_server = auth.base
    monkeypatch.delenv("DEFKG_USER", raising=False)
    with pytest.raises(QueryError, match="DEFKG_USER"):
        remote.query(f"{auth_server}/sparql", "SELECT * WHERE { ?s ?p ?o }")


def test_digest_response_of_rfc_2617(monkeypatch: pytest.MonkeyPatch) -> None:
    # the worked example of RFC 2617, section 3.5
    monkeypatch.setattr(remote.secrets, "token_hex", lambda n: "0a4f113b")
    d = remote._Digest(
        remote.parse_challenges(
            'Digest realm="testrealm@host.com", qop="auth,auth-int", '
            'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
        )["digest"]
    )
    header = d.header(remote.Credentials("Mufasa", "Circle Of Life"), "GET", "/dir/index.html")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header


CHALLENGES = [
    ('Basic realm="x"', {"basic": {"realm": "x"}}),
    (
        'Digest realm="SPARQL", domain="/sparql-auth", nonce="ab12", stale="false", qop="auth"',
        {
            "digest": {
                "realm": "SPARQL",
                "domain": "/sparql-auth",
                "nonce": "ab12",
                "stale": "false",
                "qop": "auth",
            }
        },
    ),
    (
        'Digest realm="a, b", nonce=xyz, Basic realm="c"',
        {"digest": {"realm": "a, b", "nonce": "xyz"}, "basic": {"realm": "c"}},
    ),
]


@pytest.mark.parametrize(("header", "expected"), CHALLENGES)
def test_parse_challenges(header: str, expected: dict[str, dict[str, str]]) -> None:
    assert remote.parse_challenges(header) == expected


REDACT = [
    ("http://dba:s3cret@127.0.0.1:8890/sparql-auth: HTTP 500", "http://127.0.0.1:8890/sparql-auth: HTTP 500"),
    ("pushed to https://u@host/x and http://a:b@h/", "pushed to https://host/x and http://h/"),
    ("no url here", "no url here"),
]


@pytest.mark.parametrize(("text", "expected"), REDACT)
def test_redact(text: str, expected: str) -> None:
    assert remote.redact(text) == expected


def test_redact_also_removes_a_known_password_anywhere() -> None:
    assert (
        remote.redact("server said: bad s3cret-pw", remote.Credentials("dba", "s3cret-pw"))
        == "server said: bad ***"
    )


def test_split_url() -> None:
    url, creds = remote.split_url("http://dba:p%40ss@[::1]:8890/sparql?x=1")
    assert url == "http://[::1]:8890/sparql?x=1"
    assert creds == remote.Credentials("dba", "p@ss")
    assert remote.split_url("http://h/x") == ("http://h/x", None)


# --- time-outs ----------------------------------------------------------------------------------


def test_client_side_timeout_is_named_a_timeout() -> None:
    with socket.socket() as s:  # accepts connections (the backlog) but never answers
        s.bind(("127.0.0.1", 0))
        s.listen(5)
        port = s.getsockname()[1]
        with pytest.raises(QueryError) as e:
            remote.query(f"http://127.0.0.1:{port}/sparql", "SELECT * WHERE { ?s ?p ?o }", timeout=0.5)
    assert "timed out" in str(e.value) and "client-side" in str(e.value)
    assert "cannot reach" not in str(e.value)


def test_unreachable_is_not_a_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connection refused
        with pytest.raises(QueryError, match="cannot reach the endpoint"):
            remote.query(f"http://127.0.0.1:{port}/sparql", "ASK {}", timeout=2)


SERVER_ERRORS = [
    (500, "Virtuoso S1T00 Error SR171: Transaction timed out", True),
    (
        500,
        "Virtuoso 42000 Error The estimated execution time 37785 (sec) exceeds the limit of 400 (sec).",
        True,
    ),
    (503, "Query timed out", True),
    (500, "Virtuoso 42000 Error SQ199: Maximum size (32767) of a code vector exceeded", False),
    (400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error", False),
]


@pytest.mark.parametrize(("code", "body", "timeout"), SERVER_ERRORS)
def test_server_side_timeouts_are_named(code: int, body: str, timeout: bool) -> None:
    message = remote._http_error("http://h/sparql", code, "Error", body, None)
    assert ("timed out on the server" in message) == timeout
    assert body[:40] in message


# --- results --------------------------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    (
        {"type": "typed-literal", "datatype": XSD + "integer", "value": "3"},
        {"type": "literal", "datatype": XSD + "integer", "value": "3"},
    ),
    (
        {"type": "typed-literal", "datatype": XSD + "boolean", "value": "1"},
        {"type": "literal", "datatype": XSD + "boolean", "value": "true"},
    ),
    (
        {"type": "literal", "datatype": XSD + "boolean", "value": "0"},
        {"type": "literal", "datatype": XSD + "boolean", "value": "false"},
    ),
    ({"type": "literal", "datatype": XSD + "string", "value": "a"}, {"type": "literal", "value": "a"}),
    (
        {"type": "literal", "xml:lang": "EN", "value": "a"},
        {"type": "literal", "xml:lang": "en", "value": "a"},
    ),
    ({"type": "uri", "value": "http://x/"}, {"type": "uri", "value": "http://x/"}),
]


@pytest.mark.parametrize(("term", "expected"), TERMS)
def test_terms_are_normalised(term: dict[str, str], expected: dict[str, str]) -> None:
    assert remote._term(term) == expected


CAPS = [
    ({"X-SPARQL-MaxRows": "10000"}, 10000, "ResultSetMaxRows"),
    ({"X-SPARQL-MaxRows": "10000"}, 12, None),
    (
        {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"},
        3,
        "MaxQueryExecutionTime",
    ),
    ({}, 10000, None),
]


@pytest.mark.parametrize(("headers", "rows", "error"), CAPS)
def test_capped_or_incomplete_results_are_refused(
    headers: dict[str, str], rows: int, error: str | None
) -> None:
    if error is None:
        remote.check_complete("http://h/sparql", headers, rows)
    else:
        with pytest.raises(QueryError, match=error):
            remote.check_complete("http://h/sparql", headers, rows)


# --- push: blank nodes, split and retry ---------------------------------------------------------------

SKOLEM = [
    ("<a:s> <a:p> <a:o> .\n", False),
    ("_:b0 <a:p> <a:o> .\n<a:s> <a:p> _:b0 .\n", True),
    ('<a:s> <a:p> "text with _:b0 . in it" .\n', False),
]


@pytest.mark.parametrize(("nt", "changed"), SKOLEM)
def test_blank_nodes_are_skolemised(nt: str, changed: bool) -> None:
    import pyoxigraph as ox

    out = push_mod.skolemise("https://w3id.org/defkg/id/graph/x", nt)
    assert (out != nt) == changed
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    if changed:
        assert (
            out.count(push_mod.GENID) == 2
            and len({t.subject for t in triples} | {t.object for t in triples}) == 3
        )


def test_failed_updates_are_split_and_sent_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from defkg.store import Store

    sent: list[str] = []

    def fake_request(url: str, data: bytes, headers: object, method: str = "POST", **kw: object) -> tuple:
        text = data.decode()
        if len(text) > 1500:  # the server cannot take large requests
            raise QueryError(f"{url}: HTTP 500 SPARQL Request Failed: SQ199: Maximum size of a code vector")
        sent.append(text)
        return 200, b"", {}

    graphs = {
        f"http://x/g{i}": "".join(f'<http://x/s{j}> <http://x/p> "{i}-{j}" .\n' for j in range(40))
        for i in range(3)
    }
    with Store(tmp_path / "s") as st:
        st.replace_graphs(list(graphs.items()))
    monkeypatch.setattr(remote, "request", fake_request)
    with Store(tmp_path / "s", read_only=True) as st:
        report = push_mod.push(st, "http://h/update", chunk_bytes=100_000)
    assert report.retries > 0 and report.requests == len(sent)
    # every graph dropped exactly once, before any of its triples were inserted, and every triple sent
    for g, nt in graphs.items():
        drops = [i for i, t in enumerate(sent) if f"DROP SILENT GRAPH <{g}>" in t]
        inserts = [i for i, t in enumerate(sent) if f"GRAPH <{g}> {{" in t]
        assert len(drops) == 1 and drops[0] == min(inserts)
        for line in nt.splitlines():
            assert sum(line in t for t in sent) == 1


def test_server_errors_that_splitting_cannot_help_are_not_retried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from defkg.store import Store

    calls = []

    def refusing(url: str, data: bytes, headers: object, method: str = "POST", **kw: object) -> tuple:
        calls.append(data)
        raise QueryError(f"{url}: HTTP 401 Unauthorized: the server refused the credentials")

    with Store(tmp_path / "s") as st:
        st.replace_graphs(
            [("http://x/g", "<http://x/s> <http://x/p> <http://x/o> .\n<http://x/s> <http://x/p> 2 .\n")]
        )
    monkeypatch.setattr(remote, "request", refusing)
    with Store(tmp_path / "s", read_only=True) as st, pytest.raises(QueryError, match="401"):
        push_mod.push(st, "http://h/update")
    assert len(calls) == 1


def test_a_graph_store_put_failing_with_a_server_error_is_sent_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A PUT replaces the graph, so a server error (Virtuoso's occasional SR197 when two requests
    bring a new language tag at once) is retried; a refusal (4xx) is not."""
    from defkg.store import Store

    calls: list[tuple[str, str]] = []
    failed: set[str] = set()

    def flaky(url: str, data: bytes, headers: object, method: str = "POST", **kw: object) -> tuple:
        calls.append((method, url))
        if url not in failed:  # every graph's first PUT fails
            failed.add(url)
            raise QueryError(f"{url}: HTTP 500 Request Failed: SR197: Non unique primary key on RDF_LANGUAGE")
        return 201, b"", {}

    monkeypatch.setattr(push_mod.time, "sleep", lambda s: None)
    with Store(tmp_path / "s") as st:
        st.replace_graphs([(f"http://x/g{i}", f'<http://x/s> <http://x/p> "{i}"@en .\n') for i in range(3)])
    monkeypatch.setattr(remote, "request", flaky)
    with Store(tmp_path / "s", read_only=True) as st:
        report = push_mod.push(st, graph_store="http://h/store")
    graphs = {u for m, u in calls if "g" in u and m == "PUT"}
    assert report.retries == len(graphs) and report.graphs == len(graphs) >= 3
    assert len(calls) == 2 * len(graphs)


def test_push_needs_an_endpoint(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["push", "--store", str(tmp_path / "s")])
    assert res.exit_code == 2 and "--graph-store or --update-endpoint" in res.output


# --- SPARQL text is never taken for a file name ----------------------------------------------------

LONG = (
    "SELECT ?article WHERE { ?article a dk:Article . "
    + " ".join(f"OPTIONAL {{ ?article schema:headline ?h{i} }}" for i in range(12))
    + " }"
)
TEXTS = [
    LONG,  # one line, longer than a file name may be
    "SELECT *\nWHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
    "SELECT " + "?x " * 2000 + "WHERE { ?x ?p ?o }",  # longer than a path may be
]


@pytest.mark.parametrize("text", TEXTS)
def test_sparql_text_is_not_tried_as_a_file(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_file_system(self: Path) -> bool:
        raise AssertionError(f"tried {str(self)[:40]!r} as a file")

    monkeypatch.setattr(Path, "is_file", no_file_system)
    assert queries.resolve(text) == text


def test_a_query_file_is_still_read(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert queries.resolve(str(f)) == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no such query file"):
        queries.resolve(str(tmp_path / "missing.rq"))


def test_cli_runs_long_one_line_sparql(tmp_path: Path) -> None:
    from defkg.store import Store

    with Store(tmp_path / "s") as st:
        st.replace_graphs([("http://x/g", "<http://x/a> a <https://w3id.org/defkg/ontology#Article> .\n")])
    assert len(LONG.encode()) > 255
    res = CliRunner().invoke(cli, ["query", LONG, "--store", str(tmp_path / "s"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["article", "http://x/a"]


# --- named queries stay portable (what Virtuoso answers differently; tests/test_virtuoso.py runs them) ---

NOT_PORTABLE = [
    # a FILTER inside OPTIONAL that reads ?lang from outside: Virtuoso drops every optional row
    (
        r"OPTIONAL\s*\{(?:[^{}]|\{[^{}]*\})*?FILTER[^{}]*?\?lang",
        "BIND(LANG(?label) AS ?lang) inside OPTIONAL",
    ),
    (r"\bSAMPLE\s*\(", "MIN(STR(...)): SAMPLE picks another value on each server"),
    (r"\bGROUP_CONCAT\s*\(", "MIN/MAX: the order of GROUP_CONCAT is the server's"),
    (r"BIND\s*\(\s*EXISTS", "xsd:boolean(EXISTS {...}): Virtuoso answers a bare EXISTS as 1/0 integers"),
]


@pytest.mark.parametrize("name", sorted(queries.named_queries()))
def test_named_queries_avoid_what_servers_answer_differently(name: str) -> None:
    text = "\n".join(
        ln for ln in queries.named_queries()[name].text.splitlines() if not ln.lstrip().startswith("#")
    )
    for pattern, instead in NOT_PORTABLE:
        m = re.search(pattern, text, re.IGNORECASE)
        assert m is None, f"{name}: {m.group(0)[:60]!r}; write {instead}"  # type: ignore[union-attr]
