"""The extraction pipeline: read/normalise -> mentions -> linking -> relations/events -> triples."""

from __future__ import annotations

from defkg.model import Article, Extraction


def extract(article: Article) -> Extraction:
    """Everything one article says about bilateral defence meetings."""
    from defkg.pipeline import events

    return events.extract(article)
