"""Bad input: every bad file gets a one-line error naming it (and the line, for JSON Lines), the
exit code is non-zero, and the other files of the same batch land."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg.cli.main import cli
from defkg.errors import InputError, InputWarning
from defkg.ingest import ingest
from defkg.model import Article
from defkg.pipeline import reader
from defkg.store import open_store

# Our own short reports (not copied from any corpus).
EN = (
    "Defence ministers meet in Ankara\n\n"
    "The defence minister of the United Kingdom met the Turkish chief of the general staff in Ankara "
    "on Monday. The two sides said that the talks were useful and that they will meet again in London."
)
TR = (
    "Ankara'da savunma görüşmesi\n\n"
    "Millî Savunma Bakanı, İngiltere Savunma Bakanı ile Ankara'da bir araya geldi. Görüşmede ikili "
    "ilişkiler ve bölgesel güvenlik konuları ele alındı ve iki bakan işbirliği için çalışmaya devam "
    "edeceklerini söyledi."
)
NO_MEETING = (
    "The weather in London was sunny on Monday and the people of the city went to the parks "
    "with their children, as they do every year in the spring."
)
DE = (
    "Der Verteidigungsminister traf sich am Montag mit seinem Amtskollegen. Die beiden Minister "
    "sprachen über die Zusammenarbeit der Streitkräfte, über die Lage im Schwarzen Meer und über "
    "gemeinsame Übungen, die im nächsten Jahr stattfinden sollen."
)
FR = (
    "Le ministre de la Défense a rencontré lundi son homologue turc. Les deux ministres ont discuté "
    "de la coopération en matière de défense, de la situation en mer Noire et des exercices "
    "militaires conjoints prévus pour l'année prochaine."
)
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Defence ministers meet in Ankara</title></head><body>"
    "<nav>Home | News | Contact</nav><article><h1>Defence ministers meet in Ankara</h1>"
    "<p>The defence minister of the United Kingdom met the Turkish chief of the general staff in "
    "Ankara on Monday.</p><p>The two sides said that the talks were useful and that they will meet "
    "again in London next year.</p></article><footer>All rights reserved</footer></body></html>"
)


def tiny_png() -> bytes:
    """A valid 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


# (file name, content, expected error text) — each must be refused with that reason.
BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n\t \n", "empty file"),
    ("nul.txt", b"The minister met \x00\x00\x00 in Ankara and the talks were good.", "binary content"),
    ("image.txt", tiny_png(), "binary content (a PNG image)"),
    ("image.png.md", tiny_png(), "binary content (a PNG image)"),
    ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary content (a PDF document)"),
    ("random.txt", bytes(range(1, 256)) * 40, "not text in a known encoding"),
    ("unclosed.txt", ("---\nurl: https://example.org/1\n" + EN).encode(), "without a closing '---'"),
    ("badline.txt", ("---\nthis is not a key\n---\n" + EN).encode(), "front matter line 2"),
    ("baddate.txt", ("---\npublished: yesterday\n---\n" + EN).encode(), "'published' is not a date"),
    ("baddate2.txt", ("---\npublished: 2026-02-30\n---\n" + EN).encode(), "'published' is not a date"),
    ("baddate3.txt", ("---\npublished: 2026-01-15xyz\n---\n" + EN).encode(), "'published' is not a date"),
    ("onlyfront.txt", b"---\nurl: https://example.org/1\n---\n\n\n", "no article text"),
    ("badlang.txt", ("---\nlanguage: de\n---\n" + DE).encode(), "unsupported language 'de'"),
    ("german.txt", DE.encode(), "unknown language"),
    ("numbers.txt", b"12 34 56 78 90 ... 2026-01-01", "no words"),
    ("html-empty.html", b"<html><head><title></title></head><body></body></html>", "without a main text"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_with_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    items = list(reader.read_path(f))
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and not any(isinstance(i, Article) for i in items), items
    msg = str(errors[0])
    assert msg.startswith(f"{f}: "), msg
    assert reason in msg
    assert "\n" not in msg


def test_french_is_unknown_language(tmp_path: Path) -> None:
    f = tmp_path / "french.txt"
    f.write_text(FR, encoding="utf-8")
    (item,) = reader.read_path(f)
    assert isinstance(item, InputError) and "language" in str(item)


def test_oversized_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    f = tmp_path / "huge.txt"
    f.write_text(EN * 10, encoding="utf-8")
    (item,) = reader.read_path(f)
    assert isinstance(item, InputError)
    assert "file too large" in str(item) and "the limit is 1,000" in str(item)


def test_overlong_article_text_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text((EN + "\n") * (reader.MAX_CHARS // len(EN) + 2), encoding="utf-8")
    assert f.stat().st_size < reader.MAX_BYTES
    (item,) = reader.read_path(f)
    assert isinstance(item, InputError)
    assert "article text too long" in str(item) and f"the limit is {reader.MAX_CHARS:,}" in str(item)


def test_max_bytes_is_documented() -> None:
    readme = Path(__file__).parent.parent / "README.md"
    if not readme.exists():
        pytest.skip("no README yet")
    text = readme.read_text(encoding="utf-8")
    if "## Reliability" not in text:
        pytest.skip("no Reliability section yet")
    assert f"{reader.MAX_BYTES // 1_000_000} MB" in text
    assert f"{reader.MAX_CHARS:,}".replace(",", " ") + " characters" in text


@pytest.mark.parametrize("encoding", ["cp1254", "iso-8859-9"])
def test_turkish_legacy_encoding_is_decoded_with_warning(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / f"{encoding}.txt"
    f.write_bytes(TR.encode(encoding))
    warning, article = reader.read_path(f)
    assert isinstance(warning, InputWarning)
    assert str(warning).startswith(f"{f}: not UTF-8") and "Turkish" in str(warning)
    assert isinstance(article, Article)
    assert article.language == "tr"
    assert "Millî Savunma Bakanı, İngiltere" in article.text
    assert "ğ" not in article.text or "işbirliği" in article.text


def test_utf8_with_bom_and_crlf_reads_cleanly(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(("\ufeff---\r\npublished: 2026-01-15\r\n---\r\n" + EN.replace("\n", "\r\n")).encode())
    (article,) = reader.read_path(f)
    assert isinstance(article, Article)
    assert article.published is not None and article.published.isoformat() == "2026-01-15"
    assert "\r" not in article.text


def test_html_in_a_text_file_is_extracted_with_warning(tmp_path: Path) -> None:
    f = tmp_path / "page.txt"
    f.write_text(HTML_PAGE, encoding="utf-8")
    warning, article = reader.read_path(f)
    assert isinstance(warning, InputWarning) and "HTML" in str(warning) and str(f) in str(warning)
    assert isinstance(article, Article)
    assert "<" not in article.text and "met the Turkish chief" in article.text
    assert "All rights reserved" not in article.text
    assert article.title == "Defence ministers meet in Ankara"


def test_html_file_reads_without_warning(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(HTML_PAGE, encoding="utf-8")
    (article,) = reader.read_path(f)
    assert isinstance(article, Article) and "met the Turkish chief" in article.text


def test_control_characters_are_removed(tmp_path: Path) -> None:
    f = tmp_path / "ctl.txt"
    f.write_text(EN.replace("Monday", "Mon\x07day\x1b"), encoding="utf-8")
    (article,) = reader.read_path(f)
    assert isinstance(article, Article)
    assert "\x07" not in article.text and "\x1b" not in article.text


def test_a_first_line_of_dashes_is_not_front_matter() -> None:
    article = reader.read_text("-----\n" + EN)
    assert article.text.startswith("-----")
    empty_front = reader.read_text("---\n---\n" + EN)
    assert empty_front.text.startswith("Defence ministers")


# JSON Lines: (line, expected error on that line or None when the line lands)
JSONL_LINES = [
    (json.dumps({"text": EN + " A feed.", "url": "https://example.org/1", "published": "2026-01-15"}), None),
    ("not json at all", "bad JSON line"),
    ("[1, 2, 3]", "expected an object with a 'text' string"),
    (json.dumps({"text": 42}), "expected an object with a 'text' string"),
    (json.dumps({"text": "   "}), "no article text"),
    (json.dumps({"text": EN, "published": "last week"}), "'published' is not a date"),
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    (json.dumps({"text": DE}), "unknown language"),
    (json.dumps({"text": "\ud800 " + EN}), "lone surrogates"),
    (json.dumps({"text": TR + " Akşam.", "title": {"nested": "object"}}), None),
    (json.dumps({"text": NO_MEETING + " Again."}), None),
]


def _jsonl(tmp_path: Path) -> Path:
    f = tmp_path / "feed.jsonl"
    raw = "\n\n".join(line for line, _ in JSONL_LINES).encode("utf-8")
    raw += b"\n" + b'{"text": "bad \xff byte"}' + b"\n"
    f.write_bytes(raw)
    return f


def test_jsonl_bad_lines_are_reported_with_line_numbers_and_good_lines_land(tmp_path: Path) -> None:
    f = _jsonl(tmp_path)
    items = list(reader.read_path(f))
    expected = [(2 * i + 1, reason) for i, (_, reason) in enumerate(JSONL_LINES)]
    expected.append((2 * len(JSONL_LINES), "not UTF-8"))
    assert len(items) == len(expected)
    for item, (line, reason) in zip(items, expected, strict=True):
        if reason is None:
            assert isinstance(item, Article), item
            assert item.source == f"{f}:{line}"
        else:
            assert isinstance(item, InputError), (line, item)
            assert str(item).startswith(f"{f}:{line}: "), str(item)
            assert reason in str(item)


def test_jsonl_empty_binary_and_long_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    assert [str(e) for e in reader.read_path(empty)] == [f"{empty}: empty file"]
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(tiny_png())
    (e,) = reader.read_path(binary)
    assert isinstance(e, InputError) and "binary content" in str(e)
    monkeypatch.setattr(reader, "MAX_BYTES", 2000)
    long = tmp_path / "long.jsonl"
    long.write_text(json.dumps({"text": EN * 20}) + "\n" + json.dumps({"text": EN}) + "\n", encoding="utf-8")
    first, second = reader.read_path(long)
    assert isinstance(first, InputError) and str(first).startswith(f"{long}:1: line too long")
    assert isinstance(second, Article) and second.source == f"{long}:2"


def test_no_meeting_is_an_article_without_facts(tmp_path: Path) -> None:
    f = tmp_path / "weather.txt"
    f.write_text(NO_MEETING, encoding="utf-8")
    report = ingest([f], tmp_path / "store", jobs=1)
    assert report.ok and report.articles == 1 and report.meetings == 0
    with open_store(tmp_path / "store", read_only=True) as st:
        assert bool(st.query("ASK { ?a a dk:Article }"))
        assert not bool(st.query("ASK { ?m a dk:Meeting }"))


def _batch(tmp_path: Path) -> Path:
    d = tmp_path / "batch"
    d.mkdir()
    for name, content, _ in BAD_FILES:
        (d / name).write_bytes(content)
    (d / "good-en.txt").write_text("---\npublished: 2026-01-15\n---\n" + EN, encoding="utf-8")
    (d / "good-tr.txt").write_text(TR, encoding="utf-8")
    (d / "legacy.txt").write_bytes(TR.replace("Ankara'da bir", "Ankara'da yine bir").encode("cp1254"))
    (d / "page.txt").write_text(HTML_PAGE.replace("Monday", "Tuesday"), encoding="utf-8")
    (d / "weather.txt").write_text(NO_MEETING, encoding="utf-8")
    _jsonl(d)
    return d


GOOD_IN_BATCH = 5 + sum(1 for _, reason in JSONL_LINES if reason is None)


@pytest.mark.parametrize("jobs", [1, 2])
def test_cli_batch_reports_each_bad_file_and_stores_the_good_ones(tmp_path: Path, jobs: int) -> None:
    d = _batch(tmp_path)
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["ingest", str(d), "--store", str(store), "--jobs", str(jobs)])
    assert result.exit_code == 1, result.output
    err = result.stderr
    lines = err.splitlines()
    for name, _, reason in BAD_FILES:
        hits = [ln for ln in lines if ln.startswith(f"defkg: {d / name}: ")]
        assert len(hits) == 1 and reason in hits[0], (name, err)
    for i, (_, reason) in enumerate(JSONL_LINES):
        if reason:
            assert any(
                ln.startswith(f"defkg: {d / 'feed.jsonl'}:{2 * i + 1}: ") and reason in ln for ln in lines
            )
    warnings = [ln for ln in lines if ln.startswith("defkg: warning: ")]
    assert any(str(d / "legacy.txt") in w and "Turkish" in w for w in warnings), err
    assert any(str(d / "page.txt") in w and "HTML" in w for w in warnings), err
    assert f"ingested {GOOD_IN_BATCH} article(s)" in err
    assert "Traceback" not in result.output
    with open_store(store, read_only=True) as st:
        n = int(next(iter(st.query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a dk:Article }")))["n"].value)
    assert n == GOOD_IN_BATCH


def test_library_report_carries_warnings(tmp_path: Path) -> None:
    d = _batch(tmp_path)
    report = ingest([d], tmp_path / "store", jobs=1)
    assert report.articles == GOOD_IN_BATCH
    assert len(report.errors) == len(BAD_FILES) + sum(1 for _, r in JSONL_LINES if r) + 1
    assert sorted(w.split(": ", 1)[0] for w in report.warnings) == sorted(
        [str(d / "legacy.txt"), str(d / "page.txt")]
    )


def test_unreadable_and_missing_paths(tmp_path: Path) -> None:
    d = tmp_path / "adir.txt"
    d.mkdir()
    (item,) = reader.read_path(d)
    assert isinstance(item, InputError) and "not a regular file" in str(item)
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output
