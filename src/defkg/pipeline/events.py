"""Relations and events: which states met, when, where, who took part and led, what was
discussed; one ``MeetingFact`` per bilateral meeting the article reports (plus earlier
meetings it recalls and the next one it announces, when it says when or where)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlparse

from defkg.gazetteer import Gazetteer, counterpart_groups, grammar, load
from defkg.model import (
    Article,
    Extraction,
    MeetingFact,
    OrgRef,
    Participation,
    Person,
    PlaceRef,
    RankRef,
    RoleParticipation,
    Stance,
    TopicRef,
)
from defkg.pipeline.agreements import engagements
from defkg.pipeline.dates import DateMention, find_dates, publication_date
from defkg.pipeline.people import (
    COMITATIVE,
    CONJUNCTION,
    DEFINITE_ARTICLE,
    GENITIVE,
    PAIR_JOINER,
    PersonMention,
    find_people,
)
from defkg.pipeline.tokens import Match, Token, find, tokenize
from defkg.textnorm import fold

# Formats that decide the meeting's kind wherever the article mentions them, the most specific first;
# otherwise the first sentence about the meeting names it (talks, consultations or a meeting).
KIND_ORDER = (
    "PhoneCall",
    "DialogueGroupMeeting",
    "SecurityMechanismMeeting",
    "MinisterialMeeting",
    "CourtesyCall",
    "OfficialVisit",
)
GENERIC_KINDS = ("Talks", "Consultations", "Meeting")
SYMMETRIC = frozenset({"Talks", "MinisterialMeeting", "PhoneCall", "Meeting"})
VISITS = frozenset({"CourtesyCall", "OfficialVisit"})
NOT_PARTICIPANT_TITLES = ("spokes", "press", "journalist", "correspondent", "reporter")
DIRECTED = grammar("directed")  # Turkish accusative and dative endings: "Japonya'ya"
LOCATIVE = grammar("locative")
RELATIVE = grammar("relative")  # "Mogadişu'daki": an attribute, not where
EN_GENITIVE = frozenset(grammar("genitive", "en"))  # "Seoul's"
VENUE = frozenset(grammar("venue"))  # "in", "at", "aboard": before where a meeting is held
STANCE_CUES = {
    "support": "Support",
    "condemn": "Condemnation",
    "concern": "Concern",
    "agreement": "Agreement",
    "commitment": "Commitment",
    "opposition": "Opposition",
}
_QUOTED = re.compile(r"[\"“”']([^\"“”'\n]{6,140})[\"“”']")
_DATELINE_BEFORE = re.compile(r"^\s*(?:[A-ZÇĞİÖŞÜ][\w.'’ -]{0,40},\s*)?$")
PARTICIPLE = grammar("participle")  # Turkish future and past participle endings
PLUPERFECT = tuple(dict.fromkeys(fold(f) for f in grammar("pluperfect")))  # "görüşmüştü": earlier
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_CLOCK = re.compile(r"\s*\d{1,2}:\d{2}\s*(?:\n|$)")
_GOV_LABELS = frozenset({"gov", "go", "mil", "mod", "gouv", "gob", "government"})
_TLD_STATE = {"gov": "USA", "mil": "USA", "uk": "GBR"}
PERFECT = frozenset(grammar("perfect"))  # "had met": an earlier event
PERFECT_PARTICIPLES = frozenset(grammar("perfect-participle"))
PERFECT_ADVERBS = frozenset(grammar("perfect-adverb"))
PREPOSITIONS = frozenset(grammar("preposition"))  # "In 2018, ..."
PAIR_OPENER = frozenset(grammar("pair-opener"))  # "between X and Y"
STATE_PAIR = frozenset({"-", *COMITATIVE})  # "X ile Y", "X-Y"
IN_LIST = frozenset({",", ";", *CONJUNCTION, *DEFINITE_ARTICLE})  # "A, B and the C"
GATHERING_REACH = 4  # tokens between an international body's name and its gathering's meeting word
CUE_REACH = 4  # tokens between a "planned"/"recalled" cue and the meeting word it qualifies


@dataclass
class _Sent:
    index: int
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind, cue)
    cues: set[str] = field(default_factory=set)
    matches: list[Match] = field(default_factory=list)

    kind_at: list[tuple[int, int]] = field(default_factory=list)  # token spans of the kind words
    time_cues: list[tuple[int, int]] = field(default_factory=list)  # spans of planned/recalled cues
    first_token: int = 0
    last_token: int = 0
    participle: list[bool] = field(default_factory=list)  # per time cue: a participle ("yapılacak")
    verb_final: bool = False
    earlier: bool = False  # the sentence's own grammar puts it before the report: a past perfect

    @property
    def status(self) -> str | None:
        if not self.kinds:
            return None
        if self.cues & {"trilateral", "multilateral"} and not self.cues & {"sidelines", "bilateral"}:
            return None  # "During the trilateral summit, ...": no bilateral meeting
        if self.cues & {"planned", "recalled"} and not self._own_meeting():
            return "Planned" if "planned" in self.cues else "Recalled"
        return "Reported"

    def _participles(self) -> list[bool]:
        """Per time cue: a Turkish participle, which qualifies the noun after it ("düzenlenmesi planlanan
        NATO Zirvesi"), never a word before it."""
        return self.participle if self.verb_final else [False] * len(self.time_cues)

    def _own_meeting(self) -> bool:
        """A meeting word the sentence's future or past cue does not reach: "discussed ... the upcoming
        NATO conference during a meeting today", "The talks between X and Y came as the two sides are
        set to meet next month". A cue opening the sentence ("Previously, ...") reaches every word."""
        if any(start - self.first_token <= 2 for start, _ in self.time_cues):
            return False

        def near(span: tuple[int, int]) -> bool:
            return any(
                -CUE_REACH <= span[0] - c_end <= CUE_REACH
                or (not participle and -CUE_REACH <= c_start - span[1] <= CUE_REACH)
                for (c_start, c_end), participle in zip(self.time_cues, self._participles(), strict=True)
            )

        free = [span for span in self.kind_at if not near(span)]
        if not free:
            return False
        if self.verb_final:
            # Turkish puts the predicate last: a future or past participle earlier in the sentence
            # qualifies a noun of its own ("yapılacak faaliyetler"), not the meeting it reports; an
            # adverb ("geçen yıl") reaches the whole clause
            cues = zip(self.time_cues, self.participle, strict=True)
            return all(self.last_token - end > 3 and participle for (_, end), participle in cues)
        first_cue = min(start for start, _ in self.time_cues)
        return len(free) < len(self.kind_at) or free[0][0] < first_cue


def home_state(article: Article, g: Gazetteer) -> str | None:
    """The state whose press speaks of "our" officials: Türkiye for Turkish reports; for English
    ones, the state of a government's own web site (defense.gov, mod.go.jp, ...), if any: otherwise
    the sides are read from the text alone."""
    if article.language == "tr":
        return "TUR"
    if article.url:
        # only a government's own site speaks for its state (defense.gov, mod.go.jp, pib.gov.in); a
        # newspaper's country code says nothing of whose officials it reports (arynews.tv, .com.tr)
        labels = (urlparse(article.url).hostname or "").lower().split(".")
        if not set(labels[:-1]) & _GOV_LABELS and labels[-1] not in ("gov", "mil"):
            return None
        tld = labels[-1]
        iso3 = _TLD_STATE.get(tld) or g.iso2.get(tld.upper())
        if iso3:
            return iso3
    return None


def extract(article: Article) -> Extraction:
    g = load(article.language)
    text = article.text
    tokens = tokenize(text)
    matches = find(tokens, article.language)
    sent_of = _sentence_index(tokens, article)
    published = article.published or publication_date(find_dates(tokens, matches, text, None), text)
    if published and not article.published:
        from dataclasses import replace

        article = replace(article, published=published)
    dates = find_dates(tokens, matches, text, published)
    home = home_state(article, g)
    people = find_people(
        tokens, matches, text, sent_of, g, article.language, home, published.year if published else None
    )
    # a page's "Related news" / "Most read" lists are other stories: nothing from there on counts
    end = _related_from(matches, tokens, article)
    if end is not None:
        matches = [m for m in matches if sent_of[m.start] < end]
        people = [p for p in people if p.sentence < end]
        dates = [d for d in dates if d.char_start < article.sentences[end].start]
    sents = [_Sent(i) for i in range(max(len(article.sentences), 1))]
    for m in matches:
        s = sents[min(sent_of[m.start], len(sents) - 1)]
        s.matches.append(m)
        for e in m.entries:
            if e.category == "kind":
                s.kinds.append((e.key, e.kind))
                s.kind_at.append((m.start, m.end))
            elif e.category == "cue":
                s.cues.add(e.key)
                if e.key in ("planned", "recalled"):
                    s.time_cues.append((m.start, m.end))
                    s.participle.append(tokens[m.end - 1].key.endswith(PARTICIPLE))
    _drop_gatherings(sents, g)
    for s in sents:  # sent_of never decreases: each sentence's tokens are one run
        s.first_token = bisect.bisect_left(sent_of, s.index)
        s.last_token = bisect.bisect_right(sent_of, s.index) - 1
        s.verb_final = article.language == "tr"
        if not s.verb_final and _past_perfect(tokens, s):
            s.earlier = True  # "they had met in Paris": told as background, whatever else the sentence says
        if (s.verb_final and _pluperfect(tokens, s)) or _earlier_year(tokens, s, published):
            # "... ile Doha'da görüşmüştü", "In 2018, ...": the whole sentence tells of something earlier
            s.earlier = True
            s.cues.add("recalled")
            s.time_cues.append((s.first_token, s.first_token))
            s.participle.append(False)
    named: dict[int, set[tuple[str, ...]]] = defaultdict(set)  # sentence -> the people it names
    for p in people:
        named[p.sentence].add(p.key)
    _signings(sents, named)
    _speech_with_people(sents, named)
    builder = _Meetings(article, g, tokens, matches, sent_of, sents, dates, people, home)
    meetings = builder.build()
    # all the gazetteer's states, so that the graph describes every state it refers to
    found = engagements(article, g, tokens, matches, sent_of, dates, people, tuple(meetings))
    return Extraction(
        article=article,
        meetings=tuple(meetings),
        states=g.states,
        agreements=found.agreements,
        exercises=found.exercises,
    )


def _pluperfect(tokens: tuple[Token, ...], s: _Sent) -> bool:
    """The sentence's last verb is a past perfect ("görüşmüştü", "ele alınmıştı")."""
    i = s.last_token
    while i >= s.first_token and not tokens[i].is_word:
        i -= 1
    return i >= s.first_token and not tokens[i].suffix and tokens[i].key.endswith(PLUPERFECT)


def _drop_gatherings(sents: list[_Sent], g: Gazetteer) -> None:
    """A meeting word naming an international body's gathering ("the SCO Defence Ministers' Meet",
    "NATO Zirvesi", "the ASEAN summit to be held in ...") is no meeting of two states: it does not
    make a sentence report, plan or recall one."""

    def body(m: Match) -> bool:
        e = m.first("org")
        if e is None or e.key not in g.orgs:
            return False
        o = g.orgs[e.key]
        return o.kind == "InternationalOrganization" and o.state is None

    for s in sents:
        if not s.kind_at:
            continue
        bodies = [m.end for m in s.matches if body(m)]
        if not bodies:
            continue
        # "NATO karargahında ikili bir görüşme": a bilateral meeting at the body's premises
        bilateral = [
            m.start for m in s.matches if any(e.category == "cue" and e.key == "bilateral" for e in m.entries)
        ]
        keep = [
            i
            for i, (start, _) in enumerate(s.kind_at)
            if s.kinds[i][1] != "noun"  # a verb reports people meeting ("NATO Zirvesi sırasında görüştü")
            or not any(
                0 <= start - end <= GATHERING_REACH and not any(end <= b < start for b in bilateral)
                for end in bodies
            )
        ]
        if len(keep) < len(s.kind_at):
            s.kinds = [s.kinds[i] for i in keep]
            s.kind_at = [s.kind_at[i] for i in keep]


def _past_perfect(tokens: tuple[Token, ...], s: _Sent) -> bool:
    """An English past perfect: "had met", "had discussed", "had also visited"."""
    for i in range(s.first_token, s.last_token):
        if tokens[i].key in PERFECT:
            skip = tokens[i + 1].key in PERFECT_ADVERBS and i + 2 <= s.last_token
            nxt = tokens[i + 2] if skip else tokens[i + 1]
            if nxt.is_word and (nxt.key.endswith("ed") or nxt.key in PERFECT_PARTICIPLES):
                return True
    return False


def _earlier_year(tokens: tuple[Token, ...], s: _Sent, published: date | None) -> bool:
    """The sentence opens with a year before the publication's ("In 2018, ...", "2019 yılında ...")."""
    if published is None:
        return False
    words = [t for t in tokens[s.first_token : min(s.first_token + 3, s.last_token + 1)] if t.is_word]
    if words and words[0].key in PREPOSITIONS:
        words = words[1:]
    if not words:
        return False
    b = words[0].base
    return len(b) == 4 and b.isdigit() and 1900 <= int(b) < published.year


def _signings(sents: list[_Sent], named: dict[int, set[tuple[str, ...]]]) -> None:
    """Two officials signing something together met: "Minister A and his counterpart B signed the
    agreement" reports a meeting even where no meeting word stands."""
    for s in sents:
        if s.kinds or not s.cues & {"signed", "joint-statement"} or len(named.get(s.index, ())) < 2:
            continue
        cue = next(m for m in s.matches if any(e.key in ("signed", "joint-statement") for e in m.entries))
        s.kinds.append(("Meeting", "verb"))
        s.kind_at.append((cue.start, cue.end))


def _speech_with_people(sents: list[_Sent], named: dict[int, set[tuple[str, ...]]]) -> None:
    """A speech verb ("spoke to", "spoke with") reports a meeting only with someone to speak to: two
    people named in the sentence, or a counterpart ("spoke to reporters" reports none)."""
    for s in sents:
        if not any(cue == "speech" for _, cue in s.kinds):
            continue
        if len(named.get(s.index, ())) >= 2 or "counterpart" in s.cues:
            continue
        keep = [i for i, (_, cue) in enumerate(s.kinds) if cue != "speech"]
        s.kinds = [s.kinds[i] for i in keep]
        s.kind_at = [s.kind_at[i] for i in keep]


def _related_from(matches: list[Match], tokens: tuple[Token, ...], article: Article) -> int | None:
    """The sentence where a list of related stories begins (a line opening with "İlgili Haberler")."""
    for m in matches:
        if any(e.category == "cue" and e.key == "related" for e in m.entries):
            line_start = article.text.rfind("\n", 0, m.char_start) + 1
            if not article.text[line_start : m.char_start].strip():
                index = next((s.index for s in article.sentences if s.start <= m.char_start < s.end), None)
                if index is not None and index > 2:
                    return index
    return None


def _sentence_index(tokens: tuple[Token, ...], article: Article) -> list[int]:
    out = []
    bounds = [(s.start, s.end) for s in article.sentences] or [(0, len(article.text))]
    k = 0
    for t in tokens:
        while k < len(bounds) - 1 and t.start >= bounds[k + 1][0]:
            k += 1
        out.append(k)
    return out


class _Meetings:
    def __init__(
        self,
        article: Article,
        g: Gazetteer,
        tokens: tuple[Token, ...],
        matches: list[Match],
        sent_of: list[int],
        sents: list[_Sent],
        dates: list[DateMention],
        people: list[PersonMention],
        home: str | None,
    ) -> None:
        self.a, self.g, self.tokens, self.matches = article, g, tokens, matches
        self.sent_of, self.sents, self.dates, self.people, self.home = sent_of, sents, dates, people, home
        self._starts = [s.start for s in article.sentences]
        self._background: set[int] | None = None
        self.found_in: dict[str, tuple[int, ...]] = {}  # fact -> the sentence it was read from
        self.chain_tokens: set[int] = set()
        for p in people:
            if p.triggered:
                self.chain_tokens.update(range(max(p.chain_start, 0), p.end))

    # -- which sentences speak of which meeting -------------------------------------------------------
    def reported(self) -> list[_Sent]:
        return [s for s in self.sents if s.status == "Reported"]

    def participation_sentences(self) -> set[int]:
        out = {s.index for s in self.reported()}
        out |= {
            s.index
            for s in self.sents
            if s.cues & {"accompanied", "participated", "head"} and not s.cues & {"recalled", "planned"}
        }
        return out

    # -- states ---------------------------------------------------------------------------------------
    def state_scores(self, participants: list[PersonMention]) -> dict[str, float]:
        score: dict[str, float] = defaultdict(float)
        for p in participants:
            if p.state:
                score[p.state] += 3
        reported = {s.index for s in self.reported()}
        toks = self.tokens
        for m in self.matches:
            e = m.first("state")
            if e is None or (e.kind == "capital" and toks[m.end - 1].suffix[:2] in LOCATIVE):
                continue
            sent = self.sent_of[m.start]
            suffix = toks[m.end - 1].suffix
            bare = not suffix or suffix in GENITIVE
            w = 0.3
            if sent in reported:
                w += 2 if bare else 0.5
            if sent <= 1:
                w += 0.5
            # "X ile Y", "X-Y", "between X and Y"
            nxt = toks[m.end] if m.end < len(toks) else None
            prev = toks[m.start - 1].key if m.start else ""
            if (
                nxt is not None
                and m.end + 1 < len(toks)
                and (nxt.key in STATE_PAIR or (nxt.key in PAIR_JOINER and prev in PAIR_OPENER))
            ):
                other = next((mm for mm in self.matches if mm.start == m.end + 1 and mm.has("state")), None)
                if other is not None:
                    w += 2
                    score[other.first("state").key] += 2  # type: ignore[union-attr]
            score[e.key] += w
        if self.home and any(p.state is None or p.own for p in participants):
            score[self.home] += 3 if self.a.language == "tr" else 1.5
        return score

    def pair(self, participants: list[PersonMention]) -> tuple[str, ...]:
        score = self.state_scores(participants)
        ranked = sorted(score, key=lambda k: (-score[k], k))
        chosen = [s for s in ranked if score[s] >= 2][:2]
        if len(chosen) == 1 and self.home and self.home != chosen[0]:
            chosen.append(self.home)
        return tuple(sorted(chosen))

    # -- people ---------------------------------------------------------------------------------------
    def participants(self) -> list[PersonMention]:
        where = self.participation_sentences()
        keys = {p.key for p in self.people if p.sentence in where}
        out = []
        for p in self.people:
            if p.key not in keys:
                continue
            if any(
                t.startswith(NOT_PARTICIPANT_TITLES) or any(w in t for w in NOT_PARTICIPANT_TITLES)
                for t in p.titles
            ):
                keys.discard(p.key)
                continue
            if p.state is None and self._international(p):
                keys.discard(p.key)  # "NATO Genel Sekreteri Mark Rutte": no state's delegate
                continue
            out.append(p)
        # people who only report the meeting: every sentence naming them is a statement in which nobody
        # else of the meeting is named ("Aktürk, toplantının dün Ankara'da yapıldığını bildirdi")
        for key in list(keys):
            mine = {p.sentence for p in out if p.key == key and p.sentence in where}
            others = {p.sentence for p in out if p.key != key}
            if mine and all("statement" in self.sents[i].cues and i not in others for i in mine):
                keys.discard(key)
        return [p for p in out if p.key in keys]

    def assign_states(
        self, mentions: list[PersonMention], pair: tuple[str, ...], host: str | None = None
    ) -> dict[tuple[str, ...], str | None]:
        """The state each person represents: stated, else inherited along a list, else the home state,
        else the side of the pair nobody else stands for."""
        state: dict[tuple[str, ...], str | None] = {}
        for p in mentions:
            if p.state and state.get(p.key) is None:
                state[p.key] = p.state
        # lists: "X, Y ve Z ile görüştü" share the state of the first one who has it
        self._share_along_lists(mentions, state)
        # a sentence about one side: "Irak tarafında ise ...", "the Turkish delegation included ..."
        for p in mentions:
            if state.get(p.key) is None:
                side = self._side(p)
                if side in pair:
                    state[p.key] = side
        # "The visiting dignitary was accompanied by X": X came with the visitor, not from the host
        if host in pair:
            visitor = next(s for s in pair if s != host)
            for p in mentions:
                cues = self.sents[p.sentence].cues if p.sentence < len(self.sents) else set()
                if state.get(p.key) is None and {"accompanied", "visitor"} <= cues:
                    state[p.key] = visitor
        if self.a.language == "tr":  # Turkish reports leave their own officials unqualified
            for p in mentions:
                if state.get(p.key) is None and self.home in pair:
                    state[p.key] = self.home
        # contrast: named beside someone of one side in a sentence saying they met, a person is of the
        # other ("X received his Hungarian counterpart Y"); not when both accompany someone
        explicit = {p.key: p.state for p in mentions if p.state in pair}
        for p in mentions:
            cues = self.sents[p.sentence].cues if p.sentence < len(self.sents) else set()
            if cues & {"accompanied", "participated"} or not self.sents[p.sentence].kinds:
                continue
            if state.get(p.key) is None and not p.own:
                beside = {explicit[q.key] for q in mentions if q.sentence == p.sentence and q.key in explicit}
                if len(beside) == 1:
                    other = [s for s in pair if s not in beside]
                    if other:
                        state[p.key] = other[0]
        for p in mentions:
            if state.get(p.key) is None and p.own and self.home in pair:  # "Büyükelçimiz": one of ours
                state[p.key] = self.home
        missing = [k for k in {p.key for p in mentions} if state.get(k) is None]
        if missing:
            taken = {v for v in state.values() if v}
            free = [s for s in pair if s not in taken]
            if len(free) == 1:
                for k in missing:
                    state[k] = free[0]
            elif self.home in pair:
                for k in missing:
                    state[k] = self.home
            elif host is not None:
                # a visiting side names its nationality; officials left unnamed by state are the host's
                for k in missing:
                    state[k] = host
        return state

    def _side(self, p: PersonMention) -> str | None:
        """The state of the delegation or side a sentence speaks of before the person is named."""
        found = None
        for m in self.sents[p.sentence].matches if p.sentence < len(self.sents) else ():
            if m.start >= p.start:
                break
            e = m.first("state")
            if e is None or m.end >= len(self.tokens):
                continue
            nxt = next((mm for mm in self.sents[p.sentence].matches if mm.start == m.end), None)
            if nxt is not None and any(
                x.category == "cue" and x.key in ("delegation", "side") for x in nxt.entries
            ):
                found = e.key
        return found

    def _listed(self, prev: PersonMention, cur: PersonMention) -> bool:
        """Two people in one list ("A, B ve C ile görüştü"), not a subject and its object ("A, B ile...")."""
        sentence = self.a.sentences[prev.sentence] if prev.sentence < len(self.a.sentences) else None
        if sentence is not None and self.tokens[max(prev.chain_start, 0)].start <= sentence.start:
            return False  # the sentence's subject, set off by a comma
        between = self.tokens[prev.end : max(cur.chain_start, prev.end)]
        return all(t.key in IN_LIST for t in between) and len(between) <= 3

    # -- the meeting ----------------------------------------------------------------------------------
    def kind(self, sents: list[_Sent], label: str | None = None) -> str:
        """The kind the article names the meeting by, else the most specific kind it mentions."""
        if label:
            named = [
                e.key
                for m in find(tokenize(label), self.a.language)
                for e in m.entries
                if e.category == "kind"
            ]
            if named:
                return named[-1]
        who: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        for p in self.people:
            who[p.sentence].add(p.key)
        # a call or visit between the two who met: both named ("X called on Y"), not "X also called
        # on the Minister" after their meeting
        with_people = {i for i, keys in who.items() if len(keys) >= 2}
        named_formats = KIND_ORDER[:4]
        # visits and courtesy calls count where the people who met are named ("received treatment" is no call)
        found = {k for s in sents for k, _ in s.kinds if k in named_formats or s.index in with_people}
        strong = next((k for k in KIND_ORDER if k in found), None)
        if strong:
            return strong
        for s in sents:
            here = {k for k, _ in s.kinds}
            generic = next((k for k in GENERIC_KINDS if k in here), None)
            if generic:
                return generic
        return "Meeting"

    def build(self) -> list[MeetingFact]:
        reported = self.reported()
        if not reported:
            return []
        mentions = self.participants()
        several = self.several_pairs(mentions)
        if several:
            return several
        pair = self.pair(mentions)
        if len(pair) != 2:
            return []
        place = self.place(reported, pair)
        host = place.state if place and place.state in pair else self._visited(pair)
        states = self.assign_states(mentions, pair, host)
        mentions = [p for p in mentions if states.get(p.key) in pair]
        label = self.label(reported)
        kind = self.kind(reported, label)
        start, end = self.when(reported, mentions)
        participants = self.participations(mentions, states, kind, host, pair)
        topics, topic_evidence = self.topics(pair)
        meeting = MeetingFact(
            kind=kind,
            states=pair,
            status="Reported",
            label=label,
            host=host,
            start=start,
            end=end,
            place=place,
            participants=participants,
            roles=self.roles(pair, states, mentions),
            topics=topics,
            stances=self.stances(topics),
            evidence=tuple(s.index for s in reported),
            topic_evidence=topic_evidence,
            fact_evidence={k: v for k, v in self.found_in.items() if v and v[0] >= 0},
        )
        out = [meeting]
        out.extend(self.other_meetings(meeting))
        return out

    def several_pairs(self, mentions: list[PersonMention]) -> list[MeetingFact]:
        """One report of several bilateral meetings ("on the sidelines, X met his Canadian, Estonian and
        Swedish counterparts"): one side's people meet officials of three or more other states."""
        mentions = self._inherit(mentions)
        stated = [p for p in mentions if p.state]
        first: dict[str, int] = {}
        for p in sorted(stated, key=lambda p: p.start):
            first.setdefault(p.state, p.start)  # type: ignore[arg-type]
        if len(first) < 3:
            return []
        # the side that meets the others: named beside the most other states, then named first
        beside: dict[str, set[str]] = defaultdict(set)
        for p in stated:
            for q in stated:
                if p.sentence == q.sentence and p.state != q.state:
                    beside[p.state].add(q.state)  # type: ignore[index, arg-type]
        anchor = self.home if self.home in first else min(first, key=lambda s: (-len(beside[s]), first[s]))
        reported = self.reported()
        place = self.place(reported)
        label = self.label(reported)
        kind = self.kind(reported, label)
        main_start, main_end = self.when(reported, mentions)
        taken = {p.sentence for p in stated if p.state != anchor}
        named_in = {p.sentence for p in mentions}
        out = []
        for other in sorted((s for s in first if s != anchor), key=lambda s: first[s]):
            theirs = [p for p in stated if p.state == other]
            sents = {p.sentence for p in theirs}
            # the sentence after the one naming them ("Görüşmede ... ele alındı") is about their meeting too
            sents |= {i + 1 for i in sents if i + 1 not in taken and i + 1 < len(self.sents)}
            # and so are the next ones that name nobody ("During the meetings, both sides ..."), for topics
            about = set(sents)
            for i in sorted(sents):
                k = i + 1
                while k < min(i + 4, len(self.sents)) and k not in taken and k not in named_in:
                    about.add(k)
                    k += 1
            ours = [p for p in mentions if (p.state == anchor or p.state is None) and p.sentence in sents]
            if not ours:
                ours = [p for p in mentions if p.state == anchor]
            keys = {p.key for p in ours}
            ours = [p for p in mentions if p.key in keys]  # all their mentions: titles, ranks, posts
            pair = tuple(sorted((anchor, other)))
            # each meeting's own kind when its sentences name one ("... tarafından kabul edildi")
            own_kind = self.kind([self.sents[i] for i in sorted(sents)])
            meeting_kind = own_kind if own_kind != "Meeting" else kind
            states: dict[tuple[str, ...], str | None] = {p.key: p.state or anchor for p in ours}
            states.update({p.key: other for p in theirs})
            # the report's own date (the venue's day) when their sentences give none, not its dateline
            start, end = self.when([self.sents[i] for i in sorted(sents)], theirs, dateline=False)
            host = place.state if place and place.state in pair else None
            topics, topic_evidence = self.topics(pair, about)
            out.append(
                MeetingFact(
                    kind=meeting_kind,
                    states=pair,
                    status="Reported",
                    host=host,
                    start=start or main_start,
                    end=end or main_end,
                    place=place,
                    participants=self.participations([*ours, *theirs], states, meeting_kind, host, pair),
                    topics=topics,
                    stances=self.stances(topics),
                    evidence=tuple(sorted(sents)),
                    topic_evidence=topic_evidence,
                )
            )
        return out

    def _share_along_lists(
        self, mentions: list[PersonMention], state: dict[tuple[str, ...], str | None]
    ) -> None:
        """In each sentence's list of people, one without a state takes the state of the person
        listed before them (``state`` is updated in place)."""
        by_sent: dict[int, list[PersonMention]] = defaultdict(list)
        for p in mentions:
            if p.triggered:
                by_sent[p.sentence].append(p)
        for ps in by_sent.values():
            ps.sort(key=lambda p: p.start)
            for prev, cur in itertools.pairwise(ps):
                if state.get(cur.key) is None and state.get(prev.key) and self._listed(prev, cur):
                    state[cur.key] = state[prev.key]

    def _inherit(self, mentions: list[PersonMention]) -> list[PersonMention]:
        """A list shares its first member's state: "Uruguay's Foreign Minister A and the Defence
        Minister B"."""
        from dataclasses import replace

        state: dict[tuple[str, ...], str | None] = {p.key: p.state for p in mentions if p.state}
        self._share_along_lists(mentions, state)
        return [p if p.state or not state.get(p.key) else replace(p, state=state[p.key]) for p in mentions]

    def participations(
        self,
        mentions: list[PersonMention],
        states: dict[tuple[str, ...], str | None],
        kind: str,
        host: str | None,
        pair: tuple[str, ...],
    ) -> tuple[Participation, ...]:
        by_key: dict[tuple[str, ...], list[PersonMention]] = defaultdict(list)
        for p in mentions:
            by_key[p.key].append(p)
        order = sorted(by_key, key=lambda k: min(p.start for p in by_key[k]))
        heads = {k for k in order if any(p.head_cue for p in by_key[k])}
        accompanying = {k for k in order if any(p.accompanying for p in by_key[k])} - heads
        sides_with_head = {states[k] for k in heads}
        if kind in SYMMETRIC or kind in VISITS:
            visitor = None
            if kind in VISITS:
                # the side that is not at home, else the side of the first person named
                visitor = (
                    next((s for s in pair if s != host), None)
                    if host
                    else self._received(states, pair) or (states[order[0]] if order else None)
                )
            elif host and any(states[k] != host for k in heads):
                # talks at one side's home with the other side's delegation "led by" someone named:
                # a visiting delegation (ministers simply meeting both lead their sides)
                visitor = next((s for s in pair if s != host), None)
            capable = {
                side: sum(self._head_capable(by_key[k]) for k in order if states[k] == side) for side in pair
            }
            # the visitor first, then the side with the fewest who could lead (its lead is plain, and
            # the other side's lead is then its counterpart)
            sides = sorted(pair, key=lambda side: (side != visitor, capable[side]))
            # a courtesy call is received, not led: the host leads a side only when the two
            # delegations then hold talks (each delegation has a head, whatever the posts), or the
            # host is the visitor's counterpart or holds the same post
            talks = any("delegation-talks" in s.cues for s in self.reported())
            received = kind == "CourtesyCall" and not talks
            for side in sides:
                if side in sides_with_head:
                    continue
                cands = [k for k in order if states[k] == side and k not in accompanying]
                # the counterpart of the other side's head first ("the Foreign Minister A and the
                # Defence Minister B" meeting a defence minister), else the first who leads delegations
                facing = {t for k in heads if states[k] != side for p in by_key[k] for t in p.titles}
                posts = {k: {t for p in by_key[k] for t in p.titles} for k in cands}
                for k in cands:
                    if all("participated" in self.sents[p.sentence].cues for p in by_key[k]):
                        posts[k] = set()  # "Görüşmeye Genelkurmay Başkanı X de katıldı": present, not leading
                lead = next(
                    (k for k in cands if facing and posts[k] and self._counterparts(facing, posts[k])), None
                ) or next((k for k in cands if self._head_capable(by_key[k])), None)
                if lead is None and len(cands) == 1:
                    lead = cands[0]
                if lead is not None and visitor is not None and side != visitor:
                    # the host's side is led by a counterpart of the visitor's head, or not at all
                    visiting = {t for k in heads if states[k] == visitor for p in by_key[k] for t in p.titles}
                    hosting = {t for p in by_key[lead] for t in p.titles}
                    same_post = "counterpart" in visiting | hosting or bool(visiting & hosting)
                    level = talks or self._counterparts(visiting, hosting)
                    if not level or (received and not same_post):
                        lead = None
                if lead is not None:
                    heads.add(lead)
                    sides_with_head.add(side)
        out = []
        for k in order:
            ps = by_key[k]
            best = max(ps, key=lambda p: (p.triggered, bool(p.rank), bool(p.title_text), bool(p.org)))
            rank = next((p.rank for p in ps if p.rank), None)
            org_key = next((p.org for p in ps if p.org), None)
            if org_key is None:
                for p in ps:
                    for t in p.titles:
                        title = self.g.titles.get(t)
                        if title and title.org:
                            org_key = title.org
                            break
            person = Person(
                name=best.name,
                state=states[k],
                rank=self._rank(rank),
                title=max((p.title_text for p in ps if p.title_text), key=len, default=None),
                organization=self._org(org_key, states[k]),
                evidence=tuple(sorted({p.sentence for p in ps})),
            )
            out.append(
                Participation(person, head=k in heads, evidence=tuple(sorted({p.sentence for p in ps})))
            )
        return tuple(out)

    def _visited(self, pair: tuple[str, ...]) -> str | None:
        """The state a visit went to, where no place says it: "who was visiting Japan", "arrived in
        Türkiye", "Azerbaycan'ı ziyaret eden"."""
        found = set()

        def visit(m: Match) -> bool:
            return any(e.category == "kind" and e.key == "OfficialVisit" for e in m.entries)

        for s in self.reported():
            for a, b in itertools.pairwise(s.matches):
                if a.end != b.start:
                    continue
                st = b.first("state")
                if visit(a) and st is not None and st.key in pair:
                    found.add(st.key)  # "visiting Japan"
                st = a.first("state")
                suffix = self.tokens[a.end - 1].suffix
                if visit(b) and st is not None and st.key in pair and suffix[-1:] in DIRECTED:
                    found.add(st.key)  # "Azerbaycan'ı ziyaret eden", "Japonya'ya gelen"
        return found.pop() if len(found) == 1 else None

    def _received(self, states: dict[tuple[str, ...], str | None], pair: tuple[str, ...]) -> str | None:
        """The visitor's side where a sentence says someone received them ("A, B'yi kabul etti", "A
        received B"): the side of the person named there who is not its subject."""
        for s in self.reported():
            if "receives" not in s.cues:
                continue
            named = sorted((p for p in self.people if p.sentence == s.index), key=lambda p: p.start)
            if not named:
                continue
            subject = states.get(named[0].key)
            other = next((states.get(p.key) for p in named if states.get(p.key) not in (None, subject)), None)
            if subject in pair and other in pair:
                return other
        return None

    def _international(self, p: PersonMention) -> bool:
        orgs = [p.org] + [self.g.titles[t].org for t in p.titles if t in self.g.titles]
        return any(
            o in self.g.orgs
            and self.g.orgs[o].kind == "InternationalOrganization"
            and not self.g.orgs[o].state
            for o in orgs
            if o
        )

    def _counterparts(self, a: set[str], b: set[str]) -> bool:
        """Posts of the same level on two sides: the same title, or titles of the same kind of body
        ("Secretary of State for Defence" and "Milli Savunma Bakanı" both head a defence ministry)."""
        if "counterpart" in a | b:
            return True  # "received his Hungarian counterpart"

        def body(t: str) -> str | None:
            title = self.g.titles.get(t)
            if title is None or not title.head or not title.org:
                return None
            org = self.g.orgs.get(title.org)
            generic = t.split("-", 1)[1] if "-" in t and t.split("-", 1)[1] in self.g.titles else None
            if org is not None and org.state and generic:  # "tur-defence-minister" -> "defence-minister"
                return self.g.titles[generic].org
            return title.org

        groups = counterpart_groups()  # "Chief of the General Staff" and "Chief of Defence Force"
        if {groups.get(t) for t in a} & {groups.get(t) for t in b} - {None}:
            return True
        return bool({body(t) for t in a} & {body(t) for t in b} - {None})

    def _head_capable(self, ps: list[PersonMention]) -> bool:
        """A post that leads delegations (a minister, a chief of staff...), or the counterpart of one."""
        return any(
            t == "counterpart" or (t in self.g.titles and self.g.titles[t].head) for p in ps for t in p.titles
        )

    def _rank(self, key: str | None) -> RankRef | None:
        if key is None or key not in self.g.ranks:
            return None
        r = self.g.ranks[key]
        return r

    def _org(self, key: str | None, state: str | None) -> OrgRef | None:
        from dataclasses import replace

        if key is None or key not in self.g.orgs:
            return None
        ref = self.g.orgs[key]
        if key in self.g.generic_orgs:
            if not state:
                return None
            return replace(ref, key=f"{state.lower()}-{key}", state=state)
        return ref

    # -- when and where -------------------------------------------------------------------------------
    def when(
        self, sents: list[_Sent], people: list[PersonMention] | None = None, dateline: bool = True
    ) -> tuple[date | None, date | None]:
        """The date of the first sentence about the meeting (or naming who took part) that has one;
        a dateline ("Belgrade, 15 May 2026 –") only when no sentence dates the meeting."""
        idx = {s.index for s in sents} | {p.sentence for p in people or ()}
        idx -= {s.index for s in self.sents if s.status in ("Recalled", "Planned")}
        cands = [d for d in self.dates if self._sent_at(d.char_start) in idx and d.start]
        if not cands and people is not None and dateline:
            # a press release dated by its dateline alone: "Rawalpindi, March 12, 2025"
            cands = [d for d in self.dates if d.start and d.has_year and self._dateline(d)][:1]
        if not cands:
            return None, None
        rank = {"absolute": 0, "numeric": 1, "relative": 2, "weekday": 3}
        body = [d for d in cands if not self._dateline(d)] or cands
        best = min(body, key=lambda d: (self._sent_at(d.char_start), rank[d.kind], self._to_kind(d)))
        self.found_in["start"] = self.found_in["end"] = (self._sent_at(best.char_start),)
        return best.start, best.end

    def _to_kind(self, d: DateMention) -> int:
        """Characters between a date and the nearest meeting word of its sentence: of two dates in one
        sentence, the meeting's is the one beside it ("the 22 October memorandum ... the talks of 28-30
        October")."""
        i = self._sent_at(d.char_start)
        if i < 0 or i >= len(self.sents):
            return 0
        spans = [(self.tokens[a].start, self.tokens[b - 1].end) for a, b in self.sents[i].kind_at]
        return min((max(a - d.char_end, d.char_start - b, 0) for a, b in spans), default=0)

    def _dateline(self, d: DateMention) -> bool:
        text = self.a.text
        line_start = text.rfind("\n", 0, d.char_start) + 1
        before = text[line_start : d.char_start]
        after = text[d.char_end : d.char_end + 12]
        return bool(_DATELINE_BEFORE.match(before)) and (
            not after.strip()
            or after.lstrip()[:1] in ("–", "-", "—", "(", "|")
            or after.startswith("\n")
            or bool(_CLOCK.match(after))  # "26-06-2019 17:52"
        )

    def _sent_at(self, char: int) -> int:
        i = bisect.bisect_right(self._starts, char) - 1
        return i if i >= 0 and char < self.a.sentences[i].end else -1

    def place(
        self, sents: list[_Sent], pair: tuple[str, ...] | None = None, other: bool = False
    ) -> PlaceRef | None:
        """Where the meeting was held; ``other``: of a recalled or planned one, told in the sentence (its
        place may stand right before its future cue, and the report's dateline is not it)."""
        toks = self.tokens
        cands: list[tuple[int, int, str]] = []
        for s in sents:
            for m in s.matches:
                e = m.first("place")
                if e is None:
                    continue
                suffix = toks[m.end - 1].suffix
                # "Londra'da", "in London"; not "Mogadişu'daki TURKSOM" (an attribute, not where they met)
                located = self._at_venue(m)
                if suffix.endswith(RELATIVE) or (self.a.language == "en" and suffix in EN_GENITIVE):
                    continue  # "Seoul's defense ministry": a metonym, not where they met
                # "the upcoming conference in Brussels", "to meet in Seoul next month": another meeting's
                # (in Turkish only a participle right after the place: "Soçi'de varılan ... yapılacak")
                later = any(
                    0 <= c_start - m.end <= 4 or (not s.verb_final and -8 <= m.start - c_end <= 8)
                    for c_start, c_end in s.time_cues
                )
                if later and not other:
                    continue
                # a dateline opening the line ("MOSCOW (Agency) - ..."): no better than one alone
                line_start = self.a.text.rfind("\n", 0, m.char_start) + 1
                rest = self.a.text[m.char_end : m.char_end + 3].lstrip(" ")
                opening = not self.a.text[line_start : m.char_start].strip() and rest[:1] in (
                    "(",
                    "-",
                    "–",
                    "—",
                    ":",
                )
                cands.append((2 if opening else 0 if located else 1, m.start, e.key))
        if not cands and not other:
            # a dateline: "RAWALPINDI –", "ANKARA (AA) -", "Rawalpindi - October 14, 2025:", "Baku" alone
            text = self.a.text
            for m in self.matches:
                if m.char_start > 800:
                    break
                e = m.first("place")
                if e is None:
                    continue
                line_start = text.rfind("\n", 0, m.char_start) + 1
                rest = text[m.char_end : m.char_end + 3].lstrip(" ")
                if not text[line_start : m.char_start].strip() and (not rest or rest[0] in "-–—,(:\n"):
                    cands.append((2, m.start, e.key))
                    break
        if not cands:
            return None
        tier, start, key = min(cands)
        found = self.g.places[key]
        sidelines = any("sidelines" in s.cues for s in sents)
        if tier == 2 and pair is not None and found.state and found.state not in pair and not sidelines:
            # an agency's dateline ("MOSCOW (Sputnik) -") far from the two states; not where they met on
            # the sidelines of a gathering in a third state ("Bishkek: ... on the sidelines of ...")
            return None
        self.found_in["place"] = self.found_in["host"] = (self.sent_of[start],)
        return found

    def _programme(self, key: str) -> bool:
        """A ship, an aircraft, a weapons programme (a topic that can also be where people meet)."""
        topic = self.g.topics.get(key)
        return topic is not None and topic.kind == "Programme"

    def _at_venue(self, m: Match) -> bool:
        """The match names where something is held: "Londra'da", "Adası'nda", "in London", "aboard X"
        (not "Mogadişu'daki TURKSOM", an attribute)."""
        toks = self.tokens
        suffix = toks[m.end - 1].suffix
        if suffix.startswith(LOCATIVE) and not suffix.endswith(RELATIVE):
            return True
        prev = toks[m.start - 1].key if m.start else ""
        before = f"{toks[m.start - 2].key} {prev}" if m.start > 1 else ""
        return prev in VENUE or before in VENUE

    def label(self, sents: list[_Sent]) -> str | None:
        for s in sents:
            sentence = self.a.sentences[s.index].text if s.index < len(self.a.sentences) else ""
            for q in _QUOTED.finditer(sentence):
                inner = q.group(1).strip()
                if inner[:1].isupper() and any(m.has("kind") for m in find(tokenize(inner), self.a.language)):
                    return inner
        return None

    # -- topics and stances ---------------------------------------------------------------------------
    def topics(
        self, pair: tuple[str, ...], only: set[int] | None = None
    ) -> tuple[tuple[TopicRef, ...], dict[str, tuple[int, ...]]]:
        found: dict[str, TopicRef] = {}
        evidence: dict[str, set[int]] = defaultdict(set)
        # background: what an earlier or a coming meeting discussed, what was done before ("geçen yıl ...
        # operasyon düzenlemişti") is not what this meeting discussed
        past = self.background()
        for m in self.matches:
            if m.start in self.chain_tokens or (only is not None and self.sent_of[m.start] not in only):
                continue
            if self.sent_of[m.start] in past:
                continue
            ref: TopicRef | None = None
            if self._at_venue(m) and (
                m.has("place") or any(e.category == "topic" and self._programme(e.key) for e in m.entries)
            ):
                continue  # where they met, not what they discussed: "in Guam", "aboard HMS X"
            for e in m.entries:
                if e.category == "topic" and e.key in self.g.topics:
                    ref = self.g.topics[e.key]
                elif e.category == "org" and e.key in self.g.orgs:
                    o = self.g.orgs[e.key]
                    if o.kind in ("InternationalOrganization", "ArmedNonStateGroup") and o.state is None:
                        ref = TopicRef(o.key, o.label, o.kind, o.qid, label_en=o.label_en)
                elif (
                    e.category == "state"
                    and e.kind != "capital"
                    and e.key not in pair
                    and e.key in self.g.states
                ):
                    st = self.g.states[e.key]
                    ref = TopicRef(st.iso3.lower(), st.label_en, "State", st.qid, iso3=st.iso3)
                if ref is not None:
                    break
            if ref is None:
                continue
            found.setdefault(ref.key, ref)
            evidence[ref.key].add(self.sent_of[m.start])
        return tuple(found.values()), {k: tuple(sorted(v)) for k, v in evidence.items()}

    def background(self) -> set[int]:
        """Sentences about other times: an earlier or a coming meeting, what was done before; and the
        rest of a paragraph that opens so ("In 2018, India took part in the exercises. The exercise was
        held at ..."), but for sentences naming people or dates of their own."""
        if self._background is not None:
            return self._background
        # (a sentence that opens with a recalled meeting may go on with this one: "Building on their
        # meeting in Tokyo last October, the two leaders discussed ...")
        past = {
            s.index
            for s in self.sents
            if s.earlier
            or (
                "discussed" not in s.cues
                and (s.status in ("Recalled", "Planned") or ("recalled" in s.cues and s.status is None))
            )
        }
        paragraph: dict[int, list[int]] = defaultdict(list)
        breaks = [m.start() for m in _PARAGRAPH.finditer(self.a.text)]
        for s in self.a.sentences:
            paragraph[bisect.bisect_right(breaks, s.start)].append(s.index)
        # what goes on in that paragraph is background too, unless it names someone or dates itself
        own = {p.sentence for p in self.people} | {self._sent_at(d.char_start) for d in self.dates}
        for members in paragraph.values():
            if members[0] in past:
                past.update(i for i in members if i not in own)
        self._background = past
        return past

    def stances(self, topics: tuple[TopicRef, ...]) -> tuple[Stance, ...]:
        by_key = {t.key: t for t in topics}
        out = []
        for s in self.sents:
            kinds = [STANCE_CUES[c] for c in sorted(s.cues) if c in STANCE_CUES]
            if not kinds or s.index >= len(self.a.sentences):
                continue
            topic = None
            for m in s.matches:
                for e in m.entries:
                    key = e.key.lower() if e.category == "state" else e.key
                    if key in by_key:
                        topic = by_key[key]
                        break
                if topic:
                    break
            text = self.a.sentences[s.index].text
            out.append(Stance(kinds[0], text[:300], topic, (s.index,)))
        return tuple(out)

    # -- unnamed roles --------------------------------------------------------------------------------
    def roles(
        self, pair: tuple[str, ...], states: dict, mentions: list[PersonMention]
    ) -> tuple[RoleParticipation, ...]:
        where = self.participation_sentences()
        named = {t for p in self.people for t in range(max(p.chain_start, 0), p.end)}
        out = []
        seen = set()
        for m in self.matches:
            e = m.first("role")
            if e is None or m.start in named or self.sent_of[m.start] not in where:
                continue
            prev = next((mm for mm in self.matches if mm.end == m.start and mm.has("state")), None)
            accredited = prev.first("state").key if prev else None  # type: ignore[union-attr]
            sending = self.home if self.home in pair else None
            if prev is not None and self.tokens[prev.end - 1].suffix in (
                "nin",
                "nın",
                "in",
                "ın",
                "un",
                "ün",
            ):
                sending, accredited = accredited, None
            if accredited == sending:
                accredited = None
            label = self.a.text[m.char_start : m.char_end]
            if (e.key, sending) in seen:
                continue
            seen.add((e.key, sending))
            out.append(
                RoleParticipation(
                    e.key,
                    label,
                    sending,
                    accredited if accredited in pair else None,
                    (self.sent_of[m.start],),
                )
            )
        return tuple(out)

    # -- other meetings: recalled and planned ---------------------------------------------------------
    def other_meetings(self, main: MeetingFact) -> list[MeetingFact]:
        out = []
        for s in self.sents:
            if s.status not in ("Recalled", "Planned"):
                continue
            if any(p.sentence == s.index and p.state and p.state not in main.states for p in self.people):
                continue  # a meeting with a third state's official ("geçen ay da Katar ... ile görüşmüştü")
            start, end = self.when([s])
            place = self.place([s], other=True)
            if start is None and place is None:
                continue
            if start is not None and start == main.start:
                continue  # the same meeting, mentioned again
            out.append(
                MeetingFact(
                    kind=self.kind([s]),
                    states=main.states,
                    status=s.status,
                    start=start,
                    end=end,
                    place=place,
                    evidence=(s.index,),
                )
            )
        return out
