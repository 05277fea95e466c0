"""The build backend: setuptools' own, plus mypy (for mypyc) among the build requirements when
``DEFKG_COMPILE=1`` asks for the compiled build (``setup.py``). A plain build needs setuptools only."""

from __future__ import annotations

import os
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (the backend's other hooks, as they are)

COMPILER = "mypy>=1.10"  # mypyc comes with mypy


def compile_requested() -> bool:
    return os.environ.get("DEFKG_COMPILE", "").strip().lower() in {"1", "true", "yes"}


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    wanted = compile_requested()
    # setuptools runs setup.py to find its requirements: before mypy is there, so as a plain build
    saved = os.environ.pop("DEFKG_COMPILE", None)
    try:
        requires = _setuptools.get_requires_for_build_wheel(config_settings)
    finally:
        if saved is not None:
            os.environ["DEFKG_COMPILE"] = saved
    return [*requires, COMPILER] if wanted else requires


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    return _setuptools.get_requires_for_build_editable(config_settings)
