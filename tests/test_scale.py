"""Ingest at scale: worker processes, batches, streaming, the N-Triples writer, the corpus generator."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import canonical_graphs
from defkg import ingest as ingest_mod
from defkg.cli.main import cli
from defkg.ingest import ingest, ntriples
from defkg.store import Store

XSD = URIRef("http://www.w3.org/2001/XMLSchema#")
ROOT = Path(__file__).resolve().parent.parent


def _bench(name: str) -> Any:
    """The script ``benchmarks/NAME.py`` as a module."""
    spec = importlib.util.spec_from_file_location(f"defkg_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _generator() -> Any:
    return _bench("generate")


generate = _generator()


# -- the N-Triples writer ---------------------------------------------------------------------------

TRICKY = [
    Literal('line one\nline "two"\r\n\\ end'),
    Literal("Türkiye'nin Savunma Bakanı", lang="tr"),
    Literal(date(2025, 5, 29)),
    Literal(42),
    Literal("true", datatype=XSD + "boolean"),
    Literal("https://example.org/a b", datatype=XSD + "anyURI"),
    Literal(""),
    Literal("tab\there \u2028 and \U0001f600"),
    URIRef("https://example.org/with space>and<brackets"),
    BNode("b0"),
]


@pytest.mark.parametrize("obj", TRICKY, ids=range(len(TRICKY)))
def test_ntriples_round_trip(obj) -> None:  # type: ignore[no-untyped-def]
    g = Graph()
    g.add((URIRef("https://w3id.org/defkg/id/x"), URIRef("https://w3id.org/defkg/ontology#p"), obj))
    text = ntriples(g)
    back = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(back) == 1
    if isinstance(obj, Literal):
        assert back[0].object.value == str(obj)
        assert (back[0].object.language or None) == obj.language
    if not isinstance(obj, URIRef):  # IRIs with spaces are not IRIs: only checked to parse
        g2 = Graph().parse(data=text, format="nt")
        assert isomorphic(g, g2)


@pytest.mark.parametrize("obj", TRICKY, ids=range(len(TRICKY)))
def test_nquads_hand_off_is_the_ntriples_in_its_graph(obj) -> None:  # type: ignore[no-untyped-def]
    """What a worker hands over (N-Quads bytes of the article's graph) holds the same triple as
    the N-Triples, in that graph, and turns back into the same N-Triples for a replacement."""
    g = Graph()
    g.add((URIRef("https://w3id.org/defkg/id/x"), URIRef("https://w3id.org/defkg/ontology#p"), obj))
    graph_iri = "https://w3id.org/defkg/id/graph/abc"
    nq = ingest_mod.nquads(g, graph_iri)
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    triples = list(ox.parse(ntriples(g).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert [q.triple for q in quads] == [t.triple for t in triples]
    assert {q.graph_name for q in quads} == {ox.NamedNode(graph_iri)}
    assert ingest_mod.nquads_to_ntriples(nq, graph_iri) == ntriples(g)


# -- the corpus generator ---------------------------------------------------------------------------


def test_generator_is_reproducible_and_varied(tmp_path: Path) -> None:
    a = list(generate.reports(40, seed=3))
    b = list(generate.reports(40, seed=3))
    c = list(generate.reports(40, seed=4))
    assert a == b and a != c
    sizes = [len(r["text"].encode("utf-8")) for r in a]
    assert min(sizes) >= 1000 and max(sizes) <= 4096
    assert {r["language"] for r in a} == {"tr", "en"}
    assert len({r["title"] for r in a}) > 30


def test_generated_extractions_tell_agreements_and_exercises() -> None:
    """Some generated reports tell of a memorandum signed at the meeting or of an exercise to come,
    in a sentence of their text that the facts cite (the query store then has rows for the
    agreement and exercise queries)."""
    xs = list(generate.extractions(120, seed=5))
    agreements = [(x, a) for x in xs for a in x.agreements]
    exercises = [(x, e) for x in xs for e in x.exercises]
    assert 15 <= len(agreements) <= 50 and 8 <= len(exercises) <= 35
    for x, a in agreements:
        (i,) = a.evidence
        said = x.article.sentences[i].text
        assert ("memorandum" in said or "mutabakat" in said) and a.signatories[0].name in said
        assert a.meeting == 0 and a.states == x.meetings[0].states
    for x, e in exercises:
        (i,) = e.evidence
        assert e.name and e.name in x.article.sentences[i].text and e.status == "Planned"


@pytest.mark.parametrize(
    ("case", "word", "expected"),
    [
        ("loc", "Ankara", "Ankara'da"),
        ("loc", "Paris", "Paris'te"),
        ("gen", "Türkiye", "Türkiye'nin"),
        ("gen", "Japonya", "Japonya'nın"),
        ("gen", "Pakistan", "Pakistan'ın"),
        ("dat", "Berlin", "Berlin'e"),
        ("abl", "Kim", "Kim'den"),
        ("loc", "14 Ocak", "14 Ocak'ta"),
    ],
)
def test_turkish_suffixes(case: str, word: str, expected: str) -> None:
    assert generate.tr_case(word, case) == expected


def test_generator_writes_dir_and_jsonl(tmp_path: Path) -> None:
    generate.write_dir(5, tmp_path / "d", seed=1)
    files = sorted((tmp_path / "d").glob("*.txt"))
    assert len(files) == 5
    head = files[0].read_text(encoding="utf-8")
    assert head.startswith("---\nurl: https://") and "\npublished: " in head
    generate.write_jsonl(5, tmp_path / "c.jsonl", seed=1)
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert set(json.loads(lines[0])) == {"text", "url", "published", "title"}


# -- ingest -----------------------------------------------------------------------------------------


def _graphs(store: Path) -> dict[str, frozenset[str]]:
    """Each graph's triples, blank nodes named canonically (equal when the graphs are isomorphic)."""
    return canonical_graphs(store)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    generate.write_dir(14, d / "txt", seed=11)
    generate.write_jsonl(8, d / "feed.jsonl", seed=12)
    with (d / "feed.jsonl").open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    (d / "txt" / "empty.txt").write_text("", encoding="utf-8")
    return d


def test_parallel_ingest_equals_serial(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "TASK_SIZE", 2)  # many small tasks through the bounded window
    serial = ingest([corpus / "txt", corpus / "feed.jsonl"], tmp_path / "serial", jobs=1, batch_size=5)
    parallel = ingest([corpus / "txt", corpus / "feed.jsonl"], tmp_path / "parallel", jobs=2, batch_size=5)
    assert serial.articles == parallel.articles == 22
    assert len(serial.errors) == len(parallel.errors) == 2  # the empty file and the bad JSON line
    assert [str(e) for e in serial.errors] == [str(e) for e in parallel.errors]
    assert serial.triples == parallel.triples
    assert _graphs(tmp_path / "serial") == _graphs(tmp_path / "parallel")
    assert len(_graphs(tmp_path / "parallel")) >= 22


def test_reingest_replaces(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "s"
    ingest([corpus / "txt"], store, jobs=2, validate=False)
    first = _graphs(store)
    ingest([corpus / "txt"], store, jobs=2, validate=False, batch_size=4)
    assert _graphs(store) == first


def test_optimize_after_a_big_load(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first ingest compacts the store; a small ingest into a bigger store does not, unless asked."""
    calls: list[str] = []
    real = Store.optimize
    monkeypatch.setattr(Store, "optimize", lambda self: (calls.append(self.path.name), real(self)))
    store = tmp_path / "s"
    ingest([corpus / "txt"], store, jobs=1, validate=False)
    assert calls == ["s"]
    one = sorted((corpus / "txt").glob("*.txt"))[:1]
    small = tmp_path / "small"
    small.mkdir()
    text = one[0].read_text(encoding="utf-8") + "\nAnother sentence."
    (small / "new.txt").write_text(text, encoding="utf-8")
    ingest([small], store, jobs=1, validate=False)
    assert calls == ["s"]
    ingest([small], store, jobs=1, validate=False, optimize=True)
    assert calls == ["s", "s"]
    result = CliRunner().invoke(cli, ["ingest", str(small), "--store", str(store), "-q", "--no-optimize"])
    assert result.exit_code == 0 and calls == ["s", "s"]


def test_progress_callback_and_rate(corpus: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    report = ingest(
        [corpus / "feed.jsonl"],
        tmp_path / "s",
        jobs=2,
        validate=False,
        progress=lambda r: seen.append(r.articles),
    )
    assert seen[-1] == report.articles == 8
    assert report.rate > 0 and report.bytes > 0


def test_cli_ingest_exit_code_and_quiet_bar(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli, ["ingest", str(corpus / "txt"), "--store", str(tmp_path / "s"), "--jobs", "2", "--no-validate"]
    )
    assert res.exit_code == 1  # the empty file; the other 14 are stored
    assert "empty" in res.output and "ingested 14 article(s)" in res.output
    assert "art/s" not in res.output  # no progress bar when stderr is not a terminal
    assert len(_graphs(tmp_path / "s")) >= 14


def test_single_file_stays_in_process(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError("no worker pool for a handful of inputs")

    monkeypatch.setattr(ingest_mod, "_pool", no_pool)
    one = sorted((corpus / "txt").glob("*.txt"))[1]
    report = ingest([one], tmp_path / "s")
    assert report.articles == 1 and report.ok


def test_a_worker_dying_costs_one_article(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    victim = sorted((corpus / "txt").glob("*.txt"))[3]
    real = ingest_mod.article_nquads

    def killer(article, validate=True):  # type: ignore[no-untyped-def]
        if article.source == str(victim):
            os._exit(9)  # as if killed for memory
        return real(article, validate)

    monkeypatch.setattr(ingest_mod, "article_nquads", killer)
    monkeypatch.setattr(ingest_mod, "TASK_SIZE", 3)
    report = ingest([corpus / "txt"], tmp_path / "s", jobs=2, validate=False)
    died = [str(e) for e in report.errors if "worker process died" in str(e)]
    assert died == [f"{victim}: the worker process died reading it (out of memory?)"]
    assert report.articles == 13  # 14 files, one empty, one killer


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_warm_up_reports_run_the_whole_pipeline(lang: str) -> None:
    """Ingest runs ``lang/<lang>/warmup.txt`` through every stage before forking its workers (they
    inherit the tables it filled): each must be read in its language, give a meeting with an
    agreement and an exercise, and conform to the shapes, or the warm-up misses those stages."""
    from importlib import resources

    from defkg.pipeline import extract, reader

    path = Path(str(resources.files("defkg"))) / "lang" / lang / "warmup.txt"
    article = reader.read_text(path.read_text(encoding="utf-8"), source=str(path))
    assert article.language == lang
    x = extract(article)
    assert [m.states for m in x.meetings] == [("CHL", "NOR")]
    assert x.agreements and x.exercises
    _, nq, meetings, quads, _ = ingest_mod.article_nquads(article)  # validated
    assert meetings == 1 and quads > 100 and nq.count(b"\n") == quads


def test_warming_fills_the_stages_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``_warm`` the gazetteer tries and the compiled shapes are built (what a forked worker
    would otherwise build on its first article)."""
    from defkg import validate
    from defkg.pipeline import tokens

    tokens.trie.cache_clear()
    validate.compiled_shapes.cache_clear()
    validate._pos_predicates.cache_clear()
    ingest_mod._warm(True)
    assert tokens.trie.cache_info().currsize == 2
    assert validate.compiled_shapes.cache_info().currsize == 1


@pytest.mark.parametrize("batch_size", [5000, 5], ids=["one-batch", "batches-of-5"])
def test_first_load_of_an_empty_store_equals_the_written_way(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    """Into an empty store the first batch goes in one bulk load with the ontology and its entity
    graph (``write_first_batch``); the store holds exactly what the usual way writes (ontology by
    transaction, each batch loaded, the entity graph kept by ``entities.refresh``) into a store
    that already held the ontology, graph for graph and quad for quad."""
    from defkg import entities
    from defkg.ingest import ensure_ontology

    refreshed: list[int] = []
    real_refresh = entities.refresh
    monkeypatch.setattr(entities, "refresh", lambda *a, **k: (refreshed.append(1), real_refresh(*a, **k))[1])
    paths = [corpus / "txt", corpus / "feed.jsonl"]
    fresh = ingest(paths, tmp_path / "fresh", jobs=2, batch_size=batch_size)
    batches = -(-fresh.articles // batch_size)
    assert len(refreshed) == batches - 1  # every batch but the first kept the entity graph by refresh
    usual_store = tmp_path / "usual"
    with Store(usual_store) as st:
        ensure_ontology(st)
    refreshed.clear()
    usual = ingest(paths, usual_store, jobs=2, batch_size=batch_size)
    assert len(refreshed) == batches
    assert fresh.articles == usual.articles == 22 and fresh.triples == usual.triples
    assert _graphs(tmp_path / "fresh") == _graphs(usual_store)


def test_an_empty_ingest_still_writes_the_ontology(tmp_path: Path) -> None:
    from defkg.ingest import ONTOLOGY_GRAPH

    empty = tmp_path / "in"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n", encoding="utf-8")
    report = ingest([empty], tmp_path / "s", jobs=1)
    assert report.articles == 0 and len(report.errors) == 1
    with Store(tmp_path / "s", read_only=True) as st:
        assert st.graphs() == [ONTOLOGY_GRAPH]


def test_the_first_load_is_refused_past_one_load_or_into_a_store_in_use(tmp_path: Path) -> None:
    from defkg.errors import StoreError
    from defkg.store import BULK_QUADS

    nq = (
        b'<https://w3id.org/defkg/id/x> <https://w3id.org/defkg/ontology#text> "x" '
        b"<https://w3id.org/defkg/id/g> .\n"
    )
    with Store(tmp_path / "s") as st:
        with pytest.raises(StoreError, match="more than one load"):
            st.load_first([nq], BULK_QUADS + 1)
        st.load_first([nq], 1)
        assert len(st) == 1
        with pytest.raises(StoreError, match="not empty"):
            st.load_first([nq], 1)


def test_a_store_made_by_the_library_gets_the_same_first_load(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``defkg.open`` creates an empty store (no transaction), so the library's first ingest takes
    the same one-load way as the command's, with the same quads."""
    import defkg
    from defkg import entities

    calls: list[int] = []
    real = entities.refresh
    monkeypatch.setattr(entities, "refresh", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    kg = defkg.open(tmp_path / "lib")
    with Store(tmp_path / "lib", read_only=True) as st:
        assert st.is_empty()
    kg.ingest([corpus / "txt"], jobs=1)
    assert calls == []
    ingest([corpus / "txt"], tmp_path / "cmd", jobs=1)
    assert _graphs(tmp_path / "lib") == _graphs(tmp_path / "cmd")


# -- benchmarks/reifiers.py: the two evidence forms it compares say the same ------------------------


def test_reifiers_benchmark_compares_equal_answers(tmp_path: Path) -> None:
    """The benchmark's rewrites of a store's evidence (into ``rdf:reifies`` triple terms, and into
    graphs of sentences) keep every fact's evidence: each form answers its questions with the same
    rows; reifiers take two quads per fact fewer, sentence graphs four fewer (a fact moved, not
    copied)."""
    bench = _bench("reifiers")
    store = tmp_path / "store"
    report = ingest(sorted((ROOT / "tests" / "corpus").glob("*.txt")), store, jobs=1)
    assert report.ok and report.articles >= 5
    forms = bench.forms(str(store))
    assert set(forms) == {"reification", "reifiers", "sentence graphs"}
    stores = {}
    for name, nq in forms.items():
        stores[name] = s = ox.Store()
        s.bulk_load(nq, ox.RdfFormat.N_QUADS)
    reified = sum(
        1 for _ in stores["reification"].quads_for_pattern(None, ox.NamedNode(bench.RDF + "subject"), None)
    )
    assert reified > 20
    assert len(stores["reification"]) - len(stores["reifiers"]) == 2 * reified
    assert len(stores["reification"]) - len(stores["sentence graphs"]) == 4 * reified
    for question in bench.QUESTIONS.values():
        rows = {
            name: sorted(
                tuple(str(v) for v in row)
                for row in s.query(bench.PREFIXES + question[name], use_default_graph_as_union=True)
            )
            for name, s in stores.items()
        }
        assert rows["reification"] and rows["reification"] == rows["reifiers"] == rows["sentence graphs"]


# -- benchmarks/ingest_ab.py: side by side, the same code measures the same graph -------------------


def test_ingest_ab_runs_both_checkouts_alternately(tmp_path: Path) -> None:
    """This checkout against itself: every run ingests every report, both sides store the same quads
    (a ratio of 1), and each run's CPU is counted (workers included)."""
    ab = _bench("ingest_ab")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:4]:
        (corpus / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "ab.json"
    args = [str(corpus), "--before-src", str(ROOT), "--rounds", "2", "--jobs", "1", "--json", str(out)]
    assert ab.main(args) == 0
    result = json.loads(out.read_text())
    runs = result["runs"]["before"] + result["runs"]["after"]
    assert len(runs) == 4 and {r["articles"] for r in runs} == {4}
    assert len({r["quads_per_article"] for r in runs}) == 1 and runs[0]["quads_per_article"] > 50
    assert result["ratio"]["quads_per_article"] == 1.0
    assert all(r["cpu_ms_per_article"] > 0 and r["kb_per_article"] > 0 for r in runs)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout (a clone, as CI has)")
def test_ingest_ab_checks_a_commit_out_and_removes_it() -> None:
    import subprocess

    ab = _bench("ingest_ab")

    def worktrees() -> str:
        git = ["git", "-C", str(ROOT), "worktree", "list"]
        return subprocess.run(git, capture_output=True, text=True).stdout

    with ab.checkout("HEAD") as where:
        assert (where / "src" / "defkg" / "ingest.py").is_file()
        assert str(where) in worktrees()
    assert str(where) not in worktrees() and not where.exists()


def test_engine_floor_measures_a_store(tmp_path: Path) -> None:
    """The floors of a small store: bytes per quad, the loader's CPU, the CPU per value decoded, and
    every named listing with the values its answer looks up (each IRI at least)."""
    floor = _bench("engine_floor")
    store = tmp_path / "store"
    assert ingest(sorted((ROOT / "tests" / "corpus").glob("*.txt")), store, jobs=1).ok
    out = tmp_path / "floor.json"
    assert floor.main([str(store), "--runs", "1", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["store"]["quads"] > 500 and result["store"]["bytes_per_quad"] > 0
    assert result["loader"]["load_ms_per_1k_quads"] > 0
    assert {d["rows"] for d in result["decoding"].values()} != {0}
    by_name = {r["query"]: r for r in result["queries"]}
    assert "meetings-between" not in by_name and {"meetings", "participants", "topics"} <= set(by_name)
    meetings = by_name["meetings"]
    assert meetings["rows"] > 0 and meetings["looked_up"] >= meetings["rows"]  # one meeting IRI a row


# -- benchmarks/cli_startup.py: the commands' CPU, two trees side by side ---------------------------


def test_cli_startup_times_every_command_of_both_trees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _bench("cli_startup")
    store = tmp_path / "store"
    assert ingest([ROOT / "examples" / "aa-turkiye-uk-consultations-2025.txt"], store, jobs=1).ok
    src = str(ROOT / "src")
    assert bench.main(["--before-src", src, "--after-src", src, "--store", str(store), "--rounds", "1"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| `defkg ")]
    assert len(rows) == len(bench.commands(str(store), "out.nq"))
    for row in rows:
        before, after = (float(cell) for cell in row.split("|")[2:4])
        assert before > 0 and after > 0


def test_query_table_gives_no_ratio_between_different_answers() -> None:
    """rdflib answers some queries wrongly (cookbook 07 on a store without ranks: a GROUP BY over no
    rows gives one row, then every rank): the table says so instead of a ratio."""
    run = _bench("run")
    row = {"kind": "listing", "oxigraph": {"rows": 0, "p50_ms": 20.0, "p95_ms": 25.0}}
    queries = {
        "same": {**row, "rdflib": {"rows": 0, "p50_ms": 400.0, "p95_ms": 400.0}},
        "differs": {**row, "rdflib": {"rows": 11675, "p50_ms": 4900.0, "p95_ms": 4900.0}},
    }
    machine = dict.fromkeys(("cpus", "processor", "machine", "python", "pyoxigraph", "rdflib"), "x")
    result = {"queries": queries, "machine": machine, "date": "today", "command": "run.py"}
    lines = {line.split("|")[1].strip(): line for line in run.markdown(result).splitlines()
             if line.startswith("| same") or line.startswith("| differs")}  # fmt: skip
    assert lines["same"].rstrip(" |").endswith("20×")
    assert "answers differ: rdflib 11,675 rows" in lines["differs"]


def test_view_benchmark_times_what_an_analyst_asks(tmp_path: Path) -> None:
    run = _bench("run")
    store = tmp_path / "store"
    assert ingest(sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:6], store, jobs=1).ok
    with Store(store, read_only=True) as st:
        timed = run.analyst_commands(st)
    assert len(timed) == 4 and all(seconds > 0 for seconds in timed.values())
    machine = dict.fromkeys(("cpus", "processor", "machine", "python", "pyoxigraph", "rdflib"), "x")
    view = {"knowledge_graph": {"seconds": 0.1, "nodes": 1, "edges": 0}, "analyst": timed}
    text = run.markdown({"view": view, "machine": machine, "date": "today", "command": "run.py"})
    assert all(f"| {name} |" in text for name in timed)
