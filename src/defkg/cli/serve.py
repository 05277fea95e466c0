from __future__ import annotations

import click

from defkg.cli.common import reports_errors, store_option
from defkg.serve import make_server


@click.command(
    "serve",
    epilog="""\b
Examples:
  defkg serve --store store
  defkg serve --store store --port 8890 --timeout 10
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?m a dk:Meeting }' \\
       http://127.0.0.1:7879/sparql
  defkg query meetings --query-endpoint http://127.0.0.1:7879/sparql
\b
In a browser: http://127.0.0.1:7879/ is the analyst's page (/?lang=tr in Turkish) and
http://127.0.0.1:7879/editor the query page (highlighting, examples, CSV/JSON downloads).
Results are streamed; CORS headers are sent to cross-origin requests only.
""",
)
@store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 exposes the store to the network).",
)
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=7879, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="A query running longer is stopped and answered 503.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Queries run at the same time (one process each).",
)
@click.option(
    "--memory",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    metavar="MB",
    help="Resident memory of the server and its workers together (0: no limit); a worker streaming "
    "a big SELECT answer over its share reopens the store to drop its read caches.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log each request on stderr.")
@reports_errors
def command(
    store: str, host: str, port: int, timeout: float, workers: int, memory: int, verbose: bool
) -> None:
    """Serve the store read-only as a SPARQL 1.1 Protocol endpoint at /sparql
    (JSON, XML, CSV or TSV results by Accept header, 406 otherwise; updates and SERVICE
    refused), with the analyst's page at / and a query page at /editor. Stop with Ctrl-C."""
    server = make_server(
        store, host=host, port=port, timeout=timeout, workers=workers, memory=memory << 20, shared=True
    )
    server.verbose = verbose
    click.echo(f"defkg: serving {store} at {server.url} (read-only; Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
