"""Talking to a SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso, ``defkg serve``).

Queries go as an HTML form POST (SPARQL 1.1 Protocol), with the project's prefixes declared
for them, and ask the server to read the union of the named graphs as the default graph
(``union-default-graph``, understood by Oxigraph; Fuseki needs ``tdb2:unionDefaultGraph`` in
its dataset configuration; GraphDB and Virtuoso read all graphs by default). Results come back
as SPARQL 1.1 Query Results JSON (N-Triples for CONSTRUCT/DESCRIBE) and become the same
``queries.Table`` as a query on the embedded store; terms are normalised on the way (Virtuoso's
``typed-literal``, booleans written ``1``/``0``), so the same data gives the same rows.

Authentication: credentials come from the URL (``http://user:pass@host/...``), from an explicit
``Credentials`` or from the environment (``DEFKG_USER``, ``DEFKG_PASSWORD``). They are sent
as HTTP Basic or Digest (RFC 7616, MD5 or SHA-256, ``qop=auth``), as the server's
``WWW-Authenticate`` challenge asks; a Digest challenge is remembered per server, so later
requests authenticate at once (nonce counted up) instead of being refused first. Credentials
never appear in a message: URLs are given without their user information.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

from defkg.errors import QueryError
from defkg.namespaces import PREFIXES
from defkg.queries import Table

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
USER_AGENT = "defkg"
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
# What servers say when they stopped a query for taking too long (Virtuoso's S1T00/SR171 and
# "estimated execution time", Fuseki's "Query timed out", GraphDB's "Query has been timed out").
_SERVER_TIMEOUT = re.compile(r"time ?out|timed out|execution time|S1T00|SR171|S1TAT", re.IGNORECASE)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(default="", repr=False)


def credentials_from_env() -> Credentials | None:
    user = os.environ.get("DEFKG_USER")
    return Credentials(user, os.environ.get("DEFKG_PASSWORD", "")) if user else None


def split_url(url: str) -> tuple[str, Credentials | None]:
    """``url`` without its user information, and the credentials written there (if any)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 address
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    creds = Credentials(urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    return clean, creds


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")


def redact(text: str, creds: Credentials | None = None) -> str:
    """``text`` with the user information of any URL in it (and the password, if known) removed."""
    text = _USERINFO.sub(r"\1", text)
    if creds and creds.password and len(creds.password) >= 3:
        text = text.replace(creds.password, "***")
    return text


# --- HTTP authentication ------------------------------------------------------------------------

_WWW_AUTH_PARAM = re.compile(r'([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_challenges(header: str) -> dict[str, dict[str, str]]:
    """``WWW-Authenticate`` values by scheme (lower case): ``{"digest": {"realm": ..., ...}}``."""
    out: dict[str, dict[str, str]] = {}
    starts = list(re.finditer(r"(?i)(?:^|,)\s*(basic|digest|bearer|negotiate)\b", header))
    for m, nxt in zip(starts, [*starts[1:], None], strict=True):
        chunk = header[m.end() : nxt.start() if nxt else len(header)]
        params = {
            k.lower(): (q.replace('\\"', '"') if q else u) for k, q, u in _WWW_AUTH_PARAM.findall(chunk)
        }
        out.setdefault(m.group(1).lower(), params)
    return out


_HASHES = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


@dataclass
class _Digest:
    challenge: dict[str, str]
    count: int = 0

    def header(self, creds: Credentials, method: str, uri: str) -> str:
        ch = self.challenge
        algorithm = ch.get("algorithm", "MD5").upper()
        if algorithm not in _HASHES:
            raise QueryError(f"the server asks for Digest authentication with {algorithm}, not supported")
        h = lambda s: _HASHES[algorithm](s.encode("utf-8")).hexdigest()  # noqa: E731
        realm, nonce = ch.get("realm", ""), ch.get("nonce", "")
        self.count += 1
        nc, cnonce = f"{self.count:08x}", secrets.token_hex(8)
        ha1 = h(f"{creds.user}:{realm}:{creds.password}")
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in ch.get("qop", "").split(",") if q.strip()]
        fields = {"username": creds.user, "realm": realm, "nonce": nonce, "uri": uri}
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        elif not qops:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
            extra = ""
        else:
            raise QueryError(f"the server asks for Digest authentication with qop={ch['qop']}, not supported")
        quoted = ", ".join(f'{k}="{v}"' for k, v in fields.items())
        if "opaque" in ch:
            extra += f', opaque="{ch["opaque"]}"'
        return f"Digest {quoted}, algorithm={ch.get('algorithm', 'MD5')}{extra}"


# What each server (scheme://host:port, user) asked for last: "basic" or a Digest challenge.
_schemes: dict[tuple[str, str], str | _Digest] = {}
_lock = threading.Lock()


def _authorization(key: tuple[str, str], creds: Credentials, method: str, uri: str) -> str | None:
    with _lock:
        scheme = _schemes.get(key)
        if scheme == "basic":
            token = base64.b64encode(f"{creds.user}:{creds.password}".encode()).decode()
            return f"Basic {token}"
        if isinstance(scheme, _Digest):
            return scheme.header(creds, method, uri)
    return None


def _learn(key: tuple[str, str], header: str, seen: set[str]) -> bool:
    """Remember what a 401 answer's challenge asks for; False when it asks again for what was
    already tried in this request (the credentials were refused)."""
    challenges = parse_challenges(header)
    with _lock:
        if "digest" in challenges:
            ch = challenges["digest"]
            if "digest" in seen and ch.get("stale", "").lower() != "true":
                return False
            seen.add("digest")
            _schemes[key] = _Digest(ch)
            return True
        if "basic" in challenges and "basic" not in seen:
            seen.add("basic")
            _schemes[key] = "basic"
            return True
    return False


# --- requests -------------------------------------------------------------------------------------


def request(
    url: str,
    data: bytes | None,
    headers: Mapping[str, str],
    method: str = "POST",
    timeout: float = 60.0,
    credentials: Credentials | None = None,
) -> tuple[int, bytes, Mapping[str, str]]:
    """(status, body, response headers) of one HTTP request. HTTP and network errors become
    ``QueryError``s naming the URL without its credentials. With credentials (given, in the URL
    or in the environment), a 401 answer is retried with the Basic or Digest authentication
    the server asks for."""
    import urllib.error
    import urllib.request  # ~30 ms (http.client, email): imported when a server is asked

    clean, in_url = split_url(url)
    creds = credentials or in_url or credentials_from_env()
    parts = urllib.parse.urlsplit(clean)
    uri = parts.path or "/"
    if parts.query:
        uri += "?" + parts.query
    key = (f"{parts.scheme}://{parts.netloc}", creds.user if creds else "")
    seen: set[str] = set()
    for _ in range(4):
        auth = _authorization(key, creds, method, uri) if creds else None
        hdrs = {"User-Agent": USER_AGENT, **headers, **({"Authorization": auth} if auth else {})}
        req = urllib.request.Request(clean, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            challenge = e.headers.get("WWW-Authenticate", "") if e.headers else ""
            if e.code == 401 and creds and challenge and _learn(key, challenge, seen):
                e.read()
                continue
            body = e.read().decode("utf-8", errors="replace").strip()
            raise QueryError(redact(_http_error(clean, e.code, e.reason, body, creds), creds)) from None
        except TimeoutError:
            raise QueryError(f"{clean}: timed out: no answer within {timeout:g} s (client-side)") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise QueryError(
                    f"{clean}: timed out: no answer within {timeout:g} s (client-side)"
                ) from None
            raise QueryError(redact(f"{clean}: cannot reach the endpoint: {reason}", creds)) from None
    raise QueryError(f"{clean}: HTTP 401: authentication failed")


def _client_timeout(url: str, timeout: float) -> str:
    return f"{url}: timed out: no answer within {timeout:g} s (client-side; see --timeout)"


def _http_error(url: str, code: int, reason: str, body: str, creds: Credentials | None) -> str:
    body = " ".join(body.split())
    if code == 401:
        hint = " (give credentials: in the URL, --user or DEFKG_USER/DEFKG_PASSWORD)" if not creds else ""
        return f"{url}: HTTP 401 {reason}: the server refused the credentials{hint}"
    if code in (503, 504) or (code >= 500 and _SERVER_TIMEOUT.search(body)):
        return f"{url}: timed out on the server (HTTP {code} {reason}): {body[:300]}"
    return f"{url}: HTTP {code} {reason}: {body[:300]}"


# --- queries ----------------------------------------------------------------------------------------


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


_BOOLEANS = {"1": "true", "0": "false", "true": "true", "false": "false"}


def _term(t: dict[str, str]) -> dict[str, str]:
    """A result term in the form the embedded store gives: ``literal`` for Virtuoso's
    ``typed-literal``, no ``xsd:string`` datatype, booleans as ``true``/``false``."""
    kind = t.get("type")
    if kind == "typed-literal":  # SPARQL XML-era JSON (Virtuoso)
        kind = "literal"
    out = {"type": kind or "literal", "value": t.get("value", "")}
    if kind == "literal":
        if t.get("xml:lang"):
            out["xml:lang"] = t["xml:lang"].lower()
        elif t.get("datatype") and t["datatype"] != XSD_STRING:
            out["datatype"] = t["datatype"]
            if t["datatype"] == XSD_BOOLEAN:
                out["value"] = _BOOLEANS.get(out["value"].strip().lower(), out["value"])
    return out


def parse_json_results(body: bytes) -> Table:
    try:
        doc = json.loads(body)
    except ValueError as e:
        raise QueryError(f"the endpoint did not answer SPARQL JSON results: {e}") from None
    if "boolean" in doc:
        value = str(bool(doc["boolean"])).lower()
        return Table(("ask",), (({"type": "literal", "value": value, "datatype": XSD_BOOLEAN},),))
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


def check_complete(url: str, headers: Mapping[str, str], rows: int) -> None:
    """Refuse answers the server cut short: Virtuoso caps results at ``ResultSetMaxRows`` (saying
    so only in ``X-SPARQL-MaxRows``) and returns what it had when ``MaxQueryExecutionTime`` ran
    out (``X-SQL-State: S1TAT``)."""
    cap = headers.get("X-SPARQL-MaxRows")
    if cap and cap.strip().isdigit() and rows >= int(cap):
        raise QueryError(
            f"{url}: the server capped the results at {int(cap):,} rows, so they are incomplete; "
            "raise its limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, "
            "then restart it) or page the query with LIMIT/OFFSET"
        )
    state = headers.get("X-SQL-State", "")
    if state.strip().upper() == "S1TAT":
        message = headers.get("X-SQL-Message", "")
        raise QueryError(
            f"{url}: timed out on the server, which returned incomplete results ({message.strip()}); "
            "raise its limit (Virtuoso: MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini)"
        )


def query(
    endpoint: str,
    sparql: str,
    timeout: float | None = None,
    union: bool = True,
    credentials: Credentials | None = None,
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
    _, body, headers = request(
        url,
        data,
        {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        timeout=timeout,
        credentials=credentials,
    )
    table = _triples_table(body) if graph_form else parse_json_results(body)
    check_complete(split_url(endpoint)[0], headers, len(table.rows))
    return table
