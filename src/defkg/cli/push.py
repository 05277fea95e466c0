from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option
from defkg.push import push
from defkg.store import open_store


@click.command(
    "push",
    epilog="""\b
Examples:
  defkg push --store store --update-endpoint http://localhost:7878/update
  defkg push --store store --update-endpoint http://localhost:7878/update --graph-store http://localhost:7878/store
  defkg push --store store --update-endpoint http://user:secret@fuseki:3030/defkg/update
  defkg query meetings --query-endpoint http://localhost:7878/query
""",
)
@store_option
@click.option(
    "--update-endpoint",
    required=True,
    metavar="URL",
    envvar="DEFKG_UPDATE_ENDPOINT",
    help="SPARQL 1.1 Update endpoint (env DEFKG_UPDATE_ENDPOINT).",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="SPARQL 1.1 Graph Store Protocol endpoint: graphs are sent with PUT ?graph=IRI instead.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1000),
    default=2_000_000,
    show_default=True,
    metavar="BYTES",
    help="Largest SPARQL Update request (several graphs per request).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Timeout of each request.",
)
@reports_errors
def command(
    store: str, update_endpoint: str, graph_store: str | None, chunk_size: int, timeout: float
) -> None:
    """Send every article's named graph in the store to a SPARQL server (Oxigraph server,
    Fuseki, GraphDB, Virtuoso), replacing the graphs of the same names there."""
    with open_store(store, read_only=True) as st:
        report = push(st, update_endpoint, graph_store=graph_store, chunk_bytes=chunk_size, timeout=timeout)
    click.echo(
        f"pushed {report.graphs} graph(s), {report.triples} triples in {report.requests} request(s) "
        f"({report.bytes / 1e6:.1f} MB, {report.seconds:.1f} s) to {graph_store or update_endpoint}",
        err=True,
    )
