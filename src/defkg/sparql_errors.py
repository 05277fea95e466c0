"""SPARQL syntax errors a person can act on, and "did you mean" suggestions.

Oxigraph's parser reports ``error at LINE:COLUMN: expected one of ...`` where the list may be
the character classes of a grammar rule (an unknown prefix prints every Unicode range a name
may hold). :func:`describe` turns that into ``LINE:COLUMN: what was expected``, the line with a
caret under the column, and a hint: the prefixes that exist when a prefix is unknown, the
keyword meant when a keyword is misspelt.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

# SPARQL 1.1 keywords (the grammar's terminals, https://www.w3.org/TR/sparql11-query/#grammar)
KEYWORDS = re.findall(
    r"\w+",
    "SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS GROUP BY ORDER "
    "ASC DESC HAVING LIMIT OFFSET VALUES OPTIONAL GRAPH SERVICE SILENT BIND UNDEF MINUS UNION FILTER "
    "NOT IN EXISTS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE "
    "BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS "
    "STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID "
    "STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK "
    "ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE",
)
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")

_LOCATION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
# what a query holds that is not code: strings, IRIs, comments
_NOT_CODE = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
# a prefixed name: PN_PREFIX? ':' (not part of a variable or a longer word)
_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|[\s;,.)}\]]|$)")
_WORD = re.compile(r"[A-Za-z_]+")


def suggest(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The choices closest to ``word`` (case-insensitive), best first, then those it begins."""
    by_folded: dict[str, str] = {}
    for c in choices:
        by_folded.setdefault(c.casefold(), c)
    key = word.casefold()
    starts = [c for c in by_folded if len(key) >= 3 and c.startswith(key) and c != key]
    close = difflib.get_close_matches(key, list(by_folded), n=n, cutoff=cutoff)
    return [by_folded[c] for c in dict.fromkeys([*close, *starts])][:n]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean X?)"`` or ``""``: to append to an error message."""
    close = suggest(word, choices)
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)"


def _blank(text: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (positions kept)."""
    return _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    return sum(len(x) + 1 for x in lines[: line - 1]) + min(max(col - 1, 0), len(lines[line - 1]))


def _caret(text: str, line: int, col: int) -> str:
    """Where the error is, on the same line: `` (at: … »…)`` with the text around the column and
    ``»`` before it (defkg's errors are one line)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    src = " ".join(lines[line - 1].split("\t"))
    i = min(max(col - 1, 0), len(src))
    before, after = src[max(0, i - 30) : i].lstrip(), src[i : i + 30].rstrip()
    if not before and not after:
        return ""
    dots = ("…" if i - 30 > 0 else "", "…" if i + 30 < len(src.rstrip()) else "")
    return f" (at: {dots[0]}{before.rstrip()} \u00bb{after}{dots[1]})"


def unknown_prefixes(sparql: str, known: Iterable[str]) -> list[tuple[str, int]]:
    """Prefixes used but neither predeclared (``known``) nor declared by the query, with the
    offset of their first use."""
    code = _blank(sparql)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)} | set(known)
    seen: dict[str, int] = {}
    for m in _PREFIXED.finditer(code):
        if re.match(r"\s*PREFIX\s*$", code[max(0, m.start() - 40) : m.start()], re.IGNORECASE):
            continue  # the declaration itself
        prefix = m.group(1) or ""
        if prefix not in declared and prefix not in seen:
            seen[prefix] = m.start()
    return sorted(seen.items(), key=lambda kv: kv[1])


_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w ]*?)(?=,|$)')


def _expected(raw: str) -> list[str]:
    """The parser's alternatives, readable: quoted tokens and keywords; character classes dropped."""
    if not raw.strip().startswith("expected"):
        return []
    body = re.sub(r"^expected (one of )?", "", raw.strip())
    body = re.sub(r"\[(?:[^\]\\]|\\.)*\](?:\s*\|\s*\[(?:[^\]\\]|\\.)*\])*", "", body)  # classes, [_]
    out = []
    for m in _TOKEN.finditer(body):
        if m.group(1) is not None:
            out.append(m.group(1).replace("\\\\", "\\").replace('\\"', '"'))
        elif m.group(2) and m.group(2).strip() != "Prefix not found":
            out.append(m.group(2).strip())
    return [t for t in out if t]


def describe(error: BaseException | str, sparql: str, prefixes: Mapping[str, str] | None = None) -> str:
    """A SPARQL syntax error as ``LINE:COLUMN: what was expected``, the line and a caret, and a hint.

    ``prefixes``: the prefixes the store predeclares (default: defkg's ``PREFIXES``).
    """
    if prefixes is None:
        from defkg.namespaces import PREFIXES

        prefixes = PREFIXES
    message = str(error)
    unknown = unknown_prefixes(sparql, prefixes)
    if unknown:
        prefix, offset = unknown[0]
        line, col = _line_col(sparql, offset)
        names = ", ".join(f"{p}:" for p in sorted(prefixes))
        close = did_you_mean(prefix, prefixes).replace("'?", ":'?").replace("' or", ":' or") if prefix else ""
        return (
            f"{line}:{col}: unknown prefix '{prefix}:'{close}; known prefixes: {names}; "
            f"or declare it: PREFIX {prefix or 'ex'}: <http://...>" + _caret(sparql, line, col)
        )
    m = _LOCATION.match(message.strip())
    if not m:
        return " ".join(message.split())
    line, col = int(m.group(1)), int(m.group(2))
    code = _blank(sparql)
    # a misspelt query form: "SELEC ?x ..."
    head = code.lstrip()
    while re.match(r"(?i)(PREFIX|BASE)\b", head):
        head = re.sub(r"(?is)^(PREFIX\s*[^\s:<]*:\s*|BASE\s*)\s*", "", head, count=1).lstrip()
    first = _WORD.match(head)
    if first and first.group(0).upper() not in (*_FORMS, "PREFIX", "BASE"):
        word = first.group(0)
        line, col = _line_col(sparql, len(code) - len(head))
        return (
            f"{line}:{col}: expected SELECT, CONSTRUCT, ASK or DESCRIBE, found {word!r}"
            f"{did_you_mean(word, _FORMS)}" + _caret(sparql, line, col)
        )
    unclosed = re.search(r"[\"']", code)
    if unclosed:
        line, col = _line_col(sparql, unclosed.start())
        return f"{line}:{col}: this string is not closed (a quote is missing)" + _caret(sparql, line, col)
    if "IRI parsing failed" in m.group(3):
        return f"{line}:{col}: an invalid IRI (inside <...>) ends here" + _caret(sparql, line, col)
    bare = _unknown_word(code, _offset(sparql, line, col))
    if bare is not None:
        word, offset = bare
        line, col = _line_col(sparql, offset)
        return (
            f"{line}:{col}: {word!r} is not a SPARQL keyword{did_you_mean(word.upper(), KEYWORDS)}"
            + _caret(sparql, line, col)
        )
    expected = _expected(m.group(3))
    at = _offset(sparql, line, col)
    found = ""
    w = _WORD.match(code, at)
    if w:
        found = w.group(0)
    elif at < len(code) and not code[at].isspace():
        found = code[at]
    what = "the query ends too early" if at >= len(code.rstrip()) else f"found {found!r}" if found else ""
    shown = [t if re.fullmatch(r"\w+", t) else f"'{t}'" for t in expected[:10]]
    parts = []
    if shown:
        more = ", ..." if len(expected) > len(shown) else ""
        parts.append(f"expected {'one of ' if len(shown) > 1 else ''}{', '.join(shown)}{more}")
    elif m.group(3).strip():
        parts.append(" ".join(m.group(3).split()))
    if what:
        parts.append(what)
    return f"{line}:{col}: {'; '.join(parts) or 'syntax error'}" + _caret(sparql, line, col)


# a bare word: not a variable, not part of a prefixed name, a language tag or a number
_BARE = re.compile(r"(?<![\w?$:@.^-])([A-Za-z_][A-Za-z0-9_]*)(?![\w:.-]*:)")


def _unknown_word(code: str, until: int) -> tuple[str, int] | None:
    """The first bare word up to ``until`` that is no SPARQL keyword (in SPARQL every bare word
    outside strings, IRIs, variables and prefixed names is a keyword, or ``a``)."""
    for m in _BARE.finditer(code):
        if m.start() > until:
            break
        word = m.group(1)
        if word == "a" or word.upper() in KEYWORDS or word.upper() in _EXTRA_WORDS:
            continue
        return word, m.start()
    return None


# words Oxigraph accepts besides the standard's: LATERAL, ADJUST and the like
_EXTRA_WORDS = {"LATERAL", "ADJUST", "ISTRIPLE", "TRIPLE", "SUBJECT", "PREDICATE", "OBJECT", "LANGDIR"}
