"""Reading the world's defence news: general patterns of foreign reports, on short reports we wrote.

Each case is an article (front matter allowed) and what must hold of what is extracted: the state
pairs of the reported meetings, each named participant's state and head flag, the meeting's start
date and place. Keys left out of a case are not checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from defkg.gazetteer import official_state
from defkg.pipeline import extract, reader
from defkg.pipeline.dates import find_dates
from defkg.pipeline.people import same_person
from defkg.pipeline.tokens import find, tokenize


def _facts(text: str) -> dict[str, Any]:
    ex = extract(reader.read_text(text))
    reported = [m for m in ex.meetings if m.status == "Reported"]
    people: dict[str, tuple[str | None, bool]] = {}
    for m in reported:
        for p in m.participants:
            people.setdefault(p.person.name, (p.person.state, p.head))
    first = reported[0] if reported else None
    return {
        "pairs": sorted("-".join(m.states) for m in reported),
        "people": people,
        "start": first.start.isoformat() if first and first.start else None,
        "place": first.place.key if first and first.place else None,
    }


PUB = "---\npublished: 2024-06-14\n---\n"  # a Friday

CASES = [
    (
        # a future cue reaches the meeting word it qualifies, not the meeting the sentence reports
        "en-upcoming-other-meeting",
        PUB + "British Defence Secretary John Healey and French Defence Minister Sebastien Lecornu "
        "discussed Ukraine and the upcoming NATO summit in Vilnius during a meeting at the French "
        "ministry in Paris today.",
        {"pairs": ["FRA-GBR"], "start": "2024-06-14", "place": "paris"},
    ),
    (
        "en-set-to-meet-next-month",
        PUB + "The phone talks between Defence Minister Gen Nakatani of Japan and Australian Defence "
        "Minister Richard Marles came as the two sides are set to meet in Canberra next month.",
        {"pairs": ["AUS-JPN"], "place": None, "people": {"Richard Marles": ("AUS", True)}},
    ),
    (
        # a Turkish participle qualifies its own noun: the talks it precedes are reported
        "tr-participle-not-the-meeting",
        "---\npublished: 2024-03-13\n---\nMilli Savunma Bakanlığından yapılan açıklamada, Rusya ile 3 Mart "
        "2024 tarihinde Soçi'de varılan mutabakat çerçevesinde yapılacak faaliyetleri planlamak üzere "
        "Ankara'ya gelen Rus askeri heyeti ile 10-12 Mart 2024 tarihleri arasında yapılan görüşmeler "
        "tamamlandı.",
        {"pairs": ["RUS-TUR"], "start": "2024-03-10", "place": "ankara"},
    ),
    (
        # leaders named at a trilateral summit are not participants of the ministers' call
        "en-trilateral-summit-not-a-meeting",
        PUB + "Defence Minister Shin Won-sik held phone talks with US Secretary of Defense Lloyd Austin "
        "on Friday. At the trilateral summit last year, President Yoon Suk Yeol, US President Joe Biden "
        "and Japanese Prime Minister Fumio Kishida agreed to hold joint exercises.",
        {"pairs": ["KOR-USA"], "people": {"Shin Won-sik": ("KOR", True), "Lloyd Austin": ("USA", True)}},
    ),
    (
        # a known office holder's state where the text names none
        "en-officials-table",
        PUB + "Deputy Prime Minister and Minister for Defence Marles held talks with Defence Minister "
        "Lecornu of France in Paris on 12 June.",
        {"pairs": ["AUS-FRA"], "people": {"Marles": ("AUS", True)}},
    ),
    (
        "tr-title-acting-before-name",
        "---\npublished: 2019-03-02\n---\nMilli Savunma Bakanı Hulusi Akar ve ABD Savunma Bakanı Vekili "
        "Patrick Shanahan, 1 Mart 2019'da Münih'te bir araya geldi.",
        {"pairs": ["TUR-USA"], "people": {"Patrick Shanahan": ("USA", True)}},
    ),
    (
        "tr-arabic-article-glued",
        "---\npublished: 2023-05-02\n---\nMilli Savunma Bakanı Hulusi Akar, Katar Savunma Bakanı Halid bin "
        "Muhammed elAtiyye ile 1 Mayıs 2023'te Doha'da görüştü.",
        {"people": {"Halid bin Muhammed elAtiyye": ("QAT", True)}},
    ),
    (
        "en-co-chairs",
        PUB + "The 9th India-Vietnam Defence Policy Dialogue was held in New Delhi on 12 June 2024. "
        "The dialogue was co-chaired by Defence Secretary Shri Giridhar Aramane and Deputy Minister of "
        "National Defence, Vietnam Mr Hoang Xuan Chien.",
        {
            "pairs": ["IND-VNM"],
            "people": {"Giridhar Aramane": ("IND", True), "Hoang Xuan Chien": ("VNM", True)},
        },
    ),
    (
        # "A, B'yi kabul etti": the one received is the visitor, who leads his side
        "tr-received-visitor-leads",
        "---\npublished: 2020-10-20\n---\nMilli Savunma Bakanı Hulusi Akar, Tunus Genelkurmay Başkanı "
        "Orgeneral Mohamed Ghoul'u kabul etti. Görüşmede bölgesel konular ele alındı.",
        {"pairs": ["TUN-TUR"], "people": {"Mohamed Ghoul": ("TUN", True)}},
    ),
    (
        # the state a visit went to is the host when no place says it
        "en-visiting-state-is-host",
        PUB + "On 11 June 2024, General Yoshida Yoshihide, Chief of Staff, Joint Staff, held a meeting "
        "with General Angus Campbell, Chief of the Defence Force of Australia, who was visiting Japan. "
        "Later, General Campbell paid a courtesy call on the Minister of Defense.",
        {
            "pairs": ["AUS-JPN"],
            "people": {"Yoshida Yoshihide": ("JPN", True), "Angus Campbell": ("AUS", True)},
        },
    ),
    (
        # a trip to three countries: one meeting per country, each with the people met there
        "en-trip-three-countries",
        PUB + "The Minister for the Armed Forces Luke Pollard has returned from Peru, Chile and Brazil. "
        "In Peru, Mr Pollard met with Defence Minister Walter Astudillo and the Army commander, General "
        "Cesar Briceno. In Chile, he met the Defence Minister Maya Fernandez. On the Brazil leg of the "
        "trip, the minister held talks with Brazil's Foreign Minister Mauro Vieira and the Defence "
        "Minister Jose Mucio.",
        {
            "pairs": ["BRA-GBR", "CHL-GBR", "GBR-PER"],
            "people": {
                "Walter Astudillo": ("PER", True),
                "Maya Fernandez": ("CHL", True),
                "Jose Mucio": ("BRA", True),
                "Mauro Vieira": ("BRA", False),
            },
        },
    ),
    (
        # two officials signing together met; an agency's far-away dateline is no meeting place
        "en-signing-is-a-meeting",
        PUB + "MOSCOW (Agency) - Australian Defence Minister Richard Marles and his Papua New Guinean "
        "counterpart, Billy Joseph, stepped up cooperation on Thursday by signing a defence treaty.",
        {
            "pairs": ["AUS-PNG"],
            "start": "2024-06-13",
            "place": None,
            "people": {"Billy Joseph": ("PNG", True)},
        },
    ),
    (
        # "Seoul's defense ministry said": a metonym, not where a call took place
        "en-possessive-capital-not-place",
        PUB + "Defence Minister Shin Won-sik held phone talks with his Japanese counterpart Minoru Kihara "
        "on Friday, Seoul's defense ministry said.",
        {"pairs": ["JPN-KOR"], "place": None, "start": "2024-06-14"},
    ),
    (
        # a dateline with a clock dates a meeting in progress
        "tr-dateline-with-clock",
        "Bakan Güler, İngiliz mevkidaşı ile görüşüyor\n\n14-02-2024 10:15\nBrüksel\n\nMilli Savunma Bakanı "
        "Yaşar Güler ve İngiltere Savunma Bakanı Grant Shapps, NATO karargahında ikili bir görüşme "
        "gerçekleştiriyor.",
        {"pairs": ["GBR-TUR"], "start": "2024-02-14"},
    ),
    (
        # a minister's title as the Philippines writes it; three sideline meetings of one minister
        "en-sidelines-three-counterparts",
        "---\npublished: 2024-06-03\n---\nThe Minister for Defence, Richard Marles, held bilateral "
        "meetings on the sidelines of the Shangri-La Dialogue in Singapore on 1 June. Mr Marles met "
        "the Philippine Secretary of National Defense Gilberto Teodoro to discuss maritime security. "
        "He also met Japan's Minister of Defense Minoru Kihara. On 2 June, Mr Marles met the "
        "Indonesian Minister of Defence Sjafrie Sjamsoeddin.",
        {
            "pairs": ["AUS-IDN", "AUS-JPN", "AUS-PHL"],
            "people": {"Gilberto Teodoro": ("PHL", True), "Minoru Kihara": ("JPN", True)},
        },
    ),
    (
        # "spoke with/to" a foreign counterpart reports talks (a UK readout's wording)
        "en-spoke-with-counterpart",
        "---\npublished: 2024-09-17\n---\nDefence Secretary speaks to Danish counterpart\n\nDefence "
        "Secretary John Healey spoke to Denmark's Minister of Defence Troels Lund Poulsen on Monday 16 "
        "September to discuss support for Ukraine.",
        {"pairs": ["DNK-GBR"], "start": "2024-09-16", "people": {"Troels Lund Poulsen": ("DNK", True)}},
    ),
    (
        # "spoke to reporters": no counterpart, no meeting
        "en-spoke-to-reporters",
        "---\npublished: 2024-09-17\n---\nDefence Secretary John Healey spoke to reporters in London on "
        "Monday about the defence review and the support for Ukraine.",
        {"pairs": []},
    ),
    (
        # a first name that is a state's name, after a title
        "en-state-name-as-first-name",
        "---\npublished: 2025-07-10\n---\nSecretary of Defense Pete Hegseth welcomed Israeli Minister of "
        "Defense Israel Katz to the Pentagon today. The leaders discussed regional security.",
        {"pairs": ["ISR-USA"], "people": {"Israel Katz": ("ISR", True), "Pete Hegseth": ("USA", True)}},
    ),
    (
        "tr-state-name-as-first-name",
        "---\npublished: 2025-07-10\n---\nABD Savunma Bakanı Pete Hegseth, dün İsrail Savunma Bakanı İsrail "
        "Katz'ı Pentagon'da ağırladı. Görüşmede bölgesel güvenlik ele alındı.",
        {"pairs": ["ISR-USA"], "start": "2025-07-09", "people": {"İsrail Katz": ("ISR", True)}},
    ),
    (
        # a known office holder whose first name is a rank's short form (data/officials.tsv)
        "en-known-name-not-a-rank",
        PUB + "Defence Minister Gen Nakatani of Japan spoke with Australian Defence Minister Richard "
        "Marles by phone on Thursday.",
        {"pairs": ["AUS-JPN"], "start": "2024-06-13", "people": {"Gen Nakatani": ("JPN", True)}},
    ),
    (
        # the same short form before a name nobody holds: a rank
        "en-rank-short-form",
        PUB + "The UK Chief of the General Staff, Gen Roly Walker, met his French counterpart Gen Pierre "
        "Schill in Paris on Thursday.",
        {"pairs": ["FRA-GBR"], "people": {"Roly Walker": ("GBR", True), "Pierre Schill": ("FRA", True)}},
    ),
    (
        # China's Central Military Commission: a title and body of its own
        "en-central-military-commission",
        "---\npublished: 2026-01-20\n---\nGeneral Sahir Shamshad Mirza, Chairman Joint Chiefs of Staff "
        "Committee of Pakistan, called on General Zhang Youxia, Vice Chairman of the Central Military "
        "Commission of China, in Beijing today.",
        {"pairs": ["CHN-PAK"], "start": "2026-01-20", "people": {"Zhang Youxia": ("CHN", False)}},
    ),
    (
        # an ambassador "of" one state "to" another, named after a comma; a Malay style before a name
        "en-ambassador-of-a-state-apposed",
        "---\npublished: 2026-03-12\n---\nThe Minister of Defence of Malaysia, Dato' Seri Mohamed Khaled "
        "Nordin, received a courtesy call from the Ambassador of Japan to Malaysia, Katsuhiko Takahashi, "
        "at the ministry on 11 March.",
        {
            "pairs": ["JPN-MYS"],
            "start": "2026-03-11",
            "people": {"Mohamed Khaled Nordin": ("MYS", False), "Katsuhiko Takahashi": ("JPN", True)},
        },
    ),
    (
        "en-ambassador-of-the-state-apposed",
        PUB + "Defence Minister Yasar Guler received the Ambassador of the United Kingdom, Jill Morris, in "
        "Ankara on Thursday.",
        {"pairs": ["GBR-TUR"], "people": {"Jill Morris": ("GBR", True)}},
    ),
    (
        # a navy's chief of staff and another navy's commander are counterparts: both lead their side
        "en-service-chiefs-counterparts",
        PUB + "Chief of Naval Staff of India Admiral Dinesh K Tripathi held bilateral discussions with the "
        "Thai Navy Commander Admiral Jungsak Cheawklin in Bangkok on Thursday.",
        {
            "pairs": ["IND-THA"],
            "people": {"Dinesh K Tripathi": ("IND", True), "Jungsak Cheawklin": ("THA", True)},
        },
    ),
    (
        # "telefonda konuştu": a call; "konuştu" alone needs someone named to speak with
        "tr-telefonda-konustu",
        "---\npublished: 2026-04-10\n---\nABD Savunma Bakanı Pete Hegseth, Japon mevkidaşı Minoru Kihara ile "
        "dün telefonda konuştu. Görüşmede bölgesel güvenlik ele alındı.",
        {"pairs": ["JPN-USA"], "start": "2026-04-09", "people": {"Minoru Kihara": ("JPN", True)}},
    ),
    (
        "tr-basina-konustu",
        "---\npublished: 2026-04-10\n---\nABD Savunma Bakanı Pete Hegseth, dün Washington'da gazetecilere "
        "konuştu ve Japonya ile ilişkileri değerlendirdi.",
        {"pairs": []},
    ),
    (
        # initials opening a name, kept as written; a name in capitals still shown in title case
        "en-initials-in-a-name",
        PUB + "Air Chief Marshal VR Chaudhari, Chief of the Air Staff of India, met his Nepalese counterpart "
        "General PURNA CHANDRA THAPA in Kathmandu on Thursday.",
        {
            "pairs": ["IND-NPL"],
            "people": {"VR Chaudhari": ("IND", True), "Purna Chandra Thapa": ("NPL", True)},
        },
    ),
    (
        # a title with its portfolio after it ("... for International Affairs") before the name
        "en-title-with-portfolio",
        PUB + "U.S. Deputy Secretary of Defense Steve Feinberg met with Japanese Vice Minister of Defense "
        "for International Affairs Koji Oka at the Pentagon on Thursday.",
        {"pairs": ["JPN-USA"], "people": {"Koji Oka": ("JPN", True), "Steve Feinberg": ("USA", True)}},
    ),
    (
        # those accompanying "the visiting dignitary" came with the visitor
        "en-accompanying-the-visitor",
        PUB + "Commander of the Royal Saudi Land Forces, Lieutenant General Fahd Al-Mutair, called on "
        "Pakistan's Chief of Army Staff General Asim Munir at GHQ Rawalpindi on Thursday. The visiting "
        "dignitary was accompanied by Major General Khalid Al-Otaibi.",
        {"pairs": ["PAK-SAU"], "people": {"Khalid Al-Otaibi": ("SAU", False), "Asim Munir": ("PAK", False)}},
    ),
    (
        "tr-konuk-bakana-eslik",
        "---\npublished: 2026-06-20\n---\nMillî Savunma Bakanı Yaşar Güler, Katar Savunma Bakanı Şeyh Saud "
        "bin Abdurrahman Al Sani'yi dün Ankara'da kabul etti. Konuk bakana Tümgeneral Salim el-Nabit eşlik "
        "etti. Görüşmeye Genelkurmay Başkanı Orgeneral Metin Gürak da katıldı.",
        {
            "pairs": ["QAT-TUR"],
            "start": "2026-06-19",
            "people": {"Salim el-Nabit": ("QAT", False), "Metin Gürak": ("TUR", False)},
        },
    ),
]


@pytest.mark.parametrize(("case", "text", "want"), CASES, ids=[c[0] for c in CASES])
def test_pattern(case: str, text: str, want: dict[str, Any]) -> None:
    got = _facts(text)
    for key in ("pairs", "start", "place"):
        if key in want:
            assert got[key] == want[key], (case, key, got)
    for name, expected in want.get("people", {}).items():
        assert got["people"].get(name) == expected, (case, name, got["people"])


NOT_PARTICIPANTS = [
    ("en-trilateral-summit-not-a-meeting", {"Yoon Suk Yeol", "Joe Biden", "Fumio Kishida"}),
]


@pytest.mark.parametrize(("case", "names"), NOT_PARTICIPANTS, ids=[c[0] for c in NOT_PARTICIPANTS])
def test_not_participants(case: str, names: set[str]) -> None:
    text = next(c[1] for c in CASES if c[0] == case)
    assert not names & set(_facts(text)["people"])


@pytest.mark.parametrize(
    ("key", "year", "state"),
    [
        (("marles",), 2023, "AUS"),  # a surname alone, one holder
        (("nicholas", "carter"), 2020, "GBR"),
        (("carter",), None, None),  # Ash Carter (USA) and Nick Carter (GBR): a surname alone is ambiguous
        (("lloyd", "austin"), 2010, None),  # not in office then
        (("sergey", "soygu"), 2020, "RUS"),  # the Turkish transliteration
        (("nobody", "known"), 2020, None),
    ],
)
def test_official_state(key: tuple[str, ...], year: int | None, state: str | None) -> None:
    assert official_state(key, year) == state


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("lloyd", "james", "austine"), ("lloyd", "james", "austin"), True),  # "Austine ile": a glued ending
        (("austin",), ("lloyd", "austin"), True),
        (("ali", "kaya"), ("ali", "kayalar"), False),  # three letters more: another name
        (("mark", "esper"), ("mark", "milley"), False),
    ],
)
def test_same_person(a: tuple[str, ...], b: tuple[str, ...], same: bool) -> None:
    assert same_person(a, b) is same


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("26-06-2019 17:52", dt.date(2019, 6, 26)),
        ("26.06.2019", dt.date(2019, 6, 26)),
        ("2019-06-26", dt.date(2019, 6, 26)),
        ("26-06.2019", None),  # mixed separators: no date
    ],
)
def test_numeric_dates(text: str, start: dt.date | None) -> None:
    toks = tokenize(text)
    found = find_dates(toks, find(toks, "en"), text, None)
    assert (found[0].start if found else None) == start


@pytest.mark.parametrize(
    ("text", "lang", "pieces"),
    [
        ("They met on Jan. 5. They agreed to meet again.", "en", 2),  # English has no "5." ordinal
        ("The 2nd Army commander met Gen. Smith on Monday.", "en", 1),
        ("2. Ordu Komutanı Korgeneral Ali Kaya geldi. Görüştüler.", "tr", 2),  # Turkish ordinal "2."
    ],
)
def test_sentence_split(text: str, lang: str, pieces: int) -> None:
    from defkg.pipeline.sentences import split

    assert len(split(text, lang)) == pieces


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_abbreviations_come_from_the_language_files(lang: str) -> None:
    """Every abbreviation of ``lang/<lang>/abbreviations.tsv`` keeps its full stop inside a sentence
    (and a word that is not one ends it), so the list lives in the data file alone."""
    from importlib import resources
    from pathlib import Path

    from defkg.gazetteer import forms, read_tsv
    from defkg.pipeline.sentences import split

    path = Path(str(resources.files("defkg"))) / "lang" / lang / "abbreviations.tsv"
    words = [f for r in read_tsv(path) for f in forms(r["forms"])]
    assert len(words) >= 10
    for w in words:
        assert len(split(f"They saw {w}. Kaya on Monday.", lang)) == 1, w
    assert len(split("They saw Kaya. Kaya left on Monday.", lang)) == 2


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Milli Savunma Bakanı, Azerbaycan Savunma Bakanı ile Bakü'de bir araya geldi. Görüşmede iki "
            "ülke arasındaki askeri işbirliği ele alındı ve bölgesel konular değerlendirildi.",
            "tr",
        ),
        (
            # Azerbaijani: Turkish-looking words and letters, and the schwa Turkish never writes
            "Azərbaycanın müdafiə naziri Türkiyənin milli müdafiə naziri ilə görüşüb. Görüşdə ikitərəfli "
            "hərbi əməkdaşlıq məsələləri müzakirə olunub və tərəflər fikir mübadiləsi aparıblar.",
            None,
        ),
    ],
)
def test_language(text: str, lang: str | None) -> None:
    from defkg.errors import InputError
    from defkg.pipeline.language import detect

    if lang is None:
        with pytest.raises(InputError):
            detect(text)
    else:
        assert detect(text) == lang


def test_central_military_commission_is_a_body_and_its_titles_offices() -> None:
    (case,) = [c for c in CASES if c[0] == "en-central-military-commission"]
    ex = extract(reader.read_text(case[1]))
    (zhang,) = [p.person for m in ex.meetings for p in m.participants if p.person.name == "Zhang Youxia"]
    assert zhang.title == "Vice Chairman of the Central Military Commission"
    assert zhang.organization is not None and zhang.organization.key == "chn-cmc"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the locative ending says where they met; the relative "-ki" after it names an attribute
        (
            "Milli Savunma Bakanı Yaşar Güler, İngiltere Savunma Bakanı John Healey ile 3 Mart 2025 "
            "tarihinde Londra'da bir araya geldi. Görüşmede savunma sanayii ele alındı.",
            "london",
        ),
        (
            "Milli Savunma Bakanı Yaşar Güler, İngiltere Savunma Bakanı John Healey ile 3 Mart 2025 "
            "tarihinde Londra'daki büyükelçilikte bir araya geldi. Görüşmede savunma sanayii ele alındı.",
            None,
        ),
        # "in London" says where; the English genitive ("London's ministry") does not
        (
            "Defence Minister Yasar Guler met UK Defence Secretary John Healey in London on 3 March 2025. "
            "They discussed the defence industry.",
            "london",
        ),
        (
            "Defence Minister Yasar Guler met UK Defence Secretary John Healey on 3 March 2025. "
            "London's defence ministry said they discussed the defence industry.",
            None,
        ),
    ],
)
def test_where_a_meeting_is_held_by_case_endings(text: str, place: str | None) -> None:
    """The grammar roles ``locative``, ``relative`` (``lang/tr/grammar.tsv``) and the English
    ``genitive`` decide whether a named place is where the meeting was held."""
    from defkg.pipeline import extract, reader

    (meeting,) = extract(reader.read_text(text, source="where.txt")).meetings
    assert (meeting.place.key if meeting.place else None) == place
