"""Last stage: an ``Extraction`` becomes an RDF graph (the only stage importing rdflib).

Each article gives one named graph, ``dkr:graph/ID``, holding the article's
metadata, what it says (meetings, delegations, people's ranks and posts, topics,
stances) and, for every fact, an evidence node naming the fact (``rdf:subject``,
``rdf:predicate``, ``rdf:object``) and pointing to the ``dk:Sentence`` it was read from
(``dk:sentence``; one node per cited sentence, holding its text once). An evidence node is a
blank node: nothing outside its graph refers to it, and the store keeps a blank node without a
string of its own (an IRI's string was ~5 % of a real report's bytes on disk). The evidence node's class,
``dk:Evidence``, follows from ``dk:sentence``'s domain and is not written (a ninth of the quads).
The entities it refers to (states, organisations, places, ranks, topics, roles, people) are not
described here but in the entity graph (``defkg.entities``); the article graph keeps only the
forms it used for them (``dk:mentionedAs``), from which that graph is computed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.term import Node

from defkg import __version__, entities, iris, vocab
from defkg.gazetteer import reference_states
from defkg.model import (
    Article,
    Evidence,
    Extraction,
    MeetingFact,
    OrgRef,
    Person,
    PlaceRef,
    RankRef,
    StateRef,
    TopicRef,
)
from defkg.pipeline import triples_engagements
from defkg.vocab import ORGANIZATION_KINDS, Terms, bind_prefixes

# the vocabulary's terms, each looked up once: DK.rank is then always the same object
DK, SDO = Terms(vocab.DK), Terms(vocab.SDO)
ORG, PROV, RDF, RDFS = (
    Terms(namespace.ORG),
    Terms(namespace.PROV),
    Terms(namespace.RDF),
    Terms(namespace.RDFS),
)
XSD = Terms(namespace.XSD)

_MEETING_KINDS = {
    k: getattr(DK, k)
    for k in (
        "Consultations",
        "OfficialVisit",
        "CourtesyCall",
        "Talks",
        "MinisterialMeeting",
        "DialogueGroupMeeting",
        "SecurityMechanismMeeting",
        "PhoneCall",
    )
}
_STANCE_KINDS = {
    k: getattr(DK, k) for k in ("Support", "Opposition", "Concern", "Condemnation", "Agreement", "Commitment")
}
_STATUS = {"Reported": DK.Reported, "Recalled": DK.Recalled, "Planned": DK.Planned}


Triple = tuple[Node, Node, Node]
Form = tuple[str, str | None]
# the terms of every evidence node, looked up once (a namespace attribute is a function call)
_TYPE, _SENTENCE, _SENTENCE_INDEX = RDF.type, DK.sentence, DK.sentenceIndex
_SUBJECT, _PREDICATE, _OBJECT, _QUOTED_FROM = RDF.subject, RDF.predicate, RDF.object, PROV.wasQuotedFrom
_SENTENCE_CLASS, _TEXT, _MENTIONED_AS = DK.Sentence, DK.text, DK.mentionedAs


@dataclass(frozen=True)
class ArticleGraph:
    """An article's named graph: its IRI and its triples, each once, in the order they were made;
    ``entities``: the entities it refers to, each with the forms the article used (also in the
    triples, as ``dk:mentionedAs``), from which ``defkg.entities`` describes them."""

    identifier: URIRef
    triples: tuple[Triple, ...]
    entities: tuple[tuple[str, tuple[Form, ...]], ...] = ()

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def graph(self) -> Graph:
        g = Graph(identifier=self.identifier)
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    def described(self) -> DescribedGraph:
        """The article's triples plus the entity graph's description of every entity it refers to
        (what validation checks: the article as a reader of the store sees it)."""
        return DescribedGraph(self.identifier, self.triples, self.entities)


@dataclass(frozen=True)
class DescribedGraph:
    """An article graph with the descriptions of its entities, iterated without being copied
    (validation indexes the triples as they come: a triple given twice counts once there)."""

    identifier: URIRef
    article: tuple[Triple, ...]
    entities: tuple[tuple[str, tuple[Form, ...]], ...] = ()

    def __len__(self) -> int:
        return len(dict.fromkeys(self))

    def __iter__(self) -> Iterator[Triple]:
        from defkg import entities

        yield from self.article
        for iri, forms in self.entities:
            yield from entities.description(iri, forms)

    def index_parts(self) -> tuple[tuple[Triple, ...], list[tuple[Hashable, tuple[Triple, ...]]]]:
        """(the article's triples, (key, triples) of each entity's description): validation
        indexes a description once and reuses it for every article that refers to the entity
        (the same key, the same triples: a description depends on the IRI and, for some
        entities, the forms used)."""
        from defkg import entities

        parts: list[tuple[Hashable, tuple[Triple, ...]]] = []
        for iri, forms in self.entities:
            key = (iri, frozenset(forms)) if entities.needs_forms(iri) else iri
            parts.append((key, entities.description(iri, forms)))
        return self.article, parts


@lru_cache(maxsize=1024)
def _index(i: int) -> Literal:
    return Literal(i)


@lru_cache(maxsize=16384)
def _node(iri: str) -> URIRef:
    """An entity's term: entities recur across articles, so each is made once (and equal terms are
    then the same object, which the dict look-ups of later stages compare by identity)."""
    return URIRef(iri)


@lru_cache(maxsize=16384, typed=True)
def _literal(value: object, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    """A literal of a value that recurs across articles (a name, a title, a date...), made once: a
    ``Literal`` costs 10-20 µs. Not for sentence and stance texts, which do not recur."""
    return Literal(value, lang=lang, datatype=datatype)


class _Builder:
    literal = staticmethod(_literal)  # for triples_engagements

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.a: Article = extraction.article
        self.lang = self.a.language
        self.identifier = URIRef(iris.graph(self.a.id))
        self.article = URIRef(iris.article(self.a.id))
        self._triples: dict[Triple, None] = {}  # an ordered set: the order of the facts is kept
        self._sentences: dict[int, URIRef] = {}
        self._mentions: dict[str, dict[Form, None]] = {}

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None

    def mention(self, iri: str, text: str | None, lang: str | None) -> None:
        forms = self._mentions.setdefault(iri, {})
        if text and text.strip():
            forms[(text, lang)] = None

    def result(self) -> ArticleGraph:
        add = self.add
        entities = []
        for iri, forms in self._mentions.items():
            if not forms:  # referred to without a name: its key stands in (the entity is still described)
                forms[(iri.rsplit("/", 1)[-1], None)] = None
            node = _node(iri)
            for text, lang in forms:
                add((node, _MENTIONED_AS, _literal(text, lang or None)))
            entities.append((iri, tuple(forms)))
        return ArticleGraph(self.identifier, tuple(self._triples), tuple(entities))

    # -- evidence --------------------------------------------------------------------------------
    def sentence(self, index: int) -> URIRef:
        node = self._sentences.get(index)
        if node is None:
            node = self._sentences[index] = URIRef(iris.sentence(self.a.id, index))
            add = self.add
            add((node, _TYPE, _SENTENCE_CLASS))
            add((node, _TEXT, Literal(self.a.sentences[index].text, lang=self.lang)))
            add((node, _SENTENCE_INDEX, _index(index)))
            add((node, _QUOTED_FROM, self.article))
        return node

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: Evidence) -> None:
        self.add((s, p, o))
        # the first sentence that states the fact: enough to trace it, and the graph stays small
        n = len(self.a.sentences)
        index = min((i for i in evidence if 0 <= i < n), default=None)
        if index is None:
            return
        ev = BNode(iris.evidence_label(self.a.id, s, p, o, index))
        add = self.add
        add((ev, _SUBJECT, s))
        add((ev, _PREDICATE, p))
        add((ev, _OBJECT, o))
        add((ev, _SENTENCE, self.sentence(index)))

    # -- entities: only referred to here (dk:mentionedAs); described in the entity graph -----------
    def state(self, iso3: str) -> URIRef:
        iri = iris.state(iso3)
        ref: StateRef | None = self.x.states.get(iso3) or reference_states().get(iso3)
        if iri not in self._mentions:
            label = None if ref is None else (ref.label_tr if self.lang == "tr" else ref.label_en)
            self.mention(iri, label, self.lang)
        return _node(iri)

    def organization(self, org: OrgRef, host: str | None = None) -> URIRef:
        iri = iris.organization(entities.org_key(org, host))
        self.mention(iri, org.label, self.lang)
        if org.state:
            self.state(org.state)
        if host:
            self.state(host)
        return _node(iri)

    def rank(self, rank: RankRef) -> URIRef:
        iri = iris.rank(entities.rank_key(rank))
        self.mention(iri, rank.label, self.lang)
        return _node(iri)

    def place(self, place: PlaceRef) -> URIRef:
        iri = iris.place(place.key)
        self.mention(iri, place.label, self.lang)
        if place.state:
            self.state(place.state)
        return _node(iri)

    def topic(self, topic: TopicRef) -> URIRef:
        if topic.iso3:
            return self.state(topic.iso3)
        if topic.kind in ORGANIZATION_KINDS:  # an organisation discussed: NATO, the UN, ISIS...
            return self.organization(
                OrgRef(topic.key, topic.label, topic.kind, qid=topic.qid, label_en=topic.label_en)
            )
        iri = iris.topic(topic.key)
        self.mention(iri, topic.label, self.lang)
        return _node(iri)

    def person(self, p: Person, evidence: Evidence, host: str | None = None) -> URIRef:
        iri = iris.person(p.name, p.state)
        self.mention(iri, p.name, None)
        person = _node(iri)
        ev = p.evidence or evidence
        if p.state:
            self.state(p.state)
        if p.rank:
            self.fact(person, DK.rank, self.rank(p.rank), ev)
        if p.organization or p.title:
            org = self.organization(p.organization, host) if p.organization else None
            org_key = entities.org_key(p.organization, host) if p.organization else None
            post = _node(iris.post(p.state, org_key, p.title))
            self.add((post, RDF.type, ORG.Post))
            if p.title:
                self.add((post, DK.title, _literal(p.title, self.lang)))
            if org is not None:
                self.add((post, ORG.postIn, org))
                self.fact(person, DK.affiliation, org, ev)
            self.add((post, ORG.heldBy, person))
            self.fact(person, ORG.holds, post, ev)
        return person

    # -- article and meetings --------------------------------------------------------------------
    def article_node(self) -> None:
        a, art = self.a, self.article
        add = self.add
        add((art, RDF.type, DK.Article))
        add((art, SDO.inLanguage, _literal(a.language)))
        if a.url:
            add((art, SDO.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.published:
            add((art, SDO.datePublished, _literal(a.published)))
        if a.title:
            add((art, SDO.headline, Literal(a.title, lang=a.language)))
        if a.publisher:
            add((art, SDO.publisher, _literal(a.publisher)))
        if a.source:
            add((art, DK.sourceFile, Literal(a.source)))
        graph = self.identifier
        add((graph, RDF.type, PROV.Entity))
        add((graph, PROV.wasDerivedFrom, art))
        add((graph, DK.converterVersion, _literal(__version__)))

    def meeting(self, m: MeetingFact, ordinal: int) -> None:
        iri = URIRef(iris.meeting(m.states, m.start, self.a.id, ordinal))
        add, ev = self.add, m.evidence
        add((iri, RDF.type, _MEETING_KINDS.get(m.kind, DK.Meeting)))
        add((iri, RDF.type, DK.Meeting))
        add((iri, RDFS.label, _literal(m.label or self._label(m), self.lang if m.label else "en")))
        self.fact(iri, DK.status, _STATUS.get(m.status, DK.Reported), ev)
        self.fact(iri, DK.reportedIn, self.article, ev)
        for s in m.states:
            self.fact(iri, DK.participatingState, self.state(s), ev)
        if m.host:
            self.fact(iri, DK.hostState, self.state(m.host), m.fact_evidence.get("host", ev))
        if m.start:
            self.fact(iri, SDO.startDate, _literal(m.start), m.fact_evidence.get("start", ev))
        if m.end:
            self.fact(iri, SDO.endDate, _literal(m.end), m.fact_evidence.get("end", ev))
        if m.place:
            self.fact(iri, SDO.location, self.place(m.place), m.fact_evidence.get("place", ev))
        delegations: dict[str, URIRef] = {}

        def delegation(state: str) -> URIRef:
            if state not in delegations:
                d = URIRef(iris.delegation(str(iri), state))
                delegations[state] = d
                add((d, RDF.type, DK.Delegation))
                add((d, DK.delegationOf, self.state(state)))
                add((iri, DK.hasDelegation, d))
            return delegations[state]

        for part in m.participants:
            others = [x for x in m.states if x != part.person.state]
            host = others[0] if len(m.states) == 2 and len(others) == 1 else None
            person = self.person(part.person, part.evidence, host)
            self.fact(iri, DK.participant, person, part.evidence or ev)
            if part.person.state:
                d = delegation(part.person.state)
                self.fact(d, DK.headOfDelegation if part.head else DK.delegationMember, person, part.evidence)
        for role in m.roles:
            post_iri = iris.role_post(role.role, role.state, role.accredited_to)
            self.mention(iris.role(role.role), role.label, self.lang)
            self.mention(post_iri, role.label, self.lang)
            post = _node(post_iri)
            if role.state:
                self.state(role.state)
            if role.accredited_to:
                self.state(role.accredited_to)
            target = delegation(role.state) if role.state else iri
            self.fact(target, DK.includesRole, post, role.evidence)
        for t in m.topics:
            self.fact(iri, DK.topic, self.topic(t), m.topic_evidence.get(t.key, ev))
        for st in m.stances:
            s_iri = URIRef(iris.stance(str(iri), st.kind, st.text))
            add((s_iri, RDF.type, DK.Stance))
            add((s_iri, DK.stanceKind, _STANCE_KINDS.get(st.kind, DK.Support)))
            add((s_iri, DK.stanceText, Literal(st.text, lang=self.lang)))
            if st.topic:
                add((s_iri, DK.stanceOn, self.topic(st.topic)))
            self.fact(iri, DK.stance, s_iri, st.evidence)

    def _label(self, m: MeetingFact) -> str:
        names = " – ".join(self.x.states[s].label_en if s in self.x.states else s for s in m.states)
        kind = {"Meeting": "meeting"}.get(m.kind, _words(m.kind))
        when = f", {m.start.isoformat()}" if isinstance(m.start, date) else ""
        return f"{names} {kind}{when}"


def _words(camel: str) -> str:
    out = "".join(" " + c.lower() if c.isupper() else c for c in camel).strip()
    return out


def build(extraction: Extraction) -> ArticleGraph:
    """The named graph of one article, as its IRI and triples (no rdflib ``Graph``: ingest
    serialises and validates these directly; building a ``Graph`` costs as much again)."""
    b = _Builder(extraction)
    b.article_node()
    for i, m in enumerate(extraction.meetings):
        b.meeting(m, i)
    triples_engagements.add(b, extraction)  # agreements and exercises
    return b.result()


def to_graph(extraction: Extraction, described: bool = False) -> Graph:
    """The named graph of one article, as an rdflib ``Graph`` with the project's prefixes;
    ``described``: with the entity graph's description of the entities it refers to (what the
    shapes check)."""
    built = build(extraction)
    if not described:
        return built.graph()
    g = Graph(identifier=built.identifier)
    bind_prefixes(g)
    g.addN((s, p, o, g) for s, p, o in built.described())
    return g
