from __future__ import annotations

import os

import click

from defkg import remote
from defkg.cli.common import reports_errors, store_option
from defkg.push import push
from defkg.store import open_store


@click.command(
    "push",
    epilog="""\b
Examples:
  defkg push --store store --update-endpoint http://localhost:7878/update
  defkg push --store store --graph-store http://localhost:7878/store
  DEFKG_PASSWORD=secret defkg push --store store --user dba --graph-store http://localhost:8890/sparql-graph-crud-auth
  defkg push --store store --user dba --update-endpoint http://localhost:8890/sparql-auth
  defkg push --store store --update-endpoint http://user:secret@fuseki:3030/defkg/update
  defkg query meetings --query-endpoint http://localhost:7878/query

\b
Credentials: in the URL, --user NAME[:PASSWORD], or DEFKG_USER and DEFKG_PASSWORD; sent as
Basic or Digest authentication as the server asks (Virtuoso's /sparql-auth and
/sparql-graph-crud-auth ask for Digest). They are never printed.
""",
)
@store_option
@click.option(
    "--update-endpoint",
    metavar="URL",
    envvar="DEFKG_UPDATE_ENDPOINT",
    help="SPARQL 1.1 Update endpoint (env DEFKG_UPDATE_ENDPOINT); not needed with --graph-store.",
)
@click.option(
    "--graph-store",
    metavar="URL",
    envvar="DEFKG_GRAPH_STORE",
    help="SPARQL 1.1 Graph Store Protocol endpoint (env DEFKG_GRAPH_STORE): graphs are sent with "
    "PUT ?graph=IRI, preferred to --update-endpoint (faster on Virtuoso).",
)
@click.option(
    "--user",
    metavar="NAME[:PASSWORD]",
    envvar="DEFKG_USER",
    help="User name, and password unless it is in DEFKG_PASSWORD (env DEFKG_USER).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1000),
    default=100_000,
    show_default=True,
    metavar="BYTES",
    help="Largest SPARQL Update request (several small graphs per request; Virtuoso compiles "
    "large ones much more slowly).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Timeout of each request.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=16),
    default=2,
    show_default=True,
    help="Graph Store requests sent at a time.",
)
@reports_errors
def command(
    store: str,
    update_endpoint: str | None,
    graph_store: str | None,
    user: str | None,
    chunk_size: int,
    timeout: float,
    workers: int,
) -> None:
    """Send every named graph of the store (articles, entities, ontology) to a SPARQL server
    (Oxigraph server, Fuseki, GraphDB, Virtuoso), replacing the graphs of the same names there."""
    if not update_endpoint and not graph_store:
        raise click.UsageError("give --graph-store or --update-endpoint (or both)")
    creds = None
    if user:
        name, sep, password = user.partition(":")
        creds = remote.Credentials(name, password if sep else os.environ.get("DEFKG_PASSWORD", ""))
    with open_store(store, read_only=True) as st:
        report = push(
            st,
            None if graph_store else update_endpoint,
            graph_store=graph_store,
            chunk_bytes=chunk_size,
            timeout=timeout,
            credentials=creds,
            workers=workers,
        )
    target = remote.split_url(graph_store or update_endpoint or "")[0]
    retried = f", {report.retries} split after a server error" if report.retries else ""
    click.echo(
        f"pushed {report.graphs} graph(s), {report.triples} triples in {report.requests} request(s) "
        f"({report.bytes / 1e6:.1f} MB, {report.seconds:.1f} s{retried}) to {target}",
        err=True,
    )
