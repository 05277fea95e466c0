"""The extraction as a Dask job (``dask.distributed``): map articles to N-Quads shards on a cluster,
then bulk-load the shards into a store (``defkg.shards.load``).

    from dask.distributed import Client, LocalCluster
    from defkg import distributed, shards

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        report = distributed.extract(["corpus/", "feed.jsonl"], "shards/", client)
    shards.load(["shards/"], "store")

The client lists the inputs (files, and the lines of JSON Lines files) and sends them to the
workers ``partition`` articles a task, at most ``window`` tasks per worker in flight (memory stays
bounded whatever the size of a feed). Each task reads, extracts, validates and writes its
articles' graphs to shards named after the task's position in the input
(``part-TTTTTT-NNNNN.nq``), so that loading the shards in name order keeps the input order (a
later article of the same id wins, as in ``ingest``). Files and the output directory must be
reachable by the workers under the same paths (one machine, or a shared file system); JSON Lines
feeds are read by the client, and their lines travel with the tasks.

Needs the ``dask`` extra: ``pip install 'defkg[dask]'``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from defkg import ingest as _ingest
from defkg import shards
from defkg.errors import DefkgError, InputError

PARTITION = 64  # articles per task
WINDOW = 4  # tasks in flight per worker


def _client_module() -> Any:
    try:
        import dask.distributed as dd
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise InputError("Dask is not installed: pip install 'defkg[dask]'") from e
    return dd


def extract_partition(
    index: int, units: list[_ingest.Unit], out: str, validate: bool, limit: int
) -> shards.ShardReport:
    """One task, run on a worker: the articles of ``units`` into shards ``out/part-<index>-NNNNN.nq``."""
    return shards.collect(
        _ingest._Serial(units, validate), shards.ShardWriter(out, f"part-{index:06d}", limit)
    )


def extract(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    client: Any,
    validate: bool = True,
    partition: int = PARTITION,
    window: int = WINDOW,
    limit: int = shards.SHARD_QUADS,
    progress: Callable[[shards.ShardReport], None] | None = None,
) -> shards.ShardReport:
    """Extract every article under ``paths`` into shards in ``out`` on the Dask cluster of ``client``
    (a ``dask.distributed.Client``). Errors of articles are collected in the report, not raised."""
    dd = _client_module()
    target = Path(out).resolve()
    if target.exists() and not target.is_dir():
        raise InputError("not a directory", str(target))
    target.mkdir(parents=True, exist_ok=True)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    report = shards.ShardReport()
    pending: deque[Any] = deque()

    def settle(future: Any) -> None:
        try:
            part: shards.ShardReport = future.result()
        except DefkgError as e:
            report.errors.append(e)
            return
        report.add(part)
        if progress:
            progress(report)

    for index, chunk in enumerate(_ingest._chunks(_ingest._units(paths), partition)):
        pending.append(
            client.submit(extract_partition, index, chunk, str(target), validate, limit, pure=False)
        )
        if len(pending) >= workers * window:
            dd.wait([pending[0]])
            settle(pending.popleft())
    for future in pending:
        settle(future)
    report.shards.sort(key=lambda f: f.name)
    if report.shards:
        shards.drop_superseded(report.shards)
        report.entities = shards.write_entities(target, report.mentions)
    return report


def run(
    paths: Iterable[str | os.PathLike[str]],
    store_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    client: Any,
    validate: bool = True,
    partition: int = PARTITION,
) -> tuple[shards.ShardReport, shards.ShardReport]:
    """Extract on the cluster into ``out``, then bulk-load the shards into the store here:
    (extract report, load report)."""
    extracted = extract(paths, out, client, validate=validate, partition=partition)
    loaded = shards.load(extracted.shards, store_path) if extracted.shards else shards.ShardReport()
    return extracted, loaded


def local_client(workers: int) -> Any:
    """A ``Client`` of a new ``LocalCluster`` of ``workers`` processes (one thread each); close both
    with ``client.close(); client.cluster.close()`` (or use it in a ``with``)."""
    dd = _client_module()
    cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return dd.Client(cluster)
