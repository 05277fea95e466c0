"""The HTML view in a real browser: Debian's Chromium driven by Playwright, network blocked.

Skips (with the reason) when Playwright or Chromium is missing locally; CI installs both
(`.ci/run` installs the `chromium` package; Playwright comes with the test extras and
never downloads a browser here); with CI=true a missing browser fails the run (conftest.py).
The page tested here is `defkg view --knowledge`; the analyst's page is tested in
test_page_browser.py. Screenshots go to a temporary directory (the README's pictures are
regenerated on request by docs/img/screenshots.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

from conftest import missing
from defkg import view
from test_analysis import ARTICLES, HOSTILE, build_store
from test_view import hostile_graph, synthetic_graph

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("DEFKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

try:
    from playwright import sync_api
except ImportError:
    missing("playwright is not installed (pip install -e '.[test]')", module=True)
if not Path(CHROMIUM).exists():
    missing(f"no Chromium at {CHROMIUM} (apt-get install chromium; or set DEFKG_CHROMIUM)", module=True)


class Session:
    """A page on a file:// URL with every other request refused and recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.defkgStable === true", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _request(self, request) -> None:
        if request.url.split(":", 1)[0].lower() in ("http", "https", "ws", "wss", "ftp"):
            self.external.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def node_id(self, label: str) -> int:
        return self.page.evaluate("l => nodes.get({filter: n => n.full === l})[0].id", label)

    def node_point(self, label: str) -> tuple[float, float]:
        """Viewport coordinates of a node's centre."""
        return tuple(
            self.page.evaluate(
                """id => {
                const p = network.canvasToDOM(network.getPositions([id])[id]);
                const r = document.getElementById("mynetwork").getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""",
                self.node_id(label),
            )
        )

    def click_node(self, label: str) -> None:
        self.page.evaluate("id => network.focus(id, {scale: 1.5, animation: false})", self.node_id(label))
        x, y = self.node_point(label)
        self.page.mouse.click(x, y)

    def info(self) -> str:
        return self.page.inner_text("#defkg-info-body")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("browser")
    store = build_store(d / "store")
    html = view.view_html(store, title="defkg test")
    store.close()
    path = d / "graph.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def session(browser, page_file):
    s = Session(browser, page_file)
    yield s
    s.close()


def test_loads_offline_and_draws_every_node(session):
    assert session.page.evaluate("network.body.data.nodes.length") == 25
    drawn = session.page.evaluate("Object.keys(network.getPositions()).length")
    assert drawn == 25
    assert session.page.evaluate("network.physics.physicsEnabled") is False  # stopped after stabilising
    assert session.page.inner_text("#defkg-count") == "25 of 25 nodes"
    assert session.external == []
    assert session.errors == []


@pytest.mark.parametrize("label", [HOSTILE, "Libya – Türkiye talks, 2024-09-05"])
def test_hostile_text_is_shown_not_run(session, label):
    session.click_node(label)
    session.page.wait_for_function("document.querySelector('#defkg-info-body h3') !== null")
    text = session.info()
    assert HOSTILE in text  # shown as text: the name, or the headline / tooltip of the meeting
    assert session.page.evaluate("document.querySelectorAll('img').length") == 0
    # the meeting's article URL is javascript:..., so no link is made
    assert session.page.evaluate("document.querySelectorAll('#defkg-info-body a').length") == 0
    # hovering shows the plain-text tooltip
    x, y = session.node_point(label)
    session.page.mouse.move(x + 1, y + 1)
    session.page.mouse.move(x, y)
    session.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert HOSTILE in session.page.inner_text("div.vis-tooltip")
    # plain text: innerText turns line breaks into <br>, nothing else becomes an element
    tags = session.page.evaluate("[...document.querySelectorAll('div.vis-tooltip *')].map(e => e.tagName)")
    assert set(tags) <= {"BR"}
    assert session.page.evaluate("document.querySelectorAll('img').length") == 0
    assert session.dialogs == []
    assert session.errors == []
    assert session.external == []


def test_click_meeting_shows_facts_evidence_and_source(session):
    session.click_node("Germany – Türkiye talks, 2024-06-10")
    session.page.wait_for_function("document.querySelector('#defkg-info-body a') !== null")
    text = session.info()
    assert "2024-06-10" in text and "Sentence 0 of Türkiye–Germany meeting" in text
    href = session.page.get_attribute("#defkg-info-body a", "href")
    assert href == "https://news.example/tr-de"
    assert session.page.get_attribute("#defkg-info-body a", "rel") == "noopener noreferrer nofollow"
    assert session.external == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("klaus", "Klaus Weber"),
        ("KLAUS W", "Klaus Weber"),
        ("ayse", "Ayşe Demir"),
        ("AYŞE", "Ayşe Demir"),
        ("Turkish arm", "Turkish Armed Forces"),
    ],
)
def test_search_finds_and_focuses(session, query, found):
    session.page.fill("#defkg-search", query)
    session.page.click("#defkg-results-list button")
    assert found in session.info()
    selected = session.page.evaluate("network.getSelectedNodes()")
    assert selected == [session.node_id(found)]


@pytest.mark.parametrize(
    ("state", "lo", "hi", "unchecked", "count"),
    [
        ("DEU", "", "", [], "7 of 25 nodes"),  # 1 meeting, 2 states, 2 officials, 2 ministries
        ("", "2024-01-01", "2024-12-31", [], None),
        ("", "", "", ["Official", "Organization"], "12 of 25 nodes"),
        ("GBR", "2025-01-01", "", ["Meeting"], None),
    ],
)
def test_filters(session, state, lo, hi, unchecked, count):
    page = session.page
    if state:
        page.select_option("#defkg-state", state)
    if lo:
        page.fill("#defkg-from", lo)
        page.dispatch_event("#defkg-from", "change")
    if hi:
        page.fill("#defkg-to", hi)
        page.dispatch_event("#defkg-to", "change")
    for kind in unchecked:
        page.uncheck(f".defkg-kind[value={kind}]")
    visible = page.evaluate("nodes.get({filter: n => !n.hidden})")
    kinds = {n["kind"] for n in visible}
    assert not kinds & set(unchecked)
    for n in visible:
        if n["kind"] == "Meeting":
            assert not state or state in n["states"]
            assert not lo or (n["date"] and n["date"] >= lo)
            assert not hi or (n["date"] and n["date"] <= hi)
    if count:
        assert page.inner_text("#defkg-count") == count
    page.click("#defkg-reset")
    assert page.inner_text("#defkg-count") == "25 of 25 nodes"
    assert session.errors == []


def test_large_graph_draws_with_precomputed_layout(browser, tmp_path):
    path = tmp_path / "big.html"
    path.write_text(view.render_html(synthetic_graph(5000)), encoding="utf-8")
    s = Session(browser, path)
    try:
        assert s.page.evaluate("Object.keys(network.getPositions()).length") == 5000
        assert s.page.evaluate("network.physics.physicsEnabled") is False
        assert s.external == [] and s.errors == []
    finally:
        s.close()


def test_knowledge_page_with_a_selection_draws_cleanly(browser, tmp_path):
    """The --knowledge page of the test articles (without the hostile one), Türkiye selected, drawn
    to a picture (the README's pictures come from docs/img/screenshots.py, not from the tests)."""
    store = build_store(tmp_path / "store", [a for a in ARTICLES if a[2] != HOSTILE])
    html = view.view_html(store, title="defkg: bilateral defence relations")
    store.close()
    path = tmp_path / "graph.html"
    path.write_text(html, encoding="utf-8")
    s = Session(browser, path)
    try:
        s.click_node("Türkiye")
        s.page.evaluate("network.fit({animation: false})")
        s.page.mouse.move(5, 300)
        shot = tmp_path / "knowledge.png"
        s.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        assert s.external == [] and s.errors == [] and s.dialogs == []
    finally:
        s.close()


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_graphs_settle(browser, tmp_path, n):
    g = nx.DiGraph()
    for i in range(n):
        g.add_node(i, kind="State", label=f"State {i}", iso3=f"S{i:02d}")
    if n == 2:
        g.add_edge(0, 1, relation="participant")
    path = tmp_path / "tiny.html"
    path.write_text(view.render_html(g), encoding="utf-8")
    s = Session(browser, path)
    try:
        assert s.page.evaluate("network.body.data.nodes.length") == n
        assert s.errors == [] and s.external == []
        if n == 0:
            assert "Nothing to draw" in s.info()
    finally:
        s.close()


def test_hostile_graph_panels_and_links(browser, tmp_path):
    """Every node and edge of a graph made of hostile text: shown as text, no link but http(s)."""
    path = tmp_path / "hostile.html"
    path.write_text(view.render_html(hostile_graph(), title=HOSTILE), encoding="utf-8")
    s = Session(browser, path)
    try:
        assert s.page.title() == HOSTILE
        for nid in s.page.evaluate("nodes.getIds()"):
            s.page.evaluate("id => defkgShowNode(id)", nid)
            s.page.evaluate("id => network.focus(id, {scale: 1.5, animation: false})", nid)
            x, y = s.page.evaluate(
                """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                           const r = document.getElementById("mynetwork").getBoundingClientRect();
                           return [r.left + p.x, r.top + p.y]; }""",
                nid,
            )
            s.page.mouse.move(x, y)
            s.page.mouse.click(x, y)
        texts = []
        for eid in s.page.evaluate("edges.getIds()"):
            s.page.evaluate("id => defkgShowEdge(id)", eid)
            texts.append(s.info())
            hrefs = s.page.evaluate("[...document.querySelectorAll('#defkg-info-body a')].map(a => a.href)")
            assert all(h.startswith(("http://", "https://")) for h in hrefs)
        assert any(HOSTILE in t for t in texts)
        assert s.page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        # nothing else was injected into the page either (only the elements the page makes itself)
        assert s.page.evaluate("document.querySelectorAll('b, i').length") == 0
        assert s.dialogs == [] and s.errors == [] and s.external == []
    finally:
        s.close()
