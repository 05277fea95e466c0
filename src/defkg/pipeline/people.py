"""People: names announced by a rank, title or honorific ("Tümgeneral İlkay Altındağ",
"Secretary of Defense Jim Mattis", "Dr. Christian Turner"), the chain of state,
organisation and title words before them (or after them, between commas, in English),
and later mentions of the same person ("Bakan Güler", "Pistorius")."""

from __future__ import annotations

from dataclasses import dataclass, replace

from defkg.gazetteer import Gazetteer, grammar, official_names, official_state
from defkg.pipeline.tokens import Match, Token
from defkg.textnorm import fold, tr_title

TRIGGERS = frozenset({"rank", "title", "honorific", "role"})
COUNTERPART = "counterpart"  # "his Serbian counterpart Bratislav Gašić", "Alman mevkidaşı Pistorius"
CHAIN = frozenset({"state", "org", "title", "rank", "role", "honorific", "place"})
CONNECTORS = frozenset({*grammar("connector"), "&", "-", "(", ")"})
GENITIVE = grammar("genitive")
PREPOSITIONS = frozenset(grammar("preposition"))
DIPLOMATIC = ("ambassador", "consul", "attache", "charge")
POST_TITLE = frozenset({"acting", "former", "retired"})  # cues that may stand between a title and the name
OUR = grammar("our")
POSSESSIVE = tuple(f"'{f}" for f in grammar("possessive"))  # "MSB'si": not part of the title
CONJUNCTION = frozenset(grammar("conjunction"))  # "and", "ve"
COMITATIVE = frozenset(grammar("comitative"))  # "A ile B"
PAIR_JOINER = frozenset(grammar("pair-joiner"))  # "A and B"
TITLE_OF = frozenset(grammar("title-of"))  # "Minister X of Japan"
ACCREDITED_TO = frozenset(grammar("accredited-to"))  # "Ambassador of France to India"
TITLE_STATE_LINK = frozenset(grammar("title-state-link"))  # "Ambassador of Japan to Malaysia"
STATE_NAME_WORDS = frozenset(grammar("state-name-word"))  # "of the Republic of the Philippines"
DEFINITE_ARTICLE = frozenset(grammar("definite-article"))
NOT_IN_TITLE = frozenset({*grammar("article"), *grammar("demonstrative")})  # a capitalised "The", "Bu"
NEXT_PERSON = CONJUNCTION | frozenset(grammar("disjunction"))  # "A, and B": not an apposition
APPOSITION_LINKS = frozenset({*grammar("apposition-link"), "&", ")"})  # "Chief of the Defence Staff"
APPOSED_NAME_END = frozenset({",", ".", ";", *PAIR_JOINER})
PAIR = CONJUNCTION | COMITATIVE  # "A and B", "A ile B"
TITLE_TAIL = STATE_NAME_WORDS | TITLE_STATE_LINK  # "of the Republic of", "to"


@dataclass(frozen=True)
class PersonMention:
    name: str
    key: tuple[str, ...]  # folded name tokens
    sentence: int
    start: int  # token span of the name
    end: int
    chain_start: int = -1  # first token of the state/organisation/title words before the name
    rank: str | None = None
    titles: tuple[str, ...] = ()
    title_text: str | None = None
    org: str | None = None
    state: str | None = None  # stated in the text
    accredited: str | None = None
    head_cue: bool = False
    accompanying: bool = False
    own: bool = False  # "Büyükelçimiz": one of ours (the publisher's state)
    triggered: bool = True


@dataclass
class _Ctx:
    tokens: tuple[Token, ...]
    text: str
    g: Gazetteer
    covering: dict[int, Match]
    sent_of: list[int]
    lang: str
    home: str | None


def _display(tokens: list[Token], lang: str) -> str:
    parts: list[str] = []
    # a name written in capitals is shown in title case; initials in a name that is not ("AP Singh") stay
    shouted = all(t.base.isupper() for t in tokens if t.is_word and len(t.base) > 3)
    for t in tokens:
        w = t.base
        if len(w) > 1 and w.isupper() and (shouted or len(w) > 3):
            w = tr_title(w) if lang == "tr" else w[:1] + w[1:].lower()
        if parts and (t.key in ("-", ".") or parts[-1].endswith("-")):
            parts[-1] += w
        else:
            parts.append(w)
    return " ".join(parts)


def _gap_has_newline(c: _Ctx, a: Token, b: Token) -> bool:
    return "\n" in c.text[a.end : b.start]


def _month_as_name(c: _Ctx, m: Match, j: int) -> bool:
    """A month that is a first name ("Kasım el-Araci"): capitalised, no number beside it, a name after it."""
    toks = c.tokens
    if not all(e.category in ("month", "weekday") for e in m.entries) or m.end - m.start != 1:
        return False
    if not toks[j].is_cap or (j and toks[j - 1].base.isdigit()) or toks[j].suffix:
        return False
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return (
        nxt is not None
        and nxt.is_word
        and not nxt.base.isdigit()
        and (nxt.is_cap or nxt.key in c.g.particles)
    )


def _state_as_name(c: _Ctx, m: Match, j: int) -> bool:
    """A state's name that is a first name after a title ("Minister of Defense Israel Katz"): one
    capitalised word naming a state (not its adjective), then a capitalised word no gazetteer entry
    covers (a surname, not "Israel Defense Forces")."""
    toks = c.tokens
    if m.end - m.start != 1 or not all(e.category == "state" and e.kind == "name" for e in m.entries):
        return False
    return toks[j].is_cap and not toks[j].suffix and _surname_follows(c, j)


def _rank_as_name(c: _Ctx, m: Match | None, j: int) -> bool:
    """A rank's short form that begins a known office holder's name ("Minister of Defense Gen
    Nakatani", ``data/officials.tsv``): one word matched as a rank, a known full name from it on."""
    if m is None or m.end - m.start != 1 or not m.has("rank") or not c.tokens[j].is_cap:
        return False
    names = official_names()
    toks = c.tokens
    for n in (2, 3):
        words = toks[j : j + n]
        if (
            len(words) == n
            and all(t.is_word and t.is_cap for t in words)
            and tuple(t.key for t in words) in names
        ):
            return True
    return False


def _initials(c: _Ctx, j: int) -> bool:
    """Initials opening a name ("Air Chief Marshal AP Singh"), though the same capitals elsewhere
    are no name ("(AP)"): two or three capitals, then a capitalised word that is no stop word."""
    t = c.tokens[j]
    return (
        2 <= len(t.base) <= 3
        and t.base.isupper()
        and not t.suffix
        and _surname_follows(c, j)
        and not c.tokens[j + 1].base.isupper()
    )


def _surname_follows(c: _Ctx, j: int) -> bool:
    """The word after token j may go on a name: capitalised, on the same line, no stop word, no
    gazetteer entry ("Katz", not "Defense Forces")."""
    toks = c.tokens
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return (
        nxt is not None
        and nxt.is_word
        and nxt.is_cap
        and c.covering.get(j + 1) is None
        and nxt.key not in c.g.name_stop
        and not _gap_has_newline(c, toks[j], nxt)
    )


def _glued_particle(c: _Ctx, t: Token) -> bool:
    """An Arabic article written onto the name: "elAtiyye", "alMazrouei"."""
    b = t.base
    return len(b) > 3 and b[:2].islower() and b[2].isupper() and b[:2] in c.g.particles


def _name_run(c: _Ctx, k: int) -> tuple[int, int, bool] | None:
    """Token span of a name starting at k (skipping honorifics), or None."""
    toks, n = c.tokens, len(c.tokens)
    j = k
    first = None
    words = 0
    while j < n and words < 5:
        t = toks[j]
        if j > 0 and _gap_has_newline(c, toks[j - 1], t):
            break
        m = c.covering.get(j)
        if (
            m is not None
            and not _month_as_name(c, m, j)
            and not (first is None and (_state_as_name(c, m, j) or _rank_as_name(c, m, j)))
        ):
            if first is None and m.has("honorific"):
                j = m.end
                continue
            break
        if (
            t.is_word
            and (t.is_cap or t.is_upper or _glued_particle(c, t))
            and not t.base.isdigit()
            and (t.key not in c.g.name_stop or m is not None or (first is None and _initials(c, j)))
        ):
            if first is None:
                first = j
            words += t.key not in c.g.particles  # "Muhammed Bin Mubarek Fadhel Al Mazrouei"
            j += 1
            if t.suffix:
                break
            continue
        if first is not None and t.key == "." and len(toks[j - 1].base) == 1 and toks[j - 1].is_cap:
            j += 1
            continue
        if (
            first is not None
            and t.key == "-"
            and j + 1 < n
            and toks[j + 1].is_word
            and t.start == toks[j - 1].end
            and toks[j + 1].start == t.end
        ):
            j += 1  # "Szalay-Bobrovniczky", "Gyu-back"
            if not toks[j].is_cap:
                j += 1
                words += 1
            continue
        if (
            t.is_word
            and t.key in c.g.particles
            and j + 1 < n
            and (
                toks[j + 1].is_cap
                or toks[j + 1].key == "-"
                or (toks[j + 1].key in c.g.particles and j + 2 < n and toks[j + 2].is_cap)  # "de la Maza"
            )
        ):
            if first is None:
                first = j
            j += 1
            continue
        break
    if first is None:
        return None
    end = j
    while end > first and (toks[end - 1].key in ("-",) or toks[end - 1].key in c.g.particles):
        end -= 1
    span = [t for t in toks[first:end] if t.is_word]
    if not span or all(len(t.base) == 1 for t in span):
        return None
    return first, end, bool(toks[end - 1].suffix)


def _left_chain(c: _Ctx, start: int, taken: set[int], after_honorific: bool) -> tuple[list[Match], int]:
    """The state, organisation and title words before a name's trigger, and where they begin."""
    toks = c.tokens
    chain: list[Match] = []
    j = start - 1
    leftmost = start
    sent = c.sent_of[start] if start < len(toks) else -1
    comma_ok = after_honorific or c.lang == "en"  # "..., the Rt Hon John Healey MP"
    while j >= 0 and c.sent_of[j] == sent and j not in taken:
        if _gap_has_newline(c, toks[j], toks[j + 1]):
            break
        m = c.covering.get(j)
        if m is not None:
            if not any(
                e.category in CHAIN
                or (e.category == "cue" and (toks[m.start].is_cap or e.key == COUNTERPART))
                for e in m.entries
            ):
                break
            chain.append(m)
            # "the Chief of the Defence Staff, Air Chief Marshal Sir Richard Knighton"
            comma_ok = comma_ok and all(e.category in ("honorific", "rank") for e in m.entries)
            j = m.start - 1
            leftmost = m.start
            continue
        t = toks[j]
        if t.key == "-" and not (j and t.start == toks[j - 1].end):
            break  # a spaced dash ("RAWALPINDI – General ...") ends the phrase
        before = c.covering.get(j - 1) if j else None
        if (
            t.key in CONJUNCTION
            and before is not None
            and before.has("state")
            and before.start > 0
            and toks[before.start - 1].key in TITLE_OF
        ):
            break  # "Minister X of Japan and Australian Minister Y": Japan is X's
        if t.key == "," and comma_ok and j > 0:
            # cross the comma only into a title: "the Chief of the Defence Staff, Air Chief Marshal X",
            # "Secretary of State for Defence of the United Kingdom, the Rt Hon X"
            before = c.covering.get(j - 1)
            if before is None or not (
                before.has("title")
                or (
                    before.has("org")
                    and (before.start == 0 or toks[before.start - 1].key not in PREPOSITIONS)
                )
                or (
                    before.has("state")
                    and _after_title(c, before, {mm.end: mm for mm in c.covering.values()})
                )
            ):
                break
            comma_ok = False
            j -= 1
            continue
        if (
            t.key in CONNECTORS
            or (t.base.isdigit() and len(t.base) <= 2)
            or t.key == "."
            or (t.is_word and t.is_cap and t.key not in NOT_IN_TITLE)
        ):
            j -= 1
            if t.is_word or t.base.isdigit():
                leftmost = j + 1
            continue
        break
    while leftmost < start and (
        toks[leftmost].key in CONNECTORS
        or any(
            e.category == "cue" and e.key != "deputy"
            for e in getattr(c.covering.get(leftmost), "entries", ())
        )
    ):
        leftmost += 1  # "Heyette Milli Savunma Bakanı": the delegation word is not part of the title
    return chain, leftmost


def _right_chain(c: _Ctx, end: int) -> list[Match]:
    """English appositions: "General Selcuk Bayraktaroglu, Chief of the Turkish General Staff, ..." """
    toks, n = c.tokens, len(c.tokens)
    if c.lang != "en" or end >= n or toks[end].key != ",":
        return []
    chain: list[Match] = []
    j = end + 1
    if j < n and toks[j].key in NEXT_PERSON:
        return []  # "A, and Germany's Chief of Defence B": the next person, not an apposition
    sent = c.sent_of[end]
    while j < n and c.sent_of[j] == sent:
        m = c.covering.get(j)
        if m is not None:
            if m.has("honorific"):
                j = m.end
                continue
            if not any(e.category in CHAIN for e in m.entries):
                break
            chain.append(m)
            j = m.end
            continue
        t = toks[j]
        if t.key == "(":
            close = next((k for k in range(j, min(n, j + 8)) if toks[k].key == ")"), None)
            if close is not None:
                j = close + 1  # "(M)", "(GHQ)"
                continue
        if t.key in APPOSITION_LINKS:
            j += 1
            continue
        if t.is_word and t.is_cap and (t.key in c.g.name_stop or any(mm.has("title") for mm in chain)):
            j += 1  # capitalised words of a title ("Chief of Army Staff and Chief of Defence Force")
            continue
        if t.key == "," and not any(mm.has("title") for mm in chain):
            j += 1  # post-nominals: "Syed Asim Munir, NI (M), HJ, Chief of Army Staff"
            continue
        break
    if j < n and toks[j].is_word and toks[j].is_cap and toks[j].key not in c.g.name_stop:
        return []  # "X, Defence Minister Y": a list of people, not an apposition
    return chain if any(mm.has("title") or mm.has("rank") or mm.has("org") for mm in chain) else []


def _state_from_chain(chain: list[Match], c: _Ctx) -> tuple[str | None, str | None]:
    """(the state a person represents, a second state: where a diplomat is accredited)."""
    # "Libya Büyükelçisi": a bare state right before the diplomat's title names where they serve
    # (not "Almanya Dışişleri Bakanlığı ... Büyükelçi X": there the state qualifies the ministry)
    diplomatic = any(
        m.has("state")
        and (nxt := next((mm for mm in chain if mm.start == m.end), None)) is not None
        and any(e.category in ("title", "role") and any(w in e.key for w in DIPLOMATIC) for e in nxt.entries)
        for m in chain
    )
    states = []
    accredited_to = None
    for m in sorted(chain, key=lambda m: m.start):
        e = m.first("state")
        if e is not None and e.kind in ("name", "adjective", ""):
            if m.start and c.tokens[m.start - 1].key in ACCREDITED_TO:
                accredited_to = e.key  # "Ambassador of France to India"
                continue
            states.append((e.key, c.tokens[m.end - 1].suffix in GENITIVE))
    if not states:
        return None, accredited_to
    genitive = [s for s, gen in states if gen]
    if diplomatic and c.lang == "tr" and not genitive and c.home and states[0][0] != c.home:
        return c.home, states[0][0]  # "Libya Büyükelçisi": Türkiye's ambassador to Libya
    own = genitive[0] if genitive else states[0][0]
    others = [s for s, _ in states if s != own]
    return own, accredited_to or (others[0] if others else None)


def _is_counterpart(m: Match) -> bool:
    return any(e.category == "cue" and e.key == COUNTERPART for e in m.entries)


def _is_trigger(m: Match) -> bool:
    return any(e.category in TRIGGERS or (e.category == "cue" and e.key == COUNTERPART) for e in m.entries)


def _after_title(c: _Ctx, m: Match, ends: dict[int, Match]) -> bool:
    """A state closing a title: "Secretary of National Defense of the Republic of the Philippines NAME",
    "Ambassador to Azerbaijan NAME", "Ambassador of Türkiye to Azerbaijan NAME"."""
    if m.start > 1 and c.tokens[m.start - 1].key in ACCREDITED_TO:
        prev = ends.get(m.start - 1)
        if prev is not None and (prev.has("title") or (prev.has("state") and _after_title(c, prev, ends))):
            return True
    j = m.start
    while j > 0 and c.tokens[j - 1].key in STATE_NAME_WORDS:
        j -= 1
    if j == m.start or j == 0 or c.tokens[j].key not in TITLE_OF:
        return False
    prev = ends.get(j)
    return (prev is not None and prev.has("title")) or c.tokens[j - 1].is_cap


def _apposed_name(c: _Ctx, m: Match, starts: dict[int, Match]) -> tuple[int, int, bool] | None:
    """ "the UK Ambassador to Türkiye, Jill Morris," , "the Ambassador of Japan to Malaysia, Katsuhiko
    Takahashi,": a title (of a state, to a state), a comma, then the name and a stop."""
    toks, j = c.tokens, m.end
    for _ in range(2):
        if j + 1 >= len(toks) or toks[j].key not in TITLE_STATE_LINK:
            break
        k = j + 2 if toks[j + 1].key in DEFINITE_ARTICLE else j + 1  # "of the United Kingdom"
        if starts.get(k) is None or not starts[k].has("state"):
            break
        j = starts[k].end
    if j >= len(toks) or toks[j].key != ",":
        return None
    run = _name_run(c, j + 1)
    if run is None or c.covering.get(j + 1) is not None:
        return None
    end = run[1]
    if end < len(toks) and toks[end].key not in APPOSED_NAME_END:
        return None
    return run


def find_people(
    tokens: tuple[Token, ...],
    matches: list[Match],
    text: str,
    sent_of: list[int],
    g: Gazetteer,
    lang: str,
    home: str | None = None,
    year: int | None = None,
) -> list[PersonMention]:
    covering: dict[int, Match] = {}
    for m in matches:
        for i in range(m.start, m.end):
            covering[i] = m
    c = _Ctx(tokens, text, g, covering, sent_of, lang, home)
    starts = {m.start: m for m in matches}
    out: list[PersonMention] = []
    taken: set[int] = set()
    ends = {m.end: m for m in matches}
    for m in matches:
        if not _is_trigger(m) and not (m.has("state") and _after_title(c, m, ends)):
            continue
        if _rank_as_name(c, m, m.start):
            continue  # the first word of a known name, not a rank: the title before announces it
        if m.has("honorific") and m.end in starts and starts[m.end].has("honorific"):
            continue
        nxt = starts.get(m.end)
        if (
            nxt is not None
            and any(e.category in ("rank", "title", "role") for e in nxt.entries)
            and not _rank_as_name(c, nxt, nxt.start)
        ):
            continue  # the next trigger announces the name
        after_title = m.end
        post = starts.get(m.end)
        if post is not None and any(e.category == "cue" and e.key in POST_TITLE for e in post.entries):
            after_title = post.end  # "Savunma Bakanı Vekili Mark Esper"
        run = _name_run(c, after_title)
        apposed: list[Match] = []
        if run is None and lang == "en" and (m.has("title") or _is_counterpart(m)):  # "his counterpart, B,"
            run = _apposed_name(c, m, starts)
            if run is not None:  # "the Ambassador of Japan to Malaysia, X,": the states are the title's
                apposed = [starts[k] for k in range(m.end, run[0]) if k in starts and starts[k].has("state")]
        if run is None:
            continue
        first, end, _ = run
        if first in taken:
            continue
        after = starts.get(end)
        if (
            after is not None
            and any(e.category in ("rank", "title") for e in after.entries)
            and not tokens[end - 1].suffix
        ):
            continue  # capitalised title words, not a name ("Operasyonlar Başkan Yardımcısı")
        taken.update(range(first, end))
        left, leftmost = _left_chain(c, m.start, taken, m.has("honorific"))
        right = _right_chain(c, end)
        out.append(_mention(c, first, end, [m, *left, *apposed], right, leftmost))
    out = _co_chairs(c, out)
    # a known office holder whose state the text leaves unsaid ("Deputy Prime Minister Marles")
    out = [p if p.state else replace(p, state=official_state(p.key, year)) for p in out]
    # "In Chile, Mr X met Defence Minister Y": the people met in a country named at the opening
    out = [p if p.state else replace(p, state=_scene(c, p)) for p in out]
    return _corefer(c, out, taken)


def _scene(c: _Ctx, p: PersonMention) -> str | None:
    """The country a sentence opens in ("In Chile, ...", "On the Uruguay leg of the trip, ...",
    "Kolombiya'da, ...") for a person named after its meeting word."""
    toks = c.tokens
    first = p.chain_start if p.chain_start >= 0 else p.start
    j = first
    while j > 0 and c.sent_of[j - 1] == p.sentence:
        j -= 1
    comma = next((k for k in range(j, min(first, j + 9)) if toks[k].key == ","), None)
    if comma is None:
        return None
    opening = set()
    for k in range(j, comma):
        m = c.covering.get(k)
        st = m.first("state") if m is not None else None
        if st is not None and st.kind == "name":
            opening.add(st.key)
    if len(opening) != 1:
        return None
    meets = any((m := c.covering.get(k)) is not None and m.has("kind") for k in range(comma, first))
    return opening.pop() if meets else None


def _co_chairs(c: _Ctx, found: list[PersonMention]) -> list[PersonMention]:
    """ "co-chaired by A and B", "A ve B'nin eş başkanlığında": a head cue of two people reaches the
    second of a pair joined by "and"."""
    out = list(found)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if not prev.head_cue or cur.head_cue or prev.sentence != cur.sentence:
            continue
        # "A and Permanent Secretary (Defence), Singapore Mr B": the second one's post may stand between
        between = c.tokens[prev.end : max(cur.start, prev.end)]
        if not between or between[0].key not in PAIR or len(between) > 12:
            continue
        covered = [c.covering.get(t.position) for t in between]
        if any(e.category in ("kind", "cue") for m in covered if m is not None for e in m.entries):
            continue
        opening = c.tokens[max(prev.chain_start, 0)].start
        before = fold(c.text[max(0, opening - 40) : c.tokens[prev.end - 1].end])
        after = fold(c.text[c.tokens[cur.end - 1].end : c.tokens[cur.end - 1].end + 40])
        if any(w in before or w in after for w in c.g.co_chair):
            out[i] = replace(cur, head_cue=True)
    return out


def _mention(
    c: _Ctx, first: int, end: int, chain: list[Match], right: list[Match], leftmost: int
) -> PersonMention:
    toks = c.tokens
    name_toks = [t for t in toks[first:end]]
    words = [t for t in name_toks if t.is_word]
    rank = next((m.first("rank").key for m in chain if m.has("rank")), None)  # type: ignore[union-attr]
    if rank is None:
        rank = next((m.first("rank").key for m in right if m.has("rank")), None)  # type: ignore[union-attr]
    titles = tuple(
        dict.fromkeys(
            e.key
            for m in chain
            for e in m.entries
            if e.category in ("title", "role") or (e.category == "cue" and e.key == COUNTERPART)
        )
    )
    if not titles:
        titles = tuple(
            dict.fromkeys(e.key for m in right for e in m.entries if e.category in ("title", "role"))
        )
    orgs = [m for m in sorted(chain, key=lambda m: m.start) if m.has("org")]
    if not orgs:
        orgs = [m for m in right if m.has("org")]
    state, accredited = _state_from_chain(chain, c)
    if state is None:
        state, accredited = _state_from_chain(right, c)
    org = orgs[0].first("org").key if orgs else None  # type: ignore[union-attr]
    fixed = c.g.orgs.get(org).state if org in c.g.orgs else None  # type: ignore[union-attr]
    if state and fixed and fixed != state:
        org = None  # "Yunanistan Milli Savunma Bakanlığı": not Türkiye's MSB
    if state is None:  # a title only one state uses: "Milli Savunma Bakanı"
        for t in titles:
            title = c.g.titles.get(t)
            ref = c.g.orgs.get(title.org) if title and title.org else None
            if ref is not None and ref.state:
                state = ref.state
                break
    if state is None:
        for m in orgs:
            ref = c.g.orgs.get(m.first("org").key)  # type: ignore[union-attr]
            if ref is not None and ref.state:
                state = ref.state
                break
    # title text: the title words of the left chain, without the state or organisation before them
    # and without the rank or honorific after them
    left = sorted(chain, key=lambda m: m.start)
    titled = [m for m in left if m.has("title") or m.has("role")]
    t_start, t_end = leftmost, first
    before_title = titled[0].start if titled else first
    for m in left:
        if (m.has("state") or m.has("org") or m.has("place")) and m.start < before_title:
            t_start = max(t_start, m.end)
    if titled and any(m.has("state") or m.has("org") for m in left if m.start > titled[-1].start):
        t_end = titled[-1].end  # "Secretary of State for Defence of the United Kingdom"
    while t_end > t_start and (
        toks[t_end - 1].key in CONNECTORS
        or toks[t_end - 1].key in (",", ".")
        or any(e.category in ("rank", "honorific") for e in getattr(c.covering.get(t_end - 1), "entries", ()))
    ):
        t_end -= 1
    if chain[0].has("state") and not chain[0].has("title"):
        # "Secretary of National Defense of the Republic of the Philippines NAME"
        t_start, t_end = leftmost, chain[0].start
        while t_end > t_start and toks[t_end - 1].key in TITLE_TAIL:
            t_end -= 1
    title_text = None
    if titles == (COUNTERPART,):
        t_end = t_start  # "mevkidaşı" names no post
    if t_end > t_start:
        title_text = c.text[toks[t_start].start : toks[t_end - 1].end].strip(" ,")
    if not title_text and right:
        spans = [m for m in right if m.has("title")] or right
        title_text = c.text[toks[spans[0].start].start : toks[spans[-1].end - 1].end]
    if title_text:
        title_text = title_text.split("'")[0] if title_text.endswith(POSSESSIVE) else title_text
    own = any(toks[m.end - 1].key.endswith(OUR) for m in chain if m.has("title") or m.has("role"))
    # delegation head / accompanying cues around the name
    head = False
    accompanying = False
    for j in (end, end + 1):
        cue = c.covering.get(j)
        if cue is not None and any(e.category == "cue" and e.key == "head" for e in cue.entries):
            head = True
    chain_start = min(leftmost, *(m.start for m in chain))
    for j in range(max(0, chain_start - 3), chain_start):
        near = c.covering.get(j)
        if near is None or c.sent_of[j] != c.sent_of[first]:
            continue
        # "led by X" (English); a Turkish head cue follows the name ("X başkanlığındaki")
        if c.lang == "en" and any(e.category == "cue" and e.key == "head" for e in near.entries):
            head = True
        if any(e.category == "cue" and e.key == "accompanied" for e in near.entries):
            accompanying = True
    return PersonMention(
        name=_display(name_toks, c.lang),
        key=tuple(fold(t.base) for t in words),
        sentence=c.sent_of[first],
        start=first,
        end=end,
        chain_start=chain_start,
        rank=rank,
        titles=titles,
        title_text=title_text or None,
        org=org,
        state=state,
        accredited=accredited,
        head_cue=head,
        accompanying=accompanying,
        own=own,
    )


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """ "Güler" and "Yaşar Güler" are the same; "Ali Nasan" and "Ali Nurettin Nasan" too."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and short[:-1] == long_[: len(short) - 1] and _suffixed(short[-1], long_[-1]):
        return True  # "Lloyd James Austine ile": a case ending written without its apostrophe
    return (short[-1] == long_[-1] and set(short) <= set(long_)) or (
        len(short) == 1 and short[0] in long_[-2:]
    )


def _suffixed(a: str, b: str) -> bool:
    """One surname is the other with a one- or two-letter case ending glued on."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and 0 < len(long_) - len(short) <= 2


SUFFIXES = frozenset(grammar("name-suffix"))


def _surname(key: tuple[str, ...]) -> str:
    words = [w for w in key if w not in SUFFIXES]
    return words[-1] if words else key[-1]


def _corefer(c: _Ctx, found: list[PersonMention], taken: set[int]) -> list[PersonMention]:
    """Give short mentions the full name, and find later untitled mentions of known people."""
    full: list[PersonMention] = []
    for p in sorted(found, key=lambda p: (-len(p.key), len(p.key[-1]))):
        if not any(
            same_person(p.key, q.key) and (p.state is None or q.state is None or p.state == q.state)
            for q in full
        ):
            full.append(p)
    out: list[PersonMention] = []
    for p in found:
        q = next(
            (
                q
                for q in full
                if same_person(p.key, q.key) and (p.state is None or q.state is None or p.state == q.state)
            ),
            p,
        )
        out.append(replace(p, name=q.name, key=q.key, state=p.state or q.state) if q is not p else p)
    # untitled mentions: "Pistorius, ... belirtti", "Boris Pistorius ile"
    toks = c.tokens
    surnames = {_surname(q.key): q for q in full}
    for i, t in enumerate(toks):
        known = surnames.get(t.key)  # first: most words are nobody's surname
        if known is None or i in taken or not t.is_word or not (t.is_cap or t.is_upper) or i in c.covering:
            continue
        out.append(
            replace(
                known,
                sentence=c.sent_of[i],
                start=i,
                end=i + 1,
                chain_start=i,
                head_cue=False,
                accompanying=False,
                triggered=False,
                title_text=None,
                titles=(),
                org=None,
                rank=None,
            )
        )
        for j in (i + 1, i + 2):
            m = c.covering.get(j)
            if m is not None and any(e.category == "cue" and e.key == "head" for e in m.entries):
                out[-1] = replace(out[-1], head_cue=True)
    return out
