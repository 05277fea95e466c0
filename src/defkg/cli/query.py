from __future__ import annotations

import click

from defkg import queries
from defkg.cli.common import reports_errors
from defkg.cli.export import AliasChoice


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: expected NAME=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


def _bound(
    raw: dict[str, str],
    declared: tuple[queries.Param, ...],
    store: str | None,
    endpoint: str | None,
    timeout: float,
) -> dict[str, str | queries.Iri]:
    """Parameter values looked up by name where the named query wants a state or an entity."""
    from defkg import resolve

    if not raw or all(p.kind == "text" for p in declared):
        return dict(raw)
    if endpoint:
        from defkg import remote

        select = resolve.table_select(lambda q: remote.query(endpoint, q, timeout=timeout or None))
        return queries.bind_params(raw, declared, select)
    if store:
        from defkg.store import open_store

        with open_store(store, read_only=True) as st:
            return queries.bind_params(raw, declared, resolve.store_select(st))
    return queries.bind_params(raw, declared, None)


@click.command(
    "query",
    epilog="""\b
Examples:
  defkg query --list
  defkg query meetings --store store
  defkg query participants --store store --format json
  defkg query participants --store store --lang tr
  defkg query meetings-between --param a=TUR --param b=GBR --store store
  defkg query meetings-between --param a=Türkiye --param "b=United Kingdom" --store store
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
    type=AliasChoice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json is SPARQL 1.1 Query Results JSON.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE. A named query's parameters are listed by --list; a state or entity "
    "parameter takes a name in English or Turkish or a code in any case (a=tur, a=Türkiye).",
)
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
    type=AliasChoice(["en", "tr"]),
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
            takes = "".join(f" [--param {p.name}={p.kind.upper()}]" for p in q.params)
            click.echo(f"{q.name:<20} {q.description}{takes}")
        return
    if not query:
        raise click.UsageError("give a query (a name, a .rq file or SPARQL text), or --list")
    named = queries.named_queries().get(query)
    raw = _params(params)
    lang = raw.pop("lang", lang)
    text = queries.with_lang(queries.resolve(query), lang)
    declared = named.params if named else None
    queries.check_params(text, raw, declared)
    sparql = queries.substitute(text, _bound(raw, declared or (), store, query_endpoint, timeout), declared)
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
