from __future__ import annotations

import click

from defkg import resolve
from defkg.cli.common import Failure, reports_errors, store_option
from defkg.explain import explain, resolve_iri
from defkg.store import open_store


@click.command(
    "explain",
    epilog="""\b
Examples:
  defkg explain dkr:meeting/gbr-tur/2025-05-29 --store store
  defkg explain https://w3id.org/defkg/id/person/tur/altindag-ilkay --store store
  defkg explain "Yaşar Güler" --store store
  defkg explain tur --store store
""",
)
@click.argument("iri")
@store_option
@reports_errors
def command(iri: str, store: str) -> None:
    """Every fact about a meeting, person or other resource (an IRI as printed by defkg, or a
    name in English or Turkish, or a state code), with the sentence and the article it was read from."""
    with open_store(store, read_only=True) as st:
        if resolve.expand(iri) is None and "/" not in iri:  # a name, not an IRI or a dkr: path
            full = resolve.Resolver(resolve.store_select(st)).one(iri).iri
        else:
            full = resolve_iri(st, iri)
        facts = explain(st, full)
    if not facts:
        raise Failure(f"no facts with evidence about {resolve.sparql_name(full)}")
    article = None
    for f in facts:
        if f.article != article:
            article = f.article
            click.echo(f"\n# {f.headline or ''}\n# {f.url or f.article}")
        click.echo(f"{f.subject} {f.predicate} {f.object}\n    \u201c{f.sentence}\u201d")
