"""Shared test set-up: honest skips in CI, and a store of the project's own corpus.

With ``CI`` set (``CI=true`` as `.ci/run` runs), a test that needs a tool the run should have
(Chromium, Playwright, the Oxigraph server, rapper) fails instead of skipping: CI must not pass
without the thing it tests. Locally a missing tool still skips, with the reason (``-ra``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
# markers of tests that need a tool CI installs: skipping one of these in CI is a failure
NEEDS_TOOL = ("browser", "server")


def missing(reason: str, module: bool = False) -> NoReturn:
    """A tool a test needs is missing: skip locally, fail in CI."""
    if CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


def oxigraph_command() -> str | None:
    """The `oxigraph` command of this venv (the test extra installs it), else the one on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def code_snapshot(dest: Path) -> Path:
    """A copy of the package as imported (the sources, or a compiled build: tests/test_compiled.py
    runs some tests on one, whose modules share a library beside the package) under ``dest``, for
    child processes that must run one version of the code while the checkout may change."""
    import defkg

    package = Path(defkg.__file__).resolve().parent
    shutil.copytree(package, dest / "defkg", ignore=shutil.ignore_patterns("__pycache__"))
    for lib in package.parent.glob("defkg__mypyc*"):
        shutil.copy2(lib, dest / lib.name)
    return dest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI, a skip of a test marked ``browser`` or ``server`` (whatever skipped it) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and any(item.get_closest_marker(m) for m in NEEDS_TOOL):
        report.outcome = "failed"
        report.longrepr = f"CI=true but this {'/'.join(NEEDS_TOOL)} test was skipped: {report.longrepr}"


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of every report in tests/corpus (read-only use: tests must not write to it)."""
    from defkg.ingest import ingest

    path = tmp_path_factory.mktemp("corpus") / "store"
    report = ingest([CORPUS], path, jobs=1)
    assert report.ok, report.errors
    assert report.articles >= 40
    return path


def canonical_graphs(store: Path | Any) -> dict[str, frozenset[str]]:
    """Each named graph of a store (a defkg store's directory, or a pyoxigraph ``Store``) as its
    triples in text, blank nodes (evidence nodes) named by rdflib's canonical labelling of that
    graph: two stores give the same dict exactly when each graph of one is isomorphic to the
    other's graph of that name (the store names blank nodes afresh on every load, so two loads of
    one graph differ in labels only)."""
    from defkg.store import Store

    if isinstance(store, Path):
        with Store(store, read_only=True) as st:
            return _canonical(st.quads())
    return _canonical(iter(store))


def canonical_quads(store: Path | Any) -> frozenset[str]:
    """``canonical_graphs`` as one set of quads in text."""
    return frozenset(f"{t} {g}" for g, triples in canonical_graphs(store).items() for t in triples)


def canonical_triples(graph: Any) -> frozenset[str]:
    """An rdflib graph's triples in N-Triples form, its blank nodes named by rdflib's canonical
    labelling: the same set for isomorphic graphs."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    return frozenset(
        " ".join(f"_:{x}" if isinstance(x, BNode) else x.n3() for x in t) for t in to_canonical_graph(graph)
    )


def _canonical(quads: Any) -> dict[str, frozenset[str]]:
    from rdflib import Graph

    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    out: dict[str, frozenset[str]] = {}
    for graph, lines in by_graph.items():
        if not any("_:" in line for line in lines):
            out[graph] = frozenset(line[:-3] for line in lines)
            continue
        out[graph] = canonical_triples(Graph().parse(data="".join(lines), format="nt"))
    return out
