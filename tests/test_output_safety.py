"""Safe output: IRIs minted from any text are valid; literals of any text round-trip exactly
through the store and every export format."""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from defkg import iris
from defkg.export import export
from defkg.ingest import ntriples
from defkg.model import (
    Article,
    Extraction,
    MeetingFact,
    OrgRef,
    Participation,
    Person,
    PlaceRef,
    RankRef,
    Sentence,
    Stance,
    StateRef,
    TopicRef,
)
from defkg.pipeline.triples import to_graph
from defkg.store import Store
from defkg.vocab import RESOURCE_BASE

SAFE_IRI = re.compile(re.escape(RESOURCE_BASE) + r"[A-Za-z0-9/-]+")
SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Any text (surrogates cannot be encoded, so no string can hold them on the way out of Python).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
WEIRD = [
    "a \"quoted\" 'name'",
    "back\\slash \\n \\u0041 \\\\",
    "line\nbreak\r\nand\rreturn\ttab",
    "<script>alert(1)</script> & <b>",
    "> } ; DROP ALL ; INSERT DATA { <http://x> <http://y> <http://z> }",
    "مرحبا بالعالم \u202eRTL override\u202c \u200f",
    "emoji 🇹🇷🇬🇧 👩‍👩‍👧 \U0001f600",
    "e\u0301 combining and ﬁ ligature",
    "bell\x07 esc\x1b nul\x00 del\x7f c1\x85",
    "\ufeff BOM and \ufffe \uffff non-characters",
    '"""triple quotes""" and \'\'\'',
    "#not a comment @prefix x: <y> .",
    " leading and trailing spaces ",
    "",
]
weird_text = st.one_of(st.sampled_from(WEIRD), any_text)


IRI_FUNCTIONS = [
    ("state", lambda t: iris.state(t)),
    ("organization", lambda t: iris.organization(t)),
    ("person", lambda t: iris.person(t, t)),
    ("person-no-state", lambda t: iris.person(t, None)),
    ("rank", lambda t: iris.rank(t)),
    ("role_post", lambda t: iris.role_post(t, t, t)),
    ("post", lambda t: iris.post(t, t, t)),
    ("role", lambda t: iris.role(t)),
    ("place", lambda t: iris.place(t)),
    ("topic", lambda t: iris.topic(t)),
    ("meeting", lambda t: iris.meeting((t, t + "b"), None, t, 3)),
    ("meeting-dated", lambda t: iris.meeting((t,), date(2026, 1, 15), t)),
    ("delegation", lambda t: iris.delegation(iris.meeting((t,), None, t), t)),
    ("stance", lambda t: iris.stance(iris.meeting((t,), None, t), t, t)),
    ("article", lambda t: iris.article(t)),
    ("graph", lambda t: iris.graph(t)),
]


@pytest.mark.parametrize(("name", "mint"), IRI_FUNCTIONS, ids=[n for n, _ in IRI_FUNCTIONS])
@SETTINGS
@given(text=weird_text)
@example(text="a b<c>\"d'e\\f\x00g\nh")
def test_iris_from_any_text_are_valid(name: str, mint, text: str) -> None:  # type: ignore[no-untyped-def]
    iri = mint(text)
    assert SAFE_IRI.fullmatch(iri), (name, text, iri)
    ox.NamedNode(iri)  # a valid IRI for Oxigraph
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        URIRef(iri)  # and for rdflib, without "does not look like a valid URI"


@SETTINGS
@given(article=weird_text, value=weird_text)
def test_evidence_labels_from_any_text_are_valid_blank_nodes(article: str, value: str) -> None:
    label = iris.evidence_label(article, URIRef("http://x/s"), URIRef("http://x/p"), value, 0)
    (quad,) = ox.parse(f"_:{label} <http://x/p> <http://x/o> .\n", format=ox.RdfFormat.N_TRIPLES)
    assert isinstance(quad.subject, ox.BlankNode)
    # a label names one fact of one article: another article or another sentence is another node
    assert label != iris.evidence_label(article + "x", URIRef("http://x/s"), URIRef("http://x/p"), value, 0)
    assert label != iris.evidence_label(article, URIRef("http://x/s"), URIRef("http://x/p"), value, 1)


def test_distinct_non_latin_names_get_distinct_iris() -> None:
    assert iris.person("Сергей Шойгу", "RUS") != iris.person("Андрей Белоусов", "RUS")
    assert iris.person("Yaşar Güler", "TUR") == iris.person("Yasar GULER", "TUR")  # the scheme holds
    assert iris.person("NAKATANI Gen", "JPN") == iris.person("Gen Nakatani", "JPN")
    assert iris.person("Gen Nakatani", "JPN") == RESOURCE_BASE + "person/jpn/gen-nakatani"


def test_minted_from_foreign_iri_is_refused() -> None:
    with pytest.raises(ValueError):
        iris.delegation("http://evil/> <x", "TUR")


# -- literals round-trip -----------------------------------------------------------------------------

STATES = {
    "GBR": StateRef("GBR", "Q145", "United Kingdom", "Birleşik Krallık"),
    "TUR": StateRef("TUR", "Q43", "Türkiye", "Türkiye"),
}


def extraction(texts: list[str]) -> Extraction:
    """A hand-made extraction whose every free-text field is one of ``texts``."""
    t = (texts * 8)[:8]
    sentence_text = t[0]
    article = Article(
        id="0123456789abcdef",
        text=sentence_text,
        language="en",
        published=date(2026, 1, 15),
        title=t[1] or None,
        publisher=t[2] or None,
        source=t[3] or None,
        sentences=(Sentence(0, 0, len(sentence_text), sentence_text),),
    )
    org = OrgRef("gbr-mod", t[4] or "x", "Ministry", state="GBR", label_en=t[5] or None)
    person = Person(
        name=t[6] or "x",
        state="TUR",
        rank=RankRef("general", t[7] or "x", nato="OF-9", label_en=t[1] or None, label_tr=t[2] or None),
        title=t[3] or None,
        organization=org,
        evidence=(0,),
    )
    meeting = MeetingFact(
        kind="Talks",
        states=("GBR", "TUR"),
        label=t[4] or None,
        host="TUR",
        start=date(2026, 1, 12),
        place=PlaceRef("ankara", t[5] or "x", state="TUR", label_en=t[6] or None),
        participants=(Participation(person, head=True, evidence=(0,)),),
        topics=(TopicRef("black-sea", t[7] or "x", "Region", label_en=t[0] or None),),
        stances=(Stance("Support", t[2] or "x", evidence=(0,)),),
        evidence=(0,),
    )
    return Extraction(article=article, meetings=(meeting,), states=STATES)


def _parse(path: Path, fmt: str, graph_iri: str) -> Graph:
    if fmt in ("turtle", "nt"):
        g = Graph()
        g.parse(path, format={"turtle": "turtle", "nt": "nt"}[fmt])
        return g
    ds = Dataset()
    ds.parse(path, format={"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
    out = Graph()
    for s, p, o in ds.graph(URIRef(graph_iri)):
        out.add((s, p, o))
    return out


def _roundtrip(texts: list[str], tmp: Path, st: Store) -> None:
    graph = to_graph(extraction(texts))
    graph_iri = str(graph.identifier)
    # the graph serialises, and the text we store parses back to the same graph
    assert isomorphic(Graph().parse(data=graph.serialize(format="nt"), format="nt"), graph)
    st.replace_graph(graph_iri, ntriples(graph))  # replaces the previous example's graph
    # the merged formats hold the article's graph and the entity graph the store made from it
    merged = to_graph(extraction(texts), described=True)
    for fmt in ("turtle", "trig", "nt", "nquads", "jsonld"):
        path = export(st, fmt, tmp / "out" / f"defkg.{fmt}")
        back = _parse(path, fmt, graph_iri)
        assert isomorphic(back, merged if fmt in ("turtle", "nt") else graph), (fmt, texts)
        literals = {str(o) for _, _, o in back if not isinstance(o, URIRef)}
        for text in texts[:8]:
            if text.strip():  # a blank name is no name: the builder writes the entity's key instead
                assert text in literals, (fmt, text)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with Store(tmp_path_factory.mktemp("rt") / "store") as st:
        yield st


@pytest.mark.parametrize("text", WEIRD, ids=range(len(WEIRD)))
def test_weird_literals_roundtrip(tmp_path: Path, store: Store, text: str) -> None:
    _roundtrip([text, *WEIRD], tmp_path, store)


@settings(SETTINGS, max_examples=40)  # each example exports five formats: ~0.25 s
@given(texts=st.lists(weird_text, min_size=1, max_size=8))
@example(texts=["a \"quoted\" 'name'"] * 5 + [" "])  # found by hypothesis: a blank place name
def test_any_literals_roundtrip(tmp_path: Path, store: Store, texts: list[str]) -> None:
    _roundtrip(texts, tmp_path, store)
