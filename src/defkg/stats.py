"""Counts that summarise a store."""

from __future__ import annotations

from dataclasses import dataclass

from defkg.store import Store

_COUNTS = """
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?meeting) AS ?meetings)
  (COUNT(DISTINCT ?state) AS ?states) (COUNT(DISTINCT ?person) AS ?officials)
WHERE {
  { ?article a dk:Article } UNION { ?meeting a dk:Meeting }
  UNION { ?m dk:participatingState ?state } UNION { ?m2 dk:participant ?person }
}
"""


@dataclass(frozen=True)
class Stats:
    articles: int
    meetings: int
    states: int
    officials: int
    triples: int

    def line(self) -> str:
        return (
            f"articles={self.articles} meetings={self.meetings} states={self.states} "
            f"officials={self.officials} triples={self.triples}"
        )


def stats(store: Store) -> Stats:
    row = next(iter(store.query(_COUNTS)))
    values = [int(row[i].value) for i in range(4)]
    from defkg.namespaces import ONTOLOGY_GRAPH

    ontology = next(
        iter(
            store.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}", union=False
            )
        )
    )
    articles, meetings, states, officials = values
    return Stats(
        articles, meetings, states, officials, triples=len(store) - int(ontology[0].value)
    )  # the articles' graphs
