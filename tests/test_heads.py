"""Who heads a delegation: a table of short reports we wrote and the heads expected.

The conventions (those of the evaluation's gold facts): a visiting delegation is led by its most
senior member or by whoever a phrase names ("led by", "başkanlığındaki", "başkanlık ederken"); the
host's side is led only by a counterpart of the visitor's head (for talks at one side's home: when
the other side's delegation is "led by" someone named); ministers meeting both lead their sides; a
courtesy call is received, not led, unless the two delegations then hold talks or the host holds
the same post.
"""

from __future__ import annotations

import pytest

from defkg.pipeline import extract, reader

CASES = [
    (
        "tr-counterpart-lower-case",
        "Romanya Genelkurmay Başkanı Orgeneral Andrei Popescu, Türk mevkidaşı Orgeneral Selçuk "
        "Bayraktaroğlu ile 12 Mart'ta Ankara'da görüştü. Görüşmede Karadeniz ele alındı.",
        {"Andrei Popescu", "Selçuk Bayraktaroğlu"},
    ),
    (
        "tr-both-led-while",
        "Türkiye-Kazakistan Askeri İşbirliği Toplantısı 9 Eylül 2025'te Astana'da yapıldı. Türk heyetine "
        "Tümgeneral Ferhat Yıldız başkanlık ederken Kazak heyetine Savunma Bakan Yardımcısı Tümgeneral "
        "Nurlan Ospanov başkanlık etti.",
        {"Ferhat Yıldız", "Nurlan Ospanov"},
    ),
    (
        "en-courtesy-call-received",
        "General Khalid Al-Harbi, Chief of General Staff of Saudi Arabia, called on General Sahir "
        "Shamshad Mirza, Chairman Joint Chiefs of Staff Committee of Pakistan, in Rawalpindi on 12 March "
        "2025. "
        "Matters of mutual interest were discussed.",
        {"Khalid Al-Harbi"},
    ),
    (
        "en-courtesy-call-then-delegation-talks",
        "General Khalid Al-Harbi, Chief of General Staff of Saudi Arabia, called on General Sahir "
        "Shamshad Mirza, Chairman Joint Chiefs of Staff Committee of Pakistan, in Rawalpindi on 12 March "
        "2025. "
        "Delegation-level talks followed, and regional security was discussed.",
        {"Khalid Al-Harbi", "Sahir Shamshad Mirza"},
    ),
    (
        "en-delegation-led-by-talks-at-the-hosts-home",
        "A Turkish delegation led by Deputy Defence Minister Kemal Aksoy held talks with Iraqi Defence "
        "Minister Thabit al-Abbasi in Baghdad on 8 June 2026. Training and counterterrorism were discussed.",
        {"Kemal Aksoy"},
    ),
    (
        "en-ministers-at-the-hosts-home",
        "Defence Minister Yaşar Güler held talks with his German counterpart Boris Pistorius in Ankara on "
        "8 June 2026. The two ministers discussed NATO.",
        {"Yaşar Güler", "Boris Pistorius"},
    ),
    (
        "en-ministers-meet-at-one-home-no-delegation-led",
        "Japan and the United Kingdom held a defence ministerial meeting in London on 15 January 2025. "
        "Japanese Minister Takeshi Ishida met Secretary of State for Defence John Healey; they discussed "
        "the Indo-Pacific.",
        {"Takeshi Ishida", "John Healey"},
    ),
    (
        "tr-reception-then-delegation-talks",
        "Genelkurmay Başkanı Orgeneral Selçuk Bayraktaroğlu, resmi ziyarette bulunan Endonezya Silahlı "
        "Kuvvetler Komutanı Orgeneral Agus Subiyanto'yu 7 Temmuz 2026'da Ankara'da kabul etti. Ardından "
        "heyetlerarası görüşmeye geçildi.",
        {"Selçuk Bayraktaroğlu", "Agus Subiyanto"},
    ),
]


@pytest.mark.parametrize(("text", "heads"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_heads(text: str, heads: set[str]) -> None:
    x = extract(reader.read_text(text, "heads.txt"))
    assert x.meetings, "no meeting found"
    got = {p.person.name for p in x.meetings[0].participants if p.head}
    assert got == heads, [(p.person.name, p.head) for p in x.meetings[0].participants]


@pytest.mark.parametrize(
    ("text", "name", "state", "title"),
    [
        (
            "Defence Minister Zakir Hasanov received Defence Minister Yaşar Güler in Baku on 12 May 2026. "
            "The meeting was also attended by the Ambassador of Türkiye to Azerbaijan Cahit Bağcı.",
            "Cahit Bağcı",
            "TUR",
            "Ambassador of Türkiye",
        ),
        (
            "On 4 September 2025 the United States and Poland held their security dialogue in Washington. "
            "The Polish delegation was headed by Secretary of State at the Ministry of National Defence "
            "Paweł Zalewski.",
            "Paweł Zalewski",
            None,
            "Secretary of State at the Ministry of National Defence",
        ),
    ],
    ids=["ambassador-of-a-state-to-another", "polish-secretary-of-state"],
)
def test_officials_named_after_long_titles(text: str, name: str, state: str | None, title: str) -> None:
    x = extract(reader.read_text(text, "people.txt"))
    people = {p.person.name: p.person for m in x.meetings for p in m.participants}
    assert name in people, sorted(people)
    assert people[name].title == title
    if state:
        assert people[name].state == state
