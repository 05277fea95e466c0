"""Beyond one machine: N-Quads shards (``defkg extract``), their bulk load (``defkg load``), and the
extraction as a Dask job on a real ``LocalCluster`` of 2 worker processes. Each way must give the
store a local ``ingest`` of the same inputs gives."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import canonical_quads
from defkg import shards
from defkg.cli.main import cli
from defkg.ingest import ingest
from defkg.store import Store

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "corpus"  # our own articles


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("defkg_bench_gen", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A directory of our own articles, a directory of generated ones, and a JSON Lines feed (with
    one of our articles a second time, changed: the later one wins, and one bad line)."""
    d = tmp_path_factory.mktemp("inputs")
    generate = _generator()
    generate.write_dir(12, d / "txt", seed=21)
    generate.write_jsonl(9, d / "feed.jsonl", seed=22)
    first = sorted((d / "txt").glob("*.txt"))[0].read_text(encoding="utf-8")
    body = first.split("---\n", 2)[2]
    with (d / "feed.jsonl").open("a", encoding="utf-8") as f:
        f.write("{not json\n")
        f.write(json.dumps({"text": body, "url": "https://example.org/again"}, ensure_ascii=False) + "\n")
    return [OWN, d / "txt", d / "feed.jsonl"]


def _quads(store: Path) -> frozenset[str]:
    """The store's quads, each graph's blank nodes named canonically: equal when the graphs are
    isomorphic (a local ingest and a load of shards name blank nodes each their own way)."""
    return canonical_quads(store)


@pytest.fixture(scope="module")
def local(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[frozenset[str], int]:
    store = tmp_path_factory.mktemp("local") / "store"
    report = ingest(inputs, store, jobs=1)
    assert report.articles > 60 and len(report.errors) == 1  # the bad JSON line
    return _quads(store), report.articles


def test_extract_then_load_equals_ingest(
    inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path
) -> None:
    report = shards.extract(inputs, tmp_path / "shards", jobs=2, limit=2000)  # small shards: several
    assert len(report.shards) > 3
    assert report.articles == local[1]
    assert len(report.errors) == 1 and "bad JSON line" in str(report.errors[0])
    loaded = shards.load([tmp_path / "shards"], tmp_path / "store")
    assert len(loaded.shards) == len(report.shards)
    assert _quads(tmp_path / "store") == local[0]


def test_shards_with_their_entity_graph_are_the_whole_dataset(
    inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path
) -> None:
    """What another store's loader gets from the shards alone (entities.nq included): every quad
    of a local ingest but the ontology's."""
    from defkg.entities import ENTITY_GRAPH
    from defkg.ingest import ONTOLOGY_GRAPH

    report = shards.extract(inputs, tmp_path / "shards", jobs=2, limit=5000)
    assert report.entities == tmp_path / "shards" / "entities.nq"
    other = ox.Store()  # in memory, Oxigraph's own loader
    for f in sorted((tmp_path / "shards").glob("*.nq")):
        other.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)
    theirs = canonical_quads(other)
    ours = {q for q in local[0] if f"<{ONTOLOGY_GRAPH}>" not in q}
    assert any(f"<{ENTITY_GRAPH}>" in q for q in theirs)
    assert theirs == ours


def test_a_shard_is_plain_nquads_with_its_graph_index(inputs: list[Path], tmp_path: Path) -> None:
    report = shards.extract(inputs[:1], tmp_path / "shards", jobs=1, limit=3000)
    for shard in report.shards:
        quads = list(ox.parse(path=str(shard), format=ox.RdfFormat.N_QUADS))
        assert len(quads) <= 3000
        graphs = {q.graph_name.value for q in quads}
        index = shard.with_suffix(".graphs").read_text(encoding="utf-8").split()
        assert set(index) == graphs and len(index) == len(graphs)
    assert not list((tmp_path / "shards").glob("*.part"))


def test_loading_twice_replaces_and_a_later_shard_wins(
    inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path
) -> None:
    out = tmp_path / "shards"
    report = shards.extract(inputs, out, jobs=1, limit=2500)
    store = tmp_path / "store"
    shards.load([out], store)
    shards.load([out], store)  # every graph already there: replaced, nothing doubled
    assert _quads(store) == local[0]
    # a shard of changed graphs, loaded after: its graphs replace those of the earlier shards
    first = report.shards[0]
    graphs = first.with_suffix(".graphs").read_text(encoding="utf-8").split()
    lines = first.read_bytes().splitlines(keepends=True)
    kept = [ln for ln in lines if ln.decode().rstrip().endswith(f"<{graphs[0]}> .")][:3]
    (out / "zz-00000.nq").write_bytes(b"".join(kept))
    (out / "zz-00000.graphs").write_text(graphs[0] + "\n", encoding="utf-8")
    shards.load([out], store)
    with Store(store, read_only=True) as st:
        n = sum(1 for _ in st._ox.quads_for_pattern(None, None, None, ox.NamedNode(graphs[0])))
    assert n == 3


def test_one_shard_into_an_empty_store_goes_in_one_load(
    inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one shard of an extract, loaded into an empty store, goes in one bulk load with the
    ontology and its entity graph (no ``entities.refresh``); loaded the usual way (into a store that
    holds the ontology already) it gives the same quads, and both those of a local ingest."""
    from defkg import entities
    from defkg.ingest import ensure_ontology

    calls: list[int] = []
    real = entities.refresh
    monkeypatch.setattr(entities, "refresh", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    out = tmp_path / "shards"
    report = shards.extract(inputs, out, jobs=1)
    assert len(report.shards) == 1
    shards.load([out], tmp_path / "empty")
    assert calls == []
    with Store(tmp_path / "usual") as st:
        ensure_ontology(st)
    calls.clear()
    shards.load([out], tmp_path / "usual")
    assert calls == [1]
    assert _quads(tmp_path / "empty") == _quads(tmp_path / "usual") == local[0]


def test_cli_extract_and_load(inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["extract", *map(str, inputs), "--out", str(tmp_path / "sh"), "-j", "2"]
    r = runner.invoke(cli, args)
    assert r.exit_code == 1  # the bad JSON line is reported; the rest is written
    written = [Path(line) for line in r.stdout.splitlines()]
    assert written and all(p.exists() and p.suffix == ".nq" for p in written)
    assert "bad JSON line" in r.stderr
    r = runner.invoke(cli, ["load", str(tmp_path / "sh"), "--store", str(tmp_path / "store")])
    assert r.exit_code == 0, r.stderr
    assert _quads(tmp_path / "store") == local[0]
    for name in ("extract", "load"):
        assert "Examples:" in runner.invoke(cli, [name, "--help"]).stdout


@pytest.mark.slow
def test_dask_job_on_a_local_cluster_equals_ingest(
    inputs: list[Path], local: tuple[frozenset[str], int], tmp_path: Path
) -> None:
    """The real thing: a LocalCluster of 2 worker processes extracts (small tasks, so both work and
    tasks finish out of order), the shards are loaded here; the store equals a local ingest."""
    from dask.distributed import Client, LocalCluster, get_task_stream

    from defkg import distributed

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        extracted, loaded = distributed.run(
            inputs, tmp_path / "store", tmp_path / "shards", client, partition=7
        )
    ran_on = {t["worker"] for t in stream.data if "extract_partition" in t["key"]}
    assert len(ran_on) == 2  # both worker processes extracted
    assert extracted.articles == local[1]
    assert len(extracted.errors) == 1 and "bad JSON line" in str(extracted.errors[0])
    names = [p.name for p in extracted.shards]
    assert names == sorted(names) and len(names) > 5
    assert len(loaded.shards) == len(extracted.shards)
    assert _quads(tmp_path / "store") == local[0]
