from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option
from defkg.cli.export import AliasChoice
from defkg.dataset import FORMATS, read, write
from defkg.store import open_store


@click.command(
    "dataset",
    epilog="""\b
Examples:
  defkg dataset --store store --out data
  defkg dataset --store store --out data --format parquet

\b
Writes events (one row per engagement and pair of states: meeting, call, visit,
agreement, exercise), dyad_years (undirected dyad x year, COW codes ccode1 < ccode2)
and codebook.md (every variable and its coding rule).
""",
)
@store_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@click.option(
    "--format", "fmt", type=AliasChoice(FORMATS), default="csv", show_default=True, help="Table format."
)
@reports_errors
def command(store: str, out: str, fmt: str) -> None:
    """Write the researchers' dataset (events, dyad-years, codebook) from the store."""
    with open_store(store, read_only=True) as st:
        data = read(st)
    for path in write(data, out, fmt):
        click.echo(str(path))
    click.echo(f"{len(data.events)} event row(s), {len(data.dyad_years)} dyad-year(s)", err=True)
