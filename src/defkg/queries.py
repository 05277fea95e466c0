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

import pyoxigraph as ox

from defkg.errors import QueryError

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


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
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.IGNORECASE) or _UPDATE.match(
        _strip_comments(spec)
    ):
        return spec
    raise QueryError(f"unknown query {spec!r}; `defkg query --list` shows the named queries")


def check_read_only(sparql: str) -> None:
    m = _UPDATE.match(_strip_comments(sparql))
    if m:
        raise QueryError(f"SPARQL Update ({m.group(1).upper()}) refused: `defkg query` is read-only")


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
        return json.dumps({"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}}, ensure_ascii=False)

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
    if isinstance(results, bool):
        return Table(("ask",), (({"type": "literal", "value": str(results).lower(),
                                   "datatype": "http://www.w3.org/2001/XMLSchema#boolean"},),))
    if isinstance(results, ox.QuerySolutions):
        names = tuple(v.value for v in results.variables)
        rows = tuple(tuple(_term_json(sol[i]) if sol[i] is not None else None for i in range(len(names)))
                     for sol in results)
        return Table(names, rows)
    # CONSTRUCT / DESCRIBE: triples as rows
    rows = tuple((_term_json(t.subject), _term_json(t.predicate), _term_json(t.object)) for t in results)  # type: ignore[attr-defined]
    return Table(("subject", "predicate", "object"), rows)


def substitute(sparql: str, params: dict[str, str]) -> str:
    """Bind ``?name`` to a literal value for each parameter, with a VALUES block."""
    if not params:
        return sparql
    values = " ".join(f"?{k}" for k in params)
    data = " ".join(json.dumps(v, ensure_ascii=False) for v in params.values())
    block = f"VALUES ({values}) {{ ({data}) }}"
    idx = sparql.find("{", re.search(r"\bWHERE\b", sparql, re.IGNORECASE).end() if re.search(
        r"\bWHERE\b", sparql, re.IGNORECASE) else 0)
    if idx < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE block")
    return sparql[: idx + 1] + "\n  " + block + "\n" + sparql[idx + 1 :]
