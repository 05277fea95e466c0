from __future__ import annotations

import sys

import click

from defkg.cli.common import reports_errors, store_option
from defkg.ingest import IngestReport, ingest


@click.command("ingest", epilog="""\b
Examples:
  defkg ingest article.txt --store store
  defkg ingest corpus/ feed.jsonl page.html --store store
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@store_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of each article's graph.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def command(paths: tuple[str, ...], store: str, no_validate: bool, quiet: bool) -> None:
    """Read articles (text with optional front matter, JSON Lines, HTML; files or
    directories) and add what they say to the store, one named graph per article.
    Re-ingesting an article replaces its graph."""
    report: IngestReport = ingest(paths, store, validate=not no_validate)
    for e in report.errors:
        click.echo(f"defkg: {e}", err=True)
    for w in report.warnings:
        click.echo(f"defkg: warning: {w}", err=True)
    if not quiet:
        click.echo(
            f"ingested {report.articles} article(s): {report.meetings} meeting(s), "
            f"{report.triples} triples into {store}",
            err=True,
        )
    if report.errors:
        sys.exit(1)  # each failure was reported above; the other inputs were stored
