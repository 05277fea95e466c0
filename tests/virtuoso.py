"""Start and stop a private OpenLink Virtuoso for tests and benchmarks.

Uses the Debian package ``virtuoso-opensource`` (``virtuoso-t``, ``isql-vt``) but never its
system service: the instance gets its own ``virtuoso.ini`` and database directory, listens only
on 127.0.0.1 on free ports, gets a new ``dba`` password, and is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "defkg-test-pw"

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
ThreadsPerQuery = 2
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    password: str
    directory: Path
    pid: int

    @property
    def query(self) -> str:  # read-only SPARQL endpoint, anonymous
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:  # SPARQL endpoint taking updates, Digest authentication
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:  # Graph Store Protocol, Digest authentication
        return f"{self.base}/sparql-graph-crud-auth"


def executable() -> str | None:
    for name in ("virtuoso-t", "virtuoso"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(
    directory: Path, max_rows: int = 10_000, max_seconds: int = 60, buffers: int = 20_000
) -> Iterator[Virtuoso]:
    """A fresh Virtuoso with its database in ``directory``, stopped when the block ends."""
    exe = executable()
    if exe is None:
        raise FileNotFoundError("virtuoso-t not found (apt-get install virtuoso-opensource)")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        INI.format(
            d=directory,
            sql_port=sql_port,
            http_port=http_port,
            max_rows=max_rows,
            max_seconds=max_seconds,
            buffers=buffers,
            dirty=buffers * 3 // 4,
        )
    )
    log = (directory / "server.out").open("wb")
    proc = subprocess.Popen(
        [exe, "+configfile", str(ini), "+foreground"],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    text = (directory / "server.out").read_text(errors="replace")[-800:]
                    raise RuntimeError(f"virtuoso did not start: {text}") from None
                time.sleep(0.25)
        password = _set_password(sql_port) or "dba"
        yield Virtuoso(base, password, directory, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _set_password(sql_port: int) -> str | None:
    """Give ``dba`` a password of our own (a fresh database has ``dba``/``dba``)."""
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    if isql is None:
        return None
    subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{PASSWORD}');"],
        check=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C"},
    )
    return PASSWORD
