"""``defkg.serve_worker``: SELECT rows written as Oxigraph writes them, and an answer resumed on a
store opened again (to drop RocksDB's caches) giving the very bytes of an answer never resumed."""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from defkg import serve_worker as sw
from defkg.vocab import PREFIXES

# every kind of term a row can hold: numbers Turtle may write bare or not, languages, datatypes,
# text needing quotes or escapes in each format, blank nodes, unbound values
VALUES = """
SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
  (1 "-7"^^xsd:integer "1."^^xsd:decimal)
  (1.5 1e0 "1"^^xsd:double)
  (true "0"^^xsd:boolean "yes"^^xsd:boolean)
  ("x\\ty\\nz \\"q\\", \\\\ ;"@en "Türkiye"@tr "a,b")
  ("<&>'"@en-GB <http://example.org/a?b=1&c> "plain")
  ("ş"^^<http://example.org/dt> UNDEF "")
  (UNDEF UNDEF UNDEF)
} }
"""
FORMATS = ("CSV", "TSV", "JSON", "XML")


def oxigraph_bytes(store: ox.Store, query: str, fmt: str) -> bytes:
    results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    return results.serialize(format=getattr(ox.QueryResultsFormat, fmt))


def our_bytes(store: ox.Store, query: str, fmt: str) -> bytes:
    results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    w = sw.RowWriter(fmt, [v.value for v in results.variables])
    return w.head() + b"".join(w.row(s) for s in results) + w.foot()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [VALUES, "SELECT ?s WHERE { ?s ?p ?o }", "SELECT * WHERE { }", "SELECT ?b WHERE { BIND(BNODE() AS ?b) }"],
)
def test_rows_written_as_oxigraph_writes_them(query: str, fmt: str) -> None:
    store = ox.Store()
    if "BNODE" in query:  # a fresh blank node each evaluation (hex label): compare all but the label
        label = re.compile(rb"[0-9a-f]{8,}")
        ours, theirs = our_bytes(store, query, fmt), oxigraph_bytes(store, query, fmt)
        assert label.sub(b"ID", ours) == label.sub(b"ID", theirs)
        return
    assert our_bytes(store, query, fmt) == oxigraph_bytes(store, query, fmt)


@pytest.mark.parametrize(
    ("query", "skip", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 10, "SELECT * WHERE { ?s ?p ?o } OFFSET 10"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 100", 10, "SELECT * WHERE { ?s ?p ?o } OFFSET 10 LIMIT 90"),
        (
            "SELECT * WHERE { ?s ?p ?o } OFFSET 5 LIMIT 100",
            10,
            "SELECT * WHERE { ?s ?p ?o } OFFSET 15 LIMIT 90",
        ),
        ("SELECT * WHERE { ?s ?p ?o } limit 10 offset 5", 10, ""),  # nothing left
        (
            "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } } ORDER BY ?s",
            2,
            "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } } ORDER BY ?s OFFSET 2",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT 9 VALUES ?s { <http://e/a> }",
            4,
            "SELECT * WHERE { ?s ?p ?o } OFFSET 4 LIMIT 5 VALUES ?s { <http://e/a> }",
        ),
        ('SELECT * { ?s ?p "LIMIT 3" } # OFFSET 2', 1, 'SELECT * { ?s ?p "LIMIT 3" } # OFFSET 2 OFFSET 1'),
        ('SELECT * WHERE { ?s ?p "unclosed }', 1, None),  # not SPARQL: not resumed
    ],
)
def test_resumed_at(query: str, skip: int, expected: str | None) -> None:
    got = sw.resumed_at(query, skip)
    assert (" ".join(got.split()) if got else got) == expected


def big(path: Path, n: int = 700) -> str:
    store = ox.Store(str(path))
    data = "".join(
        f'<http://e/s{i}> <http://e/p> "text {i} \\"{"é" * (i % 5)}\\"" <http://e/g{i % 7}> .\n'
        for i in range(n)
    )
    store.bulk_load(data.encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return str(path)


def answer(worker: sw.Worker, query: str, fmt: str) -> bytes:
    a, b = socket.socketpair()
    got = bytearray()
    ended: list[dict] = []

    def read() -> None:
        while True:
            kind, data = sw.receive(b)
            if kind == b"D":
                got.extend(data)
            else:
                msg = json.loads(data)
                if "start" not in msg:
                    ended.append(msg)
                    return

    t = threading.Thread(target=read)
    t.start()
    try:
        worker.answer(a, query, {"select": [fmt, "x"], "graph": ["N_TRIPLES", "y"], "default": {}})
    except sw.Failed as e:
        sw.send_json(a, {"error": e.status, "message": str(e)})
    t.join(60)
    a.close()
    b.close()
    assert ended and ended[0].get("end"), ended
    return bytes(got)


def always_over_the_limit(monkeypatch) -> None:
    """The worker's memory grows at every look: it reopens the store at each one."""
    monkeypatch.setattr(sw, "MIN_ROOM", 0)
    growing = itertools.count(10)
    monkeypatch.setattr(sw, "rss", lambda: next(growing))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT DISTINCT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 500 OFFSET 7",
    ],
)
def test_an_answer_resumed_many_times_is_the_same_answer(
    tmp_path: Path, monkeypatch, query: str, fmt: str
) -> None:
    path = big(tmp_path / "store")
    expected = oxigraph_bytes(ox.Store.read_only(path), query, fmt)
    worker = sw.Worker(path, memory=1)
    always_over_the_limit(monkeypatch)
    assert answer(worker, query, fmt) == expected
    rows = len(
        list(ox.Store.read_only(path).query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
    )
    assert worker.reopened == rows // sw.CHECK_EVERY  # resumed at every look, each time at the right row


def test_a_store_changed_mid_answer_cuts_it_short(tmp_path: Path, monkeypatch) -> None:
    path = big(tmp_path / "store")
    worker = sw.Worker(path, memory=1)
    always_over_the_limit(monkeypatch)
    (Path(path) / "000999.log").write_bytes(b"")  # what a writer does: a new file in the directory
    with pytest.raises(sw.Failed, match="store changed"):
        worker.answer(socket.socketpair()[0], "SELECT * WHERE { ?s ?p ?o }", {"select": ["CSV", "x"]})


def test_a_reopen_starts_no_process(tmp_path: Path, monkeypatch) -> None:
    """Giving memory back after a reopen must not fork: a forked child counts the worker's pages
    again until it execs (``ctypes.util.find_library`` runs ``ldconfig -p``; the 100 MB dump test
    of test_serve_http.py saw a 128 MB serve that way)."""
    import os
    import platform
    import subprocess
    import sys

    path = big(tmp_path / "store")
    query = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }"
    expected = oxigraph_bytes(ox.Store.read_only(path), query, "CSV")
    worker = sw.Worker(path, memory=1)
    sw._malloc_trim.cache_clear()  # looked up again, inside the test

    started: list[str] = []

    def refusing(name: str):
        def refuse(*args, **kwargs):
            started.append(name)
            raise OSError(f"{name}: refused by the test")

        return refuse

    for name in ("fork", "posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refusing(name))
    monkeypatch.setattr(subprocess.Popen, "_execute_child", refusing("subprocess"))
    always_over_the_limit(monkeypatch)
    assert answer(worker, query, "CSV") == expected
    assert worker.reopened > 10 and started == []
    if sys.platform == "linux" and platform.libc_ver()[0] == "glibc":
        assert sw._malloc_trim() is not None  # and the memory is given back there
