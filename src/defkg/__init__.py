"""defkg: a knowledge graph of bilateral defence relations built from news reports."""

__version__ = "0.1.0"
