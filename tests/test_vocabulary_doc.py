"""docs/vocabulary.md is generated from ontology/defkg.ttl (tools/gen_vocabulary.py) and in step
with it: every class and property of the ontology has its entry, and the page is exactly what the
generator writes today."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gen_vocabulary", ROOT / "tools" / "gen_vocabulary.py")
assert spec and spec.loader
gen = importlib.util.module_from_spec(spec)
sys.modules["gen_vocabulary"] = gen  # dataclasses look their module up
spec.loader.exec_module(gen)


def test_page_is_in_step_with_the_ontology() -> None:
    page = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert page == gen.render(), "docs/vocabulary.md is stale: run python tools/gen_vocabulary.py"


def test_every_own_term_has_an_entry_and_every_link_a_target() -> None:
    g = Graph().parse(ROOT / "ontology" / "defkg.ttl", format="turtle")
    page = gen.render()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {
        s
        for k in kinds
        for s in g.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(gen.DK)
    }
    assert len(terms) > 40
    for t in terms:
        c = gen.curie(t)
        assert f"\n### {c}\n" in page and f"`{t}`" in page
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', page))
    assert len(anchors) == len(re.findall(r"<a id=", page))  # no two entries share an anchor
    assert set(re.findall(r"\]\(#(dk-[^)]+)\)", page)) <= anchors


def test_check_mode_notices_a_stale_page(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stale = tmp_path / "vocabulary.md"
    stale.write_text(gen.render().replace("participating state", "taking-part state"), encoding="utf-8")
    monkeypatch.setattr(gen, "OUT", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0
