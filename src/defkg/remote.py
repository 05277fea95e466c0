"""Queries against a SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, ``defkg serve``).

The query goes as an HTML form POST (SPARQL 1.1 Protocol), with the project's prefixes
declared for it, and asks the server to read the union of the named graphs as the default
graph (``union-default-graph``, understood by Oxigraph; Fuseki needs ``tdb2:unionDefaultGraph``
in its dataset configuration; GraphDB and Virtuoso read all graphs by default). Results come
back as SPARQL 1.1 Query Results JSON (N-Triples for CONSTRUCT/DESCRIBE) and become the same
``queries.Table`` as a query on the embedded store.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from defkg.errors import QueryError
from defkg.queries import Table
from defkg.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
USER_AGENT = "defkg"
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def with_prefixes(sparql: str) -> str:
    """``sparql`` with PREFIX lines for the project's prefixes it uses but does not declare."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    lines = [
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in PREFIXES.items()
        if p not in declared and re.search(rf"(?<![\w<]){re.escape(p)}:", sparql)
    ]
    return "".join(lines) + sparql


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword outside comments and IRIs."""
    text = "\n".join(ln for ln in sparql.splitlines() if not ln.lstrip().startswith("#"))
    text = re.sub(r"<[^>\s]*>", "<>", text)
    m = _FORM.search(text)
    return m.group(1).upper() if m else "SELECT"


def _auth_headers(url: str) -> tuple[str, dict[str, str]]:
    """Credentials written in the URL (``https://user:pass@host/...``) become Basic auth."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, {"Authorization": "Basic " + base64.b64encode(token.encode()).decode()}


def request(
    url: str,
    data: bytes | None,
    headers: Mapping[str, str],
    method: str = "POST",
    timeout: float = 60.0,
) -> tuple[int, bytes, str]:
    """(status, body, content type) of one HTTP request; HTTP and network errors are ``QueryError``s."""
    url, auth = _auth_headers(url)
    req = urllib.request.Request(
        url, data=data, method=method, headers={"User-Agent": USER_AGENT, **auth, **headers}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", errors="replace").strip()
        raise QueryError(f"{url}: HTTP {e.code} {e.reason}: {body[:300]}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise QueryError(f"{url}: cannot reach the endpoint: {reason}") from None


def _term(t: dict[str, str]) -> dict[str, str]:
    kind = t.get("type")
    if kind == "typed-literal":  # SPARQL XML-era JSON (Virtuoso)
        kind = "literal"
    out = {"type": kind or "literal", "value": t.get("value", "")}
    if kind == "literal":
        if t.get("xml:lang"):
            out["xml:lang"] = t["xml:lang"]
        elif t.get("datatype") and t["datatype"] != XSD_STRING:
            out["datatype"] = t["datatype"]
    return out


def parse_json_results(body: bytes) -> Table:
    try:
        doc = json.loads(body)
    except ValueError as e:
        raise QueryError(f"the endpoint did not answer SPARQL JSON results: {e}") from None
    if "boolean" in doc:
        value = str(bool(doc["boolean"])).lower()
        return Table(
            ("ask",),
            (({"type": "literal", "value": value, "datatype": "http://www.w3.org/2001/XMLSchema#boolean"},),),
        )
    names = tuple(doc.get("head", {}).get("vars", []))
    rows = tuple(
        tuple(_term(b[v]) if v in b else None for v in names)
        for b in doc.get("results", {}).get("bindings", [])
    )
    return Table(names, rows)


def _triples_table(body: bytes) -> Table:
    import pyoxigraph as ox

    from defkg.queries import to_table

    try:
        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as e:
        raise QueryError(f"the endpoint did not answer N-Triples: {e}") from None
    return to_table(iter(triples))


def query(
    endpoint: str,
    sparql: str,
    timeout: float | None = None,
    union: bool = True,
) -> Table:
    """Run a (read-only) query at ``endpoint``; the answer as a ``queries.Table``."""
    timeout = timeout if timeout is not None else float(os.environ.get("DEFKG_HTTP_TIMEOUT", "300"))
    text = with_prefixes(sparql)
    graph_form = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
    url = endpoint
    if union:
        url += ("&" if "?" in url else "?") + "union-default-graph"
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    data = urllib.parse.urlencode({"query": text}).encode("utf-8")
    _, body, _ = request(
        url,
        data,
        {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        timeout=timeout,
    )
    return _triples_table(body) if graph_form else parse_json_results(body)
