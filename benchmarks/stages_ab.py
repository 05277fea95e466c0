"""What a worker spends per report, stage by stage, for two checkouts side by side.

Each run is a fresh Python process with one checkout's ``src`` first on ``sys.path``: it warms the
stages as ingest does, then reads, extracts, builds, validates and serialises every report of
CORPUS once, as a worker would (with the worker's garbage-collector thresholds where the checkout
has them), timing each stage with ``getrusage``. The checkouts run alternately, ``--rounds`` times.

    python benchmarks/stages_ab.py CORPUS --before-src /tmp/base0 --after-src /tmp/cb --rounds 2

(``benchmarks/compiled.py OUT`` makes a checkout of the compiled build.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import gc, json, resource, sys
sys.path.insert(0, {src!r})
from pathlib import Path
from defkg import ingest as I
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import build
from defkg.validate import check_graph

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

I._warm(True)
if hasattr(I, "WORKER_GC_THRESHOLDS"):
    gc.set_threshold(*I.WORKER_GC_THRESHOLDS)
files = sorted(p for p in Path({corpus!r}).iterdir() if p.is_file())
acc = dict.fromkeys(("read", "extract", "build", "validate", "nquads"), 0.0)
for f in files:
    a = cpu(); art = reader.read_text(f.read_text(encoding="utf-8"), source=str(f))
    b = cpu(); ex = extract(art)
    c = cpu(); g = build(ex)
    d = cpu(); check_graph(g.described(), source=art.source)
    e = cpu(); I.nquads(g, str(g.identifier))
    f_ = cpu()
    for k, v in zip(acc, (b - a, c - b, d - c, e - d, f_ - e)):
        acc[k] += v
n = len(files)
out = {{k: 1000 * v / n for k, v in acc.items()}}
out["all"] = sum(out.values())
print(json.dumps(out))
"""


def run_once(src: Path, corpus: Path) -> dict[str, float]:
    code = _CHILD.format(src=str(src / "src"), corpus=str(corpus))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a directory of report files")
    ap.add_argument("--before-src", type=Path, required=True, metavar="DIR")
    ap.add_argument("--after-src", type=Path, default=ROOT, metavar="DIR")
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for i in range(a.rounds):
        for side, src in (("before", a.before_src), ("after", a.after_src)):
            r = run_once(src, a.corpus)
            runs[side].append(r)
            line = " ".join(f"{k} {v:.2f}" for k, v in r.items())
            print(f"round {i + 1} {side:6} {line}", file=sys.stderr)
    print("| ms CPU per report | before | after | after / before |\n|---|---:|---:|---:|")
    for k in runs["before"][0]:
        b = statistics.median(r[k] for r in runs["before"])
        f = statistics.median(r[k] for r in runs["after"])
        print(f"| {k} | {b:.2f} | {f:.2f} | {f / b:.2f}x |")


if __name__ == "__main__":
    main()
