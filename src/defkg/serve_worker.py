"""A query worker of ``defkg serve``: a process of its own holding the store open read-only.

Run by the server as ``python -m defkg.serve_worker FD STORE`` with one end of a socket pair
(file descriptor ``FD``); it imports the standard library, pyoxigraph and the SPARQL tokenizer,
nothing else (no rdflib, no multiprocessing: every megabyte here is counted once per worker).

**Memory.** Where a streamed dump's memory goes: not into the answer (it is written 64 KiB at a
time and the worker waits while the client reads) but into RocksDB's read caches. Oxigraph opens
the string table (``id2str``, every IRI and literal of the store) with a block cache of 128 MB
(``optimize_for_point_lookup(128)``, hard-coded, not settable from Python) and the indexes with
RocksDB's default 32 MB cache; a dump decodes every string it sends, so its worker grows to the
store's string table, up to ~190 MB, whatever the process does. The worker therefore watches its
own resident memory (``memory``, bytes): a ``SELECT`` answer that would go over it is ended at a
row, the store is closed (dropping the caches; ``malloc_trim`` gives the memory back), opened
again, and the same query resumed at that row (``OFFSET``; counting past rows without decoding
them costs ~1 µs a row). Oxigraph evaluates a query on an unchanged store in the same order every
time; the worker checks both (the store directory's files, and the last row sent is the row
before the resumed ones) and ends the answer as an error otherwise. ``SELECT`` rows are written
here (SPARQL JSON, XML, CSV, TSV, as Oxigraph writes them); ``ASK``, ``CONSTRUCT`` and
``DESCRIBE`` answers are Oxigraph's, not resumed.

Messages (both ways): a kind byte, a 4-byte big-endian length, the payload; ``J``: JSON,
``D``: a chunk of the answer.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import json
import os
import re
import select
import socket
import struct
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

CHUNK = 64 * 1024  # bytes sent at a time
CHECK_EVERY = 32  # rows between two looks at the worker's memory
MIN_ROOM = 8 << 20  # the least room for caches above a freshly opened store's memory
_HEADER = struct.Struct(">cI")
XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_DIR_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


# -- messages ---------------------------------------------------------------------------------------


def send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(kind, len(payload)))
    sock.sendall(payload)


def send_json(sock: socket.socket, value: Any) -> None:
    send(sock, b"J", json.dumps(value).encode("utf-8"))


def _exactly(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        part = sock.recv(n - len(buf))
        if not part:
            raise EOFError("the other end closed the connection")
        buf += part
    return bytes(buf)


def receive(sock: socket.socket, timeout: float | None = None) -> tuple[bytes, bytes]:
    """(kind, payload) of the next message; ``TimeoutError`` when none starts within ``timeout``."""
    if timeout is not None:
        ready, _, _ = select.select([sock], [], [], timeout)
        if not ready:
            raise TimeoutError
    kind, length = _HEADER.unpack(_exactly(sock, _HEADER.size))
    return kind, _exactly(sock, length)


# -- memory -----------------------------------------------------------------------------------------


def rss() -> int:
    """This process's resident memory in bytes (0 where /proc is missing: no limit is applied)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@functools.cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, looked up once among the symbols the process has loaded, or None.
    Not through ``ctypes.util.find_library``: that forks ``ldconfig -p``, and a fork of a worker
    holding a store counts the worker's memory twice until it execs (the 100 MB dump test saw
    128 MB that way: ``test_serve_worker.py`` checks that a reopen starts no process)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows)
        return None


def _trim() -> None:
    """Give freed memory back to the system (glibc keeps freed blocks in its heap otherwise)."""
    trim = _malloc_trim()
    if trim is not None:
        with contextlib.suppress(OSError, TypeError):
            trim(0)


def signature(path: str) -> tuple[Any, ...]:
    """The store directory's files with sizes and modification times: a writer always adds or
    changes files there, a reader never does (RocksDB's ``LOG`` is left out: written on open)."""
    out = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(path):
            if not entry.name.startswith("LOG"):
                st = entry.stat()
                out.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


# -- resuming a SELECT at a row ---------------------------------------------------------------------


def resumed_at(sparql: str, skip: int) -> str | None:
    """``sparql`` (a SELECT) giving its rows from row ``skip`` on: the outer query's OFFSET and
    LIMIT moved by ``skip`` (a VALUES clause at the end kept last); ``""`` when a LIMIT leaves no
    row; ``None`` when the text cannot be read."""
    from defkg import sparql_tokens
    from defkg.errors import QueryError

    try:
        toks = list(sparql_tokens.tokens(sparql))
    except QueryError:
        return None
    depth, limit, offset, values_at = 0, None, 0, None
    spans: list[tuple[int, int]] = []
    for i, t in enumerate(toks):
        if t.kind == "PUNCT" and t.text == "{":
            depth += 1
        elif t.kind == "PUNCT" and t.text == "}":
            depth -= 1
        elif depth == 0 and t.keyword in ("LIMIT", "OFFSET"):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is None or nxt.kind != "NUMBER" or not nxt.text.isdigit():
                return None
            if t.keyword == "LIMIT":
                limit = int(nxt.text)
            else:
                offset = int(nxt.text)
            spans.append((t.start, nxt.start + len(nxt.text)))
        elif depth == 0 and t.keyword == "VALUES" and values_at is None:
            values_at = t.start
    if limit is not None and limit <= skip:
        return ""
    text = sparql
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " * (b - a) + text[b:]
    clause = f" OFFSET {offset + skip}" + (f" LIMIT {limit - skip}" if limit is not None else "")
    at = values_at if values_at is not None else len(text)
    return text[:at] + clause + "\n" + text[at:]


# -- writing SELECT rows as Oxigraph writes them ------------------------------------------------------

_TURTLE_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _kind(term: Any) -> str:
    return type(term).__name__  # NamedNode, BlankNode, Literal, Triple


def _json_term(t: Any) -> dict[str, Any]:
    k = _kind(t)
    if k == "NamedNode":
        return {"type": "uri", "value": t.value}
    if k == "BlankNode":
        return {"type": "bnode", "value": t.value}
    if k == "Triple":
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(t.subject),
                "predicate": _json_term(t.predicate),
                "object": _json_term(t.object),
            },
        }
    out: dict[str, Any] = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
        if getattr(t, "direction", None):
            out["its:dir"] = str(t.direction.value if hasattr(t.direction, "value") else t.direction)
    elif t.datatype.value != XSD + "string":
        out["datatype"] = t.datatype.value
    return out


def _xml_term(t: Any) -> str:
    k = _kind(t)
    if k == "NamedNode":
        return f"<uri>{_xml_escape(t.value)}</uri>"
    if k == "BlankNode":
        return f"<bnode>{_xml_escape(t.value)}</bnode>"
    if k == "Triple":
        return (
            f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
            f"</predicate><object>{_xml_term(t.object)}</object></triple>"
        )
    value = _xml_escape(t.value, {'"': "&quot;", "'": "&apos;"})
    if t.language:
        return f'<literal xml:lang="{_xml_escape(t.language)}">{value}</literal>'
    if t.datatype.value != XSD + "string":
        return f'<literal datatype="{_xml_escape(t.datatype.value, {chr(34): "&quot;"})}">{value}</literal>'
    return f"<literal>{value}</literal>"


def _csv_term(t: Any) -> str:
    if t is None:
        return ""
    k = _kind(t)
    v = "_:" + t.value if k == "BlankNode" else str(t) if k == "Triple" else t.value
    if '"' in v or "," in v or "\n" in v or "\r" in v:
        v = '"' + v.replace('"', '""') + '"'
    return v


def _tsv_term(t: Any) -> str:
    if t is None:
        return ""
    if _kind(t) == "Literal" and not t.language:
        bare = _TURTLE_BARE.get(t.datatype.value)
        if bare is not None and bare.fullmatch(t.value):
            return t.value
    return str(t)


class RowWriter:
    """One format of SELECT results, written a row at a time: ``head``, ``row`` per solution,
    ``foot``; bytes as Oxigraph's own writer gives them (tests compare the two)."""

    def __init__(self, fmt: str, variables: list[str]) -> None:
        self.fmt, self.vars, self.rows = fmt, variables, 0

    def head(self) -> bytes:
        if self.fmt == "JSON":
            return (
                '{"head":{"vars":'
                + json.dumps(self.vars, ensure_ascii=False, separators=(",", ":"))
                + '},"results":{"bindings":['
            ).encode()
        if self.fmt == "XML":
            names = "".join(f'<variable name="{_xml_escape(v)}"/>' for v in self.vars)
            return (
                '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{names}</head><results>"
            ).encode()
        if self.fmt == "CSV":
            return (",".join(self.vars) + "\r\n").encode()
        return ("\t".join("?" + v for v in self.vars) + "\n").encode()

    def row(self, solution: Iterable[Any]) -> bytes:
        terms = list(solution)
        first = self.rows == 0
        self.rows += 1
        if self.fmt == "JSON":
            body = {v: _json_term(t) for v, t in zip(self.vars, terms, strict=True) if t is not None}
            return (
                ("" if first else ",") + json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            ).encode()
        if self.fmt == "XML":
            inner = "".join(
                f'<binding name="{_xml_escape(v)}">{_xml_term(t)}</binding>'
                for v, t in zip(self.vars, terms, strict=True)
                if t is not None
            )
            return f"<result>{inner}</result>".encode()
        if self.fmt == "CSV":
            return (",".join(_csv_term(t) for t in terms) + "\r\n").encode()
        return ("\t".join(_tsv_term(t) for t in terms) + "\n").encode()

    def foot(self) -> bytes:
        return {"JSON": b"]}}", "XML": b"</results></sparql>"}.get(self.fmt, b"")


# -- the worker -------------------------------------------------------------------------------------


class Failed(Exception):
    """An answer that cannot be given: (HTTP status, message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Out:
    """Chunks of the answer down the socket; ``{"start": ctype}`` before the first one, so an error
    met before 64 KiB were written is still answered as an error status."""

    def __init__(self, sock: socket.socket, ctype: str) -> None:
        self.sock, self.ctype, self.buf, self.started = sock, ctype, bytearray(), False

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self._send()
        return len(data)

    def flush(self) -> None:  # pyoxigraph calls it; chunks go out when full or at the end
        pass

    def _send(self) -> None:
        if not self.started:
            send_json(self.sock, {"start": self.ctype})
            self.started = True
        if self.buf:
            send(self.sock, b"D", bytes(self.buf))
            self.buf.clear()

    def close(self, stats: dict[str, int] | None = None) -> None:
        self._send()
        send_json(self.sock, {"end": True, **(stats or {})})


class Worker:
    def __init__(self, path: str, memory: int) -> None:
        from defkg.namespaces import PREFIXES

        self.path, self.prefixes, self.memory = path, PREFIXES, memory
        self.reopened = 0  # times the store was opened again to drop its caches (tests read it)
        self.store: Any = None
        self.open()

    def open(self) -> None:
        import pyoxigraph as ox

        if not (Path(self.path) / "CURRENT").exists():
            raise Failed(
                500, f"{self.path}: no defkg store here (run `defkg ingest ... --store {self.path}`)"
            )
        try:
            self.store = ox.Store.read_only(self.path)
        except OSError as e:
            raise Failed(500, f"{self.path}: cannot open the store: {e}") from None
        self.seen = signature(self.path)

    def reopen(self) -> None:
        """Close the store (its caches go with it), give the memory back, open it again."""
        self.store = None  # the last reference: the store closes here
        gc.collect()  # and should a cycle hold something of it, there (a look every few thousand rows)
        _trim()
        if signature(self.path) != self.seen:
            raise Failed(500, "the store changed while the answer was being sent: the answer is cut short")
        self.open()
        self.reopened += 1

    def query(self, sparql: str) -> Any:
        try:
            return self.store.query(sparql, prefixes=self.prefixes, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise Failed(400, f"SPARQL syntax error: {self._describe(e, sparql)}") from None
        except OSError as e:
            raise Failed(400, f"query failed: {e}") from None

    def _describe(self, error: SyntaxError | str, sparql: str) -> str:
        try:
            from defkg.sparql_errors import describe
        except ImportError:
            return str(error)
        return str(describe(error, sparql, self.prefixes))

    def check(self, sparql: str, formats: dict[str, Any]) -> None:
        """Refuse what cannot be answered before running it: text that is not SPARQL (400, with
        its line and column), updates and SERVICE (403), a form the client accepts no format
        for (406)."""
        from defkg import queries, sparql_tokens
        from defkg.errors import QueryError

        try:
            list(sparql_tokens.tokens(sparql))
        except QueryError as e:
            m = re.search(r"line (\d+), column (\d+) \(.*?\): (.*)", str(e))
            raw = f"error at {m.group(1)}:{m.group(2)}: {m.group(3)}" if m else str(e)
            raise Failed(400, f"SPARQL syntax error: {self._describe(raw, sparql)}") from None
        try:
            queries.check_read_only(sparql)
        except QueryError as e:
            raise Failed(403, f"this endpoint is read-only: {e}") from None
        kind = "graph" if queries.form(sparql) in ("CONSTRUCT", "DESCRIBE") else "select"
        if formats.get(kind) is None:
            raise Failed(
                406,
                f"cannot answer in {formats.get('accept', '')!r}; this query can be answered in "
                + ", ".join(formats.get("offered", {}).get(kind, [])),
            )

    def answer(self, sock: socket.socket, sparql: str, formats: dict[str, Any]) -> None:
        import pyoxigraph as ox

        self.check(sparql, formats)
        results = self.query(sparql)
        stats = None
        if isinstance(results, ox.QuerySolutions):
            name, ctype = formats["select"] or formats["default"]["select"]
            out = Out(sock, ctype)
            writer = RowWriter(name, [v.value for v in results.variables])
            box = [results]
            del results  # solutions() may close the store: no reference to the results may stay here
            stats = self.solutions(sparql, box, writer, out)
        elif isinstance(results, ox.QueryTriples):
            name, ctype = formats["graph"] or formats["default"]["graph"]
            out = Out(sock, ctype)
            results.serialize(out, format=getattr(ox.RdfFormat, name))  # type: ignore[arg-type]
        else:
            name, ctype = formats["select"] or formats["default"]["select"]
            out = Out(sock, ctype)
            results.serialize(out, format=getattr(ox.QueryResultsFormat, name))
        out.close(stats)

    def solutions(self, sparql: str, box: list[Any], writer: RowWriter, out: Out) -> dict[str, int]:
        """Write the rows, resuming the query on a store opened again when over the memory.
        What it did (rows, times the store was opened again, the largest resident memory seen at
        a look, the limit at the end; bytes) goes back to the server with the end of the answer."""
        results = box.pop()
        out.write(writer.head())
        sent = peak = 0
        reopened = self.reopened
        resumable, limit = bool(self.memory), self.memory
        while results is not None:
            rows, results, resume = results, None, None
            for solution in rows:
                out.write(writer.row(solution))
                sent += 1
                if resumable and sent % CHECK_EVERY == 0:
                    now = rss()
                    peak = max(peak, now)
                    if now <= limit:
                        continue
                    text = resumed_at(sparql, sent - 1)
                    if text is None:  # cannot be resumed: go on over the limit rather than fail
                        resumable = False
                        continue
                    resume = (text, tuple(str(t) for t in solution))
                    break
            solution = None
            del rows  # the results hold the store open: let go of them before opening it again
            if resume is not None:
                results = self._resume(*resume)
                # a limit the worker cannot keep (its code, its open store and the rows skipped
                # to resume come close) would reopen the store every few rows: keep some room
                # above what it needs now (not above an earlier need: no ratchet)
                limit = max(self.memory, rss() + MIN_ROOM)
        out.write(writer.foot())
        return {"rows": sent, "reopened": self.reopened - reopened, "peak_rss": peak, "limit": limit}

    def _resume(self, text: str, last: tuple[str, ...]) -> Any:
        """The rows of ``text`` (the query from the last row sent on) but the first, from the store
        opened again (None: no more rows). That first row must be the last one sent."""
        self.reopen()
        if text == "":
            return None
        rows = self.query(text)
        again = next(iter(rows), None)
        if again is None or tuple(str(t) for t in again) != last:
            raise Failed(
                500, "the query gave its rows in another order when resumed: the answer is cut short"
            )
        return rows

    def serve(self, sock: socket.socket) -> None:
        while True:
            try:
                _, payload = receive(sock)
            except (EOFError, OSError):
                return
            msg = json.loads(payload)
            if msg.get("stop"):
                return
            try:
                self.answer(sock, msg["query"], msg["formats"])
            except Failed as e:
                send_json(sock, {"error": e.status, "message": str(e)})
            except (BrokenPipeError, ConnectionError, EOFError):
                return
            except Exception as e:  # an evaluation error (type error, unsupported function...)
                send_json(sock, {"error": 400, "message": f"query failed: {type(e).__name__}: {e}"})


def page(lang: str, store_path: str, links: dict[str, str]) -> int:  # pragma: no cover - a child process
    """Write the analyst's graph page of the store to stdout (``defkg serve``'s ``/``), or the
    query page (``lang`` "editor")."""
    from defkg import view
    from defkg.errors import DefkgError
    from defkg.store import Store

    if lang == "editor":
        from defkg.serve import editor_page

        sys.stdout.buffer.write(editor_page().encode("utf-8"))
        return 0
    try:
        with Store(store_path, read_only=True) as st:
            html = view.page_html(st, lang=lang, links=links)
    except (DefkgError, OSError) as e:
        print(f"the graph page failed: {e}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(html.encode("utf-8"))
    return 0


def main(argv: list[str]) -> int:  # pragma: no cover - runs in the worker process
    if argv[1] == "--page":
        return page(argv[2], argv[3], json.loads(argv[4]))
    sock = socket.socket(fileno=int(argv[1]))
    try:
        _, payload = receive(sock)
        config = json.loads(payload)
        try:
            worker = Worker(argv[2], int(config.get("memory") or 0))
        except Failed as e:
            send_json(sock, {"error": e.status, "message": str(e)})
            return 1
        send_json(sock, {"ready": True})
        worker.serve(sock)
    except (EOFError, OSError):
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv))
