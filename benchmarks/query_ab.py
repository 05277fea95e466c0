"""Named queries and cookbook questions before and after a change, side by side on one store.

  python benchmarks/query_ab.py STORE --before c4b8182 [--only cookbook/] [--out ab.json]
  python benchmarks/query_ab.py STORE --before HEAD~1 --old-runner select   # a change of text alone

For every query of ``run.query_set`` (this checkout's text, run as the CLI runs it:
``queries.select``) and the same query's text at git revision ``--before`` (run as that revision
ran it: ``to_table(store.query(...))``, the ORDER BY done by Oxigraph), alternating in this process,
3 runs each: CPU milliseconds (``time.process_time``), p50, and the rows of each (they must agree).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402


def old_text(rev: str, name: str) -> str:
    base = name.split(" ")[0]
    path = (
        f"docs/cookbook/{base[len('cookbook/') :]}.rq"
        if base.startswith("cookbook/")
        else f"src/defkg/queries/{base}.rq"
    )
    return subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=HERE.parent, check=True, capture_output=True, text=True
    ).stdout


def main() -> int:
    from defkg import queries
    from defkg.store import Store

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--before", required=True, help="git revision of the queries to compare with")
    ap.add_argument("--only", default="", help="only queries whose name starts with this")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--old-runner",
        choices=("store", "select"),
        default="store",
        help="run the old text as revisions before query_order.py did (store: Oxigraph's ORDER BY) "
        "or through queries.select as today (select: a change of the text alone)",
    )
    a = ap.parse_args()
    out = {}
    with Store(a.store, read_only=True) as st:
        for name, (_, new) in run.query_set().items():
            if not name.startswith(a.only):
                continue
            old = old_text(a.before, name)
            if " " in name:  # bound as the benchmark binds the new text
                old = queries.substitute(old, {k: v for k, v in run.PAIR.items() if f"{k}=" in name})
            elif name.startswith("cookbook/") and "--param" in old:
                old = queries.substitute(old, run.PAIR)
            before, after = [], []
            for _ in range(a.runs):
                t = time.process_time()
                if a.old_runner == "select":
                    rows_before = len(queries.select(st, old).rows)
                else:
                    rows_before = len(queries.to_table(st.query(old)).rows)
                before.append(time.process_time() - t)
                t = time.process_time()
                rows_after = len(queries.select(st, new).rows)
                after.append(time.process_time() - t)
                if before[-1] > 20:  # slow enough: one run says it
                    break
            b, n = sorted(before)[len(before) // 2], sorted(after)[len(after) // 2]
            out[name] = {"rows_before": rows_before, "rows_after": rows_after, "before_ms": 1000 * b}
            out[name]["after_ms"] = 1000 * n
            print(
                f"{name:45s} rows {rows_before:6d} / {rows_after:6d}  before {1000 * b:9.1f} ms  "
                f"after {1000 * n:8.1f} ms  {b / n:5.1f}x",
                flush=True,
            )
    if a.out:
        a.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
