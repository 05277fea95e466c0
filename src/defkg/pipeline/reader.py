"""First stage: read files into ``Article``s (plain text with front matter, JSON Lines, HTML).

Every problem with an input is an ``InputError`` naming the file (and line for JSON
Lines) and the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from defkg.errors import InputError
from defkg.model import Article
from defkg.pipeline import language, sentences
from defkg.textnorm import normalize

MAX_BYTES = 5_000_000  # larger files are refused: no news report is this long
TEXT_SUFFIXES = {".txt", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_KNOWN_KEYS = {"url", "published", "title", "publisher", "language", "lang", "date"}


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str, source: str | None) -> date:
    try:
        return date.fromisoformat(value.strip().strip("'\"")[:10])
    except ValueError:
        raise InputError(f"front matter: 'published' is not a date (YYYY-MM-DD): {value!r}", source) from None


def decode(data: bytes, source: str | None) -> tuple[str, str | None]:
    """Text and a warning (or ``None``). Refuses binary data."""
    if not data.strip():
        raise InputError("empty file", source)
    if len(data) > MAX_BYTES:
        raise InputError(f"file too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})", source)
    if b"\x00" in data[:65536]:
        raise InputError("binary content (NUL bytes): not a text article", source)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1254", errors="replace")
    if sum(ch == "\ufffd" for ch in text) > 3 or sum(not (c.isprintable() or c.isspace()) for c in text) > len(text) / 50:
        raise InputError("not UTF-8 and not Turkish Windows-1254/ISO-8859-9 text", source)
    return text, "not UTF-8: decoded as Turkish Windows-1254"


def parse_front_matter(text: str, source: str | None) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        return {}, text
    m = _FRONT.match(text)
    if not m:
        raise InputError("front matter: opening '---' without a closing '---'", source)
    meta: dict[str, str] = {}
    for n, line in enumerate(m.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        km = _KEY.match(line)
        if not km:
            raise InputError(f"front matter line {n}: expected 'key: value', got {line.strip()[:60]!r}", source)
        meta[km.group(1).lower()] = km.group(2).strip().strip("'\"")
    return meta, text[m.end() :]


def make_article(body: str, meta: dict[str, str], source: str | None) -> Article:
    text = normalize(body).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError("no text after the front matter", source)
    lang = meta.get("language") or meta.get("lang") or language.detect(text, source)
    if lang not in ("tr", "en"):
        raise InputError(f"unsupported language {lang!r} (defkg reads tr and en)", source)
    published = meta.get("published") or meta.get("date")
    title = meta.get("title") or next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    return Article(
        id=article_id(text),
        text=text,
        language=lang,
        url=meta.get("url") or None,
        published=parse_date(published, source) if published else None,
        title=title,
        publisher=meta.get("publisher") or None,
        source=source,
        sentences=sentences.split(text),
    )


def read_text(text: str, source: str | None = None, meta: dict[str, str] | None = None) -> Article:
    """An article from text (front matter allowed)."""
    front, body = parse_front_matter(normalize(text), source)
    return make_article(body, {**(meta or {}), **front}, source)


def _html_text(html: str, source: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not body:
        raise InputError("HTML page without a main text", source)
    meta: dict[str, str] = {}
    md = trafilatura.extract_metadata(html)
    if md is not None:
        if md.title:
            meta["title"] = md.title
        if md.url:
            meta["url"] = md.url
        if md.date:
            meta["published"] = md.date
        if md.sitename:
            meta["publisher"] = md.sitename
    if meta.get("title") and not body.startswith(meta["title"]):
        body = meta["title"] + "\n\n" + body
    return body, meta


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Articles of a JSON Lines file; a bad line yields an ``InputError`` and reading goes on."""
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError("expected an object with a 'text' string")
                meta = {k: str(obj[k]) for k in ("url", "published", "title", "publisher", "language")
                        if obj.get(k)}
                yield make_article(obj["text"], meta, f"{path}:{n}")
            except InputError as e:
                yield e
            except (ValueError, UnicodeDecodeError) as e:
                yield InputError(f"bad JSON line: {e}", str(path), n)


def read_path(path: Path) -> Iterator[Article | InputError]:
    """Articles of one file (several for JSON Lines); errors are yielded, not raised."""
    source = str(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(path)
            return
        text, warning = decode(path.read_bytes(), source)
        del warning  # reported by the caller through warnings() when wanted
        if path.suffix.lower() in HTML_SUFFIXES or re.match(r"\s*<(!doctype html|html)", text[:200], re.I):
            body, meta = _html_text(text, source)
            yield make_article(body, meta, source)
            return
        yield read_text(text, source)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", source)


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths, in a stable order (``.eval.json`` and hidden files skipped)."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in SUFFIXES - {""}:
                    yield f
        else:
            yield p
