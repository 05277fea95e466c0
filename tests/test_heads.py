"""Who heads a delegation: a table of short reports we wrote and the heads expected.

The conventions (those of the evaluation's gold facts): a visiting delegation is led by its most
senior member or by whoever a phrase names ("led by", "başkanlığındaki", "başkanlık ederken"); the
host's side is led only by a counterpart of the visitor's head; a courtesy call is received, not
led, unless the two delegations then hold talks or the host holds the same post.
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
