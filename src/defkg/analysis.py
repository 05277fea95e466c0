"""Network analysis of the store with networkx.

Every function that reads the store runs a fixed number of SPARQL queries (one per
graph, never one per node) and returns a plain networkx graph whose attribute values
are ``str``, ``int`` or ``float`` only, so the graphs can be written to GraphML and GEXF
as they are:

* :func:`state_graph` – states; an edge per pair of states that met, ``weight`` = number
  of meetings, ``first`` and ``last`` = dates of the first and last of them (ISO, "" if undated);
* :func:`actor_graph` – officials, organisations and states; ``met-with`` edges between
  officials of different states at the same meeting (``weight`` = meetings), ``member-of``
  edges official → organisation and official → state, ``of-state`` organisation → state;
* :func:`knowledge_graph` – the graph the view draws: meetings, states, officials,
  organisations and topics, each edge labelled by its relation and carrying the evidence
  sentence and source URL;
* :func:`measures` – weighted degree, betweenness, PageRank and Louvain communities;
* :func:`ego_network`, :func:`timeline` – one actor's neighbourhood, meetings of two states.

PageRank is computed here by power iteration (networkx's ``pagerank`` needs SciPy, which
defkg does not depend on); betweenness is sampled (150 pivots) above 1,000 nodes.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from defkg import _lazy
from defkg.errors import InputError, QueryError
from defkg.namespaces import ORGANIZATION_KIND_NAMES, PREFIXES
from defkg.store import Store
from defkg.textnorm import fold

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")

SEED = 42
_ISO3 = re.compile(r"^[A-Za-z]{3}$")
DK_NS = PREFIXES["dk"]

# -- SPARQL --------------------------------------------------------------------------------------
#
# The store's default graph is the union of the article graphs, and a fact stated by many
# articles ("TUR dk:iso3 'TUR'", a state's label...) comes back once per article graph. A join
# over such facts multiplies the copies (Türkiye in 1,000 articles: 10^9 rows), so each graph is
# read with ONE query that is a UNION of "tables": DISTINCT projections of a single triple
# pattern each (linear in the store), joined here in Python.

_NODE_KINDS = {
    **{DK_NS + k: "Organization" for k in ("Organization", *ORGANIZATION_KIND_NAMES)},
    DK_NS + "State": "State",
    DK_NS + "Official": "Official",
    DK_NS + "Meeting": "Meeting",
    DK_NS + "Topic": "Topic",
}
_REL = {  # knowledge-graph edges: predicate -> relation shown
    "participatingState": "participant",
    "hostState": "host",
    "participant": "participant",
    "nationality": "member of",
    "affiliation": "member of",
    "topic": "topic",
    "ofState": "of state",
}
RELATION_LABELS = _REL

_TABLES: dict[str, tuple[int, str]] = {  # name -> (columns ?a ?b ..., one triple pattern)
    "states": (2, "?a dk:participatingState ?b"),
    "iso": (2, "?a dk:iso3 ?b"),
    "en": (2, '?a rdfs:label ?b . FILTER(LANGMATCHES(LANG(?b), "en"))'),
    "label": (2, "?a rdfs:label ?b"),
    "qid": (2, "?a dk:wikidata ?b"),
    "start": (2, "?a schema:startDate ?b"),
    "participant": (2, "?a dk:participant ?b"),
    "name": (2, "?a foaf:name ?b"),
    "nationality": (2, "?a dk:nationality ?b"),
    "affiliation": (2, "?a dk:affiliation ?b"),
    "ofState": (2, "?a dk:ofState ?b"),
    "kind": (2, "?a a ?b . FILTER(STRSTARTS(STR(?b), STR(dk:)) && ?b NOT IN (dk:Evidence, dk:Article))"),
    "edge": (3, f"VALUES ?b {{ {' '.join('dk:' + p for p in _REL)} }} ?a ?b ?c . FILTER(isIRI(?c))"),
    # evidence of the facts the graphs draw, read inside each article's graph (evidence nodes
    # belong to one article, so no copies to join)
    "evidence": (
        5,
        f"GRAPH ?g {{ VALUES ?b {{ {' '.join('dk:' + p for p in _REL)} dk:reportedIn }} "
        "?e rdf:predicate ?b ; rdf:subject ?a ; rdf:object ?c ; dk:sentence ?s . "
        "?s dk:text ?d ; prov:wasQuotedFrom ?f }",
    ),
    "reportedIn": (2, "?a dk:reportedIn ?b"),
    "url": (2, "?a schema:url ?b"),
    "headline": (2, "?a schema:headline ?b"),
    "location": (2, "?a schema:location ?b"),
    "status": (2, "?a dk:status ?b"),
    "holds": (2, "?a org:holds ?b"),
    "title": (2, "?a dk:title ?b"),
    "rank": (2, "?a dk:rank ?b"),
    "prefLabel": (2, '?a skos:prefLabel ?b . FILTER(LANGMATCHES(LANG(?b), "en"))'),
}
_COLS = ("a", "b", "c", "d", "f")


def _tables_query(names: Sequence[str]) -> str:
    parts = []
    for name in names:
        width, pattern = _TABLES[name]
        cols = " ".join("?" + c for c in _COLS[:width])
        parts.append(f'  {{ {{ SELECT DISTINCT {cols} WHERE {{ {pattern} }} }} BIND("{name}" AS ?t) }}')
    return "SELECT ?t " + " ".join("?" + c for c in _COLS) + " WHERE {\n" + "\n  UNION\n".join(parts) + "\n}"


def _tables(store: Store, names: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
    """One query reading the named tables; rows are tuples of lexical values."""
    out: dict[str, list[tuple[str, ...]]] = {n: [] for n in names}
    widths = {n: _TABLES[n][0] for n in names}
    try:
        for sol in store.query(_tables_query(names)):  # columns: ?t ?a ?b ?c ?d ?f
            name = sol[0].value
            w = widths[name]
            if w == 2:
                out[name].append((sol[1].value, sol[2].value))
            else:
                out[name].append(tuple(sol[i].value if sol[i] is not None else "" for i in range(1, w + 1)))
    except (SyntaxError, OSError) as e:
        raise QueryError(f"analysis query failed: {e}") from e
    return out


def _one(rows: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """subject -> one value (the smallest, so the choice is stable)."""
    out: dict[str, str] = {}
    for a, b, *_ in rows:
        if a not in out or b < out[a]:
            out[a] = b
    return out


def _many(rows: Iterable[tuple[str, ...]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for a, b, *_ in rows:
        out[a].add(b)
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _best_name(names: Iterable[str]) -> str:
    """The most frequent spelling; ties go to the one with more non-ASCII letters (diacritics)."""
    counts = Counter(names)
    if not counts:
        return ""
    return max(counts, key=lambda n: (counts[n], sum(ord(c) > 127 for c in n), n))


def _date_span(dates: Iterable[str]) -> tuple[str, str]:
    ds = sorted(d for d in dates if d)
    return (ds[0], ds[-1]) if ds else ("", "")


def _qid(iri: str) -> str:
    return iri.rsplit("/entity/", 1)[-1] if "/entity/" in iri else ""


def _evidence(t: dict[str, list[tuple[str, ...]]]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(subject, predicate, object) -> (sentence, article) of one evidence node stating it
    (the first by article and sentence, so the choice is stable)."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for s, p, o, sentence, article in t["evidence"]:
        key = (s, p, o)
        if key not in out or (article, sentence) < (out[key][1], out[key][0]):
            out[key] = (sentence, article)
    return out


def _meeting_states(t: dict[str, list[tuple[str, ...]]]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(meeting -> {state IRI: ISO code}, meeting -> earliest start date)."""
    iso = _one(t["iso"])
    meetings: dict[str, dict[str, str]] = defaultdict(dict)
    for m, st in t["states"]:
        if st in iso:
            meetings[m][st] = iso[st]
    return meetings, _one(t["start"])


# -- graphs --------------------------------------------------------------------------------------


def state_graph(store: Store) -> nx.Graph:
    """States as nodes (id = ISO alpha-3); an edge per pair of states that met.

    Node attributes: ``label``, ``kind`` ("State"), ``qid``, ``meetings``. Edge attributes:
    ``weight`` (meetings), ``first``, ``last`` (ISO dates, "" when no meeting is dated).
    A meeting of three or more states counts once for each pair.
    """
    t = _tables(store, ["states", "iso", "en", "qid", "start"])
    meetings, start = _meeting_states(t)
    en, qid = _one(t["en"]), _one(t["qid"])
    g = nx.Graph(name="states")
    pair_dates: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in sorted(meetings):
        states = meetings[m]
        for st, code in sorted(states.items(), key=lambda kv: kv[1]):
            if code not in g:
                g.add_node(code, label=en.get(st, code), kind="State", qid=_qid(qid.get(st, "")), meetings=0)
            g.nodes[code]["meetings"] += 1
        codes = sorted(set(states.values()))
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                pair_dates[(a, b)].append(start.get(m, ""))
    for (a, b), dates in pair_dates.items():
        first, last = _date_span(dates)
        g.add_edge(a, b, weight=len(dates), first=first, last=last, relation="met")
    return g


def actor_graph(store: Store) -> nx.Graph:
    """Officials, organisations and states (node id = IRI; ``kind``, ``label``, ``state``).

    Edges: ``met-with`` between officials of different states at the same meeting
    (``weight`` = meetings together, ``first``/``last`` dates); ``member-of`` official →
    organisation and official → state; ``of-state`` organisation → state.
    """
    t = _tables(
        store,
        [
            "participant",
            "name",
            "nationality",
            "iso",
            "en",
            "label",
            "affiliation",
            "kind",
            "ofState",
            "start",
        ],
    )
    iso, en, start = _one(t["iso"]), _one(t["en"]), _one(t["start"])
    anylabel = _one(t["label"])
    names, nationality = _many(t["name"]), _one(t["nationality"])
    kinds = _many(t["kind"])
    of_state = _one(t["ofState"])
    g = nx.Graph(name="actors")

    def add_state(st: str) -> str:
        if st not in g:
            g.add_node(
                st,
                kind="State",
                label=en.get(st, iso.get(st, _local(st))),
                state=iso.get(st, ""),
                org_type="",
            )
        return st

    at_meeting: dict[str, set[str]] = defaultdict(set)
    for m, person in t["participant"]:
        at_meeting[m].add(person)
        if person not in g:
            st = nationality.get(person, "")
            g.add_node(
                person,
                kind="Official",
                label=_best_name(names.get(person, ())) or _local(person),
                state=iso.get(st, ""),
                org_type="",
            )
            if st:
                g.add_edge(person, add_state(st), relation="member-of", weight=1, first="", last="")
    for person, org in sorted(t["affiliation"]):
        if person not in g:  # affiliated but never seen at a meeting
            continue
        if org not in g:
            types = sorted(_local(k) for k in kinds.get(org, ()) if _NODE_KINDS.get(k) == "Organization")
            specific = [k for k in types if k != "Organization"]
            st = of_state.get(org, "")
            g.add_node(
                org,
                kind="Organization",
                label=en.get(org) or anylabel.get(org) or _local(org),
                state=iso.get(st, ""),
                org_type=(specific or types or ["Organization"])[0],
            )
            if st:
                g.add_edge(org, add_state(st), relation="of-state", weight=1, first="", last="")
        g.add_edge(person, org, relation="member-of", weight=1, first="", last="")
    met: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m, people in at_meeting.items():
        ordered = sorted(people)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                sa, sb = g.nodes[a]["state"], g.nodes[b]["state"]
                if sa and sb and sa != sb:
                    met[(a, b)].append(start.get(m, ""))
    for (a, b), dates in met.items():
        first, last = _date_span(dates)
        g.add_edge(a, b, relation="met-with", weight=len(dates), first=first, last=last)
    return g


_KIND_PRIORITY = ("State", "Meeting", "Official", "Organization", "Topic")
_KG_TABLES = [
    "kind",
    "en",
    "label",
    "name",
    "iso",
    "start",
    "location",
    "status",
    "holds",
    "title",
    "rank",
    "prefLabel",
    "reportedIn",
    "url",
    "headline",
    "evidence",
    "edge",
]


def knowledge_graph(store: Store) -> nx.DiGraph:
    """Meetings, states, officials, organisations and topics as the view draws them.

    Node attributes (all ``str`` except ``articles``): ``kind``, ``label``, ``iri``, ``date``
    (meetings), ``meeting_kind``, ``place``, ``status``, ``iso3``, ``title``, ``rank``, ``url``,
    ``headline``, ``sentence``, ``states`` (space-separated ISO codes the node is tied to).
    Edge attributes: ``relation`` (e.g. "participant", "member of"), ``sentence``, ``url``,
    ``headline``. Only what meetings reach is kept (reference data loaded with the ontology is not).
    """
    t = _tables(store, _KG_TABLES)
    en, anylabel, iso, start = _one(t["en"]), _one(t["label"]), _one(t["iso"]), _one(t["start"])
    names, location, status = _many(t["name"]), _one(t["location"]), _one(t["status"])
    holds, title, rank, pref = _one(t["holds"]), _one(t["title"]), _one(t["rank"]), _one(t["prefLabel"])
    reported, url, headline = _many(t["reportedIn"]), _one(t["url"]), _one(t["headline"])
    evidence = _evidence(t)
    kinds = _many(t["kind"])
    g = nx.DiGraph(name="knowledge")
    for n, types in kinds.items():
        found = {_NODE_KINDS[k] for k in types if k in _NODE_KINDS}
        if not found:
            continue
        kind = min(found, key=_KIND_PRIORITY.index)
        name = _best_name(names.get(n, ()))
        label = (name if kind == "Official" else "") or en.get(n) or anylabel.get(n) or name or _local(n)
        articles = sorted(reported.get(n, ()))
        article = next((a for a in articles if a in url), articles[0] if articles else "")
        sentence = evidence.get((n, DK_NS + "reportedIn", article), ("", ""))[0]
        meeting_kind = sorted(_local(k) for k in types if k not in _NODE_KINDS) if kind == "Meeting" else []
        place = location.get(n, "")
        g.add_node(
            n,
            kind=kind,
            label=label,
            iri=n,
            date=start.get(n, ""),
            meeting_kind=meeting_kind[0] if meeting_kind else "",
            place=en.get(place) or anylabel.get(place, "") if place else "",
            status=(en.get(status[n]) or _local(status[n])) if n in status else "",
            iso3=iso.get(n, ""),
            title=title.get(holds.get(n, ""), ""),
            rank=pref.get(rank.get(n, ""), ""),
            url=url.get(article, ""),
            headline=headline.get(article, ""),
            sentence=sentence,
            articles=len(articles),
            states="",
        )
    for s, p, o in t["edge"]:
        if s not in g or o not in g:
            continue
        rel = _REL.get(_local(p), _local(p))
        if g.has_edge(s, o):
            old = g.edges[s, o]["relation"].split(", ")
            if rel not in old:
                g.edges[s, o]["relation"] = ", ".join(sorted({*old, rel}))
            continue
        sentence, article = evidence.get((s, p, o), ("", ""))
        g.add_edge(
            s,
            o,
            relation=rel,
            sentence=sentence,
            url=url.get(article, ""),
            headline=headline.get(article, ""),
        )
    # only what the meetings reach (meeting -> participant -> organisation -> state): reference
    # data loaded with the ontology (every state, organisations and their states) stays out
    reached = {n for n, d in g.nodes(data=True) if d["kind"] == "Meeting"}
    frontier = list(reached)
    while frontier:
        frontier = list({y for x in frontier for y in g.successors(x) if y not in reached})
        reached.update(frontier)
    g.remove_nodes_from([n for n in list(g) if n not in reached])
    _tie_states(g)
    return g


def _tie_states(g: nx.DiGraph) -> None:
    """Set each node's ``states``: the states of the meetings it is part of (for the view's filters)."""
    tied: dict[str, set[str]] = defaultdict(set)
    for n, d in g.nodes(data=True):
        if d["kind"] == "State" and d["iso3"]:
            tied[n].add(d["iso3"])
    for m, d in g.nodes(data=True):
        if d["kind"] != "Meeting":
            continue
        isos = {g.nodes[s]["iso3"] for s in g.successors(m) if g.nodes[s]["kind"] == "State"}
        isos.discard("")
        tied[m] |= isos
        for x in g.successors(m):
            tied[x] |= isos
            if g.nodes[x]["kind"] == "Official":
                for y in g.successors(x):
                    if g.nodes[y]["kind"] == "Organization":
                        tied[y] |= isos
    for n, isos in tied.items():
        g.nodes[n]["states"] = " ".join(sorted(isos))


# -- measures ------------------------------------------------------------------------------------


def pagerank(
    g: nx.Graph, weight: str | None = "weight", alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200
) -> dict[str, float]:
    """PageRank by power iteration (pure Python; undirected edges count both ways)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    d = g.to_directed() if not g.is_directed() else g
    out_w = {u: sum(dd.get(weight, 1) if weight else 1 for _, _, dd in d.out_edges(u, data=True)) for u in d}
    rank = dict.fromkeys(d, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in d if out_w[u] == 0) / n
        new = dict.fromkeys(d, (1.0 - alpha) / n + dangling)
        for u, v, dd in d.edges(data=True):
            w = dd.get(weight, 1) if weight else 1
            new[v] += alpha * rank[u] * w / out_w[u]
        if sum(abs(new[u] - rank[u]) for u in d) < n * tol:
            return new
        rank = new
    return rank


@dataclass(frozen=True)
class Measures:
    """Per-node measures of a graph; ``community`` numbers communities from 0, largest first."""

    weighted_degree: dict[str, float]
    degree: dict[str, int]
    betweenness: dict[str, float]
    pagerank: dict[str, float]
    community: dict[str, int]
    communities: list[list[str]] = field(default_factory=list)

    def as_node_attributes(self, g: nx.Graph) -> None:
        """Store the measures on the graph's nodes (for exports)."""
        for n in g:
            g.nodes[n]["weighted_degree"] = float(self.weighted_degree.get(n, 0.0))
            g.nodes[n]["degree"] = int(self.degree.get(n, 0))
            g.nodes[n]["betweenness"] = float(self.betweenness.get(n, 0.0))
            g.nodes[n]["pagerank"] = float(self.pagerank.get(n, 0.0))
            g.nodes[n]["community"] = int(self.community.get(n, -1))


def measures(
    g: nx.Graph, weight: str = "weight", seed: int = SEED, betweenness_sample: int = 1000
) -> Measures:
    """Weighted degree, betweenness (hops; sampled with ``k`` = 150 pivots above ``betweenness_sample``
    nodes), PageRank (weighted) and Louvain communities (weighted, ``seed`` for reproducibility)."""
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    wdeg = {n: float(v) for n, v in u.degree(weight=weight)}
    deg = dict(u.degree())
    n = u.number_of_nodes()
    k = 150 if n > betweenness_sample else None
    btw = nx.betweenness_centrality(u, k=k, seed=seed, normalized=True) if n else {}
    pr = pagerank(u, weight=weight)
    comms = nx.community.louvain_communities(u, weight=weight, seed=seed) if n else []
    ordered = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
    community = {node: i for i, c in enumerate(ordered) for node in c}
    return Measures(wdeg, deg, btw, pr, community, ordered)


# -- neighbourhoods and timelines ----------------------------------------------------------------


def find_node(g: nx.Graph, text: str) -> str:
    """The node named by ``text``: its id, ISO code, IRI, or label (case- and diacritic-insensitive).

    Raises ``InputError`` if nothing matches or several nodes match equally well.
    """
    if text in g:
        return text
    key = fold(text).strip()
    exact = [
        n
        for n, d in g.nodes(data=True)
        if key in {fold(str(d.get("label", ""))), fold(str(d.get("iso3", ""))), fold(str(d.get("iri", "")))}
        or (d.get("kind") == "State" and key == fold(str(d.get("state", ""))))
    ]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        states = [n for n in exact if g.nodes[n].get("kind") == "State"]
        if len(states) == 1:
            return states[0]
        raise InputError(f"{text!r} names {len(exact)} nodes; give the IRI: " + ", ".join(sorted(exact)[:5]))
    partial = [n for n, d in g.nodes(data=True) if key and key in fold(str(d.get("label", "")))]
    if len(partial) == 1:
        return partial[0]
    if partial:
        labels = sorted(str(g.nodes[n].get("label", n)) for n in partial)[:5]
        raise InputError(f"{text!r} matches {len(partial)} nodes (e.g. {', '.join(labels)}); be more precise")
    raise InputError(f"{text!r}: no such state, person or organisation in the graph")


def ego_network(g: nx.Graph, center: str, radius: int = 1) -> nx.Graph:
    """The subgraph within ``radius`` hops of ``center`` (a node id, ISO code, IRI or name)."""
    node = find_node(g, center)
    return nx.ego_graph(g, node, radius=radius, undirected=True)


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    kind: str
    label: str
    place: str
    status: str
    articles: int
    url: str
    headline: str
    meeting: str


def check_iso3(code: str) -> str:
    if not _ISO3.match(code or ""):
        raise InputError(f"{code!r}: give a state as its ISO 3166 alpha-3 code (e.g. TUR, GBR)")
    return code.upper()


def timeline(store: Store, a: str, b: str, engagements: bool = False) -> list[TimelineEntry]:
    """Meetings between states ``a`` and ``b`` (ISO alpha-3 codes) in date order; undated last.
    ``engagements``: with the agreements they signed and the exercises they held."""
    a, b = check_iso3(a), check_iso3(b)
    t = _tables(
        store,
        [
            "states",
            "iso",
            "start",
            "kind",
            "en",
            "label",
            "location",
            "status",
            "reportedIn",
            "url",
            "headline",
        ],
    )
    meetings, start = _meeting_states(t)
    en, anylabel, location, status = _one(t["en"]), _one(t["label"]), _one(t["location"]), _one(t["status"])
    kinds, reported, url, headline = (
        _many(t["kind"]),
        _many(t["reportedIn"]),
        _one(t["url"]),
        _one(t["headline"]),
    )
    out = []
    for m, states in meetings.items():
        if not {a, b} <= set(states.values()):
            continue
        specific = sorted(_local(k) for k in kinds.get(m, ()) if k.startswith(DK_NS) and k not in _NODE_KINDS)
        articles = sorted(reported.get(m, ()))
        article = next((x for x in articles if x in url), articles[0] if articles else "")
        place = location.get(m, "")
        out.append(
            TimelineEntry(
                date=start.get(m, ""),
                kind=specific[0] if specific else "Meeting",
                label=en.get(m) or anylabel.get(m, ""),
                place=(en.get(place) or anylabel.get(place, "")) if place else "",
                status=(en.get(status[m]) or _local(status[m])) if m in status else "",
                articles=len(articles),
                url=url.get(article, ""),
                headline=headline.get(article, ""),
                meeting=m,
            )
        )
    if engagements:  # agreements signed and exercises held beside the meetings
        out += engagements_between(store, a, b)
    return sorted(out, key=lambda e: (e.date == "", e.date, e.meeting))


# One kind of fact per row, and tests rather than joins for what only selects: an agreement that n
# reports tell of is a fact of n graphs, which the union gives n times (oxigraph#1919), so each
# joined pattern would multiply its rows by n; the values are gathered into sets below. The tests
# stand in the top group, where ?sb is bound (a group inside is evaluated on its own).
_FACTS_OF_E = """
  UNION { ?e rdfs:label ?label }
  UNION { ?e schema:location ?p . ?p rdfs:label ?place . FILTER(LANGMATCHES(LANG(?place), "en")) }
  UNION { ?e dk:status ?st . ?st rdfs:label ?status . FILTER(LANGMATCHES(LANG(?status), "en")) }
  UNION { ?e dk:reportedIn ?article . OPTIONAL { ?article schema:url ?url }
          OPTIONAL { ?article schema:headline ?headline } }
"""
_ENGAGEMENTS_BETWEEN = (
    """
SELECT DISTINCT ?e ?kind ?date ?label ?place ?status ?article ?url ?headline WHERE {
  ?sa dk:iso3 ?a . ?sb dk:iso3 ?b .
  ?e dk:party ?sa .
  FILTER EXISTS { ?e dk:party ?sb } FILTER EXISTS { ?e a dk:DefenceAgreement }
  FILTER EXISTS { ?e dk:agreementKind ?k0 }
  { ?e dk:agreementKind ?k . BIND(STRAFTER(STR(?k), "#") AS ?kind) } UNION { ?e dk:signedOn ?date }"""
    + _FACTS_OF_E
    + "}",
    """
SELECT DISTINCT ?e ?kind ?date ?label ?place ?status ?article ?url ?headline WHERE {
  ?sa dk:iso3 ?a . ?sb dk:iso3 ?b .
  ?e dk:exerciseState ?sa .
  FILTER EXISTS { ?e dk:exerciseState ?sb } FILTER EXISTS { ?e a dk:Exercise }
  { BIND("Exercise" AS ?kind) } UNION { ?e schema:startDate ?date }"""
    + _FACTS_OF_E
    + "}",
)


_ENGAGEMENT_FIELDS = ("kind", "date", "label", "place", "status", "article", "url", "headline")


def engagements_between_queries(a: str, b: str) -> list[str]:
    """The SPARQL of ``engagements_between``: agreements, then exercises, of states ``a`` and ``b``."""
    a, b = check_iso3(a), check_iso3(b)
    return [q.replace("?a .", f'"{a}" .', 1).replace("?b .", f'"{b}" .', 1) for q in _ENGAGEMENTS_BETWEEN]


def engagements_between(store: Store, a: str, b: str) -> list[TimelineEntry]:
    """The agreements signed and exercises held by states ``a`` and ``b`` (ISO alpha-3 codes), as
    timeline entries (kind: the agreement's kind, or ``Exercise``)."""
    found: dict[str, dict[str, set[str]]] = {}
    try:
        for sparql in engagements_between_queries(a, b):
            for sol in store.query(sparql):
                row = [sol[i].value if sol[i] is not None else "" for i in range(9)]
                f = found.setdefault(row[0], {})
                for name, value in zip(_ENGAGEMENT_FIELDS, row[1:], strict=True):
                    if value:
                        f.setdefault(name, set()).add(value)
    except (SyntaxError, OSError) as e:
        raise QueryError(f"analysis query failed: {e}") from e
    first = lambda f, k: min(f.get(k, {""}))  # noqa: E731
    return [
        TimelineEntry(
            date=first(f, "date")[:10],
            kind=first(f, "kind"),
            label=first(f, "label"),
            place=first(f, "place"),
            status=first(f, "status"),
            articles=len(f.get("article", ())),
            url=first(f, "url"),
            headline=first(f, "headline"),
            meeting=e,
        )
        for e, f in found.items()
    ]


def _taking_part(g: nx.DiGraph, meeting: str) -> set[str]:
    """ISO codes of the states taking part in ``meeting`` (not those it only discussed as topics)."""
    return {
        g.nodes[s]["iso3"]
        for s in g.successors(meeting)
        if g.nodes[s]["kind"] == "State"
        and "participant" in g.edges[meeting, s].get("relation", "").split(", ")
    }


def pair_subgraph(g: nx.DiGraph, a: str, b: str) -> nx.DiGraph:
    """The meetings of the knowledge graph between states ``a`` and ``b`` with everything attached
    to them (states, officials, their organisations, topics)."""
    a, b = check_iso3(a), check_iso3(b)
    meetings = [n for n, d in g.nodes(data=True) if d["kind"] == "Meeting" and {a, b} <= _taking_part(g, n)]
    keep = set(meetings)
    for m in meetings:
        for x in g.successors(m):
            keep.add(x)
            if g.nodes[x]["kind"] == "Official":
                keep.update(y for y in g.successors(x) if g.nodes[y]["kind"] == "Organization")
    return g.subgraph(keep).copy()


# -- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """A titled table of rows, printable as aligned text or CSV."""

    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    @staticmethod
    def _cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.4f}" if v % 1 else f"{v:.0f}"
        return str(v)

    def to_text(self) -> str:
        cells = [list(self.headers)] + [[self._cell(v) for v in r] for r in self.rows]
        widths = [max(len(c[i]) for c in cells) for i in range(len(self.headers))]
        lines = [self.title, "-" * len(self.title)]
        for j, c in enumerate(cells):
            lines.append("  ".join(s.ljust(w) for s, w in zip(c, widths, strict=True)).rstrip())
            if j == 0:
                lines.append("  ".join("-" * w for w in widths))
        if not self.rows:
            lines.append("(none)")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.headers)
        for r in self.rows:
            w.writerow([self._cell(v) if isinstance(v, float) else v for v in r])
        return buf.getvalue()


def _top(scores: dict[str, float], top: int | None, tiebreak: dict[str, str]) -> list[str]:
    ordered = sorted(scores, key=lambda n: (-scores[n], tiebreak.get(n, n)))
    return ordered[:top] if top else ordered


def rank_states(g: nx.Graph, m: Measures, top: int | None = 10) -> Ranking:
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    rows = tuple(
        (
            i + 1,
            labels[n],
            n,
            int(g.nodes[n].get("meetings", 0)),
            g.degree(n),
            m.weighted_degree[n],
            m.pagerank[n],
            m.betweenness[n],
            m.community[n],
        )
        for i, n in enumerate(_top(m.weighted_degree, top, labels))
    )
    return Ranking(
        "states",
        "States by weighted degree (meetings with each partner, summed)",
        (
            "rank",
            "state",
            "iso3",
            "meetings",
            "partners",
            "weighted_degree",
            "pagerank",
            "betweenness",
            "community",
        ),
        rows,
    )


def rank_pairs(g: nx.Graph, top: int | None = 10) -> Ranking:
    label = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    edges = sorted(g.edges(data=True), key=lambda e: (-e[2]["weight"], *sorted((label[e[0]], label[e[1]]))))
    rows = []
    for i, (a, b, d) in enumerate(edges[:top] if top else edges):
        a, b = sorted((a, b), key=lambda x: label[x])
        rows.append((i + 1, label[a], label[b], d["weight"], d["first"], d["last"]))
    return Ranking(
        "pairs",
        "State pairs by number of meetings",
        ("rank", "state_a", "state_b", "meetings", "first", "last"),
        tuple(rows),
    )


def rank_actors(g: nx.Graph, m: Measures, kind: str = "Official", top: int | None = 10) -> Ranking:
    nodes = {n: m.weighted_degree[n] for n, d in g.nodes(data=True) if d.get("kind") == kind}
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    # officials: meetings with officials of other states; organisations: members seen
    rel, col = ("met-with", "met_with") if kind == "Official" else ("member-of", "members")
    met = {
        n: sum(
            d["weight"]
            for _, other, d in g.edges(n, data=True)
            if d["relation"] == rel and g.nodes[other]["kind"] == "Official"
        )
        for n in nodes
    }
    rows = tuple(
        (
            i + 1,
            labels[n],
            str(g.nodes[n].get("state", "")),
            met[n],
            m.weighted_degree[n],
            m.pagerank[n],
            m.betweenness[n],
            m.community[n],
        )
        for i, n in enumerate(_top(nodes, top, labels))
    )
    name = {"Official": "officials", "Organization": "organisations"}.get(kind, kind.lower())
    return Ranking(
        name,
        f"{name.capitalize()} by weighted degree in the actor graph",
        ("rank", "name", "state", col, "weighted_degree", "pagerank", "betweenness", "community"),
        rows,
    )


def rank_communities(g: nx.Graph, m: Measures, top: int | None = 10) -> Ranking:
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    rows = []
    for i, c in enumerate(m.communities[:top] if top else m.communities):
        members = sorted(c, key=lambda n: (-m.weighted_degree[n], labels[n]))
        rows.append((i, len(c), ", ".join(labels[n] for n in members)))
    return Ranking(
        "communities",
        "Communities of states (Louvain, weighted by meetings)",
        ("community", "size", "members (by weighted degree)"),
        tuple(rows),
    )


def timeline_table(entries: Sequence[TimelineEntry], a: str, b: str) -> Ranking:
    rows = tuple(
        (e.date or "undated", e.kind, e.label, e.place, e.status, e.articles, e.url) for e in entries
    )
    return Ranking(
        "timeline",
        f"Meetings between {a.upper()} and {b.upper()}",
        ("date", "kind", "label", "place", "status", "articles", "url"),
        rows,
    )


def ego_table(g: nx.Graph, center: str) -> Ranking:
    node = find_node(g, center)
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    nbrs = sorted(g[node].items(), key=lambda kv: (-kv[1].get("weight", 1), labels[kv[0]]))
    rows = tuple(
        (
            labels[n],
            str(g.nodes[n].get("kind", "")),
            str(d.get("relation", "")),
            d.get("weight", 1),
            d.get("first", ""),
            d.get("last", ""),
        )
        for n, d in nbrs
    )
    return Ranking(
        "ego",
        f"Neighbours of {labels[node]}",
        ("neighbour", "kind", "relation", "weight", "first", "last"),
        rows,
    )


@dataclass(frozen=True)
class Analysis:
    states: nx.Graph
    actors: nx.Graph
    state_measures: Measures
    actor_measures: Measures

    def rankings(self, top: int | None = 10) -> list[Ranking]:
        return [
            rank_states(self.states, self.state_measures, top),
            rank_pairs(self.states, top),
            rank_communities(self.states, self.state_measures, top),
            rank_actors(self.actors, self.actor_measures, "Official", top),
            rank_actors(self.actors, self.actor_measures, "Organization", top),
        ]


def analyse(store: Store, seed: int = SEED) -> Analysis:
    """Build the state and actor graphs and their measures."""
    states = state_graph(store)
    actors = actor_graph(store)
    return Analysis(states, actors, measures(states, seed=seed), measures(actors, seed=seed))


def write_csv(rankings: Iterable[Ranking], directory: str | Path) -> list[Path]:
    """Write each ranking to ``DIRECTORY/<name>.csv`` (UTF-8); returns the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in rankings:
        p = out / f"{r.name}.csv"
        p.write_text(r.to_csv(), encoding="utf-8")
        paths.append(p)
    return paths


# -- exports -------------------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "gexf", "csv")


def _clean(value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    return str(value)


def exportable(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attribute values are all str/int/float/bool (GraphML/GEXF types),
    with every node and edge carrying the same set of attributes."""
    h = g.__class__()
    h.graph.update({k: _clean(v) for k, v in g.graph.items() if v is not None})
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d})
    node_types = {
        k: type(next((_clean(d[k]) for _, d in g.nodes(data=True) if k in d), "")) for k in node_keys
    }
    edge_types = {
        k: type(next((_clean(d[k]) for _, _, d in g.edges(data=True) if k in d), "")) for k in edge_keys
    }
    for n, d in g.nodes(data=True):
        h.add_node(str(n), **{k: _clean(d[k]) if k in d else node_types[k]() for k in node_keys})
    for a, b, d in g.edges(data=True):
        h.add_edge(str(a), str(b), **{k: _clean(d[k]) if k in d else edge_types[k]() for k in edge_keys})
    return h


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# attributes holding dates (ISO 8601 text, "" when unknown) in the graphs built here
DATE_ATTRIBUTES = ("date", "first", "last")


_ENGAGEMENTS = ("met", "met-with")  # edge relations that are meetings (dated by first/last)


def _relation(g: nx.Graph, a: str, b: str) -> str:
    d = g.get_edge_data(a, b) or g.get_edge_data(b, a) or {}
    return str(d.get("relation", ""))


def time_spans(g: nx.Graph) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    """When each node and edge is in the graph: ``(start, end)`` ISO dates, for Gephi's timeline.

    An edge: its ``first``/``last`` dates, else the ``date`` of a dated endpoint (a meeting). A
    node: its own ``date`` (a meeting), else the span of its dated edges, else the span of the
    neighbours it is tied to other than by a meeting (an organisation: when its officials met).
    What has no date is left out (in a dynamic GEXF it is then present at all times)."""

    def day(value: object) -> str:
        return value if isinstance(value, str) and _ISO_DATE.match(value) else ""

    edges: dict[tuple[str, str], tuple[str, str]] = {}
    for a, b, d in g.edges(data=True):
        first, last = day(d.get("first")), day(d.get("last"))
        own = day(g.nodes[a].get("date")) or day(g.nodes[b].get("date"))
        if first or last:
            edges[(a, b)] = (first or last, last or first)
        elif own:
            edges[(a, b)] = (own, own)
    nodes: dict[str, tuple[str, str]] = {}
    incident: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (a, b), span in edges.items():
        incident[a].append(span)
        incident[b].append(span)
    for n, d in g.nodes(data=True):
        own = day(d.get("date"))
        if own:
            nodes[n] = (own, own)
        elif incident[n]:
            nodes[n] = (min(s for s, _ in incident[n]), max(e for _, e in incident[n]))
    for n in g:
        if n not in nodes:  # through ties, not through engagements whose dates are unknown
            ties = [m for m in nx.all_neighbors(g, n) if _relation(g, n, m) not in _ENGAGEMENTS]
            spans = [nodes[m] for m in ties if m in nodes]
            if spans:
                nodes[n] = (min(s for s, _ in spans), max(e for _, e in spans))
    return nodes, edges


def _dynamic(h: nx.Graph, g: nx.Graph) -> nx.Graph:
    """``h`` (an exportable copy of ``g``) with ``start``/``end`` on every dated node and edge and
    the graph marked dynamic: networkx then writes GEXF 1.2 ``mode="dynamic"``,
    ``timeformat="date"``."""
    nodes, edges = time_spans(g)
    for n, (start, end) in nodes.items():
        h.nodes[str(n)].update(start=start, end=end)
    for (a, b), (start, end) in edges.items():
        h.edges[str(a), str(b)].update(start=start, end=end)
    h.graph["mode"] = "dynamic" if nodes or edges else "static"
    return h


def _typed_dates(h: nx.Graph) -> nx.Graph:
    """``h`` without empty date attributes: in GraphML a date is ISO 8601 text where known and
    absent where unknown (GraphML has no date type; an empty string would read as a date)."""
    for _, d in h.nodes(data=True):
        for k in DATE_ATTRIBUTES:
            if d.get(k) == "":
                del d[k]
    for _, _, d in h.edges(data=True):
        for k in DATE_ATTRIBUTES:
            if d.get(k) == "":
                del d[k]
    return h


def export_graph(
    g: nx.Graph, name: str, directory: str | Path, formats: Iterable[str] = EXPORT_FORMATS
) -> list[Path]:
    """Write ``g`` as ``NAME.graphml``, ``NAME.gexf`` and/or ``NAME-nodes.csv`` + ``NAME-edges.csv``.

    GEXF is 1.2 in dynamic mode: each dated node and edge has ``start`` and ``end`` (see
    :func:`time_spans`), so Gephi's timeline filters the graph by date. GraphML holds the same
    ``start``/``end`` and the ``date``/``first``/``last`` attributes as ISO 8601 text, absent
    where unknown; numbers keep their types (``int``, ``double``) in both."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    h = exportable(g)
    paths = []
    for fmt in formats:
        if fmt == "graphml":
            p = out / f"{name}.graphml"
            dated = _typed_dates(_dynamic(h.copy(), g))
            dated.graph.pop("mode", None)
            nx.write_graphml(dated, p, encoding="utf-8")
            paths.append(p)
        elif fmt == "gexf":
            p = out / f"{name}.gexf"
            nx.write_gexf(_dynamic(h.copy(), g), p, encoding="utf-8", version="1.2draft")
            paths.append(p)
        elif fmt == "csv":
            paths += _write_csv_lists(h, out / f"{name}-nodes.csv", out / f"{name}-edges.csv")
        else:
            raise InputError(f"{fmt!r}: unknown export format (one of {', '.join(EXPORT_FORMATS)})")
    return paths


def _write_csv_lists(g: nx.Graph, nodes_path: Path, edges_path: Path) -> list[Path]:
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d})
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", *node_keys])
        for n, d in g.nodes(data=True):
            w.writerow([n, *(d.get(k, "") for k in node_keys)])
    with edges_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", *edge_keys])
        for a, b, d in g.edges(data=True):
            w.writerow([a, b, *(d.get(k, "") for k in edge_keys)])
    return [nodes_path, edges_path]


GRAPHS = ("states", "actors", "knowledge")


def build_graph(store: Store, which: str, with_measures: bool = True, seed: int = SEED) -> nx.Graph:
    """One of the graphs by name (``states``, ``actors``, ``knowledge``), measures stored on its nodes."""
    builders = {"states": state_graph, "actors": actor_graph, "knowledge": knowledge_graph}
    if which not in builders:
        raise InputError(f"{which!r}: unknown graph (one of {', '.join(GRAPHS)})")
    g = builders[which](store)
    if with_measures:
        measures(g, seed=seed).as_node_attributes(g)
    return g


def ego_report(store: Store, center: str, which: str | None = None) -> Ranking:
    """The neighbours of ``center`` in the state graph (for an ISO code or state name) or the actor graph."""
    if which is None:
        states = state_graph(store)
        try:
            node = find_node(states, center)
        except InputError:
            which = "actors"
        else:
            return ego_table(states, node)
    g = state_graph(store) if which == "states" else actor_graph(store)
    return ego_table(g, center)
