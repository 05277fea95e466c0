"""Exercises held or announced: our own short reports in English and Turkish, each with the
exercises it must give (participating states, name, dates, status) and reports that must
give none (an earlier edition, exercises only discussed, one state's own drill)."""

from __future__ import annotations

from datetime import date

import pytest

from defkg.pipeline.events import extract
from defkg.pipeline.reader import read_text


def exercises(text: str, published: str = "2024-05-14"):  # a Tuesday
    article = read_text(text, "test", {"published": published, "url": "https://example.org/e"})
    return extract(article)


HELD = [
    (  # a name after "called", a start from "on Monday"
        "en",
        'Indonesian and Australian troops on Monday began a joint military exercise, called "Exercise Coral '
        'Shield", in the north of Australia.\nThe drills will last two weeks.',
        [(("AUS", "IDN"), "Coral Shield", date(2024, 5, 13), "Reported")],
    ),
    (  # announced, with a date range
        "en",
        "The navies of Spain and Portugal will hold a joint naval exercise from 10 to 14 June, the Spanish "
        "defence ministry said.",
        [(("ESP", "PRT"), None, date(2024, 6, 10), "Planned")],
    ),
    (  # observers are not participants
        "en",
        "Russia and Belarus launched the joint exercise Union Shield on 5 May.\n"
        "Kazakhstan was invited to observe the exercise.",
        [(("BLR", "RUS"), "Union Shield", date(2024, 5, 5), "Reported")],
    ),
    (  # an end from "kadar"; the start from the report's day ("bugün")
        "tr",
        "Türk ve Pakistan deniz kuvvetleri bugün ortak tatbikata başladı.\n"
        "Tatbikat 20 Mayıs'a kadar sürecek.",
        [(("PAK", "TUR"), None, date(2024, 5, 14), "Reported")],
    ),
    (  # a name before "adlı", announced with a year-less range
        "tr",
        "Kazakistan ile Özbekistan, “Bozkır Kalkanı-2024” adlı ortak tatbikatı 3-7 Haziran tarihleri "
        "arasında icra edecek.",
        [(("KAZ", "UZB"), "Bozkır Kalkanı-2024", date(2024, 6, 3), "Planned")],
    ),
    (  # the earlier editions recalled in the last sentence are not this exercise
        "tr",
        "Gürcistan ve Azerbaycan askeri birlikleri Tiflis'te ortak askeri tatbikata başladı.\n"
        "Tatbikat 2019 ve 2021 yıllarında da Azerbaycan'ın ev sahipliğinde icra edilmişti.",
        [(("AZE", "GEO"), None, None, "Reported")],
    ),
]

HELD += [
    (  # a state in a sea's name is no participant; a name with a number before the noun
        "en",
        "Troops from China and Russia took part in the Joint Sea-2024 naval drills in the Sea of Japan "
        "on Sunday.",
        [(("CHN", "RUS"), "Joint Sea-2024", date(2024, 5, 12), "Reported")],
    ),
    (
        "tr",
        "Çin ve Rusya donanmaları Japon Denizi'nde ortak deniz tatbikatına başladı, Çin Savunma Bakanlığı "
        "açıklamasında belirtti.",
        [(("CHN", "RUS"), None, None, "Reported")],
    ),
    (  # announced for tomorrow
        "tr",
        "Türkiye-Mısır ortak tatbikatı yarın başlayacak ve bir hafta sürecek, Bakanlık bu konuda "
        "bir açıklama yaptı.",
        [(("EGY", "TUR"), None, date(2024, 5, 15), "Planned")],
    ),
]

NONE = [
    ("en", "Last year, Egypt and Greece held a joint air exercise off Crete."),
    ("en", "The ministers of India and Vietnam agreed to expand bilateral exercises and training."),
    ("en", "The Turkish navy began its national exercise in the Aegean Sea on Monday."),
    ("en", "Japan urged China to exercise restraint in the East China Sea."),
    ("tr", "İki bakan, ortak tatbikatların artırılması konusunda görüş alışverişinde bulundu."),
    ("tr", "Tatbikat 2019 yılında Yunanistan ile İtalya'nın katılımıyla icra edilmişti."),
]


@pytest.mark.parametrize(("lang", "text", "expected"), HELD)
def test_exercises_held_or_announced(lang, text, expected):
    x = exercises(text)
    assert x.article.language == lang
    got = sorted((e.states, e.name, e.start, e.status) for e in x.exercises)
    want = sorted(expected, key=str)
    assert len(got) == len(want)
    for (states, name, start, status), (w_states, w_name, w_start, w_status) in zip(
        sorted(got, key=str), want, strict=True
    ):
        assert states == w_states
        assert (w_name is None and name is None) or (w_name and name and w_name in name)
        assert start == w_start
        assert status == w_status


@pytest.mark.parametrize(("lang", "text"), NONE)
def test_no_exercise(lang, text):
    x = exercises(text)
    assert x.article.language == lang
    assert x.exercises == ()


def test_exercise_end_and_observers():
    x = exercises(HELD[3][1])
    assert [(e.start, e.end) for e in x.exercises] == [(date(2024, 5, 14), date(2024, 5, 20))]
    x = exercises(HELD[2][1])
    assert [e.observers for e in x.exercises] == [("KAZ",)]


def test_exercise_domain_and_evidence():
    (e,) = exercises(HELD[3][1]).exercises
    assert e.domain == "Maritime"
    assert 0 in e.evidence
