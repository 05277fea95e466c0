"""defkg benchmarks, each side by side with rdflib's in-memory Dataset in the same run.

  python benchmarks/run.py                          # the full run (about 10 minutes on 2 cores)
  python benchmarks/run.py --quick                  # a small run to check the script
  python benchmarks/run.py --update-readme          # ... and write the tables into benchmarks/README.md
  python benchmarks/run.py --big 100000             # also the 100k-article memory run

Measures:
  1. extraction, per stage and core: read, extract, build (the article's triples), N-Triples, SHACL
     validation; baseline: an rdflib Graph of the same triples (to_graph) and rdflib's serializer
  2. ``defkg.ingest.ingest`` on a directory of generated reports (all cores), and the store write
     alone: Oxigraph (``Store.replace_graphs``, 200 graphs a transaction) vs rdflib ``Dataset.parse``
  3. every named query on a store of >= 1M triples (synthetic extractions: a perfect extractor's
     output, so the size does not depend on the extractor's recall): p50/p95 vs rdflib
  4. export (Turtle, N-Quads, TriG) vs rdflib serialisation
  5. view generation for 1k/5k/20k nodes (``defkg.view``)
  6. peak memory (ru_maxrss) of every step, ingest workers included
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

RESULTS: dict[str, Any] = {}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Timeout(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise Timeout


# -- 1. extraction per stage ------------------------------------------------------------------------


def bench_stages(n: int) -> dict[str, Any]:
    from defkg.ingest import ntriples
    from defkg.pipeline import extract, reader
    from defkg.pipeline.triples import build, to_graph
    from defkg.validate import check_graph

    reps = list(generate.reports(n, seed=101))
    texts = [generate.front_matter(r) for r in reps]
    size = sum(len(t.encode("utf-8")) for t in texts)
    extract(reader.read_text(texts[0], "warm.txt"))  # loads the gazetteers
    t = {k: 0.0 for k in ("read", "extract", "build", "ntriples", "validate")}
    meetings = triples = 0
    errors = 0
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        art = reader.read_text(text, f"{i}.txt")
        t1 = time.perf_counter()
        x = extract(art)
        t2 = time.perf_counter()
        g = build(x)
        t3 = time.perf_counter()
        ntriples(g)
        t4 = time.perf_counter()
        try:
            check_graph(g, source=art.source)
        except Exception:
            errors += 1
        t5 = time.perf_counter()
        for k, a, b in (
            ("read", t0, t1),
            ("extract", t1, t2),
            ("build", t2, t3),
            ("ntriples", t3, t4),
            ("validate", t4, t5),
        ):
            t[k] += b - a
        meetings += len(x.meetings)
        triples += len(g)
    total = sum(t.values())
    out = {
        "articles": n,
        "mb": size / 1e6,
        "ms_per_article": {k: 1000 * v / n for k, v in t.items()},
        "share": {k: v / total for k, v in t.items()},
        "extract_articles_per_s_core": n / (t["read"] + t["extract"]),
        "extract_mb_per_s_core": size / 1e6 / (t["read"] + t["extract"]),
        "all_stages_articles_per_s_core": n / total,
        "no_validate_articles_per_s_core": n / (total - t["validate"]),
        "meetings_per_article": meetings / n,
        "triples_per_article": triples / n,
        "validation_failures": errors,
    }
    # the baselines: an rdflib Graph of the same triples, and rdflib's own N-Triples serializer
    xs = [extract(reader.read_text(tx, f"{i}.txt")) for i, tx in enumerate(texts[:200])]
    t0 = time.perf_counter()
    built = [build(x) for x in xs]
    t1 = time.perf_counter()
    gs = [to_graph(x) for x in xs]
    t2 = time.perf_counter()
    for g in gs:
        g.serialize(format="nt")
    t3 = time.perf_counter()
    for b in built:
        ntriples(b)
    t4 = time.perf_counter()
    out["build_ms"] = {"defkg build": 1000 * (t1 - t0) / len(xs), "rdflib Graph": 1000 * (t2 - t1) / len(xs)}
    out["ntriples_ms"] = {
        "rdflib serialize(nt)": 1000 * (t3 - t2) / len(gs),
        "defkg.ingest.ntriples": 1000 * (t4 - t3) / len(gs),
    }
    return out


# -- 2. ingest ----------------------------------------------------------------------------------------

_INGEST_CHILD = """
import json, resource, sys, time
from defkg.ingest import ingest
t = time.perf_counter()
r = ingest([sys.argv[1]], sys.argv[2], validate=sys.argv[3] == "1", jobs=int(sys.argv[4]), bar=False)
s = time.perf_counter() - t
print(json.dumps({"articles": r.articles, "errors": len(r.errors), "meetings": r.meetings,
                  "triples": r.triples,
                  "seconds": s, "chars": r.bytes,
                  "rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _cpu_seconds() -> float:
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return c.ru_utime + c.ru_stime


def run_ingest(corpus: Path, store: Path, validate: bool, jobs: int) -> dict[str, Any]:
    shutil.rmtree(store, ignore_errors=True)
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    out = subprocess.run(
        [sys.executable, "-c", _INGEST_CHILD, str(corpus), str(store), "1" if validate else "0", str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load_average"] = (load_before + os.getloadavg()[0]) / 2
    r["cpu_ms_per_article"] = 1000 * (_cpu_seconds() - cpu_before) / max(1, r["articles"])
    r["articles_per_s"] = r["articles"] / r["seconds"]
    r["mb_per_s"] = r["chars"] / 1e6 / r["seconds"]
    return r


def bench_ingest(work: Path, n: int, jobs: int) -> dict[str, Any]:
    small = min(n, 300)
    res: dict[str, Any] = {"articles": n, "jobs": jobs}
    for count in {n, small}:
        corpus = work / f"corpus-{count}"
        if not corpus.exists():
            generate.write_dir(count, corpus, seed=7)
    res["mb"] = sum(f.stat().st_size for f in (work / f"corpus-{n}").iterdir()) / 1e6
    for label, validate, j, count in (
        ("jobs=N, validation (the CLI default)", True, jobs, n),
        ("jobs=N, no validation", False, jobs, n),
        (f"jobs=1, no validation ({small} articles)", False, 1, small),
    ):
        log(f"ingest {count} articles ({label})")
        res[label] = run_ingest(work / f"corpus-{count}", work / "ingest-store", validate, j)
    return res


# -- 2b. CPU per article, all processes (real report texts and generated ones) ---------------------------

_CPU_CHILD = """
import json, resource, sys, time
from defkg.ingest import ingest
r = ingest([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), bar=False)
print(json.dumps({"articles": r.articles, "errors": len(r.errors), "triples": r.triples}))
"""


def real_copies(src: Path, out: Path, n: int) -> int:
    """``n`` copies of the real reports under ``src`` (``*/*.txt``), each made a distinct article by
    a last line of its own (the article id is a digest of the text)."""
    texts = sorted(src.glob("*/*.txt"))
    if not texts:
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        f = texts[i % len(texts)]
        data = f.read_text(encoding="utf-8").rstrip() + f"\n\nRef. {i:05d}.\n"
        (out / f"{i:05d}-{f.name}").write_text(data, encoding="utf-8")
    return len(texts)


def run_cpu(corpus: Path, store: Path, jobs: int) -> dict[str, Any]:
    """One ``ingest`` (the CLI default: validation, all cores) in a child process: CPU seconds of the
    child and its workers (``RUSAGE_CHILDREN``), per article; the store's size on disk per article."""
    shutil.rmtree(store, ignore_errors=True)
    before = _cpu_seconds()
    out = subprocess.run(
        [sys.executable, "-c", _CPU_CHILD, str(corpus), str(store), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    cpu = _cpu_seconds() - before
    r = json.loads(out.stdout.strip().splitlines()[-1])
    size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    r["cpu_s"] = cpu
    r["cpu_ms_per_article"] = 1000 * cpu / max(1, r["articles"])
    r["store_kb_per_article"] = size / 1024 / max(1, r["articles"])
    r["triples_per_article"] = r["triples"] / max(1, r["articles"])
    return r


def bench_cpu(work: Path, real: Path, n: int, jobs: int) -> dict[str, Any]:
    res: dict[str, Any] = {"articles": n, "jobs": jobs}
    real_dir = work / f"real-{n}"
    if not real_dir.exists():
        res["real_reports"] = real_copies(real, real_dir, n)
    gen_dir = work / f"corpus-{n}"
    if not gen_dir.exists():
        generate.write_dir(n, gen_dir, seed=7)
    for label, corpus in (("real", real_dir), ("generated", gen_dir)):
        if corpus.exists() and any(corpus.iterdir()):
            log(f"cpu: ingest {n} {label} articles")
            res[label] = run_cpu(corpus, work / "cpu-store", jobs)
    log(f"cpu: extract {n} generated articles to shards, then load them")
    res["extract+load"] = run_extract_load(gen_dir, work / "cpu-shards", work / "cpu-store", jobs)
    return res


def run_extract_load(corpus: Path, shards: Path, store: Path, jobs: int) -> dict[str, Any]:
    """``defkg extract`` then ``defkg load`` (the CLI, child processes): CPU of each per article."""
    shutil.rmtree(shards, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    defkg = [sys.executable, "-m", "defkg"]
    r: dict[str, Any] = {}
    for step, args in (
        ("extract", [*defkg, "extract", str(corpus), "--out", str(shards), "-j", str(jobs), "-q"]),
        ("load", [*defkg, "load", str(shards), "--store", str(store), "-q"]),
    ):
        before = _cpu_seconds()
        subprocess.run(args, check=True, capture_output=True, text=True)
        r[f"{step}_cpu_s"] = _cpu_seconds() - before
    articles = sum(len(f.read_text(encoding="utf-8").split()) for f in shards.glob("*.graphs"))
    r["articles"] = articles
    for step in ("extract", "load"):
        r[f"{step}_cpu_ms_per_article"] = 1000 * r[f"{step}_cpu_s"] / max(1, articles)
    r["store_kb_per_article"] = (
        sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 1024 / articles
    )
    return r


# -- 3. a store of >= 1M triples, and the store-write baseline -----------------------------------------


def _payload(x: Any) -> tuple[str, str, int]:
    from defkg.ingest import ntriples
    from defkg.pipeline.triples import build

    g = build(x)
    return str(g.identifier), ntriples(g), len(g)


def _payloads(n: int, seed: int) -> list[tuple[str, str, int]]:
    with get_context("fork").Pool(os.cpu_count() or 1) as pool:
        return pool.map(_payload, generate.extractions(n, seed=seed), chunksize=32)


def build_stores(work: Path, n: int) -> tuple[Path, dict[str, Any]]:
    """A store of ``n`` generated article graphs written as ingest writes them (``write_batch``:
    the bulk loader, and the entity graph kept by the store), then compacted as ingest does."""
    from defkg.ingest import ensure_ontology, write_batch
    from defkg.store import Store

    log(f"building {n} synthetic article graphs")
    payloads = _payloads(n, seed=5)
    triples = sum(p[2] for p in payloads)
    store_dir = work / "query-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {
        "articles": n,
        "triples": triples,
        "nt_kb_per_article": sum(len(p[1].encode("utf-8")) for p in payloads) / 1000 / max(1, n),
    }
    log(f"loading {triples:,} triples into Oxigraph")
    t0 = time.perf_counter()
    with Store(store_dir) as st:
        ensure_ontology(st)
        for i in range(0, len(payloads), 200):
            write_batch(st, [(g, nt) for g, nt, _ in payloads[i : i + 200]])
        t_opt = time.perf_counter()
        st.optimize()  # as `defkg ingest` does after a big load
        t_end = time.perf_counter()
        stored = len(st)
    t1 = t_end
    res["oxigraph"] = {
        "seconds": t1 - t0,
        "optimize_seconds": t_end - t_opt,
        "graphs_per_s": n / (t1 - t0),
        "triples_per_s": triples / (t1 - t0),
        "quads": stored,
    }
    res["store_dir_mb"] = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file()) / 1e6
    del payloads
    return store_dir, res


# the parameters the selective questions are timed with (a pair of states, one state)
PAIR = {"a": "TUR", "b": "GBR"}


def query_set() -> dict[str, tuple[str, str]]:
    """Every named query and every cookbook question, by name: (kind, SPARQL). A query with
    parameters is timed bound (``selective``: one pair of states, one state); ``timeline`` also
    unbound (the whole store). Everything else lists or aggregates the whole store."""
    from defkg import queries

    out: dict[str, tuple[str, str]] = {}
    for name, q in queries.named_queries().items():
        if q.params:
            bound = {p.name: PAIR[p.name] for p in q.params}
            label = name + " " + " ".join(f"{k}={v}" for k, v in bound.items())
            out[label] = ("selective", queries.substitute(q.text, bound))
            if all(p.name != "b" for p in q.params):  # the state's parameter is optional
                out[name] = ("listing", q.text)
        else:
            out[name] = ("listing", q.text)
    for f in sorted((HERE.parent / "docs" / "cookbook").glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        params = queries._parse_named(f.stem, text).params
        if params or "--param" in text:
            out["cookbook/" + f.stem] = ("selective", queries.substitute(text, PAIR))
        else:
            out["cookbook/" + f.stem] = ("listing", text)
    return out


def _latency(st: Any, sparql: str, runs: int) -> dict[str, Any]:
    """CPU seconds (``time.process_time``: this process, all its threads) of running the query and
    reading every row as the CLI and the API do (``queries.select``), p50/p95 over ``runs``."""
    from defkg import queries

    times, nrows = [], 0
    for _ in range(runs):
        t0 = time.process_time()
        nrows = len(queries.select(st, sparql).rows)
        times.append(time.process_time() - t0)
    return {"rows": nrows, "p50_ms": 1000 * pct(times, 0.5), "p95_ms": 1000 * pct(times, 0.95), "runs": runs}


def rdflib_dataset(store_dir: Path, work: Path) -> Any:
    """An rdflib ``Dataset`` (union default graph) holding every quad of the store: article graphs,
    the entity graph, the ontology."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from defkg.store import Store

    dump = work / "store.nq"
    with Store(store_dir, read_only=True) as st:
        st.dump(dump, ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(dump, format="nquads")
    dump.unlink()
    return ds


def bench_queries(
    store_dir: Path,
    ds: Any,
    runs: int,
    rdflib_runs: int,
    rdflib_timeout: int,
    probe_timeout: int,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """Every query of ``query_set`` on the store (CPU p50/p95), then on rdflib's ``Dataset`` when
    given. rdflib is stopped after ``min(rdflib_timeout, max(5 s, 30 x Oxigraph's p50))`` (wall
    clock): a stopped run still shows a ratio of at least what it ran for."""
    from defkg import queries
    from defkg.errors import QueryError
    from defkg.store import Store
    from defkg.vocab import PREFIXES

    res: dict[str, Any] = {}
    todo = {k: v for k, v in query_set().items() if not only or k in only}
    for name, (kind, text) in todo.items():
        res[name] = {"kind": kind}
        # a first run in a child process that is killed after probe_timeout (queries.run)
        t0 = time.perf_counter()
        try:
            queries.run(store_dir, text, "csv", timeout=probe_timeout)
        except QueryError as e:
            res[name]["oxigraph"] = {"timeout_s": probe_timeout, "error": str(e)}
            log(f"query {name}: {e}")
            continue
        first = time.perf_counter() - t0
        with Store(store_dir, read_only=True) as st:
            n = runs if first < 2 else 3 if first < 10 else 1
            res[name]["oxigraph"] = _latency(st, text, n)
        log(f"query {name}: {res[name]['oxigraph']}")
    t0 = time.perf_counter()
    queries.run(store_dir, queries.named_queries()["articles"].text, "json", timeout=60)
    res["_cli_articles_end_to_end_ms"] = 1000 * (time.perf_counter() - t0)
    if ds is None:
        return res
    ns = dict(PREFIXES)
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for name, (_, sparql) in todo.items():
            ox_ms = res[name].get("oxigraph", {}).get("p50_ms", 1000.0 * rdflib_timeout)
            limit = int(min(rdflib_timeout, max(5, 30 * ox_ms / 1000)) + 0.999)
            times: list[float] = []
            rows = None
            failed = ""
            for _ in range(rdflib_runs):
                signal.alarm(limit)
                t0 = time.process_time()
                try:
                    rows = len(list(ds.query(sparql, initNs=ns)))
                    times.append(time.process_time() - t0)
                    if times[-1] > 2:  # slow enough: one run says it
                        break
                except Timeout:
                    times = []
                    break
                except Exception as e:  # rdflib fails on some queries (MIN over unbound values)
                    failed = f"{type(e).__name__}: {e}"
                    break
                finally:
                    signal.alarm(0)
            r: dict[str, Any] = (
                {"rows": rows, "p50_ms": 1000 * pct(times, 0.5), "p95_ms": 1000 * pct(times, 0.95)}
                if times
                else {"error": failed}
                if failed
                else {"timeout_s": limit}
            )
            res[name]["rdflib"] = r
            log(f"rdflib {name}: {r}")
    finally:
        signal.signal(signal.SIGALRM, old)
    return res


# -- 4. export ----------------------------------------------------------------------------------------


def bench_export(store_dir: Path, ds: Any, work: Path) -> dict[str, Any]:
    from defkg.export import export
    from defkg.store import Store

    res: dict[str, Any] = {}
    out = work / "export"
    shutil.rmtree(out, ignore_errors=True)
    with Store(store_dir, read_only=True) as st:
        for fmt in ("nquads", "trig", "turtle", "nt", "jsonld"):
            t0 = time.perf_counter()
            path = export(st, fmt, out)
            res[fmt] = {"seconds": time.perf_counter() - t0, "mb": path.stat().st_size / 1e6}
            log(f"export {fmt}: {res[fmt]['seconds']:.1f} s")
    if ds is not None:
        for fmt, rfmt in (("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")):
            t0 = time.perf_counter()
            ds.serialize(destination=str(out / f"rdflib.{fmt}"), format=rfmt)
            res[fmt]["rdflib_seconds"] = time.perf_counter() - t0
            res[fmt]["ratio"] = res[fmt]["rdflib_seconds"] / res[fmt]["seconds"]
            log(f"rdflib export {fmt}: {res[fmt]['rdflib_seconds']:.1f} s")
    shutil.rmtree(out, ignore_errors=True)
    return res


# -- 5. view ------------------------------------------------------------------------------------------


def analyst_commands(st: Any) -> dict[str, float]:
    """CPU seconds of what an analyst asks of the whole store: the page (`defkg view`, `defkg
    serve`'s /), the dataset, and `explain` of one meeting and of one state."""
    from defkg import dataset, explain, view

    meeting = next(iter(st.query("SELECT ?m WHERE { ?m a dk:Meeting } LIMIT 1")))[0].value
    out: dict[str, float] = {}
    for name, work in (
        ("analyst page (view.page_html)", lambda: view.page_html(st)),
        ("dataset (dataset.read)", lambda: dataset.read(st)),
        ("explain one meeting", lambda: explain.explain(st, meeting)),
        ("explain Türkiye", lambda: explain.explain(st, "https://w3id.org/defkg/id/state/TUR")),
    ):
        t0 = time.process_time()
        work()
        out[name] = time.process_time() - t0
        log(f"{name}: {out[name]:.2f} s CPU")
    return out


def bench_view(store_dir: Path, sizes: list[int]) -> dict[str, Any]:
    try:
        from defkg import analysis, view
    except ImportError:
        return {"note": "defkg.view is not there"}
    from defkg.store import Store

    res: dict[str, Any] = {}
    with Store(store_dir, read_only=True) as st:
        res["analyst"] = analyst_commands(st)
        t0 = time.perf_counter()
        kg = analysis.knowledge_graph(st)
        res["knowledge_graph"] = {
            "seconds": time.perf_counter() - t0,
            "nodes": kg.number_of_nodes(),
            "edges": kg.number_of_edges(),
        }
    import networkx as nx

    for n in sizes:
        if n > kg.number_of_nodes():  # disjoint copies of the store's graph, same kinds of nodes
            copies = -(-n // kg.number_of_nodes())
            big = nx.relabel_nodes(
                nx.disjoint_union_all([kg] * copies), lambda i: f"https://w3id.org/defkg/id/x/{i}"
            )
            g = view.select(big, None, None, 2, n)
            res[str(n)] = {"note": f"{copies} disjoint copies of the store's graph"}
        else:
            g = view.select(kg, None, None, 2, n)
            res[str(n)] = {}
        t0 = time.perf_counter()
        page = view.render_html(g)
        res[str(n)] |= {
            "seconds": time.perf_counter() - t0,
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "html_mb": len(page.encode("utf-8")) / 1e6,
        }
        log(f"view {n}: {res[str(n)]['seconds']:.1f} s")
    return res


# -- report -------------------------------------------------------------------------------------------


def markdown(r: dict[str, Any]) -> str:
    L: list[str] = []
    m = r["machine"]
    L.append(
        f"Run {r['date']} on {m['cpus']} cores ({m['processor'] or m['machine']}), Python {m['python']}, "
        f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}. Command: `{r['command']}`. "
        f"Load average at the start: {r.get('load_average_at_start', 0):.1f} (the machine is shared: other "
        "sessions' test suites ran at the same time, so absolute times are pessimistic; ratios from "
        "the same run are comparable).\n"
    )
    if r.get("partial"):
        L.append(f"({r['partial']}.)\n")
    s = r.get("stages")
    if s:
        L.append(f"### 1. Extraction per core ({s['articles']} generated reports, {s['mb']:.2f} MB)\n")
        L.append("| stage | ms / article | share |")
        L.append("|---|---:|---:|")
        for k, v in s["ms_per_article"].items():
            L.append(f"| {k} | {v:.2f} | {100 * s['share'][k]:.0f}% |")
        L.append("")
        L.append(
            f"Extraction (read + extract): **{s['extract_articles_per_s_core']:.0f} articles/s, "
            f"{s['extract_mb_per_s_core']:.2f} MB/s per core**; all stages "
            f"{s['all_stages_articles_per_s_core']:.0f} articles/s per core "
            f"({s['no_validate_articles_per_s_core']:.0f} without validation). "
            f"{s['meetings_per_article']:.2f} meetings and {s['triples_per_article']:.0f} triples per "
            "article; "
            f"{s['validation_failures']} failed validation.\n"
        )
        nt = s["ntriples_ms"]
        bm = s.get("build_ms")
        if bm:
            L.append(
                f"Building an article's triples: defkg {bm['defkg build']:.2f} ms/article vs an rdflib "
                f"`Graph` of the same triples {bm['rdflib Graph']:.2f} ms "
                f"({bm['rdflib Graph'] / bm['defkg build']:.1f}×).\n"
            )
        L.append(
            f"N-Triples writing: defkg {nt['defkg.ingest.ntriples']:.2f} ms/article vs rdflib "
            f"`serialize(format='nt')` {nt['rdflib serialize(nt)']:.2f} ms "
            f"({nt['rdflib serialize(nt)'] / nt['defkg.ingest.ntriples']:.1f}×).\n"
        )
    ing = r.get("ingest")
    if ing:
        L.append(f"### 2. Ingest (`defkg.ingest.ingest`, {ing['articles']} files, {ing['mb']:.1f} MB)\n")
        L.append("| run | articles/s | MB/s | seconds | triples | peak RSS parent / worker (MB) | load avg |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        for k, v in ing.items():
            if isinstance(v, dict):
                L.append(
                    f"| {k.replace('N', str(ing['jobs']))} | **{v['articles_per_s']:.0f}** | "
                    f"{v['mb_per_s']:.2f} | {v['seconds']:.1f} | {v['triples']:,} | "
                    f"{v['rss_parent_mb']:.0f} / {v['rss_worker_mb']:.0f} | {v.get('load_average', 0):.1f} |"
                )
        L.append("")
    cpu = r.get("cpu")
    if cpu:
        L.append(
            f"CPU per article, all processes (parent and {cpu['jobs']} workers, `RUSAGE_CHILDREN` of a child "
            f"running `ingest` with validation), {cpu['articles']:,} articles:\n"
        )
        L.append("| corpus | CPU ms / article | store KB / article | triples / article | errors |")
        L.append("|---|---:|---:|---:|---:|")
        for k in ("real", "generated"):
            v = cpu.get(k)
            if v:
                L.append(
                    f"| {k} | **{v['cpu_ms_per_article']:.2f}** | {v['store_kb_per_article']:.1f} | "
                    f"{v['triples_per_article']:.0f} | {v['errors']} |"
                )
        L.append("")
        el = cpu.get("extract+load")
        if el:
            L.append(
                f"`defkg extract` to shards, then `defkg load` (generated): extract "
                f"{el['extract_cpu_ms_per_article']:.2f} ms CPU per article (workers included), load "
                f"{el['load_cpu_ms_per_article']:.2f} ms; store {el['store_kb_per_article']:.1f} KB per "
                "article.\n"
            )
    big = r.get("big")
    if big:
        L.append(
            f"Memory run (one JSON Lines file, jobs=N, validation on as in the CLI): "
            f"{big['articles']:,} articles "
            f"in {big['seconds']:.0f} s "
            f"({big['articles_per_s']:.0f}/s; {big.get('cpu_ms_per_article', 0):.2f} ms CPU per article, all "
            f"processes), peak RSS parent {big['rss_parent_mb']:.0f} MB, "
            f"worker {big['rss_worker_mb']:.0f} MB; {big['triples']:,} triples, store on disk "
            f"{big.get('store_mb', 0):,.0f} MB.\n"
        )
    st = r.get("store")
    if st and "oxigraph" not in st:
        line = (
            f"### 3. Named queries (the store of an earlier run: {st.get('articles', 0):,} article graphs, "
            f"{st.get('quads', 0):,} quads with the entity graph and the ontology; "
            f"{st.get('store_dir_mb', 0):.0f} MB on disk)\n\n"
        )
        if "rdflib_load_cpu_s" in st:
            line += f"rdflib `Dataset.parse` of the same quads: {st['rdflib_load_cpu_s']:.1f} s CPU"
        L.append(line + ".\n")
    elif st:
        L.append(
            f"### 3. Store load and named queries ({st['articles']:,} synthetic article graphs, "
            f"{st['triples']:,} triples; store on disk {st['store_dir_mb']:.0f} MB)\n"
        )
        o = st["oxigraph"]
        line = (
            f"Load: Oxigraph {o['seconds']:.1f} s ({o['triples_per_s']:,.0f} triples/s, "
            f"`write_batch` of 200 graphs at a time, then `Store.optimize` "
            f"{o.get('optimize_seconds', 0):.1f} s of it); {o['quads']:,} quads with the entity graph"
        )
        if "rdflib_load_cpu_s" in st:
            line += f"; rdflib `Dataset.parse` of the same quads {st['rdflib_load_cpu_s']:.1f} s CPU"
        L.append(line + ".\n")
    q = r.get("queries")
    if q:
        L.append(
            "CPU milliseconds of the process running the query (`time.process_time`), reading every row; "
            "rdflib stopped (wall clock) after min(--rdflib-timeout, max(5 s, 30x Oxigraph's p50)).\n"
        )
        L.append("| query | kind | rows | Oxigraph p50 ms | p95 | rdflib p50 ms | rdflib / Oxigraph |")
        L.append("|---|---|---:|---:|---:|---:|---:|")

        def cell(v: dict | None) -> tuple[str, str, float | None]:
            if not v:
                return "-", "-", None
            if "timeout_s" in v:
                return f"> {1000 * v['timeout_s']:,.0f} (stopped)", "-", 1000.0 * v["timeout_s"]
            if "error" in v:
                return "fails: " + v["error"].split(":")[0], "-", None
            return f"{v['p50_ms']:,.1f}", f"{v['p95_ms']:,.1f}", v["p50_ms"]

        for name, v in q.items():
            if name.startswith("_"):
                continue
            o50, o95, ov = cell(v.get("oxigraph"))
            b50, _, bv = cell(v.get("rdflib"))
            rows = v.get("oxigraph", {}).get("rows", "-")
            theirs = v.get("rdflib", {}).get("rows")
            if theirs is not None and theirs != rows:  # no ratio between two different answers
                ratio = f"answers differ: rdflib {theirs:,} rows"
            elif bv is not None and ov and "p50_ms" in v.get("oxigraph", {}):
                ratio = f"{'> ' if 'timeout_s' in v['rdflib'] else ''}{bv / ov:,.0f}×"
            else:
                ratio = "-"
            L.append(f"| {name} | {v.get('kind', '')} | {rows} | {o50} | {o95} | {b50} | {ratio} |")
        L.append("")
        if "_cli_articles_end_to_end_ms" in q:
            L.append(
                f"`queries.run` (the CLI path: child process with a timeout) adds a fixed cost: "
                f"`articles` end to end {q['_cli_articles_end_to_end_ms']:.0f} ms.\n"
            )
    e = r.get("export")
    if e:
        L.append("### 4. Export of the same store\n")
        L.append("| format | seconds | MB | rdflib seconds | ratio |")
        L.append("|---|---:|---:|---:|---:|")
        for fmt, v in e.items():
            rs = f"{v['rdflib_seconds']:.1f}" if "rdflib_seconds" in v else "-"
            ra = f"{v['ratio']:.1f}×" if "ratio" in v else "-"
            L.append(f"| {fmt} | {v['seconds']:.1f} | {v['mb']:.0f} | {rs} | {ra} |")
        L.append("")
    v = r.get("view")
    if v:
        L.append("### 5. View generation (`defkg.view.render_html`, largest nodes of the knowledge graph)\n")
        if "note" in v:
            L.append(v["note"] + "\n")
        else:
            kg = v["knowledge_graph"]
            L.append(
                f"Knowledge graph from the store: {kg['seconds']:.1f} s ({kg['nodes']:,} nodes, "
                f"{kg['edges']:,} edges).\n"
            )
            L.append("| nodes | edges | seconds | HTML MB |")
            L.append("|---:|---:|---:|---:|")
            for n, x in v.items():
                if n in ("knowledge_graph", "analyst"):
                    continue
                if "seconds" not in x:
                    L.append(f"| {n} | - | {x.get('note', '')} | - |")
                else:
                    note = f" ({x['note']})" if x.get("note") else ""
                    L.append(
                        f"| {x['nodes']:,}{note} | {x['edges']:,} | {x['seconds']:.1f} | {x['html_mb']:.1f} |"
                    )
            L.append("")
        if v.get("analyst"):
            L.append("What an analyst asks of the same store, CPU seconds:\n")
            L.append("| | s CPU |\n|---|---:|")
            L.extend(f"| {name} | {sec:.2f} |" for name, sec in v["analyst"].items())
            L.append("")
    mem = r.get("memory")
    if mem:
        L.append(
            f"### 6. Peak memory\n\nBenchmark process (stores, both baselines): "
            f"{mem['benchmark_mb']:.0f} MB.\n"
        )
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, to check the script")
    ap.add_argument("--stage-articles", type=int, default=300)
    ap.add_argument("--ingest-articles", type=int, default=1200)
    ap.add_argument("--query-articles", type=int, default=3800, help="3,800 synthetic graphs ~ 1.07M triples")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--rdflib-timeout", type=int, default=60)
    ap.add_argument("--probe-timeout", type=int, default=30, help="stop an Oxigraph query after this")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--query-store",
        type=Path,
        help="time the queries on this store (built there once if missing) instead of a new one",
    )
    ap.add_argument("--only", default="", help="comma-separated: only these queries (names as in the table)")
    ap.add_argument(
        "--big", type=int, default=0, help="also ingest this many articles (JSON Lines) for memory"
    )
    ap.add_argument(
        "--real", type=Path, default=HERE.parent.parent / "shared" / "corpus", help="real reports (*/*.txt)"
    )
    ap.add_argument("--view-sizes", default="1000,5000,20000")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "defkg-bench")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--report-only", action="store_true", help="rewrite the README section from --out")
    ap.add_argument("--skip", default="", help="comma-separated: stages,ingest,cpu,queries,export,view")
    a = ap.parse_args(argv)
    if a.quick:
        a.stage_articles, a.ingest_articles, a.query_articles, a.runs, a.rdflib_runs = 50, 300, 200, 5, 1
        a.view_sizes = "100,500"
    if a.report_only:
        write_readme(markdown(json.loads(a.out.read_text(encoding="utf-8"))))
        return 0
    skip = set(filter(None, a.skip.split(",")))
    a.work.mkdir(parents=True, exist_ok=True)
    import pyoxigraph
    import rdflib

    jobs = os.cpu_count() or 1
    r: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "load_average_at_start": os.getloadavg()[0],
        "machine": {
            "cpus": jobs,
            "machine": platform.machine(),
            "processor": platform.processor(),
            "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__,
        },
    }
    if "stages" not in skip:
        log("stages")
        r["stages"] = bench_stages(a.stage_articles)
    if "ingest" not in skip:
        r["ingest"] = bench_ingest(a.work, a.ingest_articles, jobs)
    if "cpu" not in skip:
        r["cpu"] = bench_cpu(a.work, a.real, a.ingest_articles, jobs)
    if a.big:
        big = a.work / f"big-{a.big}.jsonl"
        if not big.exists():
            log(f"writing {a.big} reports to {big}")
            generate.write_jsonl(a.big, big, seed=9)
        log(f"ingest {a.big} articles (memory run)")
        r["big"] = run_ingest(big, a.work / "big-store", True, jobs)
        r["big"]["store_mb"] = (
            sum(f.stat().st_size for f in (a.work / "big-store").rglob("*") if f.is_file()) / 1e6
        )
    if not ({"queries", "export", "view"} <= skip):
        baseline = not a.no_baseline and not ({"queries", "export"} <= skip)
        if a.query_store and a.query_store.exists():
            from defkg.store import Store

            store_dir = a.query_store
            with Store(store_dir, read_only=True) as st:
                store_res = {"articles": len(st.graphs()) - 2, "quads": len(st)}
            size = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
            store_res["store_dir_mb"] = size / 1e6
        else:
            store_dir, store_res = build_stores(a.work, a.query_articles)
            if a.query_store:
                shutil.move(str(store_dir), a.query_store)
                store_dir = a.query_store
        if not ({"queries", "export"} <= skip) and store_res:
            r["store"] = store_res
        ds = None
        if baseline:
            log("loading the store's quads into rdflib's in-memory Dataset")
            t0 = time.process_time()
            ds = rdflib_dataset(store_dir, a.work)
            r.setdefault("store", {})["rdflib_load_cpu_s"] = time.process_time() - t0
        if "queries" not in skip:
            only = set(filter(None, a.only.split(","))) or None
            r["queries"] = bench_queries(
                store_dir, ds, a.runs, a.rdflib_runs, a.rdflib_timeout, a.probe_timeout, only
            )
        if "export" not in skip:
            r["export"] = bench_export(store_dir, ds, a.work)
        del ds
        if "view" not in skip:
            r["view"] = bench_view(store_dir, [int(x) for x in a.view_sizes.split(",")])
    r["memory"] = {"benchmark_mb": maxrss_mb()}
    if skip and a.out.exists():  # keep the parts not run this time from the previous results
        previous = json.loads(a.out.read_text(encoding="utf-8"))
        for k, v in previous.items():
            if k not in r:
                r[k] = v
        r["partial"] = f"this run: all but {', '.join(sorted(skip))}; the rest from {previous.get('date')}"
    a.out.write_text(json.dumps(r, indent=1), encoding="utf-8")
    md = markdown(r)
    print(md)
    if a.update_readme:
        write_readme(md)
    return 0


def write_readme(md: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- results -->", "<!-- /results -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + md + "\n" + text[text.index(end) :]
        readme.write_text(text, encoding="utf-8")
        log(f"updated {readme}")


if __name__ == "__main__":
    sys.exit(main())
