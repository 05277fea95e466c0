"""Only reports become articles: a directory's README, licence, notes and gold files are skipped,
each named on stderr with the reason and counted in the summary; a file named explicitly is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg.cli.main import cli
from defkg.ingest import ingest
from defkg.pipeline import reader

REPORT = (
    "The defence minister of Ruritania met the chief of the general staff of Türkiye in Ankara on "
    "3 March 2025 to discuss training and defence industry cooperation."
)
# a README that reads like a report: ingested, it would invent a meeting
README = (
    "# Sample corpus\n\nThe defence minister of Japan met the defence minister of the United Kingdom "
    "in London on 5 May 2025. These files are examples.\n"
)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("README.md", "README"),
        ("readme.txt", "README"),
        ("LICENSE", "licence"),
        ("LICENCE.md", "licence"),
        ("NOTES_en.md", "notes"),
        ("notes-tr.txt", "notes"),
        ("CHANGELOG.md", "changelog"),
        ("CONTRIBUTING.md", "contribution"),
        (".gitignore", "hidden"),
        ("a.eval.json", "gold"),
        ("b.expected.json", "gold"),
        ("script.py", "not an article format"),
    ],
)
def test_skip_reason(name: str, why: str) -> None:
    reason = reader.skip_reason(Path(name))
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "name",
    ["report.txt", "readmission-talks.txt", "licensing-deal.md", "notebook.html", "feed.jsonl"],
)
def test_reports_are_read(name: str) -> None:
    assert reader.skip_reason(Path(name)) is None


def _corpus(d: Path) -> Path:
    d.mkdir()
    (d / "01_report.txt").write_text(REPORT, encoding="utf-8")
    (d / "README.md").write_text(README, encoding="utf-8")
    (d / "NOTES_en.md").write_text(README, encoding="utf-8")
    (d / "01_report.eval.json").write_text("{}", encoding="utf-8")
    (d / ".git").mkdir()
    (d / ".git" / "HEAD.txt").write_text(README, encoding="utf-8")
    return d


def test_directory_with_a_readme_ingests_without_it(tmp_path: Path) -> None:
    d = _corpus(tmp_path / "corpus")
    result = CliRunner().invoke(cli, ["ingest", str(d), "--store", str(tmp_path / "store"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert f"defkg: skipped {d / 'README.md'}: a README, not a report\n" in err
    assert f"defkg: skipped {d / 'NOTES_en.md'}: a notes file, not a report\n" in err
    assert f"defkg: skipped {d / '01_report.eval.json'}: gold annotations, not a report\n" in err
    assert f"defkg: skipped {d / '.git'}: hidden directory\n" in err
    assert "HEAD.txt" not in err
    assert "ingested 1 article(s)" in err and "skipped 4 file(s) that are not reports" in err
    count = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a dk:Article }"
    out = CliRunner().invoke(cli, ["query", count, "--store", str(tmp_path / "store"), "--format", "csv"])
    assert out.stdout.splitlines()[1] == "1"
    # nothing from the README: no meeting in London, no Japan
    ask = "ASK { ?s dk:iso3 'JPN' }"
    out = CliRunner().invoke(cli, ["query", ask, "--store", str(tmp_path / "store"), "--format", "csv"])
    assert out.stdout.splitlines()[1] == "false"


def test_named_files_are_still_read(tmp_path: Path) -> None:
    d = _corpus(tmp_path / "corpus")
    report = ingest([d / "README.md"], tmp_path / "store", jobs=1)
    assert report.articles == 1 and report.skipped == []


def test_quiet_lists_nothing(tmp_path: Path) -> None:
    d = _corpus(tmp_path / "corpus")
    result = CliRunner().invoke(
        cli, ["ingest", str(d), "--store", str(tmp_path / "store"), "--jobs", "1", "--quiet"]
    )
    assert result.exit_code == 0 and "skipped" not in result.stderr


def test_workers_collect_garbage_less_often_the_caller_keeps_its_settings(tmp_path: Path) -> None:
    """The ingest's worker processes raise the cyclic collector's thresholds (ingest.py,
    WORKER_GC_THRESHOLDS); the process that calls ``ingest`` keeps its own."""
    import gc

    from defkg import ingest as ingest_module

    pool = ingest_module._pool(1)
    try:
        assert pool.submit(gc.get_threshold).result(timeout=60) == ingest_module.WORKER_GC_THRESHOLDS
    finally:
        pool.shutdown()
    mine = gc.get_threshold()
    assert mine != ingest_module.WORKER_GC_THRESHOLDS
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(ingest_module.SERIAL_BELOW + 2):  # enough for worker processes
        (corpus / f"r{i}.txt").write_text(REPORT.replace("3 March", f"{i + 1} March"), encoding="utf-8")
    report = ingest([corpus], tmp_path / "store", jobs=2, bar=False)
    assert report.articles == ingest_module.SERIAL_BELOW + 2
    assert gc.get_threshold() == mine
