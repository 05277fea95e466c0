"""Find things by name: a state, person, organisation, place... from what a user types.

``Türkiye``, ``Turkey``, ``turkiye``, ``TUR`` and ``tur`` all name the same state; ``Yasar Guler``
names the person whose preferred name is ``Yaşar Güler``. Names are matched on their folded form
(``textnorm.fold``: Turkish lower case, no diacritics or punctuation) against every label the
store holds for an entity: ``skos:prefLabel`` and ``skos:altLabel`` (the entity layer),
``rdfs:label`` and ``foaf:name`` (older stores), and a state's ISO 3166 alpha-3 code. A near miss
gets "did you mean ..." (difflib); a name that fits several entities lists them.

The module also writes IRIs the way the CLI prints them (``sparql_name``): a prefixed name that
SPARQL parses as written (``dkr:state\\/TUR``; ``dkr:state/TUR`` is not valid SPARQL), or the
full ``<IRI>`` where no prefix fits, so whatever the CLI prints can be pasted into a query.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from defkg.errors import QueryError
from defkg.namespaces import PREFIXES
from defkg.textnorm import fold

# rows of plain strings (None when unbound) for a SELECT query; see ``store_select``
Select = Callable[[str], Sequence[Sequence[str | None]]]

DK = PREFIXES["dk"]
# classes whose members are things an analyst names (not meetings, articles, evidence...)
KINDS: dict[str, tuple[str, ...]] = {
    "state": (DK + "State",),
    "person": (DK + "Official", "http://xmlns.com/foaf/0.1/Person"),
    "organisation": (DK + "Organization", "http://www.w3.org/ns/org#Organization"),
    "place": (DK + "Place", "https://schema.org/Place"),
    "rank": (DK + "Rank",),
    "topic": (DK + "Topic",),
}

_LABELS = """
SELECT DISTINCT ?e ?l ?code WHERE {
  VALUES ?class { %s }
  ?e a/rdfs:subClassOf* ?class .
  { ?e skos:prefLabel ?l } UNION { ?e skos:altLabel ?l } UNION { ?e rdfs:label ?l }
  UNION { ?e foaf:name ?l } UNION { ?e dk:iso3 ?l BIND(?l AS ?code) }
}
"""
_PREFERRED = """
SELECT DISTINCT ?e ?l ?kind (LANG(?l) AS ?lang) WHERE {
  VALUES ?e { %s }
  { ?e skos:prefLabel ?l BIND(0 AS ?kind) } UNION { ?e rdfs:label ?l BIND(1 AS ?kind) }
  UNION { ?e foaf:name ?l BIND(2 AS ?kind) }
}
"""


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str  # the preferred label (English where there is one)
    code: str | None = None  # a state's ISO alpha-3 code

    def __str__(self) -> str:
        return f"{self.label} ({self.code or sparql_name(self.iri)})"


# characters a prefixed name's local part may hold as they are, and those it may hold escaped
_LOCAL_PLAIN = re.compile(r"[A-Za-z0-9_\-\u00B7\u00C0-\uFFFF]")
_LOCAL_ESCAPABLE = set("_~.-!$&'()*+,;=/?#@%")


def sparql_name(iri: str) -> str:
    """``iri`` as SPARQL reads it with the predeclared prefixes: ``dkr:state\\/TUR`` (the ``/`` is
    escaped, as SPARQL 1.1's PN_LOCAL_ESC allows), else the full ``<iri>``."""
    for prefix, base in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if not iri.startswith(base) or len(iri) == len(base):
            continue
        out = []
        for i, c in enumerate(iri[len(base) :]):
            if _LOCAL_PLAIN.fullmatch(c) and not (c == "-" and i == 0):
                out.append(c)
            elif c in _LOCAL_ESCAPABLE:
                out.append("\\" + c)
            else:
                break
        else:
            return f"{prefix}:{''.join(out)}"
    return f"<{iri}>"


def expand(spec: str) -> str | None:
    """The full IRI written by ``spec`` (``<iri>``, ``https://…``, ``dkr:state/TUR`` with or
    without escapes), or ``None`` when ``spec`` is not written as an IRI."""
    spec = spec.strip()
    if spec.startswith("<") and spec.endswith(">"):
        spec = spec[1:-1]
    if re.match(r"[a-z][a-z0-9+.-]*://", spec, re.IGNORECASE):
        return spec
    prefix, colon, rest = spec.partition(":")
    if colon and prefix in PREFIXES and rest and " " not in rest:
        return PREFIXES[prefix] + re.sub(r"\\(.)", r"\1", rest)
    return None


def store_select(store: object) -> Select:
    """A ``Select`` over an open ``defkg.store.Store``."""

    def select(sparql: str) -> list[list[str | None]]:
        rows = store.query(sparql)  # type: ignore[attr-defined]
        n = len(rows.variables)
        return [[r[i].value if r[i] is not None else None for i in range(n)] for r in rows]

    return select


def table_select(run: Callable[[str], object]) -> Select:
    """A ``Select`` from a function returning a ``queries.Table`` (a remote endpoint)."""

    def select(sparql: str) -> list[list[str | None]]:
        table = run(sparql)
        return [[t["value"] if t else None for t in row] for row in table.rows]  # type: ignore[attr-defined]

    return select


class Resolver:
    """Names → entities of some kinds, read once from a store."""

    def __init__(self, select: Select, kinds: Iterable[str] = tuple(KINDS)) -> None:
        self.kinds = tuple(kinds)
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise QueryError(f"unknown kind of entity {unknown[0]!r} (one of {', '.join(KINDS)})")
        classes = " ".join(f"<{c}>" for k in self.kinds for c in KINDS[k])
        self._select = select
        self.by_key: dict[str, set[str]] = {}
        self.codes: dict[str, str] = {}
        for e, label, code in select(_LABELS % classes):
            if e is None or label is None:
                continue
            self.by_key.setdefault(fold(label), set()).add(e)
            if code:
                self.codes[e] = code
        if "state" in self.kinds:  # the project's gazetteers: "Turkey", "Türkiye Cumhuriyeti"...
            by_code = {code: e for e, code in self.codes.items()}
            for key, code in _state_names().items():
                if code in by_code:
                    self.by_key.setdefault(key, set()).add(by_code[code])
        self._labels: dict[str, str] = {}

    def _entity(self, iri: str) -> Entity:
        return Entity(iri, self.label(iri), self.codes.get(iri))

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            best: tuple[int, int, int, str] | None = None
            for _, label, kind, lang in self._select(_PREFERRED % f"<{iri}>"):
                if label is None:
                    continue
                accents = -sum(not c.isascii() for c in label)  # "Yaşar Güler" before "Yasar Guler"
                rank = (int(kind or 9), {"en": 0, "": 1}.get(lang or "", 2), accents, label)
                best = rank if best is None or rank < best else best
            self._labels[iri] = best[-1] if best else sparql_name(iri)
        return self._labels[iri]

    def candidates(self, text: str) -> list[Entity]:
        """Every entity ``text`` names exactly (folded), or by IRI."""
        iri = expand(text)
        if iri is not None:
            known = any(iri in es for es in self.by_key.values())
            return [self._entity(iri)] if known else []
        return sorted((self._entity(e) for e in self.by_key.get(fold(text), ())), key=lambda e: e.iri)

    def near(self, text: str, n: int = 3) -> list[Entity]:
        keys = difflib.get_close_matches(fold(text), list(self.by_key), n=n, cutoff=0.75)
        seen: dict[str, Entity] = {}
        for k in keys:
            for e in sorted(self.by_key[k]):
                seen.setdefault(e, self._entity(e))
        return list(seen.values())[:n]

    def one(self, text: str) -> Entity:
        """The one entity ``text`` names; ``QueryError`` with candidates or suggestions otherwise."""
        what = " or ".join(self.kinds) if len(self.kinds) < len(KINDS) else "state, person or organisation"
        found = self.candidates(text)
        states = [e for e in found if e.code]
        if len(found) > 1 and len(states) == 1:
            return states[0]  # "Singapore", "Luxembourg": the state before its capital
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"{e.label} {sparql_name(e.iri)}" for e in found[:8])
            raise QueryError(f"{text!r} names {len(found)} entities: {listed}; give one of these IRIs")
        near = self.near(text)
        hint = f"; did you mean {' or '.join(str(e) for e in near)}?" if near else ""
        raise QueryError(f"no {what} named {text!r} in the store{hint}")


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    """Folded state names of both gazetteers (``lang/*/states.tsv``, kind ``name``) -> ISO alpha-3."""
    from defkg import gazetteer

    out: dict[str, str] = {}
    for lang in ("en", "tr"):
        for form, entry in gazetteer.load(lang).forms:
            if entry.category == "state" and entry.kind == "name":
                out.setdefault(fold(form), entry.key)
    return out


def resolve(select: Select, text: str, kinds: Iterable[str] = tuple(KINDS)) -> Entity:
    """The entity of one of ``kinds`` that ``text`` names (a name in either language or spelling,
    a state code in any case, or an IRI)."""
    return Resolver(select, kinds).one(text)


def state_code(select: Select, text: str) -> str:
    """The ISO alpha-3 code of the state ``text`` names (``tur``, ``Türkiye``, ``Turkey`` → ``TUR``)."""
    e = Resolver(select, ("state",)).one(text)
    if not e.code:
        raise QueryError(f"{e.label} has no ISO 3166 alpha-3 code in the store")
    return e.code


def state_codes(store: object, *texts: str) -> list[str]:
    """ISO alpha-3 codes of the states ``texts`` name, looked up in an open store (``--pair``)."""
    r = Resolver(store_select(store), ("state",))
    out = []
    for t in texts:
        e = r.one(t)
        if not e.code:
            raise QueryError(f"{e.label} has no ISO 3166 alpha-3 code in the store")
        out.append(e.code)
    return out


def center(store: object, text: str) -> str:
    """What ``--ego`` hands the graph functions: a state's ISO code, another entity's IRI, or the
    text itself when it names nothing exactly and nothing closely (the graph then tries a partial
    match on its node labels). A near miss or an ambiguous name raises ``QueryError``."""
    r = Resolver(store_select(store))
    found = r.candidates(text)
    if len(found) == 1:
        return found[0].code or found[0].iri
    if len(found) > 1 or r.near(text):
        r.one(text)  # raises with the candidates or the suggestions
    return text
