"""The RDF vocabulary defkg writes, in step with ``ontology/defkg.ttl``.

``DK`` is a closed namespace: using a term that is not listed here raises, and
``tests/test_ontology.py`` checks that every term listed here is declared in the
ontology (and every term the ontology declares is listed here).
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

# the plain strings live in defkg.namespaces (no rdflib): re-exported
from defkg.namespaces import ONTOLOGY_IRI as ONTOLOGY_IRI
from defkg.namespaces import ORGANIZATION_KIND_NAMES
from defkg.namespaces import PREFIXES as PREFIXES
from defkg.namespaces import RESOURCE_BASE as RESOURCE_BASE
from defkg.namespaces import sparql_prologue as sparql_prologue


class DK(DefinedNamespace):
    """defkg's own terms."""

    _NS = Namespace(PREFIXES["dk"])
    _fail = True

    # --- classes: actors
    State: URIRef
    Organization: URIRef
    GovernmentBody: URIRef
    Ministry: URIRef
    ArmedForce: URIRef
    Agency: URIRef
    InternationalOrganization: URIRef
    Company: URIRef
    ArmedNonStateGroup: URIRef
    Official: URIRef
    Rank: URIRef
    Role: URIRef
    Delegation: URIRef
    # --- classes: meetings and what they are about
    Meeting: URIRef
    Consultations: URIRef
    OfficialVisit: URIRef
    CourtesyCall: URIRef
    Talks: URIRef
    MinisterialMeeting: URIRef
    DialogueGroupMeeting: URIRef
    SecurityMechanismMeeting: URIRef
    PhoneCall: URIRef
    MeetingStatus: URIRef
    Topic: URIRef
    Stance: URIRef
    StanceKind: URIRef
    Place: URIRef
    # --- classes: agreements and exercises
    Engagement: URIRef
    DefenceAgreement: URIRef
    Exercise: URIRef
    AgreementKind: URIRef
    MilitaryDomain: URIRef
    DefenceCooperationAgreement: URIRef
    MemorandumOfUnderstanding: URIRef
    ImplementingArrangement: URIRef
    StatusOfForcesAgreement: URIRef
    ProcurementContract: URIRef
    OtherAgreement: URIRef
    LandDomain: URIRef
    MaritimeDomain: URIRef
    AirDomain: URIRef
    JointDomain: URIRef
    # --- agreement and exercise properties
    agreementKind: URIRef
    party: URIRef
    signatory: URIRef
    signedDuring: URIRef
    signedOn: URIRef
    agreementSubject: URIRef
    exerciseState: URIRef
    observerState: URIRef
    exerciseHost: URIRef
    militaryDomain: URIRef
    # --- classes: provenance
    Article: URIRef
    Evidence: URIRef
    Sentence: URIRef
    RankScheme: URIRef

    # --- individuals
    Reported: URIRef
    Recalled: URIRef
    Planned: URIRef
    Support: URIRef
    Opposition: URIRef
    Concern: URIRef
    Condemnation: URIRef
    Agreement: URIRef
    Commitment: URIRef

    # --- meeting properties
    participatingState: URIRef
    hostState: URIRef
    hasDelegation: URIRef
    participant: URIRef
    topic: URIRef
    stance: URIRef
    status: URIRef
    reportedIn: URIRef
    # --- delegation properties
    delegationOf: URIRef
    headOfDelegation: URIRef
    delegationMember: URIRef
    includesRole: URIRef
    # --- person, post and organisation properties
    nationality: URIRef
    rank: URIRef
    affiliation: URIRef
    title: URIRef
    ofState: URIRef
    accreditedTo: URIRef
    roleKind: URIRef
    acronym: URIRef
    # --- reference data
    wikidata: URIRef
    iso3: URIRef
    iso2: URIRef
    cowCode: URIRef
    natoCode: URIRef
    service: URIRef
    # --- stance properties
    stanceKind: URIRef
    stanceOn: URIRef
    stanceText: URIRef
    # --- provenance
    evidence: URIRef
    sentence: URIRef
    sentenceIndex: URIRef
    text: URIRef
    mentionedAs: URIRef
    converterVersion: URIRef
    sourceFile: URIRef


# the subclasses of dk:Organization, by the names the gazetteers give them (namespaces.py)
ORGANIZATION_KINDS: dict[str, URIRef] = {k: getattr(DK, k) for k in ORGANIZATION_KIND_NAMES}

DKR = Namespace(RESOURCE_BASE)
ORG = Namespace(PREFIXES["org"])
SDO = Namespace(PREFIXES["schema"])
WD = Namespace(PREFIXES["wd"])
SH = Namespace("http://www.w3.org/ns/shacl#")
DCT = Namespace(PREFIXES["dcterms"])


class Terms:
    """A namespace's terms, each looked up once and then kept, so that a term is always the same
    object: a namespace's attribute is a function call making a new ``URIRef`` each time, and a dict
    look-up of a term equal to a key but not the same object compares them in Python.
    ``Terms(DK).rank`` is ``DK.rank``; a closed namespace still refuses a term it does not list."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True, replace=True)
