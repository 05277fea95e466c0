"""``defkg serve``: a read-only SPARQL 1.1 Protocol endpoint, exercised with a real client (SPARQLWrapper)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper

from defkg import queries
from defkg.ingest import ensure_ontology, ntriples
from defkg.model import (
    AgreementFact,
    Article,
    ExerciseFact,
    Extraction,
    MeetingFact,
    Participation,
    Person,
    PlaceRef,
    RankRef,
    Stance,
    StateRef,
    TopicRef,
)
from defkg.pipeline.reader import article_id
from defkg.pipeline.sentences import split
from defkg.pipeline.triples import to_graph
from defkg.serve import choose, make_server, serve_in_thread
from defkg.store import Store

STATES = {
    "TUR": StateRef("TUR", "Q43", "Türkiye", "Türkiye"),
    "GBR": StateRef("GBR", "Q145", "United Kingdom", "Birleşik Krallık"),
    "JPN": StateRef("JPN", "Q17", "Japan", "Japonya"),
    "PAK": StateRef("PAK", "Q843", "Pakistan", "Pakistan"),
}

# Our own short reports (written for these tests) and what an extractor takes from them.
ARTICLES = [
    (
        "tr",
        "Türkiye ile Birleşik Krallık heyetleri Ankara'da\n\n"
        "Türkiye ile Birleşik Krallık arasındaki savunma istişareleri 3-4 Mart'ta Ankara'da yapıldı. "
        "Türk heyetine Tümgeneral Deniz Aksoy, İngiliz heyetine Air Vice-Marshal Tom Reed başkanlık etti. "
        "Görüşmede Karadeniz ele alındı.",
        MeetingFact(
            kind="Consultations",
            states=("GBR", "TUR"),
            host="TUR",
            start=date(2025, 3, 3),
            end=date(2025, 3, 4),
            place=PlaceRef("ankara", "Ankara", qid="Q3640", state="TUR"),
            participants=(
                Participation(
                    Person("Deniz Aksoy", "TUR", rank=RankRef("tumgeneral", "Tümgeneral", nato="OF-7")),
                    head=True,
                    evidence=(1,),
                ),
                Participation(Person("Tom Reed", "GBR", title="Air Vice-Marshal"), head=True, evidence=(1,)),
            ),
            topics=(TopicRef("black-sea", "Karadeniz", "Region", qid="Q166", label_en="Black Sea"),),
            evidence=(0, 1),
        ),
    ),
    (
        "en",
        "Japan and UK defence ministers meet\n\n"
        "On 10 June 2025 the defence ministers of Japan and the United Kingdom, Aiko Mori and Ruth Lane, "
        "met in Tokyo. They discussed the Indo-Pacific.",
        MeetingFact(
            kind="MinisterialMeeting",
            states=("GBR", "JPN"),
            host="JPN",
            start=date(2025, 6, 10),
            place=PlaceRef("tokyo", "Tokyo", qid="Q1490", state="JPN"),
            participants=(
                Participation(
                    Person("Aiko Mori", "JPN", title="Minister of Defense"), head=True, evidence=(1,)
                ),
                Participation(
                    Person("Ruth Lane", "GBR", title="Defence Secretary"), head=True, evidence=(1,)
                ),
            ),
            topics=(TopicRef("indo-pacific", "the Indo-Pacific", "Region", qid="Q1247479"),),
            stances=(
                Stance(
                    "Support",
                    "support for a free and open Indo-Pacific",
                    TopicRef("indo-pacific", "the Indo-Pacific", "Region", qid="Q1247479"),
                    evidence=(1,),
                ),
            ),
            evidence=(1,),
        ),
    ),
    (
        "en",
        "Pakistani army chief visits Türkiye\n\n"
        "Pakistan's army chief, General Omar Tariq, visited Ankara on 2 May 2025 and met Deniz Aksoy.",
        MeetingFact(
            kind="OfficialVisit",
            states=("PAK", "TUR"),
            host="TUR",
            start=date(2025, 5, 2),
            participants=(
                Participation(Person("Omar Tariq", "PAK", rank=RankRef("general", "General")), head=True),
                Participation(Person("Deniz Aksoy", "TUR"), evidence=(1,)),
            ),
            evidence=(1,),
        ),
    ),
]


def extractions() -> list[Extraction]:
    out = []
    for lang, text, meeting in ARTICLES:
        art = Article(
            id=article_id(text),
            text=text,
            language=lang,
            url=f"https://example.org/{article_id(text)}",
            published=meeting.start,
            title=text.splitlines()[0],
            sentences=split(text),
        )
        out.append(Extraction(article=art, meetings=(meeting,), states=STATES, **_engagements(out, meeting)))
    return out


def _engagements(done: list[Extraction], meeting: MeetingFact) -> dict:
    """The first article also reports an agreement signed at its meeting and an exercise (so that the
    named queries agreements and exercises have rows)."""
    if done:
        return {}
    return {
        "agreements": (
            AgreementFact("MemorandumOfUnderstanding", meeting.states, "memorandum of understanding",
                          signed=meeting.start, meeting=0, evidence=(0,)),
        ),
        "exercises": (ExerciseFact(meeting.states, name="Test Shield", start=meeting.start, evidence=(0,)),),
    }  # fmt: skip


def build_store(path: Path) -> Path:
    """A store holding the graphs of the hand-made extractions above."""
    payloads = []
    for x in extractions():
        g = to_graph(x)
        payloads.append((str(g.identifier), ntriples(g)))
    with Store(path) as st:
        ensure_ontology(st)
        st.replace_graphs(payloads)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def server(store_dir: Path):  # type: ignore[no-untyped-def]
    srv = make_server(store_dir, port=free_port(), timeout=2.0, workers=2)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


def rows(table: queries.Table) -> set[tuple]:
    return {tuple(json.dumps(t, sort_keys=True) if t else None for t in r) for r in table.rows}


@pytest.mark.parametrize("name", sorted(queries.named_queries()))
def test_named_query_same_over_http(server, store_dir: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    from defkg import remote

    sparql = queries.named_queries()[name].text
    if name == "meetings-between":
        sparql = queries.substitute(sparql, {"a": "TUR", "b": "GBR"})
    with Store(store_dir, read_only=True) as st:
        local = queries.to_table(st.query(sparql))
    over_http = remote.query(server.url, sparql)
    assert over_http.vars == local.vars
    assert rows(over_http) == rows(local)


def test_sparqlwrapper_select_json(server) -> None:  # type: ignore[no-untyped-def]
    sw = SPARQLWrapper(server.url)
    sw.setQuery("SELECT ?m WHERE { ?m a dk:Meeting } ORDER BY ?m")
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    meetings = [b["m"]["value"] for b in result["results"]["bindings"]]
    assert len(meetings) == 3
    assert all(m.startswith("https://w3id.org/defkg/id/meeting/") for m in meetings)


def test_sparqlwrapper_post_csv(server) -> None:  # type: ignore[no-untyped-def]
    sw = SPARQLWrapper(server.url)
    sw.setMethod(POST)
    sw.setQuery("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?m dk:participant ?p }")
    sw.setReturnFormat(CSV)
    text = sw.query().convert().decode("utf-8")
    assert text.split() == ["n", "5"]


def test_rdflib_sparqlstore(server) -> None:  # type: ignore[no-untyped-def]
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    st = SPARQLStore(server.url, returnFormat="json")
    res = list(st.query("ASK { ?m a <https://w3id.org/defkg/ontology#OfficialVisit> }"))
    assert res == [True]


def _http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):  # type: ignore[no-untyped-def]
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b"DROP ALL", "application/sparql-update"),
        (b"update=" + urllib.parse.quote_plus("CLEAR ALL").encode(), "application/x-www-form-urlencoded"),
        (
            b"query=" + urllib.parse.quote_plus("INSERT DATA { <a:b> <a:c> <a:d> }").encode(),
            "application/x-www-form-urlencoded",
        ),
        (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-query"),
    ],
)
def test_updates_are_refused(server, store_dir: Path, body: bytes, ctype: str) -> None:  # type: ignore[no-untyped-def]
    status, _, _ = _http(server.url, body, {"Content-Type": ctype})
    assert status == 403
    status, _, out = _http(server.url + "?query=" + urllib.parse.quote("ASK { ?m a dk:Meeting }"))
    assert status == 200 and json.loads(out)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_results_format_by_accept(server, accept: str, ctype: str) -> None:  # type: ignore[no-untyped-def]
    q = urllib.parse.quote("SELECT ?s WHERE { ?s a dk:State }")
    status, got, body = _http(f"{server.url}?query={q}", headers={"Accept": accept})
    assert status == 200 and got.startswith(ctype) and body


def test_construct_as_turtle(server) -> None:  # type: ignore[no-untyped-def]
    q = urllib.parse.quote("CONSTRUCT { ?s a dk:State } WHERE { ?s a dk:State }")
    status, got, body = _http(f"{server.url}?query={q}", headers={"Accept": "text/turtle"})
    assert status == 200 and got.startswith("text/turtle") and b"/state/TUR>" in body


@pytest.mark.parametrize(
    ("url_tail", "status"),
    [("?query=SELEKT", 400), ("?query=", 400), ("/nowhere", 404)],
)
def test_bad_requests(server, url_tail: str, status: int) -> None:  # type: ignore[no-untyped-def]
    url = server.url + url_tail if url_tail.startswith("?") else server.url.rsplit("/", 1)[0] + url_tail
    assert _http(url)[0] == status


def test_slow_query_times_out_and_server_recovers(server) -> None:  # type: ignore[no-untyped-def]
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _, body = _http(server.url + "?query=" + urllib.parse.quote(slow))
    assert status == 503, body
    status, _, body = _http(server.url + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
    assert status == 200


def test_home_page(server) -> None:  # type: ignore[no-untyped-def]
    status, ctype, _body = _http(server.url.rsplit("/", 1)[0] + "/")
    assert status == 200 and ctype.startswith("text/html")


def test_binds_localhost_by_default(server) -> None:  # type: ignore[no-untyped-def]
    assert server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize(
    ("accept", "graph", "expected"),
    [
        ("", False, "JSON"),
        ("text/csv;q=0.5, application/sparql-results+xml", False, "XML"),
        ("text/csv;q=0.9, text/tab-separated-values;q=1.0", False, "TSV"),
        ("text/turtle", True, "TURTLE"),
        ("application/sparql-results+json, */*;q=0.1", True, "N_TRIPLES"),
        ("text/*", True, "TURTLE"),
        ("application/*", False, "JSON"),
        ("application/sparql-results+json", True, None),  # answered 406
        ("image/png", False, None),
    ],
)
def test_choose(accept: str, graph: bool, expected: str | None) -> None:
    got = choose(accept, graph)
    assert (got[0] if got else None) == expected


def test_no_store(tmp_path: Path) -> None:
    from defkg.errors import DefkgError

    with pytest.raises(DefkgError):
        make_server(tmp_path / "missing", port=free_port())
