from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option, wait_option


@click.command(
    "load",
    epilog="""\b
Examples:
  defkg extract corpus/ --out shards/ && defkg load shards/ --store store
  defkg load shards/part-00000.nq shards/part-00001.nq --store store
""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@store_option
@wait_option
@click.option(
    "--optimize/--no-optimize",
    default=None,
    help="Compact the store at the end, for faster queries (default: when this load made at "
    "least a quarter of the store).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def command(paths: tuple[str, ...], store: str, wait: float, optimize: bool | None, quiet: bool) -> None:
    """Bulk-load N-Quads shards of `defkg extract` (files, or directories of *.nq) into the store,
    in name order. A graph the store holds already is replaced, as by ingest."""
    from defkg import shards

    report = shards.load(paths, store, wait=wait, optimize=optimize)
    if not quiet:
        click.echo(
            f"loaded {len(report.shards)} shard(s): {report.articles} graph(s), {report.quads} quads "
            f"into {store}",
            err=True,
        )
