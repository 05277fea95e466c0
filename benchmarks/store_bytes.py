"""Bytes of store per article: as ``defkg ingest`` leaves it, and the same quads loaded at once.

  python benchmarks/store_bytes.py CORPUS [--work DIR]

1. ``defkg.ingest.ingest(CORPUS, jobs=2)`` into ``DIR/ingested`` (its batches go through Oxigraph's
   bulk loader, the entity graph and the ontology through transactions, then ``Store.optimize``);
2. every quad of that store dumped and bulk-loaded in one call into ``DIR/one-load``, then
   ``Store.optimize`` (which then has nothing to merge).

For each: quads, bytes of the data files (``*.sst``) per article and per quad, and how many data
files. Oxigraph (0.5) sets RocksDB's ``compression_per_level`` to none for the first two levels and
LZ4 below, with ``level_compaction_dynamic_level_bytes``: while a store is small, compaction writes
its output to the base level, which takes the setting of level 1 (no compression). The bulk
loader's own files are LZ4-compressed. So a store whose files were merged by a compaction (any
store written by more than one load or transaction, once ``optimize`` ran) keeps its data
uncompressed until it is big enough to have a lower level (a few GB), and the same quads in one
load take about half the bytes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path


def _files(path: Path) -> tuple[int, int]:
    ssts = list(path.glob("*.sst"))
    return sum(f.stat().st_size for f in ssts), len(ssts)


def main() -> int:
    import pyoxigraph as ox

    from defkg.ingest import ingest

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="defkg-bytes-"))
    ingested, one = work / "ingested", work / "one-load"
    for d in (ingested, one):
        shutil.rmtree(d, ignore_errors=True)
    report = ingest([a.corpus], ingested, jobs=2, bar=False)
    n = max(1, report.articles)
    dump = work / "all.nq"
    store = ox.Store.read_only(str(ingested))
    quads = len(store)
    store.dump(str(dump), ox.RdfFormat.N_QUADS)
    del store
    loaded = ox.Store(str(one))
    loaded.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    loaded.optimize()
    assert len(loaded) == quads
    del loaded
    dump.unlink()
    print(f"{report.articles} articles, {quads:,} quads ({quads / n:.1f} per article)")
    for name, path in (("as ingest leaves it", ingested), ("the same quads in one load", one)):
        size, count = _files(path)
        print(
            f"{name:28s} {size / n / 1024:6.1f} KB per article, {size / quads:5.0f} bytes per quad, "
            f"{count} data files"
        )
    if a.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
