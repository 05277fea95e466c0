"""Language knowledge loaded once from ``lang/<lang>/*.tsv`` and ``data/*.tsv``.

Each TSV starts with ``# source: ...`` and a ``#columns: a b c`` header; ``-`` is an
empty cell and ``|`` separates surface forms. Surface forms are compiled into one
token trie per language (see ``defkg.pipeline.tokens``), so finding every mention in
an article is a single left-to-right pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from defkg.model import OrgRef, PlaceRef, RankRef, StateRef, TopicRef
from defkg.textnorm import fold

LANGUAGES = ("tr", "en")


def _root() -> Path:
    return Path(str(resources.files("defkg")))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a data file as dicts keyed by the ``#columns:`` header; ``-`` becomes ``""``."""
    if not path.exists():
        return []
    columns: list[str] | None = None
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            if line.startswith("#columns:"):
                columns = line[len("#columns:") :].split()
            continue
        cells = line.split("\t")
        if columns is None:
            raise ValueError(f"{path}: data before the '#columns:' header")
        cells += [""] * (len(columns) - len(cells))
        rows.append(
            {c: ("" if v.strip() == "-" else v.strip()) for c, v in zip(columns, cells, strict=False)}
        )
    return rows


def forms(cell: str) -> list[str]:
    return [f.strip() for f in cell.split("|") if f.strip()]


def lang_file(lang: str, name: str) -> Path:
    """A data file of one language: ``src/defkg/lang/<lang>/<name>``."""
    return _root() / "lang" / lang / name


def lang_forms(lang: str, name: str, role: str | None = None) -> list[str]:
    """The forms of a language's data file (of its rows of one ``role``, if given), in file order."""
    return [
        f
        for r in read_tsv(lang_file(lang, name))
        if role is None or r["role"] == role
        for f in forms(r["forms"])
    ]


@dataclass(frozen=True)
class Title:
    key: str
    org: str | None
    head: bool


@dataclass(frozen=True)
class Entry:
    """What a surface form means: a category and a key, plus the form's own kind."""

    # state | org | rank | title | place | topic | month | weekday | relday | kind | role | cue | honorific
    category: str
    key: str
    kind: str = ""  # for states: name | adjective | capital; for meeting kinds: noun | verb; cues: cue name


@dataclass
class Gazetteer:
    lang: str
    states: dict[str, StateRef] = field(default_factory=dict)
    ranks: dict[str, RankRef] = field(default_factory=dict)
    titles: dict[str, Title] = field(default_factory=dict)
    orgs: dict[str, OrgRef] = field(default_factory=dict)
    places: dict[str, PlaceRef] = field(default_factory=dict)
    topics: dict[str, TopicRef] = field(default_factory=dict)
    generic_orgs: set[str] = field(default_factory=set)  # orgs that take their state from context
    forms: list[tuple[str, Entry]] = field(default_factory=list)
    iso2: dict[str, str] = field(default_factory=dict)  # "TR" -> "TUR"
    name_stop: set[str] = field(default_factory=set)  # folded words that are never part of a name
    particles: set[str] = field(default_factory=set)  # lower-case words allowed inside names
    co_chair: set[str] = field(default_factory=set)  # folded forms saying two people chaired together


@lru_cache(maxsize=1)
def reference_states() -> dict[str, StateRef]:
    out = {}
    for r in read_tsv(_root() / "data" / "states.tsv"):
        out[r["iso3"]] = StateRef(r["iso3"], r["qid"], r["label_en"], r["label_tr"] or r["label_en"])
    return out


@lru_cache(maxsize=1)
def reference_iso2() -> dict[str, str]:
    return {r["iso2"]: r["iso3"] for r in read_tsv(_root() / "data" / "states.tsv") if r.get("iso2")}


@lru_cache(maxsize=1)
def counterpart_groups() -> dict[str, str]:
    """Title key -> group of posts that meet as counterparts (``data/counterparts.tsv``)."""
    rows = read_tsv(_root() / "data" / "counterparts.tsv")
    return {t: r["group"] for r in rows for t in forms(r["titles"])}


@dataclass(frozen=True)
class Official:
    """A known office holder (``data/officials.tsv``): evidence of a person's state, never a finding."""

    key: tuple[str, ...]  # folded name tokens
    state: str
    office: str
    start: int
    end: int | None


@lru_cache(maxsize=1)
def officials() -> tuple[Official, ...]:
    out = []
    for r in read_tsv(_root() / "data" / "officials.tsv"):
        for f in forms(r["name"]):
            key = tuple(fold(w) for w in f.replace("-", " ").replace(".", " ").split())
            end = int(r["to"]) if r["to"] else None
            out.append(Official(key, r["state"], r["office"], int(r["from"]), end))
    return tuple(out)


@lru_cache(maxsize=1)
def _officials_by_surname() -> dict[str, list[Official]]:
    out: dict[str, list[Official]] = {}
    for o in officials():
        out.setdefault(o.key[-1], []).append(o)
    return out


@lru_cache(maxsize=1)
def official_names() -> frozenset[tuple[str, ...]]:
    """The folded full names of the known office holders (to tell "Gen Nakatani", a name, from
    "Gen Nakatani" read as a rank and a surname; never to find a person)."""
    return frozenset(o.key for o in officials())


def official_state(key: tuple[str, ...], year: int | None = None) -> str | None:
    """The state of the known office holder a name refers to (full name, or a surname alone when all
    holders of that surname served one state), in office around ``year`` when it is known."""
    if not key:
        return None
    flat = tuple(w for part in key for w in part.replace("-", " ").split())
    found = set()
    for o in _officials_by_surname().get(flat[-1], ()):
        if year is not None and not (o.start - 1 <= year <= (o.end or 9999) + 1):
            continue
        short, long_ = (flat, o.key) if len(flat) <= len(o.key) else (o.key, flat)
        if short[-1] == long_[-1] and set(short) <= set(long_):
            found.add(o.state)
    return found.pop() if len(found) == 1 else None


@cache
def grammar(role: str, lang: str | None = None) -> tuple[str, ...]:
    """Forms of one grammatical role (``lang/*/grammar.tsv``) in either language (or in ``lang``
    only), longest first: the pipeline reads Turkish case endings and English joining words alike."""
    found = {
        f
        for language in (LANGUAGES if lang is None else (lang,))
        for f in lang_forms(language, "grammar.tsv", role)
    }
    return tuple(sorted(found, key=lambda f: (-len(f), f)))


@cache
def load(lang: str) -> Gazetteer:
    """The gazetteer of one language (loaded once per process)."""
    d = _root() / "lang" / lang
    g = Gazetteer(lang, states=reference_states(), iso2=reference_iso2())
    add = g.forms.append

    for r in read_tsv(d / "states.tsv"):
        if r["iso3"] in g.states:
            for f in forms(r["forms"]):
                add((f, Entry("state", r["iso3"], r["kind"])))
    for r in read_tsv(d / "ranks.tsv"):
        fs = forms(r["forms"])
        if not fs:
            continue
        # the label: the first form, hyphens as spaces ("Air Vice-Marshal" -> "Air Vice Marshal")
        label = fs[0].replace("-", " ")
        g.ranks[r["key"]] = RankRef(r["key"], label, r["nato"] or None, r["service"] or None)
        for f in fs:
            add((f, Entry("rank", r["key"])))
    for r in read_tsv(d / "titles.tsv"):
        g.titles[r["key"]] = Title(r["key"], r["org"] or None, r["head"] == "yes")
        for f in forms(r["forms"]):
            add((f, Entry("title", r["key"])))
    for r in read_tsv(d / "orgs.tsv"):
        fs = forms(r["forms"])
        if not fs:
            continue
        state = r["state"] if r["state"] not in ("", "*") else None
        acronym = next((f for f in fs if f.isupper() and len(f) <= 8), None)
        g.orgs[r["key"]] = OrgRef(r["key"], fs[0], r["kind"], state, r["qid"] or None, acronym)
        if r["state"] == "*":
            g.generic_orgs.add(r["key"])
        for f in fs:
            add((f, Entry("org", r["key"])))
    for r in read_tsv(d / "places.tsv"):
        fs = forms(r["forms"])
        if not fs:
            continue
        g.places[r["key"]] = PlaceRef(r["key"], fs[0], r["qid"] or None, r["iso3"] or None)
        for f in fs:
            add((f, Entry("place", r["key"])))
    for r in read_tsv(d / "topics.tsv"):
        fs = forms(r["forms"])
        if not fs:
            continue
        g.topics[r["key"]] = TopicRef(r["key"], fs[0], r["kind"] or "Theme", r["qid"] or None)
        for f in fs:
            add((f, Entry("topic", r["key"])))
    for name, col in (("months", "month"), ("weekdays", "weekday"), ("relative_dates", "offset")):
        cat = {"months": "month", "weekdays": "weekday", "relative_dates": "relday"}[name]
        for r in read_tsv(d / f"{name}.tsv"):
            for f in forms(r["forms"]):
                add((f, Entry(cat, r[col])))
    for r in read_tsv(d / "meeting_kinds.tsv"):
        for f in forms(r["forms"]):
            add((f, Entry("kind", r["kind"], r["cue"])))
    for r in read_tsv(d / "roles.tsv"):
        for f in forms(r["forms"]):
            add((f, Entry("role", r["key"])))
    for r in read_tsv(d / "cues.tsv"):
        for f in forms(r["forms"]):
            add((f, Entry("cue", r["cue"], r["cue"])))
            if r["cue"] == "co-chair":
                g.co_chair.add(fold(f))
    for r in read_tsv(d / "names.tsv"):
        target = g.name_stop if r["kind"] == "stop" else g.particles
        target.update(fold(f) for f in forms(r["forms"]))
    for r in read_tsv(d / "honorifics.tsv"):
        for f in forms(r.get("form") or r.get("forms") or ""):
            add((f, Entry("honorific", f)))
    return g
