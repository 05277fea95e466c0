from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option
from defkg.stats import stats
from defkg.store import open_store


@click.command(
    "stats",
    epilog="""\b
Example:
  defkg stats --store store
""",
)
@store_option
@reports_errors
def command(store: str) -> None:
    """Print a one-line summary of the store: articles, meetings, states, officials, triples."""
    with open_store(store, read_only=True) as st:
        click.echo(stats(st).line())
