"""The store: atomic per-article graphs, idempotent re-ingest, one writer at a time (checked with
real processes), readers alongside a writer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import code_snapshot
from defkg.entities import ENTITY_GRAPH
from defkg.errors import StoreError
from defkg.ingest import ONTOLOGY_GRAPH, ingest
from defkg.store import Store, open_store

ARTICLES = {
    "a.txt": "The defence minister of the United Kingdom met the Turkish chief of the general staff in "
    "Ankara on Monday, and the two said that the talks were useful for the security of the region.",
    "b.txt": "Millî Savunma Bakanı, İngiltere Savunma Bakanı ile Ankara'da bir araya geldi ve iki bakan "
    "bölgesel güvenlik konularını ele aldıklarını söyledi.",
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The processes of these tests run one snapshot of the code (the checkout may change meanwhile)."""
    snap = tmp_path_factory.mktemp("code")
    code_snapshot(snap)
    return {**os.environ, "PYTHONPATH": str(snap)}


def _corpus(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _counts(store: Path) -> dict[str, int]:
    with open_store(store, read_only=True) as st:
        rows = st.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
        return {r["g"].value: int(r["n"].value) for r in rows}


def test_reingest_is_idempotent(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    store = tmp_path / "store"
    first = ingest([corpus], store, jobs=1)
    counts = _counts(store)
    with Store(store, read_only=True) as st:
        total = len(st)
    for _ in range(3):
        again = ingest([corpus], store, jobs=1)
        assert again.triples == first.triples
        assert _counts(store) == counts
        with Store(store, read_only=True) as st:
            assert len(st) == total
    assert ENTITY_GRAPH in counts
    assert len([g for g in counts if g not in (ONTOLOGY_GRAPH, ENTITY_GRAPH)]) == len(ARTICLES)


NT = '<https://w3id.org/defkg/id/article/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "{i}" .\n'


def test_new_graphs_bulk_loaded_and_old_ones_replaced(tmp_path: Path) -> None:
    from defkg.ingest import write_batch

    g = "https://w3id.org/defkg/id/graph/{i}".format
    with Store(tmp_path / "s") as st:
        write_batch(st, [(g(i=i), NT.format(i=i)) for i in range(3)])  # new: the bulk loader
        assert st.graphs() == [g(i=i) for i in range(3)] and len(st) == 3
        write_batch(st, [(g(i=1), NT.format(i=1) + NT.format(i="x")), (g(i=3), NT.format(i=3))])
        assert len(st) == 5  # graph 1 replaced (2 triples), graph 3 added
        write_batch(st, [(g(i=1), NT.format(i=1))])
        assert len(st) == 4


def test_bulk_load_is_split_below_the_loader_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bulk load stays under Oxigraph's one-ingest size, and an article is never split."""
    import defkg.store as store_mod

    monkeypatch.setattr(store_mod, "BULK_QUADS", 5)
    loads: list[int] = []
    with Store(tmp_path / "s") as st:
        real = st._bulk
        monkeypatch.setattr(st, "_bulk", lambda nq: (loads.append(nq.count("\n")), real(nq)))
        st.add_new_graphs([(f"https://w3id.org/defkg/id/graph/{i}", NT.format(i=i) * 2) for i in range(7)])
        assert len(st) == 7  # duplicates within a graph count once
    assert loads == [4, 4, 4, 2]


def test_lenient_load_of_ingests_own_nquads_equals_a_checked_one(tmp_path: Path) -> None:
    """Ingest loads its workers' N-Quads without the parser's IRI checks (``lenient``): what
    ``nquads`` writes, odd characters in IRIs and literals included, loads to the same quads."""
    from rdflib import Literal, URIRef

    from defkg.ingest import nquads

    graph = "https://w3id.org/defkg/id/graph/a b"  # escaped as it is written
    triples = [
        (URIRef("https://w3id.org/defkg/id/x y<z>"), URIRef("http://x/p"), Literal('a "b"\n\nc', lang="tr")),
        (
            URIRef("https://w3id.org/defkg/id/ç"),
            URIRef("http://x/p"),
            Literal("2026-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
        ),
        (URIRef("https://w3id.org/defkg/id/ç"), URIRef("http://x/q"), URIRef("https://example.org/{x}|`^")),
    ]
    data = nquads(triples, graph)
    loaded = []
    for lenient in (True, False):
        with Store(tmp_path / f"s{lenient}") as st:
            st.add_new_nquads([("https://w3id.org/defkg/id/graph/a%20b", data, 3)], lenient=lenient)
            loaded.append(sorted(map(str, st.quads())))
    assert loaded[0] == loaded[1] and len(loaded[0]) == 3


def test_files_of_a_killed_bulk_load_are_removed(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as st:
        st.replace_graph("https://w3id.org/defkg/id/graph/a", NT.format(i=1))
    leftovers = ["123456789012345678901234567890", "bulk-98765432109876543210987.sst"]
    for name in leftovers:
        (tmp_path / "s" / name).write_bytes(b"partial")
    with Store(tmp_path / "s", read_only=True) as st:  # a reader never deletes anything
        assert len(st) == 1
    assert all((tmp_path / "s" / n).exists() for n in leftovers)
    with Store(tmp_path / "s") as st:
        assert len(st) == 1
    assert not any((tmp_path / "s" / n).exists() for n in leftovers)


def test_graph_iri_cannot_inject_sparql(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as st:
        st.replace_graph("https://w3id.org/defkg/id/graph/ok", "<http://x/a> <http://x/b> <http://x/c> .")
        for bad in [
            "http://x/g> } ; DROP ALL ; INSERT DATA { GRAPH <http://x/g",
            "no scheme",
            "http://x/a b",
            "",
        ]:
            with pytest.raises(StoreError, match="not a valid graph IRI"):
                st.replace_graph(bad, "")
            with pytest.raises(StoreError, match="not a valid graph IRI"):
                st.drop_graph(bad)
        assert len(st) == 1


def test_a_directory_of_other_files_is_not_made_a_store(tmp_path: Path) -> None:
    home = tmp_path / "documents"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    with pytest.raises(
        StoreError, match=r"not a defkg store but a directory holding other files \(notes.txt\)"
    ):
        Store(home)
    assert [f.name for f in home.iterdir()] == ["notes.txt"]
    half = tmp_path / "half"  # a store killed while RocksDB was creating it
    half.mkdir()
    (half / "LOCK").write_text("")
    (half / "LOG").write_text("")
    with Store(half) as st:
        assert len(st) == 0


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        Store(f)
    with pytest.raises(StoreError, match="no defkg store here"):
        Store(tmp_path / "missing", read_only=True)


HOLDER = textwrap.dedent(
    """
    import sys
    from defkg.store import Store
    st = Store(sys.argv[1])
    print("locked", flush=True)
    sys.stdin.readline()  # hold the store until told to let go
    st.close()
    """
)


def _hold(store: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Another process holding the store open for writing (as a running ingest does)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _defkg(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "defkg", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_second_writer_fails_clearly_or_waits(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = _corpus(tmp_path / "c")
    store = tmp_path / "store"
    assert _defkg(env, "ingest", str(corpus), "--store", str(store), "-q").returncode == 0
    before = _counts(store)
    holder = _hold(store, env)
    try:
        started = time.monotonic()
        busy = _defkg(env, "ingest", str(corpus), "--store", str(store), "--wait", "0")
        assert busy.returncode == 1, busy.stderr
        assert busy.stderr.strip().splitlines() == [
            f"defkg: {store}: the store is in use by another defkg process (an ingest); "
            "wait for it to finish and try again, or give --wait SECONDS"
        ]
        # readers are not blocked by a writer
        q = _defkg(env, "query", "articles", "--store", str(store), "--format", "csv")
        assert q.returncode == 0, q.stderr
        assert len(q.stdout.strip().splitlines()) == 1 + len(ARTICLES)
        short = _defkg(env, "ingest", str(corpus), "--store", str(store), "--wait", "0.5")
        assert short.returncode == 1 and "(waited 0.5 s)" in short.stderr
        # a patient writer waits for the lock and then succeeds
        patient = subprocess.Popen(
            [sys.executable, "-m", "defkg", "ingest", str(corpus), "--store", str(store), "--wait", "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(1.5)
        assert patient.poll() is None  # still waiting
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        _, err = patient.communicate(timeout=120)
        assert patient.returncode == 0, err
        assert time.monotonic() - started > 1.5
    finally:
        holder.kill()
        holder.wait()
    assert _counts(store) == before


def test_query_while_an_ingest_runs(tmp_path: Path, env: dict[str, str]) -> None:
    """Queries during a real ingest succeed (read-only open needs no lock) and see whole articles."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    base = ARTICLES["a.txt"]
    for i in range(150):
        (corpus / f"{i:03d}.txt").write_text(f"{base} Report number {i}.", encoding="utf-8")
    store = tmp_path / "store"
    assert _defkg(env, "ingest", str(corpus / "000.txt"), "--store", str(store), "-q").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "defkg", "ingest", str(corpus), "--store", str(store), "-q", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    answers = 0
    try:
        while proc.poll() is None and answers < 20:
            count = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a dk:Article }"
            q = _defkg(env, "query", count, "--store", str(store), "--format", "csv")
            assert q.returncode == 0, q.stderr
            assert int(q.stdout.splitlines()[1]) >= 1
            answers += 1
    finally:
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert answers >= 1
    counts = _counts(store)
    assert len([g for g in counts if g not in (ONTOLOGY_GRAPH, ENTITY_GRAPH)]) == 150
