"""Regenerate the README's pictures of the analyst's page and the query page (not run by `make test`).

    python docs/img/screenshots.py            # or: make screenshots

Builds a store from synthetic reports (benchmarks/generate.py: invented people, real states),
opens the pages in Debian's Chromium through Playwright with every outside request refused, and
writes docs/img/{graph,pair,person,query}.png. Also prints the CPU seconds the page took to build.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks")]
CHROMIUM = os.environ.get("DEFKG_CHROMIUM", "/usr/bin/chromium")
REPORTS = 160


def build(store_dir: Path) -> None:
    import generate  # benchmarks/generate.py
    from defkg.ingest import ensure_ontology, ntriples
    from defkg.pipeline.triples import to_graph
    from defkg.store import Store

    payloads = []
    for x in generate.extractions(REPORTS, seed=3):
        g = to_graph(x)
        payloads.append((str(g.identifier), ntriples(g)))
    with Store(store_dir) as st:
        ensure_ontology(st)
        st.replace_graphs(payloads)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from defkg import view
    from defkg.serve import make_server, serve_in_thread
    from defkg.store import Store

    work = Path(tempfile.mkdtemp(prefix="defkg-shots-"))
    build(work / "store")
    with Store(work / "store", read_only=True) as st:
        t0 = time.process_time()
        page = view.page_html(st)
        print(f"page built in {time.process_time() - t0:.2f} s CPU ({len(page) >> 10} KiB)", file=sys.stderr)
    (work / "page.html").write_text(page, encoding="utf-8")
    server = make_server(work / "store", port=0, workers=1)
    serve_in_thread(server)
    base = server.url.rsplit("/", 1)[0]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            ctx = browser.new_context(viewport={"width": 1500, "height": 900})
            tab = ctx.new_page()
            own = ("file:", base)
            tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(own) else r.abort())
            tab.goto((work / "page.html").as_uri())
            tab.wait_for_function("window.defkgStable === true", timeout=60_000)
            tab.screenshot(path=str(OUT / "graph.png"))
            top = tab.evaluate(
                "() => { const c = {}; defkgEdges.get({filter: e => !e.hidden}).forEach(e => "
                "{ c[e.pair] = (c[e.pair] || 0) + e.value; }); "
                "return Object.keys(c).sort((a, b) => c[b] - c[a])[0].split('|'); }"
            )
            tab.evaluate("p => defkgSelect({type: 'pair', a: p[0], b: p[1]})", top)
            tab.screenshot(path=str(OUT / "pair.png"))
            tab.locator("li.defkg-engagement .defkg-principal").first.click()
            tab.screenshot(path=str(OUT / "person.png"))
            tab.goto(base + "/editor")
            tab.wait_for_function("window.defkgQueryReady === true")
            tab.select_option("#q-examples", label="state-pairs")
            tab.click("#q-run")
            tab.wait_for_selector("#q-table tbody tr")
            tab.screenshot(path=str(OUT / "query.png"))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    for name in ("graph", "pair", "person", "query"):
        print(f"wrote {OUT / (name + '.png')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
