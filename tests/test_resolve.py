"""Find things by name: states by name in either language or code in any case, people by any
spelling, "did you mean" for near misses, candidates for ambiguous names; declared parameters;
every IRI the CLI prints can be pasted into a query."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg import queries, resolve
from defkg.cli.main import cli
from defkg.errors import QueryError
from defkg.store import Store

TUR = "https://w3id.org/defkg/id/state/TUR"


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def resolver(corpus_store: Path):  # type: ignore[no-untyped-def]
    with Store(corpus_store, read_only=True) as st:
        yield resolve.Resolver(resolve.store_select(st))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TUR", "TUR"),
        ("tur", "TUR"),
        ("Türkiye", "TUR"),
        ("turkiye", "TUR"),
        ("TÜRKİYE", "TUR"),
        ("Turkey", "TUR"),  # an English name the gazetteer knows, not a label in the store
        ("usa", "USA"),
        ("ABD", "USA"),
        ("Amerika Birleşik Devletleri", "USA"),
        ("United States", "USA"),
        ("Japonya", "JPN"),
        ("japan", "JPN"),
        ("dkr:state/TUR", "TUR"),
        ("dkr:state\\/TUR", "TUR"),
        (f"<{TUR}>", "TUR"),
    ],
)
def test_states_by_name_or_code(resolver: resolve.Resolver, text: str, code: str) -> None:
    assert resolver.one(text).code == code


@pytest.mark.parametrize(("text", "suggestion"), [("Turky", "Türkiye (TUR)"), ("Japn", "Japan (JPN)")])
def test_near_misses_get_did_you_mean(resolver: resolve.Resolver, text: str, suggestion: str) -> None:
    with pytest.raises(QueryError, match=r"did you mean .*" + re.escape(suggestion)):
        resolver.one(text)


def test_unknown_name_says_so(resolver: resolve.Resolver) -> None:
    with pytest.raises(QueryError, match=r"^no state, person or organisation named 'Qwzxv' in the store$"):
        resolver.one("Qwzxv")


def _fake_select(rows: list[tuple[str, str, str | None]]):  # type: ignore[no-untyped-def]
    """A Select answering the label query with ``rows`` (entity, label, code) and the preferred-label
    query with the first label of the entity asked for."""

    def select(sparql: str) -> list[list[str | None]]:
        if "VALUES ?class" in sparql:
            return [[e, label, code] for e, label, code in rows]
        asked = re.search(r"VALUES \?e \{ <([^>]+)> \}", sparql)
        assert asked
        return [[e, label, "0", "en"] for e, label, _ in rows if e == asked.group(1)][:1]

    return select


def test_ambiguous_name_lists_candidates() -> None:
    base = "https://w3id.org/defkg/id/org/"
    r = resolve.Resolver(
        _fake_select(
            [(base + "hun-mod", "Ministry of Defence", None), (base + "grc-mod", "Ministry of Defence", None)]
        )
    )
    with pytest.raises(QueryError) as e:
        r.one("ministry of defence")
    assert str(e.value) == (
        "'ministry of defence' names 2 entities: Ministry of Defence dkr:org\\/grc-mod; "
        "Ministry of Defence dkr:org\\/hun-mod; give one of these IRIs"
    )
    assert r.one("dkr:org\\/hun-mod").iri == base + "hun-mod"  # each candidate as printed resolves


def test_a_state_wins_over_its_namesake(resolver: resolve.Resolver) -> None:
    assert resolver.one("Singapore").code == "SGP"  # the state, not the city
    assert len(resolver.candidates("Singapore")) == 2


def test_people_by_any_spelling(resolver: resolve.Resolver) -> None:
    a, b = resolver.one("Yaşar Güler"), resolver.one("yasar guler")
    assert a == b and a.iri.startswith("https://w3id.org/defkg/id/person/tur/")
    assert a.label == "Yaşar Güler"


@pytest.mark.parametrize(
    ("iri", "printed"),
    [
        (TUR, "dkr:state\\/TUR"),
        ("https://w3id.org/defkg/id/meeting/gbr-tur/2025-05-29", "dkr:meeting\\/gbr-tur\\/2025-05-29"),
        ("https://w3id.org/defkg/ontology#Meeting", "dk:Meeting"),
        ("http://example.org/a b", "<http://example.org/a b>"),
        ("https://w3id.org/defkg/id/x.", "dkr:x\\."),
    ],
)
def test_sparql_name(iri: str, printed: str) -> None:
    assert resolve.sparql_name(iri) == printed
    assert resolve.expand(printed) == iri


@pytest.mark.parametrize(
    "name", ["meetings", "participants", "meeting-states", "officials-by-state", "topics"]
)
def test_every_printed_iri_parses_in_a_query(corpus_store: Path, name: str) -> None:
    code, table, _ = _run("query", name, "--store", str(corpus_store))
    assert code == 0
    _, js, _ = _run("query", name, "--store", str(corpus_store), "--format", "json")
    iris = {
        t["value"] for b in json.loads(js)["results"]["bindings"] for t in b.values() if t["type"] == "uri"
    }
    assert iris
    cells = {c.strip() for line in table.splitlines()[2:-1] for c in line.split(" | ")}
    printed = {c for c in cells if resolve.expand(c) is not None}
    assert len(printed) == len(iris)  # every IRI printed whole, none cut
    values = " ".join(sorted(printed))
    back = queries.query_table(corpus_store, f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}")
    assert {row[0]["value"] for row in back.rows if row[0]} == iris


def test_meetings_between_by_name_equals_by_code(corpus_store: Path) -> None:
    base = ["query", "meetings-between", "--store", str(corpus_store), "--format", "csv"]
    code, by_code, _ = _run(*base, "--param", "a=TUR", "--param", "b=USA")
    assert code == 0 and len(by_code.splitlines()) >= 3
    for a, b in [("tur", "usa"), ("Türkiye", "ABD"), ("Turkey", "United States")]:
        assert _run(*base, "--param", f"a={a}", "--param", f"b={b}") == (0, by_code, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meetings", "--param", "a=JPN"], "defkg: unknown --param a: this query takes no parameters\n"),
        (
            ["meetings-between", "--param", "c=JPN"],
            "defkg: unknown --param c: this query takes --param a, b\n",
        ),
        (
            ["SELECT ?x WHERE { ?x a dk:State }", "--param", "y=1"],
            "defkg: unused --param y: the query has no variable ?y\n",
        ),
        (
            ["meetings-between", "--param", "a=Turky"],
            "defkg: no state named 'Turky' in the store; did you mean",
        ),
    ],
)
def test_unknown_or_unused_params_are_errors(corpus_store: Path, args: list[str], message: str) -> None:
    code, out, err = _run("query", *args, "--store", str(corpus_store))
    assert code == 1 and out == "" and err.startswith(message)


def test_declared_params_name_query_variables() -> None:
    for q in queries.named_queries().values():
        for p in q.params:
            assert p.name in queries.sparql_tokens.variables(q.text), (q.name, p.name)
            assert p.kind in queries.PARAM_KINDS and p.doc


def test_list_shows_parameters() -> None:
    code, out, _ = _run("query", "--list")
    assert code == 0 and "[--param a=STATE] [--param b=STATE]" in out


def test_pair_by_name_equals_by_code(corpus_store: Path, tmp_path: Path) -> None:
    s = str(corpus_store)
    by_code = _run("analyse", "--store", s, "--pair", "TUR", "USA")
    assert by_code[0] == 0 and "Meetings between TUR and USA" in by_code[1]
    assert _run("analyse", "--store", s, "--pair", "türkiye", "Amerika Birleşik Devletleri") == by_code
    _run("view", "--store", s, "--pair", "TUR", "USA", "--out", str(tmp_path / "a.html"))
    _run("view", "--store", s, "--pair", "Turkey", "abd", "--out", str(tmp_path / "b.html"))
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_ego_by_name(corpus_store: Path) -> None:
    s = str(corpus_store)
    by_code = _run("analyse", "--store", s, "--ego", "TUR")
    assert by_code[0] == 0 and by_code[1].startswith("Neighbours of Türkiye")
    assert _run("analyse", "--store", s, "--ego", "Turkey") == by_code
    code, _, err = _run("analyse", "--store", s, "--ego", "Turky")
    assert code == 1 and "did you mean Türkiye (TUR)" in err


def test_explain_by_name_and_by_printed_iri(corpus_store: Path) -> None:
    s = str(corpus_store)
    code, by_name, _ = _run("explain", "Yasar Guler", "--store", s)
    assert code == 0 and "dkr:person\\/tur\\/" in by_name
    iri = re.search(r"dkr:person\\/tur\\/[a-z-]+", by_name)
    assert iri is not None
    assert _run("explain", iri.group(0), "--store", s)[1] == by_name
    assert _run("explain", resolve.expand(iri.group(0)) or "", "--store", s)[1] == by_name
