"""Heavy third-party modules imported at their first use, not at ours.

``networkx`` costs ~0.3 s to import and ``pyvis`` ~0.45 s (it pulls in IPython); the analysis and
view modules need them only when a network is built, not to declare the CLI's options or to list
the commands (``defkg --help``).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """Stands for a module until one of its attributes is read; then imports it (the import
    system's own lock makes that safe from several threads, unlike the standard library's
    ``LazyLoader`` before Python 3.12.3) and takes its attributes, so that later reads are plain
    attribute reads."""

    def __getattr__(self, name: str) -> Any:  # only for what this object does not hold yet
        module = importlib.import_module(self.__name__)
        self.__dict__.update({k: v for k, v in vars(module).items() if k not in ("__name__", "__doc__")})
        return getattr(module, name)


def module(name: str) -> ModuleType:
    """A stand-in for the module ``name`` that imports it when one of its attributes is first read.
    Not put in ``sys.modules``: whoever imports ``name`` gets the module itself."""
    return _Deferred(name)
