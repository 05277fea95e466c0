from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import click

from defkg.cli.common import reports_errors, store_option
from defkg.export import ALIASES, FORMATS
from defkg.sparql_errors import did_you_mean


class AliasChoice(click.Choice):
    """A choice that ignores case, accepts aliases (``ttl`` for ``turtle``) and says "did you
    mean" for a near miss."""

    def __init__(self, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        super().__init__(list(choices), case_sensitive=False)
        self.aliases = dict(aliases or {})

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        key = str(value).strip().lower()
        key = self.aliases.get(key, key)
        if key in self.choices:
            return key
        names = ", ".join(str(c) for c in self.choices)
        also = f"; also {', '.join(self.aliases)}" if self.aliases else ""
        close = did_you_mean(key, [*map(str, self.choices), *self.aliases])
        self.fail(f"{value!r} is not one of {names}{also}{close}", param, ctx)


@click.command(
    "export",
    epilog="""\b
Examples:
  defkg export --store store --format turtle --out exports
  defkg export --store store --format ttl --out exports/graph.ttl
  defkg export --store store --format trig --out exports/defkg.trig
\b
Formats (aliases): turtle (ttl), trig, nt (n-triples), nquads (nq, n-quads), jsonld (json-ld, json).
""",
)
@store_option
@click.option(
    "--format",
    "fmt",
    type=AliasChoice(FORMATS, ALIASES),
    default="turtle",
    show_default=True,
    help="turtle/nt: all article graphs merged; trig/nquads/jsonld: one named graph per article.",
)
@click.option("--out", required=True, type=click.Path(), help="Directory (for defkg.EXT) or file path.")
@reports_errors
def command(store: str, fmt: str, out: str) -> None:
    """Export the knowledge graph for other tools."""
    import defkg

    with defkg.open(store, read_only=True) as kg:
        path = kg.export(fmt, out)
    click.echo(f"wrote {path}", err=True)
    click.echo(str(path))
