from datetime import date

import pytest

from defkg.pipeline.dates import find_dates, publication_date
from defkg.pipeline.tokens import find, tokenize

PUB = date(2025, 6, 2)  # a Monday


def dates_in(text: str, lang: str, published: date | None = PUB):
    toks = tokenize(text)
    return [(d.start, d.end) for d in find_dates(toks, find(toks, lang), text, published)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("29-30 Mayıs tarihlerinde Londra'da", "tr", [(date(2025, 5, 29), date(2025, 5, 30))]),
        ("14 Ocak'ta Berlin'de", "tr", [(date(2025, 1, 14), date(2025, 1, 14))]),
        ("3 Aralık 2024 Salı günü", "tr", [(date(2024, 12, 3), date(2024, 12, 3)), (date(2025, 5, 27),) * 2]),
        ("Heyet dün Şam'da kabul edildi", "tr", [(date(2025, 6, 1), date(2025, 6, 1))]),
        ("bugün Ankara'da", "tr", [(PUB, PUB)]),
        ("On May 28, the ministers met", "en", [(date(2025, 5, 28), date(2025, 5, 28))]),
        ("January 15, 2025 Ministry of Defense", "en", [(date(2025, 1, 15), date(2025, 1, 15))]),
        ("the talks on 3-5 March 2024", "en", [(date(2024, 3, 3), date(2024, 3, 5))]),
        ("met with him today at the Pentagon", "en", [(PUB, PUB)]),
        ("called on him on Friday", "en", [(date(2025, 5, 30), date(2025, 5, 30))]),
        ("15.01.2026 16:33", "tr", [(date(2026, 1, 15), date(2026, 1, 15))]),
        ("no date here at all", "en", []),
    ],
)
def test_dates(text, lang, expected):
    assert dates_in(text, lang) == expected


def test_year_less_dates_need_a_publication_date():
    assert dates_in("29-30 Mayıs tarihlerinde", "tr", None) == [(None, None)]


def test_year_less_date_takes_the_closest_past_year():
    # published in January: "28 Aralık" is last December, not the coming one
    assert dates_in("28 Aralık'ta", "tr", date(2026, 1, 3)) == [(date(2025, 12, 28), date(2025, 12, 28))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Mart 2025 Pazartesi\n\nBaşlık\n\nMetin 1 Mart'ta.", date(2025, 3, 3)),
        ("Headline\nApril 13, 2017\nBody text that is long.", date(2017, 4, 13)),
        ("Headline only", None),
    ],
)
def test_publication_date_from_text(text, expected):
    toks = tokenize(text)
    lang = "en" if "Headline" in text else "tr"
    assert publication_date(find_dates(toks, find(toks, lang), text, None), text) == expected
