"""Fuzzing the converter (read -> extract -> RDF): on random text and on mutated articles it raises
nothing but the project's own errors, and what it builds always serialises, parses back to the
same graph and conforms to the shapes. A graph that does not conform is reported, never stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

import defkg.ingest as ingest_module
from defkg.errors import DefkgError, InputError, InputWarning, ValidationError
from defkg.ingest import ingest, ntriples
from defkg.model import Article, Extraction, MeetingFact
from defkg.pipeline import extract, reader
from defkg.pipeline.triples import to_graph
from defkg.store import open_store
from defkg.validate import report

EXAMPLES = int(os.environ.get("DEFKG_FUZZ_EXAMPLES", "100"))  # more for a long fuzzing run
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Our own articles (written for this test), rich enough for the extractor to find meetings.
EN = """---
published: 2026-03-11
url: https://example.org/news/defence-talks
---
UK and Türkiye hold defence talks in Ankara

The Secretary of State for Defence of the United Kingdom, John Healey, met Turkish Minister of \
National Defence Yaşar Güler in Ankara on Tuesday, 10 March 2026.
The two ministers discussed NATO, the security of the Black Sea, the war in Ukraine and cooperation \
in the defence industry.
General Sir Roland Walker, Chief of the General Staff, accompanied the British delegation, while the \
British Ambassador to Türkiye also attended the talks.
Healey said the United Kingdom supports closer cooperation with Türkiye on the Eurofighter Typhoon programme.
"""
TR = """---
published: 2026-04-22
---
Türkiye ile Azerbaycan arasında askeri istişare toplantısı

Millî Savunma Bakanı Yaşar Güler, Azerbaycan Savunma Bakanı Zakir Hasanov ile 21 Nisan 2026 \
tarihinde Bakü'de bir araya geldi.
Görüşmede iki ülke arasındaki savunma ve güvenlik alanındaki işbirliği, Kafkasya'daki son gelişmeler \
ve ortak tatbikatlar ele alındı.
Heyetlere Genelkurmay Başkanı Orgeneral Metin Gürak da katıldı.
Bakan Güler, Türkiye'nin Azerbaycan'ın toprak bütünlüğünü desteklediğini söyledi.
"""
NOISE = (
    "\u0130\u0131\u015f\u011f\u00e7\u00f6\u00fc\u00c7\"'\\<>&\u202e\u200b\u00ad\ufeff"
    "\U0001f1f9\n\t\r\x00\x07-—–…«»"
)


def convert(text: str) -> Graph | None:
    """The converter on one text: its graph, or ``None`` when it refused the text with our own error."""
    try:
        article = reader.read_text(text, source="fuzz.txt")
        return to_graph(extract(article), described=True)
    except DefkgError:
        return None


def check_output(graph: Graph) -> None:
    nt = ntriples(graph)  # what ingest stores
    back = Graph().parse(data=nt, format="nt")
    assert isomorphic(back, graph)
    for fmt in ("turtle", "nt", "json-ld"):
        again = Graph().parse(data=graph.serialize(format=fmt), format=fmt)
        assert isomorphic(again, graph), fmt
    conforms, text = report(graph)
    assert conforms, text


@SETTINGS
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
@example(text="")
@example(text="---\n")
@example(text="---\n---\n")
@example(text="---\npublished: 2026-02-29\n---\nthe and of to in a")
@example(text="Türkiye " * 50)
@example(text="The minister met the minister. " * 20)
def test_random_text(text: str) -> None:
    graph = convert(text)
    if graph is not None:
        check_output(graph)


@st.composite
def shuffled(draw: st.DrawFn) -> str:
    """An article's words in chunks of random size, shuffled, with noise: the language stays
    recognisable and the extractor sees names, ranks, states and dates in odd orders."""
    body = draw(st.sampled_from([EN, TR])).split("---\n", 2)[2]
    tokens = body.replace("\n", " \n ").split(" ")
    size = draw(st.integers(1, 8))
    chunks = [tokens[k : k + size] for k in range(0, len(tokens), size)]
    draw(st.randoms(use_true_random=False)).shuffle(chunks)
    out = [t for chunk in chunks for t in chunk]
    for _ in range(draw(st.integers(0, 5))):
        out.insert(
            draw(st.integers(0, len(out))), draw(st.text(st.sampled_from(NOISE), min_size=1, max_size=3))
        )
    return " ".join(out)


@settings(SETTINGS, max_examples=EXAMPLES * 4 // 5)
@given(text=shuffled())
def test_shuffled_articles(text: str) -> None:
    graph = convert(text)
    if graph is not None:
        check_output(graph)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """One of our articles with random deletions, insertions, duplications, case changes and noise."""
    text = draw(st.sampled_from([EN, TR, EN.split("---\n", 2)[2], TR.split("---\n", 2)[2]]))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "upper", "lower", "swapcase", "noise"]))
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 80)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=30)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] * draw(st.integers(1, 4)) + text[j:]
        elif op in ("upper", "lower", "swapcase"):
            text = text[:i] + getattr(text[i:j], op)() + text[j:]
        else:
            text = text[:i] + draw(st.text(st.sampled_from(NOISE), min_size=1, max_size=5)) + text[i:]
    return text


@settings(SETTINGS, max_examples=EXAMPLES * 4 // 5)
@given(text=mutated())
def test_mutated_articles(text: str) -> None:
    graph = convert(text)
    if graph is not None:
        check_output(graph)


@pytest.mark.parametrize("text", [EN, TR], ids=["en", "tr"])
def test_unmutated_articles_give_meetings(text: str) -> None:
    graph = convert(text)
    assert graph is not None
    check_output(graph)
    assert len(extract(reader.read_text(text)).meetings) >= 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".md"]))
def test_reader_on_random_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    f = tmp_path / f"fuzz{suffix}"
    f.write_bytes(data)
    for item in reader.read_path(f):
        assert isinstance(item, Article | InputError | InputWarning)
        if isinstance(item, InputError | InputWarning):
            assert str(item).startswith(str(f)) and "\n" not in str(item)


# -- a graph that does not conform is reported, not stored ------------------------------------------


def _one_state_meetings(article: Article) -> Extraction:
    """A broken extractor: every meeting it reports has only one state (the shapes want two)."""
    good = extract(article)
    bad = MeetingFact(kind="Talks", states=("TUR",), evidence=(0,))
    return Extraction(article=good.article, meetings=(*good.meetings, bad), states=good.states)


def test_non_conforming_graph_is_reported_not_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "en.txt").write_text(EN, encoding="utf-8")
    (corpus / "tr.txt").write_text(TR, encoding="utf-8")
    real_extract = ingest_module.extract

    def extract_breaking_tr(article: Article) -> Extraction:
        return _one_state_meetings(article) if article.language == "tr" else real_extract(article)

    monkeypatch.setattr(ingest_module, "extract", extract_breaking_tr)
    store = tmp_path / "store"
    result = ingest([corpus], store, jobs=1)
    assert result.articles == 1
    (error,) = result.errors
    assert isinstance(error, ValidationError)
    assert str(error).startswith(f"{corpus / 'tr.txt'}: ") and "\n" not in str(error)
    assert "participatingState" in str(error) or "two participating states" in str(error)
    with open_store(store, read_only=True) as st_:
        languages = {
            r["l"].value for r in st_.query("SELECT ?l WHERE { ?a a dk:Article ; schema:inLanguage ?l }")
        }
    assert languages == {"en"}
    # --no-validate is the only way to store it, and then it is the user's choice
    unchecked = ingest([corpus / "tr.txt"], store, jobs=1, validate=False)
    assert unchecked.ok and unchecked.articles == 1
