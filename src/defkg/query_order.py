"""A query's final ``ORDER BY``, done in Python on the rows instead of by the store.

Oxigraph sorts by comparing terms through its string table: every comparison of two IRIs (or of
two strings longer than 15 bytes) looks both strings up again, so ordering a listing of 10,000
rows by meeting IRI cost ~0.9 s CPU on a store of 1.1M triples, against ~0.1 s to produce the
rows. Sorting the decoded rows in Python: each distinct value's key is made once and ranked, then
one sort of small integers (the 21,511 rows of ``participants`` on 1M quads: ~80 ms; chained
sorts of the rows' keys took ~145).

``split`` recognises the one form the named queries and the cookbook use: a trailing
``ORDER BY`` of projected variables, each bare, ``ASC(?v)`` or ``DESC(?v)``, with no ``LIMIT``
or ``OFFSET``. ``sort_rows`` orders the rows as SPARQL 1.1 (15.1) and Oxigraph do: unbound
first, then blank nodes, IRIs (by code point), literals; literals by value within one kind
(strings, strings of one language, numbers, ``xsd:date``, ``xsd:dateTime``, booleans). Two rows
that only a column with literals of two kinds could order (which SPARQL leaves to the engine)
give ``None``: the caller then lets the store order the rows. A column may mix kinds where earlier
keys keep them apart (each article's sentences in its own language, ordered by article first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any, TypeVar

from defkg import sparql_tokens

XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMALS = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger")}
_DECIMALS |= {XSD + t for t in ("positiveInteger", "negativeInteger", "nonPositiveInteger")}
_DECIMALS |= {XSD + t for t in ("unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "double", XSD + "float"}
_DATE = re.compile(r"-?\d{4,}-\d\d-\d\d")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")

Row = TypeVar("Row", bound=Sequence[dict[str, str] | None])
Key = tuple[str, bool]  # (variable name without "?", descending)


def split(sparql: str) -> tuple[str, list[Key]] | None:
    """``(the query without its final ORDER BY, the sort keys)``, or ``None`` when the query does not
    end with an ORDER BY of plain variables (or has LIMIT/OFFSET, or is not a SELECT)."""
    try:
        toks = list(sparql_tokens.tokens(sparql))
    except Exception:
        return None
    words = [t.keyword for t in toks]
    if "SELECT" not in words or "LIMIT" in words or "OFFSET" in words:
        return None
    depth, order_at = 0, None
    for i, t in enumerate(toks):
        if t.text in ("{", "("):
            depth += 1
        elif t.text in ("}", ")"):
            depth -= 1
        elif depth == 0 and t.keyword == "ORDER" and i + 1 < len(toks) and toks[i + 1].keyword == "BY":
            order_at = i
    if order_at is None:
        return None
    keys: list[Key] = []
    rest = toks[order_at + 2 :]
    i = 0
    while i < len(rest):
        t = rest[i]
        if t.kind == "VAR":
            keys.append((t.text[1:], False))
            i += 1
        elif (
            t.keyword in ("ASC", "DESC")
            and i + 3 < len(rest)
            and rest[i + 1].text == "("
            and rest[i + 2].kind == "VAR"
            and rest[i + 3].text == ")"
        ):
            keys.append((rest[i + 2].text[1:], t.keyword == "DESC"))
            i += 4
        else:
            return None
    if not keys:
        return None
    return sparql[: toks[order_at].start].rstrip() + "\n", keys


def _literal_key(term: dict[str, str]) -> tuple[Any, Any] | None:
    """(kind, comparable value) of a literal, or ``None`` for a kind not ordered here."""
    value = term["value"]
    lang = term.get("xml:lang")
    if lang is not None:
        return ("lang:" + lang.lower(), value)
    dt = term.get("datatype")
    if dt is None or dt == XSD + "string":
        return ("string", value)
    try:
        if dt in _DECIMALS:
            return ("number", Decimal(value))
        if dt in _FLOATS:
            f = float(value)
            return None if f != f else ("number", f)
    except (InvalidOperation, ValueError):
        return None
    if dt == XSD + "date" and _DATE.fullmatch(value) and not value.startswith("-"):
        return ("date", (len(value), value))  # without a time zone: the lexical order is the value's
    if dt == XSD + "dateTime" and _DATETIME.fullmatch(value) and not value.startswith("-"):
        return ("dateTime", (len(value.split("-")[0]), value))
    if dt == XSD + "boolean" and value in ("true", "false", "1", "0"):
        return ("boolean", value in ("true", "1"))
    return None


def sort_rows(vars_: Sequence[str], rows: Sequence[Row], keys: list[Key]) -> list[Row] | None:
    """The rows in the order of ``keys``; ``None`` when a key is not a column or when two rows that
    only this key can order hold literals of different kinds there (the order among those is the
    engine's). A column may mix kinds across rows that an earlier key already orders: sentences
    in English and in Turkish, ordered by article first, are never compared with each other."""
    index = {v: i for i, v in enumerate(vars_)}
    if any(v not in index for v, _ in keys):
        return None
    columns: list[list[tuple[Any, ...]]] = []
    ranks: list[list[int]] = []
    for v, desc in keys:
        terms = list(map(itemgetter(index[v]), rows))
        # a term repeated in many rows is one dict (queries.to_table): its key is made once; the
        # loops over the rows are map()s
        key_of: dict[int, tuple[Any, ...]] = {}
        for ident, term in {id(t): t for t in terms}.items():
            key = _term_key(term)
            if key is None:
                return None
            key_of[ident] = key
        column = list(map(key_of.__getitem__, map(id, terms)))
        kinds = {k[1] for k in key_of.values() if k[0] == 3}
        if len(kinds) > 1 and not _one_kind_per_group(columns, column):
            return None
        columns.append(column)
        # each distinct key by its rank, negated for DESC: one sort of small integers
        sign = -1 if desc else 1
        rank = {k: sign * r for r, k in enumerate(sorted(set(key_of.values())))}
        ranks.append(list(map(rank.__getitem__, column)))
    composite = list(zip(*ranks, strict=True))
    order = sorted(range(len(rows)), key=composite.__getitem__)  # stable: ties keep the rows' order
    return [rows[i] for i in order]


def _term_key(term: dict[str, str] | None) -> tuple[Any, ...] | None:
    """A term's place in SPARQL's order: unbound, blank nodes, IRIs, then literals by kind and value
    (``None``: a literal of a kind not ordered here)."""
    if term is None:
        return (0,)
    if term["type"] == "bnode":
        return (1, term["value"])
    if term["type"] == "uri":
        return (2, term["value"])
    lit = _literal_key(term)
    return None if lit is None else (3, *lit)  # the kind first: values of two kinds never meet


def _one_kind_per_group(earlier: list[list[tuple[Any, ...]]], column: list[tuple[Any, ...]]) -> bool:
    """Whether the literals of ``column`` are of one kind among the rows equal on every earlier key
    (the only rows this column orders)."""
    seen: dict[tuple[Any, ...], str] = {}
    for i, value in enumerate(column):
        if value[0] != 3:
            continue
        group = tuple(c[i] for c in earlier)
        if seen.setdefault(group, value[1]) != value[1]:
            return False
    return True
