"""Heavy third-party modules imported at their first use, not at ours.

``networkx`` costs ~0.3 s to import and ``pyvis`` ~0.45 s (it pulls in IPython); the analysis and
view modules need them only when a network is built, not to declare the CLI's options or to list
the commands (``defkg --help``).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """The module ``name``, executed at the first access to one of its attributes (the standard
    library's ``importlib.util.LazyLoader``); the module itself when it is imported already."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    return lazy
