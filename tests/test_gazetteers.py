"""Checks on the language gazetteers in src/defkg/lang/{tr,en}/*.tsv (format, keys, codes, coverage)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from defkg.textnorm import fold

PKG = Path(__file__).resolve().parents[1] / "src" / "defkg"
LANG = PKG / "lang"
LANGS = ("tr", "en")

# file -> expected columns (the formats the loader relies on)
SCHEMAS: dict[str, tuple[str, ...]] = {
    "months.tsv": ("month", "forms"),
    "weekdays.tsv": ("weekday", "forms"),
    "relative_dates.tsv": ("offset", "forms"),
    "ranks.tsv": ("key", "nato", "service", "forms"),
    "states.tsv": ("iso3", "kind", "forms"),
    "titles.tsv": ("key", "org", "head", "forms"),
    "orgs.tsv": ("key", "kind", "state", "qid", "forms"),
    "topics.tsv": ("key", "kind", "qid", "forms"),
    "places.tsv": ("key", "qid", "iso3", "forms"),
    "meeting_kinds.tsv": ("kind", "cue", "forms"),
    "roles.tsv": ("key", "forms"),
    "cues.tsv": ("cue", "forms"),
    "page.tsv": ("key", "text"),
    "honorifics.tsv": ("form",),
}

# columns whose value must be unique within one file
UNIQUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "months.tsv": ("month",),
    "weekdays.tsv": ("weekday",),
    "relative_dates.tsv": ("offset",),
    "ranks.tsv": ("key",),
    "states.tsv": ("iso3", "kind"),
    "titles.tsv": ("key",),
    "orgs.tsv": ("key",),
    "topics.tsv": ("key",),
    "places.tsv": ("key",),
    "meeting_kinds.tsv": ("kind", "cue"),
    "roles.tsv": ("key",),
    "cues.tsv": ("cue",),
    "page.tsv": ("key",),
    "honorifics.tsv": ("form",),
}

# files in which one surface form must not name two different things
FORM_OWNER: dict[str, str] = {
    "ranks.tsv": "key",
    "states.tsv": "iso3",
    "titles.tsv": "key",
    "orgs.tsv": "key",
    "topics.tsv": "key",
    "places.tsv": "key",
    "roles.tsv": "key",
    "months.tsv": "month",
    "weekdays.tsv": "weekday",
    "relative_dates.tsv": "offset",
    "meeting_kinds.tsv": "kind",
    "cues.tsv": "cue",
}

PATTERNS: dict[tuple[str, str], str] = {
    ("months.tsv", "month"): r"[1-9]|1[0-2]",
    ("weekdays.tsv", "weekday"): r"[0-6]",
    ("relative_dates.tsv", "offset"): r"-?\d+",
    ("ranks.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("ranks.tsv", "nato"): r"OF-\d+|OR-\d+|-",
    ("ranks.tsv", "service"): r"army|navy|air|any",
    ("states.tsv", "iso3"): r"[A-Z]{3}",
    ("states.tsv", "kind"): r"name|adjective|capital",
    ("titles.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("titles.tsv", "org"): r"[a-z0-9]+(-[a-z0-9]+)*|-",
    ("titles.tsv", "head"): r"yes|no",
    ("orgs.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("orgs.tsv", "kind"): r"Ministry|ArmedForce|Agency|InternationalOrganization|Company|ArmedNonStateGroup"
    r"|GovernmentBody",
    ("orgs.tsv", "state"): r"[A-Z]{3}|\*|-",
    ("orgs.tsv", "qid"): r"Q\d+|-",
    ("topics.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("topics.tsv", "kind"): r"Region|Theme|Conflict|Programme",
    ("topics.tsv", "qid"): r"Q\d+|-",
    ("places.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("places.tsv", "qid"): r"Q\d+|-",
    ("places.tsv", "iso3"): r"[A-Z]{3}|-",
    ("meeting_kinds.tsv", "kind"): r"Consultations|OfficialVisit|CourtesyCall|Talks|MinisterialMeeting"
    r"|DialogueGroupMeeting|SecurityMechanismMeeting|PhoneCall|Meeting",
    ("meeting_kinds.tsv", "cue"): r"noun|verb|speech",
    ("roles.tsv", "key"): r"[a-z0-9]+(-[a-z0-9]+)*",
    ("cues.tsv", "cue"): r"[a-z]+(-[a-z]+)*",
}

# files every language must have
REQUIRED = tuple(SCHEMAS)


def read(path: Path) -> tuple[str, tuple[str, ...], list[tuple[int, list[str]]]]:
    """Return (source line, header columns, [(line number, cells)]) of one gazetteer file."""
    if not path.is_file():
        pytest.skip(f"{path.parent.name}/{path.name} not written yet")
    lines = path.read_text(encoding="utf-8").split("\n")
    source = lines[0]
    header: tuple[str, ...] = ()
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.startswith("#columns:"):
            header = tuple(c.strip() for c in line[len("#columns:") :].split("\t"))
            continue
        if line.startswith("#"):
            continue
        rows.append((number, line.split("\t")))
    return source, header, rows


def table(lang: str, name: str) -> list[dict[str, str]]:
    _, header, rows = read(LANG / lang / name)
    return [dict(zip(header, cells, strict=True)) for _, cells in rows]


def forms(cell: str) -> list[str]:
    return cell.split("|")


CASES = [(lang, name) for lang in LANGS for name in SCHEMAS]


@pytest.mark.parametrize(("lang", "name"), [(lang, name) for lang in LANGS for name in REQUIRED])
def test_file_exists(lang: str, name: str) -> None:
    assert (LANG / lang / name).is_file(), f"missing {lang}/{name}"


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_format(lang: str, name: str) -> None:
    path = LANG / lang / name
    source, header, rows = read(path)
    assert re.fullmatch(r"# source: \S.*", source), "first line must be '# source: ...'"
    assert header == SCHEMAS[name], f"#columns header {header} != {SCHEMAS[name]}"
    assert rows, "no data rows"
    text = path.read_text(encoding="utf-8")
    assert "\r" not in text and "\ufeff" not in text
    for number, cells in rows:
        assert len(cells) == len(header), f"line {number}: {len(cells)} cells, want {len(header)}"
        for column, cell in zip(header, cells, strict=True):
            assert cell, f"line {number}: empty cell in {column} (use '-')"
            assert cell == cell.strip(), f"line {number}: spaces around {cell!r}"
            assert "  " not in cell, f"line {number}: double space in {cell!r}"
            pattern = PATTERNS.get((name, column))
            if pattern:
                assert re.fullmatch(pattern, cell), f"line {number}: {column}={cell!r} !~ {pattern}"
        if "forms" in header:
            parts = forms(cells[header.index("forms")])
            assert all(p and p == p.strip() for p in parts), f"line {number}: empty or padded form"
            assert "-" not in parts, f"line {number}: '-' as a form"
            duplicates = [p for p, n in Counter(parts).items() if n > 1]
            assert not duplicates, f"line {number}: repeated forms {duplicates}"


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_keys_unique(lang: str, name: str) -> None:
    columns = UNIQUE_COLUMNS[name]
    keys = Counter(tuple(row[c] for c in columns) for row in table(lang, name))
    duplicates = [k for k, n in keys.items() if n > 1]
    assert not duplicates, f"duplicate keys {duplicates}"


@pytest.mark.parametrize(("lang", "name"), [(lang, name) for lang in LANGS for name in FORM_OWNER])
def test_form_names_one_thing(lang: str, name: str) -> None:
    owner = FORM_OWNER[name]
    owners: dict[str, set[str]] = {}
    for row in table(lang, name):
        for form in forms(row["forms"]):
            owners.setdefault(fold(form), set()).add(row[owner])  # the matcher compares folded forms
    clashes = {f: sorted(o) for f, o in owners.items() if len(o) > 1}
    assert not clashes, f"forms naming several {owner}s: {clashes}"


def test_rank_keys_unique_across_languages() -> None:
    tr = {row["key"] for row in table("tr", "ranks.tsv")}
    en = {row["key"] for row in table("en", "ranks.tsv")}
    assert not tr & en, f"rank keys used in both languages: {sorted(tr & en)}"


@pytest.mark.parametrize("grade", ["OF-6", "OF-7", "OF-8", "OF-9", "OF-10"])
@pytest.mark.parametrize("lang", LANGS)
def test_general_officer_grades_covered(lang: str, grade: str) -> None:
    assert any(row["nato"] == grade for row in table(lang, "ranks.tsv"))


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("months.tsv", "month", {str(m) for m in range(1, 13)}),
        ("weekdays.tsv", "weekday", {str(d) for d in range(7)}),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_calendar_complete(lang: str, name: str, column: str, expected: set[str]) -> None:
    assert {row[column] for row in table(lang, name)} == expected


@pytest.mark.parametrize(
    ("offset", "lang", "form"),
    [
        ("0", "tr", "bugün"),
        ("-1", "tr", "dün"),
        ("1", "tr", "yarın"),
        ("0", "en", "today"),
        ("-1", "en", "yesterday"),
        ("1", "en", "tomorrow"),
    ],
)
def test_relative_dates(offset: str, lang: str, form: str) -> None:
    rows = {row["offset"]: forms(row["forms"]) for row in table(lang, "relative_dates.tsv")}
    assert form in rows[offset]


@pytest.mark.parametrize(
    ("lang", "iso3", "kind", "form"),
    [
        ("tr", "TUR", "name", "Türkiye"),
        ("en", "TUR", "name", "Türkiye"),
        ("en", "TUR", "name", "Turkey"),
        ("tr", "TUR", "adjective", "Türk"),
        ("en", "TUR", "adjective", "Turkish"),
        ("tr", "GBR", "name", "İngiltere"),
        ("tr", "GBR", "name", "Birleşik Krallık"),
        ("en", "GBR", "name", "UK"),
        ("tr", "GBR", "adjective", "İngiliz"),
        ("en", "GBR", "adjective", "British"),
        ("tr", "USA", "name", "ABD"),
        ("en", "USA", "name", "U.S."),
        ("en", "USA", "adjective", "American"),
        ("tr", "DEU", "adjective", "Alman"),
        ("tr", "HUN", "adjective", "Macar"),
        ("tr", "GBR", "capital", "Londra"),
        ("en", "PAK", "adjective", "Pakistani"),
        ("tr", "SYR", "capital", "Şam"),
        ("en", "JPN", "capital", "Tokyo"),
    ],
)
def test_known_state_forms(lang: str, iso3: str, kind: str, form: str) -> None:
    rows = [row for row in table(lang, "states.tsv") if row["iso3"] == iso3 and row["kind"] == kind]
    assert rows and form in forms(rows[0]["forms"])


@pytest.mark.parametrize("lang", LANGS)
def test_states_same_codes_in_both_languages(lang: str) -> None:
    """Capitals may be left out where the name is ambiguous, names never."""
    other = "en" if lang == "tr" else "tr"
    mine = {row["iso3"] for row in table(lang, "states.tsv") if row["kind"] == "name"}
    theirs = {row["iso3"] for row in table(other, "states.tsv") if row["kind"] == "name"}
    assert mine <= theirs, f"only in {lang}: {sorted(mine - theirs)}"


def reference_iso3() -> set[str]:
    """ISO3 codes of the reference states table (src/defkg/data/states.tsv, written by a colleague)."""
    path = PKG / "data" / "states.tsv"
    if not path.is_file():
        pytest.skip("src/defkg/data/states.tsv not written yet")
    header: list[str] = []
    codes: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#columns:"):
            header = [c.strip() for c in line[len("#columns:") :].split("\t")]
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if "iso3" in cells:
                header = cells
                continue
            header = ["iso3"]
        column = header.index("iso3") if "iso3" in header else 0
        if column < len(cells) and re.fullmatch(r"[A-Z]{3}", cells[column]):
            codes.add(cells[column])
    return codes


@pytest.mark.parametrize("lang", LANGS)
def test_every_reference_state_has_a_name(lang: str) -> None:
    named = {row["iso3"] for row in table(lang, "states.tsv") if row["kind"] == "name"}
    missing = sorted(reference_iso3() - named)
    assert not missing, f"states without a {lang} name row: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_titles_point_at_known_orgs(lang: str) -> None:
    orgs = {row["key"] for row in table(lang, "orgs.tsv")}
    unknown = {row["org"] for row in table(lang, "titles.tsv")} - orgs - {"-"}
    assert not unknown, f"titles name unknown orgs: {sorted(unknown)}"


@pytest.mark.parametrize(
    "name", ["titles.tsv", "orgs.tsv", "topics.tsv", "places.tsv", "roles.tsv", "cues.tsv"]
)
def test_same_keys_in_both_languages(name: str) -> None:
    column = UNIQUE_COLUMNS[name][0]
    tr = {row[column] for row in table("tr", name)}
    en = {row[column] for row in table("en", name)}
    assert tr == en, f"only tr: {sorted(tr - en)}; only en: {sorted(en - tr)}"


@pytest.mark.parametrize("lang", LANGS)
def test_same_qids_for_same_keys(lang: str) -> None:
    """An org, topic or place key carries the same Wikidata id (and state) in both languages."""
    other = "en" if lang == "tr" else "tr"
    for name, columns in (
        ("orgs.tsv", ("qid", "state", "kind")),
        ("topics.tsv", ("qid", "kind")),
        ("places.tsv", ("qid", "iso3")),
    ):
        mine = {row["key"]: tuple(row[c] for c in columns) for row in table(lang, name)}
        theirs = {row["key"]: tuple(row[c] for c in columns) for row in table(other, name)}
        differ = {k: (v, theirs[k]) for k, v in mine.items() if k in theirs and theirs[k] != v}
        assert not differ, f"{name}: {differ}"


@pytest.mark.parametrize(
    ("lang", "key", "form"),
    [
        ("tr", "tumgeneral", "Tümgeneral"),
        ("tr", "orgeneral", "Orgeneral"),
        ("tr", "maresal", "Mareşal"),
        ("en", "major-general", "Maj. Gen."),
        ("en", "field-marshal", "Field Marshal"),
        ("en", "air-vice-marshal", "AVM"),
        ("en", "colonel-general", "Colonel General"),
    ],
)
def test_known_ranks(lang: str, key: str, form: str) -> None:
    rows = {row["key"]: row for row in table(lang, "ranks.tsv")}
    assert form in forms(rows[key]["forms"])


def test_counterpart_groups_name_known_titles() -> None:
    """``data/counterparts.tsv``: a source line, and only title keys both languages know."""
    from defkg.gazetteer import counterpart_groups

    path = PKG / "data" / "counterparts.tsv"
    assert path.read_text(encoding="utf-8").startswith("# source: ")
    groups = counterpart_groups()
    assert len(groups) >= 2
    for lang in LANGS:
        known = {r[0] for _, r in read(LANG / lang / "titles.tsv")[2]}
        assert set(groups) <= known, f"{lang}: unknown title keys {sorted(set(groups) - known)}"
