"""Time ``defkg push`` of a store to a private OpenLink Virtuoso (and, optionally, Oxigraph server).

  python benchmarks/generate.py -n 1200 --out /tmp/corpus
  defkg ingest /tmp/corpus --store /tmp/store
  python benchmarks/push_virtuoso.py --store /tmp/store                 # Graph Store Protocol
  python benchmarks/push_virtuoso.py --store /tmp/store --update        # SPARQL Update path too

Starts Virtuoso from the Debian package (``tests/virtuoso.py``: own virtuoso.ini, database in a
temporary directory, 127.0.0.1, free ports), pushes through the CLI's library function with
Digest authentication, and prints for each path: wall seconds of the push, the client's CPU
seconds and the server's CPU seconds (from /proc), requests and bytes; then checks that every
graph arrived (triple count on the server).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import virtuoso as vt  # noqa: E402
from defkg import remote  # noqa: E402
from defkg.push import push  # noqa: E402
from defkg.store import Store  # noqa: E402


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--update", action="store_true", help="also push through SPARQL Update (slow)")
    ap.add_argument("--workers", default="2", help="Graph Store requests at a time, e.g. 1,2,4")
    args = ap.parse_args()
    with Store(args.store, read_only=True) as st:
        n_local = len(st)
    out = {}
    with tempfile.TemporaryDirectory() as tmp, vt.running(Path(tmp), max_rows=1_000_000) as v:
        creds = remote.Credentials("dba", v.password)
        paths = [
            (f"graph store, {w} worker(s)", None, v.graph_store, int(w)) for w in args.workers.split(",")
        ]
        paths += [("update", v.update, None, 1)] if args.update else []
        for label, update, gsp, workers in paths:
            cpu0, srv0, t0 = own_cpu(), cpu_of(v.pid), time.perf_counter()
            with Store(args.store, read_only=True) as st:
                report = push(st, update, graph_store=gsp, credentials=creds, workers=workers)
            wall = time.perf_counter() - t0
            count = remote.query(
                v.query,
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                'FILTER(STRSTARTS(STR(?g), "https://w3id.org/defkg/")) }',
            )
            n_server = int(count.rows[0][0]["value"])  # type: ignore[index]
            out[label] = {
                "load_avg": os.getloadavg()[0],
                "graphs": report.graphs,
                "triples": report.triples,
                "requests": report.requests,
                "retries": report.retries,
                "MB": round(report.bytes / 1e6, 1),
                "wall_s": round(wall, 1),
                "client_cpu_s": round(own_cpu() - cpu0, 1),
                "server_cpu_s": round(cpu_of(v.pid) - srv0, 1),
                "triples_on_server": n_server,
                "triples_in_store": n_local,
            }
            print(json.dumps({label: out[label]}), flush=True)


if __name__ == "__main__":
    main()
