"""Frozen dataclasses passed between the extraction stages.

read/normalise -> ``Article`` (+ ``Sentence``s)
find mentions  -> ``Mention``s
link           -> references to gazetteer entities (``StateRef``, ``OrgRef``, ``RankRef``...)
relations      -> ``MeetingFact``s with ``Participation``s, topics and stances
triples        -> rdflib (``defkg.pipeline.triples``: the only stage importing rdflib)

Every fact carries ``evidence``: indexes of the sentences it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Evidence = tuple[int, ...]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # character offsets into Article.text
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One report as read: text plus whatever metadata came with it."""

    id: str  # stable id: sha256 of the normalised text (first 16 hex digits)
    text: str
    language: str  # "tr" or "en"
    url: str | None = None
    published: date | None = None
    title: str | None = None
    publisher: str | None = None
    source: str | None = None  # the file (and line, for JSON Lines) it came from
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A span of text recognised by a gazetteer or pattern."""

    kind: str  # state | org | person | rank | title | place | topic | date | verb | role
    start: int
    end: int
    text: str
    key: str | None = None  # gazetteer key it matched (iso3 for states, org key, rank key...)
    sentence: int = 0


@dataclass(frozen=True)
class StateRef:
    iso3: str
    qid: str
    label_en: str
    label_tr: str


@dataclass(frozen=True)
class OrgRef:
    key: str  # stable gazetteer key, e.g. "gbr-mod" or "nato"
    label: str  # label as the article names it (its language)
    # Ministry | ArmedForce | Agency | InternationalOrganization | Company | ArmedNonStateGroup |
    # GovernmentBody
    kind: str
    state: str | None = None  # iso3 of the state it belongs to (None: international)
    qid: str | None = None
    acronym: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class RankRef:
    key: str  # gazetteer key, e.g. "tumgeneral", "air-vice-marshal"
    label: str  # label in the article's language, as written ("Tümgeneral", "Air Vice-Marshal")
    nato: str | None = None  # NATO grade, e.g. "OF-7"
    service: str | None = None  # army | navy | air | any
    label_en: str | None = None
    label_tr: str | None = None


@dataclass(frozen=True)
class PlaceRef:
    key: str  # e.g. "london"
    label: str  # as the article names it
    qid: str | None = None
    state: str | None = None  # iso3
    label_en: str | None = None


@dataclass(frozen=True)
class TopicRef:
    key: str  # e.g. "nato", "ukraine", "euro-atlantic-security"
    label: str  # as the article names it (its language)
    kind: str  # State | Organization | Region | Theme
    qid: str | None = None
    iso3: str | None = None  # set when the topic is a state
    label_en: str | None = None


@dataclass(frozen=True)
class Person:
    name: str  # display name, e.g. "İlkay Altındağ"
    state: str | None  # iso3 of the state they represent
    rank: RankRef | None = None
    title: str | None = None  # post title in the article's language
    organization: OrgRef | None = None
    evidence: Evidence = ()


@dataclass(frozen=True)
class Participation:
    person: Person
    head: bool = False  # heads their state's delegation
    evidence: Evidence = ()


@dataclass(frozen=True)
class RoleParticipation:
    """A post taking part whose holder is not named ("the ambassador", "the military attaché")."""

    role: str  # role key, e.g. "ambassador", "military-attache"
    label: str  # as written
    state: str | None  # the state the post-holder represents
    accredited_to: str | None = None  # for ambassadors/attachés: the host state
    evidence: Evidence = ()


@dataclass(frozen=True)
class Stance:
    kind: str  # Support | Opposition | Concern | Condemnation | Agreement | Commitment
    text: str  # the statement as written, short
    topic: TopicRef | None = None
    evidence: Evidence = ()


@dataclass(frozen=True)
class MeetingFact:
    kind: str  # Meeting subclass name: Consultations | OfficialVisit | CourtesyCall | Talks | ...
    states: tuple[str, ...]  # iso3 codes, sorted
    status: str = "Reported"  # Reported | Recalled | Planned
    label: str | None = None  # a name the article gives it ("Kapsamlı Savunma ve Güvenlik İstişareleri")
    host: str | None = None  # iso3
    start: date | None = None
    end: date | None = None
    place: PlaceRef | None = None
    participants: tuple[Participation, ...] = ()
    roles: tuple[RoleParticipation, ...] = ()
    topics: tuple[TopicRef, ...] = ()
    stances: tuple[Stance, ...] = ()
    evidence: Evidence = ()
    topic_evidence: dict[str, Evidence] = field(default_factory=dict, compare=False, hash=False)
    # where single facts were read: "start", "end", "place", "host" -> sentence indexes
    fact_evidence: dict[str, Evidence] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class AgreementFact:
    """An agreement the article reports signed (or initialled) between states."""

    kind: str  # DefenceCooperationAgreement | MemorandumOfUnderstanding | ImplementingArrangement |
    # StatusOfForcesAgreement | ProcurementContract | OtherAgreement
    states: tuple[str, ...]  # iso3 codes of the parties, sorted
    title: str  # as written
    subject: str | None = None  # what it covers, as written ("on defence industry cooperation")
    signed: date | None = None
    place: PlaceRef | None = None
    signatories: tuple[Person, ...] = ()
    meeting: int | None = None  # index into Extraction.meetings of the meeting it was signed at
    status: str = "Reported"  # Reported | Recalled (signed earlier and only recalled)
    evidence: Evidence = ()
    # where single facts were read: "signed", "place", "states" -> sentence indexes
    fact_evidence: dict[str, Evidence] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ExerciseFact:
    """A military exercise held (or announced, with its dates or name) by two or more states."""

    states: tuple[str, ...]  # iso3 codes of the participating states, sorted
    name: str | None = None  # as written ("Zapad-2025", "Exercise Sampriti")
    observers: tuple[str, ...] = ()
    host: str | None = None
    start: date | None = None
    end: date | None = None
    place: PlaceRef | None = None
    domain: str | None = None  # Land | Maritime | Air | Joint
    status: str = "Reported"  # Reported (held or under way) | Planned
    evidence: Evidence = ()
    fact_evidence: dict[str, Evidence] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Extraction:
    article: Article
    meetings: tuple[MeetingFact, ...] = ()
    mentions: tuple[Mention, ...] = ()
    states: dict[str, StateRef] = field(default_factory=dict, compare=False, hash=False)
    agreements: tuple[AgreementFact, ...] = ()
    exercises: tuple[ExerciseFact, ...] = ()
