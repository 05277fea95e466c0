"""RDF of the agreements and exercises of one article, written through the article graph's
builder (``defkg.pipeline.triples``), so every fact gets the same evidence as a meeting's.

IRIs are keyed so that two reports of one agreement or exercise share a node: an agreement
by its parties, its signing day and its kind (two documents of one pair signed the same day
are of different kinds: an MoU and a protocol); an exercise by its participants and its
name, else its start. Undated, unnamed ones are keyed by the article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef, namespace

from defkg import iris, vocab
from defkg.model import AgreementFact, ExerciseFact, Extraction
from defkg.textnorm import fold, slug
from defkg.vocab import RESOURCE_BASE, Terms

if TYPE_CHECKING:
    from defkg.pipeline.triples import _Builder

# the vocabulary's terms, each looked up once: DK.status is then always the same object
DK, SDO = Terms(vocab.DK), Terms(vocab.SDO)
RDF, RDFS, XSD = Terms(namespace.RDF), Terms(namespace.RDFS), Terms(namespace.XSD)

AGREEMENT_KINDS = {
    k: getattr(DK, k)
    for k in (
        "DefenceCooperationAgreement",
        "MemorandumOfUnderstanding",
        "ImplementingArrangement",
        "StatusOfForcesAgreement",
        "ProcurementContract",
        "OtherAgreement",
    )
}
DOMAINS = {"Land": DK.LandDomain, "Maritime": DK.MaritimeDomain, "Air": DK.AirDomain, "Joint": DK.JointDomain}
_STATUS = {"Reported": DK.Reported, "Recalled": DK.Recalled, "Planned": DK.Planned}


def _pair(states: tuple[str, ...]) -> str:
    return "-".join(sorted(slug(s) for s in states)) or "unknown"


def agreement_iri(a: AgreementFact, article_id: str, ordinal: int) -> str:
    when = a.signed.isoformat() if a.signed else f"undated-{slug(article_id)}-{ordinal}"
    return f"{RESOURCE_BASE}agreement/{_pair(a.states)}/{slug(when)}/{slug(a.kind)}"


def exercise_iri(e: ExerciseFact, article_id: str, ordinal: int) -> str:
    if e.name:
        key = "name-" + iris.digest(fold(e.name).replace("exercise", "").strip(), length=10)
    elif e.start:
        key = e.start.isoformat()
    else:
        key = f"undated-{article_id}-{ordinal}"
    return f"{RESOURCE_BASE}exercise/{_pair(e.states)}/{slug(key)}"


def add(b: _Builder, x: Extraction) -> None:
    """Add the article's agreements and exercises to its graph."""
    for i, a in enumerate(x.agreements):
        _agreement(b, x, a, i)
    for i, e in enumerate(x.exercises):
        _exercise(b, e, i)


def _agreement(b: _Builder, x: Extraction, a: AgreementFact, ordinal: int) -> None:
    iri = URIRef(agreement_iri(a, b.a.id, ordinal))
    ev, fev = a.evidence, a.fact_evidence
    b.add((iri, RDF.type, DK.DefenceAgreement))
    title = b.literal(a.title, b.lang)
    b.add((iri, RDFS.label, title))
    b.fact(iri, SDO.name, title, ev)
    b.fact(iri, DK.agreementKind, AGREEMENT_KINDS.get(a.kind, DK.OtherAgreement), ev)
    b.fact(iri, DK.status, _STATUS.get(a.status, DK.Reported), ev)
    b.fact(iri, DK.reportedIn, b.article, ev)
    for s in a.states:
        b.fact(iri, DK.party, b.state(s), fev.get("states", ev))
    if a.subject:
        b.fact(iri, DK.agreementSubject, b.literal(a.subject, b.lang), ev)
    if a.signed:
        b.fact(iri, DK.signedOn, b.literal(a.signed, None, XSD.date), fev.get("signed", ev))
    if a.place:
        b.fact(iri, SDO.location, b.place(a.place), fev.get("place", ev))
    for p in a.signatories:
        b.fact(iri, DK.signatory, b.person(p, ev), ev)
    if a.meeting is not None and 0 <= a.meeting < len(x.meetings):
        m = x.meetings[a.meeting]
        b.fact(iri, DK.signedDuring, URIRef(iris.meeting(m.states, m.start, b.a.id, a.meeting)), ev)


def _exercise(b: _Builder, e: ExerciseFact, ordinal: int) -> None:
    iri = URIRef(exercise_iri(e, b.a.id, ordinal))
    ev, fev = e.evidence, e.fact_evidence
    b.add((iri, RDF.type, DK.Exercise))
    if e.name:
        name = b.literal(e.name, b.lang)
        b.add((iri, RDFS.label, name))
        b.fact(iri, SDO.name, name, ev)
    else:
        names = " – ".join(b.x.states[s].label_en if s in b.x.states else s for s in e.states)
        when = f", {e.start.isoformat()}" if e.start else ""
        b.add((iri, RDFS.label, b.literal(f"{names} exercise{when}", "en")))
    b.fact(iri, DK.status, _STATUS.get(e.status, DK.Reported), ev)
    b.fact(iri, DK.reportedIn, b.article, ev)
    for s in e.states:
        b.fact(iri, DK.exerciseState, b.state(s), ev)
    for s in e.observers:
        b.fact(iri, DK.observerState, b.state(s), ev)
    if e.host:
        b.fact(iri, DK.exerciseHost, b.state(e.host), fev.get("host", ev))
    if e.start:
        b.fact(iri, SDO.startDate, b.literal(e.start, None, XSD.date), fev.get("start", ev))
    if e.end:
        b.fact(iri, SDO.endDate, b.literal(e.end, None, XSD.date), fev.get("end", ev))
    if e.place:
        b.fact(iri, SDO.location, b.place(e.place), fev.get("place", ev))
    if e.domain in DOMAINS:
        b.fact(iri, DK.militaryDomain, DOMAINS[e.domain], ev)
