"""The HTML view: self-contained, escaped, usable on large graphs."""

from __future__ import annotations

import json
import random
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from defkg import view
from defkg.cli.main import cli
from defkg.errors import InputError
from test_analysis import HOSTILE, build_store

STATE_CODES = [
    "TUR",
    "GBR",
    "DEU",
    "FRA",
    "USA",
    "JPN",
    "LBY",
    "IRQ",
    "AZE",
    "GEO",
    "KAZ",
    "SOM",
    "PAK",
    "QAT",
]


def synthetic_graph(n_nodes: int, seed: int = 1) -> nx.DiGraph:
    """A knowledge-graph-like DiGraph of about ``n_nodes`` nodes: states, meetings, officials,
    organisations and topics, shaped like what :func:`defkg.analysis.knowledge_graph` returns."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    states = STATE_CODES + [f"S{i:02d}" for i in range(max(0, n_nodes // 100 - len(STATE_CODES)))]
    for iso in states:
        g.add_node(f"state/{iso}", kind="State", label=f"State {iso}", iso3=iso, states=iso)
    orgs = [f"org/{iso}" for iso in states]
    for iso, o in zip(states, orgs, strict=True):
        g.add_node(o, kind="Organization", label=f"Ministry of Defence of {iso}", states=iso)
        g.add_edge(o, f"state/{iso}", relation="of state")
    for t in range(20):
        g.add_node(f"topic/{t}", kind="Topic", label=f"Topic {t}")
    people: dict[str, list[str]] = {iso: [] for iso in states}
    i = 0
    while g.number_of_nodes() < n_nodes:
        a = "TUR" if rng.random() < 0.4 else rng.choice(states)
        b = rng.choice([s for s in states if s != a])
        m = f"meeting/{i}"
        i += 1
        day = f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        g.add_node(
            m,
            kind="Meeting",
            label=f"{a} – {b} talks, {day}",
            date=day,
            states=" ".join(sorted((a, b))),
            sentence=f"Officials of {a} and {b} met.",
            url=f"https://news.example/{i}",
        )
        for iso in (a, b):
            g.add_edge(m, f"state/{iso}", relation="participant", sentence="They met.")
            if not people[iso] or rng.random() < 0.5:
                p = f"person/{iso}/{len(people[iso])}"
                people[iso].append(p)
                g.add_node(p, kind="Official", label=f"Official {len(people[iso])} of {iso}", states=iso)
                g.add_edge(p, f"state/{iso}", relation="member of")
                g.add_edge(p, f"org/{iso}", relation="member of")
            g.add_edge(m, rng.choice(people[iso]), relation="participant")
        g.add_edge(m, f"topic/{rng.randrange(20)}", relation="topic")
    return g


def hostile_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("s", kind="State", label=HOSTILE, iso3="TUR", states="TUR")
    g.add_node(
        "m",
        kind="Meeting",
        label="</script><script>alert(2)</script>",
        date="2024-01-01",
        states="TUR",
        sentence="He said '<b>hi</b>' & \u2028left",
        url="javascript:alert(3)",
        headline=HOSTILE,
    )
    g.add_node("p", kind="Official", label='" onmouseover="alert(4)', url="https://ok.example/a?b=<c>")
    g.add_edge("m", "s", relation="participant <i>x</i>", sentence=HOSTILE, url="data:text/html,<script>")
    g.add_edge("m", "p", relation="participant", url="https://news.example/x")
    return g


def external_refs(page: str) -> list[str]:
    """src/href attributes and CSS url()s pointing outside the page."""
    attrs = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", page, re.IGNORECASE)
    css = re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')]+)""", page, re.IGNORECASE)
    imports = re.findall(r"@import\s+[\"']?(?:url\()?\s*[\"']?((?:https?:)?//[^\"')]+)", page, re.IGNORECASE)
    return attrs + css + imports


def page_data(page: str) -> list[dict]:
    """The node list pyvis put in the page."""
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", page, re.DOTALL)
    assert m
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    st = build_store(tmp_path_factory.mktemp("viewstore") / "s")
    yield st
    st.close()


# -- self-contained ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "graph",
    [hostile_graph, lambda: synthetic_graph(300), lambda: synthetic_graph(1200)],
    ids=["hostile", "small", "precomputed"],
)
def test_no_external_resources(graph):
    page = view.render_html(graph())
    assert external_refs(page) == []
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert "cdn" not in re.sub(r"<script>.*?</script>|<style>.*?</style>", "", page, flags=re.DOTALL).lower()
    assert "vis-network" in page and "@version 9.1.2" in page


def test_store_page_has_article_links_only_as_data(store):
    page = view.view_html(store)
    assert external_refs(page) == []
    urls = {n["url"] for n in page_data(page) if n["url"]}
    assert "https://news.example/tr-de" in urls
    assert "javascript:alert(1)" not in urls  # a4's URL is not http(s)


# -- escaping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [HOSTILE, "</script><script>alert(2)</script>", "<b>hi</b>", '" onmouseover="alert(4)']
)
def test_hostile_text_never_raw_in_page(raw):
    page = view.render_html(hostile_graph())
    if "<" in raw:
        assert raw not in page
    # the text itself survives, as data
    assert any(raw in (n["full"] + n["sentence"] + n["headline"]) for n in page_data(page))


def test_script_json_escapes():
    text = view.script_json({"a": "</script><!--'&\u2028"})
    assert (
        "<" not in text and ">" not in text and "&" not in text and "'" not in text and "\u2028" not in text
    )
    assert json.loads(text) == {"a": "</script><!--'&\u2028"}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://news.example/a", True),
        ("http://news.example/a?b=1", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ('https://x.example/"onmouseover=alert(1)', False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url, ok):
    assert view.safe_url(url) == (url if ok else "")


def test_hostile_urls_dropped_from_data():
    nodes = page_data(view.render_html(hostile_graph()))
    assert {n["url"] for n in nodes} == {""}  # javascript: and data: removed; the <c> URL rejected


def test_titles_are_plain_text_not_pyvis_popup():
    page = view.render_html(hostile_graph())
    assert "popup.innerHTML" not in page  # pyvis's HTML popup is never used
    assert all("title" not in n for n in page_data(page))  # tooltips set as text by the page script
    assert "innerHTML" not in page.split("</style>")[-1].split("drawGraph();")[-1]


# -- content -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "kinds"),
    [
        ({}, {"State": 5, "Meeting": 6, "Official": 7, "Organization": 6, "Topic": 1}),
        ({"pair": ("TUR", "GBR")}, {"State": 2, "Meeting": 2, "Official": 3, "Organization": 3, "Topic": 1}),
        ({"ego": "Germany", "radius": 1}, {"State": 1, "Meeting": 1, "Official": 1, "Organization": 1}),
        ({"limit": 5}, None),
    ],
)
def test_view_selection(store, kwargs, kinds):
    nodes = page_data(view.view_html(store, **kwargs))
    counts: dict[str, int] = {}
    for n in nodes:
        counts[n["kind"]] = counts.get(n["kind"], 0) + 1
    if kinds is None:
        assert len(nodes) == kwargs["limit"]
    else:
        assert counts == kinds


def test_view_pair_without_meetings(store):
    with pytest.raises(InputError):
        view.view_html(store, pair=("DEU", "JPN"))


@pytest.mark.parametrize("size_by", view.SIZE_BY)
def test_sizes_follow_measure(store, size_by):
    nodes = page_data(view.view_html(store, size_by=size_by))
    biggest = max(nodes, key=lambda n: n["size"])
    assert biggest["full"] == "Türkiye"
    assert all(8 <= n["size"] <= 40 for n in nodes)


def test_node_facts_and_evidence(store):
    nodes = {n["full"]: n for n in page_data(view.view_html(store))}
    meeting = nodes["Germany – Türkiye talks, 2024-06-10"]
    assert ["Date", "2024-06-10"] in meeting["facts"]
    assert meeting["sentence"].startswith("Sentence 0")
    assert meeting["url"] == "https://news.example/tr-de"
    assert meeting["shape"] == view.STYLE["Meeting"][1]
    assert nodes["Klaus Weber"]["sentence"]  # from the participation edge


# -- large graphs --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1000, 5000])
def test_large_graph_has_positions_and_no_physics(n):
    g = synthetic_graph(n)
    page = view.render_html(g)
    nodes = page_data(page)
    assert len(nodes) == g.number_of_nodes()
    assert all("x" in v and "y" in v for v in nodes)
    assert '"physics": {"enabled": false' in page


def test_small_graph_uses_physics_that_stops():
    page = view.render_html(synthetic_graph(100))
    assert '"physics": {"enabled": true' in page
    assert 'network.once("stabilizationIterationsDone"' in page
    assert "setOptions({physics: false})" in page


@pytest.mark.parametrize("n", [0, 1, 2, 50, 700])
def test_fast_layout_places_every_node(n):
    g = synthetic_graph(n) if n >= 50 else nx.path_graph(n)
    g.add_nodes_from([f"isolated{i}" for i in range(3)])
    pos = view.fast_layout(g)
    assert set(pos) == set(g)
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


# -- CLI -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("viewcli") / "s"
    build_store(path).close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["--knowledge"],
        ["--knowledge", "--pair", "TUR", "GBR"],
        ["--knowledge", "--ego", "TUR", "--radius", "1"],
        ["--knowledge", "--limit", "3"],
    ],
)
def test_cli_view_writes_utf8(store_path, tmp_path, args):
    out = tmp_path / "sub" / "g.html"
    result = CliRunner().invoke(cli, ["view", "--store", str(store_path), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    assert "Türkiye" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--knowledge", "--pair", "TUR", "XX"], 1),
        (["--knowledge", "--ego", "Atlantis"], 1),
        (["--knowledge", "--limit", "0"], 2),
    ],
)
def test_cli_view_errors(store_path, tmp_path, args, code):
    result = CliRunner().invoke(
        cli, ["view", "--store", str(store_path), "--out", str(tmp_path / "g.html"), *args]
    )
    assert result.exit_code == code, result.output
