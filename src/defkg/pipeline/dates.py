"""Date mentions: absolute ("29-30 Mayıs 2025", "January 15", "15.01.2026"), relative
("dün", "today") and weekdays ("on Friday", "16 Kasım Salı"), resolved against the
publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from defkg.gazetteer import grammar
from defkg.pipeline.tokens import Match, Token

RANGE_WORDS = frozenset({"-", *grammar("range")})
# between two relative days of one span: "bugün ve yarın", "today and tomorrow"
RELDAY_PAIR = frozenset({"-", *grammar("conjunction"), *grammar("comitative")})
_NUMERIC = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class DateMention:
    char_start: int
    char_end: int
    start: date | None  # resolved (None when it cannot be resolved: no publication date)
    end: date | None
    has_year: bool
    kind: str  # absolute | numeric | relative | weekday


def _day(tok: Token | None) -> int | None:
    if tok is None or not tok.base.isdigit() or len(tok.base) > 2:
        return None
    d = int(tok.base)
    return d if 1 <= d <= 31 else None


def _year(tok: Token | None) -> int | None:
    if tok is None or not tok.base.isdigit() or len(tok.base) != 4:
        return None
    y = int(tok.base)
    return y if 1900 <= y <= 2100 else None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _closest_year(month: int, day: int, published: date | None, ahead_days: int = 45) -> date | None:
    """Year-less dates take the year that puts them closest before the publication date
    (a little after it is allowed: reports of plans)."""
    if published is None:
        return None
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        d = _safe(y, month, day)
        if d is None or d > published + timedelta(days=ahead_days):
            continue
        if best is None or abs((d - published).days) < abs((best - published).days):
            best = d
    return best


def find_dates(
    tokens: tuple[Token, ...],
    matches: list[Match],
    text: str,
    published: date | None,
) -> list[DateMention]:
    out: list[DateMention] = []
    n = len(tokens)
    covered: set[int] = set()
    for m in matches:
        e = m.first("month")
        if e is not None:
            month = int(e.key)
            i, j = m.start, m.end
            # day(s) before the month: "29-30 Mayıs", "14 Ocak'ta", "3 March"
            d2 = _day(tokens[i - 1]) if i >= 1 else None
            d1 = None
            first = i - 1 if d2 else i
            # a range: "29-30 Mayıs", "3 and 4 December", "10 to 12 June", "12 ile 14 Haziran"
            if d2 and i >= 3 and tokens[i - 2].key in RANGE_WORDS and _day(tokens[i - 3]):
                d1 = _day(tokens[i - 3])
                first = i - 3
            # day(s) after the month: "January 15", "April 28-29"
            after = None
            if (
                d2 is None
                and j < n
                and _day(tokens[j])
                and not (
                    j + 1 < n
                    and tokens[j + 1].key in (":", ".")
                    and j + 2 < n
                    and tokens[j + 2].base.isdigit()
                )
            ):
                after = _day(tokens[j])
                j += 1
                if j + 1 < n and tokens[j].key in RANGE_WORDS and _day(tokens[j + 1]):
                    d1, after = after, _day(tokens[j + 1])
                    j += 2
            day_end = d2 or after
            if day_end is None:
                continue
            day_start = d1 or day_end
            # a year: "29 Mayıs 2025", "January 15, 2025"
            k = j
            if k < n and tokens[k].key == ",":
                k += 1
            year = _year(tokens[k]) if k < n else None
            if year is not None:
                j = k + 1
            if year is not None:
                s, en = _safe(year, month, day_start), _safe(year, month, day_end)
            else:
                en = _closest_year(month, day_end, published)
                s = _safe(en.year, month, day_start) if en else None
            if s and en and s > en:
                s = en
            covered.update(range(first, j))
            out.append(
                DateMention(tokens[first].start, tokens[j - 1].end, s, en, year is not None, "absolute")
            )
    for m in matches:
        if m.start in covered:
            continue
        rel = m.first("relday")
        wd = m.first("weekday")
        if rel is not None and published is not None:
            d = published + timedelta(days=int(rel.key))
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.kind == "relative"
                and prev.start
                and text[prev.char_end : m.char_start].strip().lower() in RELDAY_PAIR
            ):
                out[-1] = DateMention(
                    prev.char_start, m.char_end, min(prev.start, d), max(prev.end or d, d), True, "relative"
                )  # "dün ve bugün"
                continue
            out.append(DateMention(m.char_start, m.char_end, d, d, True, "relative"))
        elif wd is not None and published is not None and m.start not in covered:
            back = (published.weekday() - int(wd.key)) % 7
            d = published - timedelta(days=back)
            out.append(DateMention(m.char_start, m.char_end, d, d, True, "weekday"))
    for mm in _NUMERIC.finditer(text):
        day: date | None
        if mm.group(4):
            day = _safe(int(mm.group(4)), int(mm.group(3)), int(mm.group(1)))
        else:
            day = _safe(int(mm.group(5)), int(mm.group(6)), int(mm.group(7)))
        if day:
            out.append(DateMention(mm.start(), mm.end(), day, day, True, "numeric"))
    out.sort(key=lambda x: x.char_start)
    return out


def publication_date(found: list[DateMention], text: str) -> date | None:
    """When no metadata gives it: the first complete date in the article's header lines."""
    header_end = 0
    for line in text.splitlines(keepends=True):
        if len(line) > 200:
            break
        header_end += len(line)
    full = [d for d in found if d.has_year and d.kind in ("absolute", "numeric") and d.start]
    in_header = [d for d in full if d.char_start < header_end]
    pick = in_header or full
    return pick[0].start if pick else None
