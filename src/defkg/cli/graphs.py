from __future__ import annotations

import click

import defkg
from defkg import analysis
from defkg.cli.common import reports_errors, store_option
from defkg.cli.export import AliasChoice


@click.command(
    "graph-export",
    epilog="""\b
Examples:
  defkg graph-export --store store --out graphs/
  defkg graph-export --store store --out graphs/ --graph states --format gexf
  defkg graph-export --store store --out graphs/ --graph actors --format csv
\b
Graphs: states (edge weight = meetings, first/last date), actors (officials,
organisations, states; met-with and member-of edges), knowledge (meetings, states,
officials, organisations, topics, as `defkg view` draws them). Every node carries
weighted_degree, degree, betweenness, pagerank and community. Formats: GraphML
(Cytoscape, yEd; dates as ISO 8601 text, absent when unknown), GEXF 1.2 in dynamic mode
(Gephi: every node and edge has start/end dates, so the timeline works), CSV node and
edge lists (NAME-nodes.csv, NAME-edges.csv).
""",
)
@store_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@click.option(
    "--graph", "graphs", type=AliasChoice([*analysis.GRAPHS, "all"]), default="all", show_default=True
)
@click.option(
    "--format",
    "formats",
    type=AliasChoice([*analysis.EXPORT_FORMATS, "all"]),
    default="all",
    show_default=True,
)
@click.option(
    "--seed", type=int, default=analysis.SEED, show_default=True, help="Seed for Louvain communities."
)
@reports_errors
def command(store: str, out: str, graphs: str, formats: str, seed: int) -> None:
    """Export the network graphs with their measures for Gephi and other analysts' tools."""
    which = analysis.GRAPHS if graphs == "all" else (graphs,)
    fmts = analysis.EXPORT_FORMATS if formats == "all" else (formats,)
    kg = defkg.open(store, read_only=True)
    for name in which:
        for path in analysis.export_graph(kg.network(name, seed=seed), name, out, fmts):
            click.echo(str(path))
