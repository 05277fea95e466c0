"""What the store's engine costs per quad and per value, whatever defkg does above it.

Three floors, measured on STORE (a store written by ``defkg ingest`` or ``defkg load``):

* **bytes per quad**: the RocksDB data files (``*.sst``) over the quads;
* **the loader's CPU per 1,000 quads**: every quad of STORE written as N-Quads and bulk-loaded in
  one call into a new store, against parsing the same bytes only (``pyoxigraph.parse``);
* **CPU per value decoded** in an answer: a one-pattern listing serialised by Oxigraph itself (no
  Python object per row) against counting the same rows (``COUNT(*)``, nothing decoded), for IRIs,
  long literals (sentence texts) and labels (most of them short enough to be stored inline).

Then every named query: its rows, the values in them that the store has to look up (IRIs and
literals over 15 bytes: Oxigraph keeps shorter literals inside the key), and the CPU that many
look-ups cost at the measured per-value rate, against the query's own CPU (``defkg.queries.select``,
median of ``--runs``). A listing cannot take less than its look-ups, whatever its text.

    python benchmarks/engine_floor.py STORE [--runs 3] [--no-load] [--json OUT]

CPU seconds of this process (the loader's threads included), not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from defkg import queries  # noqa: E402
from defkg.vocab import sparql_prologue  # noqa: E402

INLINE_BYTES = 15  # Oxigraph stores a literal's string of at most this many UTF-8 bytes in the key
PATTERNS = {  # a name -> (the pattern, the variable whose values are decoded)
    "IRIs (meetings)": ("?v a dk:Meeting", "?v"),
    "long literals (sentence texts)": ("?s dk:text ?v", "?v"),
    "labels (mostly inline)": ("?s rdfs:label ?v", "?v"),
}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median CPU seconds of ``runs`` calls, and the last call's result."""
    times, out = [], None
    for _ in range(runs):
        t = cpu()
        out = fn()
        times.append(cpu() - t)
    return statistics.median(times), out


def store_bytes(path: Path, store: ox.Store) -> dict[str, float]:
    disk = sum(f.stat().st_size for f in path.glob("*.sst"))
    n = len(store)
    return {"quads": n, "sst_bytes": disk, "bytes_per_quad": disk / n if n else 0.0}


def loader(store: ox.Store, runs: int) -> dict[str, float]:
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    assert data is not None
    n = len(store)

    def load() -> None:
        with tempfile.TemporaryDirectory(prefix="defkg-floor-") as d:
            ox.Store(d).bulk_load(data, ox.RdfFormat.N_QUADS)

    load_s, _ = timed(load, runs)
    parse_s, _ = timed(lambda: sum(1 for _ in ox.parse(data, ox.RdfFormat.N_QUADS)), runs)
    return {"quads": n, "load_ms_per_1k_quads": load_s * 1e6 / n, "parse_ms_per_1k_quads": parse_s * 1e6 / n}


def decoding(store: ox.Store, runs: int) -> dict[str, dict[str, float]]:
    prologue = sparql_prologue()
    out = {}
    for name, (pattern, var) in PATTERNS.items():
        listing = f"{prologue}SELECT {var} WHERE {{ {pattern} }}"
        count = f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"

        def run(q: str) -> int:
            """The rows of ``q``, serialised by Oxigraph (no Python object per row)."""
            r = store.query(q, use_default_graph_as_union=True)
            assert isinstance(r, ox.QuerySolutions)
            text = r.serialize(format=ox.QueryResultsFormat.TSV) or b""
            return text.count(b"\n") - 1

        list_s, rows = timed(lambda q=listing: run(q), runs)  # type: ignore[misc]
        count_s, _ = timed(lambda q=count: run(q), runs)  # type: ignore[misc]
        assert isinstance(rows, int)
        out[name] = {
            "rows": rows,
            "list_ms": list_s * 1000,
            "count_ms": count_s * 1000,
            "us_per_value": (list_s - count_s) * 1e6 / rows if rows else 0.0,
        }
    return out


def looked_up(table: queries.Table) -> int:
    """The values of an answer that the store keeps in its string table (not inline in the key)."""
    n = 0
    for row in table.rows:
        for term in row:
            if term is None:
                continue
            if term["type"] == "uri" or len(term["value"].encode()) > INLINE_BYTES:
                n += 1
    return n


def named_queries(store_path: Path, us_per_value: float, runs: int, skip: set[str]) -> list[dict[str, Any]]:
    from defkg.store import Store

    st = Store(store_path, read_only=True)
    out = []
    try:
        for rq in sorted((ROOT / "src" / "defkg" / "queries").glob("*.rq")):
            if rq.stem in skip:
                continue
            text = queries.with_lang(rq.read_text(), "en")
            seconds, table = timed(lambda t=text: queries.select(st, t), runs)  # type: ignore[misc]
            assert isinstance(table, queries.Table)
            values = looked_up(table)
            out.append(
                {
                    "query": rq.stem,
                    "rows": len(table.rows),
                    "looked_up": values,
                    "floor_ms": values * us_per_value / 1000,
                    "measured_ms": seconds * 1000,
                }
            )
    finally:
        st.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-load", action="store_true", help="no loader's floor (it copies the store)")
    ap.add_argument(
        "--skip",
        action="append",
        default=["meetings-between"],
        metavar="QUERY",
        help="a named query not to run (default: meetings-between, which wants its two states)",
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    store = ox.Store.read_only(str(args.store))
    result: dict[str, Any] = {"store": store_bytes(args.store, store)}
    s = result["store"]
    mb = s["sst_bytes"] / 2**20
    print(f"{s['quads']:,} quads, {mb:.1f} MB in *.sst: {s['bytes_per_quad']:.0f} bytes per quad")
    if not args.no_load:
        result["loader"] = ld = loader(store, args.runs)
        print(
            f"bulk load: {ld['load_ms_per_1k_quads']:.1f} ms CPU per 1,000 quads "
            f"(parsing alone: {ld['parse_ms_per_1k_quads']:.1f})"
        )
    result["decoding"] = dec = decoding(store, args.runs)
    print("| values | rows | listed, ms CPU | counted, ms CPU | µs per value |")
    print("|---|---:|---:|---:|---:|")
    for name, d in dec.items():
        cells = (f"{d['rows']:,}", f"{d['list_ms']:.0f}", f"{d['count_ms']:.0f}", f"{d['us_per_value']:.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    # what one value the store looks up costs at the least: IRIs and long literals both are
    rate = min(d["us_per_value"] for name, d in dec.items() if not name.startswith("labels"))
    del store
    result["queries"] = rows = named_queries(args.store, rate, args.runs, set(args.skip))
    print(f"\n| named query | rows | values looked up | floor at {rate:.2f} µs, ms | measured, ms CPU |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        cells = (f"{r['rows']:,}", f"{r['looked_up']:,}", f"{r['floor_ms']:.0f}", f"{r['measured_ms']:.0f}")
        print(f"| {r['query']} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
