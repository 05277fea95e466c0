"""The Python API: one object over a store, in the manner of sqlite-utils' ``Database``.

>>> import defkg
>>> kg = defkg.open("store")                         # creates the store or opens it
>>> kg.ingest(["reports/"])                          # -> IngestReport
>>> res = kg.query("meetings", lang="en")            # a named query, a .rq file or SPARQL text
>>> res.rows                                          # list of dicts of typed Python values
>>> kg.query("meetings-between", a="TUR", b="GBR")   # parameters as keywords
>>> kg.explain("Yaşar Güler")                        # facts with their evidence sentences
>>> kg.network("states")                             # a networkx graph
>>> kg.rdflib()                                       # an rdflib Dataset over the store

A :class:`KnowledgeGraph` holds no open handle between calls: every call opens the store for
as long as it needs it (a read takes about 17 ms of CPU to open), so an ingest in another
process, or through the same object, is seen by the next query and never waits for a lock this
object holds. The CLI commands are thin wrappers over the same library functions.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from defkg.errors import InputError, QueryError, StoreError

if TYPE_CHECKING:  # imported lazily: ``import defkg`` stays cheap
    import networkx as nx
    import rdflib

    from defkg.dataset import Dataset as ResearchDataset
    from defkg.explain import Explained
    from defkg.ingest import IngestReport
    from defkg.queries import Table
    from defkg.stats import Stats
    from defkg.store import Store

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in re.findall(
        r"\w+",
        "integer long int short byte nonNegativeInteger nonPositiveInteger negativeInteger "
        "positiveInteger unsignedLong unsignedInt unsignedShort unsignedByte",
    )
}
_FLOATS = {XSD + "double", XSD + "float", XSD + "decimal"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Value = str | int | float | bool | _dt.date | _dt.datetime | None


def url_hint(spec: str) -> str | None:
    """The message for a URL given where a file is expected, or ``None`` if ``spec`` is no URL."""
    if not _URL.match(spec):
        return None
    return (
        f"{spec}: defkg reads files, not URLs: save the page first (e.g. `curl -L -o page.html '{spec}'`) "
        "and ingest the file, or put many reports in a JSON Lines feed (one object per line: "
        '{"text": ..., "url": ..., "published": ..., "title": ...}) and ingest that'
    )


# -- typed values ---------------------------------------------------------------------------------


def python_value(term: Mapping[str, str] | None) -> Value:
    """A SPARQL 1.1 JSON term as a Python value: ``None`` when unbound; IRIs and language-tagged or
    plain strings as ``str``; xsd integers as ``int``, decimals and doubles as ``float``,
    ``xsd:boolean`` as ``bool``, ``xsd:date`` as ``datetime.date``, ``xsd:dateTime`` as
    ``datetime.datetime``. A lexical form that does not fit its datatype stays a ``str``."""
    if term is None:
        return None
    value = term["value"]
    if term.get("type") == "bnode":
        return "_:" + value
    datatype = term.get("datatype")
    if not datatype:
        return value
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _FLOATS:
            return float(Decimal(value)) if datatype == XSD + "decimal" else float(value)
        if datatype == XSD + "boolean":
            if value in ("true", "1"):
                return True
            if value in ("false", "0"):
                return False
            return value
        if datatype == XSD + "date":
            return _dt.date.fromisoformat(value[:10]) if len(value) in (10, 11, 16) else value
        if datatype == XSD + "dateTime":
            return _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, InvalidOperation):
        return value
    return value


def sparql_term(value: object) -> str:
    """A Python value as a SPARQL term for a ``VALUES`` block: ``str`` as a string literal,
    ``bool``/``int``/``float``/``date``/``datetime`` as typed literals, an rdflib ``URIRef`` or a
    pyoxigraph ``NamedNode`` (or a ``defkg.queries.Iri``) as an IRI."""
    kind = type(value).__name__
    if kind in ("URIRef", "NamedNode", "Iri"):  # rdflib, pyoxigraph, defkg.queries.Iri
        iri = str(getattr(value, "value", value))
        if re.search(r"[\x00-\x20<>\"{}|^`\\]", iri):
            raise QueryError(f"not an IRI: {iri[:80]!r}")
        return f"<{iri}>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"{value!r}: not a number SPARQL can compare")
        return f'"{value!r}"^^xsd:double'
    if isinstance(value, _dt.datetime):
        return f'"{value.isoformat()}"^^xsd:dateTime'
    if isinstance(value, _dt.date):
        return f'"{value.isoformat()}"^^xsd:date'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise QueryError(
        f"cannot bind a {type(value).__name__} in a query (give str, int, float, bool, date or an IRI)"
    )


def bind(sparql: str, params: Mapping[str, object]) -> str:
    """Bind ``?name`` to each value (see :func:`sparql_term`) with one ``VALUES`` row at the start
    of the WHERE block (where ``queries.substitute`` puts it)."""
    if not params:
        return sparql
    from defkg import sparql_tokens

    for k in params:
        if not _PARAM.match(k):
            raise QueryError(f"parameter {k[:40]!r}: a parameter name is letters, digits and '_'")
    names = " ".join(f"?{k}" for k in params)
    data = " ".join(sparql_term(v) for v in params.values())
    toks = list(sparql_tokens.tokens(sparql))
    where = next((i for i, t in enumerate(toks) if t.keyword == "WHERE"), None)
    if where is None:  # SELECT * { ... } and ASK { ... }
        where = next((i for i, t in enumerate(toks) if t.keyword in ("SELECT", "ASK", "DESCRIBE")), 0)
    brace = next((t for t in toks[where:] if t.text == "{"), None)
    if brace is None:
        raise QueryError("cannot bind parameters: the query has no WHERE block")
    idx = brace.start
    return f"{sparql[: idx + 1]}\n  VALUES ({names}) {{ ({data}) }}\n{sparql[idx + 1 :]}"


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """The result of a query: ``vars`` (column names) and ``rows`` (one dict per solution, values
    typed by :func:`python_value`, ``None`` when unbound). An ASK query has one column ``ask``
    (``bool(result)`` is its answer); CONSTRUCT and DESCRIBE give ``subject``, ``predicate``,
    ``object`` rows. ``terms`` keeps the SPARQL 1.1 JSON terms (datatypes, language tags)."""

    vars: tuple[str, ...]
    terms: tuple[tuple[dict[str, str] | None, ...], ...]
    sparql: str = ""
    rows: list[dict[str, Value]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = [{v: python_value(t) for v, t in zip(self.vars, row, strict=True)} for row in self.terms]
        object.__setattr__(self, "rows", rows)

    @classmethod
    def from_table(cls, table: Table, sparql: str = "") -> QueryResult:
        return cls(tuple(table.vars), tuple(tuple(r) for r in table.rows), sparql)

    @classmethod
    def from_json(cls, text: str, sparql: str = "") -> QueryResult:
        """From SPARQL 1.1 Query Results JSON."""
        data = json.loads(text)
        if "boolean" in data:
            term = {
                "type": "literal",
                "value": str(bool(data["boolean"])).lower(),
                "datatype": XSD + "boolean",
            }
            return cls(("ask",), ((term,),), sparql)
        names = tuple(data["head"]["vars"])
        rows = tuple(tuple(b.get(v) for v in names) for b in data["results"]["bindings"])
        return cls(names, rows, sparql)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> dict[str, Value]:
        return self.rows[i]

    def __bool__(self) -> bool:
        if self.vars == ("ask",) and len(self.rows) == 1:
            return bool(self.rows[0]["ask"])
        return bool(self.rows)

    def column(self, name: str) -> list[Value]:
        """The values of one column."""
        if name not in self.vars:
            raise QueryError(f"no column {name!r} (columns: {', '.join(self.vars)})")
        return [r[name] for r in self.rows]

    def _table(self) -> Table:
        from defkg.queries import Table

        return Table(self.vars, self.terms)

    def to_csv(self) -> str:
        """CSV text (IRIs in full, unbound as empty cells)."""
        return self._table().to_csv()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        return self._table().to_json()

    def to_text(self) -> str:
        """The plain-text table ``defkg query`` prints."""
        return self._table().to_table()

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:  # Jupyter
        from html import escape

        head = "".join(f"<th>{escape(v)}</th>" for v in self.vars)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{'' if r[v] is None else escape(str(r[v]))}</td>" for v in self.vars)
            + "</tr>"
            for r in self.rows[:200]
        )
        more = f"<p>{len(self.rows) - 200} more rows</p>" if len(self.rows) > 200 else ""
        return (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}<p>{len(self)} rows</p>"
        )

    def to_pandas(self) -> Any:
        """A pandas DataFrame: integer and boolean columns with pandas' nullable types, date
        columns as ``datetime64``, strings as ``string``. Needs the ``pandas`` extra
        (``pip install 'defkg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("to_pandas() needs pandas: pip install 'defkg[pandas]'") from e
        df = pd.DataFrame(self.rows, columns=list(self.vars))
        df = df.convert_dtypes()
        for col in self.vars:
            values = [v for v in self.column(col) if v is not None]
            if values and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in values):
                df[col] = pd.to_datetime(pd.Series([v for v in self.column(col)], dtype=object))
        return df


@dataclass(frozen=True)
class Explanation:
    """Every fact about one resource with the sentence and article it came from."""

    iri: str
    label: str
    facts: tuple[Explained, ...]

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self) -> Iterator[Explained]:
        return iter(self.facts)

    def to_text(self) -> str:
        """The facts grouped by article, each with its sentence (as ``defkg explain`` prints them)."""
        out, article = [], None
        for f in self.facts:
            if f.article != article:
                article = f.article
                out.append(f"\n# {f.headline or ''}\n# {f.url or f.article}")
            out.append(f"{f.subject} {f.predicate} {f.object}\n    \u201c{f.sentence}\u201d")
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def to_pandas(self) -> Any:
        """One row per fact: subject, predicate, object, sentence, article, url, headline."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("to_pandas() needs pandas: pip install 'defkg[pandas]'") from e
        cols = ["subject", "predicate", "object", "sentence", "article", "url", "headline"]
        return pd.DataFrame([[getattr(f, c) for c in cols] for f in self.facts], columns=cols)


# -- the knowledge graph -------------------------------------------------------------------------


class KnowledgeGraph:
    """A defkg store on disk and everything one can do with it.

    Open one with :func:`defkg.open`. ``read_only=True`` refuses :meth:`ingest` and never creates
    the store. Usable as a context manager (``with defkg.open("store") as kg: ...``); after
    :meth:`close` every call raises ``StoreError``.
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False, create: bool = True) -> None:
        from defkg.store import Store

        self.path = Path(path)
        self.read_only = read_only
        self._closed = False
        if read_only or not create:
            Store(self.path, read_only=True).close()  # StoreError if there is no store
        elif not (self.path / "CURRENT").exists():
            # an empty store: the first ingest writes the ontology with its first batch, in one
            # bulk load (``ingest.write_first_batch``: the store then stays compressed)
            Store(self.path).close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<KnowledgeGraph {str(self.path)!r} ({mode}{', closed' if self._closed else ''})>"

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Forget the store: later calls raise ``StoreError``. (No handle is held between calls.)"""
        self._closed = True

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: this KnowledgeGraph was closed")

    def _reader(self) -> Store:
        from defkg.store import Store

        self._check()
        return Store(self.path, read_only=True)

    # -- writing ---------------------------------------------------------------------------------
    def ingest(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        validate: bool = True,
        jobs: int | None = None,
        progress: bool = False,
        wait: float = 10.0,
        optimize: bool | None = None,
    ) -> IngestReport:
        """Read articles (files or directories: text with front matter, JSON Lines, HTML) into the
        store, one named graph per article (re-ingesting an article replaces its graph).

        Returns the :class:`~defkg.ingest.IngestReport`: counts, and the inputs that failed in
        ``errors`` (the others are stored). ``jobs``: worker processes (default: the number of
        cores); ``progress``: a progress bar on stderr; ``wait``: seconds to wait for another
        process writing the store."""
        self._check()
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open it with defkg.open(path) to ingest")
        items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        for p in items:
            hint = url_hint(os.fspath(p))
            if hint:
                raise InputError(hint)
        from defkg.ingest import ingest

        return ingest(
            items, self.path, validate=validate, jobs=jobs, bar=progress, wait=wait, optimize=optimize
        )

    # -- reading ---------------------------------------------------------------------------------
    def named_queries(self) -> dict[str, str]:
        """The named queries: name -> description."""
        from defkg.queries import named_queries

        return {q.name: q.description for q in named_queries().values()}

    def sparql(
        self, query: str, *, lang: str = "en", params: Mapping[str, object] | None = None, **bindings: object
    ) -> str:
        """The SPARQL text :meth:`query` would run (parameters bound)."""
        from defkg import queries

        named = queries.named_queries().get(query)
        text = named.text if named else queries.resolve(query)
        declared = named.params if named else None
        values: dict[str, object] = {**(params or {}), **bindings}
        text = queries.with_lang(text, lang)  # as `defkg query --lang`
        queries.check_params(text, {k: str(v) for k, v in values.items()}, declared)
        if declared:  # a state or entity a named query takes may be given by name: look it up
            names = {p.name for p in declared}
            given = {k: v for k, v in values.items() if k in names and isinstance(v, str)}
            if given:
                from defkg import resolve

                with self._reader() as st:
                    values.update(queries.bind_params(given, declared, resolve.store_select(st)))
        text = bind(text, values)
        queries.check_read_only(text)
        return text

    def query(
        self,
        query: str,
        *,
        lang: str = "en",
        timeout: float | None = None,
        params: Mapping[str, object] | None = None,
        **bindings: object,
    ) -> QueryResult:
        """Run a named query (see :meth:`named_queries`), a ``.rq`` file or SPARQL text, read-only.

        Keyword arguments bind variables: ``kg.query("meetings-between", a="TUR", b="GBR")`` binds
        ``?a`` and ``?b`` (``str`` → string literal; ``int``, ``float``, ``bool``, ``datetime.date``
        → typed literals; an rdflib ``URIRef`` → IRI); ``params`` does the same for names that
        clash with this method's arguments. A named query's declared parameters take names: a
        state as ``"Türkiye"``, ``"tur"`` or ``"TUR"``; unknown parameters are refused.
        ``lang`` (``"en"`` or ``"tr"``) is the language of the labels: it binds ``?lang``, as
        ``defkg query --lang`` does. ``timeout`` (seconds) runs the query in a child process
        killed after that long (``QueryError``); by default the query runs here, to the end.

        Syntax errors raise ``QueryError`` with ``line:column: what was expected``."""
        self._check()
        sparql = self.sparql(query, lang=lang, params=params, **bindings)
        from defkg import queries

        if timeout:
            return QueryResult.from_json(queries.run(self.path, sparql, "json", timeout=timeout), sparql)
        try:
            table = queries.query_table(self.path, sparql)
        except SyntaxError as e:
            from defkg.sparql_errors import describe

            raise QueryError(f"SPARQL syntax error: {describe(e, sparql)}") from None
        except (OSError, RuntimeError) as e:
            raise QueryError(f"query failed: {' '.join(str(e).split())[:300]}") from e
        return QueryResult.from_table(table, sparql)

    def find(self, name: str) -> str:
        """The IRI of the entity (person, state, organisation, place...) a name, code or IRI
        names: ``"Yaşar Güler"``, ``"Yasar Guler"``, ``"TUR"``, ``"dkr:state/TUR"``. ``QueryError``
        with "did you mean" when nothing fits, or with the candidates when several do."""
        from defkg import resolve
        from defkg.explain import resolve_iri

        with self._reader() as st:
            if resolve.expand(name) is None and "/" not in name:  # a name, not an IRI or a dkr: path
                return resolve.Resolver(resolve.store_select(st)).one(name).iri
            return resolve_iri(st, name)

    def explain(self, what: str) -> Explanation:
        """Every fact about a meeting, person, state... (an IRI, a prefixed name, or a name the
        store knows) with the sentence and the article it was read from."""
        from defkg.explain import explain

        iri = self.find(what)
        with self._reader() as st:
            facts = explain(st, iri)
        return Explanation(iri, what, tuple(facts))

    def network(self, which: str = "states", *, measures: bool = True, seed: int | None = None) -> nx.Graph:
        """A networkx graph of the store: ``"states"`` (an edge per pair of states that met,
        weight = meetings), ``"actors"`` (officials, organisations, states) or ``"knowledge"``
        (meetings, states, officials, organisations, topics as ``defkg view`` draws them).
        ``measures``: weighted degree, betweenness, PageRank and Louvain community on every node."""
        from defkg import analysis

        if which not in analysis.GRAPHS:
            from defkg.sparql_errors import did_you_mean

            close = did_you_mean(which, analysis.GRAPHS)
            raise InputError(f"{which!r}: unknown graph{close} (one of {', '.join(analysis.GRAPHS)})")
        with self._reader() as st:
            return analysis.build_graph(
                st, which, with_measures=measures, seed=analysis.SEED if seed is None else seed
            )

    def stats(self) -> Stats:
        """Counts: articles, meetings, states, officials, triples."""
        from defkg.stats import stats

        with self._reader() as st:
            return stats(st)

    def dataset(self) -> ResearchDataset:
        """The researchers' dataset read from the store: ``events`` (one row per engagement and
        pair of states) and ``dyad_years`` (undirected dyad x year counts), lists of dicts as
        described in ``docs/codebook.md``; ``defkg.dataset.write`` writes them as CSV or Parquet."""
        from defkg import dataset

        with self._reader() as st:
            return dataset.read(st)

    def graphs(self) -> list[str]:
        """The IRIs of the store's named graphs (one per article, the ontology, ...)."""
        with self._reader() as st:
            return st.graphs()

    def export(self, fmt: str = "turtle", out: str | os.PathLike[str] = "exports") -> Path:
        """Write the graph as ``fmt`` (turtle/ttl, trig, nt, nquads, jsonld) to ``out`` (a
        directory, for ``defkg.EXT``, or a file path); returns the path written."""
        from defkg.export import canonical_format, export

        with self._reader() as st:
            return export(st, canonical_format(fmt), out)

    def export_network(
        self,
        which: str = "states",
        out: str | os.PathLike[str] = "graphs",
        formats: Sequence[str] = ("graphml", "gexf", "csv"),
    ) -> list[Path]:
        """Write a network (see :meth:`network`) as GraphML, GEXF 1.2 (dynamic: Gephi's timeline)
        and/or CSV node and edge lists; returns the paths written."""
        from defkg import analysis

        return analysis.export_graph(self.network(which), which, Path(out), formats)

    def rdflib(self) -> rdflib.Dataset:
        """An rdflib ``Dataset`` over the store (read-only, through oxrdflib): one graph per
        article, the default graph the union of them (``default_union``). It reads the store as
        it was when opened; call again after an ingest."""
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        self._check()
        try:
            inner = ox.Store.read_only(str(self.path))
        except OSError as e:
            raise StoreError(f"{self.path}: cannot open the store: {e}") from e
        return Dataset(store=OxigraphStore(store=inner), default_union=True)


def open(path: str | os.PathLike[str], read_only: bool = False, create: bool = True) -> KnowledgeGraph:
    """Open the defkg store at ``path`` (a directory), creating it unless ``read_only`` or
    ``create=False``. ``StoreError`` when it cannot be opened."""
    return KnowledgeGraph(path, read_only=read_only, create=create)
