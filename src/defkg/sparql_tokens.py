"""A SPARQL 1.1 tokenizer: enough of the grammar's terminals to tell code from data.

The read-only check (``queries.check_read_only``) must know which characters of a query are
keywords and which sit inside a string, an IRI, a comment or a prefixed name: a ``#`` inside
``<http://…#label>`` or after ``dk:x\\#`` is not a comment, a ``"`` inside a comment opens no
string, and ``SERVICE`` inside a string is text. A regular expression over the whole text cannot
tell these apart; this tokenizer reads the query left to right by the terminals of the SPARQL 1.1
grammar (https://www.w3.org/TR/sparql11-query/#sparqlGrammar, section 19.8), longest match
first, and refuses any character it cannot place (so text it does not understand is never let
through unread).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from defkg.errors import QueryError

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"\\[tbnrf\"'\\]"
# PN_CHARS_BASE without the ASCII letters spelled out: any Unicode letter (no digit, no '_')
_BASE = r"[^\W\d_]"
_CHARS_U = r"[^\W\d]"  # PN_CHARS_U: PN_CHARS_BASE | '_'
_CHARS = r"[\w\-\u00B7\u0300-\u036F\u203F-\u2040]"  # PN_CHARS
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"{_BASE}(?:(?:{_CHARS}|\.)*{_CHARS})?"
_LOCAL = rf"(?:{_CHARS_U}|:|[0-9]|{_PLX})(?:(?:{_CHARS}|\.|:|{_PLX})*(?:{_CHARS}|:|{_PLX}))?"

# (kind, pattern), tried in this order at each position; the first that matches wins
_TERMINALS: tuple[tuple[str, str], ...] = (
    ("WS", r"[ \t\r\n]+"),
    ("COMMENT", r"\#[^\r\n]*"),
    ("IRI", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("STRING", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"),
    ("STRING", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'),
    ("STRING", rf"'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"),
    ("STRING", rf'"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'),
    ("VAR", r"[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+"),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("BNODE", rf"_:(?:{_CHARS_U}|[0-9])(?:(?:{_CHARS}|\.)*{_CHARS})?"),
    ("PNAME", rf"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("NUMBER", r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    ("WORD", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("PUNCT", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;|/^?*+!=<>\-]"),
)
_SCANNER = re.compile("|".join(f"(?P<{kind}{i}>{pat})" for i, (kind, pat) in enumerate(_TERMINALS)))


@dataclass(frozen=True)
class Token:
    kind: str  # WS COMMENT IRI STRING VAR LANGTAG BNODE PNAME NUMBER WORD PUNCT
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        """The word in upper case when the token is a bare word (a keyword, ``a``, a function)."""
        return self.text.upper() if self.kind == "WORD" else None


def tokens(sparql: str, *, skip_space: bool = True) -> Iterator[Token]:
    """The tokens of ``sparql`` in order (without white space and comments unless asked).

    Raises ``QueryError`` at the first character that starts no SPARQL terminal (a stray
    backslash, an unclosed string or IRI...), naming its line and column."""
    pos, n = 0, len(sparql)
    while pos < n:
        m = _SCANNER.match(sparql, pos)
        if m is None or m.end() == pos:
            line = sparql.count("\n", 0, pos) + 1
            col = pos - (sparql.rfind("\n", 0, pos) + 1) + 1
            raise QueryError(
                f"SPARQL syntax error: cannot read the query at line {line}, column {col} "
                f"({sparql[pos : pos + 12]!r}): not a SPARQL token (an unclosed string or IRI?)"
            )
        kind = (m.lastgroup or "").rstrip("0123456789")
        if not (skip_space and kind in ("WS", "COMMENT")):
            yield Token(kind, m.group(), pos)
        pos = m.end()


def keywords(sparql: str) -> list[str]:
    """Every bare word of the query, upper case, in order."""
    return [t.text.upper() for t in tokens(sparql) if t.kind == "WORD"]


def variables(sparql: str) -> set[str]:
    """The names of the variables the query mentions (``?x`` and ``$x`` are both ``x``)."""
    return {t.text[1:] for t in tokens(sparql) if t.kind == "VAR"}
