"""Network analysis on hand-built stores: rankings, ego networks, timelines, exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from defkg import analysis
from defkg.cli.main import cli
from defkg.errors import InputError
from defkg.model import (
    Article,
    Extraction,
    MeetingFact,
    OrgRef,
    Participation,
    Person,
    Sentence,
    StateRef,
    TopicRef,
)
from defkg.pipeline.triples import to_graph
from defkg.store import Store

STATES = {
    "TUR": StateRef("TUR", "Q43", "Türkiye", "Türkiye"),
    "GBR": StateRef("GBR", "Q145", "United Kingdom", "Birleşik Krallık"),
    "DEU": StateRef("DEU", "Q183", "Germany", "Almanya"),
    "JPN": StateRef("JPN", "Q17", "Japan", "Japonya"),
    "LBY": StateRef("LBY", "Q1016", "Libya", "Libya"),
}

HOSTILE = "<img src=x onerror=alert(1)>"

# (article id, url, headline, [(states, start, [(name, iso3, org key, org label, head)], [topic keys])])
ARTICLES = [
    (
        "a1",
        "https://news.example/tr-gb-1",
        "Türkiye and UK hold defence talks",
        [
            (
                ("GBR", "TUR"),
                date(2024, 3, 1),
                [
                    ("Ayşe Demir", "TUR", "tur-mod", "Ministry of National Defence", True),
                    ("John Smith", "GBR", "gbr-mod", "Ministry of Defence", True),
                ],
                ["nato"],
            ),
        ],
    ),
    (
        "a2",
        "https://news.example/tr-gb-2",
        "Second round of UK–Türkiye consultations",
        [
            (
                ("GBR", "TUR"),
                date(2025, 1, 15),
                [
                    ("Ayse DEMIR", "TUR", "tur-mod", "Ministry of National Defence", True),
                    ("Mary Jones", "GBR", "gbr-mod", "Ministry of Defence", False),
                ],
                ["nato", "ukraine"],
            ),
        ],
    ),
    (
        "a3",
        "https://news.example/tr-de",
        "Türkiye–Germany meeting",
        [
            (
                ("DEU", "TUR"),
                date(2024, 6, 10),
                [
                    ("Ayşe Demir", "TUR", "tur-mod", "Ministry of National Defence", True),
                    ("Klaus Weber", "DEU", "deu-bmvg", "Federal Ministry of Defence", True),
                ],
                [],
            ),
        ],
    ),
    (
        "a4",
        "javascript:alert(1)",
        HOSTILE,
        [
            (
                ("LBY", "TUR"),
                date(2024, 9, 5),
                [
                    ("Mehmet Kaya", "TUR", "tur-tsk", "Turkish Armed Forces", True),
                    (HOSTILE, "LBY", None, None, True),
                ],
                [],
            ),
            (
                ("GBR", "JPN"),
                None,
                [
                    ("Mary Jones", "GBR", "gbr-mod", "Ministry of Defence", True),
                    ("Gen Nakatani", "JPN", "jpn-mod", "Ministry of Defense", True),
                ],
                [],
            ),
        ],
    ),
    (
        "a5",
        "https://news.example/tr-jp",
        "Türkiye and Japan",
        [
            (
                ("JPN", "TUR"),
                date(2023, 11, 2),
                [
                    ("Mehmet Kaya", "TUR", "tur-tsk", "Turkish Armed Forces", False),
                    ("Gen Nakatani", "JPN", "jpn-mod", "Ministry of Defense", True),
                ],
                [],
            ),
        ],
    ),
]

TOPICS = {
    "nato": TopicRef("nato", "NATO", "InternationalOrganization", qid="Q7184", label_en="NATO"),
    "ukraine": TopicRef("ukraine", "Ukraine", "State", iso3=None, label_en="Ukraine"),
}


def extraction(aid: str, url: str, headline: str, meetings: list) -> Extraction:
    sentences = tuple(Sentence(i, 0, 0, f"Sentence {i} of {headline}") for i in range(3))
    art = Article(
        id=aid,
        text="...",
        language="en",
        url=url,
        title=headline,
        published=date(2025, 2, 1),
        sentences=sentences,
    )
    facts = []
    for states, start, people, topics in meetings:
        parts = tuple(
            Participation(
                Person(
                    name,
                    iso,
                    organization=OrgRef(ok, ol, "Ministry", state=iso) if ok else None,
                    title="Minister" if head else None,
                ),
                head=head,
                evidence=(1,),
            )
            for name, iso, ok, ol, head in people
        )
        facts.append(
            MeetingFact(
                "Talks",
                tuple(sorted(states)),
                start=start,
                participants=parts,
                topics=tuple(TOPICS[t] for t in topics),
                evidence=(0,),
            )
        )
    return Extraction(article=art, meetings=tuple(facts), states=STATES)


def build_store(path: Path, articles: list = ARTICLES) -> Store:
    store = Store(path)
    for art in articles:
        g = to_graph(extraction(*art))
        store.replace_graph(str(g.identifier), g.serialize(format="nt"))
    store.flush()
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    st = build_store(tmp_path_factory.mktemp("store") / "s")
    yield st
    st.close()


# -- state graph ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "weight", "first", "last"),
    [
        ("GBR", "TUR", 2, "2024-03-01", "2025-01-15"),
        ("DEU", "TUR", 1, "2024-06-10", "2024-06-10"),
        ("LBY", "TUR", 1, "2024-09-05", "2024-09-05"),
        ("GBR", "JPN", 1, "", ""),
        ("JPN", "TUR", 1, "2023-11-02", "2023-11-02"),
    ],
)
def test_state_edges(store, a, b, weight, first, last):
    g = analysis.state_graph(store)
    assert g.edges[a, b] == {"weight": weight, "first": first, "last": last, "relation": "met"}


def test_state_graph_has_no_unmet_pairs(store):
    g = analysis.state_graph(store)
    assert not g.has_edge("DEU", "GBR")
    assert g.nodes["TUR"]["label"] == "Türkiye"
    assert g.nodes["TUR"]["meetings"] == 5


@pytest.mark.parametrize(("position", "iso3"), [(0, "TUR"), (1, "GBR")])
def test_ranking_by_weighted_degree(store, position, iso3):
    g = analysis.state_graph(store)
    table = analysis.rank_states(g, analysis.measures(g), top=5)
    assert table.rows[position][2] == iso3


def test_rank_pairs_first_is_most_frequent(store):
    table = analysis.rank_pairs(analysis.state_graph(store), top=3)
    assert table.rows[0][1:4] == ("Türkiye", "United Kingdom", 2)


@pytest.mark.parametrize(
    ("graph", "edges"),
    [
        (nx.path_graph(4), None),
        (nx.star_graph(5), None),
        (nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})]), "weight"),
    ],
)
def test_pagerank_matches_networkx_python(graph, edges):
    ours = analysis.pagerank(graph, weight=edges)
    # reference: networkx's pure-Python implementation
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    ref = _pagerank_python(graph, weight=edges or "weight")
    assert ours == pytest.approx(ref, abs=1e-5)


def test_measures_communities_are_seeded(store):
    g = analysis.state_graph(store)
    one, two = analysis.measures(g, seed=1), analysis.measures(g, seed=1)
    assert one.community == two.community
    assert sorted(n for c in one.communities for n in c) == sorted(g)


# -- actor graph ---------------------------------------------------------------------------------


def test_actor_graph_merges_spellings_and_links(store):
    g = analysis.actor_graph(store)
    officials = {d["label"] for _, d in g.nodes(data=True) if d["kind"] == "Official"}
    assert "Ayşe Demir" in officials and "Ayse DEMIR" not in officials
    ayse = next(n for n, d in g.nodes(data=True) if d["label"] == "Ayşe Demir")
    rel = {g.nodes[n]["label"]: d["relation"] for n, d in g[ayse].items()}
    assert rel["John Smith"] == "met-with"
    assert rel["Turkish Ministry of National Defence"] == "member-of"
    assert rel["Türkiye"] == "member-of"
    # officials of the same state never get a met-with edge
    mehmet = next(n for n, d in g.nodes(data=True) if d["label"] == "Mehmet Kaya")
    assert not g.has_edge(ayse, mehmet)


@pytest.mark.parametrize(
    ("center", "radius", "expected"),
    [
        ("TUR", 1, {"TUR", "GBR", "DEU", "LBY", "JPN"}),
        ("türkiye", 1, {"TUR", "GBR", "DEU", "LBY", "JPN"}),
        ("DEU", 1, {"DEU", "TUR"}),
        ("Germany", 2, {"DEU", "TUR", "GBR", "LBY", "JPN"}),
    ],
)
def test_ego_network_of_state(store, center, radius, expected):
    assert set(analysis.ego_network(analysis.state_graph(store), center, radius)) == expected


def test_ego_network_of_person(store):
    g = analysis.actor_graph(store)
    ego = analysis.ego_network(g, "klaus weber", 1)
    assert {d["label"] for _, d in ego.nodes(data=True)} == {
        "Klaus Weber",
        "Ayşe Demir",
        "Germany",
        "Federal Ministry of Defence",
    }


@pytest.mark.parametrize("text", ["Atlantis", "Mary Jones Smith"])
def test_find_node_unknown(store, text):
    with pytest.raises(InputError):
        analysis.find_node(analysis.actor_graph(store), text)


@pytest.mark.parametrize(
    ("a", "b", "dates"),
    [
        ("TUR", "GBR", ["2024-03-01", "2025-01-15"]),
        ("gbr", "tur", ["2024-03-01", "2025-01-15"]),
        ("JPN", "GBR", [""]),
        ("DEU", "GBR", []),
    ],
)
def test_timeline(store, a, b, dates):
    assert [e.date for e in analysis.timeline(store, a, b)] == dates


@pytest.mark.parametrize("bad", ["TU", 'TUR" } DROP ALL {', ""])
def test_timeline_rejects_non_iso(store, bad):
    with pytest.raises(InputError):
        analysis.timeline(store, bad, "GBR")


# -- knowledge graph -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        ("State", 5),
        ("Meeting", 6),
        ("Official", 7),
        ("Organization", 6),
        ("Topic", 1),
    ],
)
def test_knowledge_graph_kinds(store, kind, count):
    g = analysis.knowledge_graph(store)
    assert sum(1 for _, d in g.nodes(data=True) if d["kind"] == kind) == count


def test_knowledge_graph_evidence_and_states(store):
    g = analysis.knowledge_graph(store)
    m = next(n for n, d in g.nodes(data=True) if d["kind"] == "Meeting" and d["date"] == "2024-06-10")
    assert g.nodes[m]["states"] == "DEU TUR"
    assert g.nodes[m]["url"] == "https://news.example/tr-de"
    rels = {g.edges[m, x]["relation"] for x in g.successors(m)}
    assert rels == {"participant"}
    assert all(g.edges[m, x]["sentence"].startswith("Sentence") for x in g.successors(m))


def test_pair_subgraph(store):
    g = analysis.knowledge_graph(store)
    sub = analysis.pair_subgraph(g, "TUR", "GBR")
    assert sum(1 for _, d in sub.nodes(data=True) if d["kind"] == "Meeting") == 2


# -- exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", analysis.GRAPHS)
@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_round_trip(store, tmp_path, which, fmt, reader):
    g = analysis.build_graph(store, which)
    [path] = analysis.export_graph(g, which, tmp_path, [fmt])
    back = reader(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    n = next(iter(g))
    assert back.nodes[str(n)]["label"] == g.nodes[n]["label"]
    assert float(back.nodes[str(n)]["pagerank"]) == pytest.approx(g.nodes[n]["pagerank"])


def test_export_csv(store, tmp_path):
    g = analysis.build_graph(store, "states")
    nodes, edges = analysis.export_graph(g, "states", tmp_path, ["csv"])
    assert nodes.read_text(encoding="utf-8").splitlines()[0].startswith("id,")
    assert len(edges.read_text(encoding="utf-8").splitlines()) == g.number_of_edges() + 1


def test_exportable_replaces_none():
    g = nx.Graph()
    g.add_node("a", x=None, y=[1, 2])
    g.add_node("b", x="text")
    g.add_edge("a", "b", w=None)
    h = analysis.exportable(g)
    assert h.nodes["a"] == {"x": "", "y": "[1, 2]"}
    assert h.nodes["b"] == {"x": "text", "y": ""}
    assert h.edges["a", "b"] == {"w": ""}


# -- CLI -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clistore") / "s"
    build_store(path).close()
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "States by weighted degree"),
        (["--top", "1"], "Türkiye"),
        (["--pair", "TUR", "GBR"], "2025-01-15"),
        (["--ego", "Germany"], "Türkiye"),
    ],
)
def test_cli_analyse(store_path, args, expected):
    result = CliRunner().invoke(cli, ["analyse", "--store", str(store_path), *args])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_cli_analyse_csv(store_path, tmp_path):
    result = CliRunner().invoke(cli, ["analyse", "--store", str(store_path), "--csv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "states.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[2] == "TUR"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_cli_graph_export(store_path, tmp_path, fmt):
    result = CliRunner().invoke(
        cli, ["graph-export", "--store", str(store_path), "--out", str(tmp_path), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.iterdir())) == (6 if fmt == "csv" else 3)


def test_cli_analyse_missing_store(tmp_path):
    result = CliRunner().invoke(cli, ["analyse", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 1


def test_meeting_kind_and_timeline_fields(store):
    g = analysis.knowledge_graph(store)
    kinds = {d["meeting_kind"] for _, d in g.nodes(data=True) if d["kind"] == "Meeting"}
    assert kinds == {"Talks"}
    [first, second] = analysis.timeline(store, "TUR", "GBR")
    assert (first.kind, first.articles, first.url) == ("Talks", 1, "https://news.example/tr-gb-1")
    assert second.label.startswith("United Kingdom")


def test_one_query_per_graph(store, monkeypatch):
    """Graphs are read with a fixed number of queries, whatever their size."""
    calls = []
    real = Store.query

    def counting(self, sparql, union=True):
        calls.append(sparql)
        return real(self, sparql, union)

    monkeypatch.setattr(Store, "query", counting)
    for build in (analysis.state_graph, analysis.actor_graph, analysis.knowledge_graph):
        calls.clear()
        build(store)
        assert len(calls) == 1
