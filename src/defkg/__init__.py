"""defkg: a knowledge graph of bilateral defence relations built from news reports.

>>> import defkg
>>> kg = defkg.open("store")   # a KnowledgeGraph (see defkg.api)

``open`` and ``KnowledgeGraph`` are imported on first use, so ``import defkg`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "open"]

if TYPE_CHECKING:
    from defkg.api import KnowledgeGraph, open


def __getattr__(name: str) -> Any:
    if name in ("open", "KnowledgeGraph"):
        from defkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'defkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*(n for n in globals() if n.startswith("__")), *__all__})
