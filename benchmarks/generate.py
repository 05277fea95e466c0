"""Synthetic corpus: varied Turkish and English reports of bilateral defence meetings.

Everything is drawn from the gazetteers when they are there (``src/defkg/data/states.tsv``,
``src/defkg/lang/{tr,en}/{states,ranks,titles,places}.tsv``) and from small built-in lists
otherwise. The same ``--seed`` gives the same corpus, byte for byte.

Usage:
  python benchmarks/generate.py -n 1200 --out /tmp/corpus            # 1,200 .txt files
  python benchmarks/generate.py -n 100000 --jsonl /tmp/corpus.jsonl  # one JSON Lines file
  python benchmarks/generate.py -n 5 --seed 7 --stdout               # look at a few
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "defkg"

# --------------------------------------------------------------------------------------------------
# gazetteers (with built-in fallbacks)


def load_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a defkg TSV (``# source:`` line, ``#columns:`` line, then tab-separated rows)."""
    if not path.is_file():
        return []
    columns: list[str] = []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#columns:"):
            columns = [c.strip() for c in line[len("#columns:") :].strip().split("\t")]
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not columns:
            columns = [f"c{i}" for i in range(len(cells))]
        rows.append({c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)})
    return rows


def _col(row: dict[str, str], *names: str) -> str:
    for n in names:
        if row.get(n):
            return row[n]
    return ""


_STATES = [  # iso3, English, Turkish, capital (en), capital (tr)
    ("TUR", "Türkiye", "Türkiye", "Ankara", "Ankara"),
    ("GBR", "the United Kingdom", "Birleşik Krallık", "London", "Londra"),
    ("DEU", "Germany", "Almanya", "Berlin", "Berlin"),
    ("FRA", "France", "Fransa", "Paris", "Paris"),
    ("ITA", "Italy", "İtalya", "Rome", "Roma"),
    ("ESP", "Spain", "İspanya", "Madrid", "Madrid"),
    ("POL", "Poland", "Polonya", "Warsaw", "Varşova"),
    ("JPN", "Japan", "Japonya", "Tokyo", "Tokyo"),
    ("KOR", "South Korea", "Güney Kore", "Seoul", "Seul"),
    ("PAK", "Pakistan", "Pakistan", "Islamabad", "İslamabad"),
    ("AZE", "Azerbaijan", "Azerbaycan", "Baku", "Bakü"),
    ("USA", "the United States", "ABD", "Washington", "Washington"),
    ("CAN", "Canada", "Kanada", "Ottawa", "Ottava"),
    ("NLD", "the Netherlands", "Hollanda", "The Hague", "Lahey"),
    ("EGY", "Egypt", "Mısır", "Cairo", "Kahire"),
    ("QAT", "Qatar", "Katar", "Doha", "Doha"),
    ("SAU", "Saudi Arabia", "Suudi Arabistan", "Riyadh", "Riyad"),
    ("IDN", "Indonesia", "Endonezya", "Jakarta", "Cakarta"),
    ("MYS", "Malaysia", "Malezya", "Kuala Lumpur", "Kuala Lumpur"),
    ("HUN", "Hungary", "Macaristan", "Budapest", "Budapeşte"),
    ("ROU", "Romania", "Romanya", "Bucharest", "Bükreş"),
    ("SWE", "Sweden", "İsveç", "Stockholm", "Stokholm"),
    ("NOR", "Norway", "Norveç", "Oslo", "Oslo"),
    ("KAZ", "Kazakhstan", "Kazakistan", "Astana", "Astana"),
    ("ALB", "Albania", "Arnavutluk", "Tirana", "Tiran"),
    ("TUN", "Tunisia", "Tunus", "Tunis", "Tunus"),
    ("SEN", "Senegal", "Senegal", "Dakar", "Dakar"),
    ("BRA", "Brazil", "Brezilya", "Brasília", "Brasilia"),
]
_THE = {"USA", "GBR", "NLD", "ARE", "PHL", "CZE", "DOM", "CAF", "GMB", "BHS", "COM", "MDV", "MHL", "SLB"}


@dataclass(frozen=True)
class State:
    iso3: str
    en: str  # as used in running text ("the United Kingdom")
    tr: str
    capital_en: str
    capital_tr: str


def load_states() -> list[State]:
    capitals = {s[0]: (s[3], s[4]) for s in _STATES}
    rows = load_tsv(PKG / "lang" / "tr" / "states.tsv") or load_tsv(PKG / "data" / "states.tsv")
    out = []
    for r in rows:
        iso3 = _col(r, "iso3", "key", "c0").upper()
        en = _col(r, "label_en", "en", "name_en")
        tr = _col(r, "label_tr", "tr", "name_tr", "label")
        if len(iso3) != 3 or not en or not tr or iso3 not in capitals:
            continue  # keep to states we can place; the rest of the table has no capital here
        if iso3 in _THE and not en.lower().startswith("the "):
            en = "the " + en
        out.append(State(iso3, en, tr, *capitals[iso3]))
    if len(out) < 8:
        out = [State(*s) for s in _STATES]
    return out


_RANKS_EN = [
    "General",
    "Lieutenant General",
    "Major General",
    "Brigadier General",
    "Admiral",
    "Vice Admiral",
    "Rear Admiral",
    "Air Chief Marshal",
    "Air Marshal",
    "Air Vice-Marshal",
    "Colonel",
]
_RANKS_TR = [
    "Orgeneral",
    "Korgeneral",
    "Tümgeneral",
    "Tuğgeneral",
    "Oramiral",
    "Koramiral",
    "Tümamiral",
    "Tuğamiral",
    "Albay",
]
_TITLES_EN = [
    "Minister of Defence",
    "Deputy Minister of Defence",
    "Chief of the General Staff",
    "Chief of Defence",
    "Director General for Security Policy",
    "Defence Attaché",
    "Commander of the Land Forces",
    "Commander of the Navy",
    "Permanent Secretary of Defence",
    "Head of the Defence Industry Agency",
]
_TITLES_TR = [
    "Milli Savunma Bakanı",
    "Savunma Bakanı",
    "Savunma Bakan Yardımcısı",
    "Genelkurmay Başkanı",
    "Kara Kuvvetleri Komutanı",
    "Deniz Kuvvetleri Komutanı",
    "Hava Kuvvetleri Komutanı",
    "Savunma Politikaları Genel Müdürü",
    "Askeri Ataşe",
    "Savunma Sanayii Başkanı",
]


def load_column(lang: str, name: str, fallback: list[str], *columns: str) -> list[str]:
    rows = load_tsv(PKG / "lang" / lang / f"{name}.tsv")
    vals = sorted({_col(r, *columns) for r in rows} - {""})
    return vals if len(vals) >= 3 else fallback


_GIVEN_TR = [
    "Ahmet",
    "Mehmet",
    "Mustafa",
    "Yaşar",
    "Selçuk",
    "İlkay",
    "Ümit",
    "Kemal",
    "Oğuz",
    "Şükrü",
    "Gökhan",
    "Hakan",
    "Zeynep",
    "Elif",
    "Ayşe",
    "Çağrı",
    "Ertuğrul",
    "Nihat",
    "Levent",
    "Özlem",
]
_FAMILY_TR = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Erdoğdu",
    "Bayraktaroğlu",
    "Altındağ",
    "Gürsoy",
    "Tekin",
]
_GIVEN_EN = [
    "James",
    "Robert",
    "Sarah",
    "Helen",
    "Michael",
    "David",
    "Anna",
    "Thomas",
    "Maria",
    "Peter",
    "Lukas",
    "Jan",
    "Kenji",
    "Hiroshi",
    "Min-jun",
    "Ahmed",
    "Omar",
    "Ivan",
    "Piotr",
    "Elena",
    "Lars",
    "Sofia",
    "Marco",
    "Pierre",
    "Farid",
    "Nurlan",
    "Aziz",
    "Bilal",
]
_FAMILY_EN = [
    "Morgan",
    "Hughes",
    "Whitfield",
    "Carter",
    "Schneider",
    "Weber",
    "Kowalski",
    "Nowak",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Khan",
    "Qureshi",
    "Aliyev",
    "Mammadov",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Laurent",
    "Jensen",
    "Lindqvist",
    "Haddad",
    "Nasser",
    "Santos",
    "Ionescu",
    "Horvath",
    "Petrov",
]

MONTHS_TR = [
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# what some reports also tell (an agreement signed at the meeting, an exercise to come), drawn from a
# random generator of their own: the rest of every report is what it was without them
AGREEMENT_SHARE, EXERCISE_SHARE = 0.25, 0.15
EXERCISE_NAMES = ["Steadfast Shield", "Blue Horizon", "Iron Bridge", "Northern Star", "Silver Anchor"]
DOMAINS = {  # domain -> (English adjective, Turkish adjective)
    "Land": ("land ", "kara "),
    "Maritime": ("naval ", "deniz "),
    "Air": ("air ", "hava "),
    "Joint": ("", ""),
}
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAYS_TR = ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"]

TOPICS_EN = [
    "regional security",
    "the situation in Ukraine",
    "the Black Sea",
    "counter-terrorism",
    "defence industry cooperation",
    "joint exercises",
    "maritime security in the Eastern Mediterranean",
    "the NATO summit",
    "air defence",
    "military training and education",
    "cyber defence",
    "the situation in Syria",
    "Euro-Atlantic security",
    "the Indo-Pacific",
    "border security",
]
TOPICS_TR = [
    "bölgesel güvenlik",
    "Ukrayna'daki son durum",
    "Karadeniz",
    "terörle mücadele",
    "savunma sanayii işbirliği",
    "ortak tatbikatlar",
    "Doğu Akdeniz'de deniz güvenliği",
    "NATO Zirvesi",
    "hava savunması",
    "askeri eğitim",
    "siber savunma",
    "Suriye'deki gelişmeler",
    "Avrupa-Atlantik güvenliği",
    "Hint-Pasifik",
    "sınır güvenliği",
]

# --------------------------------------------------------------------------------------------------
# Turkish suffixes (vowel harmony, consonant hardening)

_BACK, _FRONT = "aıou", "eiöü"


def _last_vowel(word: str) -> str:
    for ch in reversed(word.lower()):
        if ch in _BACK + _FRONT:
            return ch
    return "e"


def tr_case(word: str, case: str) -> str:
    """``word`` with a case suffix after an apostrophe: gen (-nin), loc (-de), dat (-ye), abl (-den)."""
    v = _last_vowel(word)
    ends_vowel = word[-1].lower() in _BACK + _FRONT
    hard = word[-1].lower() in "fstkçşhp"
    back = v in _BACK
    if case == "gen":
        four = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}[v]
        return f"{word}'{'n' if ends_vowel else ''}{four}n"
    two = "a" if back else "e"
    if case == "loc":
        return f"{word}'{'t' if hard else 'd'}{two}"
    if case == "abl":
        return f"{word}'{'t' if hard else 'd'}{two}n"
    if case == "dat":
        return f"{word}'{'y' if ends_vowel else ''}{two}"
    raise ValueError(case)


# --------------------------------------------------------------------------------------------------
# one report


@dataclass
class Official:
    name: str
    rank: str | None
    title: str
    state: State


class Generator:
    KINDS = ("consultations", "visit", "courtesy", "phone", "talks", "ministerial")

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.states = load_states()
        self.ranks = {
            "en": load_column("en", "ranks", _RANKS_EN, "label", "label_en", "en"),
            "tr": load_column("tr", "ranks", _RANKS_TR, "label", "label_tr", "tr"),
        }
        self.titles = {
            "en": load_column("en", "titles", _TITLES_EN, "label", "title", "en"),
            "tr": load_column("tr", "titles", _TITLES_TR, "label", "title", "tr"),
        }

    # -- pieces -------------------------------------------------------------------------------------
    def official(self, state: State, lang: str) -> Official:
        r = self.rng
        if state.iso3 == "TUR":
            name = f"{r.choice(_GIVEN_TR)} {r.choice(_FAMILY_TR)}"
        else:
            name = f"{r.choice(_GIVEN_EN)} {r.choice(_FAMILY_EN)}"
        rank = r.choice(self.ranks[lang]) if r.random() < 0.5 else None
        return Official(name, rank, r.choice(self.titles[lang]), state)

    def who(self, o: Official, lang: str, first: bool = True) -> str:
        if not first:
            return o.name.split()[-1]
        if lang == "tr":
            s = self.tr_state(o.state)
            return f"{s} {o.title} {o.rank + ' ' if o.rank else ''}{o.name}"
        return f"{o.state.en.removeprefix('the ')}'s {o.title}, {o.rank + ' ' if o.rank else ''}{o.name}"

    @staticmethod
    def tr_state(s: State) -> str:
        return s.tr

    def when(self, d: date, end: date | None, lang: str, published: date) -> str:
        """The date as a reporter writes it, in one of several styles."""
        r = self.rng.random()
        if lang == "tr":
            if end and end != d:
                days = "tarihlerinde" if r < 0.5 else "günlerinde"
                return f"{d.day}-{end.day} {MONTHS_TR[d.month - 1]} {days}"
            if r < 0.4:
                return tr_case(f"{d.day} {MONTHS_TR[d.month - 1]}", "loc")
            if r < 0.6:
                return f"{d.day} {MONTHS_TR[d.month - 1]} {d.year} tarihinde"
            if r < 0.8:
                return f"{d.day:02d}.{d.month:02d}.{d.year} tarihinde"
            return "bugün" if d == published else f"{DAYS_TR[d.weekday()]} günü"
        if end and end != d:
            return f"on {d.day}-{end.day} {MONTHS_EN[d.month - 1]}"
        if r < 0.3:
            return f"on {MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
        if r < 0.55:
            return f"on {d.day} {MONTHS_EN[d.month - 1]} {d.year}"
        if r < 0.8 and (published - d).days < 7:
            return f"on {DAYS_EN[d.weekday()]}"
        return f"on {MONTHS_EN[d.month - 1]} {d.day}"

    # -- text ---------------------------------------------------------------------------------------
    def report(self, i: int) -> dict[str, str]:
        r = self.rng
        lang = "tr" if r.random() < 0.55 else "en"
        a, b = r.sample(self.states, 2)
        if r.random() < 0.5 and any(s.iso3 == "TUR" for s in self.states):
            a = next(s for s in self.states if s.iso3 == "TUR")
            if b.iso3 == "TUR":
                b = r.choice([s for s in self.states if s.iso3 != "TUR"])
        kind = r.choice(self.KINDS)
        start = date(2022, 1, 1) + timedelta(days=r.randrange(0, 4 * 365))
        end = (
            start + timedelta(days=r.choice((1, 2)))
            if kind in ("consultations", "talks") and r.random() < 0.5
            else None
        )
        published = (end or start) + timedelta(days=r.randrange(0, 4))
        host = r.choice((a, b))
        guest = b if host is a else a
        hosts = [self.official(host, lang) for _ in range(r.randint(1, 3))]
        guests = [self.official(guest, lang) for _ in range(r.randint(1, 3))]
        topics = r.sample(TOPICS_TR if lang == "tr" else TOPICS_EN, r.randint(2, 5))
        when = self.when(start, end, lang, published)
        paras = (self.tr_paras if lang == "tr" else self.en_paras)(
            kind, host, guest, hosts, guests, topics, when
        )
        target = r.randint(1500, 4000)
        title, body = paras[0], paras[1:]
        extra = self.extra(i, kind, lang, host, guest, hosts[0], guests[0], topics, start)
        if extra is not None:
            body.insert(1, extra["sentence"])  # after the lead: never trimmed below
        filler = self.tr_filler if lang == "tr" else self.en_filler
        k, seen = 0, set(body)
        while len("\n\n".join([title, *body]).encode("utf-8")) < target and k < 60:
            k += 1
            para = filler(host, guest, hosts, guests, topics, k)
            if para not in seen:
                seen.add(para)
                body.insert(len(body) - 1, para)
        text = "\n\n".join([title, *body])
        while len(text.encode("utf-8")) > 4000 and len(body) > 3:
            body.pop(-2)
            text = "\n\n".join([title, *body])
        slug = f"{i:06d}-{lang}-{host.iso3.lower()}-{guest.iso3.lower()}"
        self.last_facts = {
            "kind": kind,
            "host": host,
            "guest": guest,
            "hosts": hosts,
            "guests": guests,
            "topics": topics,
            "start": start,
            "end": end,
            "lang": lang,
            "extra": extra,
        }
        return {
            "text": text,
            "url": f"https://news.example.org/{published.year}/{slug}",
            "published": published.isoformat(),
            "title": title,
            "language": lang,
            "name": slug,
        }

    def extra(  # type: ignore[no-untyped-def]
        self, i: int, kind: str, lang: str, host, guest, h, g, topics: list[str], start: date
    ) -> dict[str, Any] | None:
        """The sentence of an agreement signed at the meeting (a share ``AGREEMENT_SHARE`` of the
        reports that are not phone calls) or of a joint exercise to come (``EXERCISE_SHARE``), with
        its facts; ``None`` for the other reports. Drawn from a generator of its own per report."""
        x = random.Random(f"{self.seed}/{i}/extra")
        roll = x.random()
        if roll < AGREEMENT_SHARE and kind == "phone":  # nothing is signed on the phone
            return None
        if roll < AGREEMENT_SHARE:
            topic = x.choice(topics)
            if lang == "tr":
                text = (
                    f"Görüşmede {h.name} ve {g.name}, iki ülke arasında {topic} alanında işbirliğine "
                    "ilişkin bir mutabakat muhtırası imzaladı."
                )
            else:
                text = (
                    f"{h.name} and {g.name} signed a memorandum of understanding on cooperation in {topic} "
                    "during the meeting."
                )
            return {"what": "agreement", "sentence": text, "topic": topic}
        if roll < AGREEMENT_SHARE + EXERCISE_SHARE:
            name = f"{x.choice(EXERCISE_NAMES)}-{start.year + 1}"
            domain = x.choice(sorted(DOMAINS))
            month = x.randrange(12)
            day = date(start.year + 1, month + 1, 1)
            en, tr = DOMAINS[domain]
            if lang == "tr":
                text = (
                    f"{host.tr} ve {guest.tr} silahlı kuvvetleri, {name} ortak {tr}tatbikatını "
                    f"{day.year} yılının {MONTHS_TR[month]} ayında {tr_case(host.capital_tr, 'loc')} "
                    "icra edecek."
                )
            else:
                text = (
                    f"The armed forces of {host.en} and {guest.en} will hold the joint {en}exercise {name} "
                    f"near {host.capital_en} in {MONTHS_EN[month]} {day.year}."
                )
            return {"what": "exercise", "sentence": text, "name": name, "domain": domain, "start": day}
        return None

    def tr_paras(self, kind, host, guest, hosts, guests, topics, when) -> list[str]:  # type: ignore[no-untyped-def]
        r = self.rng
        h, g = hosts[0], guests[0]
        city = host.capital_tr
        kind_tr = {
            "consultations": "Savunma ve Güvenlik İstişareleri",
            "visit": "resmi ziyaret",
            "courtesy": "nezaket ziyareti",
            "phone": "telefon görüşmesi",
            "talks": "heyetlerarası görüşmeler",
            "ministerial": "Savunma Bakanları Toplantısı",
        }[kind]
        title = r.choice(
            [
                f"{host.tr} ile {guest.tr} arasında {kind_tr}",
                f"{host.tr} ve {guest.tr} heyetleri {tr_case(city, 'loc')} bir araya geldi",
                f"{h.name.split()[-1]}, {tr_case(guest.tr, 'gen')} {g.title.lower()} ile görüştü",
            ]
        )
        if kind == "phone":
            lead = (
                f"{self.who(h, 'tr')}, {tr_case(guest.tr, 'gen')} {g.title} {g.name} ile {when} telefonda "
                f"görüştü."
            )
        elif kind == "courtesy":
            lead = (
                f"{self.who(g, 'tr')}, {when} {tr_case(city, 'loc')} {self.who(h, 'tr')} "
                f"{tr_case(h.name.split()[-1], 'dat')} nezaket ziyaretinde bulundu."
            )
        elif kind == "consultations":
            lead = (
                f"{host.tr} ile {guest.tr} arasındaki {kind_tr}, {when} {tr_case(city, 'loc')} "
                f"gerçekleştirildi. İstişarelere {tr_case(host.tr, 'gen')} heyetine {h.title} {h.name}, "
                f"{tr_case(guest.tr, 'gen')} heyetine ise {g.title} {g.name} başkanlık etti."
            )
        else:
            lead = (
                f"{self.who(h, 'tr')}, {tr_case(city, 'loc')} {when} {tr_case(guest.tr, 'gen')} "
                f"{g.title} {g.name} ile bir araya geldi."
            )
        paras = [title, lead]
        others = [o for o in hosts[1:] + guests[1:]]
        if others:
            names = ", ".join(
                f"{self.tr_state(o.state)} {o.title} {o.rank + ' ' if o.rank else ''}{o.name}" for o in others
            )
            paras.append(f"Görüşmeye {names} da katıldı.")
        paras.append(f"Görüşmede {', '.join(topics[:-1])} ve {topics[-1]} konuları ele alındı.")
        paras.append(
            f"{h.name.split()[-1]}, {tr_case(guest.tr, 'gen')} önemli bir ortak olduğunu belirterek "
            f"{topics[0]} alanındaki işbirliğinin derinleştirilmesine destek verdiklerini vurguladı."
        )
        paras.append(
            f"{tr_case(g.name.split()[-1], 'abl')} yapılan açıklamada ise iki ülke arasındaki ilişkilerin "
            f"{r.choice(['köklü', 'stratejik', 'dostane', 'güçlü'])} olduğu ifade edildi."
        )
        paras.append(
            r.choice(
                [
                    "Görüşmenin ardından heyetler ortak bir açıklama yayımladı.",
                    "Taraflar bir sonraki toplantının gelecek yıl yapılması konusunda mutabık kaldı.",
                    "Ziyaret kapsamında heyet, bazı askeri birlikleri de ziyaret etti.",
                ]
            )
        )
        return paras

    def tr_filler(self, host, guest, hosts, guests, topics, k) -> str:  # type: ignore[no-untyped-def]
        r = self.rng
        o = r.choice(hosts + guests)
        t = r.choice(topics)
        return r.choice(
            [
                f"{o.name.split()[-1]}, {t} konusundaki gelişmelerin yakından takip edildiğini söyledi. "
                f"{tr_case(host.tr, 'gen')} ve {tr_case(guest.tr, 'gen')} bu alanda ortak adımlar "
                "atmaya devam edeceği belirtildi.",
                f"Açıklamada, {t} alanında iki ülkenin uzman heyetlerinin önümüzdeki aylarda yeniden "
                "bir araya geleceği kaydedildi. Heyetlerin çalışma grubu toplantıları düzenlemesi de "
                "planlanıyor.",
                f"{o.title} {o.name}, {tr_case(guest.tr, 'gen')} savunma sanayii alanında {host.tr} ile "
                "ortak projeler geliştirmek istediğini dile getirdi.",
                f"Görüşmede ayrıca askeri eğitim, personel değişimi ve {t} başlıkları da gündeme geldi. "
                "Tarafların bu konularda mutabakat zaptı imzalaması bekleniyor.",
                f"Toplantıda, son dönemde bölgede yaşanan gelişmeler ve {t} hakkında değerlendirmelerde "
                f"bulunuldu. {o.name.split()[-1]}, bölgesel istikrara önem verdiklerini ifade etti.",
            ]
        )

    def en_paras(self, kind, host, guest, hosts, guests, topics, when) -> list[str]:  # type: ignore[no-untyped-def]
        r = self.rng
        h, g = hosts[0], guests[0]
        city = host.capital_en
        he, ge = host.en.removeprefix("the "), guest.en.removeprefix("the ")
        kind_en = {
            "consultations": "Defence and Security Consultations",
            "visit": "official visit",
            "courtesy": "courtesy call",
            "phone": "phone call",
            "talks": "defence talks",
            "ministerial": "Defence Ministerial Meeting",
        }[kind]
        title = r.choice(
            [
                f"{he} and {ge} hold {kind_en}",
                f"{h.name.split()[-1]} meets {ge}'s {g.title}",
                f"Readout of the {he}-{ge} {kind_en}",
            ]
        )
        if kind == "phone":
            lead = f"{self.who(h, 'en')} spoke by phone {when} with {self.who(g, 'en')}."
        elif kind == "courtesy":
            lead = f"{self.who(g, 'en')} paid a courtesy call {when} on {self.who(h, 'en')} in {city}."
        elif kind == "consultations":
            lead = (
                f"The {kind_en} between {host.en} and {guest.en} took place in {city} {when}. "
                f"The delegation of {host.en} was led by {h.title} {h.name}, and that of {guest.en} by "
                f"{g.title} {g.name}."
            )
        elif kind == "visit":
            lead = (
                f"{self.who(g, 'en')} made an official visit to {host.en} {when}, "
                f"meeting {self.who(h, 'en')}."
            )
        else:
            lead = f"{self.who(h, 'en')} met {self.who(g, 'en')} in {city} {when}."
        paras = [title, lead]
        others = hosts[1:] + guests[1:]
        if others:
            names = "; ".join(f"{o.state.en.removeprefix('the ')}'s {o.title} {o.name}" for o in others)
            paras.append(f"Also present were {names}.")
        paras.append(f"The two sides discussed {', '.join(topics[:-1])} and {topics[-1]}.")
        paras.append(
            f"{h.name.split()[-1]} welcomed {guest.en}'s commitment to {topics[0]} and expressed support "
            "for closer cooperation between the two countries."
        )
        paras.append(
            f"{g.name.split()[-1]} expressed concern about {r.choice(topics)} and reaffirmed "
            f"{ge}'s {r.choice(['strong', 'long-standing', 'strategic'])} partnership with {host.en}."
        )
        paras.append(
            r.choice(
                [
                    "The ministers agreed to meet again next year.",
                    "Both sides agreed to hold the next round of talks in the coming months.",
                    "The meeting ended with the signing of a letter of intent on training.",
                ]
            )
        )
        return paras

    def en_filler(self, host, guest, hosts, guests, topics, k) -> str:  # type: ignore[no-untyped-def]
        r = self.rng
        o = r.choice(hosts + guests)
        t = r.choice(topics)
        return r.choice(
            [
                f"{o.name.split()[-1]} said that developments in {t} were being followed closely, and that "
                f"{host.en} and {guest.en} would keep working together in this field.",
                f"According to the statement, expert delegations of the two countries will meet again in the "
                f"coming months to take work on {t} forward, including a working group on procurement.",
                f"The {o.title}, {o.name}, noted the progress made since the previous meeting and "
                f"stressed the importance of {t} for both countries.",
                f"The talks also covered military education, personnel exchanges and {t}. Officials expect a "
                "memorandum of understanding to be signed later this year.",
                f"Participants exchanged views on recent developments in the region and on {t}. "
                f"{o.name.split()[-1]} underlined the value of regional stability.",
            ]
        )


_KIND_CLASS = {
    "consultations": "Consultations",
    "visit": "OfficialVisit",
    "courtesy": "CourtesyCall",
    "phone": "PhoneCall",
    "talks": "Talks",
    "ministerial": "MinisterialMeeting",
}


def extractions(n: int, seed: int = 1) -> Iterator[Any]:
    """``defkg.model.Extraction``s of ``n`` generated reports, as a perfect extractor would give them
    (for benchmarks of the store and the queries that do not depend on the extractor)."""
    from defkg.model import (
        AgreementFact,
        Article,
        ExerciseFact,
        Extraction,
        MeetingFact,
        Participation,
        Person,
        PlaceRef,
        Stance,
        StateRef,
        TopicRef,
    )
    from defkg.pipeline.reader import article_id
    from defkg.pipeline.sentences import split

    qids = {r.get("iso3", ""): r.get("qid", "") for r in load_tsv(PKG / "data" / "states.tsv")}
    gen = Generator(seed)
    for i in range(n):
        rep = gen.report(i)
        f = gen.last_facts
        lang, host, guest = f["lang"], f["host"], f["guest"]
        text = rep["text"]
        sents = split(text)
        ev = tuple(range(min(3, len(sents))))
        art = Article(
            id=article_id(text),
            text=text,
            language=lang,
            url=rep["url"],
            published=date.fromisoformat(rep["published"]),
            title=rep["title"],
            source=f"{rep['name']}.txt",
            sentences=sents,
        )
        states = {
            s.iso3: StateRef(s.iso3, qids.get(s.iso3) or "Q0", s.en.removeprefix("the "), s.tr)
            for s in (host, guest)
        }
        parts = tuple(
            Participation(Person(o.name, o.state.iso3, title=o.title), head=(j == 0), evidence=ev[:1])
            for group in (f["hosts"], f["guests"])
            for j, o in enumerate(group)
        )
        topics = tuple(
            TopicRef(t[:40].lower().replace(" ", "-").replace("'", ""), t, "Theme") for t in f["topics"]
        )
        city = host.capital_tr if lang == "tr" else host.capital_en
        meeting = MeetingFact(
            kind=_KIND_CLASS[f["kind"]],
            states=tuple(sorted((host.iso3, guest.iso3))),
            host=host.iso3,
            start=f["start"],
            end=f["end"],
            place=PlaceRef(city.lower().replace(" ", "-"), city, state=host.iso3, label_en=host.capital_en),
            participants=parts,
            topics=topics,
            stances=(Stance("Support", f"support for cooperation on {f['topics'][0]}", topics[0], ev[-1:]),),
            evidence=ev,
        )
        agreements: tuple[AgreementFact, ...] = ()
        exercises: tuple[ExerciseFact, ...] = ()
        extra = f["extra"]
        if extra is not None:
            told = tuple(k for k, sent in enumerate(sents) if sent.text in extra["sentence"])[:1]
            pair = tuple(sorted((host.iso3, guest.iso3)))
            if extra["what"] == "agreement":
                h, g = f["hosts"][0], f["guests"][0]
                agreements = (
                    AgreementFact(
                        kind="MemorandumOfUnderstanding",
                        states=pair,
                        title="memorandum of understanding",
                        subject=f"cooperation in {extra['topic']}",
                        signed=f["start"],
                        place=meeting.place,
                        signatories=tuple(Person(o.name, o.state.iso3, title=o.title) for o in (h, g)),
                        meeting=0,
                        evidence=told,
                    ),
                )
            else:
                exercises = (
                    ExerciseFact(
                        states=pair,
                        name=extra["name"],
                        host=host.iso3,
                        start=extra["start"],
                        place=meeting.place,
                        domain=extra["domain"],
                        status="Planned",
                        evidence=told,
                    ),
                )
        yield Extraction(
            article=art, meetings=(meeting,), states=states, agreements=agreements, exercises=exercises
        )


def reports(n: int, seed: int = 1) -> Iterator[dict[str, str]]:
    gen = Generator(seed)
    for i in range(n):
        yield gen.report(i)


def front_matter(rep: dict[str, str]) -> str:
    return f"---\nurl: {rep['url']}\npublished: {rep['published']}\n---\n{rep['text']}\n"


def write_dir(n: int, out: Path, seed: int = 1) -> int:
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for rep in reports(n, seed):
        data = front_matter(rep).encode("utf-8")
        (out / f"{rep['name']}.txt").write_bytes(data)
        total += len(data)
    return total


def write_jsonl(n: int, out: Path, seed: int = 1) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with out.open("w", encoding="utf-8") as f:
        for rep in reports(n, seed):
            line = json.dumps({k: rep[k] for k in ("text", "url", "published", "title")}, ensure_ascii=False)
            f.write(line + "\n")
            total += len(rep["text"].encode("utf-8"))
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", type=Path, help="directory of .txt files with front matter")
    g.add_argument("--jsonl", type=Path, help="one JSON Lines file (text, url, published, title)")
    g.add_argument("--stdout", action="store_true", help="print the reports")
    args = ap.parse_args(argv)
    if args.stdout:
        for rep in reports(args.n, args.seed):
            sys.stdout.write(front_matter(rep) + "\n")
        return 0
    size = write_dir(args.n, args.out, args.seed) if args.out else write_jsonl(args.n, args.jsonl, args.seed)
    print(f"wrote {args.n} reports ({size / 1e6:.1f} MB) to {args.out or args.jsonl}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
