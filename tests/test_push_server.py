"""``defkg push`` and ``defkg query --query-endpoint`` against a real Oxigraph server.

The test starts ``oxigraph serve`` (from the ``oxigraph`` package of the test extras) on a free
port, pushes a small store to it, and checks that every named query answers the same there as
on the embedded store.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import missing, oxigraph_command
from defkg import queries, remote
from defkg.cli.main import cli
from defkg.ingest import ntriples
from defkg.pipeline.triples import to_graph
from defkg.push import push
from defkg.store import Store
from test_serve import build_store, extractions, free_port, rows

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    exe = oxigraph_command()
    if exe is None:
        missing("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph")
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(data / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph server did not start: {(data / 'server.log').read_text()[-500:]}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("push") / "store")


def _count(base: str, sparql: str) -> int:
    t = remote.query(f"{base}/query", sparql)
    return int(t.rows[0][0]["value"])  # type: ignore[index]


def _named(name: str) -> str:
    sparql = queries.named_queries()[name].text
    return queries.substitute(sparql, {"a": "TUR", "b": "GBR"}) if name == "meetings-between" else sparql


@pytest.fixture(scope="module")
def pushed(oxigraph: str, store_dir: Path) -> str:
    with Store(store_dir, read_only=True) as st:
        report = push(st, f"{oxigraph}/update", chunk_bytes=5_000)  # small chunks: several requests
    assert report.graphs == 5 and report.requests > 1  # 3 articles, the ontology, the entity graph
    return oxigraph


@pytest.mark.parametrize("name", sorted(queries.named_queries()))
def test_named_queries_same_on_server(pushed: str, store_dir: Path, name: str) -> None:
    with Store(store_dir, read_only=True) as st:
        local = queries.to_table(st.query(_named(name)))
    served = remote.query(f"{pushed}/query", _named(name))
    assert served.vars == local.vars
    assert rows(served) == rows(local)
    if name != "meetings-between":
        assert local.rows  # the store is not empty: the comparison means something


def test_push_again_replaces(pushed: str, store_dir: Path) -> None:
    before = _count(pushed, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    with Store(store_dir, read_only=True) as st:
        push(st, f"{pushed}/update")
    assert _count(pushed, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


def test_push_graph_store_protocol(oxigraph: str, tmp_path: Path) -> None:
    # a changed article graph, sent with PUT, replaces the old one wholly
    x = extractions()[2]
    g = to_graph(x)
    store = tmp_path / "one"
    with Store(store) as st:
        st.replace_graphs([(str(g.identifier), ntriples(g))])
    gname = str(g.identifier)
    stale = f"INSERT DATA {{ GRAPH <{gname}> {{ <urn:x:stale> <urn:x:p> <urn:x:o> }} }}"
    remote.request(f"{oxigraph}/update", stale.encode(), {"Content-Type": "application/sparql-update"})
    with Store(store, read_only=True) as st:
        report = push(st, f"{oxigraph}/update", graph_store=f"{oxigraph}/store")
    assert report.requests == report.graphs == 2  # the article's graph and the entity graph
    n = _count(oxigraph, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{gname}> {{ ?s ?p ?o }} }}")
    assert n == len(g)
    assert _count(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <urn:x:stale> ?p ?o } }") == 0


def test_cli_push_and_query_endpoint(oxigraph: str, store_dir: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["push", "--store", str(store_dir), "--update-endpoint", f"{oxigraph}/update"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        cli, ["query", "meetings", "--query-endpoint", f"{oxigraph}/query", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["results"]["bindings"]) == 3
    res = runner.invoke(cli, ["query", "meetings", "--query-endpoint", "http://127.0.0.1:9/none"])
    assert res.exit_code == 1 and "cannot reach" in res.output
