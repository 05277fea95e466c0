"""Ingest CPU and store bytes, side by side: the code of an earlier commit against this checkout.

Each run ingests CORPUS into a new store in a fresh Python process with one checkout's ``src`` first
on ``sys.path`` (``defkg.ingest.ingest(..., jobs=JOBS)``), and counts the CPU seconds of that process
and of its workers (``RUSAGE_CHILDREN`` around it), so the figure does not depend on the wall clock
of a shared machine. The two checkouts run alternately, ``--rounds`` times each; the ratio of the
medians is what carries over between hours (this VM's CPU time for one and the same run varies by
up to 50 %). Store bytes are the RocksDB data files (``*.sst``) after the ingest; quads are counted
by opening the store with pyoxigraph, so any version of defkg can be measured.

    python benchmarks/ingest_ab.py CORPUS --before REV [--rounds 3] [--jobs 2] [--json OUT]
    python benchmarks/ingest_ab.py CORPUS --before-src /path/to/old/checkout

``--before REV`` checks REV out into a temporary ``git worktree`` (removed at the end).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent

# run in the child: only what every version of ``ingest`` accepts, plus ``bar=False`` where the
# version has it (no progress bar); compaction is each version's own choice, as in `defkg ingest`
_CHILD = """
import inspect, sys
sys.path.insert(0, {src!r})
from defkg.ingest import ingest
extra = {{k: v for k, v in (("bar", False),) if k in inspect.signature(ingest).parameters}}
report = ingest([{corpus!r}], {store!r}, jobs={jobs}, **extra)
print(report.articles)
"""


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(src: Path, corpus: Path, store: Path, jobs: int) -> dict[str, float]:
    """One ingest of ``corpus`` by the checkout at ``src``: CPU ms, quads and store KB per article."""
    shutil.rmtree(store, ignore_errors=True)
    code = _CHILD.format(src=str(src / "src"), corpus=str(corpus), store=str(store), jobs=jobs)
    before = children_cpu()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    cpu = children_cpu() - before
    articles = int(out.stdout.split()[-1])
    if not articles:
        raise SystemExit(f"{src}: no article ingested from {corpus}")
    disk = sum(f.stat().st_size for f in store.glob("*.sst"))
    quads = len(ox.Store.read_only(str(store)))
    return {
        "articles": articles,
        "cpu_ms_per_article": cpu * 1000 / articles,
        "quads_per_article": quads / articles,
        "kb_per_article": disk / 1024 / articles,
    }


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A detached worktree of ``rev``, removed afterwards."""
    where = Path(tempfile.mkdtemp(prefix="defkg-ab-")) / "src"
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", str(where), rev], check=True, capture_output=True)
    try:
        yield where
    finally:
        subprocess.run([*git, "remove", "--force", str(where)], capture_output=True)
        shutil.rmtree(where.parent, ignore_errors=True)


def compare(before: Path, after: Path, corpus: Path, rounds: int, jobs: int, work: Path) -> dict[str, Any]:
    """Alternating runs of both checkouts; every run, the medians and the after/before ratios."""
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for i in range(rounds):
        for name, src in (("before", before), ("after", after)):
            r = run_once(src, corpus, work / name, jobs)
            runs[name].append(r)
            print(
                f"round {i + 1} {name:6s} {r['cpu_ms_per_article']:7.2f} ms CPU/article "
                f"{r['quads_per_article']:6.1f} quads {r['kb_per_article']:6.1f} KB",
                file=sys.stderr,
            )
    keys = ("cpu_ms_per_article", "quads_per_article", "kb_per_article")
    median = {name: {k: statistics.median(r[k] for r in rs) for k in keys} for name, rs in runs.items()}
    ratio = {k: median["after"][k] / median["before"][k] for k in keys}
    return {"runs": runs, "median": median, "ratio": ratio}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="a directory of reports (what `defkg ingest` reads)")
    old = ap.add_mutually_exclusive_group(required=True)
    old.add_argument(
        "--before", metavar="REV", help="the earlier commit (checked out in a temporary worktree)"
    )
    old.add_argument("--before-src", type=Path, metavar="DIR", help="a checkout of the earlier code")
    ap.add_argument("--after-src", type=Path, default=ROOT, metavar="DIR", help="the later code (here)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write every run, the medians and the ratios here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="defkg-ab-stores-") as work:
        if args.before:
            with checkout(args.before) as before:
                result = compare(before, args.after_src, args.corpus, args.rounds, args.jobs, Path(work))
        else:
            result = compare(args.before_src, args.after_src, args.corpus, args.rounds, args.jobs, Path(work))
    med, ratio = result["median"], result["ratio"]
    print("| | before | after | after / before |")
    print("|---|---:|---:|---:|")
    for key, name in (
        ("cpu_ms_per_article", "ms CPU per article (median)"),
        ("quads_per_article", "quads per article"),
        ("kb_per_article", "store KB per article"),
    ):
        print(f"| {name} | {med['before'][key]:.2f} | {med['after'][key]:.2f} | {ratio[key]:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
