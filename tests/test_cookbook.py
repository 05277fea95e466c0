"""Every cookbook query (docs/cookbook/*.rq) runs on a store of tests/corpus, and its answer is
checked against the same answer computed in Python from the store's triples (and, where the
corpus's expected facts pin one down, against that fact); docs/cookbook.md is in step."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from defkg import queries
from defkg.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = ROOT / "docs" / "cookbook"
spec = importlib.util.spec_from_file_location("gen_cookbook", ROOT / "tools" / "gen_cookbook.py")
assert spec and spec.loader
gen = importlib.util.module_from_spec(spec)
sys.modules["gen_cookbook"] = gen  # dataclasses look their module up
spec.loader.exec_module(gen)

DK, SCHEMA, FOAF, SKOS = PREFIXES["dk"], PREFIXES["schema"], PREFIXES["foaf"], PREFIXES["skos"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = PREFIXES["prov"]
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class Triples:
    """The union of the store's graphs as sets of (subject, object) per predicate: the oracle."""

    def __init__(self, store: Path) -> None:
        s = ox.Store.read_only(str(store))
        self.by_p: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.tagged: set[tuple[str, str, str, str]] = set()  # (s, p, o, language) of tagged literals
        for q in s:
            sub, p, o = q.subject.value, q.predicate.value, q.object
            self.by_p[p].add((sub, o.value))
            if isinstance(o, ox.Literal) and o.language:
                self.tagged.add((sub, p, o.value, o.language))

    def pairs(self, p: str) -> set[tuple[str, str]]:
        return self.by_p.get(p, set())

    def objects(self, p: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for s, o in self.pairs(p):
            out[s].add(o)
        return out

    def one(self, p: str) -> dict[str, str]:
        return {s: min(os) for s, os in self.objects(p).items()}

    def typed(self, cls: str) -> set[str]:
        return {s for s, o in self.pairs(RDF_TYPE) if o == cls}

    def label(self, p: str = SKOS + "prefLabel", lang: str = "en") -> dict[str, str]:
        return {s: o for s, p2, o, tag in self.tagged if p2 == p and tag == lang}


@pytest.fixture(scope="module")
def t(corpus_store: Path) -> Triples:
    return Triples(corpus_store)


def run(store: Path, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    text = (COOKBOOK / name).read_text(encoding="utf-8")
    if params:
        text = queries.substitute(text, params)
    table = queries.query_table(store, text)
    return [{v: c["value"] for v, c in zip(table.vars, row, strict=True) if c} for row in table.rows]


def meetings_with(t: Triples) -> dict[str, set[str]]:
    states = t.objects(DK + "participatingState")
    return {m: states.get(m, set()) for m in t.typed(DK + "Meeting")}


def no_duplicates(rows: list[dict[str, str]]) -> None:
    keys = [tuple(sorted(r.items())) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate rows"


def check_01(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, start = t.label(), t.one(SCHEMA + "startDate")
    expected = {m: {en[s] for s in ss} for m, ss in meetings_with(t).items() if ss}
    assert {r["meeting"] for r in rows} == set(expected)
    for r in rows:
        assert set(r["states"].split(" – ")) == expected[r["meeting"]]
        assert r.get("start") == start.get(r["meeting"])


def check_02(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, name = t.label(), t.one(FOAF + "name")
    of, heads = t.one(DK + "delegationOf"), t.objects(DK + "headOfDelegation")
    expected = {
        (m, en[of[d]], name[h])
        for m, d in t.pairs(DK + "hasDelegation")
        if d in of and m in t.typed(DK + "Meeting")
        for h in heads.get(d, ())
        if h in name
    }
    assert {(r["meeting"], r["stateLabel"], r["headName"]) for r in rows} == expected
    # the corpus's phone call of 2025-12-10: each side led by its minister
    call = {(r["stateLabel"], r["headName"]) for r in rows if r.get("start") == "2025-12-10"}
    assert {("Türkiye", "Yaşar Güler"), ("United States", "Pete Hegseth")} <= call


def check_03(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    per: dict[str, set[str]] = defaultdict(set)
    meetings = t.typed(DK + "Meeting")
    for m, p in t.pairs(DK + "participant"):
        if m in meetings:
            per[p].add(m)
    name, nat = t.one(FOAF + "name"), t.one(DK + "nationality")
    expected = {p: len(ms) for p, ms in per.items() if len(ms) >= 2 and p in name and p in nat}
    assert {r["person"]: int(r["meetings"]) for r in rows} == expected
    assert rows == sorted(rows, key=lambda r: (-int(r["meetings"]), r["name"]))
    assert any(r["name"] == "Yaşar Güler" for r in rows)


def check_04(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    tur, usa = PREFIXES["dkr"] + "state/TUR", PREFIXES["dkr"] + "state/USA"
    expected = {m for m, ss in meetings_with(t).items() if {tur, usa} <= ss}
    assert {r["meeting"] for r in rows} == expected and len(rows) == len(expected)
    assert "2025-12-10" in {r.get("start") for r in rows}
    kinds = t.objects(RDF_TYPE)
    for r in rows:
        assert r["kind"] in kinds[r["meeting"]]
    dated = [r["start"] for r in rows if "start" in r]
    assert dated == sorted(dated)


def check_05(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    start, expected = t.one(SCHEMA + "startDate"), defaultdict(set)
    meetings = t.typed(DK + "Meeting")
    for m, topic in t.pairs(DK + "topic"):
        if m in meetings and m in start:
            expected[(start[m][:4], topic)].add(m)
    assert {(r["year"], r["topic"]): int(r["meetings"]) for r in rows} == {
        k: len(v) for k, v in expected.items()
    }


def check_06(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, counts = t.label(), defaultdict(int)
    for ss in meetings_with(t).values():
        for a in ss:
            for b in ss - {a}:
                counts[(en[a], en[b])] += 1
    got = {(r["stateLabel"], r["partnerLabel"]): int(r["meetings"]) for r in rows}
    assert got == dict(counts)
    assert all(got[(b, a)] == n for (a, b), n in got.items())  # symmetric


def check_07(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    rank, nato = t.objects(DK + "rank"), t.one(DK + "natoCode")
    heads = {h for _, h in t.pairs(DK + "headOfDelegation")}
    expected: dict[str, set[str]] = defaultdict(set)
    for h in heads:
        for r in rank.get(h, ()):
            expected[r].add(h)
    assert {r["rank"]: int(r["heads"]) for r in rows} == {k: len(v) for k, v in expected.items()}
    assert all(r.get("natoCode") == nato.get(r["rank"]) for r in rows)


def check_08(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    subj, pred, obj = t.one(RDF + "subject"), t.one(RDF + "predicate"), t.one(RDF + "object")
    sent, text, quoted = t.one(DK + "sentence"), t.one(DK + "text"), t.one(PROV + "wasQuotedFrom")
    expected = {
        (subj[e], obj[e], text[sent[e]], quoted[sent[e]])
        for e in sent  # the evidence nodes: the subjects of dk:sentence (untyped in the store)
        if pred.get(e) == DK + "participatingState" and sent[e] in text
    }
    assert {(r["meeting"], r["state"], r["sentence"], r["article"]) for r in rows} == expected
    # every (meeting, state) fact has its sentence
    facts = {(m, s) for m, s in t.pairs(DK + "participatingState")}
    assert {(r["meeting"], r["state"]) for r in rows} == facts


def _count_by(t: Triples, p: str) -> dict[str, int]:
    meetings, out = t.typed(DK + "Meeting"), defaultdict(set)
    for m, x in t.pairs(p):
        if m in meetings:
            out[x].add(m)
    return {k: len(v) for k, v in out.items()}


def check_09(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    assert {r["host"]: int(r["meetings"]) for r in rows} == _count_by(t, DK + "hostState")


def check_10(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    assert {r["place"]: int(r["meetings"]) for r in rows} == _count_by(t, SCHEMA + "location")
    ankara = [r for r in rows if r["place"].endswith("/place/ankara")]
    assert ankara and ankara[0]["qid"] == "Q3640"


def check_11(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    calls, name = t.typed(DK + "PhoneCall"), t.one(FOAF + "name")
    expected = {(m, name[p]) for m, p in t.pairs(DK + "participant") if m in calls}
    assert {(r["meeting"], r["name"]) for r in rows} == expected
    assert {("Yaşar Güler", "Türkiye"), ("Pete Hegseth", "United States")} <= {
        (r["name"], r.get("stateLabel")) for r in rows if r.get("start") == "2025-12-10"
    }


def check_12(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, of, members = t.label(), t.one(DK + "delegationOf"), t.objects(DK + "delegationMember")
    expected = defaultdict(int)
    for m, d in t.pairs(DK + "hasDelegation"):
        expected[(m, en[of[d]])] += len(members.get(d, ()))
    assert {(r["meeting"], r["stateLabel"]): int(r["members"]) for r in rows} == dict(expected)


def check_13(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    kind = t.one(DK + "stanceKind")
    stances, meetings = defaultdict(set), defaultdict(set)
    for m, s in t.pairs(DK + "stance"):
        stances[kind[s]].add(s)
        meetings[kind[s]].add(m)
    got = {r["kind"]: (int(r["stances"]), int(r["meetings"])) for r in rows}
    assert got == {k: (len(stances[k]), len(meetings[k])) for k in stances}


def check_14(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    assert {r["meeting"]: int(r["articles"]) for r in rows} == _count_by_subject(t, DK + "reportedIn")


def _count_by_subject(t: Triples, p: str) -> dict[str, int]:
    meetings = t.typed(DK + "Meeting")
    return {m: len(xs) for m, xs in t.objects(p).items() if m in meetings}


def check_15(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    iso, start = t.one(DK + "iso3"), t.one(SCHEMA + "startDate")
    dates: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m, ss in meetings_with(t).items():
        codes = sorted(iso[s] for s in ss)
        if m in start:
            for i, a in enumerate(codes):
                for b in codes[i + 1 :]:
                    dates[(a, b)].append(start[m])
    got = {(r["a"], r["b"]): (r["first"], r["last"], int(r["dated"])) for r in rows}
    assert got == {k: (min(v), max(v), len(v)) for k, v in dates.items()}


def check_16(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    participants = {p for _, p in t.pairs(DK + "participant")}
    per: dict[str, set[str]] = defaultdict(set)
    name = t.one(FOAF + "name")
    for p, org in t.pairs(DK + "affiliation"):
        if p in participants and p in name:
            per[org].add(p)
    assert {r["org"]: int(r["people"]) for r in rows} == {k: len(v) for k, v in per.items()}


def check_17(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    start, reported = t.one(SCHEMA + "startDate"), t.objects(DK + "reportedIn")
    expected = {(m, a) for m in t.typed(DK + "Meeting") if m not in start for a in reported.get(m, ())}
    assert {(r["meeting"], r["article"]) for r in rows} == expected and expected


def check_18(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    start, per = t.one(SCHEMA + "startDate"), defaultdict(set)
    for m, ss in meetings_with(t).items():
        if m in start and len(ss) >= 2:
            per[start[m][:7]].add(m)
    assert {r["month"]: int(r["meetings"]) for r in rows} == {k: len(v) for k, v in per.items()}
    assert [r["month"] for r in rows] == sorted(per)


def check_19(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, signed = t.label(), t.one(DK + "signedOn")
    agreements = t.typed(DK + "DefenceAgreement")
    expected = {(a, en[s]) for a, s in t.pairs(DK + "party") if a in agreements}
    assert {(r["agreement"], r["stateLabel"]) for r in rows} == expected and expected
    assert {r["agreement"]: r.get("signed") for r in rows} == {a: signed.get(a) for a, _ in expected}
    assert ("2026-03-03", "Azerbaijan") in {(r.get("signed"), r["stateLabel"]) for r in rows}


def check_20(rows: list[dict[str, str]], t: Triples, store: Path) -> None:
    en, start = t.label(), t.one(SCHEMA + "startDate")
    exercises = t.typed(DK + "Exercise")
    expected = {(e, en[s]) for e, s in t.pairs(DK + "exerciseState") if e in exercises}
    assert {(r["exercise"], r["stateLabel"]) for r in rows} == expected and expected
    assert {r["exercise"]: r.get("start") for r in rows} == {e: start.get(e) for e, _ in expected}
    assert {"Türkiye", "Uzbekistan"} <= {r["stateLabel"] for r in rows if "EFES" in r["label"]}


CHECKS: dict[str, tuple[Callable[[list[dict[str, str]], Triples, Path], None], dict[str, str] | None]] = {
    "01-who-met-whom.rq": (check_01, None),
    "02-principals.rq": (check_02, None),
    "03-officials-in-several-meetings.rq": (check_03, None),
    "04-pair-timeline.rq": (check_04, {"a": "TUR", "b": "USA"}),
    "05-topics-by-year.rq": (check_05, None),
    "06-busiest-partners.rq": (check_06, None),
    "07-ranks-of-heads.rq": (check_07, None),
    "08-evidence-of-a-fact.rq": (check_08, None),
    "09-hosts.rq": (check_09, None),
    "10-places.rq": (check_10, None),
    "11-phone-calls.rq": (check_11, None),
    "12-delegations.rq": (check_12, None),
    "13-stances.rq": (check_13, None),
    "14-corroborated-meetings.rq": (check_14, None),
    "15-first-contact.rq": (check_15, None),
    "16-people-of-an-organisation.rq": (check_16, None),
    "17-undated-meetings.rq": (check_17, None),
    "18-meetings-per-month.rq": (check_18, None),
    "19-agreements-signed.rq": (check_19, None),
    "20-exercises.rq": (check_20, None),
}


def test_every_query_has_a_check() -> None:
    assert sorted(p.name for p in COOKBOOK.glob("*.rq")) == sorted(CHECKS)
    assert len(CHECKS) >= 15


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_cookbook_query(corpus_store: Path, t: Triples, name: str) -> None:
    check, params = CHECKS[name]
    rows = run(corpus_store, name, params)
    assert rows, f"{name} answered nothing on tests/corpus"
    no_duplicates(rows)
    check(rows, t, corpus_store)


def test_queries_choose_labels_by_lang(corpus_store: Path) -> None:
    text = (COOKBOOK / "01-who-met-whom.rq").read_text(encoding="utf-8").replace('"en"', '"tr"', 1)
    rows = queries.query_table(corpus_store, text).values()
    assert any("Türkiye" in r[2] and "Amerika Birleşik Devletleri" in r[2] for r in rows)


def test_page_is_in_step_with_the_files() -> None:
    page = (ROOT / "docs" / "cookbook.md").read_text(encoding="utf-8")
    assert page == gen.render(), "docs/cookbook.md is stale: run python tools/gen_cookbook.py"
    for p in COOKBOOK.glob("*.rq"):
        assert gen.parse(p)[2] in page
