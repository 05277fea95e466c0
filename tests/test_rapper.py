"""An independent parser reads the exports: raptor's ``rapper`` (C, not Oxigraph, not rdflib)
parses the Turtle and TriG that ``defkg export`` writes, to the same triples Oxigraph reads.

`.ci/run` installs rapper (Debian's raptor2-utils); with CI=true a missing rapper fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import missing
from defkg.cli.main import cli

RAPPER = shutil.which("rapper")


@pytest.fixture(scope="module")
def rapper() -> str:
    if RAPPER is None:
        missing("rapper is not installed (apt-get install raptor2-utils)")
    return str(RAPPER)


def _export(store: Path, fmt: str, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _terms(store: ox.Store) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store}


@pytest.mark.parametrize(
    ("fmt", "rdf", "syntax"), [("turtle", ox.RdfFormat.TURTLE, "turtle"), ("trig", ox.RdfFormat.TRIG, "trig")]
)
def test_rapper_reads_the_export(
    rapper: str, corpus_store: Path, tmp_path: Path, fmt: str, rdf: ox.RdfFormat, syntax: str
) -> None:
    path = _export(corpus_store, fmt, tmp_path / f"defkg.{fmt}")
    out = tmp_path / "rapper.nq"
    with out.open("wb") as f:
        run = subprocess.run(
            [rapper, "-q", "-i", syntax, "-o", "nquads", str(path)],
            stdout=f,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    assert run.returncode == 0, run.stderr.decode()[:2000]
    assert run.stderr == b""  # no warning either
    theirs, ours = ox.Store(), ox.Store()
    theirs.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    ours.load(path=str(path), format=rdf)
    assert len(ours) > 10_000
    assert len(theirs) == len(ours)
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in ours):
        assert _terms(theirs) == _terms(ours)
