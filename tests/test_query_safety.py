"""`defkg query` is read-only and stops runaway queries."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg import queries
from defkg.cli.main import cli
from defkg.errors import QueryError, StoreError
from defkg.ingest import ingest
from defkg.store import Store

ARTICLES = [
    "The defence minister of the United Kingdom met the Turkish chief of the general staff in Ankara "
    "on Monday, and the two said that the talks were useful for the security of the region.",
    "Millî Savunma Bakanı, İngiltere Savunma Bakanı ile Ankara'da bir araya geldi ve iki bakan "
    "bölgesel güvenlik konularını ele aldıklarını söyledi.",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("qs")
    for i, text in enumerate(ARTICLES):
        (d / f"{i}.txt").write_text(text, encoding="utf-8")
    report = ingest([d], d / "store", jobs=1)
    assert report.ok, report.errors
    return d / "store"


def _size(store: Path) -> int:
    with Store(store, read_only=True) as st:
        return len(st)


UPDATES = [
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "INSERT"),
    ("insert data { <http://x/a> <http://x/b> <http://x/c> }", "INSERT"),
    (
        "# just a comment\n# SELECT * WHERE { ?s ?p ?o }\n  InSeRt DATA { <http://x/a> <http://x/b> 1 }",
        "INSERT",
    ),
    ("PREFIX ex: <http://example.org/#frag>\n# c\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("prefix ex:<http://example.org/>base<http://b/>drop all", "DROP"),
    ("BASE <http://x/> # comment after base\nclear all", "CLEAR"),
    ("\n\n   WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("CREATE GRAPH <http://x/g>", "CREATE"),
    ("copy default to <http://x/g>", "COPY"),
    ("move default to <http://x/g>", "MOVE"),
    ("add default to <http://x/g>", "ADD"),
    ("DELETE DATA { <http://x/a> <http://x/b> <http://x/c> }", "DELETE"),
]


@pytest.mark.parametrize(("update", "word"), UPDATES)
def test_update_is_refused_and_changes_nothing(store: Path, update: str, word: str) -> None:
    before = _size(store)
    result = CliRunner().invoke(cli, ["query", update, "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr == f"defkg: SPARQL Update ({word}) refused: `defkg query` is read-only\n"
    assert result.stdout == ""
    assert _size(store) == before


@pytest.mark.parametrize(("update", "word"), UPDATES[:3])
def test_update_file_is_refused(store: Path, tmp_path: Path, update: str, word: str) -> None:
    f = tmp_path / "sneaky.rq"
    f.write_text(update, encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(f), "--store", str(store)])
    assert result.exit_code == 1 and f"SPARQL Update ({word}) refused" in result.stderr


def test_store_opened_for_queries_cannot_write_even_past_the_check(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _size(store)
    monkeypatch.setattr(queries, "check_read_only", lambda sparql: None)
    for update, _ in UPDATES:
        with pytest.raises(QueryError):
            queries.run(store, update, timeout=10)
        with pytest.raises(QueryError):
            queries.run(store, update, timeout=0)
    with Store(store, read_only=True) as st, pytest.raises(StoreError, match="read-only"):
        st.drop_graph("https://w3id.org/defkg/ontology")
    assert _size(store) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s a dk:Article }",
        "select ?s where { ?s a dk:Article }",
        "# INSERT DATA { <a> <b> <c> }\nSELECT ?s WHERE { ?s a dk:Article }",
        "PREFIX x: <http://example.org/insert#>\nASK { ?s a dk:Article }",
        "CONSTRUCT { ?s a dk:Article } WHERE { ?s a dk:Article }",
    ],
)
def test_queries_that_mention_update_words_still_run(store: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["query", query, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") >= 2


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_runaway_query_is_stopped_after_the_timeout(store: Path) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["query", RUNAWAY, "--store", str(store), "--timeout", "1"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert result.stderr == "defkg: query timed out after 1 s\n"
    assert elapsed < 10
    # the killed child released nothing it should not have: the store still answers
    assert queries.run(store, "ASK { ?s a dk:Article }", "csv", timeout=10).splitlines()[1] == "true"


def test_timeout_in_the_library(store: Path) -> None:
    with pytest.raises(QueryError, match=r"query timed out after 0\.5 s"):
        queries.run(store, RUNAWAY, timeout=0.5)


def test_errors_are_one_line(store: Path, tmp_path: Path) -> None:
    bad = CliRunner().invoke(cli, ["query", "SELECT ?x WHERE { ?x", "--store", str(store)])
    assert bad.exit_code == 1 and bad.stderr.startswith("defkg: SPARQL syntax error")
    assert bad.stderr.count("\n") == 1
    missing = CliRunner().invoke(cli, ["query", "meetings", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no defkg store here" in missing.stderr


PARAM_VALUES = ['x" } } ; DROP ALL ; #', 'a\\"b\nc', "TUR' . ?s ?p ?o", "\u202eRTL\x00"]


@pytest.mark.parametrize("value", PARAM_VALUES)
def test_param_values_are_literals_not_sparql(store: Path, value: str) -> None:
    before = _size(store)
    echo = "SELECT ?v WHERE { ?a a dk:Article }"
    result = CliRunner().invoke(
        cli, ["query", echo, "--param", f"v={value}", "--store", str(store), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    values = {b["v"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
    assert values == {value}
    assert _size(store) == before


@pytest.mark.parametrize("value", PARAM_VALUES)
def test_state_params_that_name_no_state_are_errors(store: Path, value: str) -> None:
    before = _size(store)
    result = CliRunner().invoke(
        cli, ["query", "meetings-between", "--param", f"a={value}", "--param", "b=GBR", "--store", str(store)]
    )
    assert result.exit_code == 1 and result.stderr.startswith("defkg: no state named ")
    assert result.stderr.count("\n") == 1
    assert _size(store) == before


@pytest.mark.parametrize("name", ["a) {", "a b", "", "?a", "a}"])
def test_param_names_are_checked(store: Path, name: str) -> None:
    result = CliRunner().invoke(
        cli, ["query", "meetings-between", "--param", f"{name}=x", "--store", str(store)]
    )
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
