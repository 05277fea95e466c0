"""The Python API (``defkg.open`` -> ``KnowledgeGraph``) on a store built from our own articles."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

import defkg
from defkg.api import QueryResult, bind, python_value, sparql_term
from defkg.errors import InputError, QueryError, StoreError

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [
    ROOT / "examples",
    ROOT / "tests/corpus/05_tr_guler-hegseth-telefon.txt",
    ROOT / "tests/corpus/13_en_ukmod-healey-guler-ankara.txt",
]
XSD = "http://www.w3.org/2001/XMLSchema#"
DKR = "https://w3id.org/defkg/id/"


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> defkg.KnowledgeGraph:
    path = tmp_path_factory.mktemp("api") / "store"
    kg = defkg.open(path)
    report = kg.ingest(ARTICLES, jobs=1)
    assert report.articles == 3 and not report.errors
    return kg


def test_import_is_cheap_and_exports_the_api() -> None:
    heavy = "('rdflib', 'pyoxigraph', 'networkx', 'click')"
    code = f"import sys, defkg; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert {"open", "KnowledgeGraph", "__version__"} <= set(dir(defkg))
    assert isinstance(defkg.__version__, str) and defkg.__version__
    with pytest.raises(AttributeError):
        defkg.nothing_here  # noqa: B018


def test_open_creates_then_reopens(tmp_path: Path) -> None:
    path = tmp_path / "new"
    kg = defkg.open(path)
    assert (path / "CURRENT").exists()
    assert kg.stats().articles == 0
    again = defkg.open(path, read_only=True)
    assert again.read_only and "read-only" in repr(again)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"read_only": True}, "no defkg store here"),
        ({"create": False}, "no defkg store here"),
    ],
)
def test_open_without_a_store(tmp_path: Path, kwargs: dict[str, bool], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        defkg.open(tmp_path / "missing", **kwargs)
    assert not (tmp_path / "missing").exists()


def test_read_only_refuses_ingest_and_closed_refuses_everything(kg: defkg.KnowledgeGraph) -> None:
    ro = defkg.open(kg.path, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.ingest([ROOT / "examples"])
    with defkg.open(kg.path, read_only=True) as other:
        assert other.stats().articles == 3
    with pytest.raises(StoreError, match="closed"):
        other.query("meetings")


def test_ingest_refuses_a_url_with_advice(kg: defkg.KnowledgeGraph) -> None:
    with pytest.raises(InputError, match=r"save the page .* JSON Lines"):
        kg.ingest("https://news.example/report.html")


def test_query_rows_are_typed(kg: defkg.KnowledgeGraph) -> None:
    res = kg.query("meetings", lang="en")
    assert isinstance(res, QueryResult) and len(res) >= 3
    assert res.vars[:3] == ("meeting", "label", "start")
    for row in res.rows:
        assert isinstance(row["meeting"], str) and row["meeting"].startswith(DKR + "meeting/")
        assert row["start"] is None or isinstance(row["start"], dt.date)
    assert any(isinstance(r["start"], dt.date) for r in res.rows)
    assert any(r["start"] is None or r["end"] is None for r in res.rows)  # unbound is None, not ""


def test_query_parameters_as_keywords(kg: defkg.KnowledgeGraph) -> None:
    pair = kg.query("meetings-between", a="TUR", b="GBR")
    assert len(pair) >= 2
    assert {r["meeting"].split("/")[-2] for r in pair} == {"gbr-tur"}  # type: ignore[union-attr]
    by_name = kg.query("meetings-between", a="Türkiye", b="United Kingdom")  # states by name, any language
    assert by_name.rows == pair.rows
    assert kg.query("meetings-between", params={"a": "gbr", "b": "USA"}).rows == []
    with pytest.raises(QueryError, match="no state named 'JPN'"):
        kg.query("meetings-between", a="TUR", b="JPN")
    with pytest.raises(QueryError, match="unknown --param c"):
        kg.query("meetings-between", a="TUR", b="GBR", c="x")
    since = kg.query(
        "SELECT ?m ?d WHERE { ?m schema:startDate ?d FILTER(?d >= ?since) }", since=dt.date(2025, 10, 1)
    )
    assert since.rows and all(r["d"] >= dt.date(2025, 10, 1) for r in since.rows)  # type: ignore[operator]


def test_query_ask_count_and_construct(kg: defkg.KnowledgeGraph) -> None:
    assert bool(kg.query("ASK { ?m a dk:Meeting }")) is True
    assert bool(kg.query("ASK { ?m a dk:Nothing }")) is False
    n = kg.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a dk:Meeting }").rows[0]["n"]
    assert isinstance(n, int) and n == kg.stats().meetings
    triples = kg.query("CONSTRUCT { ?s a dk:State } WHERE { ?s a dk:State } LIMIT 2")
    assert triples.vars == ("subject", "predicate", "object") and len(triples) == 2


def test_query_with_timeout_runs_in_a_child_and_gives_the_same_rows(kg: defkg.KnowledgeGraph) -> None:
    here = kg.query("meetings")
    child = kg.query("meetings", timeout=30)
    assert child.rows == here.rows


def test_query_refuses_updates_and_reports_syntax_errors(kg: defkg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="read-only"):
        kg.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryError, match=r"1:24: unknown prefix 'dkk:' \(did you mean 'dk:'"):
        kg.query("SELECT ?x WHERE { ?x a dkk:State }")
    with pytest.raises(QueryError, match=r"did you mean 'meetings'"):
        kg.query("meeting")


def test_result_serialisations(kg: defkg.KnowledgeGraph) -> None:
    res = kg.query("meetings")
    assert res.to_csv().splitlines()[0] == ",".join(res.vars)
    assert res.to_text().rstrip().endswith(f"({len(res)} rows)")
    assert res.column("meeting") == [r["meeting"] for r in res]
    assert QueryResult.from_json(res.to_json()).rows == res.rows
    assert "<table>" in res._repr_html_()
    with pytest.raises(QueryError, match="no column"):
        res.column("nothing")


def test_to_pandas_keeps_types(kg: defkg.KnowledgeGraph) -> None:
    import pandas as pd  # the [pandas] extra; the test extra installs it

    df = kg.query("meetings").to_pandas()
    assert list(df.columns) == list(kg.query("meetings").vars)
    assert pd.api.types.is_datetime64_any_dtype(df["start"])
    assert df["start"].isna().any() and df["start"].notna().any()
    counts = kg.query("SELECT ?m (COUNT(?p) AS ?n) WHERE { ?m dk:participant ?p } GROUP BY ?m").to_pandas()
    assert pd.api.types.is_integer_dtype(counts["n"])


def test_explain_by_name_in_any_spelling(kg: defkg.KnowledgeGraph) -> None:
    for name in ("Yaşar Güler", "Yasar Guler", "yaşar GÜLER"):
        ex = kg.explain(name)
        assert ex.iri == DKR + "person/tur/guler-yasar"
        assert len(ex) >= 2 and all(f.sentence for f in ex)
    assert kg.explain("dkr:person/tur/guler-yasar").iri == DKR + "person/tur/guler-yasar"
    assert "Guler" in kg.explain("Yasar Guler").to_text()


def test_explain_unknown_name_suggests(kg: defkg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"did you mean Yaşar Güler \(dkr:person"):
        kg.explain("Yasar Gulr")


@pytest.mark.parametrize("which", ["states", "actors", "knowledge"])
def test_network(kg: defkg.KnowledgeGraph, which: str) -> None:
    g = kg.network(which)
    assert isinstance(g, nx.Graph) and g.number_of_nodes() > 0
    assert all("pagerank" in d for _, d in g.nodes(data=True))
    if which == "states":
        assert g.has_edge("GBR", "TUR") and g.edges["GBR", "TUR"]["weight"] >= 2


def test_network_unknown_suggests(kg: defkg.KnowledgeGraph) -> None:
    with pytest.raises(InputError, match="did you mean 'states'"):
        kg.network("state")


def test_rdflib_dataset_over_the_store(kg: defkg.KnowledgeGraph) -> None:
    ds = kg.rdflib()
    assert isinstance(ds, rdflib.Dataset)
    rows = list(
        ds.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/defkg/ontology#Meeting> }")
    )
    assert int(rows[0][0]) == kg.stats().meetings
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert set(kg.graphs()) <= graphs


def test_export_accepts_aliases(kg: defkg.KnowledgeGraph, tmp_path: Path) -> None:
    path = kg.export("ttl", tmp_path)
    assert path.name == "defkg.ttl"
    g = rdflib.Graph().parse(path, format="turtle")
    assert len(g) > 100
    with pytest.raises(InputError, match="did you mean 'turtle'"):
        kg.export("turtel", tmp_path)


def test_export_network_writes_files(kg: defkg.KnowledgeGraph, tmp_path: Path) -> None:
    paths = kg.export_network("states", tmp_path, ["gexf", "graphml"])
    assert sorted(p.name for p in paths) == ["states.gexf", "states.graphml"]


# -- values in and out ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "value"),
    [
        (None, None),
        ({"type": "uri", "value": DKR + "state/TUR"}, DKR + "state/TUR"),
        ({"type": "bnode", "value": "b0"}, "_:b0"),
        ({"type": "literal", "value": "Ankara", "xml:lang": "tr"}, "Ankara"),
        ({"type": "literal", "value": "7", "datatype": XSD + "integer"}, 7),
        ({"type": "literal", "value": "2.50", "datatype": XSD + "decimal"}, 2.5),
        ({"type": "literal", "value": "1e3", "datatype": XSD + "double"}, 1000.0),
        ({"type": "literal", "value": "true", "datatype": XSD + "boolean"}, True),
        ({"type": "literal", "value": "0", "datatype": XSD + "boolean"}, False),
        ({"type": "literal", "value": "2025-05-29", "datatype": XSD + "date"}, dt.date(2025, 5, 29)),
        (
            {"type": "literal", "value": "2025-05-29T10:00:00Z", "datatype": XSD + "dateTime"},
            dt.datetime(2025, 5, 29, 10, tzinfo=dt.UTC),
        ),
        ({"type": "literal", "value": "2025-13-45", "datatype": XSD + "date"}, "2025-13-45"),
        ({"type": "literal", "value": "x", "datatype": XSD + "integer"}, "x"),
        ({"type": "literal", "value": "2025", "datatype": XSD + "gYear"}, "2025"),
    ],
)
def test_python_value(term: dict[str, str] | None, value: object) -> None:
    got = python_value(term)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("value", "term"),
    [
        ("TUR", '"TUR"'),
        ('a"b\nc', '"a\\"b\\nc"'),
        (True, "true"),
        (42, "42"),
        (1.5, '"1.5"^^xsd:double'),
        (dt.date(2025, 1, 2), '"2025-01-02"^^xsd:date'),
        (rdflib.URIRef(DKR + "state/TUR"), f"<{DKR}state/TUR>"),
    ],
)
def test_sparql_term(value: object, term: str) -> None:
    assert sparql_term(value) == term


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (rdflib.URIRef("urn:a> } ; DROP ALL ; <urn:b"), "not an IRI"),
        (float("nan"), "not a number"),
        (object(), "cannot bind"),
    ],
)
def test_sparql_term_refuses(value: object, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sparql_term(value)


@pytest.mark.parametrize(
    ("params", "message"),
    [({"a b": "x"}, "parameter name"), ({"x": "y"}, "no WHERE block")],
)
def test_bind_refuses(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        bind("ASK" if "x" in params else "SELECT * WHERE { ?s ?p ?o }", params)


def test_bind_injects_nothing(kg: defkg.KnowledgeGraph) -> None:
    before = kg.stats().triples
    hostile = 'x" } } ; DROP ALL ; #'
    assert kg.query("SELECT ?m WHERE { ?m rdfs:label ?x }", x=hostile).rows == []
    with pytest.raises(QueryError, match="no state named"):
        kg.query("meetings-between", a=hostile, b="GBR")
    assert kg.stats().triples == before


@pytest.mark.parametrize(("lang", "label"), [("en", "United Kingdom"), ("tr", "Birleşik Krallık")])
def test_lang_binds_the_lang_variable(kg: defkg.KnowledgeGraph, lang: str, label: str) -> None:
    sparql = "SELECT DISTINCT ?l WHERE { dkr:state\\/GBR rdfs:label ?l FILTER(LANG(?l) = ?lang) }"
    assert kg.query(sparql, lang=lang).column("l") == [label]
    assert f'VALUES ?lang {{ "{lang}" }}' in kg.sparql("meetings", lang=lang)  # named queries too
    plain = "SELECT ?m WHERE { ?m a dk:Meeting }"
    assert kg.sparql(plain, lang=lang) == plain  # a query that takes no lang is left alone
    with pytest.raises(QueryError, match="one of en, tr"):
        kg.query(sparql, lang="en') }")


@pytest.mark.parametrize(("lang", "place"), [("en", "London"), ("tr", "Londra")])
def test_lang_sets_the_label_constants_of_a_query_taking_lang(
    kg: defkg.KnowledgeGraph, lang: str, place: str
) -> None:
    text = kg.sparql("meetings-between", lang=lang)  # its place label: FILTER(LANG(?pl) = "en")
    assert f'FILTER(LANG(?pl) = "{lang}")' in text and f'VALUES ?lang {{ "{lang}" }}' in text
    assert place in kg.query("meetings-between", a="TUR", b="GBR", lang=lang).column("place")
    fixed = 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = "en") }'
    assert kg.sparql(fixed, lang=lang) == fixed  # a query not written for --lang keeps its constant


def test_dataset_from_the_api(kg: defkg.KnowledgeGraph) -> None:
    data = kg.dataset()
    assert data.events and data.dyad_years
    pairs = {(e["iso3_1"], e["iso3_2"]) for e in data.events}
    assert ("GBR", "TUR") in pairs or ("TUR", "GBR") in pairs


# every fact about X with evidence, by definition: a scan of all evidence, filtered
EXPLAIN_BY_DEFINITION = """
SELECT ?s ?p ?o ?sentence ?article ?url ?headline WHERE {
  ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:sentence ?sn .
  ?sn dk:text ?sentence ; prov:wasQuotedFrom ?article .
  FILTER(?s = ?x || ?o = ?x)
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:headline ?headline }
}
"""


def test_explain_gives_every_fact_of_the_definition(kg: defkg.KnowledgeGraph) -> None:
    """explain() looks the resource up as subject and as object (two index look-ups); its rows are
    those of the plain definition, for every resource that evidence names."""
    from defkg import explain
    from defkg.store import Store

    def rows(st: Store, sparql: str, iri: str) -> list[tuple[str | None, ...]]:
        answer = st.query(sparql.replace("?x", f"<{iri}>"))
        return sorted(tuple(t.value if t is not None else None for t in row) for row in answer)

    with Store(kg.path, read_only=True) as st:
        named = st.query("SELECT DISTINCT ?x WHERE { { ?ev rdf:subject ?x } UNION { ?ev rdf:object ?x } }")
        iris = sorted(r[0].value for r in named if isinstance(r[0], ox.NamedNode))
        assert len(iris) > 20
        for iri in iris:
            expected = rows(st, EXPLAIN_BY_DEFINITION, iri)
            assert expected and rows(st, explain._EXPLAIN, iri) == expected, iri
            assert len(explain.explain(st, iri)) == len(expected)
