from __future__ import annotations

from pathlib import Path

import click

from defkg import resolve, view
from defkg.cli.common import reports_errors, store_option
from defkg.store import open_store


@click.command(
    "view",
    epilog="""\b
Examples:
  defkg view --store store --out graph.html
  defkg view --store store --out tr-gb.html --pair TUR GBR
  defkg view --store store --out turkiye.html --ego TUR --radius 2
  defkg view --store store --out people.html --ego "Yaşar Güler" --radius 1
  defkg view --store store --out big.html --limit 2000 --size-by pagerank
\b
The page is one self-contained HTML file: it works offline and requests nothing from
the network. Hover a node for its facts, click it for details, the evidence sentence
and a link to the source article; search and filter by state, date and kind at the top.
""",
)
@store_option
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, writable=True), help="HTML file to write."
)
@click.option(
    "--pair", nargs=2, metavar="A B", help="Only the meetings between two states (names or ISO codes)."
)
@click.option("--ego", metavar="X", help="Only the neighbourhood of a state, person or organisation.")
@click.option("--radius", type=click.IntRange(min=1), default=2, show_default=True, help="Hops around --ego.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N nodes (those of highest degree).")
@click.option(
    "--size-by",
    type=click.Choice(view.SIZE_BY),
    default="degree",
    show_default=True,
    help="Measure giving the node size.",
)
@click.option("--title", default="defkg: bilateral defence relations", show_default=True, help="Page title.")
@reports_errors
def command(
    store: str,
    out: str,
    pair: tuple[str, str] | None,
    ego: str | None,
    radius: int,
    limit: int | None,
    size_by: str,
    title: str,
) -> None:
    """Write an interactive, offline HTML view of the knowledge graph."""
    with open_store(store, read_only=True) as st:
        if pair:
            pair = tuple(resolve.state_codes(st, *pair))  # type: ignore[assignment]
        if ego:
            ego = resolve.center(st, ego)
        page = view.view_html(
            st, pair=pair, ego=ego, radius=radius, limit=limit, size_by=size_by, title=title
        )
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    click.echo(f"wrote {path} ({len(page) // 1024} KiB)", err=True)
