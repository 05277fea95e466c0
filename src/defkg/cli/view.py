from __future__ import annotations

from pathlib import Path

import click

from defkg import resolve, view
from defkg.cli.common import reports_errors, store_option
from defkg.cli.export import AliasChoice
from defkg.store import open_store


@click.command(
    "view",
    epilog="""\b
Examples:
  defkg view --store store --out graph.html
  defkg view --store store --out graph-tr.html --lang tr
  defkg view --store store --out tr-gb.html --pair TUR GBR
  defkg view --store store --out guler.html --select "Yaşar Güler"
  defkg view --store store --out kg.html --knowledge --ego TUR --radius 2
  defkg view --store store --out big.html --knowledge --limit 2000 --size-by pagerank
\b
The page is one self-contained HTML file: it works offline and requests nothing from
the network. It starts with the states (sized by engagements; a line per kind of
engagement, meetings, calls, agreements, exercises, labelled with the count); click a
state for its partners, a line for the pair's timeline (principals, place, evidence
sentence, source link), a person or organisation for their engagements. Search finds
names in both languages, places, codes (ISO, NATO rank, Wikidata) and dates.
--knowledge writes the older page drawing every node of the knowledge graph.
""",
)
@store_option
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, writable=True), help="HTML file to write."
)
@click.option("--lang", type=AliasChoice(view.LANGS), default="en", show_default=True, help="Label language.")
@click.option("--pair", nargs=2, metavar="A B", help="Open the timeline of two states (names or ISO codes).")
@click.option("--select", "select_", metavar="X", help="Open a state, person or organisation (name or code).")
@click.option("--knowledge", is_flag=True, help="Draw the whole knowledge graph instead (older page).")
@click.option(
    "--ego", metavar="X", help="--knowledge: only the neighbourhood of a state, person or organisation."
)
@click.option("--radius", type=click.IntRange(min=1), default=2, show_default=True, help="Hops around --ego.")
@click.option("--limit", type=click.IntRange(min=1), help="--knowledge: at most N nodes (highest degree).")
@click.option(
    "--size-by",
    type=AliasChoice(view.SIZE_BY),
    default="degree",
    show_default=True,
    help="--knowledge: measure giving the node size.",
)
@click.option("--title", default="defkg: bilateral defence relations", show_default=True, help="Page title.")
@reports_errors
def command(
    store: str,
    out: str,
    lang: str,
    pair: tuple[str, str] | None,
    select_: str | None,
    knowledge: bool,
    ego: str | None,
    radius: int,
    limit: int | None,
    size_by: str,
    title: str,
) -> None:
    """Write an interactive, offline HTML page of the states' engagements."""
    if not knowledge and (ego or limit):
        raise click.UsageError("--ego and --limit go with --knowledge (the page of every node)")
    with open_store(store, read_only=True) as st:
        if pair:
            pair = tuple(resolve.state_codes(st, *pair))  # type: ignore[assignment]
        if ego:
            ego = resolve.center(st, ego)
        if knowledge:
            page = view.view_html(
                st, pair=pair, ego=ego, radius=radius, limit=limit, size_by=size_by, title=title
            )
        else:
            page = view.page_html(st, lang=lang, title=title, select_pair=pair, select=select_)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    click.echo(f"wrote {path} ({len(page) // 1024} KiB)", err=True)
