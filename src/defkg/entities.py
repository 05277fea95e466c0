"""The entity layer: every state, organisation, place, rank, topic, role and person described once.

Article graphs hold what an article reports; the entities it refers to are described in one
graph of their own, ``dkr:graph/entities``. An entity's description is a pure function of its
IRI, the reference data (``data/*.tsv``, ``lang/*/*.tsv``) and, for entities the reference data
does not know (people above all), the forms articles used for it. Each article graph keeps
those forms (``e dk:mentionedAs "form"@lang``), so the entity graph can always be recomputed
from the article graphs: ingesting, re-ingesting or replacing articles in any order gives the
same entity graph as building it from scratch.

Every entity has exactly one ``skos:prefLabel`` per language (``en`` and ``tr``; an English one
always, falling back to the other language or the form seen), mirrored by ``rdfs:label``; other
forms are ``skos:altLabel``. People have one ``foaf:name``: the spelling with the most native
letters (diacritics), then the one written with the fewest all-capital words, then the first in
code-point order, so the choice never depends on the order articles came in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from defkg.gazetteer import LANGUAGES, _root, forms, lang_file, read_tsv, reference_states
from defkg.model import OrgRef, RankRef
from defkg.vocab import DK, ORGANIZATION_KINDS, RESOURCE_BASE, SDO, WD

ENTITY_GRAPH = RESOURCE_BASE + "graph/entities"
Triple = tuple[Node, Node, Node]
Form = tuple[str, str | None]  # (text, language tag or None)

_FORM_KINDS = ("person",)  # kinds whose description depends on the forms articles used


# -- reference tables ----------------------------------------------------------------------------
@dataclass
class _Row:
    """One reference entry with its forms per language."""

    key: str
    kind: str = ""
    state: str = ""  # iso3, "*" (generic: the state comes from context) or ""
    qid: str = ""
    forms: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _RankConcept:
    key: str
    nato: str
    service: str
    labels: dict[str, str]


@dataclass
class _Tables:
    state_forms: dict[str, dict[str, list[str]]]
    iso2: dict[str, str]
    cow: dict[str, str]
    orgs: dict[str, _Row]
    org_canonical: dict[str, str]  # alias key -> canonical key
    org_alias_of: dict[str, str]  # canonical key -> the alias row describing it
    places: dict[str, _Row]
    topics: dict[str, _Row]
    roles: dict[str, _Row]
    ranks: dict[str, _Row]  # lang/*/ranks.tsv rows
    rank_concepts: dict[str, _RankConcept]
    rank_of: dict[str, str]  # lang rank key -> concept key
    templates: dict[str, dict[str, str]]  # lang -> template key -> template


def _rows(file: str, key: str = "key", extra: tuple[str, ...] = ()) -> dict[str, _Row]:
    out: dict[str, _Row] = {}
    for lang in LANGUAGES:
        for r in read_tsv(lang_file(lang, file)):
            fs = forms(r.get("forms", ""))
            if not fs:
                continue
            row = out.setdefault(r[key], _Row(r[key]))
            row.forms.setdefault(lang, []).extend(f for f in fs if f not in row.forms.get(lang, []))
            row.kind = row.kind or r.get("kind", "")
            row.state = row.state or r.get("state", "") or r.get("iso3", "")
            row.qid = row.qid or r.get("qid", "")
    return out


@cache
def tables() -> _Tables:
    data = _root() / "data"
    state_forms: dict[str, dict[str, list[str]]] = {}
    for lang in LANGUAGES:
        for r in read_tsv(lang_file(lang, "states.tsv")):
            if r.get("kind") == "name":
                state_forms.setdefault(r["iso3"], {}).setdefault(lang, []).extend(forms(r["forms"]))
    states_rows = read_tsv(data / "states.tsv")
    canonical = {r["key"]: r["canonical"] for r in read_tsv(data / "org_keys.tsv")}
    concepts: dict[str, _RankConcept] = {}
    rank_of: dict[str, str] = {}
    for r in read_tsv(data / "rank_scheme.tsv"):
        concepts[r["key"]] = _RankConcept(
            r["key"], r["nato"], r["service"], {"en": r["label_en"], "tr": r["label_tr"]}
        )
        for m in forms(r["members"]):
            rank_of.setdefault(m, r["key"])
    templates = {
        lang: {r["key"]: r["template"] for r in read_tsv(lang_file(lang, "entity_labels.tsv"))}
        for lang in LANGUAGES
    }
    return _Tables(
        state_forms=state_forms,
        iso2={r["iso3"]: r["iso2"] for r in states_rows if r.get("iso2")},
        cow={r["iso3"]: r["cow"] for r in states_rows if r.get("cow")},
        orgs=_rows("orgs.tsv"),
        org_canonical=canonical,
        org_alias_of={c: k for k, c in sorted(canonical.items())},
        places=_rows("places.tsv"),
        topics=_rows("topics.tsv"),
        roles=_rows("roles.tsv"),
        ranks=_rows("ranks.tsv"),
        rank_concepts=concepts,
        rank_of=rank_of,
        templates=templates,
    )


# -- keys the pipeline stores under ----------------------------------------------------------------
def org_key(org: OrgRef, host: str | None = None) -> str:
    """The canonical key of an organisation: one per state and function, whatever the language
    (``msb`` and ``tur-mod`` are one key); an embassy is keyed by its sending and host state."""
    key = tables().org_canonical.get(org.key, org.key)
    if host and org.state and key == f"{org.state.lower()}-embassy" and host != org.state:
        key = f"{key}-{host.lower()}"
    return key


def rank_key(rank: RankRef) -> str:
    """The rank concept a rank of the gazetteer is stored as (NATO code and service)."""
    t = tables()
    if rank.key in t.rank_of:
        return t.rank_of[rank.key]
    if not rank.nato:
        return rank.key
    service = rank.service if rank.service in ("navy", "air") else "army"
    for c in t.rank_concepts.values():
        if c.nato == rank.nato and c.service == service:
            return c.key
    return rank.key


# -- choosing labels ---------------------------------------------------------------------------------
def _native(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 127 and unicodedata.category(ch).startswith("L"))


def _caps_words(text: str) -> int:
    return sum(1 for w in text.split() if len(w) > 1 and w.isupper())


def preferred(candidates: Iterable[str]) -> str | None:
    """The preferred one of several spellings (order-independent): most native letters, fewest
    all-capital words, then the first in code-point order."""
    cands = {c for c in candidates if c and c.strip()}
    if not cands:
        return None
    return min(cands, key=lambda c: (-_native(c), _caps_words(c), c))


@lru_cache(maxsize=4096)
def _state_label(iso3: str, lang: str) -> str:
    ref = reference_states().get(iso3)
    if ref is None:
        return iso3
    return ref.label_tr if lang == "tr" else ref.label_en


@lru_cache(maxsize=65536)
def _lit(text: str, lang: str | None = None) -> Literal:
    """A plain or language-tagged literal, made once (rdflib's ``Literal()`` costs ~20 µs)."""
    return Literal(text, lang=lang)


class _Desc:
    """The triples describing one entity, built with labels per language."""

    def __init__(self, iri: str) -> None:
        self.s = URIRef(iri)
        self.triples: list[Triple] = []
        self.pref: dict[str, str] = {}
        self.alt: dict[str, set[str]] = {}

    def add(self, p: Node, o: Node) -> None:
        self.triples.append((self.s, p, o))

    def label(self, lang: str, text: str | None) -> None:
        if text and lang not in self.pref:
            self.pref[lang] = text

    def alts(self, lang: str, texts: Iterable[str]) -> None:
        self.alt.setdefault(lang, set()).update(t for t in texts if t)

    def names(self, forms: dict[str, list[str]]) -> None:
        """A reference row's forms per language: the first is the label, all are alternatives."""
        for lang in LANGUAGES:
            if forms.get(lang):
                self.label(lang, forms[lang][0])
                self.alts(lang, forms[lang])

    def done(self, fallback: str) -> list[Triple]:
        for lang in LANGUAGES:
            if lang not in self.pref:
                other = [self.pref[x] for x in LANGUAGES if x in self.pref]
                self.pref[lang] = other[0] if other else fallback
        for lang in LANGUAGES:
            pref = _lit(self.pref[lang], lang)
            self.add(SKOS.prefLabel, pref)
            self.add(RDFS.label, pref)
            for a in sorted(self.alt.get(lang, set()) - {self.pref[lang]}):
                self.add(SKOS.altLabel, _lit(a, lang))
        return self.triples


def _split(iri: str) -> tuple[str, str]:
    if not iri.startswith(RESOURCE_BASE):
        return "", iri
    kind, _, key = iri[len(RESOURCE_BASE) :].partition("/")
    return kind, key


def needs_forms(iri: str) -> bool:
    """Whether the entity's description depends on the forms articles used for it (people, and
    anything the reference data does not know); others depend on the IRI alone."""
    kind, key = _split(iri)
    if kind in _FORM_KINDS:
        return True
    return not _known(kind, key)


def _known(kind: str, key: str) -> bool:
    t = tables()
    if kind == "state":
        return key in reference_states()
    if kind == "org":
        return _org_parts(key) is not None
    if kind == "place":
        return key in t.places
    if kind == "topic":
        return key in t.topics
    if kind == "rank":
        return key in t.rank_concepts or key in t.ranks
    if kind == "role":
        return key.split("/")[0] in t.roles
    return False


def _org_parts(key: str) -> tuple[str | None, str, str | None] | None:
    """(state, reference key, host) of an organisation key, or None when unknown."""
    t = tables()
    if key in t.orgs:
        row = t.orgs[key]
        return (row.state if row.state not in ("", "*", "-") else None), key, None
    state, _, rest = key.partition("-")
    iso = state.upper()
    if iso not in reference_states() or not rest:
        return None
    if rest in t.orgs and t.orgs[rest].state == "*":
        return iso, rest, None
    if rest.startswith("embassy-") and rest[8:].upper() in reference_states():
        return iso, "embassy", rest[8:].upper()
    return None


def describe(iri: str, seen: Iterable[Form] = ()) -> list[Triple]:
    """The triples describing entity ``iri`` in the entity graph, from reference data and the
    forms articles used for it (``seen``). Deterministic: the same input, the same triples."""
    kind, key = _split(iri)
    seen = sorted(set(seen), key=lambda f: (f[0], f[1] or ""))
    d = _Desc(iri)
    fn = _DESCRIBERS.get(kind)
    known = fn is not None and (kind in _FORM_KINDS or _known(kind, key))
    if not needs_forms(iri):
        seen = []  # described from the reference data alone, whatever the articles wrote
    fallback = preferred(f for f, _ in seen) or key
    if fn is None or not known:
        _unknown(d, kind, key, seen)
    else:
        fn(d, key, seen)
    return d.done(fallback)


def description(iri: str, seen: Iterable[Form] = ()) -> tuple[Triple, ...]:
    """``describe``, remembered: the same entity and forms recur in article after article (what
    validation of an article reads; measured 2.0 -> 0.2 ms per real article)."""
    if not needs_forms(iri):
        return _reference_description(iri)
    return _described(iri, frozenset(seen))


@lru_cache(maxsize=16384)
def _described(iri: str, seen: frozenset[Form]) -> tuple[Triple, ...]:
    return tuple(describe(iri, seen))


def _by_lang(seen: Iterable[Form]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text, lang in seen:
        out.setdefault(lang or "en", []).append(text)
    return out


def _unknown(d: _Desc, kind: str, key: str, seen: list[Form]) -> None:
    cls = {
        "state": DK.State,
        "org": DK.Organization,
        "place": DK.Place,
        "topic": DK.Topic,
        "rank": DK.Rank,
        "role": DK.Role,
        "person": DK.Official,
    }.get(kind, DK.Topic)
    d.add(RDF.type, cls)
    if kind == "org":  # a body of a state by a key of its own: "deu-bmvg"
        state = key.partition("-")[0].upper()
        if "-" in key and state in reference_states():
            d.add(DK.ofState, URIRef(RESOURCE_BASE + "state/" + state))
    for lang, texts in _by_lang(seen).items():
        d.label(lang, preferred(texts))
        d.alts(lang, texts)


def _state(d: _Desc, iso3: str, seen: list[Form]) -> None:
    t = tables()
    ref = reference_states()[iso3]
    d.add(RDF.type, DK.State)
    d.label("en", ref.label_en)
    d.label("tr", ref.label_tr)
    for lang, fs in t.state_forms.get(iso3, {}).items():
        d.alts(lang, fs)
    d.add(DK.iso3, Literal(iso3))
    if iso3 in t.iso2:
        d.add(DK.iso2, Literal(t.iso2[iso3]))
    if iso3 in t.cow:
        d.add(DK.cowCode, Literal(int(t.cow[iso3]), datatype=XSD.integer))
    if ref.qid:
        d.add(DK.wikidata, WD[ref.qid])


def _template(lang: str, name: str, **values: str) -> str:
    return tables().templates[lang][name].format(**values)


def _org(d: _Desc, key: str, seen: list[Form]) -> None:
    t = tables()
    parts = _org_parts(key)
    assert parts is not None
    state, ref_key, host = parts
    row = t.orgs[ref_key]
    alias = t.orgs.get(t.org_alias_of.get(key, ""))
    d.add(RDF.type, ORGANIZATION_KINDS.get((alias or row).kind, DK.Organization))
    for lang in LANGUAGES:
        generic = row.forms.get(lang) or row.forms.get("en") or [ref_key]
        if alias is not None and alias.forms.get(lang):  # a state's body with a name of its own
            d.label(lang, alias.forms[lang][0])
            d.alts(lang, alias.forms[lang])
        if host and state:
            d.label(
                lang,
                _template(lang, "embassy-in", state=_state_label(state, lang), host=_state_label(host, lang)),
            )
        elif state and row.state == "*":
            composed = _template(lang, "org-of-state", label=generic[0], state=_state_label(state, lang))
            d.label(lang, composed)
            d.alts(lang, [composed])
        else:
            d.label(lang, generic[0])
            d.alts(lang, row.forms.get(lang, []))
    acronyms = sorted(
        {f for r in (alias, row if row.state != "*" else None) if r for fs in r.forms.values() for f in fs}
    )
    acronym = next((f for f in acronyms if f.isupper() and len(f) <= 8 and " " not in f), None)
    if acronym:
        d.add(DK.acronym, Literal(acronym))
    qid = (alias.qid if alias else "") or (row.qid if row.state != "*" else "")
    if qid:
        d.add(DK.wikidata, WD[qid])
    if state:
        d.add(DK.ofState, URIRef(RESOURCE_BASE + "state/" + state))


def _place(d: _Desc, key: str, seen: list[Form]) -> None:
    row = tables().places[key]
    d.add(RDF.type, DK.Place)
    d.names(row.forms)
    if row.qid:
        d.add(DK.wikidata, WD[row.qid])
    if row.state and row.state in reference_states():
        d.add(SDO.containedInPlace, URIRef(RESOURCE_BASE + "state/" + row.state))


def _topic(d: _Desc, key: str, seen: list[Form]) -> None:
    row = tables().topics[key]
    d.add(RDF.type, DK.Topic)
    if row.kind == "Region":
        d.add(RDF.type, DK.Place)
    d.names(row.forms)
    if row.qid:
        d.add(DK.wikidata, WD[row.qid])


def _rank(d: _Desc, key: str, seen: list[Form]) -> None:
    t = tables()
    d.add(RDF.type, DK.Rank)
    d.add(RDF.type, SKOS.Concept)
    d.add(SKOS.inScheme, DK.RankScheme)
    members = [k for k, c in t.rank_of.items() if c == key]
    concept = t.rank_concepts.get(key)
    if concept is not None:
        for lang in LANGUAGES:
            d.label(lang, concept.labels.get(lang))
        d.add(DK.natoCode, Literal(concept.nato))
        d.add(DK.service, Literal(concept.service))
    else:
        members = [key]
    for row in (t.ranks[m] for m in sorted(members) if m in t.ranks):
        for lang in LANGUAGES:
            if row.forms.get(lang):
                d.label(lang, row.forms[lang][0].replace("-", " "))
                d.alts(lang, row.forms[lang])


def _role(d: _Desc, key: str, seen: list[Form]) -> None:
    t = tables()
    role, *rest = key.split("/")
    row = t.roles[role]
    if not rest:
        d.add(RDF.type, DK.Role)
        for lang in LANGUAGES:
            if row.forms.get(lang):
                d.label(lang, row.forms[lang][0])
        return
    state = rest[0].upper()
    host = rest[1].upper() if len(rest) > 1 else None
    d.add(RDF.type, ORG.Post)
    d.add(ORG.role, URIRef(RESOURCE_BASE + "role/" + role))
    for lang in LANGUAGES:
        label = (row.forms.get(lang) or row.forms.get("en") or [role])[0]
        if state in reference_states():
            if host and host in reference_states():
                names = {"state": _state_label(state, lang), "host": _state_label(host, lang)}
                label = _template(lang, "role-of-state-to", label=label, **names)
            else:
                label = _template(lang, "role-of-state", label=label, state=_state_label(state, lang))
        d.label(lang, label)
    if state in reference_states():
        d.add(DK.ofState, URIRef(RESOURCE_BASE + "state/" + state))
    if host and host in reference_states():
        d.add(DK.accreditedTo, URIRef(RESOURCE_BASE + "state/" + host))


def _person(d: _Desc, key: str, seen: list[Form]) -> None:
    d.add(RDF.type, DK.Official)
    names = [f for f, _ in seen]
    name = preferred(names) or key.rsplit("/", 1)[-1]
    d.add(FOAF.name, _lit(name))
    for lang in LANGUAGES:
        d.label(lang, name)
        d.alts(lang, names)
    code = key.split("/", 1)[0].upper()
    if code in reference_states():
        d.add(DK.nationality, URIRef(RESOURCE_BASE + "state/" + code))


_DESCRIBERS = {
    "state": _state,
    "org": _org,
    "place": _place,
    "topic": _topic,
    "rank": _rank,
    "role": _role,
    "person": _person,
}


def is_entity(iri: str) -> bool:
    return _split(iri)[0] in _DESCRIBERS


def entity_graph(mentions: Iterable[tuple[str, Form]]) -> Iterator[Triple]:
    """The whole entity graph from (entity IRI, form) pairs, as read from every article graph."""
    by_entity: dict[str, set[Form]] = {}
    for iri, form in mentions:
        by_entity.setdefault(iri, set()).add(form)
    for iri in sorted(by_entity):
        yield from describe(iri, by_entity[iri])


# -- keeping the entity graph of a store up to date --------------------------------------------------
_MENTIONED_AS = str(DK.mentionedAs)


def mentioned_in(store: Any, graphs: Iterable[str]) -> set[str]:
    """The entities the given named graphs refer to (``dk:mentionedAs``). Index look-ups per graph,
    not a join: the cost follows the graphs named, not the size of the store."""
    return set(mentions_in(store, graphs))


def mentions_in(store: Any, graphs: Iterable[str]) -> dict[str, set[Any]]:
    """Entity IRI -> the ``dk:mentionedAs`` terms the given named graphs use for it."""
    out: dict[str, set[Any]] = {}
    mentioned = ox.NamedNode(_MENTIONED_AS)
    for g in sorted({g for g in graphs if g != ENTITY_GRAPH}):
        for q in store.quads(None, mentioned, None, ox.NamedNode(g)):
            out.setdefault(q.subject.value, set()).add(q.object)
    return out


def _forms_known(store: Any, node: Any, terms: Iterable[Any], added: set[str]) -> bool:
    """Whether every one of ``terms`` is also a form of ``node`` in some graph other than the
    ``added`` ones: then the graphs just added change nothing of the entity's description (it is a
    function of the set of forms). Stops at the first such graph: a few index look-ups however
    many articles name the entity (re-reading all its forms made a long ingest quadratic)."""
    mentioned, entity_graph_node = ox.NamedNode(_MENTIONED_AS), ox.NamedNode(ENTITY_GRAPH)
    for term in terms:
        for q in store.quads(node, mentioned, term, None):
            if q.graph_name != entity_graph_node and q.graph_name.value not in added:
                break
        else:
            return False
    return True


def _term(t: Any) -> tuple[str, str | None]:
    return t.value, (t.language or None)


def first_description(mentions: dict[str, set[Form]]) -> list[Triple]:
    """The entity graph of a store that holds nothing but the graphs using these forms (entity IRI
    -> its forms in them): what ``refresh`` writes into an empty store after they are loaded, so
    that ingest can load it with them (each entity's forms as ``refresh`` reads them back)."""
    out: dict[Triple, None] = {}
    for i in sorted(i for i, seen in mentions.items() if seen and i.startswith(RESOURCE_BASE)):
        triples = describe(i, mentions[i]) if needs_forms(i) else _reference_description(i)
        out.update(dict.fromkeys(triples))
    return list(out)


def refresh(
    store: Any, iris: Iterable[str], added: tuple[set[str], dict[str, set[Any]]] | None = None
) -> None:
    """Describe again the given entities in the store's entity graph from the article graphs it
    holds now (an entity no article refers to any more is removed), in one transaction.

    ``added``: (graphs, their mentions as ``mentions_in`` gives them) when those graphs were only
    added (no graph replaced or removed): an entity already described whose forms in them all
    occur in other graphs too is left as it is.

    An entity described from the reference data alone (``needs_forms`` false) has the same
    description whoever refers to it: it is only added when first referred to and removed when no
    longer; the others (people) are described again from all the forms the articles used.
    Every look-up is an index look-up by subject (measured: a SPARQL join of VALUES with the
    patterns scanned the whole store per chunk, so ingest slowed down as the store grew)."""
    from defkg.ingest import ntriples

    todo = sorted(i for i in set(iris) if i.startswith(RESOURCE_BASE))
    if not todo:
        return
    mentioned, entity_graph_node = ox.NamedNode(_MENTIONED_AS), ox.NamedNode(ENTITY_GRAPH)
    stale: list[Any] = []  # quads of the entity graph to delete
    triples: list[Triple] = []
    for i in todo:
        node = ox.NamedNode(i)
        if (
            added is not None
            and needs_forms(i)
            and i in added[1]
            and next(iter(store.quads(node, None, None, entity_graph_node)), None) is not None
            and _forms_known(store, node, added[1][i], added[0])
        ):
            continue
        forms: set[Form] | None = set() if needs_forms(i) else None
        alive = False
        for q in store.quads(node, mentioned, None, None):
            if q.graph_name == entity_graph_node:
                continue
            alive = True
            if forms is None:
                break
            forms.add(_term(q.object))
        present = list(store.quads(node, None, None, entity_graph_node))
        if present and (not alive or forms is not None):
            stale.extend(present)
        if alive and forms is not None:
            triples.extend(describe(i, forms))
        elif alive and not present:
            triples.extend(_reference_description(i))
    parts = []
    if stale:
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in stale)
        parts.append(f"DELETE DATA {{ GRAPH <{ENTITY_GRAPH}> {{\n{body}\n}} }}")
    if triples:
        parts.append(f"INSERT DATA {{ GRAPH <{ENTITY_GRAPH}> {{\n{ntriples(triples)}}} }}")
    if parts:
        store.update(" ;\n".join(parts))


@lru_cache(maxsize=16384)
def _reference_description(iri: str) -> tuple[Triple, ...]:
    return tuple(describe(iri))


def rebuild(store: Any) -> None:
    """Compute the whole entity graph again from the article graphs (one transaction)."""
    from defkg.ingest import ntriples

    q = f"SELECT ?e ?f WHERE {{ GRAPH ?g {{ ?e <{_MENTIONED_AS}> ?f }} }}"
    mentions = [
        (sol[0].value, _term(sol[1]) if needs_forms(sol[0].value) else ("", None))
        for sol in store.query(q, union=False)
    ]
    triples = list(entity_graph(mentions))
    update = f"DROP SILENT GRAPH <{ENTITY_GRAPH}>"
    if triples:
        update += f" ;\nINSERT DATA {{ GRAPH <{ENTITY_GRAPH}> {{\n{ntriples(triples)}}} }}"
    store.update(update)
