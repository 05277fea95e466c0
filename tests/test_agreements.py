"""Agreements signed: our own short reports in English and Turkish, each with the agreements
it must give (parties, kind, signing date) and reports that must give none (plans, renewals,
negotiations, agreements only in force or signed in some earlier year)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defkg.pipeline import cuewords
from defkg.pipeline.events import extract
from defkg.pipeline.reader import read_text
from defkg.pipeline.tokens import tokenize


def agreements(text: str, published: str = "2024-05-14", url: str = "https://example.org/a"):
    article = read_text(text, "test", {"published": published, "url": url})
    return extract(article)


SIGNED = [
    (  # the agreement named only as the subject of the protocol signed is not a second document
        "tr",
        "Görüşmenin ardından Türkiye ile Arnavutluk arasında askeri işbirliği anlaşmasına ilişkin uygulama "
        "protokolü imzalandı.",
        [(("ALB", "TUR"), "ImplementingArrangement", None)],
    ),
    (  # the signing day from a weekday in the signing sentence
        "en",
        "Norway and Poland sign naval training deal\n\n"
        "OSLO — Norwegian Defence Minister Ola Brekke and his Polish counterpart Jan Wiśniak signed a "
        "memorandum of understanding on naval training cooperation in Oslo on Monday.\n"
        "The two ministers also discussed the security of the Baltic Sea.",
        [(("NOR", "POL"), "MemorandumOfUnderstanding", date(2024, 5, 13))],
    ),
    (  # two documents in one sentence are two agreements
        "en",
        "Brazilian Defence Minister Paulo Andrade and Argentine Defence Minister Luis Ferro signed a defence "
        "cooperation agreement and a protocol on logistics support in Brasília on 2 May 2024.",
        [
            (("ARG", "BRA"), "DefenceCooperationAgreement", date(2024, 5, 2)),
            (("ARG", "BRA"), "ImplementingArrangement", date(2024, 5, 2)),
        ],
    ),
    (  # "the two countries": the parties and the date come from the meeting the report tells of
        "en",
        "Estonian Defence Minister Kaarel Tamm met Latvian Defence Minister Andris Ozols in Tallinn on "
        "3 May 2024.\nAt the end of their talks the two ministers signed an agreement on air defence "
        "cooperation between the two countries.",
        [(("EST", "LVA"), "DefenceCooperationAgreement", date(2024, 5, 3))],
    ),
    (  # one agreement told of three times (a headline, the lead, "the SOFA")
        "en",
        "Japan, Philippines sign status of forces agreement\n\n"
        "Japan and the Philippines today signed a Status of Forces Agreement that lets their troops "
        "train in each other's territory.\nThe SOFA was signed by the two defence ministers in Manila.",
        [(("JPN", "PHL"), "StatusOfForcesAgreement", date(2024, 5, 14))],
    ),
    (
        "tr",
        "Milli Savunma Bakanı Yaşar Güler, Gürcistan Savunma Bakanı Irakli Beridze ile Ankara'da bir araya "
        "geldi.\nGörüşmenin ardından iki bakan tarafından Askeri Eğitim İşbirliği Mutabakat Muhtırası "
        "imzalandı.",
        [(("GEO", "TUR"), "MemorandumOfUnderstanding", None)],
    ),
    (
        "tr",
        "Azerbaycan ile Türkiye arasında 10 Mayıs 2024 tarihinde Bakü'de Askeri Çerçeve Anlaşması imzalandı.",
        [(("AZE", "TUR"), "DefenceCooperationAgreement", date(2024, 5, 10))],
    ),
    (  # a bare "anlaşma" after the titled one is the same document
        "tr",
        "Macaristan ile Sırbistan savunma bakanları dün Belgrad'da Savunma Sanayii İşbirliği Anlaşması "
        "imzaladı.\nAnlaşma, iki ülke savunma sanayileri arasında ortak üretimi öngörüyor.\n"
        "Bakanlar anlaşmayı imzaladıktan sonra basın toplantısı düzenledi.",
        [(("HUN", "SRB"), "DefenceCooperationAgreement", date(2024, 5, 13))],
    ),
    (  # an exchange of documents concludes them (South Asian releases' wording)
        "en",
        "India and Vietnam exchanged a memorandum of understanding on defence industry cooperation in "
        "Hanoi on 13 May 2024.",
        [(("IND", "VNM"), "MemorandumOfUnderstanding", date(2024, 5, 13))],
    ),
    (  # a reciprocal access agreement is a status-of-forces agreement
        "en",
        "Japan and Australia signed a Reciprocal Access Agreement in Tokyo on 13 May 2024.",
        [(("AUS", "JPN"), "StatusOfForcesAgreement", date(2024, 5, 13))],
    ),
    (  # "teati edildi": exchanged, so concluded
        "tr",
        "Türkiye ile Endonezya arasında Savunma Sanayii İşbirliği Mutabakat Muhtırası 13 Mayıs'ta Ankara'da "
        "teati edildi.",
        [(("IDN", "TUR"), "MemorandumOfUnderstanding", date(2024, 5, 13))],
    ),
]

SIGNED += [
    (  # three parties named in the signing sentence: a trilateral memorandum
        "en",
        "The defence ministers of Azerbaijan, Georgia and Türkiye signed a trilateral memorandum of "
        "understanding on military cooperation in Tbilisi on Monday.",
        [(("AZE", "GEO", "TUR"), "MemorandumOfUnderstanding", date(2024, 5, 13))],
    ),
]

NONE = [
    (
        "tr",
        "Türkiye ile Tunus askeri heyetleri bir araya geldi. "
        "Heyetler, toplantı sonunda mutabakat tutanağını imzaladı.",
    ),
    (
        "en",
        "The ministers of Peru and Chile reviewed the memorandum of understanding signed in Lima last May.",
    ),
    ("en", "Canada and Norway met one year on from signing the landmark Canada-Norway defence agreement."),
    ("en", "Kenya and Uganda are expected to sign a defence cooperation agreement next month."),
    ("en", "Under the status of forces agreement between Japan and Australia, the troops trained together."),
    ("en", "Chile and Peru continued negotiations on a memorandum of understanding on border security."),
    ("en", "Spain and Morocco signed a defence pact in 2015, the minister recalled in Madrid."),
    ("en", "The Indonesian and Malaysian ministers agreed to deepen cooperation in maritime security."),
    ("tr", "Türkiye ile Katar arasında savunma sanayii işbirliği anlaşması imzalanacak."),
    ("tr", "Macaristan ile Türkiye'nin bu konularda mutabakat muhtırası imzalaması bekleniyor."),
    ("tr", "Türkiye ile Katar bakanlarının yıl sonunda işbirliği anlaşmasını imzalamaları planlanıyor."),
    ("tr", "Kenya ile Uganda arasında imzalaması öngörülen anlaşma ele alındı."),
    ("tr", "Fransa ile Yunanistan, 2021'de imzaladıkları anlaşmayı yenileme kararı aldı."),
    ("tr", "Türkiye, Libya ile yapılan anlaşmalar kapsamında eğitim faaliyetlerine devam edecek."),
    ("tr", "İki bakan, savunma işbirliği anlaşmasının taslak metni üzerinde görüştü."),
    (
        "en",
        "India and Vietnam exchanged views on the draft memorandum of understanding in Hanoi on 13 May.",
    ),
    (
        "en",
        "India and Vietnam exchanged the ratified instruments of their defence cooperation agreement.",
    ),
    (
        "tr",
        "Türkiye ile Endonezya heyetleri 13 Mayıs'ta Ankara'da mutabakat muhtırası taslağı üzerinde görüş "
        "teati etti.",
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), SIGNED)
def test_agreements_signed(lang, text, expected):
    x = agreements(text)
    assert x.article.language == lang
    got = sorted((a.states, a.kind, a.signed) for a in x.agreements)
    assert got == sorted(expected)
    for a in x.agreements:
        assert a.title and a.evidence, a  # a title as written and the sentence it was read from


@pytest.mark.parametrize(("lang", "text"), NONE)
def test_no_agreement_signed(lang, text):
    x = agreements(text)
    assert x.article.language == lang
    assert x.agreements == ()


def test_agreement_signed_at_a_meeting_links_to_it():
    x = agreements(SIGNED[3][1])
    (a,) = x.agreements
    assert a.meeting is not None
    assert set(x.meetings[a.meeting].states) == set(a.states)


def test_agreement_titles_as_written():
    x = agreements(SIGNED[5][1])
    assert [a.title for a in x.agreements] == ["Askeri Eğitim İşbirliği Mutabakat Muhtırası"]
    x = agreements(SIGNED[1][1])
    assert [a.title for a in x.agreements] == ["memorandum of understanding on naval training cooperation"]


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "The two sides signed a memorandum of understanding on maritime security cooperation "
            "in the presence of the two ministers.",
            "memorandum of understanding on maritime security cooperation",
        ),
        (
            "Officials signed an agreement on logistics support witnessed by the chiefs of staff.",
            "agreement on logistics support",
        ),
        (
            "The ministers signed a framework agreement on defence industry cooperation under the "
            "strategic partnership.",
            "framework agreement on defence industry cooperation",
        ),
    ],
)
def test_agreement_subject_ends_where_the_sentence_goes_on(sentence: str, title: str) -> None:
    text = (
        "---\npublished: 2025-03-05\n---\nDefence Minister Paulo Andrade of Portugal met Spanish "
        "Defence Minister Luis Ferro in Lisbon on March 4, 2025. " + sentence
    )
    assert [a.title for a in agreements(text).agreements] == [title]


def test_signatories_are_the_ministers():
    x = agreements(SIGNED[2][1])
    names = {p.name for a in x.agreements for p in a.signatories}
    assert names == {"Paulo Andrade", "Luis Ferro"}


# ---------------------------------------------------------------------------------------------
# The cheap test before the search: has_cue says whether find_cues would find a cue of a role
# (engagements skips a report's agreement or exercise search on it: it must never say no wrongly)
# ---------------------------------------------------------------------------------------------
CORPUS = Path(__file__).parent / "corpus"
CUE_FILES = [(lang, name) for lang in ("en", "tr") for name in ("agreements", "exercises")]


def _roles(lang: str, name: str) -> list[str]:
    return sorted({f.role for forms in cuewords.cue_forms(lang, name).values() for f in forms})


def _has_cue_agrees(text: str, lang: str, name: str) -> None:
    tokens = tokenize(text)
    found = {c.role for c in cuewords.find_cues(tokens, [0] * len(tokens), lang, name)}
    for role in _roles(lang, name):
        assert cuewords.has_cue(tokens, lang, name, role) == (role in found), (role, text[:80])


def _texts() -> list[tuple[str, str]]:
    out = [(lang, text) for lang, text, *_ in SIGNED + NONE]
    for path in sorted(CORPUS.glob("*.txt")):
        article = read_text(path.read_text(encoding="utf-8"), str(path))
        out.append((article.language, article.text))
    return out


@pytest.mark.parametrize(("lang", "name"), CUE_FILES)
def test_has_cue_is_find_cues_on_our_reports(lang: str, name: str) -> None:
    texts = [text for text_lang, text in _texts() if text_lang == lang]
    assert len(texts) > 10
    for text in texts:
        _has_cue_agrees(text, lang, name)


def _cue_words(lang: str, name: str) -> list[str]:
    """Every word of the file's forms, and each with a Turkish suffix glued on (stems, phrase ends)."""
    words = sorted({w for forms in cuewords.cue_forms(lang, name).values() for f in forms for w in f.words})
    return words + [w + "ları" for w in words] + [w + "ndan" for w in words]


@pytest.mark.parametrize(("lang", "name"), CUE_FILES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_has_cue_is_find_cues_on_any_words(lang: str, name: str, data: st.DataObject) -> None:
    """Word salads of the file's own words (phrases cut short, suffixes, stems at the end)."""
    vocab = [*_cue_words(lang, name), "Türkiye", "the", "ve", ",", ".", "2024"]
    words = data.draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=30))
    _has_cue_agrees(" ".join(words), lang, name)


def test_a_report_without_cues_gives_no_engagements_and_one_with_them_does() -> None:
    """The skip in ``engagements``: neither search runs without its cues; with them both do."""
    plain = agreements(
        "Estonian Defence Minister Kaarel Tamm met Latvian Defence Minister Andris Ozols in Tallinn on "
        "3 May 2024. They discussed regional security."
    )
    assert plain.meetings and not plain.agreements and not plain.exercises
    both = agreements(
        "Estonian Defence Minister Kaarel Tamm met Latvian Defence Minister Andris Ozols in Tallinn on "
        "3 May 2024.\nThe two ministers signed an agreement on air defence cooperation between the two "
        "countries.\nThe navies of Estonia and Latvia will hold a joint naval exercise from 10 to 14 June."
    )
    assert [a.states for a in both.agreements] == [("EST", "LVA")]
    assert [e.states for e in both.exercises] == [("EST", "LVA")]
