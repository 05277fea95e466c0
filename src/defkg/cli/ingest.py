from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from defkg.cli.common import reports_errors, store_option, wait_option

if TYPE_CHECKING:
    from defkg.ingest import IngestReport


class InputPath(click.Path):
    """A file or directory; a URL gets told how to ingest a web page."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from defkg.api import url_hint

        hint = url_hint(str(value))
        if hint:
            self.fail(hint, param, ctx)
        return super().convert(value, param, ctx)


@click.command(
    "ingest",
    epilog="""\b
Examples:
  defkg ingest article.txt --store store
  defkg ingest corpus/ feed.jsonl page.html --store store
  defkg ingest big-corpus/ --store store --jobs 4 --no-validate
""",
)
@click.argument("paths", nargs=-1, required=True, type=InputPath(exists=True))
@store_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of each article's graph.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of cores; 1: no workers).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar with articles/s on stderr (default: when stderr is a terminal).",
)
@wait_option
@click.option(
    "--optimize/--no-optimize",
    default=None,
    help="Compact the store at the end, for faster queries (default: when this ingest made at "
    "least a quarter of the store).",
)
@reports_errors
def command(
    paths: tuple[str, ...],
    store: str,
    no_validate: bool,
    quiet: bool,
    jobs: int | None,
    progress: bool | None,
    wait: float,
    optimize: bool | None,
) -> None:
    """Read articles (text with optional front matter, JSON Lines, HTML; files or
    directories) and add what they say to the store, one named graph per article.
    Re-ingesting an article replaces its graph."""
    from defkg.ingest import ingest  # the pipeline: not imported to list the commands

    report: IngestReport = ingest(
        paths,
        store,
        validate=not no_validate,
        jobs=jobs,
        bar=False if quiet else progress,
        wait=wait,
        optimize=optimize,
    )
    for e in report.errors:
        click.echo("defkg: " + " ".join(str(e).split("\n")), err=True)
    for w in report.warnings:
        click.echo("defkg: warning: " + " ".join(str(w).split("\n")), err=True)
    if not quiet:
        for path, why in report.skipped:
            click.echo(f"defkg: skipped {path}: {why}", err=True)
    if not quiet:
        skipped = f"; skipped {len(report.skipped)} file(s) that are not reports" if report.skipped else ""
        click.echo(
            f"ingested {report.articles} article(s): {report.meetings} meeting(s), "
            f"{report.triples} triples into {store} ({report.rate:,.0f} articles/s){skipped}",
            err=True,
        )
    if report.errors:
        sys.exit(1)  # each failure was reported above; the other inputs were stored
