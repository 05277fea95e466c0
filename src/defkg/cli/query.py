from __future__ import annotations

import click

from defkg import queries
from defkg.cli.common import Failure, reports_errors
from defkg.store import open_store


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: expected NAME=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@click.command("query", epilog="""\b
Examples:
  defkg query --list
  defkg query meetings --store store
  defkg query participants --store store --format json
  defkg query meetings-between --param a=TUR --param b=GBR --store store
  defkg query my-question.rq --store store --format csv
  defkg query "SELECT ?s WHERE { ?s a dk:State }" --store store
""")
@click.argument("query", required=False)
@click.option("--store", type=click.Path(file_okay=False), envvar="DEFKG_STORE", help="Directory of the store.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="json is SPARQL 1.1 Query Results JSON.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to a literal VALUE.")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.option("--show", is_flag=True, help="Print the SPARQL text instead of running it.")
@reports_errors
def command(query: str | None, store: str | None, fmt: str, params: tuple[str, ...], list_: bool,
            show: bool) -> None:
    """Run a named query, a .rq file or SPARQL text (read-only) over the store.
    The dk:, dkr:, schema:, org:, prov:, foaf:, skos:, rdfs:, xsd: ... prefixes are predeclared."""
    if list_:
        for q in queries.named_queries().values():
            click.echo(f"{q.name:<20} {q.description}")
        return
    if not query:
        raise click.UsageError("give a query (a name, a .rq file or SPARQL text), or --list")
    sparql = queries.substitute(queries.resolve(query), _params(params))
    if show:
        click.echo(sparql)
        return
    queries.check_read_only(sparql)
    if not store:
        raise click.UsageError("--store is required to run a query")
    with open_store(store, read_only=True) as st:
        try:
            table = queries.to_table(st.query(sparql))
        except SyntaxError as e:
            raise Failure(f"SPARQL syntax error: {e}") from e
        click.echo(table.format(fmt), nl=False)
