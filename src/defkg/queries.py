"""Named SPARQL queries (``queries/*.rq`` in the package) and running any query.

``run`` returns results already serialised (SPARQL 1.1 Query Results JSON, CSV or
a plain-text table), so the CLI only prints.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defkg import sparql_tokens
from defkg.errors import QueryError
from defkg.sparql_errors import describe, did_you_mean


@dataclass(frozen=True)
class Param:
    """A parameter a named query declares with a comment line ``# @param NAME KIND: what it is``.

    ``KIND``: ``state`` (a state by name or ISO code in any case; bound to its ISO alpha-3 code),
    ``entity`` (a state, person, organisation... by name or IRI; bound to its IRI) or ``text``
    (bound to the literal as given)."""

    name: str
    kind: str
    doc: str


PARAM_KINDS = ("state", "entity", "text")
_PARAM_LINE = re.compile(r"#\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\w+)\s*:?\s*(.*)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()


def _parse_named(name: str, text: str) -> NamedQuery:
    comment, params = [], []
    for ln in text.splitlines():
        m = _PARAM_LINE.match(ln)
        if m:
            if m.group(2) not in PARAM_KINDS:
                raise QueryError(f"{name}.rq: @param {m.group(1)} has unknown kind {m.group(2)!r}")
            params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
        elif ln.startswith("#"):
            comment.append(ln.lstrip("# ").strip())
    return NamedQuery(name, " ".join(comment), text, tuple(params))


def named_queries() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files("defkg").joinpath("queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = _parse_named(name, entry.read_text(encoding="utf-8"))
    return out


def resolve(spec: str) -> str:
    """A query's text from a named query, a ``.rq`` file or SPARQL text."""
    named = named_queries()
    if spec in named:
        return named[spec].text
    # SPARQL text (a newline, a brace, a name too long for a file system) is never tried as a path
    longest = max(len(p.encode()) for p in re.split(r"[/\\]", spec))
    as_file = not re.search(r"[\n{}\0]", spec) and len(spec) < 4096 and longest <= 255
    if as_file and (spec.endswith((".rq", ".sparql")) or Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return path.read_text(encoding="utf-8")
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.IGNORECASE) or _update_form(spec):
        return spec
    raise QueryError(
        f"unknown query {spec!r}{did_you_mean(spec, named)}; `defkg query --list` shows the named queries"
    )


# words of SPARQL Update that no query uses
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_UPDATE_WORDS |= {"USING"}


def form(sparql: str) -> str | None:
    """The first keyword after the prologue (``SELECT``, ``INSERT``...), upper case, or ``None``.
    Raises ``QueryError`` when the text is not made of SPARQL tokens."""
    toks = list(sparql_tokens.tokens(sparql))
    i = 0
    while i < len(toks) and toks[i].keyword in ("PREFIX", "BASE"):
        i += 1  # the keyword, then a prefixed-name declaration and/or an IRI
        while i < len(toks) and toks[i].kind in ("PNAME", "IRI"):
            i += 1
    return toks[i].keyword if i < len(toks) else None


def _update_form(text: str) -> bool:
    try:
        return form(text) in _UPDATE_WORDS
    except QueryError:
        return False


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL Update and federated queries (``SERVICE``) anywhere in the text.

    The text is read by a real SPARQL tokenizer (``defkg.sparql_tokens``), so a keyword hidden
    behind a ``#`` in an IRI or a prefixed name, a quote in a comment or a long string is still
    seen, and a keyword-like word inside a string, an IRI or a comment is not one. Update words
    and ``SERVICE`` are never part of a read-only query, so any bare one refuses the text.
    Queries also run on a store opened read-only, so an update that slipped through could still
    change nothing; SERVICE would make Oxigraph send a request, hence this check."""
    words = sparql_tokens.keywords(sparql)
    update = next((w for w in words if w in _UPDATE_WORDS), None)
    if update:
        raise QueryError(f"SPARQL Update ({update}) refused: `defkg query` is read-only")
    if "SERVICE" in words:
        raise QueryError("federated queries (SERVICE) refused: defkg queries read only the local store")


def _one_line(e: object, limit: int = 300) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def query_table(store_path: str | Path, sparql: str, attempts: int = 5) -> Table:
    """Open the store read-only and run the query to the end. A writer working at the same time may
    compact away files a reader had just opened (RocksDB reports "Corruption"/"No such file"): the
    reader then opens the store again and reruns the query."""
    import time

    from defkg.errors import StoreError
    from defkg.store import Store

    for attempt in range(attempts):
        st = None
        try:
            st = Store(store_path, read_only=True)
            return select(st, sparql)
        except (RuntimeError, OSError, StoreError) as e:
            transient = "Corruption" in str(e) or "No such file" in str(e)
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
        finally:
            if st is not None:
                st.close()
    raise AssertionError("unreachable")


def select(store: Any, sparql: str) -> Table:
    """Run a query on an open ``Store`` to the end. A final ``ORDER BY`` of variables is done here,
    on the decoded rows (``defkg.query_order``: Oxigraph's sort looks strings up on every
    comparison), unless a column mixes kinds of literals; the rows come in the same order."""
    from defkg import query_order

    split = query_order.split(sparql)
    if split is None:
        return to_table(store.query(sparql))
    head, keys = split
    table = to_table(store.query(head))
    rows = query_order.sort_rows(table.vars, table.rows, keys)
    if rows is None:
        return to_table(store.query(sparql))
    return Table(table.vars, tuple(rows))


def _child(store_path: str, sparql: str, fmt: str, conn: Any) -> None:
    """Run a query in a child process and send ("ok", text) or ("error", message) back."""
    from defkg.errors import DefkgError

    try:
        out = ("ok", query_table(store_path, sparql).format(fmt))
    except SyntaxError as e:
        out = ("error", f"SPARQL syntax error: {describe(e, sparql)}")
    except DefkgError as e:
        out = ("error", str(e))
    except OSError as e:
        out = ("error", f"query failed: {_one_line(e)}")
    except Exception as e:  # a bug: still one line, never a traceback
        out = ("error", f"query failed: internal error: {type(e).__name__}: {_one_line(e)}")
    conn.send(out)
    conn.close()


def run(store_path: str | Path, sparql: str, fmt: str = "table", timeout: float | None = 30.0) -> str:
    """Run a read-only query over the store at ``store_path``; the results serialised as ``fmt``.

    The query runs in a child process that is killed after ``timeout`` seconds (``None`` or 0:
    no limit, run in this process): a runaway query ends with ``QueryError("query timed out")``.
    """
    import multiprocessing

    check_read_only(sparql)
    if not timeout or timeout <= 0:
        try:
            return query_table(store_path, sparql).format(fmt)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {describe(e, sparql)}") from e
    methods = multiprocessing.get_all_start_methods()
    ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(str(store_path), sparql, fmt, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"query timed out after {timeout:g} s")
        try:
            kind, payload = receiver.recv()
        except EOFError:
            proc.join(1)
            raise QueryError(f"query failed: the query process ended (exit code {proc.exitcode})") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if kind != "ok":
        raise QueryError(payload)
    return str(payload)


def _term_json(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = term.datatype.value
        return d
    return {"type": "literal", "value": str(term)}


@dataclass(frozen=True)
class Table:
    """SELECT results: variable names and rows of JSON terms (``None`` when unbound)."""

    vars: tuple[str, ...]
    rows: tuple[tuple[dict[str, str] | None, ...], ...]

    def to_json(self) -> str:
        bindings = [{v: t for v, t in zip(self.vars, row, strict=True) if t is not None} for row in self.rows]
        return json.dumps(
            {"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}}, ensure_ascii=False
        )

    def values(self) -> list[list[str]]:
        return [[t["value"] if t else "" for t in row] for row in self.rows]

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.vars)
        w.writerows(self.values())
        return buf.getvalue()

    def to_table(self, max_width: int = 60) -> str:
        """An aligned text table. IRIs are written as SPARQL reads them (``dkr:state\\/TUR``,
        see ``resolve.sparql_name``) and never cut, so any of them can be pasted into a query;
        other values longer than ``max_width`` are cut with "…"."""
        from defkg.resolve import sparql_name

        def short(t: dict[str, str] | None) -> str:
            if t is None:
                return ""
            if t["type"] == "uri":
                return sparql_name(t["value"])
            s = t["value"].replace("\n", " ")
            return s if len(s) <= max_width else s[: max_width - 1] + "…"

        cells = [[short(c) for c in row] for row in self.rows]
        widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(self.vars)]
        line = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
        out = [line(list(self.vars)), "-+-".join("-" * w for w in widths)]
        out += [line(r) for r in cells]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(out) + "\n"

    def format(self, fmt: str) -> str:
        return {"json": self.to_json, "csv": self.to_csv, "table": self.to_table}[fmt]()


def to_table(results: object) -> Table:
    if isinstance(results, bool | ox.QueryBoolean):
        results = bool(results)
        return Table(
            ("ask",),
            (
                (
                    {
                        "type": "literal",
                        "value": str(results).lower(),
                        "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
                    },
                ),
            ),
        )
    if isinstance(results, ox.QuerySolutions):
        names = tuple(v.value for v in results.variables)
        # a term repeated in many rows (a state, a label) is converted once; rows share its dict
        cache: dict[object, dict[str, str] | None] = {None: None}

        def term(t: object) -> dict[str, str] | None:
            d = cache.get(t, cache)
            if d is cache:
                d = cache[t] = _term_json(t)
            return d  # type: ignore[return-value]

        rows = tuple(tuple(map(term, sol)) for sol in results)
        return Table(names, rows)
    # CONSTRUCT / DESCRIBE: triples as rows
    rows = tuple((_term_json(t.subject), _term_json(t.predicate), _term_json(t.object)) for t in results)  # type: ignore[attr-defined]
    return Table(("subject", "predicate", "object"), rows)


LANGUAGES = ("en", "tr")
_LANG_VALUES = re.compile(r'VALUES\s*\?lang\s*\{\s*"[A-Za-z-]*"\s*\}')
# a label's language as a constant: FILTER(LANG(?label) = "en")
_LANG_CONSTANT = re.compile(r'(\bLANG\s*\(\s*[?$]\w+\s*\)\s*=\s*)"[A-Za-z-]*"', re.IGNORECASE)


def with_lang(sparql: str, lang: str) -> str:
    """The query choosing labels in ``lang``: the named queries declare ``VALUES ?lang { "en" }``
    (so they run as they are anywhere, in English); any other query using ``?lang`` gets it bound.
    In a query declaring ``VALUES ?lang``, a label chosen inside an ``OPTIONAL`` by a constant,
    ``FILTER(LANG(?label) = "en")``, is chosen in ``lang`` too: the form a selective query needs
    (Oxigraph evaluates an ``OPTIONAL`` holding ``BIND(LANG(?label) AS ?lang)`` over the whole
    store before joining it: ``meetings-between`` 150 -> 40 ms on 1.1M quads), and the portable
    one (Virtuoso drops the optional rows of a filter reading ``?lang`` from outside)."""
    if lang not in LANGUAGES:
        raise QueryError(f"--lang {lang!r}: one of {', '.join(LANGUAGES)}")
    if _LANG_VALUES.search(sparql):
        sparql = _LANG_CONSTANT.sub(lambda m: f'{m.group(1)}"{lang}"', sparql)
        return _LANG_VALUES.sub(lambda _: f'VALUES ?lang {{ "{lang}" }}', sparql)
    if re.search(r"[?$]lang\b", sparql):
        return substitute(sparql, {"lang": lang})
    return sparql


@dataclass(frozen=True)
class Iri:
    """A parameter value bound as an IRI, not a literal."""

    value: str


def _value(v: str | Iri) -> str:
    if isinstance(v, Iri):
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*", v.value, re.IGNORECASE):
            raise QueryError(f"not an IRI: {v.value[:80]!r}")
        return f"<{v.value}>"
    return json.dumps(v, ensure_ascii=False)


def check_params(
    sparql: str, params: dict[str, str | Iri] | dict[str, str], declared: tuple[Param, ...] | None = None
) -> None:
    """Refuse a parameter the query does not take: one a named query does not declare
    (``declared``), or, for any other query, one naming no variable of the query."""
    for k in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise QueryError(f"--param {k[:40]!r}: a parameter name is letters, digits and '_'")
    if declared is not None:
        names = [p.name for p in declared]
        for k in params:
            if k not in names:
                takes = f"takes --param {', '.join(names)}" if names else "takes no parameters"
                raise QueryError(f"unknown --param {k}: this query {takes}")
        return
    used = sparql_tokens.variables(sparql)
    for k in params:
        if k not in used:
            raise QueryError(f"unused --param {k}: the query has no variable ?{k}")


def substitute(
    sparql: str, params: dict[str, str | Iri] | dict[str, str], declared: tuple[Param, ...] | None = None
) -> str:
    """Bind ``?name`` to each parameter's value (a literal, or an ``Iri``) with a VALUES block at
    the start of the query's WHERE clause. Unknown or unused parameters are refused (see
    ``check_params``)."""
    if not params:
        return sparql
    check_params(sparql, params, declared)
    values = " ".join(f"?{k}" for k in params)
    data = " ".join(_value(v) for v in params.values())
    block = f"VALUES ({values}) {{ ({data}) }}"
    toks = list(sparql_tokens.tokens(sparql))
    where = next((i for i, t in enumerate(toks) if t.keyword == "WHERE"), None)
    if where is None:  # SELECT * { ... } and ASK { ... }: the first group after the query form
        form_at = next((i for i, t in enumerate(toks) if t.keyword in ("SELECT", "ASK", "DESCRIBE")), 0)
        where = form_at
    brace = next((t for t in toks[where:] if t.text == "{"), None)
    if brace is None:
        raise QueryError("cannot bind parameters: the query has no WHERE block")
    idx = brace.start
    return sparql[: idx + 1] + "\n  " + block + "\n" + sparql[idx + 1 :]


def bind_params(
    params: dict[str, str], declared: tuple[Param, ...], select: Any | None
) -> dict[str, str | Iri]:
    """The values of a named query's parameters as the query wants them: a ``state`` given by
    name or code in any case (``tur``, ``Türkiye``, ``Turkey``) becomes its ISO alpha-3 code, an
    ``entity`` given by name or IRI becomes its IRI, looked up in the store through ``select``
    (a ``resolve.Select``; without one, only codes and IRIs are understood)."""
    from defkg import resolve

    kinds = {p.name: p.kind for p in declared}
    out: dict[str, str | Iri] = {}
    resolvers: dict[str, resolve.Resolver] = {}
    for k, v in params.items():
        kind = kinds.get(k, "text")
        if kind == "text":
            out[k] = v
        elif select is None:
            iri = resolve.expand(v)
            if kind == "state":
                out[k] = v.upper() if re.fullmatch(r"[A-Za-z]{3}", v) else v
            elif iri is None:
                raise QueryError(f"--param {k}={v!r}: give an IRI (no store to look the name up in)")
            else:
                out[k] = Iri(iri)
        else:
            key = "state" if kind == "state" else "any"
            if key not in resolvers:
                resolvers[key] = resolve.Resolver(select, ("state",) if kind == "state" else resolve.KINDS)
            entity = resolvers[key].one(v)
            if kind == "state":
                if not entity.code:
                    raise QueryError(f"--param {k}: {entity.label} has no ISO 3166 alpha-3 code in the store")
                out[k] = entity.code
            else:
                out[k] = Iri(entity.iri)
    return out
