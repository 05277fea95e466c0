"""Last stage: an ``Extraction`` becomes an RDF graph (the only stage importing rdflib).

Each article gives one named graph, ``dkr:graph/ID``, holding the article's
metadata, what it says (meetings, delegations, people, posts, topics, stances), a
short description of every entity it refers to (labels, Wikidata links) and, for
every fact, a ``dk:Evidence`` node naming the fact (``rdf:subject``,
``rdf:predicate``, ``rdf:object``) and the sentence it was read from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from defkg import __version__, iris
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
from defkg.vocab import DK, SDO, WD, bind_prefixes

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
_ORG_KIND = {
    "Ministry": DK.Ministry,
    "ArmedForce": DK.ArmedForce,
    "Agency": DK.Agency,
    "InternationalOrganization": DK.InternationalOrganization,
    "Company": DK.Company,
    "ArmedNonStateGroup": DK.ArmedNonStateGroup,
    "GovernmentBody": DK.GovernmentBody,
}


Triple = tuple[Node, Node, Node]
# the terms of every evidence node, looked up once (a namespace attribute is a function call)
_TYPE, _EVIDENCE, _SENTENCE, _SENTENCE_INDEX = RDF.type, DK.Evidence, DK.sentence, DK.sentenceIndex
_SUBJECT, _PREDICATE, _OBJECT, _QUOTED_FROM = RDF.subject, RDF.predicate, RDF.object, PROV.wasQuotedFrom


@dataclass(frozen=True)
class ArticleGraph:
    """An article's named graph: its IRI and its triples, each once, in the order they were made."""

    identifier: URIRef
    triples: tuple[Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def graph(self) -> Graph:
        g = Graph(identifier=self.identifier)
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g


@lru_cache(maxsize=1024)
def _index(i: int) -> Literal:
    return Literal(i)


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


class _Builder:
    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.a: Article = extraction.article
        self.lang = self.a.language
        self.identifier = URIRef(iris.graph(self.a.id))
        self.article = URIRef(iris.article(self.a.id))
        self._described: set[str] = set()
        self._triples: dict[Triple, None] = {}  # an ordered set: the order of the facts is kept
        self._evidence_text: dict[int, Literal] = {}

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None

    def result(self) -> ArticleGraph:
        return ArticleGraph(self.identifier, tuple(self._triples))

    # -- evidence --------------------------------------------------------------------------------
    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: Evidence) -> None:
        self.add((s, p, o))
        # the first sentence that states the fact: enough to trace it, and the graph stays small
        n = len(self.a.sentences)
        index = min((i for i in evidence if 0 <= i < n), default=None)
        if index is None:
            return
        ev = URIRef(iris.evidence(self.a.id, s, p, o, index))
        text = self._evidence_text.get(index)
        if text is None:
            text = self._evidence_text[index] = Literal(self.a.sentences[index].text, lang=self.lang)
        add = self.add
        add((ev, _TYPE, _EVIDENCE))
        add((ev, _SUBJECT, s))
        add((ev, _PREDICATE, p))
        add((ev, _OBJECT, o))
        add((ev, _SENTENCE, text))
        add((ev, _SENTENCE_INDEX, _index(index)))
        add((ev, _QUOTED_FROM, self.article))

    def once(self, iri: str) -> bool:
        if iri in self._described:
            return False
        self._described.add(iri)
        return True

    # -- entities --------------------------------------------------------------------------------
    def state(self, iso3: str) -> URIRef:
        iri = URIRef(iris.state(iso3))
        ref: StateRef | None = self.x.states.get(iso3)
        if self.once(iri) and ref is not None:
            self.add((iri, RDF.type, DK.State))
            self.add((iri, RDFS.label, Literal(ref.label_en, lang="en")))
            self.add((iri, RDFS.label, Literal(ref.label_tr, lang="tr")))
            self.add((iri, DK.iso3, Literal(ref.iso3)))
            self.add((iri, DK.wikidata, WD[ref.qid]))
        return iri

    def organization(self, org: OrgRef) -> URIRef:
        iri = URIRef(iris.organization(org.key))
        if self.once(iri):
            self.add((iri, RDF.type, _ORG_KIND.get(org.kind, DK.Organization)))
            self.add((iri, RDFS.label, _lit(org.label, self.lang)))
            if org.label_en and org.label_en != org.label:
                self.add((iri, RDFS.label, Literal(org.label_en, lang="en")))
            if org.acronym:
                self.add((iri, DK.acronym, Literal(org.acronym)))
            if org.qid:
                self.add((iri, DK.wikidata, WD[org.qid]))
            if org.state:
                self.add((iri, DK.ofState, self.state(org.state)))
        return iri

    def rank(self, rank: RankRef) -> URIRef:
        iri = URIRef(iris.rank(rank.key))
        if self.once(iri):
            self.add((iri, RDF.type, DK.Rank))
            labels = {"en": rank.label_en, "tr": rank.label_tr}
            labels[self.lang] = labels.get(self.lang) or rank.label
            for lang, label in labels.items():
                if label:
                    self.add((iri, SKOS.prefLabel, Literal(label, lang=lang)))
            if rank.nato:
                self.add((iri, DK.natoCode, Literal(rank.nato)))
            if rank.service:
                self.add((iri, DK.service, Literal(rank.service)))
        return iri

    def place(self, place: PlaceRef) -> URIRef:
        iri = URIRef(iris.place(place.key))
        if self.once(iri):
            self.add((iri, RDF.type, DK.Place))
            self.add((iri, RDFS.label, _lit(place.label, self.lang)))
            if place.label_en and place.label_en != place.label:
                self.add((iri, RDFS.label, Literal(place.label_en, lang="en")))
            if place.qid:
                self.add((iri, DK.wikidata, WD[place.qid]))
            if place.state:
                self.add((iri, SDO.containedInPlace, self.state(place.state)))
        return iri

    def topic(self, topic: TopicRef) -> URIRef:
        if topic.iso3:
            return self.state(topic.iso3)
        if topic.kind in _ORG_KIND:  # an organisation discussed: NATO, the UN, ISIS...
            return self.organization(
                OrgRef(topic.key, topic.label, topic.kind, qid=topic.qid, label_en=topic.label_en)
            )
        iri = URIRef(iris.topic(topic.key))
        if self.once(iri):
            self.add((iri, RDF.type, DK.Place if topic.kind == "Region" else DK.Topic))
            if topic.kind == "Region":
                self.add((iri, RDF.type, DK.Topic))
            self.add((iri, RDFS.label, _lit(topic.label, self.lang)))
            if topic.label_en and topic.label_en != topic.label:
                self.add((iri, RDFS.label, Literal(topic.label_en, lang="en")))
            if topic.qid:
                self.add((iri, DK.wikidata, WD[topic.qid]))
        return iri

    def person(self, p: Person, evidence: Evidence) -> URIRef:
        iri = URIRef(iris.person(p.name, p.state))
        ev = p.evidence or evidence
        if self.once(iri):
            self.add((iri, RDF.type, DK.Official))
            self.add((iri, FOAF.name, Literal(p.name)))
        if p.state:
            self.fact(iri, DK.nationality, self.state(p.state), ev)
        if p.rank:
            self.fact(iri, DK.rank, self.rank(p.rank), ev)
        if p.organization or p.title:
            org = self.organization(p.organization) if p.organization else None
            post = URIRef(iris.post(p.state, p.organization.key if p.organization else None, p.title))
            self.add((post, RDF.type, ORG.Post))
            if p.title:
                self.add((post, DK.title, Literal(p.title, lang=self.lang)))
            if org is not None:
                self.add((post, ORG.postIn, org))
                self.fact(iri, DK.affiliation, org, ev)
            self.add((post, ORG.heldBy, iri))
            self.fact(iri, ORG.holds, post, ev)
        return iri

    # -- article and meetings --------------------------------------------------------------------
    def article_node(self) -> None:
        a, art = self.a, self.article
        add = self.add
        add((art, RDF.type, DK.Article))
        add((art, SDO.inLanguage, Literal(a.language)))
        if a.url:
            add((art, SDO.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.published:
            add((art, SDO.datePublished, Literal(a.published)))
        if a.title:
            add((art, SDO.headline, Literal(a.title, lang=a.language)))
        if a.publisher:
            add((art, SDO.publisher, Literal(a.publisher)))
        if a.source:
            add((art, DK.sourceFile, Literal(a.source)))
        graph = self.identifier
        add((graph, RDF.type, PROV.Entity))
        add((graph, PROV.wasDerivedFrom, art))
        add((graph, DK.converterVersion, Literal(__version__)))

    def meeting(self, m: MeetingFact, ordinal: int) -> None:
        iri = URIRef(iris.meeting(m.states, m.start, self.a.id, ordinal))
        add, ev = self.add, m.evidence
        add((iri, RDF.type, _MEETING_KINDS.get(m.kind, DK.Meeting)))
        add((iri, RDF.type, DK.Meeting))
        add((iri, RDFS.label, Literal(m.label or self._label(m), lang=self.lang if m.label else "en")))
        self.fact(iri, DK.status, _STATUS.get(m.status, DK.Reported), ev)
        self.fact(iri, DK.reportedIn, self.article, ev)
        for s in m.states:
            self.fact(iri, DK.participatingState, self.state(s), ev)
        if m.host:
            self.fact(iri, DK.hostState, self.state(m.host), m.fact_evidence.get("host", ev))
        if m.start:
            self.fact(iri, SDO.startDate, Literal(m.start), m.fact_evidence.get("start", ev))
        if m.end:
            self.fact(iri, SDO.endDate, Literal(m.end), m.fact_evidence.get("end", ev))
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
            person = self.person(part.person, part.evidence)
            self.fact(iri, DK.participant, person, part.evidence or ev)
            if part.person.state:
                d = delegation(part.person.state)
                self.fact(d, DK.headOfDelegation if part.head else DK.delegationMember, person, part.evidence)
        for role in m.roles:
            post = URIRef(iris.role_post(role.role, role.state, role.accredited_to))
            add((post, RDF.type, ORG.Post))
            add((post, ORG.role, URIRef(iris.role(role.role))))
            add((URIRef(iris.role(role.role)), RDF.type, DK.Role))
            add((URIRef(iris.role(role.role)), RDFS.label, Literal(role.label, lang=self.lang)))
            add((post, RDFS.label, Literal(role.label, lang=self.lang)))
            if role.state:
                add((post, DK.ofState, self.state(role.state)))
            if role.accredited_to:
                add((post, DK.accreditedTo, self.state(role.accredited_to)))
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


def to_graph(extraction: Extraction) -> Graph:
    """The named graph of one article, as an rdflib ``Graph`` with the project's prefixes."""
    return build(extraction).graph()
