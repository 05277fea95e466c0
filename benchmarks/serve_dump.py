"""A streamed dump through ``defkg serve``: peak RSS (anonymous and file-backed) of the server and
of each worker, and of all of them at one moment, sampled every 50 ms, and the CPU seconds of
each process (from /proc; Linux).

    python benchmarks/serve_dump.py /tmp/big 1 --memory 100     # store, --workers, serve options

The store is made on first use (``tests/test_serve_http.big_store``: 300,000 triples, each with a
distinct 400-character literal). ``Q`` (environment) replaces the query, ``ACCEPT`` the format.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("VmRSS", "RssAnon", "RssFile")


def status(pid: int) -> dict[str, int]:
    """The process's memory figures (MB) from /proc/PID/status."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in FIELDS:
                    out[key] = int(value.split()[0]) >> 10
    except OSError:
        pass
    return out


def children(pid: int) -> list[int]:
    """Every descendant of ``pid``."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if parent == pid:
            out += [int(name), *children(int(name))]
    return out


def cpu(pid: int) -> float:
    """User + system CPU seconds of the process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    store, workers, options = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    sys.path.insert(0, str(ROOT / "tests"))
    from test_serve_http import big_store, wait_for_port

    if not store.exists():
        big_store(store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = ["-m", "defkg", "serve", "--store", str(store), "--port", str(port), "--workers", workers]
    proc = subprocess.Popen([sys.executable, *command, *options], env=env)
    try:
        wait_for_port(port)
        peak: dict[tuple[str, str], int] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total = dict.fromkeys(FIELDS, 0)
                for pid in [proc.pid, *children(proc.pid)]:
                    who = "server" if pid == proc.pid else f"worker {pid}"
                    for key, value in status(pid).items():
                        total[key] += value
                        peak[(who, key)] = max(peak.get((who, key), 0), value)
                for key, value in total.items():
                    peak[("all", key)] = max(peak.get(("all", key), 0), value)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        query = os.environ.get("Q") or "SELECT ?s ?o WHERE { ?s dk:text ?o }"
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        c.request(
            "GET",
            "/sparql?query=" + urllib.parse.quote(query),
            headers={"Accept": os.environ.get("ACCEPT", "text/csv")},
        )
        r = c.getresponse()
        size = 0
        while chunk := r.read(1 << 16):
            size += len(chunk)
            time.sleep(0.001)
        done.set()
        sampler.join()
        print(f"status {r.status}, {size:,} bytes")
        for (who, key), value in sorted(peak.items()):
            print(f"peak {key} {who}: {value} MB")
        print("CPU s: server", cpu(proc.pid), "workers", [cpu(k) for k in children(proc.pid)])
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
