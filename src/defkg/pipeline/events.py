"""Relations and events stage (placeholder until the extractor lands)."""

from __future__ import annotations

from defkg.model import Article, Extraction


def extract(article: Article) -> Extraction:
    return Extraction(article=article)
