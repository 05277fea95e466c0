"""The researchers' dataset: the store read back (through SPARQL) as two tables in the
manner of COW and DCAD, described variable by variable in ``docs/codebook.md``.

* ``events``: one row per engagement and pair of states — a meeting, a phone call, a visit,
  an agreement signed, an exercise (one row per pair of its participating states) — with
  its date, the two states (ISO 3166 alpha-3 and COW codes, ordered by COW code), the
  direction of a visit, host, place, each side's principal and the level of its most
  senior official, the status, the source and the sentence it was read from.
* ``dyad_years``: undirected dyad x year (``ccode1 < ccode2``) counts of the events held or
  signed that year, and the most senior level that met.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from defkg.errors import DefkgError, QueryError
from defkg.store import Store

FORMATS = ("csv", "parquet")
LEVELS = {1: "head of state or government", 2: "minister", 3: "chief of defence or service chief",
          4: "other general officer or senior official", 5: "other"}  # fmt: skip
EVENT_COLUMNS = (
    "event_id", "type", "subtype", "date", "year", "date_source", "iso3_1", "iso3_2", "ccode1", "ccode2",
    "state1", "state2", "direction", "host_iso3", "place", "place_qid", "principal_1", "principal_2",
    "level_1", "level_2", "status", "title", "source_url", "published", "evidence",
)  # fmt: skip
DYAD_COLUMNS = (
    "ccode1", "ccode2", "iso3_1", "iso3_2", "year", "meetings", "calls", "visits_1_to_2", "visits_2_to_1",
    "agreements_signed", "exercises", "max_level", "events",
)  # fmt: skip

# Each fact once, one kind of fact per row: the union of the graphs gives a fact once per report
# that tells it, so patterns joined in one row would multiply the rows by the reports of a meeting
# at each pattern (oxigraph#1919). The rows are gathered into sets below.
_ENGAGEMENTS = """
SELECT ?e ?kind ?t ?date ?status ?article ?url ?published ?name WHERE {
  { SELECT DISTINCT ?e ?kind WHERE {
      { ?e a dk:Meeting . BIND("meeting" AS ?kind) }
      UNION { ?e a dk:DefenceAgreement . BIND("agreement" AS ?kind) }
      UNION { ?e a dk:Exercise . BIND("exercise" AS ?kind) } } }
  OPTIONAL {
    { SELECT DISTINCT ?e ?t WHERE { ?e a dk:Meeting , ?t } }
    UNION { SELECT DISTINCT ?e ?t WHERE { ?e a dk:DefenceAgreement ; dk:agreementKind ?t } }
    UNION { SELECT DISTINCT ?e ?t WHERE { ?e a dk:Exercise ; dk:militaryDomain ?t } }
    UNION { SELECT DISTINCT ?e ?date WHERE { ?e a dk:Meeting ; schema:startDate ?date } }
    UNION { SELECT DISTINCT ?e ?date WHERE { ?e a dk:DefenceAgreement ; dk:signedOn ?date } }
    UNION { SELECT DISTINCT ?e ?date WHERE { ?e a dk:Exercise ; schema:startDate ?date } }
    UNION { SELECT DISTINCT ?e ?name WHERE { ?e a dk:DefenceAgreement ; schema:name ?name } }
    UNION { SELECT DISTINCT ?e ?name WHERE { ?e a dk:Exercise ; schema:name ?name } }
    UNION { SELECT DISTINCT ?e ?status WHERE { ?e dk:status ?status } }
    UNION { SELECT DISTINCT ?e ?article ?url ?published WHERE { ?e dk:reportedIn ?article .
             OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article schema:datePublished ?published } } }
  }
}"""
_STATES = """
SELECT DISTINCT ?e ?role ?iso WHERE {
  { ?e a dk:Meeting ; dk:participatingState ?s . BIND("party" AS ?role) }
  UNION { ?e a dk:Meeting ; dk:hostState ?s . BIND("host" AS ?role) }
  UNION { ?e a dk:DefenceAgreement ; dk:party ?s . BIND("party" AS ?role) }
  UNION { ?e a dk:Exercise ; dk:exerciseState ?s . BIND("party" AS ?role) }
  UNION { ?e a dk:Exercise ; dk:exerciseHost ?s . BIND("host" AS ?role) }
  ?s dk:iso3 ?iso .
}"""
_PLACES = """
SELECT DISTINCT ?e ?label ?lang ?qid WHERE {
  ?e schema:location ?p . FILTER EXISTS { ?e dk:reportedIn ?a }
  OPTIONAL { ?p rdfs:label ?label BIND(LANG(?label) AS ?lang) }
  OPTIONAL { ?p dk:wikidata ?w BIND(STRAFTER(STR(?w), "/entity/") AS ?qid) }
}"""
_PEOPLE = """
SELECT ?e ?p ?head ?name ?iso ?title ?tlang ?nato WHERE {
  {
    SELECT DISTINCT ?e ?p ?head WHERE {
      { { SELECT DISTINCT ?e ?p WHERE { ?e dk:participant ?p } }
        OPTIONAL { SELECT DISTINCT ?e ?p ?h WHERE {
                     ?e dk:hasDelegation ?d . ?d dk:headOfDelegation ?p BIND(1 AS ?h) } }
        BIND(BOUND(?h) AS ?head) }
      UNION { SELECT DISTINCT ?e ?p ?head WHERE { ?e dk:signatory ?p BIND(true AS ?head) } }
    }
  }
  OPTIONAL {
    { SELECT ?p ?name WHERE { ?p foaf:name ?name } }
    UNION { SELECT ?p ?iso WHERE { ?p dk:nationality ?s . ?s dk:iso3 ?iso } }
    UNION { SELECT DISTINCT ?p ?title ?tlang WHERE {
              { SELECT DISTINCT ?p ?post WHERE { ?p org:holds ?post } }
              { SELECT DISTINCT ?post ?title WHERE { ?post dk:title ?title } }
              BIND(LANG(?title) AS ?tlang) } }
    UNION { SELECT DISTINCT ?p ?nato WHERE { ?p dk:rank ?r . ?r dk:natoCode ?nato } }
  }
}"""
# the sentence a fact was read from: a literal (dk:sentence) or a dk:Sentence node's dk:text
_EVIDENCE = """
SELECT ?e ?text ?i1 ?i2 WHERE {
  ?ev rdf:subject ?e ; rdf:predicate dk:reportedIn ; dk:sentence ?s .
  OPTIONAL { ?s dk:text ?t }
  OPTIONAL { ?ev dk:sentenceIndex ?i1 }
  OPTIONAL { ?s dk:sentenceIndex ?i2 }
  BIND(IF(isLITERAL(?s), ?s, ?t) AS ?text)
}"""


@dataclass
class _Engagement:
    iri: str
    kind: str
    types: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    articles: dict[str, tuple[str, str]] = field(default_factory=dict)  # article -> (url, published)
    names: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    place: str = ""
    place_qid: str = ""
    evidence: str = ""
    people: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    events: list[dict[str, Any]]
    dyad_years: list[dict[str, Any]]


def _rows(store: Store, sparql: str) -> list[list[str | None]]:
    try:
        return [[t.value if t is not None else None for t in sol] for sol in store.query(sparql)]
    except (SyntaxError, OSError, RuntimeError) as e:
        raise QueryError(f"dataset query failed: {e}") from e


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _data(name: str) -> Path:
    return Path(str(resources.files("defkg"))) / "data" / name


def _table(name: str) -> list[dict[str, str]]:
    """The rows of ``data/NAME`` (the gazetteers' reader, imported here: not to list the commands)."""
    from defkg.gazetteer import read_tsv

    return read_tsv(_data(name))


def cow_codes() -> dict[str, int]:
    """ISO3 -> Correlates of War state code (``data/states.tsv``)."""
    return {r["iso3"]: int(r["cow"]) for r in _table("states.tsv") if r.get("cow", "").isdigit()}


def state_labels() -> dict[str, str]:
    return {r["iso3"]: r["label_en"] for r in _table("states.tsv")}


class Levels:
    """An official's level (1-5) from their titles and rank (``data/official_levels.tsv``)."""

    def __init__(self) -> None:
        from defkg.gazetteer import forms

        self.by_title: dict[str, int] = {}
        self.by_rank: dict[str, int] = {}
        self._titles: dict[tuple[str, str], int] = {}
        for r in _table("official_levels.tsv"):
            target = self.by_title if r["kind"] == "title" else self.by_rank
            for k in forms(r["keys"]):
                target.setdefault(k, int(r["level"]))

    def level(self, titles: set[tuple[str, str]], ranks: set[str]) -> int:
        best = 5
        for title in titles:
            best = min(best, self._title_level(title))
        for r in ranks:
            best = min(best, self.by_rank.get(r, 5))
        return best

    def _title_level(self, title: tuple[str, str]) -> int:
        """The level of one (title, language), read once: the same titles come back in every
        meeting (21,511 participations on 1M quads: 4.8 -> ~0.1 s)."""
        cached = self._titles.get(title)
        if cached is None:
            from defkg.pipeline.tokens import find, tokenize

            text, lang = title
            cached = 5
            for m in find(tokenize(text), lang if lang in ("en", "tr") else "en"):
                for e in m.entries:
                    if e.category == "title" and e.key in self.by_title:
                        cached = min(cached, self.by_title[e.key])
            self._titles[title] = cached
        return cached


def read(store: Store) -> Dataset:
    """Both tables, from the store's engagements."""
    found: dict[str, _Engagement] = {}
    for e, kind, t, d, status, article, url, published, name in _rows(store, _ENGAGEMENTS):
        if e is None or kind is None:
            continue
        g = found.setdefault(e, _Engagement(e, kind))
        if t:
            g.types.add(_local(t))
        if d:
            g.dates.add(d[:10])
        if status:
            g.statuses.add(_local(status))
        if article:
            g.articles[article] = (url or "", (published or "")[:10])
        if name:
            g.names.add(name)
    for e, role, iso in _rows(store, _STATES):
        if e in found and iso:
            (found[e].parties if role == "party" else found[e].hosts).add(iso)
    places: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for e, label, lang, qid in _rows(store, _PLACES):
        if e in found:
            places[e].append((lang or "", label or "", qid or ""))
    for e, cands in places.items():
        en = [c for c in cands if c[0] == "en"] or cands
        found[e].place = sorted(c[1] for c in en)[0]
        found[e].place_qid = next((c[2] for c in cands if c[2]), "")
    for e, p, head, name, iso, title, tlang, nato in _rows(store, _PEOPLE):
        if e not in found or p is None:
            continue
        person = found[e].people.setdefault(
            p, {"name": name or "", "state": iso, "head": False, "titles": set(), "ranks": set()}
        )
        person["head"] = person["head"] or head == "true"
        if name and not person["name"]:
            person["name"] = name
        if iso and not person["state"]:
            person["state"] = iso
        if title:
            person["titles"].add((title, tlang or "en"))
        if nato:
            person["ranks"].add(nato)
    evidence: dict[str, tuple[int, str]] = {}
    for e, text, i1, i2 in _rows(store, _EVIDENCE):
        if e in found and text:
            i = int(i1 or i2 or 0)
            if e not in evidence or (i, text) < evidence[e]:
                evidence[e] = (i, text)
    for e, (_, text) in evidence.items():
        found[e].evidence = " ".join(text.split())
    events = _events(found)
    return Dataset(events, _dyad_years(events))


def _type(g: _Engagement) -> str:
    if g.kind != "meeting":
        return g.kind
    if "PhoneCall" in g.types:
        return "call"
    if g.hosts & g.parties or g.types & {"OfficialVisit", "CourtesyCall"}:
        return "visit"
    return "meeting"


def _events(found: dict[str, _Engagement]) -> list[dict[str, Any]]:
    cow, labels, levels = cow_codes(), state_labels(), Levels()
    out = []
    for iri in sorted(found):
        g = found[iri]
        if len(g.parties) < 2:
            continue
        kind = _type(g)
        subtype = sorted(g.types - {"Meeting"})[0] if g.types - {"Meeting"} else ""
        status = sorted(g.statuses)[0] if g.statuses else ""
        article = sorted(g.articles)[0] if g.articles else ""
        url, published = g.articles.get(article, ("", ""))
        when = min(g.dates) if g.dates else ""
        year = when[:4] if when else (published[:4] if published else "")
        side_level: dict[str, int] = {}
        principal: dict[str, tuple[bool, int, str]] = {}
        for person in g.people.values():
            state = person["state"]
            if not state:
                continue
            lv = levels.level(person["titles"], person["ranks"])
            side_level[state] = min(side_level.get(state, 5), lv)
            cand = (not person["head"], lv, person["name"])
            if state not in principal or cand < principal[state]:
                principal[state] = cand
        host = sorted(g.hosts & g.parties)[0] if len(g.hosts & g.parties) == 1 else ""
        for a, b in itertools.combinations(sorted(g.parties, key=lambda s: (cow.get(s, 10**6), s)), 2):
            direction = ""
            if kind == "visit" and host in (a, b):
                direction = "2_to_1" if host == a else "1_to_2"
            out.append(
                {
                    "event_id": iri,
                    "type": kind,
                    "subtype": subtype,
                    "date": when,
                    "year": int(year) if year else None,
                    "date_source": "stated" if when else ("published" if year else ""),
                    "iso3_1": a,
                    "iso3_2": b,
                    "ccode1": cow.get(a),
                    "ccode2": cow.get(b),
                    "state1": labels.get(a, a),
                    "state2": labels.get(b, b),
                    "direction": direction,
                    "host_iso3": host,
                    "place": g.place,
                    "place_qid": g.place_qid,
                    "principal_1": principal[a][2] if a in principal else "",
                    "principal_2": principal[b][2] if b in principal else "",
                    "level_1": side_level.get(a),
                    "level_2": side_level.get(b),
                    "status": status,
                    "title": sorted(g.names)[0] if g.names else "",
                    "source_url": url,
                    "published": published,
                    "evidence": g.evidence,
                }
            )
    return out


def counted(event: dict[str, Any]) -> bool:
    """Does the event count in dyad_years? Meetings, calls and visits reported as held; agreements
    signed (reported or recalled with their date); exercises held, or announced with a start date."""
    status, kind = event["status"], event["type"]
    if kind == "agreement":
        return status in ("Reported", "Recalled") and (status == "Reported" or bool(event["date"]))
    if kind == "exercise":
        return status == "Reported" or (status == "Planned" and bool(event["date"]))
    return status == "Reported"


def _dyad_years(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cells: dict[tuple[int, int, int], dict[str, Any]] = {}
    for ev in events:
        c1, c2, year = ev["ccode1"], ev["ccode2"], ev["year"]
        if c1 is None or c2 is None or year is None or c1 == c2 or not counted(ev):
            continue
        cell = cells.setdefault(
            (c1, c2, year),
            {
                "ccode1": c1, "ccode2": c2, "iso3_1": ev["iso3_1"], "iso3_2": ev["iso3_2"], "year": year,
                "meetings": 0, "calls": 0, "visits_1_to_2": 0, "visits_2_to_1": 0, "agreements_signed": 0,
                "exercises": 0, "max_level": None, "events": 0,
            },
        )  # fmt: skip
        kind = ev["type"]
        cell["events"] += 1
        if kind in ("meeting", "visit"):
            cell["meetings"] += 1
            if ev["direction"]:
                cell["visits_" + ev["direction"]] += 1
        elif kind == "call":
            cell["calls"] += 1
        elif kind == "agreement":
            cell["agreements_signed"] += 1
        elif kind == "exercise":
            cell["exercises"] += 1
        for lv in (ev["level_1"], ev["level_2"]):
            if lv is not None and (cell["max_level"] is None or lv < cell["max_level"]):
                cell["max_level"] = lv
    return [cells[k] for k in sorted(cells)]


def codebook() -> str:
    """The codebook (``docs/codebook.md``, shipped in the package as ``data/codebook.md``)."""
    return _data("codebook.md").read_text(encoding="utf-8")


def write(data: Dataset, out: str | Path, fmt: str = "csv") -> list[Path]:
    """Write ``events`` and ``dyad_years`` (CSV, UTF-8, or Parquet) and the codebook into directory
    ``out``."""
    if fmt not in FORMATS:
        raise DefkgError(f"unknown dataset format {fmt!r} (one of {', '.join(FORMATS)})")
    target = Path(out)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DefkgError(f"{out}: cannot create the output directory ({e.strerror})") from e
    written = []
    for name, rows, columns in (
        ("events", data.events, EVENT_COLUMNS),
        ("dyad_years", data.dyad_years, DYAD_COLUMNS),
    ):
        path = target / f"{name}.{fmt}"
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
                w.writeheader()
                for r in rows:
                    w.writerow({k: "" if r[k] is None else r[k] for k in columns})
        else:
            _parquet(rows, columns, path)
        written.append(path)
    book = target / "codebook.md"
    book.write_text(codebook(), encoding="utf-8")
    written.append(book)
    return written


def _parquet(rows: list[dict[str, Any]], columns: tuple[str, ...], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise DefkgError("Parquet needs pyarrow: pip install 'defkg[parquet]'") from e
    ints = {"year", "ccode1", "ccode2", "level_1", "level_2", "meetings", "calls", "visits_1_to_2",
            "visits_2_to_1", "agreements_signed", "exercises", "max_level", "events"}  # fmt: skip
    schema = pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in columns])
    table = pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows], schema=schema)
    pq.write_table(table, path)
