"""The compiled build: ``DEFKG_COMPILE=1`` (setup.py) compiles the modules that ``[tool.defkg]
compiled`` in pyproject.toml lists with mypyc. Built here as a wheel, through the project's own
build backend, from a copy of the sources; then the same graphs as the sources give, byte for byte,
and the pipeline's and the ingest's tests pass on it.

The build takes ~3.5 min of CPU (gcc -O3 on ~5,000 lines of Python made C): one build per run."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

pytestmark = pytest.mark.slow

# the tests that run the compiled modules: reading, extraction, the article graph and its
# validation, the entity graph, ingest (crash-safe, re-ingest), extract -> load
PIPELINE_TESTS = [
    "tests/test_textnorm.py",
    "tests/test_reader.py",
    "tests/test_dates.py",
    "tests/test_extract_patterns.py",
    "tests/test_heads.py",
    "tests/test_gazetteers.py",
    "tests/test_corpus.py",
    "tests/test_golden.py",
    "tests/test_agreement.py",
    "tests/test_agreements.py",
    "tests/test_exercises.py",
    "tests/test_entities.py",
    "tests/test_shapes.py",
    "tests/test_fuzz.py",
    "tests/test_store.py",
    "tests/test_crash.py",
    "tests/test_ingest_dirs.py",
    "tests/test_distributed.py",
]

_DUMP = r"""
import sys
from pathlib import Path
from defkg import ingest
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import build
from defkg.validate import check_graph

out = sys.stdout.buffer
for root in sys.argv[1:]:
    for f in sorted(Path(root).rglob("*.txt")):
        try:
            article = reader.read_text(f.read_text(encoding="utf-8"), source=f.name)
            graph = build(extract(article))
            check_graph(graph.described(), source=article.source)
            out.write(ingest.nquads(graph, str(graph.identifier)))
        except Exception as e:
            out.write(f"{f.name}: {type(e).__name__}: {e}\n".encode())
"""


def _copy_project(project: Path) -> None:
    project.mkdir(parents=True)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info")
    shutil.copytree(ROOT / "_build", project / "_build", ignore=ignore)
    # src/defkg/ontology is a symlink to ../../ontology: copied as the files it points to
    shutil.copytree(ROOT / "src", project / "src", ignore=ignore)


def compiled_modules() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["tool"]["defkg"]["compiled"])


def _env(path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(path)
    env.pop("DEFKG_COMPILE", None)
    return env


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a compiled build, unpacked: what ``pip install`` would put in site-packages."""
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        if os.environ.get("CI"):
            pytest.fail("no C compiler: the compiled build cannot be tested")
        pytest.skip("no C compiler")
    work = tmp_path_factory.mktemp("compiled")
    project = work / "project"
    _copy_project(project)
    wheels = work / "wheels"
    env = dict(os.environ, DEFKG_COMPILE="1")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    done = subprocess.run(
        [*pip, "-w", str(wheels), "."],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = wheels.glob("defkg-*.whl")
    site = work / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def test_the_listed_modules_are_compiled(compiled_site: Path) -> None:
    listed = compiled_modules()
    code = "import importlib, sys\nfor m in sys.argv[1:]: print(importlib.import_module(m).__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code, *listed, "defkg.ingest", "defkg.queries"],
        env=_env(compiled_site),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    files = done.stdout.split()
    assert len(files) == len(listed) + 2
    extension = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for module, file in zip(listed, files, strict=False):
        assert file.startswith(str(compiled_site)), (module, file)
        assert file.endswith(extension), f"{module} is not compiled: {file}"
    assert all(f.endswith(".py") for f in files[len(listed) :])  # the rest stays Python
    # what the package data files the modules read are there too (the wheel, not the source tree)
    assert (compiled_site / "defkg" / "lang" / "tr").is_dir()
    assert (compiled_site / "defkg" / "ontology" / "shapes.ttl").is_file()


def test_the_same_graphs_as_the_sources(compiled_site: Path) -> None:
    """Every report of our corpus (and of ../shared/corpus where it is there) gives the same N-Quads,
    byte for byte, and the same errors, compiled and from the sources."""
    roots = [str(ROOT / "tests" / "corpus"), str(ROOT / "examples")]
    if SHARED_CORPUS.is_dir():
        roots.append(str(SHARED_CORPUS))

    def dump(path: Path) -> bytes:
        return subprocess.run(
            [sys.executable, "-c", _DUMP, *roots],
            env=_env(path),
            capture_output=True,
            timeout=900,
            check=True,
        ).stdout

    compiled, sources = dump(compiled_site), dump(ROOT / "src")
    assert sources.count(b"\n") > 5_000  # quads of ~50 reports, not an empty run
    assert compiled == sources


def test_the_pipeline_tests_pass_compiled(compiled_site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *PIPELINE_TESTS],
        cwd=ROOT,
        env=_env(compiled_site),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]


def test_no_compiled_editable_install(tmp_path: Path) -> None:
    """An editable install would put the extensions beside their sources in src/, where Python
    imports them instead of the sources: setup.py refuses one (before compiling anything)."""
    _copy_project(tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "setup.py", "-q", "editable_wheel"],
        cwd=tmp_path / "project",
        env=dict(os.environ, DEFKG_COMPILE="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "DEFKG_COMPILE=1 is for a plain install" in done.stderr
    assert not list((tmp_path / "project" / "src").rglob("*.so"))
