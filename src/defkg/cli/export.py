from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option
from defkg.export import FORMATS, export
from defkg.store import open_store


@click.command(
    "export",
    epilog="""\b
Examples:
  defkg export --store store --format turtle --out exports
  defkg export --store store --format trig --out exports/defkg.trig
""",
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="turtle",
    show_default=True,
    help="turtle/nt: all article graphs merged; trig/nquads/jsonld: one named graph per article.",
)
@click.option("--out", required=True, type=click.Path(), help="Directory (for defkg.EXT) or file path.")
@reports_errors
def command(store: str, fmt: str, out: str) -> None:
    """Export the knowledge graph for other tools."""
    with open_store(store, read_only=True) as st:
        path = export(st, fmt, out)
    click.echo(f"wrote {path}", err=True)
    click.echo(str(path))
