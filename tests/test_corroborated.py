"""Named queries and cookbook questions on a store where each report is told three times.

Oxigraph's union default graph gives a triple once per graph that holds it (oxigraph#1919), not
once as the RDF merge does. A meeting that n reports tell of is a fact of each of their graphs,
so a query written for the merge may count it n times or list a row n times, and each pattern
joined over it multiplies the rows by n: on 1,092 reports (12 of a meeting at most) five
queries ran past 40 s and others took 5-30 s. Two checks:

* the answer over the union is the answer over the merge: the same engine with every quad of the
  store also put in the default graph (a graph is a set), queried without the union. Only
  ``GROUP_CONCAT``'s order, which SPARQL leaves to the engine, may differ;
* the work grows at most with the square of the tellings: the rows every operator of Oxigraph's
  plan produced (``oxigraph query --explain-file --stats``, a count, not a time), on the store told
  three times against the store of each report once, at most 9x (a plan joining k patterns over
  a repeated fact grows as 3^k).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import missing, oxigraph_command
from defkg import queries
from defkg.store import Store
from defkg.vocab import PREFIXES
from test_query_order import TEXTS

CORPUS = Path(__file__).resolve().parent / "corpus"
_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\([^;)]*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', re.IGNORECASE
)


TELLINGS = 3


@pytest.fixture(scope="module")
def thrice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of every report of tests/corpus told three times: as it is, and twice with a line
    of its own at the end (another text, so another article, telling of the same meetings)."""
    from defkg.ingest import ingest

    root = tmp_path_factory.mktemp("thrice")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        (corpus / f.name).write_text(text, encoding="utf-8")
        for i in range(1, TELLINGS):
            (corpus / f"copy{i}-{f.name}").write_text(text.rstrip() + f"\n\nRef. {i}.\n", encoding="utf-8")
    report = ingest([corpus], root / "store", jobs=1)
    assert report.ok, report.errors
    return root / "store"


class _Merged:
    """The store's quads, and each of their triples once more in the default graph: queried
    without the union, the default graph is the RDF merge of every graph."""

    def __init__(self, path: Path) -> None:
        self.ox = ox.Store()
        with Store(path, read_only=True) as st:
            quads = list(st.quads())
        self.ox.extend(quads)
        self.ox.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)

    def query(self, sparql: str, union: bool = True) -> object:
        return self.ox.query(sparql, prefixes=PREFIXES)


@pytest.fixture(scope="module")
def merged(thrice: Path) -> _Merged:
    return _Merged(thrice)


def _rows(table: queries.Table, sparql: str) -> list[str]:
    concat = {var: sep for sep, var in _CONCAT.findall(sparql)}
    cols = [concat.get(v) for v in table.vars]
    out = []
    for row in table.rows:
        cells = []
        for sep, term in zip(cols, row, strict=True):
            if sep and term is not None:  # the engine's order of a GROUP_CONCAT: compared as a set
                term = {**term, "value": sep.join(sorted(term["value"].split(sep)))}
            cells.append(repr(term))
        out.append("|".join(cells))
    return sorted(out)


def test_the_store_tells_meetings_several_times(thrice: Path) -> None:
    with Store(thrice, read_only=True) as st:
        told = queries.select(
            st,
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?m WHERE { ?m dk:reportedIn ?a } "
            "GROUP BY ?m HAVING (COUNT(DISTINCT ?a) > 1) } }",
        )
    assert int(told.rows[0][0]["value"]) >= 20  # meetings told by several reports


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_union_answers_as_the_merge(thrice: Path, merged: _Merged, name: str) -> None:
    sparql = queries.with_lang(TEXTS[name], "en")
    expected = queries.select(merged, sparql)
    with Store(thrice, read_only=True) as st:
        got = queries.select(st, sparql)
    assert got.vars == expected.vars
    assert expected.rows, f"{name}: no rows on the test corpus, nothing is compared"
    assert _rows(got, sparql) == _rows(expected, sparql)


def _oxigraph() -> str:
    exe = oxigraph_command()
    if exe is None:
        missing("the oxigraph command is not installed (pip install oxigraph)")
    return exe


def _work(exe: str, store: Path, sparql: str, tmp: Path) -> int:
    """Rows produced by every operator of the plan Oxigraph ran for ``sparql`` on a copy of
    ``store`` (the command opens a store for writing)."""
    copy = tmp / "store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    query = tmp / "q.rq"
    query.write_text(
        "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + sparql, encoding="utf-8"
    )
    explain = tmp / "explain.json"
    subprocess.run(
        [
            exe,
            "query",
            "--location",
            str(copy),
            "--query-file",
            str(query),
            "--union-default-graph",
            "--explain-file",
            str(explain),
            "--stats",
            "--results-format",
            "tsv",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    def rows(node: dict) -> int:
        return int(node.get("number of results", 0)) + sum(rows(c) for c in node.get("children", []))

    return rows(json.loads(explain.read_text(encoding="utf-8"))["plan"])


def test_dataset_reads_as_the_merge(thrice: Path, merged: _Merged) -> None:
    from defkg import dataset

    with Store(thrice, read_only=True) as st:
        got = dataset.read(st)
    expected = dataset.read(merged)  # type: ignore[arg-type]
    assert expected.events
    assert got == expected


def _canonical(value: object) -> object:
    """Lists as multisets: the page lists names and rows in the order the engine gave them."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return sorted(
            (_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str)
        )
    return value


def test_page_data_reads_as_the_merge(thrice: Path, merged: _Merged) -> None:
    from defkg import view

    with Store(thrice, read_only=True) as st:
        got = view.page_data(st)
    expected = view.page_data(merged)  # type: ignore[arg-type]
    assert expected["engagements"]
    assert _canonical(got) == _canonical(expected)


PAIRS = [("TUR", "AZE"), ("HUN", "TUR"), ("TUR", "UZB"), ("TUR", "GBR"), ("IND", "USA")]


def test_timelines_of_pairs_read_as_the_merge(thrice: Path, merged: _Merged) -> None:
    from defkg import analysis

    with Store(thrice, read_only=True) as st:
        got = [analysis.timeline(st, a, b, engagements=True) for a, b in PAIRS]
    expected = [analysis.timeline(merged, a, b, engagements=True) for a, b in PAIRS]  # type: ignore[arg-type]
    assert {e.kind for entries in expected for e in entries} > {"Exercise"}  # meetings, agreements, exercises
    assert got == expected


def test_timeline_finds_a_state_of_a_meeting_of_three(tmp_path: Path) -> None:
    """``timeline --param a=X`` tests X against a meeting's first and last ISO codes, and only for
    a meeting of more than two states looks further: X in the middle is found there too."""
    dk, r = "https://w3id.org/defkg/ontology#", "https://w3id.org/defkg/id/"
    m, g = f"<{r}meeting/aze-geo-tur/2025-01-01>", f"<{r}graph/x>"
    quads = [
        f"{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dk}Meeting> {g} .",
        f'{m} <http://www.w3.org/2000/01/rdf-schema#label> "a meeting of three"@en {g} .',
        f"{m} <{dk}reportedIn> <{r}article/x> {g} .",
    ]
    for iso in ("AZE", "GEO", "TUR"):
        quads.append(f"{m} <{dk}participatingState> <{r}state/{iso}> {g} .")
        quads.append(f'<{r}state/{iso}> <{dk}iso3> "{iso}" <{r}graph/entities> .')
    with Store(tmp_path / "store") as st:
        st.bulk_load_nquads("\n".join(quads).encode("utf-8"))
        text = queries.named_queries()["timeline"].text
        for iso, found in (("AZE", 1), ("GEO", 1), ("TUR", 1), ("ARM", 0)):
            rows = queries.select(st, queries.substitute(text, {"a": iso})).rows
            assert len(rows) == found, iso
            assert all(row[2]["value"] == "AZE-TUR" for row in rows)  # ?states: first and last


def _queries() -> dict[str, str]:
    """Every query a command runs over the union: the named queries and cookbook questions (in
    English), the dataset's, the analyst page's and those of a pair's timeline."""
    from defkg import analysis, dataset, view

    out = {name: queries.with_lang(text, "en") for name, text in TEXTS.items()}
    out.update(
        {
            f"dataset {n}": getattr(dataset, n)
            for n in ("_ENGAGEMENTS", "_STATES", "_PLACES", "_PEOPLE", "_EVIDENCE")
        }
    )
    out.update(
        {f"page {n}": view._sparql(n) for n in ("articles", "engagements", "evidence", "labels", "people")}
    )
    agreements, _ = analysis.engagements_between_queries("TUR", "AZE")
    _, exercises = analysis.engagements_between_queries("TUR", "UZB")
    out.update({"agreements between": agreements, "exercises between": exercises})
    return out


WORK = _queries()


@pytest.mark.parametrize("name", sorted(WORK))
def test_work_grows_at_most_with_the_square_of_the_tellings(
    corpus_store: Path, thrice: Path, name: str, tmp_path: Path
) -> None:
    exe = _oxigraph()
    once, told = _work(exe, corpus_store, WORK[name], tmp_path), _work(exe, thrice, WORK[name], tmp_path)
    assert once > 0
    assert told <= TELLINGS**2 * once, (
        f"{name}: {told:,} rows on the store told {TELLINGS} times, {once:,} once"
    )
