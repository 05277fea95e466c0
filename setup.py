"""Pure Python by default. ``DEFKG_COMPILE=1 pip install .`` compiles the modules that
``[tool.defkg] compiled`` in pyproject.toml lists with mypyc (C extensions of the same sources:
the same answers, ~1.4x less CPU per article; benchmarks/README.md, "A compiled build").
Not for an editable install: an extension module beside its source is imported instead of it,
so an edited source would silently not run."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_build"))
from backend import compile_requested  # noqa: E402 (the build backend's own test of DEFKG_COMPILE)


def compiled_modules() -> list[str]:
    with open(HERE / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["tool"]["defkg"]["compiled"])


def ext_modules() -> list:
    if not compile_requested():
        return []
    if "editable_wheel" in sys.argv:
        sys.exit(
            "DEFKG_COMPILE=1 is for a plain install (pip install .): in an editable one the compiled "
            "modules would shadow their sources in src/"
        )
    from mypyc.build import mypycify

    return mypycify(
        [str(Path("src") / (m.replace(".", "/") + ".py")) for m in compiled_modules()],
        opt_level="3",
        group_name="defkg",
    )


setup(ext_modules=ext_modules())
