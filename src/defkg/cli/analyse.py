from __future__ import annotations

import click

from defkg import analysis, resolve
from defkg.cli.common import reports_errors, store_option
from defkg.store import open_store


@click.command(
    "analyse",
    epilog="""\b
Examples:
  defkg analyse --store store
  defkg analyse --store store --top 20 --csv tables/
  defkg analyse --store store --pair TUR GBR
  defkg analyse --store store --pair Türkiye "United Kingdom"
  defkg analyse --store store --ego Türkiye
  defkg analyse --store store --ego "Yaşar Güler" --graph actors
\b
Tables: states by weighted degree (with PageRank, betweenness, Louvain community), state
pairs by meetings, communities of states, officials and organisations by weighted degree
in the actor graph. For GraphML/GEXF/CSV node and edge lists see `defkg graph-export`.
""",
)
@store_option
@click.option(
    "--top", type=click.IntRange(min=0), default=10, show_default=True, help="Rows per table (0: all)."
)
@click.option(
    "--csv", "csv_dir", type=click.Path(file_okay=False), help="Also write each table to DIR/<table>.csv."
)
@click.option(
    "--pair",
    nargs=2,
    metavar="A B",
    help="Print the timeline of meetings between two states (names or ISO codes).",
)
@click.option("--ego", metavar="X", help="Print the neighbours of a state or person (ISO code, name or IRI).")
@click.option(
    "--graph",
    "which",
    type=click.Choice(["states", "actors"]),
    default=None,
    help="Graph for --ego (default: states for an ISO code or state name, else actors).",
)
@click.option(
    "--seed", type=int, default=analysis.SEED, show_default=True, help="Seed for Louvain communities."
)
@reports_errors
def command(
    store: str,
    top: int,
    csv_dir: str | None,
    pair: tuple[str, str] | None,
    ego: str | None,
    which: str | None,
    seed: int,
) -> None:
    """Rank states, state pairs, officials and organisations with network measures."""
    with open_store(store, read_only=True) as st:
        if pair:
            a, b = resolve.state_codes(st, *pair)
            tables = [analysis.timeline_table(analysis.timeline(st, a, b, engagements=True), a, b)]
        elif ego:
            tables = [analysis.ego_report(st, resolve.center(st, ego), which)]
        else:
            tables = analysis.analyse(st, seed=seed).rankings(top or None)
    click.echo("\n".join(t.to_text() for t in tables), nl=False)
    if csv_dir:
        for path in analysis.write_csv(tables, csv_dir):
            click.echo(f"wrote {path}", err=True)
