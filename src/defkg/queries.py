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

from defkg.errors import QueryError


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str


def named_queries() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files("defkg").joinpath("queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            comment = [ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")]
            name = entry.name[:-3]
            out[name] = NamedQuery(name, " ".join(comment), text)
    return out


def resolve(spec: str) -> str:
    """A query's text from a named query, a ``.rq`` file or SPARQL text."""
    named = named_queries()
    if spec in named:
        return named[spec].text
    if spec.endswith((".rq", ".sparql")) or (len(spec) < 4096 and "\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return path.read_text(encoding="utf-8")
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.IGNORECASE) or form(spec) in _UPDATE_WORDS:
        return spec
    raise QueryError(f"unknown query {spec!r}; `defkg query --list` shows the named queries")


# The prologue of a query or update: comments, PREFIX and BASE declarations, in any case.
_PROLOGUE = re.compile(
    r"(?:\s+|\#[^\n]*(?:\n|\Z)|PREFIX\s*[^\s:<>]*:\s*<[^<>]*>|BASE\s*<[^<>]*>)*", re.IGNORECASE
)
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[<?$\w]", re.IGNORECASE)


def form(sparql: str) -> str | None:
    """The first keyword after the prologue (``SELECT``, ``INSERT``...), upper case, or ``None``."""
    rest = sparql[_PROLOGUE.match(sparql).end() :]  # type: ignore[union-attr]
    m = re.match(r"[A-Za-z]+", rest)
    return m.group(0).upper() if m else None


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL Update (whatever its case, after any comments and prefixes). Queries also run
    on a store opened read-only, so an update that slipped through could still change nothing."""
    word = form(sparql)
    if word in _UPDATE_WORDS:
        raise QueryError(f"SPARQL Update ({word}) refused: `defkg query` is read-only")
    bare = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', " ", sparql)
    if _SERVICE.search(bare):
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
            return to_table(st.query(sparql))
        except (RuntimeError, OSError, StoreError) as e:
            transient = "Corruption" in str(e) or "No such file" in str(e)
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
        finally:
            if st is not None:
                st.close()
    raise AssertionError("unreachable")


def _child(store_path: str, sparql: str, fmt: str, conn: Any) -> None:
    """Run a query in a child process and send ("ok", text) or ("error", message) back."""
    from defkg.errors import DefkgError

    try:
        out = ("ok", query_table(store_path, sparql).format(fmt))
    except SyntaxError as e:
        out = ("error", f"SPARQL syntax error: {_one_line(e)}")
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
            raise QueryError(f"SPARQL syntax error: {_one_line(e)}") from e
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
        def short(s: str) -> str:
            s = s.replace("https://w3id.org/defkg/id/", "dkr:").replace("\n", " ")
            return s if len(s) <= max_width else s[: max_width - 1] + "…"

        cells = [[short(c) for c in row] for row in self.values()]
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
        rows = tuple(
            tuple(_term_json(sol[i]) if sol[i] is not None else None for i in range(len(names)))
            for sol in results
        )
        return Table(names, rows)
    # CONSTRUCT / DESCRIBE: triples as rows
    rows = tuple((_term_json(t.subject), _term_json(t.predicate), _term_json(t.object)) for t in results)  # type: ignore[attr-defined]
    return Table(("subject", "predicate", "object"), rows)


LANGUAGES = ("en", "tr")
_LANG_VALUES = re.compile(r'VALUES\s*\?lang\s*\{\s*"[A-Za-z-]*"\s*\}')


def with_lang(sparql: str, lang: str) -> str:
    """The query choosing labels in ``lang``: the named queries declare ``VALUES ?lang { "en" }``
    (so they run as they are anywhere, in English); any other query using ``?lang`` gets it bound."""
    if lang not in LANGUAGES:
        raise QueryError(f"--lang {lang!r}: one of {', '.join(LANGUAGES)}")
    if _LANG_VALUES.search(sparql):
        return _LANG_VALUES.sub(lambda _: f'VALUES ?lang {{ "{lang}" }}', sparql)
    if re.search(r"[?$]lang\b", sparql):
        return substitute(sparql, {"lang": lang})
    return sparql


def substitute(sparql: str, params: dict[str, str]) -> str:
    """Bind ``?name`` to a literal value for each parameter, with a VALUES block."""
    if not params:
        return sparql
    for k in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise QueryError(f"--param {k[:40]!r}: a parameter name is letters, digits and '_'")
    values = " ".join(f"?{k}" for k in params)
    data = " ".join(json.dumps(v, ensure_ascii=False) for v in params.values())
    block = f"VALUES ({values}) {{ ({data}) }}"
    where = re.search(r"\bWHERE\b", sparql, re.IGNORECASE)
    idx = sparql.find("{", where.end() if where else 0)
    if idx < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE block")
    return sparql[: idx + 1] + "\n  " + block + "\n" + sparql[idx + 1 :]
