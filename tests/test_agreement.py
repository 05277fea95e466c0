"""The commands agree: on the same store, `query state-pairs`, `query meetings-between`, `query
timeline`, `query meetings`, `analyse --pair`, the data of `view` (the analyst's page, and the
knowledge page of `view --knowledge --pair`) and `stats` give the same
number of meetings, and the same first and last dates, for every pair of states.

Stores: the shared dev corpora (../shared/corpus/dev and dev2, when that folder is there: CI
lays it beside the clone), the project's tests/corpus, and a generated corpus
(benchmarks/generate.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg import analysis, view
from defkg.cli.main import cli
from defkg.ingest import ingest
from defkg.stats import stats
from defkg.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
DEV = [SHARED / "dev", SHARED / "dev2"]
MAX_PAIRS = 25  # pairs checked per store (the busiest first), to bound the time


@dataclass(frozen=True)
class Span:
    meetings: int
    first: str
    last: str

    @staticmethod
    def of(dates: list[str]) -> Span:
        dated = sorted(d for d in dates if d)
        return Span(len(dates), dated[0] if dated else "", dated[-1] if dated else "")


def _generated(tmp: Path) -> list[Path]:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = gen  # its dataclasses look their module up
    spec.loader.exec_module(gen)
    out = tmp / "generated"
    out.mkdir()
    gen.write_dir(60, out, seed=7)
    return [out]


CORPORA = ["tests-corpus", "generated"] + (["dev"] if all(d.is_dir() for d in DEV) else [])


@pytest.fixture(scope="module", params=CORPORA)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp(request.param)
    paths = {"tests-corpus": lambda: [ROOT / "tests" / "corpus"], "dev": lambda: DEV}.get(
        request.param, lambda: _generated(tmp)
    )()
    report = ingest(paths, tmp / "store", jobs=1)
    assert report.ok, report.errors
    assert report.meetings >= 10
    return tmp / "store"


def _query(store: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["query", *args, "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def _codes(store: Path) -> dict[str, str]:
    """English label of each state -> its ISO code (state-pairs prints labels)."""
    rows = _query(
        store,
        "SELECT DISTINCT ?iso ?l WHERE { ?s dk:iso3 ?iso { ?s skos:prefLabel ?l } UNION { ?s rdfs:label ?l } "
        'FILTER(LANG(?l) = "en") }',
    )
    return {r["l"]: r["iso"] for r in rows}


@pytest.fixture(scope="module")
def pairs(store: Path) -> dict[tuple[str, str], Span]:
    """What `query state-pairs` says, by pair of ISO codes (sorted)."""
    codes = _codes(store)
    out = {}
    for r in _query(store, "state-pairs"):
        a, b = sorted((codes[r["stateA"]], codes[r["stateB"]]))
        assert (a, b) not in out, f"state-pairs lists {a}-{b} twice"
        out[(a, b)] = Span(int(r["meetings"]), r.get("first", ""), r.get("last", ""))
    assert out
    return out


@pytest.fixture(scope="module")
def timeline_rows(store: Path) -> list[dict[str, str]]:
    return _query(store, "timeline")


@pytest.fixture(scope="module")
def knowledge(store: Path):  # type: ignore[no-untyped-def]
    with Store(store, read_only=True) as st:
        return analysis.knowledge_graph(st)


def _busiest(pairs: dict[tuple[str, str], Span]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda p: (-pairs[p].meetings, p))[:MAX_PAIRS]


def test_meetings_between_agrees_with_state_pairs(store: Path, pairs: dict[tuple[str, str], Span]) -> None:
    for a, b in _busiest(pairs):
        rows = _query(store, "meetings-between", "--param", f"a={a}", "--param", f"b={b}")
        assert len({r["meeting"] for r in rows}) == len(rows), f"{a}-{b}: a meeting twice"
        assert Span.of([r.get("start", "") for r in rows]) == pairs[(a, b)], (a, b)


def test_timeline_agrees_with_state_pairs(
    pairs: dict[tuple[str, str], Span], timeline_rows: list[dict[str, str]]
) -> None:
    assert len({r["meeting"] for r in timeline_rows}) == len(timeline_rows), "timeline lists a meeting twice"
    for a, b in _busiest(pairs):
        dates = [r.get("start", "") for r in timeline_rows if {a, b} <= set(r["states"].split("-"))]
        assert Span.of(dates) == pairs[(a, b)], (a, b)


def test_analyse_pair_agrees_with_state_pairs(
    store: Path, pairs: dict[tuple[str, str], Span], timeline_rows: list[dict[str, str]]
) -> None:
    """`analyse --pair`: its meetings (the timeline also lists agreements signed and exercises held)."""
    meetings = {r["meeting"] for r in timeline_rows}
    with Store(store, read_only=True) as st:
        for a, b in _busiest(pairs):
            entries = [e for e in analysis.timeline(st, a, b) if e.meeting in meetings]
            assert len({e.meeting for e in entries}) == len(entries), (a, b)
            assert Span.of([e.date for e in entries]) == pairs[(a, b)], (a, b)


def test_page_pair_agrees_with_state_pairs(store: Path, pairs: dict[tuple[str, str], Span]) -> None:
    """The analyst's page (`defkg view`): its meetings and calls of each pair."""
    with Store(store, read_only=True) as st:
        data = view.page_data(st)
    meetings = [e for e in data["engagements"] if e["kind"] in ("meeting", "call")]
    assert len({e["id"] for e in meetings}) == len(meetings)
    for a, b in _busiest(pairs):
        dates = [e["start"] for e in meetings if {a, b} <= set(e["states"])]
        assert Span.of(dates) == pairs[(a, b)], (a, b)


def test_knowledge_view_pair_agrees_with_state_pairs(knowledge, pairs: dict[tuple[str, str], Span]) -> None:  # type: ignore[no-untyped-def]
    """`defkg view --knowledge --pair A B`: the meetings of the cut knowledge graph."""
    for a, b in _busiest(pairs):
        g = view.select(knowledge, pair=(a, b))
        dates = [str(d.get("date", "")) for _, d in g.nodes(data=True) if d.get("kind") == "Meeting"]
        assert Span.of(dates) == pairs[(a, b)], (a, b)


def test_stats_and_listings_count_the_same_meetings(
    store: Path,
    knowledge,
    timeline_rows: list[dict[str, str]],  # type: ignore[no-untyped-def]
) -> None:
    with Store(store, read_only=True) as st:
        total = stats(st).meetings
    meetings = _query(store, "meetings")
    assert len({r["meeting"] for r in meetings}) == len(meetings) == total
    assert {r["meeting"] for r in timeline_rows} == {r["meeting"] for r in meetings}
    in_view = [n for n, d in knowledge.nodes(data=True) if d.get("kind") == "Meeting"]
    assert len(in_view) == total
