"""The same store pushed to OpenLink Virtuoso and to Oxigraph server answers every named query
with the same rows as the embedded store.

The test starts its own Virtuoso (Debian package ``virtuoso-opensource``: ``virtuoso-t``) on
127.0.0.1 with free ports, a database directory in tmp and a ``dba`` password of its own
(``tests/virtuoso.py``), and stops it at the end; it never uses a system service. Without
Virtuoso installed the Virtuoso cases are skipped, except under CI (``CI=true``), where they fail
(``conftest.missing``).

The store holds the dev corpora (``../shared/corpus/dev`` and ``dev2``) when they are there, else
the project's own ``tests/corpus``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import virtuoso as vt
from conftest import canonical_triples, missing
from defkg import queries, remote
from defkg.cli.main import cli
from defkg.errors import QueryError
from defkg.ingest import ingest
from defkg.push import GENID, push
from defkg.store import Store
from test_push_server import oxigraph  # noqa: F401  (the Oxigraph server fixture)

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def corpus_dirs() -> list[Path]:
    dev = [SHARED / d for d in ("dev", "dev2") if (SHARED / d).is_dir()]
    return dev or [ROOT / "tests" / "corpus"]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    report = ingest(corpus_dirs(), path, jobs=1)
    assert report.ok, report.errors
    return path


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vt.Virtuoso]:
    if vt.executable() is None:
        missing("Virtuoso is not installed (virtuoso-t; apt-get install virtuoso-opensource)")
    with vt.running(tmp_path_factory.mktemp("virtuoso"), max_rows=5_000) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso_pushed(virtuoso: vt.Virtuoso, store_dir: Path) -> str:
    # through the CLI: Graph Store Protocol with Digest authentication, no --update-endpoint,
    # the password from the environment
    res = CliRunner().invoke(
        cli,
        ["push", "--store", str(store_dir), "--user", "dba", "--graph-store", virtuoso.graph_store],
        env={"DEFKG_PASSWORD": virtuoso.password},
    )
    assert res.exit_code == 0, res.output
    assert virtuoso.password not in res.output and "pushed" in res.output
    return virtuoso.query


@pytest.fixture(scope="module")
def oxigraph_pushed(oxigraph: str, store_dir: Path) -> str:  # noqa: F811
    with Store(store_dir, read_only=True) as st:
        push(st, graph_store=f"{oxigraph}/store")
    return f"{oxigraph}/query"


def rows(table: queries.Table) -> Counter[tuple[str | None, ...]]:
    """The rows as a multiset (order aside, duplicates counted)."""
    return Counter(tuple(json.dumps(t, sort_keys=True) if t else None for t in r) for r in table.rows)


def named(name: str, lang: str) -> str:
    sparql = queries.with_lang(queries.named_queries()[name].text, lang)
    return queries.substitute(sparql, {"a": "TUR", "b": "GBR"}) if name == "meetings-between" else sparql


@pytest.mark.parametrize("lang", ["en", "tr"])
@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("name", sorted(queries.named_queries()))
def test_named_queries_same_rows_on_servers(
    request: pytest.FixtureRequest, store_dir: Path, server: str, name: str, lang: str
) -> None:
    endpoint = request.getfixturevalue(f"{server}_pushed")
    with Store(store_dir, read_only=True) as st:
        local = queries.to_table(st.query(named(name, lang)))
    served = remote.query(endpoint, named(name, lang))
    assert served.vars == local.vars
    assert rows(served) == rows(local)
    if name != "meetings-between" or corpus_dirs()[0].parent == SHARED:
        assert local.rows  # the store is not empty: the comparison means something


def triples(table: queries.Table) -> frozenset[str]:
    """A graph's rows (?s ?p ?o) as its triples in text, blank nodes named by rdflib's canonical
    labelling: equal for isomorphic graphs. Evidence nodes are blank nodes, which each store names
    its own way; a skolem IRI of ``push`` (``GENID``) is read as the blank node it stands for."""
    from rdflib import BNode, Graph, Literal, URIRef

    def term(t: dict[str, str]) -> BNode | URIRef | Literal:
        if t["type"] == "bnode" or t["value"].startswith(GENID):
            return BNode("b" + hashlib.sha256(t["value"].encode()).hexdigest())
        if t["type"] == "uri":
            return URIRef(t["value"])
        return Literal(t["value"], lang=t.get("xml:lang"), datatype=t.get("datatype"))

    g = Graph()
    for row in table.rows:
        g.add(tuple(term(x) for x in row))  # type: ignore[arg-type]
    return canonical_triples(g)


def _graph_rows(endpoint: str, graph: str) -> frozenset[str]:
    return triples(remote.query(endpoint, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


def test_same_triples_on_virtuoso(virtuoso_pushed: str, store_dir: Path) -> None:
    with Store(store_dir, read_only=True) as st:
        graphs = st.graphs()
        # some article graphs, the entity graph (one description of every state, person...), the ontology
        assert "https://w3id.org/defkg/id/graph/entities" in graphs
        for g in graphs[:5] + [g for g in graphs if "/graph/" not in g or g.endswith("/entities")]:
            local = triples(
                queries.to_table(st.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"))
            )
            assert local and _graph_rows(virtuoso_pushed, g) == local, g


def test_update_path_with_digest_and_blank_nodes(
    virtuoso: vt.Virtuoso, virtuoso_pushed: str, store_dir: Path, tmp_path: Path
) -> None:
    # three of the corpus graphs and a graph of blank nodes (the corpus is pushed back at the end)
    with Store(store_dir, read_only=True) as st:
        articles = [g for g in st.graphs() if "/graph/" in g and not g.endswith("/entities")][:3]
        payloads = [(g, _ntriples(st, g)) for g in articles]
    bnodes = "urn:defkg-test:blank-nodes"
    payloads.append((bnodes, '_:a <urn:x:p> _:b .\n_:b <urn:x:p> "ç ş \\" \\\\ ğ"@tr .\n'))
    with Store(tmp_path / "small") as small:
        small.replace_graphs(payloads)
    stale = f"INSERT DATA {{ GRAPH <{articles[0]}> {{ <urn:x:stale> <urn:x:p> <urn:x:o> }} }}"
    remote.request(
        virtuoso.update,
        stale.encode(),
        {"Content-Type": "application/sparql-update"},
        credentials=remote.Credentials("dba", virtuoso.password),
    )
    url = virtuoso.update.replace("http://", f"http://dba:{virtuoso.password}@")
    try:
        with Store(tmp_path / "small", read_only=True) as small:
            report = push(small, url, chunk_bytes=30_000)
            # the three articles, the blank nodes and the store's entity graph (of those three)
            assert report.graphs == 5 and report.requests >= 2
            for g in articles:
                local = triples(
                    queries.to_table(small.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"))
                )
                # replaced wholly: the stale triple is gone
                assert local and _graph_rows(virtuoso.query, g) == local, g
    finally:  # the corpus again (its entity graph was replaced by the small store's)
        with Store(store_dir, read_only=True) as st:
            push(
                st, graph_store=virtuoso.graph_store, credentials=remote.Credentials("dba", virtuoso.password)
            )
    served = remote.query(virtuoso.query, f"SELECT ?s ?o WHERE {{ GRAPH <{bnodes}> {{ ?s ?p ?o }} }}")
    assert len(served.rows) == 2
    assert all(r[0]["value"].startswith(GENID) for r in served.rows)  # type: ignore[index]
    assert {r[1]["value"] for r in served.rows} >= {'ç ş " \\ ğ'}  # type: ignore[index]


def _ntriples(st: Store, graph: str) -> str:
    import pyoxigraph as ox

    triples = st.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False)
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode()


def test_wrong_password_refused_and_not_printed(virtuoso: vt.Virtuoso, store_dir: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "push",
            "--store",
            str(store_dir),
            "--user",
            "dba:not-the-password",
            "--graph-store",
            virtuoso.graph_store,
        ],
    )
    assert res.exit_code == 1
    assert "HTTP 401" in res.output and "not-the-password" not in res.output


def test_capped_results_are_an_error_saying_what_to_set(virtuoso_pushed: str) -> None:
    # the test server caps results at 5,000 rows; the corpus has more triples than that
    with pytest.raises(QueryError, match="ResultSetMaxRows"):
        remote.query(virtuoso_pushed, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(remote.query(virtuoso_pushed, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 100").rows) == 100


def test_server_side_timeout_is_named(virtuoso_pushed: str) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            "--query-endpoint",
            virtuoso_pushed,
        ],
    )
    assert res.exit_code == 1 and "timed out on the server" in res.output


# Virtuoso has no boolean values of its own: `true` or `1 > 2` come back as the integers 1 and 0;
# cast with xsd:boolean() they come back typed xsd:boolean (still 1/0, which the client turns into
# true/false). The named queries cast their boolean columns so.
EXPRESSIONS = [
    "SELECT ?t ?f WHERE { BIND(xsd:boolean(true) AS ?t) BIND(xsd:boolean(1 > 2) AS ?f) }",
    "SELECT ?b WHERE { BIND(xsd:boolean(EXISTS { ?s a dk:Meeting }) AS ?b) }",
    "SELECT ?m (xsd:boolean(MAX(?e)) AS ?b) "
    "WHERE { ?m a dk:Meeting BIND(EXISTS { ?m dk:participant ?p } AS ?e) } GROUP BY ?m",
    'SELECT ?d WHERE { BIND("2025-05-29"^^xsd:date AS ?d) }',
    "SELECT (COUNT(*) AS ?n) WHERE { ?m a dk:Meeting }",
    "ASK { ?m a dk:Meeting }",
]


@pytest.mark.parametrize("sparql", EXPRESSIONS)
def test_terms_normalised_to_the_embedded_stores(virtuoso_pushed: str, store_dir: Path, sparql: str) -> None:
    from defkg.remote import with_prefixes

    with Store(store_dir, read_only=True) as st:
        local = queries.to_table(st.query(with_prefixes(sparql)))
    assert rows(remote.query(virtuoso_pushed, sparql)) == rows(local)
