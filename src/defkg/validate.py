"""Validation of article graphs against the SHACL shapes in ``ontology/shapes.ttl``.

Every ingested article is validated, so this must be fast. Running pyshacl on each
article graph costs ~20-30 ms; instead the shapes graph is parsed once and compiled
into plain Python checks over an in-memory index of the article graph (well under a
millisecond for a typical article). The compiler covers the SHACL Core subset the
shapes use and refuses anything else, so a shape it cannot check is an error, never
silently skipped; ``tests/test_shapes.py`` checks that its results agree with pyshacl.

* ``check_graph(graph, source)`` (an rdflib graph or an ``ArticleGraph``) raises
  ``ValidationError`` with a one-line reason when the graph has a violation (results of
  severity sh:Warning are reported, never refused);
* ``report(graph)`` returns ``(conforms, text)``, one line per result;
* ``violations(graph)`` returns the violations themselves;
* ``pyshacl_report(graph)`` runs the full pyshacl engine (slow; for tests and debugging).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from defkg.errors import ValidationError
from defkg.vocab import SH

SHAPES = Path(__file__).parent / "ontology" / "shapes.ttl"

_LANG_STRING = RDF.langString
_TYPE = RDF.type
_SUBCLASS = RDFS.subClassOf
_XSD_STRING = XSD.string
_EMPTY: dict[Any, Any] = {}
_SUPPORTED_NODE = {
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.property,
    SH.nodeKind,
    SH.pattern,
    SH["or"],
    SH["not"],
    SH["class"],
    SH.datatype,
    SH["in"],
    SH.minLength,
    SH.node,
    SH.message,
    SH.severity,
    SH.minInclusive,
    SH.deactivated,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}
_TARGETS = {
    SH.targetClass: "class",
    SH.targetSubjectsOf: "subjects",
    SH.targetObjectsOf: "objects",
    SH.targetNode: "node",
}
_SUPPORTED_PROPERTY = _SUPPORTED_NODE | {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.lessThanOrEquals,
    SH.name,
    SH.description,
}


@dataclass(frozen=True)
class Violation:
    focus: Node
    path: Node | None  # property IRI, ("^", IRI) for an inverse path, None for a node constraint
    shape: Node
    message: str
    value: Node | None = None
    severity: str = "Violation"  # Violation | Warning | Info (the local name of sh:severity)

    def line(self) -> str:
        path = f" {_short(self.path)}" if self.path is not None else ""
        value = f" (value {_short(self.value)})" if self.value is not None else ""
        return f"{_short(self.focus)}{path}: {self.message}{value}"


def _short(term: Any) -> str:
    if isinstance(term, tuple):
        return "^" + _short(term[1])
    if isinstance(term, Literal):
        return repr(str(term))[:60]
    return f"<{term}>"


# ---------------------------------------------------------------------------------------------
# The data graph, indexed once
# ---------------------------------------------------------------------------------------------
_Triples = dict[Node, dict[Node, dict[Node, Any]]]
_Triple = tuple[Node, Node, Node]


class TripleSource(Protocol):
    """What validation reads: an rdflib ``Graph``, or any object with an ``identifier`` whose
    iteration gives triples (``defkg.pipeline.triples.ArticleGraph``: what ingest validates)."""

    @property
    def identifier(self) -> Any: ...

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]: ...


def _indexes(graph: TripleSource, pos_predicates: frozenset[Node] | None = None) -> tuple[_Triples, _Triples]:
    """(spo, pos): subject -> predicate -> objects and predicate -> object -> subjects.

    rdflib's in-memory store already keeps both; iterating a graph's triples costs ~2.5 µs
    each. So for a plain ``Graph`` alone in its ``Memory`` store (what ``to_graph`` builds)
    the store's own indexes are read directly; anything else is iterated. A test checks the
    two paths give the same index.
    """
    store = graph.store if type(graph) is Graph else None
    if store is not None and type(store).__name__ == "Memory":
        spo = getattr(store, "_Memory__spo", None)
        pos = getattr(store, "_Memory__pos", None)
        contexts = getattr(store, "_Memory__all_contexts", None)
        if (
            isinstance(spo, dict)
            and isinstance(pos, dict)
            and isinstance(contexts, set)
            and all(getattr(c, "identifier", None) == graph.identifier for c in contexts)
        ):
            return spo, pos
    return _iterated_indexes(graph, pos_predicates)


def _iterated_indexes(
    graph: TripleSource, pos_predicates: frozenset[Node] | None = None
) -> tuple[_Triples, _Triples]:
    """The indexes of an iterated graph; ``pos`` only for ``pos_predicates`` if given (the checks
    read ``pos`` for targets, classes and inverse paths only: ~40 % of the cost of the index)."""
    parts = getattr(graph, "index_parts", None)
    if callable(parts):
        own, described = parts()
        return _merged_indexes(own, described, pos_predicates)
    triples = graph.triples((None, None, None)) if isinstance(graph, Graph) else iter(graph)
    return _index_triples(triples, pos_predicates)


def _index_triples(
    triples: Iterable[_Triple], pos_predicates: frozenset[Node] | None
) -> tuple[_Triples, _Triples]:
    spo: _Triples = {}
    pos: _Triples = {}
    for s, p, o in triples:
        spo.setdefault(s, {}).setdefault(p, {})[o] = 1
        if pos_predicates is None or p in pos_predicates:
            pos.setdefault(p, {}).setdefault(o, {})[s] = 1
    return spo, pos


# (pos predicates, key of a part) -> (spo of its triples, its triples that go into pos)
_PARTS: dict[tuple[frozenset[Node] | None, Hashable], tuple[_Triples, tuple[_Triple, ...]]] = {}
_PARTS_MAX = 8192


def _part(
    key: Hashable, triples: Iterable[_Triple], pos_predicates: frozenset[Node] | None
) -> tuple[_Triples, tuple[_Triple, ...]]:
    k = (pos_predicates, key)
    part = _PARTS.get(k)
    if part is None:
        given = tuple(triples)
        spo, _ = _index_triples(given, frozenset())
        for_pos = tuple(t for t in given if pos_predicates is None or t[1] in pos_predicates)
        if len(_PARTS) >= _PARTS_MAX:
            _PARTS.clear()
        part = _PARTS[k] = (spo, for_pos)
    return part


def _merged_indexes(
    own: Iterable[_Triple],
    parts: Iterable[tuple[Hashable, Iterable[_Triple]]],
    pos_predicates: frozenset[Node] | None,
) -> tuple[_Triples, _Triples]:
    """The indexes of a graph given as its own triples and parts named by a key (an article and
    the descriptions of its entities): each part's ``spo`` is built once and shared by every
    graph that has it. A subject's entry from a part is used as it is (never written to) until
    another part or the graph's own triples give that subject more: then it is copied."""
    spo, pos = _index_triples(own, pos_predicates)
    shared: set[int] = set()
    for key, triples in parts:
        part_spo, for_pos = _part(key, triples, pos_predicates)
        for s, by_p in part_spo.items():
            mine = spo.get(s)
            if mine is None:
                spo[s] = by_p
                shared.add(id(by_p))
                continue
            if id(mine) in shared:
                mine = spo[s] = {p: dict(objects) for p, objects in mine.items()}
            for p, objects in by_p.items():
                have = mine.get(p)
                if have is None:
                    mine[p] = dict(objects)
                else:
                    have.update(objects)
        for s, p, o in for_pos:
            pos.setdefault(p, {}).setdefault(o, {})[s] = 1
    return spo, pos


class _Index:
    """What the checks need of the data graph, read from its indexes."""

    __slots__ = ("pos", "spo", "subclasses")

    def __init__(self, graph: TripleSource, pos_predicates: frozenset[Node] | None = None) -> None:
        self.spo, self.pos = _indexes(graph, pos_predicates)
        sub: dict[Node, list[Node]] = {}
        for cls, subjects in self.pos.get(_SUBCLASS, {}).items():
            sub[cls] = list(subjects)
        self.subclasses = sub

    def values(self, node: Node, path: Any) -> Collection[Node]:
        if isinstance(path, tuple):
            d = self.pos.get(path[1])
            return d.get(node, _EMPTY) if d else _EMPTY
        d = self.spo.get(node)
        return d.get(path, _EMPTY) if d else _EMPTY

    def subjects_of(self, p: Node) -> set[Node]:
        return {s for subjects in self.pos.get(p, _EMPTY).values() for s in subjects}

    def objects_of(self, p: Node) -> set[Node]:
        return set(self.pos.get(p, _EMPTY))

    def instances(self, cls: Node) -> set[Node]:
        """Instances of cls or of its rdfs:subClassOf* subclasses in the data graph (SHACL semantics)."""
        by_class = self.pos.get(_TYPE, _EMPTY)
        if not self.subclasses:
            return set(by_class.get(cls, _EMPTY))
        seen, todo, out = {cls}, [cls], set()
        while todo:
            c = todo.pop()
            out.update(by_class.get(c, _EMPTY))
            for s in self.subclasses.get(c, ()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        return out

    def is_instance(self, node: Node, cls: Node) -> bool:
        d = self.spo.get(node)
        types = d.get(_TYPE) if d else None
        if not types:
            return False
        if cls in types:
            return True
        return bool(self.subclasses) and node in self.instances(cls)


# ---------------------------------------------------------------------------------------------
# Compiled shapes
# ---------------------------------------------------------------------------------------------
# A check takes (index, focus node, value nodes) and yields (message-less) offending values:
# None for a whole-set violation (counts), the value otherwise.
Check = Callable[[_Index, Node, Collection[Node]], list[Node | None]]


@dataclass
class _Shape:
    node: Node
    message: str
    severity: str = "Violation"
    targets: list[tuple[str, Node]] = field(default_factory=list)  # (class|subjects|objects|node, term)
    path: Any = None  # None for a node shape
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)

    # (its per-value test or None, the check) for each check, made with them by the compiler: a
    # per-value test stops at the first failing value
    tests: tuple[tuple[Callable[..., bool] | None, Check], ...] = ()

    def conforms(self, idx: _Index, focus: Node) -> bool:
        values = (focus,) if self.path is None else idx.values(focus, self.path)
        for ok, check in self.tests:
            if ok is not None:
                for v in values:
                    if not ok(idx, focus, v):
                        return False
            elif check(idx, focus, values):
                return False
        for prop in self.properties:
            for value in values:
                if not prop.conforms(idx, value):
                    return False
        return True

    def validate(self, idx: _Index, focus: Node, out: list[Violation]) -> None:
        values = (focus,) if self.path is None else idx.values(focus, self.path)
        for check in self.checks:
            bad = check(idx, focus, values)
            if bad:
                out += [Violation(focus, self.path, self.node, self.message, b, self.severity) for b in bad]
        for prop in self.properties:
            for value in values:
                prop.validate(idx, value, out)


def _datatype_test(datatype: Node) -> Callable[[_Index, Node, Node], bool]:
    """The per-value test of one ``sh:datatype``: a literal of that datatype (``rdf:langString``: a
    language-tagged one; ``xsd:string``: also a plain one), well-formed; what depends on the datatype
    alone is worked out once, and IRIs are compared as strings (rdflib compares terms in Python)."""
    if datatype == _LANG_STRING:
        return lambda idx, f, v: isinstance(v, Literal) and v.language is not None
    want = str(datatype)
    plain = want == str(_XSD_STRING)

    def ok(idx: _Index, f: Node, v: Node) -> bool:
        if not isinstance(v, Literal) or v.language is not None:
            return False
        actual = v.datatype
        same = plain if actual is None else str.__eq__(actual, want)
        return bool(same) and not getattr(v, "ill_typed", False)

    return ok


_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
}


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.compiled: dict[Node, _Shape] = {}

    def one(self, node: Node, p: Node) -> Any:
        return next(iter(self.g.objects(node, p)), None)

    def shape(self, node: Node) -> _Shape:
        if node in self.compiled:
            return self.compiled[node]
        is_property = self.one(node, SH.path) is not None
        allowed = _SUPPORTED_PROPERTY if is_property else _SUPPORTED_NODE
        unsupported = {p for p in self.g.predicates(node) if p not in allowed}
        if unsupported:
            names = sorted(map(str, unsupported))
            raise ValidationError(f"shape {node}: unsupported SHACL constraint(s) {names}")
        message = str(self.one(node, SH.message) or "")
        s = _Shape(node=node, message=message)
        severity = self.one(node, SH.severity)
        if severity is not None:
            s.severity = str(severity).rsplit("#", 1)[-1]
        self.compiled[node] = s  # before recursing: shapes may refer to each other
        if is_property:
            s.path = self.path(self.one(node, SH.path))
        for kind, key in _TARGETS.items():
            s.targets += [(key, t) for t in self.g.objects(node, kind)]
        s.checks = self.checks(node)
        s.tests = tuple((getattr(c, "ok", None), c) for c in s.checks)
        s.properties = [self.shape(p) for p in self.g.objects(node, SH.property)]
        if not s.message:
            s.message = "does not conform to " + str(node)
        return s

    def path(self, p: Node | None) -> Any:
        if isinstance(p, URIRef):
            return _canonical(p)
        inverse = self.one(p, SH.inversePath) if p is not None else None
        if isinstance(inverse, URIRef):
            return ("^", _canonical(inverse))
        raise ValidationError(f"unsupported sh:path {p!r} (only IRIs and sh:inversePath IRI)")

    def checks(self, node: Node) -> list[Check]:
        g, one = self.g, self.one
        checks: list[Check] = []
        lo, hi = one(node, SH.minCount), one(node, SH.maxCount)
        if lo is not None:
            checks.append(_count(int(lo), None))
        if hi is not None:
            checks.append(_count(None, int(hi)))
        for dt in g.objects(node, SH.datatype):
            checks.append(_each(_datatype_test(dt)))
        for cls in map(_canonical, g.objects(node, SH["class"])):
            checks.append(_each(lambda idx, f, v, c=cls: idx.is_instance(v, c)))
        for kind in g.objects(node, SH.nodeKind):
            checks.append(_each(lambda idx, f, v, t=_NODE_KINDS[kind]: t(v)))
        for pat in g.objects(node, SH.pattern):
            rx = re.compile(str(pat))
            checks.append(
                _each(lambda idx, f, v, rx=rx: not isinstance(v, BNode) and bool(rx.search(str(v))))
            )
        for n in g.objects(node, SH.minLength):
            k = int(_py(n))
            checks.append(_each(lambda idx, f, v, k=k: not isinstance(v, BNode) and len(str(v)) >= k))
        for lst in g.objects(node, SH["in"]):
            allowed = frozenset(RdfList(g, lst))
            checks.append(_each(lambda idx, f, v, a=allowed: v in a))
        for m in g.objects(node, SH.minInclusive):
            bound = _py(m)
            checks.append(_each(lambda idx, f, v, b=bound: _ge(v, b)))
        if _py(one(node, SH.uniqueLang)) is True:
            checks.append(_unique_lang)
        for other in g.objects(node, SH.lessThanOrEquals):
            checks.append(_each(lambda idx, f, v, o=other: _all_le(v, idx.values(f, o))))
        for ref in g.objects(node, SH.node):
            sub = self.shape(ref)
            checks.append(_each(lambda idx, f, v, sub=sub: sub.conforms(idx, v)))
        for lst in g.objects(node, SH["or"]):
            alts = [self.shape(a) for a in RdfList(g, lst)]
            checks.append(_each(lambda idx, f, v, alts=alts: any(a.conforms(idx, v) for a in alts)))
        for neg in g.objects(node, SH["not"]):
            neg_shape = self.shape(neg)
            checks.append(_each(lambda idx, f, v, sub=neg_shape: not sub.conforms(idx, v)))
        return checks


def _canonical(term: Node) -> Node:
    """The vocabulary's own object for an IRI of a closed namespace (``DK.rank``, ``ORG.holds``...):
    the graphs the builder makes use those, so a dict look-up of a path or class in the data's
    index finds its key by identity instead of comparing terms in Python (rdflib's ``__eq__``)."""
    from rdflib.namespace import FOAF, ORG, OWL, PROV, SKOS

    from defkg.vocab import DK

    if isinstance(term, URIRef):
        for ns in (DK, RDF, RDFS, SKOS, FOAF, ORG, PROV, OWL, XSD):
            base = str(ns._NS)
            if term.startswith(base):
                try:
                    canonical = getattr(ns, term[len(base) :])
                except (AttributeError, KeyError):
                    return term
                return canonical if canonical == term else term
    return term


def _py(term: Any) -> Any:
    return term.toPython() if isinstance(term, Literal) else term


def _each(ok: Callable[..., bool]) -> Check:
    """A check failing each value for which ``ok(index, focus, value)`` is false."""

    def check(idx: _Index, focus: Node, values: Collection[Node]) -> list[Node | None]:
        return [v for v in values if not ok(idx, focus, v)]

    check.ok = ok  # type: ignore[attr-defined]
    return check


def _count(lo: int | None, hi: int | None) -> Check:
    def check(idx: _Index, focus: Node, values: Collection[Node]) -> list[Node | None]:
        n = len(values)  # values are distinct: a graph is a set of triples
        return [None] if (lo is not None and n < lo) or (hi is not None and n > hi) else []

    return check


def _ge(value: Node, bound: Any) -> bool:
    try:
        return isinstance(value, Literal) and value.toPython() >= bound
    except TypeError:
        return False


def _all_le(value: Node, others: Collection[Node]) -> bool:
    try:
        return all(
            isinstance(value, Literal) and isinstance(o, Literal) and value.toPython() <= o.toPython()
            for o in others
        )
    except TypeError:
        return False


def _unique_lang(idx: _Index, focus: Node, values: Collection[Node]) -> list[Node | None]:
    seen: set[str] = set()
    dup: set[str] = set()
    for v in values:
        lang = v.language if isinstance(v, Literal) else None
        if lang:
            (dup if lang.lower() in seen else seen).add(lang.lower())
    return [None] if dup else []


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes as an rdflib ``Graph`` (read by Oxigraph's parser: ``defkg.turtle``)."""
    from defkg import turtle

    return turtle.read(SHAPES) if SHAPES.exists() else Graph()


@lru_cache(maxsize=1)
def compiled_shapes() -> tuple[tuple[_Shape, ...], frozenset[Node]]:
    """The shapes that have targets, compiled once, and the predicates used as inverse paths."""
    g = shapes_graph()
    c = _Compiler(g)
    roots = set()
    for kind in _TARGETS:
        roots |= set(g.subjects(kind, None))
    roots -= {s for s in roots if (s, SH.deactivated, Literal(True)) in g}
    shapes = tuple(c.shape(s) for s in sorted(roots, key=str))
    inverse = frozenset(s.path[1] for s in c.compiled.values() if isinstance(s.path, tuple))
    return shapes, inverse


@lru_cache(maxsize=1)
def _pos_predicates() -> frozenset[Node]:
    """The predicates whose (predicate, object) -> subjects index the checks read: rdf:type and
    rdfs:subClassOf (classes), the shapes' target predicates and their inverse paths."""
    shapes, inverse = compiled_shapes()
    targets = {term for shape in shapes for kind, term in shape.targets if kind in ("subjects", "objects")}
    return frozenset({_TYPE, _SUBCLASS, *inverse, *targets})


def _focus_nodes(idx: _Index, shape: _Shape) -> set[Node]:
    nodes: set[Node] = set()
    for kind, term in shape.targets:
        if kind == "class":
            nodes |= idx.instances(term)
        elif kind == "subjects":
            nodes |= idx.subjects_of(term)
        elif kind == "objects":
            nodes |= idx.objects_of(term)
        else:
            nodes.add(term)
    return nodes


def _results(graph: TripleSource, stop: Callable[[Violation], bool] | None = None) -> list[Violation]:
    """Validation results, in shape and focus node order; only up to the first one for which
    ``stop`` is true, if given."""
    shapes, _ = compiled_shapes()
    idx = _Index(graph, _pos_predicates())
    out: list[Violation] = []
    for shape in shapes:
        # conforming is the common case, and cheaper to establish: it stops at the first failure
        failing = [f for f in _focus_nodes(idx, shape) if not shape.conforms(idx, f)]
        for focus in sorted(failing, key=str):
            n = len(out)
            shape.validate(idx, focus, out)
            if stop is not None:
                hit = next((v for v in out[n:] if stop(v)), None)
                if hit is not None:
                    return [*out[:n], hit]
    return out


def violations(graph: TripleSource, limit: int | None = None) -> list[Violation]:
    """Every validation result (violations and warnings) for an rdflib graph, at most ``limit``."""
    found = _results(graph)
    return found if limit is None else found[:limit]


def report(graph: TripleSource) -> tuple[bool, str]:
    """(conforms, report text): one line per result. As in SHACL, any result (even a
    warning) means the graph does not conform."""
    found = violations(graph)
    if not found:
        return True, "Conforms: True"
    errors = sum(v.severity == "Violation" for v in found)
    lines = [f"Conforms: False ({errors} violation(s), {len(found) - errors} warning(s))"]
    lines += [v.line() if v.severity == "Violation" else f"[{v.severity}] {v.line()}" for v in found]
    return False, "\n".join(lines)


def pyshacl_report(graph: Graph) -> tuple[bool, Graph, str]:
    """The full pyshacl engine on the same shapes (slow): (conforms, results graph, text).
    pyshacl comes with the test extra (``pip install 'defkg[test]'``)."""
    try:
        from pyshacl import validate
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ValidationError("pyshacl is not installed: pip install 'defkg[test]'") from e

    conforms, results, text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=True)
    return bool(conforms), results, str(text)


def check_graph(graph: TripleSource, source: str | None = None) -> None:
    """Raise ``ValidationError`` with a one-line reason if the graph has a violation
    (results of severity sh:Warning or sh:Info do not refuse the graph)."""
    found = _results(graph, stop=lambda v: v.severity == "Violation")
    first = found[-1] if found and found[-1].severity == "Violation" else None
    if first is not None:
        where = source or graph.identifier
        raise ValidationError(f"{where}: graph does not conform to the shapes: {first.line()}")
