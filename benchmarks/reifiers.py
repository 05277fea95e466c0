"""What other forms of evidence would save: the evidence of a store as standard reification (today's
layout, four triples per fact), as RDF 1.2 reifiers (``rdf:reifies`` triple terms, two triples per
fact), and as sentence graphs (each fact with evidence in a named graph of the sentence it was
read from, the graph being the sentence node: no triple per fact beyond the fact itself).

Reads every quad of STORE (written by ``defkg ingest``), writes each form as N-Quads, bulk-loads
each into a new store (one load, as a first ingest does) and prints, for each: quads, bytes on disk,
the loader's CPU time, and the CPU time of two evidence questions (the sentences that say a state
took part in a meeting; facts with evidence counted by predicate). Alternating, ``--rounds`` times.

    python benchmarks/reifiers.py STORE [--work DIR] [--rounds 3] [--reports N]

``--reports``: the number of reports in STORE, to print bytes per report. CPU seconds (this
process: the loader's threads included), not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DK = "https://w3id.org/defkg/ontology#"
PREFIXES = f"PREFIX rdf: <{RDF}> PREFIX dk: <{DK}> PREFIX prov: <http://www.w3.org/ns/prov#> "
QUESTIONS = {
    "state's evidence": {
        "reification": "SELECT ?m ?state ?text ?article WHERE { ?ev rdf:subject ?m ; "
        "rdf:predicate dk:participatingState ; rdf:object ?state ; dk:sentence ?s . "
        "?s dk:text ?text ; prov:wasQuotedFrom ?article }",
        "reifiers": "SELECT ?m ?state ?text ?article WHERE { "
        "?ev rdf:reifies <<( ?m dk:participatingState ?state )>> ; dk:sentence ?s . "
        "?s dk:text ?text ; prov:wasQuotedFrom ?article }",
        "sentence graphs": "SELECT ?m ?state ?text ?article WHERE { "
        "GRAPH ?s { ?m dk:participatingState ?state } ?s dk:text ?text ; prov:wasQuotedFrom ?article }",
    },
    "facts by predicate": {
        "reification": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?ev rdf:subject ?m ; rdf:predicate ?p ; "
        "rdf:object ?o ; dk:sentence ?s } GROUP BY ?p",
        "reifiers": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?ev rdf:reifies <<( ?m ?p ?o )>> ; "
        "dk:sentence ?s } GROUP BY ?p",
        "sentence graphs": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s dk:text ?t . GRAPH ?s { ?m ?p ?o } } "
        "GROUP BY ?p",
    },
}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def forms(store_path: str) -> dict[str, bytes]:
    """The store's quads as they are; with each evidence node's rdf:subject, rdf:predicate and
    rdf:object replaced by one ``rdf:reifies`` triple term; and with each fact that has evidence
    moved from its article's graph into the graph of each sentence its evidence names (the
    evidence nodes dropped)."""
    src = ox.Store.read_only(store_path)
    kept: list[ox.Quad] = []
    parts: dict[tuple[object, object], dict[str, object]] = {}
    sentence = DK + "sentence"
    for q in src:
        p = q.predicate.value
        if p in (RDF + "subject", RDF + "predicate", RDF + "object"):
            parts.setdefault((q.subject, q.graph_name), {})[p[len(RDF) :]] = q.object
            continue
        if p == sentence:
            parts.setdefault((q.subject, q.graph_name), {})["sentence"] = q.object
        kept.append(q)
    reifies = ox.NamedNode(RDF + "reifies")
    reified = list(kept)
    for (node, graph), d in parts.items():
        triple = ox.Triple(d["subject"], d["predicate"], d["object"])  # type: ignore[arg-type]
        reified.append(ox.Quad(node, reifies, triple, graph))  # type: ignore[arg-type]
    told = {(d["subject"], d["predicate"], d["object"], graph) for (_, graph), d in parts.items()}
    evidence = {node for node, _ in parts}
    in_sentences = [
        q
        for q in kept
        if q.subject not in evidence and (q.subject, q.predicate, q.object, q.graph_name) not in told
    ]
    for d in parts.values():
        in_sentences.append(ox.Quad(d["subject"], d["predicate"], d["object"], d["sentence"]))  # type: ignore[arg-type]
    out = io.BytesIO()
    src.dump(out, ox.RdfFormat.N_QUADS)
    return {
        "reification": out.getvalue(),
        "reifiers": ox.serialize(reified, format=ox.RdfFormat.N_QUADS),
        "sentence graphs": ox.serialize(in_sentences, format=ox.RdfFormat.N_QUADS),
    }


def disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--work", help="a directory for the two stores (default: a temporary one)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reports", type=int, help="reports in STORE (for bytes per report)")
    a = ap.parse_args()
    data = forms(a.store)
    work = Path(a.work or tempfile.mkdtemp(prefix="defkg-reifiers-"))
    work.mkdir(parents=True, exist_ok=True)
    for r in range(a.rounds):
        for name, nq in data.items():
            path = work / name
            shutil.rmtree(path, ignore_errors=True)
            store = ox.Store(str(path))
            t = cpu()
            store.bulk_load(nq, ox.RdfFormat.N_QUADS, lenient=True)
            load = cpu() - t
            quads = len(store)
            del store
            size = disk(path)
            per = f", {size / a.reports / 1024:.1f} KB/report" if a.reports else ""
            times = []
            ro = ox.Store.read_only(str(path))
            for label, q in QUESTIONS.items():
                t = cpu()
                rows = sum(1 for _ in ro.query(PREFIXES + q[name], use_default_graph_as_union=True))
                times.append(f"{label} {rows} rows {1000 * (cpu() - t):.0f} ms")
            del ro
            print(
                f"round {r + 1} {name:15s} {quads:,} quads, {size / 1e6:.1f} MB{per}, "
                f"load {load:.2f} s CPU; " + "; ".join(times)
            )
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
