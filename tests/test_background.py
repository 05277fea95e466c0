"""What a report tells as background or as setting, on short reports we wrote: earlier meetings told in
the past perfect ("görüşmüştü", "had met") or opened by an earlier year, a multilateral gathering planned
or held somewhere, where a meeting was held (an island, a base, a ship, a port; the dateline of a
sidelines meeting), and which topics are the meeting's own.

Each case is an article and what must hold of what is extracted: the state pairs of the reported
meetings, the participants' names, the first reported meeting's place, topics that must and must not be
among its topics, and the statuses of all meetings. Keys left out of a case are not checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from defkg.pipeline import extract, reader


def _facts(text: str) -> dict[str, Any]:
    ex = extract(reader.read_text(text))
    reported = [m for m in ex.meetings if m.status == "Reported"]
    first = reported[0] if reported else None
    return {
        "pairs": sorted("-".join(m.states) for m in reported),
        "people": sorted({p.person.name for m in reported for p in m.participants}),
        "place": first.place.key if first and first.place else None,
        "topics": {t.key for m in reported for t in m.topics},
        "other": sorted(
            f"{m.status}:{'-'.join(m.states)}@{m.place.key if m.place else ''}"
            for m in ex.meetings
            if m.status != "Reported"
        ),
    }


TR = "---\npublished: 2025-03-14\n---\n"
EN = "---\npublished: 2025-05-16\n---\n"

CASES = [
    (
        # a past perfect tells of something earlier: its people took no part, its topics are not this
        # meeting's, and it is no second meeting of the report
        "tr-pluperfect-recalled",
        TR + "Milli Savunma Bakanı Yaşar Güler, Mısır Savunma Bakanı Abdulmecid Sakr ile telefonda "
        "görüştü.\n\n"
        "Görüşmede ikili savunma işbirliği ele alındı.\n\n"
        "Güler, 2 Mart'ta da Ürdün Genelkurmay Başkanı Yusuf Huneyti ile görüşmüş, görüşmede Gazze'deki "
        "durumu ve Suriye'yi ele almıştı.\n\nBakan Güler ve Sakr, 2024 yılında Kahire'de görüşmüşlerdi.",
        {
            "pairs": ["EGY-TUR"],
            "people": ["Abdulmecid Sakr", "Yaşar Güler"],
            "must": {"military-cooperation"},
            "not": {"gaza", "syr", "jor"},
            "other": ["Recalled:EGY-TUR@cairo"],
        },
    ),
    (
        # a planned meeting's place stands right before its future cue
        "tr-planned-meeting-place",
        TR + "Milli Savunma Bakanı Yaşar Güler, ABD Savunma Bakanı Pete Hegseth ile bugün telefonda "
        "görüştü.\n\n"
        "İki bakan, önümüzdeki ay Brüksel'de yapılacak NATO toplantısı marjında ikili bir görüşme "
        "yapacak.",
        {"pairs": ["TUR-USA"], "other": ["Planned:TUR-USA@brussels"]},
    ),
    (
        "en-past-perfect-background",
        EN + "Australian Defence Minister Richard Marles met Indonesian Defence Minister Sjafrie "
        "Sjamsoeddin in Jakarta on Thursday. The ministers discussed maritime security.\n\n"
        "The two had previously met in Canberra, where they had discussed Papua New Guinea and the "
        "South China Sea.",
        {"pairs": ["AUS-IDN"], "place": "jakarta", "must": {"maritime-security"}, "not": {"png"}},
    ),
    (
        # a paragraph opened by an earlier year is background to its end
        "en-earlier-year-paragraph",
        EN + "Bishkek: Indian Defence Minister Rajnath Singh held a bilateral meeting with his Kazakh "
        "counterpart Ruslan Zhaksylykov on the sidelines of the SCO Defence Ministers' Meeting on Monday. "
        "The two sides discussed defence industry cooperation.\n\n"
        "In 2021, India took part in an SCO counter-terrorism exercise for the first time. The exercise "
        "was hosted by the armed forces of Russia at Orenburg.",
        {
            "pairs": ["IND-KAZ"],
            "place": "bishkek",
            "must": {"defence-industry"},
            "not": {"rus"},
            "other": [],
        },
    ),
    (
        "tr-earlier-year-opening",
        TR + "Milli Savunma Bakanı Yaşar Güler, Pakistan Genelkurmay Başkanı Sahir Şemşad Mirza'yı "
        "Ankara'da kabul etti.\n\n"
        "2019 yılında iki ülke, Afganistan'daki durum üzerine bir toplantı düzenlemişti.",
        {"pairs": ["PAK-TUR"], "place": "ankara", "not": {"afg"}},
    ),
    (
        # a planned summit of an alliance in one of the two states: no meeting, no host as participant
        "tr-planned-nato-summit",
        "---\npublished: 2025-11-20\n---\nMilli Savunma Bakanı Yaşar Güler, Hollanda Savunma Bakanı Ruben "
        "Brekelmans ile dün Lahey'de bir araya geldi.\n\n"
        "Görüşmede, 2026 yılında Ankara'da düzenlenmesi planlanan NATO Zirvesi'ne yönelik hazırlıklar ile "
        "Karadeniz'deki güvenlik durumu ele alındı.",
        {
            "pairs": ["NLD-TUR"],
            "people": ["Ruben Brekelmans", "Yaşar Güler"],
            "place": "the-hague",
            "must": {"nato", "black-sea"},
            "other": [],
        },
    ),
    (
        "en-planned-summit-elsewhere",
        EN + "Dutch Defence Minister Ruben Brekelmans met Turkish Minister of National Defence Yasar Guler "
        "in The Hague on Wednesday. The ministers discussed preparations for the NATO Summit to be held "
        "in Ankara in 2026. Brekelmans will attend the NATO defence ministers' meeting in Brussels next "
        "month.",
        {"pairs": ["NLD-TUR"], "place": "the-hague", "must": {"nato"}, "other": []},
    ),
    (
        # where they met: a port beats the dateline; a ship is no topic
        "en-aboard-ship-in-port",
        "---\npublished: 2025-06-12\n---\nLONDON, 12 June 2025 - Defence Secretary John Healey met Norwegian "
        "Defence Minister Tore Sandvik aboard HMS Prince of Wales in Portsmouth yesterday. The two "
        "ministers discussed maritime security in the North Atlantic.",
        {"pairs": ["GBR-NOR"], "place": "portsmouth", "must": {"maritime-security"}},
    ),
    (
        "tr-on-a-ship",
        "---\npublished: 2025-09-10\n---\nANKARA (AA) - Milli Savunma Bakanı Yaşar Güler, İtalya Savunma "
        "Bakanı Guido Crosetto ile bugün İstanbul'da TCG Anadolu'da bir araya geldi. Görüşmede iki ülke "
        "arasındaki savunma sanayii işbirliği ele alındı.",
        {"pairs": ["ITA-TUR"], "place": "istanbul", "must": {"defence-industry"}, "not": {"tcg-anadolu"}},
    ),
    (
        "tr-island",
        "---\npublished: 2026-02-05\n---\nAtina'ya ziyarette bulunan İtalya Savunma Bakanı Guido Crosetto "
        "ile Yunanistan Savunma Bakanı Nikos Dendias, Girit Adası'nda bir araya geldi. Görüşmede Doğu "
        "Akdeniz'deki durum ele alındı.",
        {"pairs": ["GRC-ITA"], "place": "crete", "must": {"eastern-mediterranean"}},
    ),
    (
        # a base on a territory: where they met, not a topic
        "en-base-on-a-territory",
        EN + "Australian Defence Minister Richard Marles met US Secretary of Defense Pete Hegseth at "
        "Andersen Air Force Base in Guam on Thursday. Marles and Hegseth discussed AUKUS.",
        {"pairs": ["AUS-USA"], "place": "guam", "must": {"aukus"}, "not": {"gum"}},
    ),
    (
        # a dateline in a third state stands for a meeting on the sidelines of a gathering held there
        "en-sidelines-dateline",
        EN + "SINGAPORE - Japanese Defence Minister Gen Nakatani held talks with his Philippine counterpart "
        "Gilberto Teodoro on the sidelines of the Shangri-La Dialogue on Saturday.",
        {"pairs": ["JPN-PHL"], "place": "singapore"},
    ),
]


@pytest.mark.parametrize(("text", "want"), [pytest.param(t, w, id=i) for i, t, w in CASES])
def test_background_and_setting(text: str, want: dict[str, Any]) -> None:
    got = _facts(text)
    for key in ("pairs", "people", "place", "other"):
        if key in want:
            assert got[key] == want[key], (key, got)
    assert want.get("must", set()) <= got["topics"], got["topics"]
    assert not want.get("not", set()) & got["topics"], got["topics"]
