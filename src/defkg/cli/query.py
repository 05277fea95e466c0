from __future__ import annotations

import click

from defkg import queries
from defkg.cli.common import reports_errors


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: expected NAME=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@click.command(
    "query",
    epilog="""\b
Examples:
  defkg query --list
  defkg query meetings --store store
  defkg query participants --store store --format json
  defkg query participants --store store --lang tr
  defkg query meetings-between --param a=TUR --param b=GBR --store store
  defkg query my-question.rq --store store --format csv
  defkg query "SELECT ?s WHERE { ?s a dk:State }" --store store
  defkg query meetings --query-endpoint http://localhost:7878/query
""",
)
@click.argument("query", required=False)
@click.option(
    "--store", type=click.Path(file_okay=False), envvar="DEFKG_STORE", help="The store's directory."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json is SPARQL 1.1 Query Results JSON.",
)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to a literal VALUE.")
@click.option(
    "--query-endpoint",
    metavar="URL",
    envvar="DEFKG_QUERY_ENDPOINT",
    help="Run the query at this SPARQL endpoint, not on a local store (env DEFKG_QUERY_ENDPOINT).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query running longer than this (0: no limit).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "tr"]),
    default="en",
    show_default=True,
    help="The language of the labels (?lang in the query).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.option("--show", is_flag=True, help="Print the SPARQL text instead of running it.")
@reports_errors
def command(
    query: str | None,
    store: str | None,
    fmt: str,
    params: tuple[str, ...],
    query_endpoint: str | None,
    timeout: float,
    lang: str,
    list_: bool,
    show: bool,
) -> None:
    """Run a named query, a .rq file or SPARQL text (read-only) over the store.
    The dk:, dkr:, schema:, org:, prov:, foaf:, skos:, rdfs:, xsd: ... prefixes are predeclared."""
    if list_:
        for q in queries.named_queries().values():
            click.echo(f"{q.name:<20} {q.description}")
        return
    if not query:
        raise click.UsageError("give a query (a name, a .rq file or SPARQL text), or --list")
    bound = _params(params)
    lang = bound.pop("lang", lang)
    sparql = queries.substitute(queries.with_lang(queries.resolve(query), lang), bound)
    if show:
        click.echo(sparql)
        return
    queries.check_read_only(sparql)
    if query_endpoint:
        from defkg import remote

        click.echo(remote.query(query_endpoint, sparql, timeout=timeout or None).format(fmt), nl=False)
        return
    if not store:
        raise click.UsageError("--store (or --query-endpoint) is required to run a query")
    click.echo(queries.run(store, sparql, fmt, timeout=timeout), nl=False)
