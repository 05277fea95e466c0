"""Build this checkout's compiled wheel (``DEFKG_COMPILE=1``, setup.py) and unpack it as a checkout
the A/B scripts can run: ``OUT/src`` holds the package as ``pip install`` would (the compiled
modules, the rest as Python, the data files).

    python benchmarks/compiled.py OUT                # ~3.5 min of CPU
    python benchmarks/ingest_ab.py CORPUS --before-src . --after-src OUT

The build runs on a copy of the sources (nothing is written in the checkout) without build
isolation: it needs mypy and setuptools>=70.1 in this environment (the test extra has both).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="defkg-compiled-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
            shutil.copy2(ROOT / name, project / name)
        ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info")
        shutil.copytree(ROOT / "_build", project / "_build", ignore=ignore)
        shutil.copytree(ROOT / "src", project / "src", ignore=ignore)
        wheels = Path(tmp) / "wheels"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(wheels),
                ".",
            ],
            cwd=project,
            env=dict(os.environ, DEFKG_COMPILE="1"),
            check=True,
        )
        (wheel,) = wheels.glob("defkg-*.whl")
        site = out / "src"
        shutil.rmtree(site, ignore_errors=True)
        with zipfile.ZipFile(wheel) as z:
            z.extractall(site)
    return site


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="where to put the unpacked build (OUT/src)")
    site = build(ap.parse_args().out)
    print(site)


if __name__ == "__main__":
    main()
