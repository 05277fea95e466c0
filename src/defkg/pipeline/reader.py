"""First stage: read files into ``Article``s (plain text with front matter, JSON Lines, HTML).

Every problem with an input is an ``InputError`` naming the file (and line for JSON
Lines) and the reason; it is yielded, not raised, so the other inputs of a batch are
still read. Oddities that do not stop reading (a legacy Turkish encoding, an HTML page
saved as ``.txt``) are yielded as ``InputWarning``s just before the article.

Limits: a text or HTML file over ``MAX_BYTES`` (5 MB) is refused without being read;
in a JSON Lines file the limit applies to each line (the file itself is streamed). An
article whose text (after front matter and HTML) is over ``MAX_CHARS`` (200 000
characters) is refused too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from defkg.errors import InputError, InputWarning
from defkg.model import Article
from defkg.pipeline import language, sentences
from defkg.textnorm import normalize

MAX_BYTES = 5_000_000  # larger files are refused: no news report (or its HTML page) is this long
MAX_CHARS = 200_000  # longer article texts are refused: a report is a few thousand characters, and
# conversion time grows with the text (about a minute per megabyte)
TEXT_SUFFIXES = {".txt", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

Item = Article | InputError | InputWarning

_FRONT = re.compile(r"\A---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_KNOWN_KEYS = {"url", "published", "title", "publisher", "language", "lang", "date"}
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|article|section|h[1-6]|ul|li|table|script|style|meta)\b[^>]*>", re.IGNORECASE
)
# characters that have no place in a news report: C0/C1 controls other than tab and newlines (surrogates
# as escapes the regex reads: mypyc takes no surrogate in a string literal)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF file (audio/image)"),
)


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str, source: str | None) -> date:
    v = value.strip().strip("'\"")
    try:
        d = date.fromisoformat(v[:10])
    except ValueError:
        d = None
    if d is None or (len(v) > 10 and v[10] not in "T "):
        raise InputError(f"'published' is not a date (YYYY-MM-DD): {value[:40]!r}", source)
    return d


def _plausible(text: str) -> bool:
    """Decoded text that looks like prose, not binary data read as a legacy code page."""
    if not text:
        return False
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd")
    return bad <= max(2, len(text) // 1000)


def decode(data: bytes, source: str | None) -> tuple[str, str | None]:
    """Text and a warning (or ``None``). Refuses empty, oversized and binary data."""
    if not data.strip():
        raise InputError("empty file", source)
    if len(data) > MAX_BYTES:
        raise InputError(f"file too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})", source)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary content ({what}): not a text article", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16 text: decoded (UTF-8 is expected)"
        except UnicodeDecodeError:
            raise InputError("broken UTF-16 text", source) from None
    if b"\x00" in data[:65536]:
        raise InputError("binary content (NUL bytes): not a text article", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first_bad = e.start
    else:
        if not _plausible(text):
            raise InputError("binary content (control characters): not a text article", source)
        return text, None
    # Not UTF-8. Turkish legacy code pages first: Windows-1254 is a superset of ISO-8859-9's
    # letters (and of Windows-1252's, bar six Turkish letters), so it also reads Western text.
    for enc, name in (("cp1254", "Turkish Windows-1254 (ISO-8859-9)"), ("iso-8859-9", "Turkish ISO-8859-9")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, f"not UTF-8 (invalid byte at offset {first_bad}): decoded as {name}"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _plausible(str(best)):
        return str(best), f"not UTF-8 (invalid byte at offset {first_bad}): decoded as {best.encoding}"
    raise InputError(
        f"not UTF-8 (invalid byte at offset {first_bad}) and not text in a known encoding", source
    )


def parse_front_matter(text: str, source: str | None) -> tuple[dict[str, str], str]:
    if not _FRONT_OPEN.match(text):  # no front matter (a first line like '-----' is text)
        return {}, text
    m = _FRONT.match(text)
    if not m:
        raise InputError("front matter: opening '---' without a closing '---'", source)
    meta: dict[str, str] = {}
    for n, line in enumerate((m.group(1) or "").splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        km = _KEY.match(line)
        if not km:
            got = line.strip()[:60]
            raise InputError(f"front matter line {n}: expected 'key: value', got {got!r}", source)
        meta[km.group(1).lower()] = km.group(2).strip().strip("'\"")
    return meta, text[m.end() :]


def clean(text: str) -> str:
    """Normalised text with Unix newlines and no control characters."""
    text = normalize(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text)


_DATE_LINE = re.compile(r"\b(1[89]|20)\d\d\b|\d{1,2}[:.]\d{2}")


def _headline(text: str) -> str | None:
    """The first line that reads as a headline: several words, not a date or time stamp."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines[:8]:
        if len(ln.split()) >= 4 and not (_DATE_LINE.search(ln) and len(ln.split()) <= 8):
            return ln
    return lines[0] if lines else None


def make_article(body: str, meta: dict[str, str], source: str | None) -> Article:
    if _SURROGATE.search(body):
        raise InputError("text contains lone surrogates (not valid Unicode)", source)
    text = clean(body).strip()
    if not text:
        raise InputError("no article text (only whitespace or front matter)", source)
    if len(text) > MAX_CHARS:
        raise InputError(
            f"article text too long ({len(text):,} characters; the limit is {MAX_CHARS:,})", source
        )
    lang = meta.get("language") or meta.get("lang") or language.detect(text, source)
    lang = lang.strip().lower()
    if lang not in ("tr", "en"):
        raise InputError(f"unsupported language {lang!r} (defkg reads tr and en)", source)
    published = meta.get("published") or meta.get("date")
    title = meta.get("title") or _headline(text)
    return Article(
        id=article_id(text),
        text=text,
        language=lang,
        url=meta.get("url") or None,
        published=parse_date(published, source) if published else None,
        title=(clean(title).strip() or None) if title else None,
        publisher=meta.get("publisher") or None,
        source=source,
        sentences=sentences.split(text, lang),
    )


def read_text(text: str, source: str | None = None, meta: dict[str, str] | None = None) -> Article:
    """An article from text (front matter allowed)."""
    front, body = parse_front_matter(normalize(text), source)
    return make_article(body, {**(meta or {}), **front}, source)


def looks_like_html(text: str) -> bool:
    """An HTML page (or a large fragment of one), whatever the file is called."""
    head = text[:2000]
    if _HTML_START.match(head):
        return True
    tags = _HTML_TAG.findall(text[:20000])
    return len(tags) >= 5 and sum(map(len, tags)) > 0.05 * min(len(text), 20000)


def _html_text(html: str, source: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    try:
        body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
        md = trafilatura.extract_metadata(html)
    except Exception as e:  # trafilatura/lxml on hostile markup: report, never crash the batch
        raise InputError(f"HTML that cannot be parsed ({type(e).__name__})", source) from None
    if not body:
        body = _strip_tags(html)
    if not body or not body.strip():
        raise InputError("HTML page without a main text", source)
    meta: dict[str, str] = {}
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


def _strip_tags(html: str) -> str:
    """Fallback text of a fragment trafilatura finds no main text in."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style|//nav|//header|//footer"):
            bad.drop_tree()
        return "\n".join(t.strip() for t in root.itertext() if t.strip())
    except Exception:
        return ""


def _read_bytes(path: Path, source: str) -> bytes:
    if not path.is_file():
        raise InputError("not a regular file", source)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file too large ({size:,} bytes; the limit is {MAX_BYTES:,})", source)
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes] | InputError]:
    """(line number, raw bytes) of each non-blank line of a JSON Lines file, streamed; an
    oversized line yields an ``InputError`` and reading goes on. A file that is empty or
    binary yields one ``InputError`` and nothing else."""
    source = str(path)
    try:
        if not path.is_file():
            yield InputError("not a regular file", source)
            return
        with path.open("rb") as f:
            head = f.read(65536)
            if not head.strip():
                yield InputError("empty file", source)
                return
            what = next((w for magic, w in _MAGIC if head.startswith(magic)), None)
            if what or b"\x00" in head:
                yield InputError(f"binary content ({what or 'NUL bytes'}): not JSON Lines", source)
                return
            f.seek(0)
            n = 0
            while True:
                raw = f.readline(MAX_BYTES + 1)
                if not raw:
                    break
                n += 1
                if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                        raw = f.readline(MAX_BYTES + 1)
                    yield InputError(f"line too long (over {MAX_BYTES:,} bytes)", source, n)
                elif raw.strip():
                    yield n, raw
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", source)


def read_jsonl_line(raw: bytes | str, source: str, n: int) -> Article:
    """The article of line ``n`` of a JSON Lines file: an object with a ``text`` string and
    optional ``url``, ``published``, ``title``, ``publisher``, ``language``. ``InputError`` naming
    ``source:n`` otherwise."""
    try:
        obj = json.loads(raw)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 (invalid byte at offset {e.start})", source, n) from None
    except RecursionError:
        raise InputError("bad JSON line: nested too deeply", source, n) from None
    except ValueError as e:
        reason = str(e).splitlines()[0] if str(e) else repr(e)
        raise InputError(f"bad JSON line: {reason}", source, n) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError("bad JSON line: expected an object with a 'text' string", source, n)
    meta = {
        k: str(obj[k])
        for k in ("url", "published", "title", "publisher", "language", "lang")
        if obj.get(k) is not None and not isinstance(obj[k], dict | list) and str(obj[k]).strip()
    }
    return make_article(obj["text"], meta, f"{source}:{n}")


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Articles of a JSON Lines file; a bad line yields an ``InputError`` and reading goes on."""
    for item in jsonl_lines(path):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield read_jsonl_line(item[1], str(path), item[0])
        except InputError as e:
            yield e


def read_path(path: Path) -> Iterator[Item]:
    """Articles of one file (several for JSON Lines); errors and warnings are yielded, not raised."""
    source = str(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(path)
            return
        text, warning = decode(_read_bytes(path, source), source)
        if warning:
            yield InputWarning(warning, source)
        if path.suffix.lower() in HTML_SUFFIXES:
            body, meta = _html_text(text, source)
            yield make_article(body, meta, source)
            return
        front, body = parse_front_matter(normalize(text), source)
        if looks_like_html(body):
            yield InputWarning("HTML in a text file: read the page's main text", source)
            body, meta = _html_text(body, source)
            yield make_article(body, {**meta, **front}, source)
            return
        yield make_article(body, front, source)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror or e}", source)


@lru_cache(maxsize=1)
def _not_reports() -> dict[str, str]:
    """stem -> reason, from ``data/not_reports.tsv``."""
    text = resources.files("defkg").joinpath("data", "not_reports.tsv").read_text(encoding="utf-8")
    rows = (ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    return {stem.strip().lower(): reason.strip() for stem, reason in rows}


def skip_reason(path: Path) -> str | None:
    """Why a file found in a directory is not read as a report (``None``: it is read)."""
    name = path.name.lower()
    if name.startswith("."):
        return "hidden file"
    for stem, reason in _not_reports().items():
        if name == stem or (name.startswith(stem) and name[len(stem)] in "._-"):
            return reason
    if name.endswith((".eval.json", ".expected.json")):
        return "gold annotations, not a report"
    if path.suffix.lower() not in SUFFIXES - {""}:
        reads = ", ".join(sorted(SUFFIXES - {""}))
        return f"not an article format ({path.suffix or 'no suffix'}; reads {reads})"
    return None


def expand(paths: list[Path], skipped: list[tuple[Path, str]] | None = None) -> Iterator[Path]:
    """Article files under the given paths, in a stable order.

    A file named explicitly is always yielded. In a directory, only files that look like reports
    are: hidden files and directories, README, licence, notes and changelog files, gold
    annotations and files of other formats are not (see ``skip_reason``); each one skipped is
    appended to ``skipped`` with the reason (a hidden directory once, not each file in it)."""
    for p in paths:
        if not p.is_dir():
            yield p
            continue
        found: list[tuple[Path, str | None]] = []
        for root, dirs, files in os.walk(p):
            for d in [d for d in dirs if d.startswith(".")]:
                dirs.remove(d)  # never walk into .git and the like
                found.append((Path(root, d), "hidden directory"))
            found += [(Path(root, f), skip_reason(Path(root, f))) for f in files]
        for f, reason in sorted(found):
            if reason is None:
                if f.is_file():
                    yield f
            elif skipped is not None:
                skipped.append((f, reason))
