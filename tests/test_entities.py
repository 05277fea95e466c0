"""The entity layer (defkg.entities): every entity described once, in the entity graph, with one
preferred label per language; the same entity graph whatever the order of ingest, re-ingest or
replacement; no duplicate rows from the named queries.

The stores are built from our own articles (tests/corpus, always present) and, when the shared
material is there, from all reports of ../shared/corpus/dev and dev2 as well.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from defkg import entities, queries
from defkg.entities import ENTITY_GRAPH
from defkg.ingest import ingest
from defkg.model import OrgRef, RankRef
from defkg.store import ENTITIES_PENDING, Store

ROOT = Path(__file__).parent.parent
OWN = ROOT / "tests" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
DKR = "https://w3id.org/defkg/id/"


def _articles(d: Path) -> list[Path]:
    return sorted(p for p in d.glob("*.txt"))


def _store(tmp: Path, dirs: list[Path]) -> Path:
    store = tmp / "store"
    files = [p for d in dirs for p in _articles(d)]
    report = ingest(files, store, jobs=1)
    assert report.articles == len(files), report.errors[:3]
    return store


@pytest.fixture(scope="module")
def own_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("own"), [OWN])


@pytest.fixture(scope="module")
def all_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dirs = [SHARED / "dev", SHARED / "dev2"]
    if not all(d.is_dir() for d in dirs):
        pytest.skip("../shared/corpus is not present")
    return _store(tmp_path_factory.mktemp("all"), [*dirs, OWN])


def _rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    with Store(store, read_only=True) as st:
        return [tuple("" if v is None else v.value for v in sol) for sol in st.query(sparql)]


def _labels_per_language(store: Path) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for e, lang in _rows(
        store, f"SELECT ?e (LANG(?l) AS ?lang) WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e skos:prefLabel ?l }} }}"
    ):
        out.setdefault(e, Counter())[lang] += 1
    return out


def _check_labels(store: Path) -> None:
    labels = _labels_per_language(store)
    described = {
        e for (e,) in _rows(store, f"SELECT DISTINCT ?e WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?e a ?c }} }}")
    }
    assert described and described == set(labels), "every entity described has preferred labels"
    several = {e: dict(c) for e, c in labels.items() if any(n != 1 for n in c.values())}
    assert not several, f"entities with several prefLabels in one language: {list(several.items())[:5]}"
    no_english = [e for e, c in labels.items() if "en" not in c]
    assert not no_english, f"entities without an English label: {no_english[:5]}"


def _check_no_duplicate_rows(store: Path) -> None:
    for name, q in queries.named_queries().items():
        if any(f"?{p}" in q.text and f"VALUES ?{p}" not in q.text for p in ("a", "b")):
            continue  # takes parameters: run below
        for lang in ("en", "tr"):
            table = queries.query_table(store, queries.with_lang(q.text, lang))
            rows = Counter(json.dumps(r, sort_keys=True) for r in table.rows)
            dup = [r for r, n in rows.items() if n > 1]
            assert not dup, f"{name} ({lang}): duplicate rows {dup[:2]}"
            assert table.rows or name in ("stances",), f"{name} returned nothing"


def _one_node(store: Path, pattern: str) -> set[str]:
    return {e for (e,) in _rows(store, f"SELECT DISTINCT ?e WHERE {{ {pattern} }}")}


def test_own_corpus_entities_have_one_label_per_language(own_store: Path) -> None:
    _check_labels(own_store)


def test_own_corpus_named_queries_have_no_duplicate_rows(own_store: Path) -> None:
    _check_no_duplicate_rows(own_store)


def test_all_corpora_entities_have_one_label_per_language(all_store: Path) -> None:
    _check_labels(all_store)


def test_all_corpora_named_queries_have_no_duplicate_rows(all_store: Path) -> None:
    _check_no_duplicate_rows(all_store)


def test_all_corpora_one_node_per_entity(all_store: Path) -> None:
    london = _one_node(all_store, '?e skos:prefLabel "London"@en')
    assert london == {DKR + "place/london"}
    assert _one_node(all_store, '?e skos:prefLabel "Londra"@tr') == london
    # the node Turkish reports call Genelkurmay Başkanlığı is the one English reports call the
    # Turkish General Staff
    staff = _one_node(
        all_store,
        '?e dk:mentionedAs "Genelkurmay Başkanlığı"@tr ; dk:ofState <https://w3id.org/defkg/id/state/TUR>',
    )
    staff_en = _one_node(all_store, '?e dk:mentionedAs "Turkish General Staff"@en')
    assert staff == staff_en == {DKR + "org/tur-general-staff"}
    used = _one_node(all_store, "?p dk:rank ?e")
    assert DKR + "rank/of-9" in used
    assert not {DKR + "rank/orgeneral", DKR + "rank/general"} & used
    nine = _one_node(all_store, '?e skos:prefLabel "General"@en ; skos:prefLabel "Orgeneral"@tr')
    assert nine == {DKR + "rank/of-9"}


# -- keys: one node per state and function, rank and city ---------------------------------------------
@pytest.mark.parametrize(
    ("org", "host", "key"),
    [
        (OrgRef("msb", "Milli Savunma Bakanlığı", "Ministry", "TUR"), None, "tur-mod"),
        (OrgRef("tur-mod", "Savunma Bakanlığı", "Ministry", "TUR"), None, "tur-mod"),
        (
            OrgRef("turkish-general-staff", "Turkish General Staff", "ArmedForce", "TUR"),
            None,
            "tur-general-staff",
        ),
        (
            OrgRef("tur-general-staff", "Genelkurmay Başkanlığı", "ArmedForce", "TUR"),
            None,
            "tur-general-staff",
        ),
        (OrgRef("uk-mod", "UK Ministry of Defence", "Ministry", "GBR"), None, "gbr-mod"),
        (OrgRef("tur-embassy", "Büyükelçiliği", "GovernmentBody", "TUR"), "LBY", "tur-embassy-lby"),
        (OrgRef("tur-embassy", "Büyükelçiliği", "GovernmentBody", "TUR"), None, "tur-embassy"),
        (OrgRef("nato", "NATO", "InternationalOrganization"), "GBR", "nato"),
    ],
)
def test_org_keys(org: OrgRef, host: str | None, key: str) -> None:
    assert entities.org_key(org, host) == key


@pytest.mark.parametrize(
    ("rank", "key"),
    [
        (RankRef("orgeneral", "Orgeneral", "OF-9", "any"), "of-9"),
        (RankRef("general", "General", "OF-9", "any"), "of-9"),
        (RankRef("oramiral", "Oramiral", "OF-9", "navy"), "of-9-navy"),
        (RankRef("admiral", "Admiral", "OF-9", "navy"), "of-9-navy"),
        (RankRef("air-chief-marshal", "Air Chief Marshal", "OF-9", "air"), "of-9-air"),
        (RankRef("generalpolkovnik", "General Polkovnik", "OF-8", "any"), "colonel-general"),
        (RankRef("general-of-the-army", "Army General", "OF-9", "army"), "army-general"),
        (RankRef("made-up", "Made Up", "OF-5", "navy"), "of-5-navy"),
        (RankRef("uzman-cavus", "Uzman Çavuş", None, "any"), "uzman-cavus"),
    ],
)
def test_rank_keys(rank: RankRef, key: str) -> None:
    assert entities.rank_key(rank) == key


@pytest.mark.parametrize(
    ("iri", "lang", "label"),
    [
        ("org/gbr-mod", "en", "UK Ministry of Defence"),
        ("org/hun-mod", "en", "Ministry of Defence (Hungary)"),
        ("org/hun-mod", "tr", "Macaristan Savunma Bakanlığı"),
        ("org/tur-embassy-lby", "en", "Embassy of Türkiye in Libya"),
        ("place/london", "tr", "Londra"),
        ("place/london", "en", "London"),
        ("rank/of-9-navy", "tr", "Oramiral"),
        ("rank/of-9-navy", "en", "Admiral"),
        ("role/ambassador/tur/gbr", "en", "Ambassador of Türkiye to United Kingdom"),
        ("state/SYR", "tr", "Suriye"),
    ],
)
def test_preferred_labels(iri: str, lang: str, label: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import SKOS

    pref = [o for _, p, o in entities.describe(DKR + iri) if p == SKOS.prefLabel]
    assert Literal(label, lang=lang) in pref
    assert sorted(o.language for o in pref) == ["en", "tr"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("forms", "name"),
    [
        (["Selcuk Bayraktaroglu", "Selçuk Bayraktaroğlu"], "Selçuk Bayraktaroğlu"),
        (["Selçuk Bayraktaroğlu", "Selcuk Bayraktaroglu"], "Selçuk Bayraktaroğlu"),
        (["NAKATANI Gen", "Gen Nakatani"], "Gen Nakatani"),
        (["Gen Nakatani", "NAKATANI Gen"], "Gen Nakatani"),
    ],
)
def test_a_person_has_one_preferred_name_whatever_the_order(forms: list[str], name: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import FOAF, SKOS

    d = entities.describe(DKR + "person/tur/x", [(f, None) for f in forms])
    assert [o for _, p, o in d if p == FOAF.name] == [Literal(name)]
    alt = {str(o) for _, p, o in d if p == SKOS.altLabel}
    assert set(forms) - {name} <= alt


# -- the entity graph after ingest, re-ingest, replacement, in any order ----------------------------------
EN = (
    "---\npublished: 2026-04-02\n---\nTalks in London\n\n"
    "Turkish Chief of the General Staff General Selcuk Bayraktaroglu met the Chief of the Defence Staff "
    "of the United Kingdom in London on 1 April 2026. The two discussed NATO."
)
TR = (
    "---\npublished: 2026-04-02\n---\nLondra'da görüşme\n\n"
    "Genelkurmay Başkanı Orgeneral Selçuk Bayraktaroğlu, 1 Nisan 2026'da Londra'da Birleşik Krallık "
    "Savunma Kurmay Başkanı ile görüştü. Görüşmede NATO ele alındı."
)
TR2 = TR.replace("NATO ele alındı", "Ukrayna ele alındı")


def _entity_graph(store: Path) -> set[str]:
    return set(
        _rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITY_GRAPH}> {{ ?s ?p ?o }} }}")  # type: ignore[arg-type]
    )


def _write(d: Path, **files: str) -> dict[str, Path]:
    d.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, text in files.items():
        (d / f"{name}.txt").write_text(text, encoding="utf-8")
        out[name] = d / f"{name}.txt"
    return out


def test_entity_graph_is_independent_of_order_and_reingest(tmp_path: Path) -> None:
    f = _write(tmp_path / "in", en=EN, tr=TR)
    a, b = tmp_path / "a", tmp_path / "b"
    ingest([f["en"], f["tr"]], a, jobs=1)
    ingest([f["tr"]], b, jobs=1)
    ingest([f["en"]], b, jobs=1)
    ea = _entity_graph(a)
    assert ea == _entity_graph(b)
    for _ in range(3):
        ingest([f["tr"], f["en"]], b, jobs=1)
    assert _entity_graph(b) == ea
    with Store(a, read_only=True) as st:
        total = len(st)
    with Store(b, read_only=True) as st:
        assert len(st) == total
    # one person, one name with the Turkish letters, the other spelling an altLabel
    names = _rows(a, "SELECT ?p ?n WHERE { ?p foaf:name ?n }")
    assert [n for p, n in names if "bayraktaroglu" in p] == ["Selçuk Bayraktaroğlu"]
    alts = {x for (x,) in _rows(a, "SELECT ?a WHERE { ?p foaf:name ?n ; skos:altLabel ?a }")}
    assert "Selcuk Bayraktaroglu" in alts


EN2 = EN.replace("1 April 2026", "2 April 2026").replace("discussed NATO", "discussed Ukraine")


@pytest.mark.parametrize("order", list(itertools.permutations(["en", "tr", "en2"])))
def test_entity_graph_kept_one_article_at_a_time_equals_a_rebuild(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    """Adding articles one by one takes the short way for a person whose forms are all known
    already (EN2 spells the name as EN does); the entity graph still equals one rebuilt from all
    the article graphs."""
    f = _write(tmp_path / "in", en=EN, tr=TR, en2=EN2)
    store = tmp_path / "s"
    for name in order:
        ingest([f[name]], store, jobs=1)
    kept = _entity_graph(store)
    with Store(store) as st:
        entities.rebuild(st)
    assert _entity_graph(store) == kept
    names = _rows(store, "SELECT ?p ?n WHERE { ?p foaf:name ?n }")
    assert [n for p, n in names if "bayraktaroglu" in p] == ["Selçuk Bayraktaroğlu"]


def test_the_mentions_ingest_hands_over_are_those_the_store_reads_back(tmp_path: Path) -> None:
    """Ingest's workers hand the parent each graph's entity forms with its N-Quads, so the parent
    updates the entity graph without reading them back: they must be exactly what it would read
    (the same literals), and the entity graph kept from them must equal a rebuild."""
    from defkg.ingest import article_nquads, write_batch
    from defkg.pipeline import reader

    files = [*_articles(OWN)[:12], *_write(tmp_path / "in", en=EN, tr=TR).values()]
    payloads = [article_nquads(a) for f in files for a in reader.read_path(f)]
    handed: dict[str, set[object]] = {}
    store = tmp_path / "s"
    with Store(store) as st:
        original = st.keeping_entities

        def spy(
            graphs: object, existing: bool = True, mentions: dict[str, set[object]] | None = None
        ) -> object:
            assert mentions is not None  # every payload carried its mentions
            handed.update(mentions)
            return original(graphs, existing, mentions)  # type: ignore[arg-type]

        st.keeping_entities = spy  # type: ignore[method-assign]
        write_batch(st, [(g, (nq, n, m)) for g, nq, _, n, m in payloads])
        read_back = entities.mentions_in(st, [g for g, *_ in payloads])
    assert handed and handed == read_back
    kept = _entity_graph(store)
    with Store(store) as st:
        entities.rebuild(st)
    assert _entity_graph(store) == kept


def test_replacing_an_article_leaves_the_entity_graph_as_built_from_scratch(tmp_path: Path) -> None:
    f = _write(tmp_path / "in", en=EN, tr=TR)
    g = _write(tmp_path / "in2", tr=TR2)  # the same file name, new text: another article
    store, scratch = tmp_path / "s", tmp_path / "scratch"
    ingest([f["en"], f["tr"]], store, jobs=1)
    with Store(store) as st:  # drop the Turkish article, then ingest the changed one
        for x in st.graphs():
            if x.startswith(DKR + "graph/") and bool(
                st.query(f"ASK {{ GRAPH <{x}> {{ ?a schema:inLanguage 'tr' }} }}", union=False)
            ):
                st.drop_graph(x)
    ingest([g["tr"]], store, jobs=1)
    ingest([f["en"], g["tr"]], scratch, jobs=1)
    assert _entity_graph(store) == _entity_graph(scratch)
    ukraine = _one_node(store, f"GRAPH <{ENTITY_GRAPH}> {{ ?e dk:iso3 'UKR' }}")
    assert ukraine  # the new article's topic is described...
    nato = _one_node(store, f"GRAPH <{ENTITY_GRAPH}> {{ ?e dk:acronym 'NATO' }}")
    assert nato  # ... and NATO still is: the English article refers to it


def test_a_write_killed_before_the_entity_graph_is_repaired_on_the_next_write_open(tmp_path: Path) -> None:
    f = _write(tmp_path / "in", en=EN, tr=TR)
    store = tmp_path / "s"
    ingest([f["en"], f["tr"]], store, jobs=1)
    expected = _entity_graph(store)
    with Store(store) as st:  # as if killed between the articles' write and the entity graph's
        st.update(f"DROP GRAPH <{ENTITY_GRAPH}>")
    (store / ENTITIES_PENDING).touch()
    assert _entity_graph(store) == set()  # a reader sees the store as it is
    with Store(store):
        pass
    assert not (store / ENTITIES_PENDING).exists()
    assert _entity_graph(store) == expected


# -- commands agree: state-pairs, meetings-between, timeline, analyse --pair, the state graph -----------
def _check_agreement(store: Path) -> None:
    from defkg import analysis
    from defkg.store import open_store

    pairs = queries.query_table(store, queries.named_queries()["state-pairs"].text).values()
    assert pairs
    with open_store(store, read_only=True) as st:
        g = analysis.state_graph(st)
        iso = {d["label"]: n for n, d in g.nodes(data=True)}
        for a_label, b_label, n, first, last in pairs:
            a, b = iso[a_label], iso[b_label]
            edge = g.edges[a, b]
            assert int(n) == edge["weight"], (a, b)
            assert (first, last) == (edge["first"], edge["last"]), (a, b)
            between = queries.substitute(queries.named_queries()["meetings-between"].text, {"a": a, "b": b})
            rows = queries.query_table(store, between).values()
            assert len(rows) == int(n), (a, b)
            assert len(analysis.timeline(st, a, b)) == int(n), (a, b)
            dates = sorted(r[3] for r in rows if r[3])
            assert (dates[0] if dates else "", dates[-1] if dates else "") == (first, last)
        for state in sorted(g.nodes)[:8]:
            tl = queries.substitute(queries.named_queries()["timeline"].text, {"a": state})
            meetings = {r[1] for r in queries.query_table(store, tl).values()}
            expected = {
                m
                for (m,) in _rows(
                    store,
                    "SELECT DISTINCT ?m WHERE { ?m a dk:Meeting ; dk:participatingState "
                    f"<{DKR}state/{state}> }}",
                )
            }
            assert meetings == expected, state


def test_own_corpus_commands_agree(own_store: Path) -> None:
    _check_agreement(own_store)


def test_all_corpora_commands_agree(all_store: Path) -> None:
    _check_agreement(all_store)
