"""GEXF 1.2 in dynamic mode (start/end on nodes and edges, for Gephi's timeline) and GraphML with
dates as ISO text, absent where unknown, checked by parsing the XML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from defkg import analysis

GEXF = "{http://www.gexf.net/1.2draft}"


def _graph() -> nx.Graph:
    """States and a meeting as the builders make them: dates as ISO text, "" when unknown."""
    g = nx.Graph(name="t")
    for code in ("TUR", "GBR", "JPN", "AZE"):
        g.add_node(code, label=code, kind="State")
    g.add_node("m1", label="talks", kind="Meeting", date="2025-05-29")
    g.add_node("org", label="ministry", kind="Organization", date="")
    g.add_edge("TUR", "GBR", weight=2, first="2025-05-29", last="2025-10-27", relation="met")
    g.add_edge("TUR", "JPN", weight=1, first="", last="", relation="met")  # undated meetings only
    g.add_edge("m1", "AZE", weight=1, first="", last="", relation="participant")  # dated by the meeting
    g.add_edge("org", "AZE", weight=1, first="", last="", relation="of-state")  # dated by its tie
    return g


# node or edge -> (start, end), None: no time (present throughout)
SPANS = [
    (("TUR", "GBR"), ("2025-05-29", "2025-10-27")),
    (("TUR", "JPN"), None),
    (("m1", "AZE"), ("2025-05-29", "2025-05-29")),
    (("org", "AZE"), None),
    ("TUR", ("2025-05-29", "2025-10-27")),
    ("GBR", ("2025-05-29", "2025-10-27")),
    ("JPN", None),
    ("m1", ("2025-05-29", "2025-05-29")),
    ("AZE", ("2025-05-29", "2025-05-29")),
    ("org", ("2025-05-29", "2025-05-29")),
]


@pytest.mark.parametrize(("item", "span"), SPANS)
def test_time_spans(item: str | tuple[str, str], span: tuple[str, str] | None) -> None:
    nodes, edges = analysis.time_spans(_graph())
    undirected = {frozenset(k): v for k, v in edges.items()}
    got = undirected.get(frozenset(item)) if isinstance(item, tuple) else nodes.get(item)
    assert got == span


def _gexf(tmp_path: Path) -> tuple[ET.Element, dict[str, ET.Element], dict[frozenset[str], ET.Element]]:
    (path,) = analysis.export_graph(_graph(), "t", tmp_path, ["gexf"])
    root = ET.parse(path).getroot()
    nodes = {n.get("id", ""): n for n in root.iter(GEXF + "node")}
    edges = {frozenset((e.get("source", ""), e.get("target", ""))): e for e in root.iter(GEXF + "edge")}
    return root, nodes, edges


def test_gexf_is_dynamic_with_dates(tmp_path: Path) -> None:
    root, nodes, edges = _gexf(tmp_path)
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.2"
    graph = root.find(GEXF + "graph")
    assert graph is not None
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    for item, span in SPANS:
        el = edges[frozenset(item)] if isinstance(item, tuple) else nodes[item]
        assert (el.get("start"), el.get("end")) == (span or (None, None)), item
    for el in [*nodes.values(), *edges.values()]:
        for key in ("start", "end"):
            if el.get(key) is not None:
                dt.date.fromisoformat(el.get(key, ""))  # every time is a date Gephi can read


def test_gexf_of_a_graph_without_dates_is_static(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_edge("a", "b", weight=1, first="", last="")
    (path,) = analysis.export_graph(g, "s", tmp_path, ["gexf"])
    graph = ET.parse(path).getroot().find(GEXF + "graph")
    assert graph is not None and graph.get("mode") == "static" and graph.get("timeformat") is None


def test_graphml_dates_are_iso_text_or_absent(tmp_path: Path) -> None:
    (path,) = analysis.export_graph(_graph(), "t", tmp_path, ["graphml"])
    h = nx.read_graphml(path)
    assert h.edges["TUR", "GBR"]["weight"] == 2  # numbers keep their type
    assert h.edges["TUR", "GBR"]["first"] == "2025-05-29" and h.edges["TUR", "GBR"]["start"] == "2025-05-29"
    assert "first" not in h.edges["TUR", "JPN"] and "start" not in h.edges["TUR", "JPN"]
    assert "date" not in h.nodes["org"] and h.nodes["org"]["start"] == "2025-05-29"
    for _, d in [*h.nodes(data=True), *((None, d) for _, _, d in h.edges(data=True))]:
        for key in ("date", "first", "last", "start", "end"):
            if key in d:
                dt.date.fromisoformat(d[key])
    assert "mode" not in h.graph


def test_graph_export_cli_writes_dynamic_gexf_from_a_store(tmp_path: Path) -> None:
    import defkg

    root = Path(__file__).resolve().parent.parent
    kg = defkg.open(tmp_path / "store")
    kg.ingest([root / "examples", root / "tests/corpus/13_en_ukmod-healey-guler-ankara.txt"], jobs=1)
    from click.testing import CliRunner

    from defkg.cli.main import cli

    out = tmp_path / "graphs"
    result = CliRunner().invoke(
        cli,
        ["graph-export", "--store", str(kg.path), "--out", str(out), "--graph", "states", "--format", "GEXF"],
    )
    assert result.exit_code == 0, result.output
    gexf = ET.parse(out / "states.gexf").getroot()
    edges = {(e.get("source"), e.get("target")): e for e in gexf.iter(GEXF + "edge")}
    assert (edges["GBR", "TUR"].get("start"), edges["GBR", "TUR"].get("end")) == ("2025-05-29", "2025-10-27")
