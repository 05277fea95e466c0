from __future__ import annotations

import sys

import click

from defkg.cli.common import reports_errors


@click.command(
    "extract",
    epilog="""\b
Examples:
  defkg extract corpus/ feed.jsonl --out shards/
  defkg extract corpus/ --out shards/ --jobs 4 --no-validate
  defkg extract feed.jsonl --out shards/ --dask local --jobs 2
  defkg extract corpus/ --out /shared/shards --dask tcp://scheduler:8786
  defkg load shards/ --store store
""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Directory for the shards."
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of each article's graph.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of cores; 1: no workers). With --dask local: "
    "the cluster's worker processes.",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Run on Dask: 'local' (a LocalCluster here) or a scheduler address (tcp://host:8786); the "
    "workers must see the inputs and --out under the same paths. Needs the dask extra.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and the shards.")
@reports_errors
def command(
    paths: tuple[str, ...],
    out: str,
    no_validate: bool,
    jobs: int | None,
    dask_address: str | None,
    quiet: bool,
) -> None:
    """Read and extract articles (as ingest does) into N-Quads shards in --out, without a store:
    the map step of a bigger run. `defkg load` bulk-loads the shards into a store; any RDF
    store's loader reads them too. Prints the shards written, one a line."""
    from defkg import shards

    if dask_address is None:
        report = shards.extract(paths, out, validate=not no_validate, jobs=jobs)
    else:
        import os

        from defkg import distributed

        if dask_address == "local":
            client = distributed.local_client(jobs or os.cpu_count() or 1)
        else:
            client = distributed._client_module().Client(dask_address)
        try:
            report = distributed.extract(paths, out, client, validate=not no_validate)
        finally:
            cluster = getattr(client, "cluster", None) if dask_address == "local" else None
            client.close()
            if cluster is not None:
                cluster.close()
    for e in report.errors:
        click.echo("defkg: " + " ".join(str(e).split("\n")), err=True)
    for w in report.warnings:
        click.echo("defkg: warning: " + " ".join(str(w).split("\n")), err=True)
    for shard in [*report.shards, *([report.entities] if report.entities else [])]:
        click.echo(str(shard))
    if not quiet:
        click.echo(
            f"extracted {report.articles} article(s): {report.meetings} meeting(s), {report.quads} quads "
            f"in {len(report.shards)} shard(s) and their entity graph in {out}",
            err=True,
        )
    if report.errors:
        sys.exit(1)
