"""The README's "Python API" section runs as written (from the repository's root)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- api:start -->(.*?)<!-- api:end -->", text, re.DOTALL)
    assert section, "the README has no <!-- api:start --> ... <!-- api:end --> section"
    return re.findall(r"```python\n(.*?)```", section.group(1), re.DOTALL)


def test_the_readme_shows_the_api() -> None:
    code = "\n".join(_blocks())
    for call in (
        "defkg.open(",
        ".ingest(",
        ".query(",
        ".rows",
        ".to_pandas()",
        ".explain(",
        ".network(",
        ".rdflib()",
    ):
        assert call in code


def test_readme_python_api_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the repository's inputs, seen from a scratch directory (the store and exports go there)
    os.symlink(ROOT / "examples", tmp_path / "examples")
    os.symlink(ROOT / "tests", tmp_path / "tests")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    for i, block in enumerate(_blocks()):
        exec(compile(block, f"README.md api block {i + 1}", "exec"), namespace)
    out = capsys.readouterr().out
    assert out.startswith("2 []\n")
    assert "https://w3id.org/defkg/id/person/tur/guler-yasar" in out
    assert (tmp_path / "graphs" / "states.gexf").is_file() and (tmp_path / "exports" / "defkg.ttl").is_file()


def test_readme_sparql_examples_run(tmp_path: Path) -> None:
    """Every ```sparql block of the README answers on a store of the bundled sample."""
    import defkg

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sparql\n(.*?)```", text, re.DOTALL)
    assert examples, "the README shows no SPARQL"
    kg = defkg.open(tmp_path / "store")
    kg.ingest([str(ROOT / "examples")])
    for sparql in examples:
        rows = kg.query(sparql).rows
        assert rows, f"no rows for the README's query:\n{sparql}"
        assert all(None not in row.values() for row in rows)
