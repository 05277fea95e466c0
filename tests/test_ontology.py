"""The OWL ontology (ontology/defkg.ttl), the state and organisation individuals
(ontology/states.ttl) and the reference data they are built from (src/defkg/data/)."""

from __future__ import annotations

import csv
import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from defkg import iris, validate, vocab
from defkg.pipeline import triples, triples_engagements
from defkg.vocab import DK, ONTOLOGY_IRI, PREFIXES, WD
from test_shapes import SAMPLES, sample_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "defkg.ttl"
STATES_TTL = ROOT / "ontology" / "states.ttl"
STATES_TSV = ROOT / "src" / "defkg" / "data" / "states.tsv"
ORGS_TSV = ROOT / "src" / "defkg" / "data" / "organizations.tsv"
BUILD = ROOT / "tools" / "build_states.py"
NS = str(DK._NS)
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
ORG = Namespace(PREFIXES["org"])
SKOS = Namespace(PREFIXES["skos"])

TERMS = sorted(DK.__annotations__)
STATUS = sorted(triples._STATUS)
STANCE_KINDS = ["Support", "Opposition", "Concern", "Condemnation", "Agreement", "Commitment"]
# agreement kinds and exercise domains (defkg.pipeline.triples_engagements)
ENGAGEMENT_INDIVIDUALS = sorted(triples_engagements.AGREEMENT_KINDS) + sorted(
    str(v).rsplit("#", 1)[1] for v in triples_engagements.DOMAINS.values()
)
INDIVIDUALS = STATUS + STANCE_KINDS + ["RankScheme"] + ENGAGEMENT_INDIVIDUALS
MEETING_KINDS = [
    "Consultations",
    "OfficialVisit",
    "CourtesyCall",
    "Talks",
    "MinisterialMeeting",
    "DialogueGroupMeeting",
    "SecurityMechanismMeeting",
    "PhoneCall",
]


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@cache
def states_graph() -> Graph:
    return Graph().parse(STATES_TTL, format="turtle")


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    columns = next(ln for ln in lines if ln.startswith("#columns:"))[len("#columns:") :].strip().split("\t")
    rows = [dict(zip(columns, ln.split("\t"), strict=True)) for ln in lines if ln and not ln.startswith("#")]
    return lines, rows


# ---------------------------------------------------------------------------------------------
# The ontology document
# ---------------------------------------------------------------------------------------------
def test_ontology_header() -> None:
    g = ontology()
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in g
    assert g.value(o, OWL.versionInfo) is not None
    assert str(g.value(o, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")
    assert {lbl.language for lbl in g.objects(o, RDFS.label)} >= {"en", "tr"}


@pytest.mark.parametrize(
    "path", [ONTOLOGY, STATES_TTL, ROOT / "ontology" / "shapes.ttl"], ids=lambda p: p.name
)
def test_strict_turtle(path: Path) -> None:
    """The store's parser (Oxigraph) is stricter than rdflib's: every file must pass both."""
    import pyoxigraph

    assert sum(1 for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)) > 0
    assert len(Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize(
    "path", [ONTOLOGY, STATES_TTL, ROOT / "ontology" / "shapes.ttl"], ids=lambda p: p.name
)
def test_turtle_read_by_oxigraph_is_rdflibs_graph(path: Path) -> None:
    """``defkg.turtle.read`` (what ingest and validation use: Oxigraph's parser, rdflib terms) gives
    the graph rdflib's own parser gives: blank nodes and lists, literals with and without a
    datatype or a language; and the file's prefixes."""
    from rdflib.compare import isomorphic

    from defkg import turtle

    ours, theirs = turtle.read(path), Graph().parse(path, format="turtle")
    assert len(ours) == len(theirs) > 100
    assert isomorphic(ours, theirs)
    assert {type(o) for o in ours.objects()} == {type(o) for o in theirs.objects()}
    assert {(o.datatype, o.language) for o in ours.objects() if isinstance(o, Literal)} == {
        (o.datatype, o.language) for o in theirs.objects() if isinstance(o, Literal)
    }
    prefixes = dict(ours.namespaces())
    assert prefixes["dk"] == URIRef("https://w3id.org/defkg/ontology#")


@pytest.mark.parametrize("term", TERMS)
def test_every_vocab_term_is_declared(term: str) -> None:
    g, iri = ontology(), DK[term]
    types = set(g.objects(iri, RDF.type))
    if term in INDIVIDUALS:
        assert OWL.NamedIndividual in types
    elif term[0].isupper():
        assert OWL.Class in types
    else:
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, types


def test_every_declared_term_is_in_vocab() -> None:
    declared = {str(s)[len(NS) :] for s in ontology().subjects() if str(s).startswith(NS)}
    used = {
        str(o)[len(NS) :] for o in ontology().objects() if isinstance(o, URIRef) and str(o).startswith(NS)
    }
    assert declared == set(DK.__annotations__)
    assert used <= set(DK.__annotations__)


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("annotation", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_term_has_english_and_turkish_annotations(term: str, annotation: URIRef) -> None:
    values = [v for v in ontology().objects(DK[term], annotation) if isinstance(v, Literal)]
    langs = sorted(v.language or "" for v in values)
    assert langs == ["en", "tr"], langs
    assert all(str(v).strip() for v in values)


@pytest.mark.parametrize("kind", MEETING_KINDS)
def test_meeting_kinds_are_meetings(kind: str) -> None:
    assert (DK[kind], RDFS.subClassOf, DK.Meeting) in ontology()


@pytest.mark.parametrize("kind", sorted(vocab.ORGANIZATION_KINDS.values()))
def test_organisation_kinds_are_organisations(kind: URIRef) -> None:
    g = ontology()
    supers = set(g.transitive_objects(kind, RDFS.subClassOf))
    assert DK.Organization in supers
    assert ORG.Organization in supers


def test_organisation_kinds_are_every_subclass_of_organisation() -> None:
    """The one list of kinds the builder, the entity graph and the analysis use is the ontology's."""
    g = ontology()
    subclasses = set(g.transitive_subjects(RDFS.subClassOf, DK.Organization)) - {DK.Organization}
    assert set(vocab.ORGANIZATION_KINDS.values()) == subclasses
    assert all(DK[name] == kind for name, kind in vocab.ORGANIZATION_KINDS.items())


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (DK.State, URIRef("https://schema.org/Country")),
        (DK.State, ORG.Organization),
        (DK.Meeting, URIRef("https://schema.org/Event")),
        (DK.Meeting, URIRef("http://www.w3.org/ns/prov#Activity")),
        (DK.Official, URIRef("http://xmlns.com/foaf/0.1/Person")),
        (DK.Article, URIRef("https://schema.org/NewsArticle")),
        (DK.Article, URIRef("http://www.w3.org/ns/prov#Entity")),
        (DK.Evidence, URIRef("http://www.w3.org/ns/prov#Entity")),
        (DK.Evidence, RDF.Statement),
        (DK.Place, URIRef("https://schema.org/Place")),
        (DK.Rank, SKOS.Concept),
    ],
)
def test_classes_reuse_standard_vocabularies(cls: URIRef, parent: URIRef) -> None:
    assert (cls, RDFS.subClassOf, parent) in ontology()


@pytest.mark.parametrize(
    ("prop", "parent"),
    [
        (DK.participant, URIRef("https://schema.org/attendee")),
        (DK.topic, URIRef("https://schema.org/about")),
        (DK.wikidata, SKOS.exactMatch),
        (DK.headOfDelegation, DK.delegationMember),
    ],
)
def test_properties_reuse_standard_vocabularies(prop: URIRef, parent: URIRef) -> None:
    assert (prop, RDFS.subPropertyOf, parent) in ontology()


@pytest.mark.parametrize(
    ("individual", "cls"),
    [(s, DK.MeetingStatus) for s in STATUS] + [(k, DK.StanceKind) for k in STANCE_KINDS],
)
def test_individuals_have_one_english_label(individual: str, cls: URIRef) -> None:
    """The named queries `timeline` and `stances` read these labels with LANG = "en"."""
    g = ontology()
    assert (DK[individual], RDF.type, cls) in g
    english = [v for v in g.objects(DK[individual], RDFS.label) if v.language == "en"]  # type: ignore[union-attr]
    assert len(english) == 1


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        (DK.iso3, URIRef("http://www.w3.org/2001/XMLSchema#string")),
        (DK.sentenceIndex, URIRef("http://www.w3.org/2001/XMLSchema#integer")),
        (DK.cowCode, URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ],
)
def test_datatype_ranges(prop: URIRef, datatype: URIRef) -> None:
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology()
    assert (prop, RDFS.range, datatype) in ontology()


def test_no_disjointness_or_cardinality_axioms() -> None:
    """One meeting or state is described by many articles: axioms that merged data could
    violate (disjointness, functional properties, cardinalities) are left to the shapes."""
    g = ontology()
    risky = [OWL.disjointWith, OWL.AllDisjointClasses, OWL.FunctionalProperty, OWL.maxCardinality]
    assert not [r for r in risky if (None, None, r) in g or (None, r, None) in g]


# ---------------------------------------------------------------------------------------------
# Consistency under OWL 2 RL reasoning
# ---------------------------------------------------------------------------------------------
@cache
def closure(langs: tuple[str, ...]) -> Graph:
    import owlrl

    g = Graph()
    for t in ontology():
        g.add(t)
    for t in states_graph():
        g.add(t)
    for lang in langs:
        for t in sample_graph(lang):
            g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


@pytest.mark.parametrize("langs", [("tr",), ("en",), tuple(sorted(SAMPLES))], ids=["tr", "en", "tr+en"])
def test_consistent_under_owl_rl(langs: tuple[str, ...]) -> None:
    g = closure(langs)
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []
    assert [str(o) for o in g.objects(None, OWLRL_ERROR)] == []


@pytest.mark.parametrize(
    ("node", "inferred_type"),
    [
        ("https://w3id.org/defkg/id/meeting/gbr-tur/2025-03-12", "https://schema.org/Event"),
        ("https://w3id.org/defkg/id/meeting/gbr-tur/2025-03-12", "http://www.w3.org/ns/prov#Activity"),
        ("https://w3id.org/defkg/id/state/TUR", "https://schema.org/Country"),
        ("https://w3id.org/defkg/id/person/tur/ayse-yilmaz", "http://xmlns.com/foaf/0.1/Person"),
        ("https://w3id.org/defkg/id/org/tur-mod", "http://www.w3.org/ns/org#Organization"),
        ("https://w3id.org/defkg/id/article/a1b2c3d4e5f60718", "https://schema.org/NewsArticle"),
    ],
)
def test_reasoning_infers_standard_types(node: str, inferred_type: str) -> None:
    assert (URIRef(node), RDF.type, URIRef(inferred_type)) in closure(("tr",))


def test_owl_rl_check_detects_an_inconsistency() -> None:
    """Control: the consistency test above would notice a real inconsistency."""
    import owlrl

    g = Graph()
    for t in ontology():
        g.add(t)
    a, b = URIRef(iris.state("TUR")), URIRef(iris.state("GBR"))
    g.add((a, OWL.sameAs, b))
    g.add((a, OWL.differentFrom, b))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.objects(None, OWLRL_ERROR))


# ---------------------------------------------------------------------------------------------
# Reference data and the individuals built from it
# ---------------------------------------------------------------------------------------------
STATE_LINES, STATE_ROWS = read_tsv(STATES_TSV)
ORG_LINES, ORG_ROWS = read_tsv(ORGS_TSV)


@pytest.mark.parametrize(
    ("lines", "columns"),
    [
        (STATE_LINES, ["iso3", "iso2", "cow", "qid", "label_en", "label_tr"]),
        (ORG_LINES, ["key", "kind", "qid", "acronym", "label_en", "label_tr"]),
    ],
    ids=["states", "organizations"],
)
def test_reference_files_have_source_and_columns(lines: list[str], columns: list[str]) -> None:
    assert lines[0].startswith("# source: ")
    assert lines[1] == "#columns: " + "\t".join(columns)
    assert all(len(ln.split("\t")) == len(columns) for ln in lines[2:])


def test_states_table() -> None:
    iso3 = [r["iso3"] for r in STATE_ROWS]
    assert len(iso3) == len(set(iso3)) >= 240
    by = {r["iso3"]: r for r in STATE_ROWS}
    assert by["TUR"]["label_en"] == "Türkiye" and by["TUR"]["label_tr"] == "Türkiye"
    assert by["GBR"]["label_tr"] == "Birleşik Krallık"
    assert by["USA"]["label_tr"] == "Amerika Birleşik Devletleri"
    assert by["TUR"]["qid"] == "Q43" and by["TUR"]["cow"] == "640"


@pytest.mark.parametrize("row", STATE_ROWS, ids=[r["iso3"] for r in STATE_ROWS])
def test_state_row_and_individual(row: dict[str, str]) -> None:
    assert re.fullmatch(r"[A-Z]{3}", row["iso3"]) and re.fullmatch(r"[A-Z]{2}", row["iso2"])
    assert re.fullmatch(r"Q[1-9][0-9]*", row["qid"]) and re.fullmatch(r"[0-9]*", row["cow"])
    assert row["label_en"].strip() and row["label_tr"].strip()
    g, s = states_graph(), URIRef(iris.state(row["iso3"]))
    assert (s, RDF.type, DK.State) in g
    assert (s, DK.wikidata, WD[row["qid"]]) in g
    assert (s, DK.iso3, Literal(row["iso3"])) in g
    assert (s, RDFS.label, Literal(row["label_en"], lang="en")) in g
    assert (s, RDFS.label, Literal(row["label_tr"], lang="tr")) in g
    if row["cow"]:
        assert (s, DK.cowCode, Literal(int(row["cow"]))) in g


@pytest.mark.parametrize("row", ORG_ROWS, ids=[r["key"] for r in ORG_ROWS])
def test_organisation_individual(row: dict[str, str]) -> None:
    g, o = states_graph(), URIRef(iris.organization(row["key"]))
    assert str(o).endswith("/org/" + row["key"])  # the key is already a slug
    assert (o, RDF.type, DK[row["kind"]]) in g
    assert (o, DK.wikidata, WD[row["qid"]]) in g
    assert {lbl.language for lbl in g.objects(o, RDFS.label)} == {"en", "tr"}  # type: ignore[union-attr]


@pytest.mark.parametrize("key", ["nato", "un", "eu", "osce", "au", "arab-league"])
def test_main_international_organisations_present(key: str) -> None:
    assert key in {r["key"] for r in ORG_ROWS}


def test_states_ttl_conforms_to_the_shapes() -> None:
    conforms, text = validate.report(states_graph())
    assert conforms, text


def test_states_ttl_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("build_states", BUILD)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    if not build.CSV.exists():
        pytest.skip(f"{build.CSV} not available")
    assert build.main(["--check"]) == 0, "run: python tools/build_states.py"


def test_source_csv_rows_all_present() -> None:
    csv_path = ROOT.parent / "shared" / "data" / "states.csv"
    if not csv_path.exists():
        pytest.skip(f"{csv_path} not available")
    with csv_path.open(encoding="utf-8", newline="") as f:
        source = {r["iso3"]: r["wikidata"] for r in csv.DictReader(f)}
    spec = importlib.util.spec_from_file_location("build_states", BUILD)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    extra = {r["iso3"] for r in build.read_tsv(build.EXTRA)}  # states the CSV lacks (Kosovo)
    assert source == {r["iso3"]: r["qid"] for r in STATE_ROWS if r["iso3"] not in extra}


# ---------------------------------------------------------------------------------------------
# The named queries read the ontology's English labels
# ---------------------------------------------------------------------------------------------
@cache
def union() -> Graph:
    """Ontology and sample article graphs in one graph (these queries use no GRAPH clause)."""
    g = Graph().parse(ONTOLOGY, format="turtle")
    for lang in sorted(SAMPLES):
        for t in sample_graph(lang):
            g.add(t)
    return g


@pytest.mark.parametrize(
    ("query", "column", "expected"),
    [
        ("timeline", 4, {"reported", "planned"}),
        ("stances", 1, {"condemnation", "agreement"}),
    ],
)
def test_named_queries_read_english_labels(query: str, column: int, expected: set[str]) -> None:
    import pyoxigraph as ox

    from defkg.vocab import sparql_prologue

    # run by the store's engine (rdflib's MIN() fails on a group where the value is never bound)
    store = ox.Store()
    store.load(union().serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    text = (ROOT / "src" / "defkg" / "queries" / f"{query}.rq").read_text(encoding="utf-8")
    rows = list(store.query(sparql_prologue() + text))
    assert {r[column].value for r in rows if r[column] is not None} == expected


@pytest.mark.parametrize(
    "prefix, rdflib_name",
    [("prov", "PROV"), ("foaf", "FOAF"), ("time", "TIME"), ("skos", "SKOS"), ("owl", "OWL"),
     ("rdf", "RDF"), ("rdfs", "RDFS"), ("xsd", "XSD"), ("org", "ORG"), ("schema", "SDO"),
     ("dcterms", "DCTERMS")],
)  # fmt: skip
def test_plain_prefixes_are_rdflibs_namespaces(prefix: str, rdflib_name: str) -> None:
    """defkg.namespaces (plain strings, so that the store and queries need no rdflib) says what
    rdflib says."""
    import rdflib.namespace

    from defkg import namespaces

    assert namespaces.PREFIXES[prefix] == str(getattr(rdflib.namespace, rdflib_name))


def test_own_prefix_is_the_ontologys_namespace() -> None:
    from defkg import namespaces

    declared = dict(Graph().parse(ONTOLOGY).namespaces())
    assert namespaces.PREFIXES["dk"] == str(declared["dk"]) == ONTOLOGY_IRI + "#"


def test_organization_kind_names_are_the_vocabulary_kinds() -> None:
    from defkg.namespaces import ORGANIZATION_KIND_NAMES
    from defkg.vocab import ORGANIZATION_KINDS

    assert tuple(ORGANIZATION_KINDS) == ORGANIZATION_KIND_NAMES
    assert all(str(iri) == str(DK) + name for name, iri in ORGANIZATION_KINDS.items())
