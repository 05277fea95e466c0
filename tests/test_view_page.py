"""The analyst's page: its data (engagements, sides, principals, evidence, labels by language), its
safety (untrusted text stays data) and the CLI. The page's behaviour in Chromium: test_page_browser.py."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from defkg import view
from defkg.cli.main import cli
from defkg.errors import InputError
from test_analysis import HOSTILE, build_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("page") / "s"
    build_store(path).close()
    return path


@pytest.fixture(scope="module")
def store(store_path):
    from defkg.store import Store

    st = Store(store_path, read_only=True)
    yield st
    st.close()


def data_of(page: str) -> dict:
    m = re.search(r'<script id="defkg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def by_pair(data: dict, a: str, b: str) -> list[dict]:
    return [e for e in data["engagements"] if {a, b} <= set(e["states"])]


@pytest.mark.parametrize(
    ("a", "b", "starts"),
    [
        ("GBR", "TUR", ["2024-03-01", "2025-01-15"]),
        ("DEU", "TUR", ["2024-06-10"]),
        ("JPN", "TUR", ["2023-11-02"]),
        ("GBR", "JPN", [""]),
        ("DEU", "GBR", []),
    ],
)
def test_engagements_per_pair(store, a, b, starts):
    data = view.page_data(store)
    assert sorted(e["start"] for e in by_pair(data, a, b)) == starts
    assert all(e["kind"] == "meeting" and e["subtype"] == "talks" for e in by_pair(data, a, b))


@pytest.mark.parametrize(
    ("a", "b", "start", "principals"),
    [
        ("GBR", "TUR", "2024-03-01", {"TUR": "Ayşe Demir", "GBR": "John Smith"}),
        ("JPN", "TUR", "2023-11-02", {"TUR": "Mehmet Kaya", "JPN": "Gen Nakatani"}),
        ("DEU", "TUR", "2024-06-10", {"TUR": "Ayşe Demir", "DEU": "Klaus Weber"}),
    ],
)
def test_sides_and_principals(store, a, b, start, principals):
    data = view.page_data(store)
    (e,) = [e for e in by_pair(data, a, b) if e["start"] == start]
    got = {side: data["people"][s["principal"]]["label"] for side, s in e["sides"].items()}
    # the same person may be spelled differently in two reports: compare folded names
    assert {k: v.casefold().replace("ş", "s") for k, v in got.items()} == {
        k: v.casefold().replace("ş", "s") for k, v in principals.items()
    }


def test_evidence_and_source(store):
    data = view.page_data(store)
    (e,) = [e for e in by_pair(data, "DEU", "TUR")]
    (src,) = e["sources"]
    assert src["sentence"] == "Sentence 0 of Türkiye–Germany meeting"
    assert data["articles"][src["article"]]["url"] == "https://news.example/tr-de"


def test_unsafe_source_url_is_dropped(store):
    data = view.page_data(store)
    (e,) = by_pair(data, "LBY", "TUR")
    assert data["articles"][e["sources"][0]["article"]]["url"] == ""  # was javascript:


@pytest.mark.parametrize(
    ("lang", "code", "label"), [("en", "GBR", "United Kingdom"), ("tr", "GBR", "Birleşik Krallık")]
)
def test_labels_follow_lang_and_keep_other_names(store, lang, code, label):
    data = view.page_data(store, lang)
    assert data["states"][code]["label"] == label
    assert {"United Kingdom", "Birleşik Krallık"} <= set(data["states"][code]["names"])


def test_people_and_organisations(store):
    data = view.page_data(store)
    weber = next(p for p in data["people"].values() if p["label"] == "Klaus Weber")
    assert weber["state"] == "DEU"
    assert [data["orgs"][o]["label"] for o in weber["orgs"]] == ["Federal Ministry of Defence"]


def test_unknown_lang(store):
    with pytest.raises(InputError):
        view.page_data(store, "fr")


def test_page_is_offline_and_untrusted_text_is_data(store):
    page = view.page_html(store)
    assert HOSTILE not in page  # only inside the JSON block, escaped
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", page, re.I)
    assert data_of(page)["engagements"]
    for asset in ("page.js", "query.js"):  # the page's own scripts never put data in innerHTML
        assert not re.search(
            r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", view._asset(asset)
        )


def test_pair_preselected_and_unknown_pair(store):
    assert data_of(view.page_html(store, select_pair=("tur", "gbr")))["select"] == {"pair": ["GBR", "TUR"]}
    with pytest.raises(InputError):
        view.page_html(store, select_pair=("TUR", "CHL"))


def test_empty_store(tmp_path):
    from defkg.store import Store

    with Store(tmp_path / "empty") as st:
        data = data_of(view.page_html(st))
    assert data["engagements"] == [] and data["states"] == {}


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        ([], 0, "Birleşik Krallık"),  # the other language's names are kept for search
        (["--lang", "tr"], 0, '"lang":"tr"'),
        (["--pair", "TUR", "GBR"], 0, '"select":{"pair":["GBR","TUR"]}'),
        (["--select", "Klaus Weber"], 0, '"select":{"query":"Klaus Weber"}'),
        (["--knowledge", "--ego", "TUR", "--radius", "1"], 0, "Türkiye"),
        (["--pair", "TUR", "XX"], 1, None),
        (["--ego", "TUR"], 2, None),  # --ego goes with --knowledge
        (["--lang", "fr"], 2, None),
    ],
)
def test_cli(store_path, tmp_path, args, code, needle):
    out = tmp_path / "sub" / "g.html"
    result = CliRunner().invoke(cli, ["view", "--store", str(store_path), "--out", str(out), *args])
    assert result.exit_code == code, result.output
    if needle:
        assert needle in out.read_text(encoding="utf-8")


# -- agreements and exercises (dk:DefenceAgreement with dk:party, dk:Exercise with dk:exerciseState) --

DK = "https://w3id.org/defkg/ontology#"
ID = "https://w3id.org/defkg/id/"
ENGAGEMENTS = f"""
<{ID}article/x1> a <{DK}Article> ; <https://schema.org/url> "https://news.example/mou" .
<{ID}agreement/x1> a <{DK}DefenceAgreement> ; <{DK}party> <{ID}state/TUR> , <{ID}state/JPN> ;
  <{DK}signedOn> "2024-10-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
  <https://schema.org/name> "Memorandum on defence training" ; <{DK}reportedIn> <{ID}article/x1> .
<{ID}exercise/x1> a <{DK}Exercise> ;
  <{DK}exerciseState> <{ID}state/TUR> , <{ID}state/GBR> , <{ID}state/DEU> ;
  <{DK}exerciseHost> <{ID}state/TUR> ;
  <https://schema.org/startDate> "2025-05-05"^^<http://www.w3.org/2001/XMLSchema#date> ;
  <https://schema.org/name> "Sea Wolf" ; <{DK}reportedIn> <{ID}article/x1> .
"""


@pytest.fixture(scope="module")
def engagements_store(tmp_path_factory: pytest.TempPathFactory):
    from defkg.store import Store

    path = tmp_path_factory.mktemp("agree") / "s"
    build_store(path).close()
    with Store(path) as st:
        import pyoxigraph as ox

        triples = ox.parse(ENGAGEMENTS.encode(), format=ox.RdfFormat.TURTLE)
        st.replace_graph(f"{ID}graph/x1", "".join(f"{t} .\n" for t in triples))
    with Store(path, read_only=True) as st:
        yield st


@pytest.mark.parametrize(
    ("kind", "states", "start", "title", "host"),
    [
        ("agreement", ["JPN", "TUR"], "2024-10-01", "Memorandum on defence training", ""),
        ("exercise", ["DEU", "GBR", "TUR"], "2025-05-05", "Sea Wolf", "TUR"),
    ],
)
def test_agreements_and_exercises(engagements_store, kind, states, start, title, host):
    data = view.page_data(engagements_store)
    (e,) = [e for e in data["engagements"] if e["kind"] == kind]
    assert (e["states"], e["start"], e["title"], e["host"]) == (states, start, title, host)
    assert data["articles"][e["sources"][0]["article"]]["url"] == "https://news.example/mou"


def test_page_words_in_both_languages_from_the_data_files() -> None:
    """The page's own words come from lang/<lang>/page.tsv, every key in both languages, and
    page.js/page.html ask for no key the files lack."""
    en, tr = view.ui_text("en"), view.ui_text("tr")
    assert en and set(en) == set(tr)
    assert [k for k in en if en[k] == tr[k]] == ["wikidata"]  # a name, the same in both
    assets = view._asset("page.js") + view._asset("page.html")
    asked = set(re.findall(r'\bui\("([\w.]+)"[,)]', assets)) | set(
        re.findall(r'data-ui(?:-\w+)?="([\w.]+)"', assets)
    )
    asked |= {f"kind.{k}.{f}" for k in view.KINDS for f in ("one", "many", "label")}
    assert asked <= set(en), asked - set(en)


def test_page_carries_the_words_of_its_language(store) -> None:
    data = json.loads(
        re.search(r'id="defkg-data"[^>]*>(.*?)</script>', view.page_html(store, lang="tr"), re.S).group(1)
    )
    assert data["ui"]["reset"] == "Sıfırla" and data["ui"]["kind.meeting.label"] == "görüşmeler"


EVIDENCE_LAYOUTS = """
@prefix dk: <https://w3id.org/defkg/ontology#> .
@base <https://w3id.org/defkg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<graph/new> {
  <article/new> a dk:Article .
  <meeting/m> a dk:Meeting .
  <sentence/new/3> dk:text "The ministers met."@en ; dk:sentenceIndex 3 ; prov:wasQuotedFrom <article/new> .
  <sentence/new/1> dk:text "They spoke of trade."@en ; dk:sentenceIndex 1 ; prov:wasQuotedFrom <article/new> .
  <sentence/new/5> dk:text "Both ministers met again."@en ; dk:sentenceIndex 5 .
  <sentence/new/0> dk:sentenceIndex 0 .
  <evidence/new/1> rdf:subject <meeting/m> ; rdf:predicate dk:participatingState ;
      rdf:object <state/TUR> ; dk:sentence <sentence/new/3> .
  <evidence/new/2> rdf:subject <meeting/m> ; rdf:predicate dk:participatingState ;
      rdf:object <state/GBR> ; dk:sentence <sentence/new/3> .
  <evidence/new/3> rdf:subject <meeting/m> ; rdf:predicate dk:topic ;
      rdf:object <topic/trade> ; dk:sentence <sentence/new/1> .
  <evidence/new/4> rdf:subject <meeting/m> ; rdf:predicate dk:participatingState ;
      rdf:object <state/TUR> ; dk:sentence <sentence/new/5> .
  <evidence/new/5> rdf:subject <meeting/m> ; rdf:predicate dk:participatingState ;
      rdf:object <state/TUR> ; dk:sentence <sentence/new/0> .
}
<graph/old> {
  <article/old> a dk:Article .
  <meeting/m> a dk:Meeting .
  <evidence/old/1> rdf:subject <meeting/m> ; rdf:predicate dk:topic ; rdf:object <topic/x> ;
      dk:sentence "They spoke of the region."@en ; dk:sentenceIndex 0 .
}
"""


def test_evidence_of_both_layouts_the_best_sentence(tmp_path) -> None:
    """The page's evidence query reads a sentence node (dk:text, dk:sentenceIndex) and, in stores
    written before that layout, the sentence as the literal of dk:sentence with its index on the
    evidence node; one row per engagement and article: the sentence citing the states taking part
    before one citing a topic, the earlier before the later, never one without its text (the two
    states' evidence citing one sentence is one row)."""
    import pyoxigraph as ox

    from defkg.store import Store

    path = tmp_path / "s"
    with Store(path) as st:
        st._ox.load(EVIDENCE_LAYOUTS.encode(), ox.RdfFormat.TRIG)
    with Store(path, read_only=True) as st:
        rows = [tuple(view._value(t) for t in r) for r in view._rows(st, view._sparql("evidence"))]
    dkr = "https://w3id.org/defkg/id/"
    assert rows == [
        (dkr + "meeting/m", dkr + "article/new", "0", "3", "The ministers met."),
        (dkr + "meeting/m", dkr + "article/old", "5", "0", "They spoke of the region."),
    ]
