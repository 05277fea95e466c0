"""`defkg dataset`: the events and dyad-year tables read back with pandas from a store of the
seed article, the project's own test corpus and two reports of an agreement and an exercise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from defkg.cli.main import cli
from defkg.dataset import DYAD_COLUMNS, EVENT_COLUMNS, read, write
from defkg.ingest import ingest
from defkg.store import Store

ROOT = Path(__file__).resolve().parent.parent

AGREEMENT = """---
url: https://example.org/italy-greece-mou
published: 2024-03-05
---
Italy and Greece sign naval cooperation memorandum

ROME — Italian Defence Minister Marco Bellini met Greek Defence Minister Nikos Varvakis in Rome on Monday.
After their talks the two ministers signed a memorandum of understanding on naval cooperation.
"""

EXERCISE = """---
url: https://example.org/tatbikat
published: 2024-06-03
---
Kazakistan ile Özbekistan ortak askeri tatbikata başladı

Kazakistan ve Özbekistan silahlı kuvvetleri, 3-7 Haziran tarihleri arasında ortak askeri tatbikat icra ediyor.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    src = tmp_path_factory.mktemp("articles")
    corpus = sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:4]  # a few of our own, both languages
    for f in [*sorted((ROOT / "examples").glob("*.txt")), *corpus]:
        shutil.copy(f, src / f.name)
    (src / "zz_en_italy-greece-mou.txt").write_text(AGREEMENT, encoding="utf-8")
    (src / "zz_tr_kazakistan-ozbekistan-tatbikat.txt").write_text(EXERCISE, encoding="utf-8")
    store = tmp_path_factory.mktemp("store") / "s"
    ingest([src], store, jobs=1)
    out = tmp_path_factory.mktemp("dataset")
    with Store(store, read_only=True) as st:
        data = read(st)
    write(data, out)
    events = pd.read_csv(out / "events.csv", encoding="utf-8", keep_default_na=False, na_values=[""])
    dyads = pd.read_csv(out / "dyad_years.csv", encoding="utf-8")
    return store, out, events, dyads


def _count(store: Path, cls: str) -> int:
    with Store(store, read_only=True) as st:
        q = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a {cls} }}"
        return int(next(iter(st.query(q)))[0].value)


def test_columns_and_codebook(built):
    _, out, events, dyads = built
    assert tuple(events.columns) == EVENT_COLUMNS
    assert tuple(dyads.columns) == DYAD_COLUMNS
    book = (out / "codebook.md").read_text(encoding="utf-8")
    for col in EVENT_COLUMNS + DYAD_COLUMNS:
        assert f"`{col}`" in book, col


def test_seed_dyad_has_a_meeting(built):
    _, _, _, dyads = built
    row = dyads[(dyads.iso3_1 == "GBR") & (dyads.iso3_2 == "TUR") & (dyads.year == 2025)]
    assert len(row) == 1
    assert row.iloc[0].meetings >= 1
    assert (row.iloc[0].ccode1, row.iloc[0].ccode2) == (200, 640)


def test_ccode1_below_ccode2_everywhere(built):
    _, _, events, dyads = built
    assert len(dyads) >= 5
    assert (dyads.ccode1 < dyads.ccode2).all()
    coded = events.dropna(subset=["ccode1", "ccode2"])
    assert (coded.ccode1 < coded.ccode2).all()


def test_counts_equal_the_store(built):
    store, _, events, dyads = built
    per_type = events.drop_duplicates("event_id").groupby("type").size()
    assert per_type.get("agreement", 0) == _count(store, "dk:DefenceAgreement") >= 1
    assert per_type.get("exercise", 0) == _count(store, "dk:Exercise") >= 1
    assert sum(per_type.get(t, 0) for t in ("meeting", "visit", "call")) == _count(store, "dk:Meeting")
    # the dyad-years add up the counted rows of the events table
    held = events[(events.status == "Reported") & events.ccode1.notna() & events.year.notna()]
    assert dyads.meetings.sum() == held.type.isin(["meeting", "visit"]).sum()
    assert dyads.calls.sum() == (held.type == "call").sum()
    assert dyads.visits_1_to_2.sum() + dyads.visits_2_to_1.sum() == (held.direction.notna()).sum()
    assert (
        dyads.events.sum() == (dyads.meetings + dyads.calls + dyads.agreements_signed + dyads.exercises).sum()
    )


def test_known_agreement_and_exercise_rows(built):
    _, _, events, dyads = built
    (mou,) = events[(events.type == "agreement") & (events.iso3_1 == "ITA")].itertuples()
    assert (mou.iso3_2, mou.subtype, mou.date, mou.status) == (
        "GRC",
        "MemorandumOfUnderstanding",
        "2024-03-04",
        "Reported",
    )
    assert {mou.principal_1, mou.principal_2} == {"Marco Bellini", "Nikos Varvakis"}
    assert (mou.level_1, mou.level_2) == (2, 2)
    assert "memorandum" in mou.evidence  # the first sentence telling of the signing (the headline)
    (ex,) = events[(events.type == "exercise") & (events.iso3_2 == "KAZ")].itertuples()
    assert (ex.iso3_1, ex.ccode1, ex.ccode2, ex.date, ex.year) == ("UZB", 704, 705, "2024-06-03", 2024)
    row = dyads[(dyads.iso3_1 == "ITA") & (dyads.iso3_2 == "GRC") & (dyads.year == 2024)].iloc[0]
    assert (row.agreements_signed, row.max_level) == (1, 2)


def test_parquet_and_cli(built, tmp_path):
    store, _, events, _ = built
    result = CliRunner().invoke(
        cli, ["dataset", "--store", str(store), "--out", str(tmp_path), "--format", "parquet"]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(tmp_path / "events.parquet")
    assert len(table) == len(events)
    assert (tmp_path / "dyad_years.parquet").exists() and (tmp_path / "codebook.md").exists()
    help_text = CliRunner().invoke(cli, ["dataset", "--help"]).output
    assert "Examples:" in help_text


def test_pair_timeline_and_explain_know_agreements_and_exercises(built):
    from defkg import analysis
    from defkg.explain import explain

    store, _, events, _ = built
    with Store(store, read_only=True) as st:
        kinds = {(e.kind, e.date) for e in analysis.timeline(st, "ITA", "GRC")}
        assert ("MemorandumOfUnderstanding", "2024-03-04") in kinds
        assert any(k != "MemorandumOfUnderstanding" for k, _ in kinds)  # the meeting it was signed at
        assert [e.kind for e in analysis.timeline(st, "UZB", "KAZ")] == ["Exercise"]
        iri = events[(events.type == "agreement") & (events.iso3_1 == "ITA")].event_id.iloc[0]
        facts = explain(st, iri)
        assert {f.predicate for f in facts} >= {"dk:party", "dk:agreementKind", "dk:signedOn"}
        assert all(f.sentence for f in facts)
