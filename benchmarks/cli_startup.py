"""CPU seconds of short `defkg` commands, two source trees side by side (alternating).

  python benchmarks/cli_startup.py --before-src /tmp/base/src --after-src src --store STORE [--rounds 5]

Each command runs as `python -m defkg ...` in a new process with PYTHONPATH set to the tree's
``src``; its CPU (user + system, ``RUSAGE_CHILDREN``) is what it costs whoever types it: imports,
the command's work, and the query's child process where there is one. STORE: any store (the
seed article ingested is enough; the commands read it only). Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def commands(store: str, out: str) -> dict[str, list[str]]:
    return {
        "--help": ["--help"],
        "view --help": ["view", "--help"],
        "query --list": ["query", "--list"],
        "query meetings": ["query", "meetings", "--store", store],
        "stats": ["stats", "--store", store],
        "export --format nquads": ["export", "--store", store, "--format", "nquads", "--out", out],
        "explain Türkiye": ["explain", "--store", store, "Türkiye"],
    }


def cpu_of(args: list[str], src: str) -> float:
    env = dict(os.environ, PYTHONPATH=src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "defkg", *args], env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before-src", required=True, help="the earlier tree's src directory")
    ap.add_argument("--after-src", required=True, help="this tree's src directory")
    ap.add_argument("--store", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    srcs = {"before": str(Path(a.before_src).resolve()), "after": str(Path(a.after_src).resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(a.store, str(Path(tmp) / "out.nq"))
        cpu: dict[tuple[str, str], list[float]] = {(c, s): [] for c in cmds for s in srcs}
        for r in range(a.rounds):
            for c, args in cmds.items():
                for s in list(srcs) if r % 2 == 0 else list(srcs)[::-1]:
                    cpu[(c, s)].append(cpu_of(args, srcs[s]))
    print(f"| command | before, s CPU (median of {a.rounds}) | after | ratio |")
    print("|---|---:|---:|---:|")
    for c in cmds:
        b, f = statistics.median(cpu[(c, "before")]), statistics.median(cpu[(c, "after")])
        print(f"| `defkg {c}` | {b:.2f} | {f:.2f} | {f / b:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
