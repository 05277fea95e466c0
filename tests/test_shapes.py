"""SHACL shapes (ontology/shapes.ttl) and the fast validator (defkg.validate).

Sample graphs are built with ``defkg.pipeline.triples.to_graph`` from hand-written
extractions of our own (invented) Turkish and English reports; ``test_ontology.py``
reuses them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS

from defkg import validate
from defkg.errors import ValidationError
from defkg.model import (
    Article,
    Extraction,
    MeetingFact,
    OrgRef,
    Participation,
    Person,
    PlaceRef,
    RankRef,
    RoleParticipation,
    Sentence,
    Stance,
    StateRef,
    TopicRef,
)
from defkg.pipeline.triples import ArticleGraph, to_graph
from defkg.vocab import DK, SDO, SH

# ---------------------------------------------------------------------------------------------
# Sample extractions (our own invented reports)
# ---------------------------------------------------------------------------------------------
STATES = {
    "TUR": StateRef("TUR", "Q43", "Türkiye", "Türkiye"),
    "GBR": StateRef("GBR", "Q145", "United Kingdom", "Birleşik Krallık"),
    "JPN": StateRef("JPN", "Q17", "Japan", "Japonya"),
    "UKR": StateRef("UKR", "Q212", "Ukraine", "Ukrayna"),
}

TR_SENTENCES = (
    "Türkiye ile Birleşik Krallık arasındaki savunma istişareleri 12 Mart 2025'te Ankara'da yapıldı.",
    "Toplantıya Tümgeneral Ayşe Yılmaz ile Tuğgeneral John Smith başkanlık etti.",
    "Taraflar NATO, Ukrayna ve Karadeniz güvenliğini ele aldı.",
    "Taraflar terörü kınadı.",
)
EN_SENTENCES = (
    "Japan and Türkiye held defence talks in Tokyo on 5 May 2024.",
    "Defence Minister Gen Nakatani met his Turkish counterpart Yaşar Güler.",
    "The two sides agreed to deepen cooperation and will speak by phone next month.",
)


def _article(aid: str, lang: str, sentences: tuple[str, ...], **kw: object) -> Article:
    out, pos = [], 0
    for i, s in enumerate(sentences):
        out.append(Sentence(i, pos, pos + len(s), s))
        pos += len(s) + 1
    return Article(id=aid, text=" ".join(sentences), language=lang, sentences=tuple(out), **kw)  # type: ignore[arg-type]


def tr_extraction() -> Extraction:
    article = _article(
        "a1b2c3d4e5f60718",
        "tr",
        TR_SENTENCES,
        url="https://example.org/haber/1",
        published=date(2025, 3, 13),
        title="Türkiye ile Birleşik Krallık savunma istişareleri",
        publisher="Örnek Ajans",
        source="ornek/haber-1.txt",
    )
    msb = OrgRef(
        "tur-mod",
        "Millî Savunma Bakanlığı",
        "Ministry",
        state="TUR",
        acronym="MSB",
        label_en="Ministry of National Defence",
    )
    ayse = Person(
        "Ayşe Yılmaz",
        "TUR",
        rank=RankRef("tumgeneral", "Tümgeneral", nato="OF-7", service="army", label_en="Major General"),
        title="Savunma Politikaları Daire Başkanı",
        organization=msb,
        evidence=(1,),
    )
    john = Person(
        "John Smith",
        "GBR",
        rank=RankRef("brigadier", "Tuğgeneral", nato="OF-6", service="army", label_en="Brigadier"),
        evidence=(1,),
    )
    meeting = MeetingFact(
        kind="Consultations",
        states=("GBR", "TUR"),
        label="Türkiye-Birleşik Krallık Savunma İstişareleri",
        host="TUR",
        start=date(2025, 3, 12),
        end=date(2025, 3, 13),
        place=PlaceRef("ankara", "Ankara", qid="Q3640", state="TUR"),
        participants=(
            Participation(ayse, head=True, evidence=(1,)),
            Participation(john, head=True, evidence=(1,)),
        ),
        roles=(
            RoleParticipation("military-attache", "askerî ataşe", "GBR", accredited_to="TUR", evidence=(1,)),
        ),
        topics=(
            TopicRef("nato", "NATO", "Organization", qid="Q7184", label_en="NATO"),
            TopicRef("black-sea", "Karadeniz", "Region", qid="Q166", label_en="Black Sea"),
            TopicRef("ukraine", "Ukrayna", "State", iso3="UKR", qid="Q212"),
        ),
        stances=(
            Stance(
                "Condemnation", "terörü kınadı", topic=TopicRef("terrorism", "terör", "Theme"), evidence=(3,)
            ),
        ),
        evidence=(0,),
        topic_evidence={"nato": (2,), "black-sea": (2,), "ukraine": (2,)},
    )
    return Extraction(article=article, meetings=(meeting,), states=STATES)


def en_extraction() -> Extraction:
    article = _article("0011223344556677", "en", EN_SENTENCES, published=date(2024, 5, 6))
    mod = OrgRef("jpn-mod", "Ministry of Defense", "Ministry", state="JPN", acronym="MOD")
    talks = MeetingFact(
        kind="Talks",
        states=("JPN", "TUR"),
        host="JPN",
        start=date(2024, 5, 5),
        place=PlaceRef("tokyo", "Tokyo", qid="Q1490", state="JPN"),
        participants=(
            Participation(
                Person("Gen Nakatani", "JPN", title="Defence Minister", organization=mod),
                head=True,
                evidence=(1,),
            ),
            Participation(Person("Yaşar Güler", "TUR"), evidence=(1,)),
        ),
        stances=(Stance("Agreement", "agreed to deepen cooperation", evidence=(2,)),),
        evidence=(0,),
    )
    call = MeetingFact(kind="PhoneCall", states=("JPN", "TUR"), status="Planned", evidence=(2,))
    return Extraction(article=article, meetings=(talks, call), states=STATES)


SAMPLES: dict[str, Callable[[], Extraction]] = {"tr": tr_extraction, "en": en_extraction}


def sample_graph(lang: str) -> Graph:
    """The sample article's graph with the entity graph's description of its entities."""
    return to_graph(SAMPLES[lang](), described=True)


# ---------------------------------------------------------------------------------------------
# Hand-broken graphs
# ---------------------------------------------------------------------------------------------
XSD_DATETIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
MEETING = URIRef("https://w3id.org/defkg/id/meeting/gbr-tur/2025-03-12")
AYSE = URIRef("https://w3id.org/defkg/id/person/tur/ayse-yilmaz")
ARTICLE = URIRef("https://w3id.org/defkg/id/article/a1b2c3d4e5f60718")
GBR = URIRef("https://w3id.org/defkg/id/state/GBR")
DELEGATION = URIRef(str(MEETING) + "/delegation/tur")


def _one(g: Graph, s: URIRef | None, p: URIRef) -> tuple:  # type: ignore[type-arg]
    return next(iter(g.triples((s, p, None))))


def _set(g: Graph, s: URIRef, p: URIRef, o: object) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))  # type: ignore[arg-type]


def one_state(g: Graph) -> None:
    g.remove((MEETING, DK.participatingState, GBR))


def start_as_string(g: Graph) -> None:
    _set(g, MEETING, SDO.startDate, Literal("2025-03-12"))


def two_start_dates(g: Graph) -> None:
    g.add((MEETING, SDO.startDate, Literal(date(2025, 3, 11))))


def end_before_start(g: Graph) -> None:
    _set(g, MEETING, SDO.endDate, Literal(date(2025, 3, 1)))


def official_without_name(g: Graph) -> None:
    g.remove((AYSE, FOAF.name, None))


def official_empty_name(g: Graph) -> None:
    _set(g, AYSE, FOAF.name, Literal(""))


def bad_iri(g: Graph) -> None:
    bad = URIRef("https://w3id.org/defkg/id/person/tur/ayşe yılmaz")
    g.add((bad, RDF.type, DK.Official))
    g.add((bad, FOAF.name, Literal("Ayşe Yılmaz")))


def state_without_wikidata(g: Graph) -> None:
    g.remove((GBR, DK.wikidata, None))


def state_bad_iso3(g: Graph) -> None:
    _set(g, GBR, DK.iso3, Literal("gbr"))


def untyped_state(g: Graph) -> None:
    g.remove((GBR, RDF.type, DK.State))


def no_status(g: Graph) -> None:
    g.remove((MEETING, DK.status, None))


def bad_stance_kind(g: Graph) -> None:
    stance = _one(g, MEETING, DK.stance)[2]
    _set(g, stance, DK.stanceKind, DK.Meeting)


def bad_language(g: Graph) -> None:
    _set(g, ARTICLE, SDO.inLanguage, Literal("de"))


def evidence_without_sentence(g: Graph) -> None:
    ev = _one(g, None, DK.sentence)[0]
    g.remove((ev, DK.sentence, None))


def negative_sentence_index(g: Graph) -> None:
    ev = _one(g, None, DK.sentenceIndex)[0]
    _set(g, ev, DK.sentenceIndex, Literal(-1))


def two_heads(g: Graph) -> None:
    g.add((DELEGATION, DK.headOfDelegation, URIRef("https://w3id.org/defkg/id/person/gbr/john-smith")))


def delegation_without_state(g: Graph) -> None:
    g.remove((DELEGATION, DK.delegationOf, None))


def affiliation_not_an_organization(g: Graph) -> None:
    _set(g, AYSE, DK.affiliation, URIRef("https://w3id.org/defkg/id/place/ankara"))


def place_in_bad_state_iri(g: Graph) -> None:
    _set(
        g,
        URIRef("https://w3id.org/defkg/id/place/ankara"),
        SDO.containedInPlace,
        URIRef("http://example.org/TUR"),
    )


def published_as_datetime(g: Graph) -> None:
    _set(g, ARTICLE, SDO.datePublished, Literal("2025-03-13T10:00:00", datatype=XSD_DATETIME))


# (breaker, message expected in the report); the graph is refused at ingest unless the
# breaker is listed in WARNINGS (a sh:Warning: reported, the article still stored).
BROKEN: list[tuple[Callable[[Graph], None], str]] = [
    (one_state, "at least two participating states"),
    (start_as_string, "schema:startDate, an xsd:date"),
    (two_start_dates, "at most one schema:startDate"),
    (end_before_start, "not after its end date"),
    (official_without_name, "exactly one non-empty foaf:name"),
    (official_empty_name, "exactly one non-empty foaf:name"),
    (bad_iri, "own IRIs match"),
    (state_without_wikidata, "exactly one dk:wikidata"),
    (state_bad_iso3, "dk:iso3 matching"),
    (untyped_state, "each a dk:State"),
    (no_status, "exactly one dk:status"),
    (bad_stance_kind, "dk:stanceKind among"),
    (bad_language, "schema:inLanguage"),
    (evidence_without_sentence, "dk:sentence"),
    (negative_sentence_index, "dk:sentenceIndex, an xsd:integer >= 0"),
    (two_heads, "at most one dk:headOfDelegation"),
    (delegation_without_state, "exactly one dk:delegationOf"),
    (affiliation_not_an_organization, "dk:affiliation is a dk:Organization"),
    (published_as_datetime, "schema:datePublished, an xsd:date"),
    (place_in_bad_state_iri, "schema:containedInPlace), a state IRI"),
]
WARNINGS = {two_heads}


def broken_graph(breaker: Callable[[Graph], None]) -> Graph:
    g = sample_graph("tr")
    breaker(g)
    return g


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------
def test_shapes_parse_and_compile() -> None:
    shapes, _ = validate.compiled_shapes()
    names = {str(s.node).rsplit("#", 1)[-1] for s in shapes}
    assert {"MeetingShape", "StateShape", "OfficialShape", "ArticleShape", "EvidenceShape"} <= names
    assert (None, RDF.type, SH.NodeShape) in validate.shapes_graph()


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_sample_graph_conforms(lang: str) -> None:
    g = sample_graph(lang)
    conforms, text = validate.report(g)
    assert conforms, text
    validate.check_graph(g, source=f"sample-{lang}")


def test_entities_are_described_in_the_entity_graph_only() -> None:
    """The article's graph only mentions the entities it refers to (dk:mentionedAs), a state met
    in passing (a place's, an organisation's) too; their descriptions come from the entity layer."""
    x = tr_extraction()
    m = x.meetings[0]
    brussels = PlaceRef("brussels", "Brüksel", qid="Q239", state="BEL", label_en="Brussels")
    nato_hq = OrgRef("nato-hq", "NATO Karargâhı", "InternationalOrganization", state="BEL")
    guest = Person("Jan Peeters", "GBR", organization=nato_hq)
    m = replace(m, place=brussels, participants=(*m.participants, Participation(guest, evidence=(1,))))
    bel = URIRef("https://w3id.org/defkg/id/state/BEL")
    bare = to_graph(replace(x, meetings=(m,)))
    assert (bel, RDF.type, DK.State) not in bare
    assert (bel, DK.mentionedAs, Literal("Belçika", lang="tr")) in bare
    labelled = {t[0] for t in bare if t[1] in (RDFS.label, SKOS.prefLabel)}
    assert labelled == {MEETING}  # a meeting's label is what the article reports
    g = to_graph(replace(x, meetings=(m,)), described=True)
    assert (bel, RDF.type, DK.State) in g
    assert (bel, SKOS.prefLabel, Literal("Belgium", lang="en")) in g
    conforms, text = validate.report(g)
    assert conforms, text
    assert validate.pyshacl_report(g)[0]


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_sample_graph_conforms_pyshacl(lang: str) -> None:
    conforms, _, text = validate.pyshacl_report(sample_graph(lang))
    assert conforms, text


@pytest.mark.parametrize(("breaker", "message"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_broken_graph_is_refused(breaker: Callable[[Graph], None], message: str) -> None:
    g = broken_graph(breaker)
    conforms, text = validate.report(g)
    assert not conforms
    assert message in text, text
    if breaker in WARNINGS:
        assert "[Warning] " in text
        validate.check_graph(g, source="broken.txt")  # reported, not refused
        return
    with pytest.raises(ValidationError, match="does not conform") as err:
        validate.check_graph(g, source="broken.txt")
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("broken.txt: ")
    assert str(err.value).split("shapes: ", 1)[1] in text.splitlines()


@pytest.mark.parametrize(("breaker", "message"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_broken_graph_pyshacl_message(breaker: Callable[[Graph], None], message: str) -> None:
    conforms, _, text = validate.pyshacl_report(broken_graph(breaker))
    assert not conforms
    assert message in text


# --- the fast checks agree with pyshacl ------------------------------------------------------
def _pyshacl_results(g: Graph) -> set[tuple[object, object, str, str]]:
    conforms, results, _ = validate.pyshacl_report(g)
    out = set()
    for r in results.objects(None, SH.result):
        path = results.value(r, SH.resultPath)
        inverse = results.value(path, SH.inversePath) if path is not None else None
        key = ("^", inverse) if inverse is not None else path
        severity = str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        out.add((results.value(r, SH.focusNode), key, str(results.value(r, SH.resultMessage)), severity))
    assert conforms == (not out)
    return out


def _fast_results(g: Graph) -> set[tuple[object, object, str, str]]:
    return {(v.focus, v.path, v.message, v.severity) for v in validate.violations(g)}


def _agreement_cases() -> list[tuple[str, Callable[[], Graph]]]:
    cases: list[tuple[str, Callable[[], Graph]]] = [
        (f"sample-{lang}", lambda lang=lang: sample_graph(lang)) for lang in SAMPLES
    ]
    cases += [(b.__name__, lambda b=b: broken_graph(b)) for b, _ in BROKEN]
    return cases


@pytest.mark.parametrize(("name", "make"), _agreement_cases(), ids=[n for n, _ in _agreement_cases()])
def test_fast_checks_agree_with_pyshacl(name: str, make: Callable[[], Graph]) -> None:
    g = make()
    assert _fast_results(g) == _pyshacl_results(g)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_fast_checks_agree_with_pyshacl_on_every_deleted_triple(lang: str) -> None:
    """Delete each triple of the sample graph in turn (every 3rd, to stay quick): same verdicts."""
    base = sample_graph(lang)
    triples = sorted(base, key=lambda t: tuple(map(str, t)))
    disagreements = []
    for t in triples[::3]:
        g = Graph()
        for u in base:
            if u != t:
                g.add(u)
        fast, slow = _fast_results(g), _pyshacl_results(g)
        if fast != slow:
            disagreements.append((t, fast ^ slow))
    assert not disagreements


def test_fast_checks_refuse_unsupported_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    g = Graph()
    g.parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .""",
        format="turtle",
    )
    monkeypatch.setattr(validate, "shapes_graph", lambda: g)
    validate.compiled_shapes.cache_clear()
    try:
        with pytest.raises(ValidationError, match="unsupported"):
            validate.compiled_shapes()
    finally:
        validate.compiled_shapes.cache_clear()


def test_validation_is_fast() -> None:
    """Validation runs on every ingested article: it must take a few milliseconds at most."""
    g = sample_graph("tr")
    validate.check_graph(g)  # compile the shapes
    n = 50
    t = time.perf_counter()
    for _ in range(n):
        validate.check_graph(g)
    per_article = (time.perf_counter() - t) / n
    assert per_article < 0.01, f"{per_article * 1000:.2f} ms per article"


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_index_read_from_the_store_equals_iterated_index(lang: str) -> None:
    """The validator reads rdflib's Memory store indexes directly when it can."""
    g = sample_graph(lang)
    direct = validate._indexes(g)
    assert direct[0] is getattr(g.store, "_Memory__spo", None), "fast path not taken"
    assert direct == validate._iterated_indexes(g)


@pytest.mark.parametrize(("breaker", "message"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_bare_triples_validate_like_the_graph(breaker: Callable[[Graph], None], message: str) -> None:
    """Ingest validates the built triples (``ArticleGraph``), not an rdflib Graph: same results."""
    g = broken_graph(breaker)
    bare = ArticleGraph(g.identifier, tuple(g))
    assert validate._iterated_indexes(bare) == validate._iterated_indexes(g)
    assert validate.report(bare) == validate.report(g)


def test_graph_sharing_a_store_is_iterated() -> None:
    from rdflib import Dataset

    ds = Dataset()
    a = ds.graph(URIRef("https://w3id.org/defkg/id/graph/a"))
    b = ds.graph(URIRef("https://w3id.org/defkg/id/graph/b"))
    for t in sample_graph("tr"):
        a.add(t)
    b.add((MEETING, DK.participatingState, URIRef("https://w3id.org/defkg/id/state/JPN")))
    spo, _ = validate._indexes(a)
    assert URIRef("https://w3id.org/defkg/id/state/JPN") not in spo[MEETING][DK.participatingState]
    assert validate.report(a)[0]


CORPUS_TEXTS = sorted((Path(__file__).parent / "corpus").glob("*.txt"))


def _plain_indexes(triples: object, pos_predicates: frozenset) -> tuple[dict, dict]:
    spo: dict = {}
    pos: dict = {}
    for s, p, o in triples:  # type: ignore[attr-defined]
        spo.setdefault(s, {}).setdefault(p, {})[o] = 1
        if p in pos_predicates:
            pos.setdefault(p, {}).setdefault(o, {})[s] = 1
    return spo, pos


def test_index_of_an_article_with_its_entities_reuses_their_descriptions() -> None:
    """What ingest validates (an article and the descriptions of its entities) is indexed from the
    article's triples and an index of each description made once: the same index as all the triples
    indexed one by one, article after article (people shared between them, other forms of the same
    state), and a description's shared index is never written to."""
    import copy

    from defkg.pipeline import extract, reader
    from defkg.pipeline.triples import build

    predicates = validate._pos_predicates()
    validate._PARTS.clear()
    described = [
        build(extract(reader.read_text(p.read_text(encoding="utf-8"), source=str(p)))).described()
        for p in CORPUS_TEXTS
    ]
    for g in described + described:  # the second round reads every part from the cache
        before = copy.deepcopy(validate._PARTS)
        assert validate._merged_indexes(*g.index_parts(), predicates) == _plain_indexes(g, predicates)
        assert all(validate._PARTS[k] == before[k] for k in before), "a shared part was written to"
    assert len(validate._PARTS) < sum(len(g.index_parts()[1]) for g in described), "no part reused"


def test_index_parts_keep_a_triple_given_twice_once() -> None:
    """A subject with triples in the article and in two parts, one triple in all three."""
    a, b, c = (URIRef(f"https://w3id.org/defkg/id/x/{n}") for n in "abc")
    own = ((a, RDFS.label, Literal("a")), (a, RDF.type, DK.Official))
    parts = [
        ("k1", ((a, RDF.type, DK.Official), (b, RDFS.label, Literal("b")))),
        ("k2", ((a, FOAF.name, c),)),
    ]
    validate._PARTS.clear()
    spo, pos = validate._merged_indexes(own, parts, frozenset({RDF.type}))
    assert spo == {
        a: {RDFS.label: {Literal("a"): 1}, RDF.type: {DK.Official: 1}, FOAF.name: {c: 1}},
        b: {RDFS.label: {Literal("b"): 1}},
    }
    assert pos == {RDF.type: {DK.Official: {a: 1}}}
    assert validate._PARTS[(frozenset({RDF.type}), "k1")][0][a] == {RDF.type: {DK.Official: 1}}
