"""Crash safety: an ingest killed with SIGKILL at random points leaves a store that opens and
holds each article wholly or not at all; a rerun completes and gives the clean result.

Set ``DEFKG_CRASH_RUNS`` to run more kills (default 20); the test prints a summary line
(``-s`` shows it) used for the README's Reliability table.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import code_snapshot
from defkg import entities
from defkg.entities import ENTITY_GRAPH
from defkg.ingest import ONTOLOGY_GRAPH
from defkg.store import _ROCKSDB_FILE as ROCKSDB_FILE
from defkg.store import Store
from defkg.vocab import DK

RUNS = int(os.environ.get("DEFKG_CRASH_RUNS", "20"))

EN = (
    "---\npublished: 2026-{month:02d}-{day:02d}\nurl: https://example.org/news/{i}\n---\n"
    "Defence talks in {city}, report {i}\n\n"
    "The defence minister of the United Kingdom met the Turkish chief of the general staff in {city} "
    "on Monday. The two said that the talks on item {i} were useful for the security of the region, "
    "and that they will meet again in London in the spring."
)
TR = (
    "{city}'da savunma görüşmesi ({i})\n\n"
    "Millî Savunma Bakanı, İngiltere Savunma Bakanı ile {city}'da bir araya geldi. Görüşmede ikili "
    "ilişkiler ve bölgesel güvenlik konuları ele alındı; iki bakan {i} numaralı konuda işbirliği için "
    "çalışmaya devam edeceklerini söyledi."
)
CITIES = ["Ankara", "İstanbul", "İzmir", "Bursa", "Antalya"]


def write_corpus(d: Path, n: int = 40) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        template = EN if i % 2 == 0 else TR
        text = template.format(i=i, city=CITIES[i % len(CITIES)], month=1 + i % 12, day=1 + i % 28)
        (d / f"{i:02d}-{'en' if i % 2 == 0 else 'tr'}.txt").write_text(text, encoding="utf-8")
    return d


def entity_triples(st: Store) -> set[str]:
    rows = st.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?s ?p ?o }} }}", union=False)
    return {f"{r[0]} {r[1]} {r[2]}" for r in rows}


def assert_entities_consistent(st: Store) -> None:
    """The entity graph is the one computed from scratch from the article graphs the store holds."""
    rebuilt = tmp_store_copy_entities(st)
    assert entity_triples(st) == rebuilt


def tmp_store_copy_entities(st: Store) -> set[str]:
    import pyoxigraph as ox

    from defkg.ingest import ntriples

    q = f"SELECT ?e ?f WHERE {{ GRAPH ?g {{ ?e <{DK.mentionedAs}> ?f }} }}"
    mentions = [(r[0].value, (r[1].value, r[1].language or None)) for r in st.query(q, union=False)]
    mem = ox.Store()
    text = ntriples(list(entities.entity_graph(mentions)))
    if text:
        mem.load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {f"{q.subject} {q.predicate} {q.object}" for q in mem}


def graph_counts(store: Path) -> dict[str, int]:
    """Triples per article graph (and the ontology's); the entity graph is checked to be the one
    computed from scratch from the articles held, and left out."""
    with Store(store) as st:  # read-write: this also proves the store opens for the next writer
        rows = st.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
        counts = {r["g"].value: int(r["n"].value) for r in rows if r["g"].value != ENTITY_GRAPH}
        assert_entities_consistent(st)
    # a bulk load killed midway may leave its files: opening the store for writing removes them
    assert not [f.name for f in store.iterdir() if not ROCKSDB_FILE.fullmatch(f.name)]
    return counts


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every process of these tests runs one snapshot of the code: the same converter throughout,
    even while the checkout changes under the test."""
    snap = tmp_path_factory.mktemp("code")
    code_snapshot(snap)
    return {**os.environ, "PYTHONPATH": str(snap)}


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


def start_ingest(corpus: Path, store: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return start(["-m", "defkg", "ingest", str(corpus), "--store", str(store), "-q", *extra], env)


def rerun(corpus: Path, store: Path, env: dict[str, str]) -> None:
    assert start_ingest(corpus, store, env, "--jobs", "1").wait(timeout=120) == 0


@pytest.mark.slow
def test_sigkill_at_random_points(tmp_path: Path, env: dict[str, str]) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    reference = tmp_path / "reference"
    started = time.monotonic()
    clean = start_ingest(corpus, reference, env)
    assert clean.wait(timeout=120) == 0
    clean_seconds = time.monotonic() - started
    expected = graph_counts(reference)
    articles = {g for g in expected if g != ONTOLOGY_GRAPH}
    assert len(articles) == 40

    rng = random.Random(20260115)
    # random points across a whole run: from interpreter start-up to after the last write
    longest = max(0.1, 1.2 * clean_seconds)
    stats = {
        "killed_mid_run": 0,
        "finished_first": 0,
        "opened": 0,
        "partial_graphs": 0,
        "reruns": 0,
        "reruns_ok": 0,
    }
    states: dict[str, int] = {"empty": 0, "some": 0, "all": 0}
    reused = tmp_path / "reused"  # killed again and again, rerun each time
    for run in range(RUNS):
        store = reused if run % 2 else tmp_path / f"fresh-{run}"
        proc = start_ingest(corpus, store, env)
        time.sleep(rng.uniform(0.05, longest))
        if proc.poll() is None:
            stats["killed_mid_run"] += 1
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            stats["finished_first"] += 1
        proc.wait(timeout=30)

        counts = graph_counts(store) if store.exists() else {}  # {}: killed before it made the store
        stats["opened"] += 1
        bad = {g: (n, expected.get(g)) for g, n in counts.items() if n != expected.get(g)}
        stats["partial_graphs"] += len(bad)
        assert not bad, f"run {run}: graphs that differ from a clean ingest (found, expected): {bad}"
        if not run % 2:  # what a fresh store holds after the kill
            present = len(set(counts) & articles)
            states["empty" if present == 0 else "all" if present == len(articles) else "some"] += 1

        if run % 4 == 3 or run == RUNS - 1:  # reruns are slow (a whole ingest): every 4th store
            rerun(corpus, store, env)
            assert graph_counts(store) == expected
            stats["reruns_ok"] += 1
            stats["reruns"] += 1

    summary = (
        f"{RUNS} SIGKILLs (delay 0.05-{longest:.2f} s; clean ingest {clean_seconds:.2f} s): "
        f"{stats['killed_mid_run']} mid-run, {stats['finished_first']} after it finished; "
        f"{stats['opened']}/{RUNS} stores opened, {stats['partial_graphs']} partial graphs, "
        f"fresh stores after the kill held no article {states['empty']}, some {states['some']}, "
        f"all {states['all']}; "
        f"{stats['reruns_ok']}/{stats['reruns']} reruns gave the clean result"
    )
    print("\n" + summary)
    assert stats["partial_graphs"] == 0


SMALL_BATCHES = (
    "import sys; from defkg.ingest import ingest; ingest([sys.argv[1]], sys.argv[2], batch_size=3, jobs=1)"
)


@pytest.mark.slow
def test_sigkill_between_small_batches(tmp_path: Path, env: dict[str, str]) -> None:
    """With a transaction every 3 articles, kills leave some articles stored: each one whole."""
    corpus = write_corpus(tmp_path / "corpus")
    reference = tmp_path / "reference"
    started = time.monotonic()
    assert start(["-c", SMALL_BATCHES, str(corpus), str(reference)], env).wait(timeout=120) == 0
    clean_seconds = time.monotonic() - started
    expected = graph_counts(reference)
    rng = random.Random(7)
    held = []
    store = tmp_path / "store"
    for run in range(max(4, RUNS // 5)):
        if run % 2 == 0:
            shutil.rmtree(store, ignore_errors=True)
        proc = start(["-c", SMALL_BATCHES, str(corpus), str(store)], env)
        time.sleep(rng.uniform(0.3, 1.0) * clean_seconds)  # mostly while the batches are written
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        counts = graph_counts(store) if store.exists() else {}
        bad = {g: (n, expected.get(g)) for g, n in counts.items() if n != expected.get(g)}
        assert not bad, f"run {run}: graphs that differ from a clean ingest (found, expected): {bad}"
        held.append(len(set(counts) - {ONTOLOGY_GRAPH}))
    rerun(corpus, store, env)
    assert graph_counts(store) == expected
    print(f"\nsmall batches (clean run {clean_seconds:.2f} s): articles held after each kill: {held}")


BULK_CHILD = """
import sys
from defkg.store import Store
with Store(sys.argv[1]) as st:
    print("open", flush=True)
    st.add_new_graphs(
        (f"https://w3id.org/defkg/id/graph/g{g}",
         "".join(f"<https://w3id.org/defkg/id/x/{g}-{i}> <https://w3id.org/defkg/ontology#n> \\"{i}\\" .\\n"
                 for i in range(10000)))
        for g in range(int(sys.argv[2]), int(sys.argv[2]) + 20)
    )
"""


def test_sigkill_during_a_bulk_load(tmp_path: Path, env: dict[str, str]) -> None:
    """Kills while the bulk loader writes 200,000 quads in one call: the store holds all 20 graphs
    of the call whole, or none of them."""
    rng = random.Random(3)
    store = tmp_path / "store"

    def load(first: int) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-c", BULK_CHILD, str(store), str(first)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"open"
        return proc

    clean_run = load(0)
    started = time.monotonic()  # from the store being open to the end of the load
    assert clean_run.wait(timeout=120) == 0
    clean = time.monotonic() - started
    outcomes = []
    for run in range(max(4, RUNS // 4)):
        proc = load(100 * (run + 1))
        time.sleep(rng.uniform(0.0, 1.3 * clean))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        counts = graph_counts(store)
        mine = {f"https://w3id.org/defkg/id/graph/g{100 * (run + 1) + k}" for k in range(20)}
        batch = {g: n for g, n in counts.items() if g in mine}
        assert set(batch.values()) <= {10000}, "a graph was stored in part"
        assert len(batch) in (0, 20), f"run {run}: {len(batch)} of the 20 graphs of one load stored"
        outcomes.append(len(batch))
    print(f"\nkills during a bulk load of 200,000 quads (clean {clean:.2f} s): graphs stored {outcomes}")
