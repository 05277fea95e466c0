"""ORDER BY done in Python (defkg.query_order): the same order as Oxigraph's, for every named query
and cookbook question, in both languages; the cases that fall back to the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from defkg import queries, query_order
from defkg.store import Store

ROOT = Path(__file__).resolve().parent.parent
COOKBOOK = sorted((ROOT / "docs" / "cookbook").glob("*.rq"))
PAIR = {"a": "TUR", "b": "GBR"}


def _texts() -> dict[str, str]:
    out = {}
    for name, q in queries.named_queries().items():
        bound = {p.name: PAIR[p.name] for p in q.params}
        out[name] = queries.substitute(q.text, bound) if bound else q.text
    for f in COOKBOOK:
        text = f.read_text(encoding="utf-8")
        out[f.stem] = queries.substitute(text, PAIR) if "--param" in text else text
    return out


TEXTS = _texts()


def _key_columns(table: queries.Table, keys: list[query_order.Key]) -> list[tuple[object, ...]]:
    idx = [table.vars.index(v) for v, _ in keys]
    return [tuple(repr(row[i]) for i in idx) for row in table.rows]


@pytest.mark.parametrize("lang", ["en", "tr"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_same_order_as_the_store(corpus_store: Path, name: str, lang: str) -> None:
    sparql = queries.with_lang(TEXTS[name], lang)
    split = query_order.split(sparql)
    assert split is not None, f"{name}: its ORDER BY is not one done in Python"
    _, keys = split
    with Store(corpus_store, read_only=True) as st:
        ours = queries.select(st, sparql)
        theirs = queries.to_table(st.query(sparql))
    assert ours.vars == theirs.vars
    assert sorted(map(repr, ours.rows)) == sorted(map(repr, theirs.rows))
    # the same sequence of sort keys (rows equal on every key may come in either order)
    assert _key_columns(ours, keys) == _key_columns(theirs, keys)
    assert ours.rows, f"{name}: no rows on the test corpus, the order is not checked"


SPLITS = [
    ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a", [("a", False)]),
    ("SELECT ?a ?n WHERE { ?a ?b ?n } ORDER BY DESC(?n) ASC(?a)", [("n", True), ("a", False)]),
    ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c } GROUP BY ?a order by ?n", [("n", False)]),
    # an ORDER BY inside a sub-select is the query's own business
    ("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 1 } }", None),
    ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 10", None),
    ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a OFFSET 10", None),
    ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY STR(?a)", None),
    ("SELECT ?a WHERE { ?a ?b ?c } ORDER BY DESC(?a + 1)", None),
    ("SELECT ?a WHERE { ?a ?b ?c }", None),
    ("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c } ORDER BY ?a", None),
]


@pytest.mark.parametrize(("sparql", "keys"), SPLITS)
def test_split(sparql: str, keys: list[query_order.Key] | None) -> None:
    got = query_order.split(sparql)
    assert (got[1] if got else None) == keys
    if got:
        assert "ORDER" not in got[0].upper().split("}")[-1]


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> dict[str, str]:
    d = {"type": "literal", "value": value}
    if datatype:
        d["datatype"] = query_order.XSD + datatype
    if lang:
        d["xml:lang"] = lang
    return d


IRI_A, IRI_B = {"type": "uri", "value": "http://x/a"}, {"type": "uri", "value": "http://x/b"}
ORDERS = [
    # unbound < IRIs < literals; numbers by value; dates by value
    ([[_lit("10", "integer")], [None], [_lit("9", "integer")], [IRI_B]], False, [1, 3, 2, 0]),
    ([[_lit("10", "integer")], [None], [_lit("9", "integer")], [IRI_B]], True, [0, 2, 3, 1]),
    ([[_lit("2.5", "double")], [_lit("3", "integer")], [_lit("-1", "decimal")]], False, [2, 0, 1]),
    ([[_lit("2026-03-01", "date")], [_lit("2025-12-31", "date")], [None]], False, [2, 1, 0]),
    ([[_lit("Çin", lang="tr")], [_lit("Zambiya", lang="tr")], [_lit("Alman", lang="tr")]], False, [2, 1, 0]),
    ([[IRI_B], [IRI_A], [{"type": "bnode", "value": "z"}]], False, [2, 1, 0]),
    ([[_lit("true", "boolean")], [_lit("false", "boolean")]], False, [1, 0]),
    # several kinds of literals in one column: the store orders
    ([[_lit("10", "integer")], [_lit("ten")]], False, None),
    ([[_lit("a", lang="en")], [_lit("b", lang="tr")]], False, None),
    ([[_lit("x", "gYear")]], False, None),
]


@pytest.mark.parametrize(("rows", "desc", "expected"), ORDERS)
def test_sort_rows(rows: list[list[dict[str, str] | None]], desc: bool, expected: list[int] | None) -> None:
    got = query_order.sort_rows(("v",), rows, [("v", desc)])
    assert (None if got is None else [rows.index(r) for r in got]) == expected


def test_mixed_kinds_where_earlier_keys_keep_them_apart() -> None:
    # sentences of two languages, ordered by article first: no two of them are compared
    rows = [
        [IRI_B, _lit("b", lang="tr")],
        [IRI_A, _lit("z", lang="en")],
        [IRI_B, _lit("a", lang="tr")],
        [IRI_A, _lit("y", lang="en")],
    ]
    got = query_order.sort_rows(("x", "s"), rows, [("x", False), ("s", False)])
    assert got == [rows[3], rows[1], rows[2], rows[0]]
    # two kinds within one article: the store decides
    rows.append([IRI_A, _lit("c", lang="tr")])
    assert query_order.sort_rows(("x", "s"), rows, [("x", False), ("s", False)]) is None
    # a later key after a mixed one sees groups of one kind
    rows = [[_lit("1", "integer"), IRI_B], [_lit("a", lang="en"), IRI_A], [_lit("1", "integer"), IRI_A]]
    assert query_order.sort_rows(("n", "x"), rows, [("n", False), ("x", False)]) is None
    one = _lit("1", "integer")
    rows = [[IRI_A, one, IRI_B], [IRI_B, _lit("a"), IRI_A], [IRI_A, one, IRI_A]]
    got = query_order.sort_rows(("k", "n", "x"), rows, [("k", False), ("n", False), ("x", False)])
    assert got == [rows[2], rows[0], rows[1]]


def test_several_keys_and_a_missing_column() -> None:
    rows = [[_lit("1", "integer"), IRI_B], [_lit("2", "integer"), IRI_A], [_lit("1", "integer"), IRI_A]]
    got = query_order.sort_rows(("n", "x"), rows, [("n", True), ("x", False)])
    assert got == [rows[1], rows[2], rows[0]]
    assert query_order.sort_rows(("n", "x"), rows, [("y", False)]) is None


def _reference(rows: list[list[dict[str, str] | None]], keys: list[query_order.Key]) -> list[int]:
    """SPARQL's order by stable sorts, one per key from the last: ties keep the rows' order."""
    order = list(range(len(rows)))
    for col, desc in reversed([(int(v), d) for v, d in keys]):
        order.sort(key=lambda i: query_order._term_key(rows[i][col]), reverse=desc)  # type: ignore[arg-type,return-value]
    return order


POOL: list[dict[str, str] | None] = [
    None,
    IRI_A,
    IRI_B,
    {"type": "uri", "value": "http://x/a"},  # equal to IRI_A, another object
    _lit("1", "integer"),
    _lit("1.0", "decimal"),  # equal in value to "1": a tie
    _lit("-3", "integer"),
    _lit("2.5", "double"),
]


@pytest.mark.parametrize("seed", range(40))
def test_several_keys_ascending_and_descending_as_stable_sorts(seed: int) -> None:
    import random

    rng = random.Random(seed)
    width = rng.randint(1, 3)
    rows = [[rng.choice(POOL) for _ in range(width)] for _ in range(rng.randint(0, 30))]
    keys = [(str(c), rng.random() < 0.5) for c in rng.sample(range(width), rng.randint(1, width))]
    got = query_order.sort_rows([str(c) for c in range(width)], rows, keys)
    assert got is not None
    assert [id(r) for r in got] == [id(rows[i]) for i in _reference(rows, keys)]
