"""The analyst's page and the query page in a real browser: Debian's Chromium driven by Playwright,
every request other than the page's own refused and recorded.

Playwright comes with the test extras and never downloads a browser here; `.ci/run` installs the
`chromium` package. Without Chromium these tests skip on a developer's machine and FAIL under CI
(CI=true), so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from defkg import view
from test_analysis import HOSTILE, build_store

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("DEFKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").lower() in ("true", "1")


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}: the browser tests must run in CI", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    from playwright import sync_api
except ImportError:  # pragma: no cover - depends on the machine
    _missing("playwright is not installed (pip install -e '.[test]')")
if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
    _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium; or set DEFKG_CHROMIUM)")


class Tab:
    """A page with every request but its own origin's refused and recorded."""

    def __init__(self, browser, url: str, ready: str, own: str) -> None:
        self.own, self.external, self.errors, self.dialogs = own, [], [], []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_function(ready, timeout=60_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.own) or url.startswith("blob:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str, arg=None):  # type: ignore[no-untyped-def]
        return self.page.evaluate(expr, arg)

    def info(self) -> str:
        return self.page.inner_text("#defkg-info-body")

    def visible_states(self) -> list[str]:
        return sorted(self.js("defkgNodes.get({filter: n => !n.hidden}).map(n => n.code)"))

    def click_state(self, code: str) -> None:
        point = self.js(
            """id => {
                defkgNetwork.focus(id, {scale: 1.2, animation: false});
                const p = defkgNetwork.canvasToDOM(defkgNetwork.getPositions([id])[id]);
                const r = document.getElementById("defkg-graph").getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""",
            "s:" + code,
        )
        self.page.mouse.click(*point)

    def search(self, text: str) -> list[str]:
        self.page.fill("#defkg-search", text)
        return self.page.locator("#defkg-results-list button").all_inner_texts()

    def clean(self) -> bool:
        return self.external == [] and self.errors == [] and self.dialogs == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    st = build_store(tmp_path_factory.mktemp("page") / "store")
    yield st
    st.close()


def page_file(store, tmp_path: Path, **kwargs) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "page.html"
    path.write_text(view.page_html(store, **kwargs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shared_tab(browser, store, tmp_path_factory):
    path = page_file(store, tmp_path_factory.mktemp("tab"))
    t = Tab(browser, path.as_uri(), "window.defkgStable === true", "file://")
    yield t
    t.close()


@pytest.fixture
def tab(shared_tab):
    """The page, as loaded (Reset pressed): one page load for the tests that share it."""
    shared_tab.page.click("#defkg-reset")
    return shared_tab


def test_starts_at_state_level(tab):
    assert tab.visible_states() == ["DEU", "GBR", "JPN", "LBY", "TUR"]
    # Türkiye has 5 engagements, the largest node; one line per pair and kind, labelled with the count
    values = tab.js("Object.fromEntries(defkgNodes.get().map(n => [n.code, n.value]))")
    assert values == {"DEU": 1, "GBR": 3, "JPN": 2, "LBY": 1, "TUR": 5}
    labels = tab.js(
        "Object.fromEntries(defkgEdges.get({filter: e => !e.hidden}).map(e => [e.pair, e.label]))"
    )
    assert labels == {"GBR|TUR": "2", "DEU|TUR": "1", "JPN|TUR": "1", "LBY|TUR": "1", "GBR|JPN": "1"}
    assert tab.js("defkgNetwork.physics.physicsEnabled") is False  # settled, then stopped
    assert tab.page.inner_text("#defkg-count") == "6 engagements, 5 states"
    assert tab.page.locator("#defkg-chart svg rect.defkg-bar").count() >= 3
    assert tab.clean()


def test_click_state_lists_partners_and_dims_the_rest(tab):
    tab.js("defkgSelect({type: 'state', code: 'GBR'})")
    tab.click_state("GBR")
    partners = tab.page.locator("#defkg-partners button").all_inner_texts()
    assert [p.split(" \u2014 ")[0] for p in partners] == ["Türkiye", "Japan"]
    assert partners[0].endswith("2 meetings")
    dim = tab.js("Object.fromEntries(defkgNodes.get().map(n => [n.code, n.opacity]))")
    assert dim == {"GBR": 1, "TUR": 1, "JPN": 1, "DEU": 0.25, "LBY": 0.25}  # neighbours highlighted
    assert tab.clean()


def test_pair_timeline(tab):
    tab.js("defkgSelect({type: 'state', code: 'GBR'})")
    tab.page.locator("#defkg-partners button", has_text="Türkiye").click()
    items = tab.page.locator("li.defkg-engagement")
    assert items.count() == 2
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert first.startswith("2024-03-01") and second.startswith("2025-01-15")  # in date order
    assert "Türkiye: Ayşe Demir" in first and "United Kingdom: John Smith" in first  # each side's principal
    assert "Sentence 0 of Türkiye and UK hold defence talks" in first  # evidence
    link = items.nth(0).locator(".defkg-source a")
    assert link.get_attribute("href") == "https://news.example/tr-gb-1"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert tab.clean()


def test_click_a_pair_line(tab):
    point = tab.js(
        """() => {
            const ids = ["s:JPN", "s:TUR"], pos = defkgNetwork.getPositions(ids);
            defkgNetwork.moveTo({position: {x: (pos[ids[0]].x + pos[ids[1]].x) / 2,
              y: (pos[ids[0]].y + pos[ids[1]].y) / 2}, scale: 1, animation: false});
            const p = defkgNetwork.canvasToDOM({x: (pos[ids[0]].x + pos[ids[1]].x) / 2,
              y: (pos[ids[0]].y + pos[ids[1]].y) / 2});
            const r = document.getElementById("defkg-graph").getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }"""
    )
    tab.page.mouse.click(*point)
    assert tab.info().startswith("Japan – Türkiye")
    assert "2023-11-02" in tab.info()


def test_person_engagements(tab):
    tab.search("Mary Jones")
    tab.page.locator("#defkg-results-list button", has_text="Mary Jones").click()
    text = tab.info()
    assert text.startswith("Mary Jones") and "Person" in text
    starts = [t.split("\n")[0] for t in tab.page.locator("li.defkg-engagement").all_inner_texts()]
    assert starts == ["2025-01-15 talks", "undated talks"]
    # her organisation: its people's engagements
    tab.page.locator("#defkg-info-body dd button", has_text="Ministry of Defence").click()
    assert tab.info().startswith("UK Ministry of Defence")  # gbr-mod, as the entity layer names it
    assert tab.page.locator("li.defkg-engagement").count() == 3  # John Smith's and Mary Jones's
    assert tab.clean()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("birlesik krallik", "United Kingdom (GBR)"),  # the Turkish name, without accents, on an English page
        ("japonya", "Japan (JPN)"),
        ("DEU", "Germany (DEU)"),  # ISO code
        ("Q17", "Japan (JPN)"),  # Wikidata id
        ("ayse", "Ayşe Demir"),  # Turkish letters folded
        ("AYŞE", "Ayşe Demir"),
        ("2024-06", "2024-06-10 Germany \u2013 Türkiye talks"),  # dates
        ("federal ministry", "Federal Ministry of Defence"),
    ],
)
def test_search_both_languages_codes_and_dates(tab, query, expected):
    hits = tab.search(query)
    assert any(h.startswith(expected) for h in hits), hits


def test_search_on_the_turkish_page(browser, store, tmp_path):
    t = Tab(browser, page_file(store, tmp_path, lang="tr").as_uri(), "window.defkgStable === true", "file://")
    try:
        assert t.js("defkgNodes.get('s:GBR').label") == "Birleşik Krallık"
        hits = t.search("united kingdom")  # the English name finds it too
        assert hits and hits[0].startswith("Birleşik Krallık (GBR)")
        t.page.keyboard.press("Enter")
        assert t.info().startswith("Birleşik Krallık")
        assert t.clean()
    finally:
        t.close()


def test_the_turkish_page_speaks_turkish(browser, store, tmp_path):
    """Buttons, headings, legends, help and the details of a pair in Turkish (lang/tr/page.tsv)."""
    t = Tab(browser, page_file(store, tmp_path, lang="tr").as_uri(), "window.defkgStable === true", "file://")
    try:
        bar = t.page.inner_text("#defkg-bar")
        for word in ("Ara", "Yıllar", "tarihsiz", "Sıfırla", "görüşmeler"):
            assert word in bar, bar
        assert t.page.get_attribute("#defkg-search", "placeholder").startswith("devlet, kişi")
        side = t.page.text_content("#defkg-side") or ""  # as written (the headings' CSS capitalises)
        for word in ("Ayrıntılar", "Yıllara göre temaslar", "Tüm devletler", "Ortaklarını görmek için"):
            assert word in side, side
        assert "temas," in t.page.inner_text("#defkg-count")
        t.js("defkgSelect({type: 'pair', a: 'GBR', b: 'TUR'})")
        info = t.info()
        assert "Zaman çizelgesi" in info and "Kaynak:" in info, info
        english = ("Search", "Years", "Reset", "Details", "All states", "Timeline", "Source:", "meetings")
        text = " ".join(t.page.text_content(x) or "" for x in ("#defkg-bar", "#defkg-side"))
        assert not [w for w in english if w in text], text
        assert t.clean()
    finally:
        t.close()


def test_year_filter_hides_and_refits(tab):
    tab.page.fill("#defkg-from", "2025")
    tab.page.dispatch_event("#defkg-from", "change")
    tab.page.uncheck("#defkg-undated")
    assert tab.visible_states() == ["GBR", "TUR"]
    assert tab.page.inner_text("#defkg-count") == "1 engagements, 2 states"
    # fitted to what is left: the two states are centred and fill much of the view
    box = tab.js(
        """() => {
            const n = defkgNetwork;
            const p = Object.values(n.getPositions(["s:GBR", "s:TUR"])).map(q => n.canvasToDOM(q));
            const r = document.getElementById("defkg-graph").getBoundingClientRect();
            const dx = Math.abs(p[0].x - p[1].x) / r.width, dy = Math.abs(p[0].y - p[1].y) / r.height;
            const cx = (p[0].x + p[1].x) / 2 / r.width, cy = (p[0].y + p[1].y) / 2 / r.height;
            return {cx: cx, cy: cy, span: Math.max(dx, dy)};
        }"""
    )
    assert abs(box["cx"] - 0.5) < 0.1 and abs(box["cy"] - 0.5) < 0.1 and box["span"] > 0.2, (
        box
    )  # labels count too
    # filtered-out engagements leave the details too
    tab.js("defkgSelect({type: 'state', code: 'TUR'})")
    assert [p.split(" \u2014 ")[0] for p in tab.page.locator("#defkg-partners button").all_inner_texts()] == [
        "United Kingdom"
    ]
    tab.page.click("#defkg-reset")
    assert len(tab.visible_states()) == 5


def test_hostile_text_is_shown_not_run(tab):
    tab.js("defkgSelect({type: 'pair', a: 'LBY', b: 'TUR'})")
    text = tab.info()
    assert HOSTILE in text  # shown as text
    assert tab.page.locator("#defkg-info-body img").count() == 0
    assert tab.page.locator("#defkg-info-body a").count() == 0  # its javascript: URL made no link
    assert tab.clean()


def test_preselected_pair(browser, store, tmp_path):
    url = page_file(store, tmp_path, select_pair=("TUR", "DEU")).as_uri()
    t = Tab(browser, url, "window.defkgStable === true", "file://")
    try:
        assert t.info().startswith("Germany – Türkiye")
    finally:
        t.close()


# -- the query page of defkg serve ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    from defkg.serve import make_server, serve_in_thread
    from test_serve import build_store as build_serve_store
    from test_serve import free_port

    srv = make_server(build_serve_store(tmp_path_factory.mktemp("q") / "store"), port=free_port(), workers=1)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def editor(browser, server):
    base = server.url.rsplit("/", 1)[0]
    t = Tab(browser, base + "/editor", "window.defkgQueryReady === true", base)
    yield t
    t.close()


def test_query_page_type_run_rows_and_csv(editor):
    page = editor.page
    page.fill("#q-text", "")
    page.click("#q-text")
    page.keyboard.type("SELECT ?iso WHERE { ?s dk:iso3 ?iso } ORDER BY ?iso")
    assert page.locator("#q-highlight .t-kw", has_text="SELECT").count() == 1  # highlighted as typed
    assert page.locator("#q-highlight .t-pn", has_text="dk:iso3").count() == 1
    page.click("#q-run")
    page.wait_for_selector("#q-table tbody tr")
    cells = page.locator("#q-table tbody td").all_inner_texts()
    assert sorted(set(cells)) == ["GBR", "JPN", "PAK", "TUR"]
    assert page.inner_text("#q-table thead").strip() == "iso"
    with page.expect_download() as d:
        page.click("#q-csv")
    assert d.value.suggested_filename == "results.csv"
    lines = Path(d.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "iso" and sorted(set(lines[1:])) == ["GBR", "JPN", "PAK", "TUR"]
    assert editor.clean()


def test_query_page_examples_and_json(editor):
    page = editor.page
    page.select_option("#q-examples", label="meetings-between")
    assert "?a" in page.input_value("#q-text") or "meetings" in page.inner_text("#q-description")
    page.select_option("#q-examples", label="meetings")
    page.click("#q-run")
    page.wait_for_selector("#q-table tbody tr")
    assert page.locator("#q-table tbody tr").count() == 3
    with page.expect_download() as d:
        page.click("#q-json")
    assert d.value.suggested_filename == "results.json"
    assert '"bindings"' in Path(d.value.path()).read_text(encoding="utf-8")


def test_query_page_error_with_line_and_column(editor):
    page = editor.page
    page.fill("#q-text", "SELECT ?x WHERE {\n  ?x a dk:State\n  FILTER( }")
    page.click("#q-run")
    page.wait_for_selector("#q-error:not([hidden])")
    assert page.get_attribute("#q-error", "data-line") == "3"
    assert page.inner_text("#q-error").startswith("Line 3, column ")
    assert page.locator("#q-error-mark").count() == 1  # the place is marked in the editor
    assert editor.external == []


def test_agreements_and_exercises_drawn_and_found(browser, tmp_path):
    import pyoxigraph as ox

    from defkg.store import Store
    from test_view_page import ENGAGEMENTS, ID

    path = tmp_path / "store"
    build_store(path).close()
    with Store(path) as st:
        triples = ox.parse(ENGAGEMENTS.encode(), format=ox.RdfFormat.TURTLE)
        st.replace_graph(f"{ID}graph/x1", "".join(f"{t} .\n" for t in triples))
    with Store(path, read_only=True) as st:
        url = page_file(st, tmp_path).as_uri()
    t = Tab(browser, url, "window.defkgStable === true", "file://")
    try:
        kinds = t.js(
            "defkgEdges.get({filter: e => !e.hidden}).map(e => e.pair + ' ' + e.kind + ' ' + e.label)"
        )
        assert {
            "JPN|TUR agreement 1",
            "GBR|TUR exercise 1",
            "DEU|GBR exercise 1",
            "DEU|TUR exercise 1",
        } <= set(kinds)
        hits = t.search("sea wolf")
        assert hits and "Sea Wolf" in hits[0]
        t.page.keyboard.press("Enter")
        assert "Sea Wolf" in t.info() and "host: Türkiye" in t.info()
        t.page.uncheck(".defkg-kind[value=exercise]")
        assert "GBR|TUR exercise" not in " ".join(
            t.js("defkgEdges.get({filter: e => !e.hidden}).map(e => e.pair + ' ' + e.kind)")
        )
        assert t.clean()
    finally:
        t.close()
