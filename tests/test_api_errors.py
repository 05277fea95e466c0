"""Errors a person can act on: SPARQL syntax errors with line:column and hints, "did you mean" for
named queries, commands and formats, a URL given to ingest, format aliases (CLI exit codes)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from defkg.cli.main import cli
from defkg.sparql_errors import describe, did_you_mean, suggest, unknown_prefixes
from defkg.vocab import PREFIXES

ROOT = Path(__file__).resolve().parent.parent


def _error(sparql: str) -> str:
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as e:
        return describe(e, sparql)
    raise AssertionError(f"parsed: {sparql}")


# (query, the start of the message, a part of it)
SYNTAX = [
    (
        "SELECT ?x WHERE { ?x a foo:Bar }",
        "1:24: unknown prefix 'foo:'",
        "known prefixes: dcterms:, dk:, dkr:",
    ),
    ("SELECT ?x WHERE { ?x a skso:Concept }", "1:24: unknown prefix 'skso:'", "did you mean 'skos:'?"),
    (
        "PREFIX ex: <http://ex/>\nSELECT * WHERE { ?x ex:p ?o ; exx:q ?z }",
        "2:31: unknown prefix 'exx:'",
        "ex:",
    ),
    (
        "SELEC ?x WHERE { ?x ?p ?o }",
        "1:1: expected SELECT, CONSTRUCT, ASK or DESCRIBE",
        "did you mean 'SELECT'?",
    ),
    (
        "SELECT ?x WHERE { ?x a dk:State } LIMT 5",
        "1:35: 'LIMT' is not a SPARQL keyword",
        "did you mean 'LIMIT'?",
    ),
    ("SELECT ?x WHERE {\n  ?x ?p ?o\n  FILTR(?o) }", "3:3: 'FILTR' is not a SPARQL keyword", "'FILTER'"),
    ('SELECT ?x WHERE { ?x ?p "Ankara }', "1:25: this string is not closed", '»"Ankara'),
    ("SELECT ?x WHERE { ?x a dk:State ", "1:33: expected one of", "the query ends too early"),
    ("SELECT ?x WHERE { ?x ?p ?o FILTER(LANG(?o) = ?lang }", "1:52: expected one of '&&', ')'", "found '}'"),
    ("SELECT ?x WHERE { ?x ?p ?o } ORDER ?x", "1:38: expected BY", "ORDER ?x »"),
]


@pytest.mark.parametrize(("sparql", "start", "part"), SYNTAX)
def test_syntax_errors_say_where_and_what(sparql: str, start: str, part: str) -> None:
    message = _error(sparql)
    assert message.startswith(start), message
    assert part in message, message
    assert "\n" not in message and "\\u{" not in message  # one line, no character classes


@pytest.mark.parametrize(
    ("sparql", "unknown"),
    [
        ("SELECT * WHERE { ?s a dk:State }", []),
        ('SELECT * WHERE { ?s <http://a/b:c> "x:y" . ?s ?p ?o } # z:z', []),
        ("PREFIX : <http://a/>\nSELECT * WHERE { ?s :p ?o }", []),
        ("SELECT * WHERE { ?s :p ?o }", [""]),
        ("SELECT * WHERE { ?s a q:A , q:B ; r:c ?o }", ["q", "r"]),
        ('SELECT * WHERE { _:b ?p ?o FILTER(?o = "a:b"^^xsd:string) }', []),
    ],
)
def test_unknown_prefixes(sparql: str, unknown: list[str]) -> None:
    assert [p for p, _ in unknown_prefixes(sparql, PREFIXES)] == unknown


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("meeting", ["meetings", "meeting-states", "topics"], ["meetings", "meeting-states"]),
        ("graph", ["graph-export", "query"], ["graph-export"]),
        ("TURTLE", ["turtle", "trig"], ["turtle"]),
        ("xyz", ["turtle", "trig"], []),
    ],
)
def test_suggest(word: str, choices: list[str], expected: list[str]) -> None:
    assert suggest(word, choices) == expected
    assert (did_you_mean(word, choices) == "") == (not expected)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "store"
    result = CliRunner().invoke(
        cli, ["ingest", str(ROOT / "examples"), "--store", str(path), "-q", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    return path


# (arguments, exit code, a part of stderr); "STORE" is replaced by the store's path
CLI = [
    (["quer"], 2, "No such command 'quer' (did you mean 'query'?)"),
    (["graph"], 2, "did you mean 'graph-export'?"),
    (["analyze", "--help"], 2, "did you mean 'analyse'?"),
    (["query", "meeting", "--store", "STORE"], 1, "unknown query 'meeting' (did you mean 'meetings'"),
    (["query", "SELECT ?x WHERE { ?x a dkk:State }", "--store", "STORE"], 1, "1:24: unknown prefix 'dkk:'"),
    (
        ["query", "SELECT ?x WHERE { ?x ?p ?o", "--store", "STORE", "--timeout", "0"],
        1,
        "the query ends too early",
    ),
    (["ingest", "https://news.example/a.html", "--store", "STORE"], 2, "save the page first"),
    (["ingest", "http://news.example/feed", "--store", "STORE"], 2, "JSON Lines"),
    (["export", "--store", "STORE", "--format", "turtel", "--out", "OUT"], 2, "did you mean 'turtle'"),
    (["export", "--store", "STORE", "--format", "xml", "--out", "OUT"], 2, "is not one of turtle, trig, nt"),
    (["graph-export", "--store", "STORE", "--out", "OUT", "--format", "gefx"], 2, "did you mean 'gexf'"),
    (["graph-export", "--store", "STORE", "--out", "OUT", "--graph", "actor"], 2, "did you mean 'actors'"),
    (["query", "meetings", "--store", "STORE", "--format", "jsn"], 2, "did you mean 'json'"),
    (["view", "--store", "STORE", "--out", "OUT", "--lang", "trr"], 2, "did you mean 'tr'"),
    (["dataset", "--store", "STORE", "--out", "OUT", "--format", "parket"], 2, "did you mean 'parquet'"),
]


@pytest.mark.parametrize(("args", "code", "part"), CLI)
def test_cli_errors(store: Path, tmp_path: Path, args: list[str], code: int, part: str) -> None:
    args = [str(store) if a == "STORE" else str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert part in result.stderr, result.stderr
    if code == 1:
        assert result.stderr.startswith("defkg: ") and result.stderr.count("\n") == 1


# --format value -> file written
ALIASES = [
    ("turtle", "defkg.ttl"),
    ("ttl", "defkg.ttl"),
    ("TTL", "defkg.ttl"),
    ("n-triples", "defkg.nt"),
    ("nq", "defkg.nq"),
    ("json-ld", "defkg.jsonld"),
    ("trig", "defkg.trig"),
]


@pytest.mark.parametrize(("fmt", "name"), ALIASES)
def test_export_format_aliases(store: Path, tmp_path: Path, fmt: str, name: str) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--store", str(store), "--format", fmt, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()) == tmp_path / name
    assert (tmp_path / name).stat().st_size > 1000
