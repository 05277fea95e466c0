"""The interactive view: one self-contained HTML page (pyvis 0.3.2 + vendored vis-network).

:func:`view_html` reads the knowledge graph (:func:`defkg.analysis.knowledge_graph`),
optionally cuts it to the meetings of two states, the neighbourhood of one actor or the
``limit`` largest nodes, and :func:`render_html` turns any such networkx graph into the page:

* works offline and requests nothing: pyvis's template links Bootstrap and vis-network from
  CDNs, so every ``<link>`` and ``<script src>`` is stripped and the vis-network 9.1.2 files
  vendored in ``defkg/assets`` are inlined instead;
* colour and shape per class (State, Official, Organization, Meeting, Topic) with a legend,
  node size by degree or PageRank, edges labelled by relation;
* hover tooltips are plain text (vis-network 9 puts a string title in ``innerText``); the
  info panel shown on click (facts, evidence sentence, source link) is built from DOM nodes
  and ``textContent`` in the page's script; a link is made only for http(s) URLs;
* the data are JSON inside ``<script>``: ``<``, ``>``, ``&`` and ``'`` are written as ``\\u003c``...
  so no text can close the script element;
* a search box and filters (state, date range, kind) in plain JavaScript;
* physics stabilises then stops; above ``layout_threshold`` nodes the positions are computed
  here (:func:`fast_layout`, linear time) and physics stays off, so 5,000+ nodes stay usable.
"""

from __future__ import annotations

import html
import json
import math
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from defkg import _lazy, analysis
from defkg.errors import InputError
from defkg.store import Store

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")

SEED = analysis.SEED
LAYOUT_THRESHOLD = 600  # above this many nodes: precomputed positions, physics off
LABEL_EDGES_MAX = 3000  # above this many edges, relations are shown on hover/click only

# class -> (colour, vis shape, legend glyph)
STYLE: dict[str, tuple[str, str, str]] = {
    "State": ("#d62728", "diamond", "\u25c6"),
    "Official": ("#1f77b4", "dot", "\u25cf"),
    "Organization": ("#2ca02c", "square", "\u25a0"),
    "Meeting": ("#ff7f0e", "triangle", "\u25b2"),
    "Topic": ("#9467bd", "star", "\u2605"),
}
SIZE_BY = ("degree", "pagerank")
_HTTP = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(url: object) -> str:
    """``url`` if it is an absolute http(s) URL, else "" (no javascript:, data:, relative...)."""
    text = str(url or "").strip()
    return text if _HTTP.match(text) else ""


def script_json(value: Any) -> str:
    """JSON safe to place inside ``<script>``: no ``<``, ``>``, ``&``, ``'``, U+2028/9 left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def _asset(name: str) -> str:
    return resources.files("defkg").joinpath("assets", name).read_text(encoding="utf-8")


# -- choosing what to draw -----------------------------------------------------------------------


def select(
    g: nx.DiGraph,
    pair: tuple[str, str] | None = None,
    ego: str | None = None,
    radius: int = 2,
    limit: int | None = None,
) -> nx.DiGraph:
    """Cut the knowledge graph: meetings of a ``pair`` of states, the ``ego`` network of a state,
    person or organisation (``radius`` hops), and/or the ``limit`` nodes of highest degree."""
    if pair:
        g = analysis.pair_subgraph(g, *pair)
        if g.number_of_nodes() == 0:
            raise InputError(f"no meetings between {pair[0].upper()} and {pair[1].upper()} in the store")
    if ego:
        node = analysis.find_node(g, ego)
        g = nx.ego_graph(g, node, radius=radius, undirected=True).copy()
    if limit and g.number_of_nodes() > limit:
        deg = dict(g.to_undirected(as_view=True).degree())
        keep = sorted(g, key=lambda n: (-deg[n], str(n)))[:limit]
        g = g.subgraph(keep).copy()
    return g


def view_html(
    store: Store,
    pair: tuple[str, str] | None = None,
    ego: str | None = None,
    radius: int = 2,
    limit: int | None = None,
    size_by: str = "degree",
    title: str = "defkg",
) -> str:
    """The page for the store's knowledge graph (or a cut of it, see :func:`select`)."""
    g = select(analysis.knowledge_graph(store), pair, ego, radius, limit)
    return render_html(g, size_by=size_by, title=title)


# -- layout --------------------------------------------------------------------------------------

_GOLDEN = math.pi * (3 - math.sqrt(5))


def fast_layout(g: nx.Graph, spacing: float = 40.0, smoothing: int = 2) -> dict[Any, tuple[float, float]]:
    """Deterministic positions in linear time (no NumPy needed).

    The hubs (highest degree) are spread on a sunflower spiral, the hubs first; every other
    node is placed, breadth first, on a small spiral around the neighbour that reached it;
    then each non-hub moves half-way towards the mean of its neighbours (``smoothing``
    passes), so a meeting of two states ends up between them.
    """
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    n = u.number_of_nodes()
    if n == 0:
        return {}
    deg = dict(u.degree())
    order = sorted(u, key=lambda x: (-deg[x], str(x)))
    k_hubs = max(1, min(n, round(math.sqrt(n) / 2)))
    extent = spacing * 2.5 * math.sqrt(n)
    pos: dict[Any, tuple[float, float]] = {}
    children: dict[Any, int] = {}
    hubs = set(order[:k_hubs])
    for i, h in enumerate(order[:k_hubs]):
        r = extent * math.sqrt(i / k_hubs)
        pos[h] = (r * math.cos(i * _GOLDEN), r * math.sin(i * _GOLDEN))
    queue = list(order[:k_hubs])
    head = 0
    rest = iter(order)
    ring = 0
    while len(pos) < n:
        if head == len(queue):  # a part of the graph no hub reaches: start it on an outer ring
            start = next(x for x in rest if x not in pos)
            ring += 1
            angle = ring * _GOLDEN
            r = extent * (1.1 + 0.02 * math.sqrt(ring))
            pos[start] = (r * math.cos(angle), r * math.sin(angle))
            queue.append(start)
        p = queue[head]
        head += 1
        px, py = pos[p]
        base = (head * 0.7) % (2 * math.pi)
        for c in sorted(u[p], key=lambda x: (-deg[x], str(x))):
            if c in pos:
                continue
            k = children.get(p, 0) + 1
            children[p] = k
            r = spacing * (1.0 + 0.9 * math.sqrt(k))
            pos[c] = (px + r * math.cos(base + k * _GOLDEN), py + r * math.sin(base + k * _GOLDEN))
            queue.append(c)
    for _ in range(smoothing):
        new = dict(pos)
        for x in u:
            if x in hubs or deg[x] < 2:
                continue
            mx = sum(pos[y][0] for y in u[x]) / deg[x]
            my = sum(pos[y][1] for y in u[x]) / deg[x]
            new[x] = ((pos[x][0] + mx) / 2, (pos[x][1] + my) / 2)
        pos = new
    return pos


# -- nodes and edges for vis ---------------------------------------------------------------------


def _sizes(g: nx.Graph, size_by: str) -> tuple[dict[Any, float], dict[Any, float]]:
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    if size_by == "pagerank":
        score = analysis.pagerank(u, weight=None)
    elif size_by == "degree":
        score = {n: float(d) for n, d in u.degree()}
    else:
        raise InputError(f"{size_by!r}: size nodes by one of {', '.join(SIZE_BY)}")
    top = max(score.values(), default=0.0) or 1.0
    return score, {n: 8.0 + 32.0 * math.sqrt(score[n] / top) for n in g}


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


_FACTS = (  # (attribute, shown as)
    ("meeting_kind", "Kind of meeting"),
    ("date", "Date"),
    ("place", "Place"),
    ("status", "Status"),
    ("iso3", "ISO code"),
    ("title", "Title"),
    ("rank", "Rank"),
    ("states", "States"),
    ("articles", "Reported in (articles)"),
)


def _evidence(g: nx.Graph, n: Any, d: dict[str, Any]) -> tuple[str, str, str]:
    """(sentence, url, headline) for a node: its own, else that of an edge touching it."""
    if d.get("sentence"):
        return str(d["sentence"]), safe_url(d.get("url")), str(d.get("headline", ""))
    edges = (
        list(g.in_edges(n, data=True)) + list(g.out_edges(n, data=True))
        if g.is_directed()
        else list(g.edges(n, data=True))
    )
    for _, _, e in edges:
        if e.get("sentence"):
            return str(e["sentence"]), safe_url(e.get("url")), str(e.get("headline", ""))
    return "", safe_url(d.get("url")), str(d.get("headline", ""))


def vis_data(
    g: nx.Graph, size_by: str = "degree", positions: dict[Any, tuple[float, float]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node and edge dicts: display fields plus the data the page's script uses."""
    score, size = _sizes(g, size_by)
    ids = {n: i for i, n in enumerate(g)}
    meetings_of: dict[Any, set[int]] = {n: set() for n in g}
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    for m, d in g.nodes(data=True):
        if d.get("kind") == "Meeting":
            for x in u[m]:
                meetings_of[x].add(ids[m])
                if g.nodes[x].get("kind") == "Official":  # the official's organisations too
                    for y in u[x]:
                        if g.nodes[y].get("kind") == "Organization":
                            meetings_of[y].add(ids[m])
    measure_name = {"degree": "Degree", "pagerank": "PageRank"}[size_by]
    nodes = []
    for n, d in g.nodes(data=True):
        kind = str(d.get("kind", "Topic"))
        colour, shape, _ = STYLE.get(kind, STYLE["Topic"])
        label = str(d.get("label") or n)
        facts = [[name, str(d[key])] for key, name in _FACTS if d.get(key) not in (None, "", 0)]
        if kind == "State":  # its own code is not a partner
            facts = [
                ["Partners", " ".join(s for s in v.split() if s != d.get("iso3"))]
                if k == "States"
                else [k, v]
                for k, v in facts
            ]
        if kind != "Meeting" and meetings_of[n]:
            facts.append(["Meetings", str(len(meetings_of[n]))])
        value = score[n]
        facts.append([measure_name, f"{value:.4f}" if size_by == "pagerank" else f"{value:.0f}"])
        if d.get("iri") or isinstance(n, str):
            facts.append(["IRI", str(d.get("iri") or n)])
        sentence, url, headline = _evidence(g, n, d)
        node: dict[str, Any] = {
            "id": ids[n],
            "label": _short(label, 40),
            "shape": shape,
            "color": colour,
            "size": round(size[n], 2),
            "kind": kind,
            "full": label,
            "facts": facts,
            "sentence": sentence,
            "url": url,
            "headline": headline,
            "date": str(d.get("date", "")),
            "states": str(d.get("states", "")).split(),
            "iso3": str(d.get("iso3", "")),
            "meetings": sorted(meetings_of[n]),
        }
        if positions is not None:
            x, y = positions[n]
            node["x"], node["y"] = round(x, 1), round(y, 1)
        nodes.append(node)
    label_edges = g.number_of_edges() <= LABEL_EDGES_MAX
    edges = []
    for a, b, d in g.edges(data=True):
        rel = str(d.get("relation", ""))
        sentence, url = str(d.get("sentence", "")), safe_url(d.get("url"))
        edge: dict[str, Any] = {
            "from": ids[a],
            "to": ids[b],
            "relation": rel,
            "sentence": sentence,
            "url": url,
            "headline": str(d.get("headline", "")),
        }
        if label_edges:
            edge["label"] = rel
        edges.append(edge)
    return nodes, edges


# -- the page ------------------------------------------------------------------------------------


def options(n_nodes: int, precomputed: bool) -> dict[str, Any]:
    return {
        "nodes": {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa4b1", "highlight": "#333333", "inherit": False},
            "font": {"size": 10, "align": "middle", "color": "#555555"},
            "smooth": False,
            "width": 1,
        },
        "interaction": {
            "hover": not precomputed,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": precomputed,
            "hideEdgesOnZoom": precomputed,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": not precomputed and n_nodes <= 150, "randomSeed": SEED},
        "physics": {
            "enabled": not precomputed and n_nodes > 0,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "springLength": 120,
                "springConstant": 0.03,
                "damping": 0.3,
                "avoidOverlap": 0.2,
            },
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25, "fit": True},
            "minVelocity": 0.75,
        },
    }


_CSS = """
html,body{margin:0;padding:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
font-size:14px;color:#222;background:#fff}
body{display:flex;flex-direction:column;overflow:hidden}
#defkg-bar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;padding:6px 10px;
border-bottom:1px solid #ddd;background:#f7f7f9}
#defkg-bar label{white-space:nowrap}
#defkg-bar input[type=search]{width:16em}
#defkg-count{color:#555;margin-left:auto}
#defkg-main{position:relative;flex:1 1 auto;min-height:0}
#defkg-main>.card{width:100%;height:100%}
#mynetwork{float:none!important;width:100%!important;height:100%!important;border:0!important}
#defkg-side{position:absolute;top:8px;right:8px;width:320px;max-height:calc(100% - 16px);overflow:auto;
display:flex;flex-direction:column;gap:8px;z-index:5}
.defkg-box{background:rgba(255,255,255,.95);border:1px solid #ccc;border-radius:6px;padding:8px 10px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
.defkg-box h2{font-size:13px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.04em;color:#555}
#defkg-legend ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:2px 8px}
#defkg-legend .g{display:inline-block;width:1.3em;text-align:center;font-size:16px}
#defkg-results button{display:block;width:100%;text-align:left;border:0;background:none;padding:2px 0;
cursor:pointer;color:#1f4e9a}
#defkg-results button:hover{text-decoration:underline}
#defkg-info h3{font-size:15px;margin:0 0 4px;word-break:break-word}
#defkg-info .kind{color:#666;margin-bottom:6px}
#defkg-info dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:0 0 6px}
#defkg-info dt{color:#666}#defkg-info dd{margin:0;word-break:break-word}
#defkg-info blockquote{margin:6px 0;padding:4px 8px;border-left:3px solid #ccc;color:#333;font-style:italic}
#defkg-info a{word-break:break-all}
.vis-tooltip{max-width:420px;white-space:pre-wrap!important;font-size:12px}
"""


def _controls(kinds: list[str], title: str) -> str:
    legend = "".join(
        f'<li><span class="g" style="color:{html.escape(STYLE[k][0])}">{html.escape(STYLE[k][2])}</span>'
        f"{html.escape(k)}</li>"
        for k in STYLE
    )
    checks = "".join(
        f'<label><input type="checkbox" class="defkg-kind" value="{html.escape(k)}" checked> '
        f"{html.escape(k)}</label>"
        for k in kinds
    )
    return f"""
<div id="defkg-bar">
  <strong>{html.escape(title)}</strong>
  <label>Search <input id="defkg-search" type="search" placeholder="name, state, meeting…"
    autocomplete="off"></label>
  <label>State <select id="defkg-state"><option value="">all</option></select></label>
  <label>From <input id="defkg-from" type="date"></label>
  <label>to <input id="defkg-to" type="date"></label>
  {checks}
  <button id="defkg-reset" type="button">Reset</button>
  <span id="defkg-count"></span>
</div>
<div id="defkg-main">
<div id="defkg-side">
  <div id="defkg-legend" class="defkg-box"><h2>Legend</h2><ul>{legend}</ul>
    <div id="defkg-sizenote" style="margin-top:4px;color:#666"></div></div>
  <div id="defkg-results" class="defkg-box" hidden><h2>Matches</h2><div id="defkg-results-list"></div></div>
  <div id="defkg-info" class="defkg-box"><h2>Details</h2>
    <div id="defkg-info-body">Click a node or an edge.</div></div>
</div>
"""


# Plain JavaScript run after pyvis's drawGraph(): uses its globals `network`, `nodes`, `edges`.
_JS = r"""
(function () {
  "use strict";
  var META = __META__;
  var byId = function (id) { return document.getElementById(id); };
  var el = function (tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    return e;
  };
  var isHttp = function (u) { return typeof u === "string" && /^https?:\/\/[^\s<>"']+$/i.test(u); };
  // hover tooltips: plain text (vis-network puts a string title in innerText)
  var short = function (t, n) { t = String(t); return t.length <= n ? t : t.slice(0, n - 1) + "\u2026"; };
  var tip = function (x, head, facts) {  // plain text: vis-network 9 puts a string title in innerText
    var lines = [head];
    (facts || []).forEach(function (f) {
      if (f[0] !== "IRI") { lines.push(f[0] + ": " + short(f[1], 80)); }
    });
    if (x.sentence) { lines.push("\u201c" + short(x.sentence, 240) + "\u201d"); }
    if (x.url) { lines.push("Source: " + short(x.url, 100)); }
    return lines.join("\n");
  };
  nodes.update(nodes.get({fields: ["id", "full", "kind", "facts", "sentence", "url"]}).map(function (n) {
    return {id: n.id, title: tip(n, n.full + " (" + n.kind + ")", n.facts)};
  }));
  edges.update(edges.get({fields: ["id", "relation", "sentence", "url"]}).map(function (e) {
    return {id: e.id, title: tip(e, e.relation)};
  }));
  function stop() {
    if (window.defkgStable) { return; }
    network.stopSimulation();
    network.setOptions({physics: false});
    window.defkgStable = true;
  }
  if (META.physics) {
    network.once("stabilizationIterationsDone", stop);
    setTimeout(stop, 30000);  // never keep animating, whatever happens
  } else {
    window.defkgStable = true;
  }
  byId("defkg-sizenote").textContent = "Node size: " + META.sizeBy + ". Edge labels: relation.";

  // -- info panel --------------------------------------------------------------------------------
  var body = byId("defkg-info-body");
  function source(box, url, headline) {
    if (!isHttp(url)) { return; }
    var p = el("p", "Source: ");
    var a = el("a", headline || url, {href: url, target: "_blank", rel: "noopener noreferrer nofollow"});
    p.appendChild(a);
    box.appendChild(p);
  }
  function showNode(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    body.replaceChildren();
    body.appendChild(el("h3", n.full));
    body.appendChild(el("div", n.kind, {"class": "kind"}));
    var dl = el("dl");
    (n.facts || []).forEach(function (f) { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
    body.appendChild(dl);
    if (n.sentence) { body.appendChild(el("blockquote", n.sentence)); }
    source(body, n.url, n.headline);
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    var a = nodes.get(e.from), b = nodes.get(e.to);
    body.replaceChildren();
    body.appendChild(el("h3", e.relation));
    body.appendChild(el("div", (a ? a.full : "?") + " \u2192 " + (b ? b.full : "?"), {"class": "kind"}));
    if (e.sentence) { body.appendChild(el("blockquote", e.sentence)); }
    source(body, e.url, e.headline);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  window.defkgShowNode = showNode;
  window.defkgShowEdge = showEdge;

  // -- filters -----------------------------------------------------------------------------------
  var stateSel = byId("defkg-state"), from = byId("defkg-from"), to = byId("defkg-to");
  META.states.forEach(function (s) {
    stateSel.appendChild(el("option", s[1] + " (" + s[0] + ")", {value: s[0]}));
  });
  if (META.minDate) { from.min = to.min = META.minDate; }
  if (META.maxDate) { from.max = to.max = META.maxDate; }
  var kinds = Array.prototype.slice.call(document.querySelectorAll(".defkg-kind"));
  var all = nodes.get({fields: ["id", "kind", "date", "states", "iso3", "meetings", "hidden"]});
  var total = all.length;
  function apply() {
    var st = stateSel.value, lo = from.value, hi = to.value;
    var on = {};
    kinds.forEach(function (k) { on[k.value] = k.checked; });
    var active = Boolean(st || lo || hi);
    var pass = {};
    all.forEach(function (n) {
      if (n.kind !== "Meeting") { return; }
      var ok = !st || n.states.indexOf(st) >= 0;
      if (ok && (lo || hi)) { ok = Boolean(n.date) && (!lo || n.date >= lo) && (!hi || n.date <= hi); }
      if (ok) { pass[n.id] = true; }
    });
    var changes = [], shown = 0;
    all.forEach(function (n) {
      var vis = on[n.kind] !== false;
      if (vis && active) {
        if (n.kind === "Meeting") { vis = Boolean(pass[n.id]); }
        else {
          vis = n.meetings.some(function (m) { return pass[m]; }) ||
                (n.kind === "State" && st !== "" && n.iso3 === st && !lo && !hi);
        }
      }
      if (vis) { shown += 1; }
      if (Boolean(n.hidden) === vis) { n.hidden = !vis; changes.push({id: n.id, hidden: !vis}); }
    });
    if (changes.length) { nodes.update(changes); }
    byId("defkg-count").textContent = shown + " of " + total + " nodes";
  }
  [stateSel, from, to].forEach(function (c) { c.addEventListener("change", apply); });
  kinds.forEach(function (c) { c.addEventListener("change", apply); });
  byId("defkg-reset").addEventListener("click", function () {
    stateSel.value = ""; from.value = ""; to.value = "";
    kinds.forEach(function (k) { k.checked = true; });
    search.value = ""; results.hidden = true; apply(); network.unselectAll(); network.fit();
  });
  window.defkgApply = apply;

  // -- search ------------------------------------------------------------------------------------
  var search = byId("defkg-search"), results = byId("defkg-results"), list = byId("defkg-results-list");
  // case- and diacritic-insensitive, Turkish-aware: "ayse", "AYŞE" and "Ayşe" all find "Ayşe"
  var fold = function (t) {
    return String(t).toLocaleLowerCase("tr").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0131/g, "i");
  };
  var labels = nodes.get({fields: ["id", "full"]}).map(function (n) {
    return {id: n.id, full: n.full, key: fold(n.full)};
  });
  function focus(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.0, animation: false});
    showNode(id);
  }
  function find() {
    var q = fold(search.value.trim());
    list.replaceChildren();
    if (!q) { results.hidden = true; return; }
    var hits = labels.filter(function (n) { return n.key.indexOf(q) >= 0 && !nodes.get(n.id).hidden; });
    hits.slice(0, 20).forEach(function (n) {
      var b = el("button", n.full, {type: "button"});
      b.addEventListener("click", function () { focus(n.id); });
      list.appendChild(b);
    });
    if (hits.length > 20) { list.appendChild(el("div", "\u2026 " + (hits.length - 20) + " more")); }
    if (!hits.length) { list.appendChild(el("div", "no match")); }
    results.hidden = false;
    return hits;
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = find(); if (hits && hits.length) { focus(hits[0].id); } }
  });
  apply();
  if (META.empty) { body.textContent = "Nothing to draw: no meetings in the store (or in this selection)."; }
})();
"""

_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*</script\s*>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.IGNORECASE | re.DOTALL)


def render_html(
    g: nx.Graph, size_by: str = "degree", title: str = "defkg", layout_threshold: int = LAYOUT_THRESHOLD
) -> str:
    """The self-contained page drawing ``g`` (nodes with ``kind``, ``label`` and the attributes
    :func:`defkg.analysis.knowledge_graph` gives; edges with ``relation``)."""
    n = g.number_of_nodes()
    precomputed = n > layout_threshold
    positions = fast_layout(g) if precomputed else None
    vnodes, vedges = vis_data(g, size_by, positions)
    from pyvis.network import Network

    net = Network(
        height="100%",
        width="100%",
        directed=g.is_directed(),
        notebook=False,
        cdn_resources="remote",
        heading="",
    )
    # set the data directly: pyvis's add_node/add_edge check membership in lists (quadratic)
    net.nodes, net.edges = vnodes, vedges
    net.node_ids = [v["id"] for v in vnodes]
    net.node_map = {v["id"]: v for v in vnodes}
    net.options = options(n, precomputed)
    page = net.generate_html()
    page = _LINK.sub("", page)
    page = _SCRIPT_SRC.sub("", page)
    page = _HEADING.sub("", page)
    if "popup.innerHTML" in page:  # pyvis's innerHTML popup: only used when a title has "href"; we set none
        raise AssertionError("pyvis HTML popup template in use")
    kinds = [k for k in STYLE if any(v["kind"] == k for v in vnodes)] or list(STYLE)
    states = sorted(
        {
            (str(d.get("iso3")), str(d.get("label") or d.get("iso3")))
            for _, d in g.nodes(data=True)
            if d.get("kind") == "State" and d.get("iso3")
        },
        key=lambda s: s[1],
    )
    dates = sorted(v["date"] for v in vnodes if v["kind"] == "Meeting" and v["date"])
    meta = {
        "physics": not precomputed and n > 0,
        "empty": n == 0,
        "sizeBy": {"degree": "degree", "pagerank": "PageRank"}[size_by],
        "states": [list(s) for s in states],
        "minDate": dates[0] if dates else "",
        "maxDate": dates[-1] if dates else "",
    }
    head = (
        f'<title>{html.escape(title)}</title>\n<meta name="viewport" content="width=device-width">\n'
        f"<style>{_asset('vis-network.css')}</style>\n<style>{_CSS}</style>\n"
        f"<script>{_asset('vis-network.min.js')}</script>\n"
    )
    page = "<!DOCTYPE html>\n" + page.lstrip().replace("<head>", "<head>\n" + head, 1)
    page = re.sub(
        r"<body>\s*<div class=\"card\" style=\"width: 100%\">",
        lambda _: "<body>\n" + _controls(kinds, title) + '<div class="card">',
        page,
        count=1,
    )
    page = page.replace("</body>", "</div>\n</body>", 1)  # closes #defkg-main
    script = _JS.replace("__META__", script_json(meta))
    cut = page.rindex("drawGraph();")
    page = page[:cut] + "drawGraph();\n" + script + page[cut + len("drawGraph();") :]
    return page


# == the analyst's page ==========================================================================
#
# Engagements (meetings, calls, agreements, exercises) read from the store with the SPARQL files
# ``assets/page-*.rq``, shaped into one compact JSON document; ``assets/page.html`` (template),
# ``page.css`` and ``page.js`` (the page's own script over vis-network) draw it: states first,
# then partners, pair timelines, people and organisations. Nothing is fetched over the network.

LANGS = ("en", "tr")
_DK = "https://w3id.org/defkg/ontology#"
_TOPS = {_DK + "Meeting": "meeting", _DK + "DefenceAgreement": "agreement", _DK + "Exercise": "exercise"}
_CALLS = {_DK + "PhoneCall", _DK + "VideoCall", _DK + "VideoConference"}
KINDS = ("meeting", "call", "agreement", "exercise")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_P = {  # short names of the predicates the page reads
    _DK + "participatingState": "states",
    _DK + "party": "states",
    _DK + "exerciseState": "states",
    _DK + "hostState": "host",
    _DK + "exerciseHost": "host",
    _DK + "signedOn": "start",
    "https://schema.org/name": "title",
    _DK + "agreementKind": "agreementKind",
    _DK + "signatory": "participants",
    "https://schema.org/startDate": "start",
    "https://schema.org/endDate": "end",
    "https://schema.org/location": "place",
    _DK + "status": "status",
    _DK + "topic": "topics",
    _DK + "participant": "participants",
    _DK + "hasDelegation": "delegations",
    _DK + "reportedIn": "articles",
    _DK + "delegationOf": "of",
    _DK + "headOfDelegation": "head",
    _DK + "delegationMember": "members",
    "http://xmlns.com/foaf/0.1/name": "name",
    _DK + "nationality": "nationality",
    _DK + "rank": "rank",
    _DK + "affiliation": "org",
    _DK + "title": "title",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "pref",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alt",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    _DK + "iso3": "iso3",
    _DK + "natoCode": "nato",
    _DK + "wikidata": "wikidata",
    _DK + "acronym": "acronym",
    _DK + "ofState": "ofState",
    "https://schema.org/containedInPlace": "in",
    _RDF_TYPE: "type",
}
_MULTI = {"states", "topics", "participants", "delegations", "articles", "members", "type", "rank", "org"}
_MULTI.add("name")  # a person reported under several spellings


_REFS = (
    "states",
    "host",
    "place",
    "status",
    "topics",
    "of",
    "nationality",
    "rank",
    "org",
    "type",
    "agreementKind",
)


def _sparql(name: str) -> str:
    return _asset(f"page-{name}.rq")


def ui_text(lang: str) -> dict[str, str]:
    """The page's own words (buttons, headings, legends, help) in ``lang``: ``lang/<lang>/page.tsv``."""
    from defkg.gazetteer import lang_file, read_tsv

    return {row["key"]: row["text"] for row in read_tsv(lang_file(lang, "page.tsv"))}


def _value(term: Any) -> str:
    return str(getattr(term, "value", term))


def _rows(store: Store, sparql: str) -> list[tuple[Any, ...]]:
    """The rows, sorted: where a value is taken from the first row that has one (a person's title,
    a side's head), the page does not depend on the order the engine gave the rows in."""
    try:
        return sorted((tuple(row) for row in store.query(sparql)), key=lambda r: [str(t) for t in r])
    except (SyntaxError, OSError) as e:  # a broken page query is a bug of ours, said plainly
        raise InputError(f"the page's query failed: {e}") from None


def _facts(rows: list[tuple[Any, ...]]) -> dict[str, dict[str, Any]]:
    """{subject: {short predicate: value or [values]}} from (subject, predicate, object) rows."""
    out: dict[str, dict[str, Any]] = {}
    for s, p, o in rows:
        key = _P.get(_value(p))
        if key is None:
            continue
        d = out.setdefault(_value(s), {})
        if key in ("pref", "alt", "label"):
            d.setdefault(key, []).append((_value(o), getattr(o, "language", None) or ""))
        elif key in _MULTI:
            if _value(o) not in d.setdefault(key, []):
                d[key].append(_value(o))
        else:
            d.setdefault(key, _value(o))
    return out


def _label(d: dict[str, Any], lang: str) -> str:
    """The entity's label in ``lang``: skos:prefLabel, else rdfs:label, else English, else any."""
    for key in ("pref", "label"):
        forms = d.get(key, [])
        for want in (lang, "en", ""):
            for text, tag in forms:
                if tag == want:
                    return text
        if forms:
            return str(forms[0][0])
    return _best_name(d.get("name", []))


def _names(d: dict[str, Any]) -> list[str]:
    """Every name of an entity, all languages (for search)."""
    seen: list[str] = []
    for key in ("pref", "label", "alt"):
        for text, _ in d.get(key, []):
            if text not in seen:
                seen.append(text)
    for name in d.get("name", []):
        if name not in seen:
            seen.append(name)
    if d.get("acronym") and d["acronym"] not in seen:
        seen.append(d["acronym"])
    return seen


def _best_name(names: list[str]) -> str:
    """One name of a person reported under several spellings: not written in capitals, then the one
    keeping the most letters beyond ASCII (the accented spelling), then the first in order."""
    return min(
        names,
        key=lambda n: (any(len(w) > 1 and w.isupper() for w in n.split()), -sum(ord(c) > 127 for c in n), n),
        default="",
    )


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _words(name: str) -> str:
    """A class's local name as words, when the store has no label for it: PhoneCall -> phone call."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def page_data(store: Store, lang: str = "en") -> dict[str, Any]:
    """The analyst page's data: engagements with their states, sides, principals, places and
    evidence, and the states, people, organisations and places they refer to (labels in
    ``lang``, every other name and code kept for search)."""
    if lang not in LANGS:
        raise InputError(f"{lang!r}: the page speaks one of {', '.join(LANGS)}")
    eng = _facts(_rows(store, _sparql("engagements")))
    people = _facts(_rows(store, _sparql("people")))
    articles = {
        _value(a): {
            "url": safe_url(_value(u)) if u is not None else "",
            "headline": _value(h) if h is not None else "",
            "date": _value(d)[:10] if d is not None else "",
            "lang": _value(lg) if lg is not None else "",
        }
        for a, u, h, d, lg in _rows(store, _sparql("articles"))
    }
    # the query gives the best cited sentence of each engagement in each article (ties on rank and
    # place: every text of them, the first by text kept)
    evidence: dict[tuple[str, str], str] = {}
    for e, a, _rank, _index, text in _rows(store, _sparql("evidence")):
        key, said = (_value(e), _value(a)), _value(text)
        if key not in evidence or said < evidence[key]:
            evidence[key] = said
    cited_in: dict[str, set[str]] = {}  # engagement -> the articles with evidence of it
    for e_iri, a_iri in evidence:
        cited_in.setdefault(e_iri, set()).add(a_iri)
    # entities the engagements and people refer to, described once
    refs: set[str] = set()
    for d in list(eng.values()) + list(people.values()):
        for field in _REFS:
            v = d.get(field)
            refs.update(v if isinstance(v, list) else [v] if v else [])
    refs.update(people)  # persons' other names (skos:altLabel), when the store has them
    everything = _facts(_rows(store, _sparql("labels")))
    ents = {iri: everything[iri] for iri in refs if iri in everything}
    for d in list(ents.values()):  # the states places and organisations belong to
        for link in ("in", "ofState"):
            if d.get(link) in everything:
                ents.setdefault(d[link], everything[d[link]])

    def ent(iri: str) -> dict[str, Any]:
        return ents.get(iri, {})

    states: dict[str, dict[str, Any]] = {}

    def state(iri: str | None) -> str:
        """The state's ISO code (registered in ``states``), or ""."""
        if not iri:
            return ""
        d = ent(iri)
        code = str(d.get("iso3") or _local(iri).upper())
        if code not in states:
            states[code] = {
                "label": _label(d, lang) or code,
                "names": _names(d),
                "wikidata": _local(d.get("wikidata", "")),
            }
        return code

    places: dict[str, dict[str, Any]] = {}
    orgs: dict[str, dict[str, Any]] = {}
    persons: dict[str, dict[str, Any]] = {}

    def place(iri: str | None) -> str:
        if not iri:
            return ""
        if iri not in places:
            d = ent(iri)
            places[iri] = {
                "label": _label(d, lang) or _local(iri),
                "names": _names(d),
                "in": state(d.get("in")) if ent(d.get("in", "")).get("iso3") else "",
                "wikidata": _local(d.get("wikidata", "")),
            }
        return iri

    def org(iri: str) -> str:
        if iri not in orgs:
            d = ent(iri)
            orgs[iri] = {
                "label": _label(d, lang) or _local(iri),
                "names": _names(d),
                "state": state(d.get("ofState")) if d.get("ofState") else "",
                "wikidata": _local(d.get("wikidata", "")),
            }
        return iri

    def person(iri: str) -> str:
        if iri not in persons:
            d = people.get(iri, {})
            ranks = [ent(r) for r in d.get("rank", [])]
            persons[iri] = {
                "label": _best_name(d.get("name", [])) or _local(iri),
                "state": state(d.get("nationality")),
                "rank": next((_label(r, lang) for r in ranks), ""),
                "codes": sorted({str(r["nato"]) for r in ranks if r.get("nato")}),
                "names": sorted(
                    {n for r in ranks for n in _names(r)} | set(d.get("name", [])) | set(_names(ent(iri)))
                ),
                "title": d.get("title", ""),
                "orgs": [org(o) for o in d.get("org", [])],
            }
        return iri

    out_eng: list[dict[str, Any]] = []
    for iri, d in sorted(eng.items(), key=lambda kv: (kv[1].get("start", ""), kv[0])):
        types = set(d.get("type", []))
        top = next((_TOPS[t] for t in _TOPS if t in types), "meeting")
        kind = "call" if types & _CALLS else top
        sub = sorted(t for t in types if t not in _TOPS)
        subtype = (_label(ent(sub[0]), lang) or _words(_local(sub[0]))) if sub else ""
        if d.get("agreementKind"):
            subtype = _label(ent(d["agreementKind"]), lang) or _words(_local(d["agreementKind"]))
        codes = sorted({state(s) for s in d.get("states", [])} - {""})
        sides: dict[str, dict[str, Any]] = {c: {"head": "", "members": []} for c in codes}
        for dg in d.get("delegations", []):
            dd = people.get(dg, {})
            side = state(dd.get("of"))
            if not side:
                continue
            s = sides.setdefault(side, {"head": "", "members": []})
            if dd.get("head") and not s["head"]:
                s["head"] = person(dd["head"])
            for m in [dd.get("head"), *dd.get("members", [])]:
                if m and person(m) not in s["members"]:
                    s["members"].append(m)
        for p in d.get("participants", []):
            side = persons[person(p)]["state"]
            if side and p not in sides.setdefault(side, {"head": "", "members": []})["members"]:
                sides[side]["members"].append(p)
        for s in sides.values():  # the principal: the head of delegation, else the first named
            s["principal"] = s["head"] or (s["members"][0] if s["members"] else "")
        sources = []
        for a in sorted(d.get("articles", []), key=lambda a: articles.get(a, {}).get("date", "")):
            sources.append({"article": a, "sentence": evidence.get((iri, a), "")})
        extra = cited_in.get(iri, set()) - set(d.get("articles", []))
        for a in sorted(extra, key=lambda a: (articles.get(a, {}).get("date", ""), a)):
            sources.append({"article": a, "sentence": evidence[(iri, a)]})
        for s in sources:
            articles.setdefault(s["article"], {"url": "", "headline": "", "date": "", "lang": ""})
        start = str(d.get("start", ""))[:10]
        out_eng.append(
            {
                "id": iri,
                "kind": kind,
                "subtype": subtype,
                "title": str(d.get("title", "")),
                "start": start,
                "end": str(d.get("end", ""))[:10],
                "states": codes,
                "host": state(d.get("host")),
                "place": place(d.get("place")),
                "status": _label(ent(d["status"]), lang) if d.get("status") else "",
                "topics": sorted(_label(ent(t), lang) or _local(t) for t in d.get("topics", [])),
                "sides": sides,
                "sources": sources,
            }
        )
    return {
        "lang": lang,
        "ui": ui_text(lang),
        "kinds": list(KINDS),
        "engagements": out_eng,
        "states": states,
        "people": persons,
        "orgs": orgs,
        "places": places,
        "articles": articles,
    }


def page_html(
    store: Store,
    lang: str = "en",
    title: str = "defkg: bilateral defence relations",
    select_pair: tuple[str, str] | None = None,
    select: str | None = None,
    links: dict[str, str] | None = None,
) -> str:
    """The analyst's page: one self-contained HTML document (vis-network and the page's own
    script and style inlined; the data as JSON). ``select_pair`` opens a pair's timeline and
    ``select`` a state, person or organisation (a name or code) when the page loads;
    ``links`` adds navigation links (label -> relative URL, e.g. the query page in ``serve``)."""
    data = page_data(store, lang)
    if select_pair:
        pair = sorted(c.upper() for c in select_pair)
        if not any(set(pair) <= set(e["states"]) for e in data["engagements"]):
            raise InputError(f"no engagements between {pair[0]} and {pair[1]} in the store")
        data["select"] = {"pair": pair}
    elif select:
        data["select"] = {"query": select}
    return render_page(data, title=title, links=links)


def render_page(data: dict[str, Any], title: str = "defkg", links: dict[str, str] | None = None) -> str:
    """Fill ``assets/page.html`` with the data, the vendored vis-network and the page's assets."""
    nav = "".join(
        f'<a href="{html.escape(url)}">{html.escape(label)}</a>'
        for label, url in (links or {}).items()
        if url.startswith("/") and not url.startswith("//")
    )
    parts = {
        "__TITLE__": html.escape(title),
        "__LANG__": html.escape(str(data.get("lang", "en"))),
        "__NAV__": nav,
        "__VIS_CSS__": _asset("vis-network.css"),
        "__PAGE_CSS__": _asset("page.css"),
        "__DATA__": script_json(data),
        "__VIS_JS__": _asset("vis-network.min.js"),
        "__PAGE_JS__": _asset("page.js"),
    }
    return re.sub("|".join(parts), lambda m: parts[m.group(0)], _asset("page.html"))
