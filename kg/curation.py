"""Reading ``seeds/`` into typed records, each with the file and line it came from.

The seeds are YAML a person edits by hand: ``seeds/entities/*.yaml`` is the
registry of entities; ``seeds/sources/<source id>.yaml`` holds one source's
metadata, facts, events and claims. Scalars are read as plain text (no YAML
type guessing) and every problem is collected, so a curator sees them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import ontology
from kg.dates import Date, parse_date
from kg.errors import BadDate, Problem, UnreadableFile
from kg.names import suggest
from kg.seedfiles import SeedFile, read_bounded, seed_files, shown_path
from kg.seedyaml import Map, Refused, Seq, read_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCE_PATTERN = re.compile(r"^[0-9]{3}_[0-9a-f]{16}$")
_PARA = re.compile(r"[0-9]{1,9}")
"""A paragraph number as written (ASCII digits, so that int() takes it; nine at most)."""


# --- records ---


@dataclass(frozen=True)
class Ref:
    """A reference to an entity, event or claim id, with the line it is written on."""

    name: str
    line: int


@dataclass
class Located:
    """Where a record was written."""

    file: str
    line: int


@dataclass
class Entity:
    """A registry entry: an actor or a place."""

    id: str
    type: str
    label: str
    aliases: list[Ref]
    description: str | None
    parent: Ref | None
    parent_source: str | None
    parent_paras: tuple[int, ...]
    at: Located
    unmatched: list[Ref] = field(default_factory=list)
    inferred: str | None = None  # why ``parent_ref`` cites paragraphs that do not name both ends
    """Names of the entity (label or aliases) never used to find it in a text (``kg mentions``):
    ordinary words, such as "some experts", that would match everywhere."""


@dataclass
class Fact:
    """A relationship a source reports as fact: ``subject relation object``."""

    subject: Ref
    relation: Ref
    object: Ref
    source: str
    paras: tuple[int, ...]
    at: Located
    confidence: str | None = None
    note: str | None = None
    role: str | None = None
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    year_inferred: str | None = None
    date_inferred: str | None = None
    status: str | None = None
    basis: str | None = None  # "curator": no paragraph says it; ``reason`` says how the curator knows
    reason: str | None = None
    inferred: str | None = None


@dataclass
class Count:
    """A number one body reported about an event or entity."""

    measure: Ref | None  # None only where reading reported a problem (a value that is not text)
    side: Ref | None
    value: int | None
    min: int | None
    max: int | None
    approximate: bool
    party: Ref | None
    item: str | None
    reported_by: Ref | None
    via: Ref | None
    paras: tuple[int, ...]
    at: Located
    note: str | None = None
    of: Ref | None = None
    subset: bool = False
    subset_of: int | None = None  # the 1-based position of the total among the record's counts
    taken_by: Ref | None = None
    taken_from: Ref | None = None
    status: str | None = None


@dataclass
class Event:
    """Something that happened, with its participants by role and its reported counts."""

    id: str
    type: Ref | None  # None only where reading reported a problem (a value that is not text)
    label: str
    description: str | None
    roles: dict[str, list[Ref]]
    counts: list[Count]
    source: str
    paras: tuple[int, ...]
    at: Located
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    time: str | None = None
    year_inferred: str | None = None
    date_inferred: str | None = None
    note: str | None = None
    confidence: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)  # role key -> suspected | alleged | confirmed
    inferred: str | None = None


@dataclass
class Claim:
    """Something an actor said: who, when, reported by whom, what it asserts, what it disputes."""

    id: str
    type: Ref | None  # None only where reading reported a problem (a value that is not text)
    by: list[Ref]
    summary: str
    says: list[tuple[Ref, Ref, Ref]]
    about: list[Ref]
    disputes: list[Ref]
    supports: list[Ref]
    reported_by: Ref | None
    via: Ref | None
    stated_in: Ref | None
    counts: list[Count]
    source: str
    paras: tuple[int, ...]
    at: Located
    date: Date | None = None
    year_inferred: str | None = None
    date_inferred: str | None = None
    note: str | None = None
    confidence: str | None = None
    inferred: str | None = None


@dataclass
class Source:
    """One source file's metadata and records."""

    id: str
    at: Located
    title: str | None = None
    outlet: Ref | None = None
    authors: list[Ref] = field(default_factory=list)
    cites: list[Ref] = field(default_factory=list)
    date: Date | None = None
    year_inferred: str | None = None
    note: str | None = None
    fingerprints: tuple[str, ...] = ()
    """A short hash of each paragraph of the text it was curated from (:func:`fingerprint`)."""
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    """Counts about an entity rather than an event (e.g. a base's troop strength); ``of`` is set."""


@dataclass(frozen=True)
class PassageNote:
    """A paragraph listed in ``seeds/passages.yaml``: left uncited, or named only by pronouns."""

    source: str
    para: int
    kind: str
    reason: str
    at: Located


@dataclass
class Corpus:
    """Everything read from a seeds folder, and every problem met while reading it."""

    entities: list[Entity] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    passage_notes: list[PassageNote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- reading records ---


class _Reader:
    """Reads the records of one file, appending problems instead of raising."""

    def __init__(self, seed: SeedFile, problems: list[Problem]) -> None:
        self.file = seed.file
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value: Any, line: int, what: str) -> Map | None:
        if isinstance(value, Refused):
            return None
        if not isinstance(value, Map):
            self.problem(getattr(value, "line", line), f"{what} must be a mapping of keys to values")
            return None
        return value

    def keys(self, record: Map, allowed: set[str], required: set[str], what: str) -> bool:
        """Report unknown and missing keys; False if a required key is missing, or the id was refused."""
        if isinstance(record.get("id"), Refused):
            return False  # reported, and a record without its id cannot be checked further
        for key in record:
            if key not in allowed:
                self.problem(record.key_lines[key], f"unknown key '{key}' in {what}{suggest(key, allowed)}")
        ok = True
        for key in sorted(required - set(record)):
            self.problem(record.line, f"{what} is missing '{key}'")
            ok = False
        return ok

    def line(self, record: Map, key: str) -> int:
        return record.key_lines.get(key, record.line)

    def text(self, record: Map, key: str) -> str | None:
        value = record.get(key)
        if value is None or isinstance(value, Refused):
            return None
        if not isinstance(value, str):
            self.problem(self.line(record, key), f"'{key}' must be text")
            return None
        return str(value).strip()

    def ref(self, record: Map, key: str) -> Ref | None:
        value = self.text(record, key)
        return None if value is None else Ref(value, self.line(record, key))

    def name(self, record: Map, key: str, what: str) -> str:
        """A label or summary: text with a letter or digit in it (and for a label, no '|')."""
        value = self.text(record, key)
        if isinstance(record.get(key), Refused):
            return ""
        if value is None or not any(c.isalnum() for c in value):
            self.problem(self.line(record, key), f"empty {key}: {what} needs one with a letter or digit")
            return value or ""
        if key == "label" and "|" in value:
            self.problem(self.line(record, key), f"'|' in label '{value}': '|' separates names in the exports")
        return value

    def refs(self, record: Map, key: str) -> list[Ref]:
        value = record.get(key)
        if value is None or isinstance(value, Refused):
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, Refused):
                continue
            if not isinstance(item, str):
                self.problem(self.line(record, key), f"'{key}' must be an id or a list of ids")
                continue
            out.append(Ref(str(item).strip(), getattr(item, "line", self.line(record, key))))
        return out

    def date(self, record: Map, key: str, made: str | None = None) -> Date | None:
        """A date; ``made`` says what it dates when that cannot be after today (a publication, a statement)."""
        value = self.text(record, key)
        if value is None:
            return None
        try:
            date = parse_date(value)
        except BadDate as err:
            self.problem(self.line(record, key), str(err))
            return None
        first = date.first_day()
        if made and first is not None and first > dt.date.today():
            self.problem(self.line(record, key), f"date '{value}' is in the future: {made}")
            return None
        return date

    def paras(self, record: Map, key: str = "para", required: bool = True) -> tuple[int, ...]:
        value = record.get(key)
        if value is None:
            if required:
                self.problem(record.line, f"missing '{key}': every record cites its paragraph")
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, Refused):
                continue
            line = getattr(item, "line", self.line(record, key))
            if not isinstance(item, str) or not _PARA.fullmatch(item.strip()) or int(item) < 1:
                self.problem(line, f"bad paragraph '{item}': a paragraph is a whole number from 1")
                continue
            out.append(int(item))
        return tuple(sorted(set(out)))

    def confidence(self, record: Map) -> str | None:
        value = self.text(record, "confidence")
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 1 or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
            self.problem(self.line(record, "confidence"), f"bad confidence '{value}': write a decimal from 0 to 1")
            return None
        return value

    def status(self, record: Map) -> str | None:
        """``status``: suspected, alleged or confirmed."""
        return self.status_value(record.get("status"), self.line(record, "status"))

    def status_value(self, value: Any, line: int) -> str | None:
        if value is None or isinstance(value, Refused):
            return None
        if not isinstance(value, str) or value.strip() not in STATUSES:
            self.problem(line, f"unknown status '{value}'{suggest(str(value), STATUSES)}")
            return None
        return value.strip()

    def statuses(self, record: Map) -> dict[str, str]:
        """An event's ``status``: its role keys mapped to statuses (``status: {perpetrator: suspected}``)."""
        value = record.get("status")
        if value is None or isinstance(value, Refused):
            return {}
        if not isinstance(value, Map):
            self.problem(
                self.line(record, "status"),
                "an event's 'status' maps its roles to statuses, e.g. 'status: {perpetrator: suspected}'",
            )
            return {}
        out = {}
        for role, status in value.items():
            line = value.key_lines[role]
            if role not in ROLE_KEYS:
                self.problem(line, f"unknown role '{role}' in 'status'{suggest(role, ROLE_KEYS)}")
            elif role not in record:
                self.problem(line, f"'status' qualifies the role '{role}', which the event does not name")
            elif (known := self.status_value(status, line)) is not None:
                out[role] = known
        return out

    def flag(self, record: Map, key: str) -> bool:
        """A yes/no key: ``true`` or ``false``."""
        value = self.text(record, key)
        if value is None:
            return False
        if value not in ("true", "false"):
            self.problem(self.line(record, key), f"'{key}' must be true or false, got '{value}'")
        return value == "true"

    def year_inferred(self, record: Map, *dates: Date | None) -> str | None:
        reason = self.text(record, "year_inferred")
        if reason is not None and not any(d and d.precision != "month-day" for d in dates):
            self.problem(self.line(record, "year_inferred"), "'year_inferred' needs a date with a year")
        return reason

    def date_inferred(self, record: Map, *dates: Date | None) -> str | None:
        """The curator's reason for a date the text gives only relative to another ("on Wednesday")."""
        reason = self.text(record, "date_inferred")
        if reason is not None and not any(dates):
            self.problem(self.line(record, "date_inferred"), "'date_inferred' needs the date worked out ('date')")
        return reason


# --- the registry ---

ENTITY_KEYS = {"id", "type", "label", "aliases", "unmatched", "description", "parent", "parent_ref", "inferred"}


def _parse_pointer(reader: _Reader, record: Map, key: str) -> tuple[str | None, tuple[int, ...]]:
    """Read ``SOURCE_ID:PARA[,PARA]`` (used where a record is not inside a source file)."""
    value = reader.text(record, key)
    if value is None:
        return None, ()
    match = re.fullmatch(r"(\S+):([0-9]{1,9}(?:\s*,\s*[0-9]{1,9})*)", value)
    if not match or not SOURCE_PATTERN.match(match.group(1)):
        reader.problem(
            reader.line(record, key), f"bad pointer '{value}': write SOURCE_ID:PARAGRAPH, e.g. 000_c8205b38d0f11d5b:8"
        )
        return None, ()
    paras = tuple(sorted({int(p) for p in match.group(2).split(",")}))
    if 0 in paras:
        reader.problem(reader.line(record, key), f"bad paragraph in '{value}': paragraphs count from 1")
    return match.group(1), paras


def _aliases(reader: _Reader, record: Map) -> list[Ref]:
    """An entity's aliases: each a name with a letter or digit, and no '|' (which joins aliases in exports)."""
    aliases = []
    for alias in reader.refs(record, "aliases"):
        if not any(c.isalnum() for c in alias.name):
            reader.problem(alias.line, "empty alias: an alias needs a letter or digit")
        elif "|" in alias.name:
            reader.problem(alias.line, f"'|' in alias '{alias.name}': '|' separates aliases in the exports")
        else:
            aliases.append(alias)
    return aliases


def read_entities(seed: SeedFile, problems: list[Problem]) -> list[Entity]:
    """Read one registry file: a list of entities."""
    reader = _Reader(seed, problems)
    data = read_yaml(seed, problems)
    if data is None:
        return []
    if not isinstance(data, Seq):
        reader.problem(getattr(data, "line", 1), "a registry file is a list of entities")
        return []
    entities = []
    for item in data:
        record = reader.mapping(item, data.line, "an entity")
        if record is None or not reader.keys(record, ENTITY_KEYS, {"id", "type", "label"}, "entity"):
            continue
        parent = reader.ref(record, "parent")
        source, paras = _parse_pointer(reader, record, "parent_ref")
        if parent and not source:
            reader.problem(
                reader.line(record, "parent"),
                "'parent' needs 'parent_ref: SOURCE_ID:PARAGRAPH' (every relationship has a source)",
            )
        entities.append(
            Entity(
                id=reader.text(record, "id") or "",
                type=reader.text(record, "type") or "",
                label=reader.name(record, "label", "an entity"),
                aliases=_aliases(reader, record),
                description=reader.text(record, "description"),
                parent=parent,
                parent_source=source,
                parent_paras=paras,
                at=Located(reader.file, record.line),
                unmatched=reader.refs(record, "unmatched"),
                inferred=reader.text(record, "inferred"),
            )
        )
    return entities


# --- source files ---

SOURCE_KEYS = {
    "source",
    "title",
    "outlet",
    "author",
    "cites",
    "date",
    "year_inferred",
    "note",
    "fingerprints",
    "facts",
    "events",
    "claims",
    "counts",
}
QUALIFIER_KEYS = {"para", "confidence", "note", "date", "start", "end", "year_inferred", "date_inferred", "inferred"}
FACT_KEYS = QUALIFIER_KEYS | {"fact", "role", "status", "basis", "reason"}
ROLE_KEYS = {"perpetrator", "target", "responder", "victim", "participant", "place", "from", "to", "part_of"}
EVENT_KEYS = QUALIFIER_KEYS | ROLE_KEYS | {"id", "type", "label", "description", "time", "counts", "status"}
STATUSES = ("suspected", "alleged", "confirmed")
"""How firmly a source ties a fact's, a role's or a count's parties (absent: stated plainly)."""
BASES = ("curator",)
"""What a fact may rest on instead of a paragraph."""
CLAIM_KEYS = {
    "id",
    "type",
    "by",
    "summary",
    "says",
    "about",
    "disputes",
    "supports",
    "reported_by",
    "via",
    "stated_in",
    "counts",
    "para",
    "date",
    "year_inferred",
    "date_inferred",
    "note",
    "confidence",
    "inferred",
}
COUNT_KEYS = {
    "measure",
    "side",
    "value",
    "party",
    "item",
    "reported_by",
    "via",
    "para",
    "note",
    "subset",
    "subset_of",
    "taken_by",
    "taken_from",
    "status",
}
STANDALONE_COUNT_KEYS = COUNT_KEYS | {"of"}


def _triple(reader: _Reader, text: str, line: int, what: str) -> tuple[Ref, Ref, Ref] | None:
    parts = text.split()
    if len(parts) != 3:
        reader.problem(line, f"{what} must be 'SUBJECT RELATION OBJECT', got '{text}'")
        return None
    return Ref(parts[0], line), Ref(parts[1], line), Ref(parts[2], line)


def _count_value(reader: _Reader, value: str, line: int) -> tuple[int | None, int | None, int | None, bool] | None:
    """``15``, ``~100`` (about), ``>=16`` (at least), ``6000-7000`` (a range)."""
    text = value.replace(",", "").replace(" ", "")
    if match := re.fullmatch(r"(~?)([0-9]{1,15})", text):
        return int(match.group(2)), None, None, bool(match.group(1))
    if match := re.fullmatch(r">=([0-9]{1,15})", text):
        return None, int(match.group(1)), None, False
    if match := re.fullmatch(r"(~?)([0-9]{1,15})-([0-9]{1,15})", text):
        low, high = int(match.group(2)), int(match.group(3))
        if low <= high:
            return None, low, high, bool(match.group(1))
    reader.problem(line, f"bad count '{value}': write 15, ~100 (about), >=16 (at least) or 6000-7000")
    return None


def _counts(reader: _Reader, record: Map, default_paras: tuple[int, ...], standalone: bool = False) -> list[Count]:
    items = record.get("counts")
    if items is None:
        return []
    if not isinstance(items, Seq):
        reader.problem(reader.line(record, "counts"), "'counts' must be a list")
        return []
    allowed = STANDALONE_COUNT_KEYS if standalone else COUNT_KEYS
    required = {"measure", "value", "of", "para"} if standalone else {"measure", "value"}
    counts = []
    for item in items:
        count = reader.mapping(item, items.line, "a count")
        if count is None or not reader.keys(count, allowed, required, "count"):
            continue
        raw = reader.text(count, "value") or ""
        parsed = _count_value(reader, raw, reader.line(count, "value"))
        if parsed is None:
            continue
        paras = reader.paras(count, required=False) or default_paras
        subset_of = _subset_of(reader, count, len(items))
        counts.append(
            Count(
                measure=reader.ref(count, "measure"),
                side=reader.ref(count, "side"),
                value=parsed[0],
                min=parsed[1],
                max=parsed[2],
                approximate=parsed[3],
                party=reader.ref(count, "party"),
                item=reader.text(count, "item"),
                reported_by=reader.ref(count, "reported_by"),
                via=reader.ref(count, "via"),
                paras=paras,
                at=Located(reader.file, count.line),
                note=reader.text(count, "note"),
                of=reader.ref(count, "of"),
                subset=reader.flag(count, "subset") or subset_of is not None,
                subset_of=subset_of,
                taken_by=reader.ref(count, "taken_by"),
                taken_from=reader.ref(count, "taken_from"),
                status=reader.status(count),
            )
        )
    _check_counts(reader, items, counts)
    return counts


def _subset_of(reader: _Reader, count: Map, how_many: int) -> int | None:
    """``subset_of: N``: the position (from 1) of the count whose total this one is part of."""
    value = reader.text(count, "subset_of")
    if value is None:
        return None
    if not _PARA.fullmatch(value) or not 1 <= int(value) <= how_many:
        reader.problem(
            reader.line(count, "subset_of"),
            f"bad subset_of '{value}': the position of the total among this record's counts, 1 to {how_many}",
        )
        return None
    return int(value)


def _check_counts(reader: _Reader, items: Seq, counts: list[Count]) -> None:
    """What one count says about another, and what only some measures or a party allow."""
    if len(counts) != len(items):
        return  # positions no longer match: each unreadable count is reported already
    for item, count in zip(items, counts, strict=True):
        if count.subset_of is not None:
            total = counts[count.subset_of - 1]
            line = item.key_lines["subset_of"]
            if total is count:
                reader.problem(line, "a count cannot be a subset of itself")
            elif total.measure and count.measure and total.measure.name != count.measure.name:
                reader.problem(
                    line, f"subset_of {count.subset_of} counts '{total.measure.name}', not '{count.measure.name}'"
                )
        for key in ("taken_by", "taken_from"):
            if key in item and count.measure and count.measure.name not in ontology.ITEMISED:
                reader.problem(item.key_lines[key], f"'{key}' goes with 'measure: seized' or 'measure: money'")


def _fact(reader: _Reader, record: Map, source: str) -> Fact | None:
    if not reader.keys(record, FACT_KEYS, {"fact"}, "fact"):
        return None
    triple = _triple(reader, reader.text(record, "fact") or "", reader.line(record, "fact"), "a fact")
    basis, reason = _basis(reader, record)
    paras = reader.paras(record) if basis is None else ()
    if triple is None or basis == _REPORTED or (not paras and basis is None):
        return None
    date, start, end = reader.date(record, "date"), reader.date(record, "start"), reader.date(record, "end")
    return Fact(
        *triple,
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        confidence=reader.confidence(record),
        note=reader.text(record, "note"),
        role=reader.text(record, "role"),
        date=date,
        start=start,
        end=end,
        year_inferred=reader.year_inferred(record, date, start, end),
        date_inferred=reader.date_inferred(record, date, start, end),
        status=reader.status(record),
        basis=basis,
        reason=reason,
        inferred=reader.text(record, "inferred"),
    )


def _basis(reader: _Reader, record: Map) -> tuple[str | None, str | None]:
    """A fact's ``basis`` and ``reason``: what it rests on when no paragraph says it."""
    basis, reason = reader.text(record, "basis"), reader.text(record, "reason")
    if basis is None:
        if reason is not None:
            reader.problem(reader.line(record, "reason"), "'reason' goes with 'basis: curator': say what it explains")
        return None, None
    line = reader.line(record, "basis")
    if basis not in BASES:
        reader.problem(line, f"unknown basis '{basis}': write 'basis: curator' for the curator's knowledge")
    elif "para" in record:
        reader.problem(line, "a fact on the curator's knowledge cites no paragraph: drop 'para' or 'basis'")
    elif not reason:
        reader.problem(line, "a fact on the curator's knowledge needs a 'reason': how the curator knows it")
    else:
        return basis, reason
    return _REPORTED, None


_REPORTED = "?"
"""A basis already reported as a problem."""


def _event(reader: _Reader, record: Map, source: str) -> Event | None:
    if not reader.keys(record, EVENT_KEYS, {"id", "type", "label"}, "event"):
        return None
    paras = reader.paras(record)
    if not paras:
        return None
    time = reader.text(record, "time")
    if time is not None and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", time):
        reader.problem(reader.line(record, "time"), f"bad time '{time}': write HH:MM (24-hour)")
        time = None
    date, start, end = reader.date(record, "date"), reader.date(record, "start"), reader.date(record, "end")
    return Event(
        id=reader.text(record, "id") or "",
        type=reader.ref(record, "type"),
        label=reader.name(record, "label", "an event"),
        description=reader.text(record, "description"),
        roles={key: reader.refs(record, key) for key in sorted(ROLE_KEYS) if key in record},
        counts=_counts(reader, record, paras),
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        date=date,
        start=start,
        end=end,
        time=time,
        year_inferred=reader.year_inferred(record, date, start, end),
        date_inferred=reader.date_inferred(record, date, start, end),
        note=reader.text(record, "note"),
        confidence=reader.confidence(record),
        statuses=reader.statuses(record),
        inferred=reader.text(record, "inferred"),
    )


def _claim(reader: _Reader, record: Map, source: str) -> Claim | None:
    if not reader.keys(record, CLAIM_KEYS, {"id", "type", "by", "summary"}, "claim"):
        return None
    paras = reader.paras(record)
    if not paras:
        return None
    says = []
    for ref in reader.refs(record, "says"):
        triple = _triple(reader, ref.name, ref.line, "'says'")
        if triple:
            says.append(triple)
    date = reader.date(record, "date", made="a claim is dated when it was made")
    return Claim(
        id=reader.text(record, "id") or "",
        type=reader.ref(record, "type"),
        by=reader.refs(record, "by"),
        summary=reader.name(record, "summary", "a claim"),
        says=says,
        about=reader.refs(record, "about"),
        disputes=reader.refs(record, "disputes"),
        supports=reader.refs(record, "supports"),
        reported_by=reader.ref(record, "reported_by"),
        via=reader.ref(record, "via"),
        stated_in=reader.ref(record, "stated_in"),
        counts=_counts(reader, record, paras),
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        date=date,
        year_inferred=reader.year_inferred(record, date),
        date_inferred=reader.date_inferred(record, date),
        note=reader.text(record, "note"),
        confidence=reader.confidence(record),
        inferred=reader.text(record, "inferred"),
    )


_SECTIONS = {"facts": _fact, "events": _event, "claims": _claim}


def read_source(seed: SeedFile, problems: list[Problem]) -> Source | None:
    """Read one source file: metadata, then its facts, events and claims."""
    reader, known = _Reader(seed, problems), len(problems)
    data = read_yaml(seed, problems)
    path = seed.path
    if data is None and len(problems) > known:
        return None
    record = reader.mapping(data, 1, "a source file")  # an empty file too
    if record is None or not reader.keys(record, SOURCE_KEYS, {"source"}, "source file"):
        return None
    source_id = reader.text(record, "source") or ""
    if source_id != path.stem:
        reader.problem(
            reader.line(record, "source"), f"source id '{source_id}' does not match the file name '{path.name}'"
        )
    elif not SOURCE_PATTERN.match(source_id):
        reader.problem(
            reader.line(record, "source"),
            f"bad source id '{source_id}': the source file's name without .txt, e.g. 000_c8205b38d0f11d5b",
        )
    for key in sorted(SOURCE_KEYS & set(record)):
        if record.get(key) == TODO:  # reported once, not read as a value
            reader.problem(reader.line(record, key), f"'{key}' is still {TODO}: fill it in, or remove the line")
            record[key] = None
    date = reader.date(record, "date", made="a source is dated when it was published")
    source = Source(
        id=source_id,
        at=Located(reader.file, record.line),
        title=reader.text(record, "title"),
        outlet=reader.ref(record, "outlet"),
        authors=reader.refs(record, "author"),
        cites=reader.refs(record, "cites"),
        date=date,
        year_inferred=reader.year_inferred(record, date),
        note=reader.text(record, "note"),
        fingerprints=_fingerprints(reader, record),
    )
    source.counts = _counts(reader, record, (), standalone=True)
    for section, parse in _SECTIONS.items():
        items = record.get(section)
        if items is None:
            continue
        if not isinstance(items, Seq):
            reader.problem(reader.line(record, section), f"'{section}' must be a list")
            continue
        for item in items:
            entry = reader.mapping(item, items.line, f"an entry of '{section}'")
            parsed = parse(reader, entry, source_id) if entry is not None else None
            if parsed is not None:
                getattr(source, section).append(parsed)
    return source


TODO = "TODO"
"""What ``kg draft`` writes where the text does not say; ``kg validate`` reports each one left."""

_FINGERPRINT = re.compile(r"[0-9a-f]{8}")


def paragraphs_of(text: str) -> list[str]:
    """A text's paragraphs by the sources' convention: its non-blank lines, stripped, from 1."""
    return [line.strip() for line in text.splitlines() if line.strip()]


MAX_TEXT_BYTES = 2_000_000
"""The largest source text read, in bytes (an article is far smaller: the curated ones are under 10 kB)."""
MAX_PARAGRAPH = 20_000
"""The longest paragraph of a source text, in characters (the curated ones are under 1,000): a longer one
is a text without line breaks, which finding names in would take minutes."""


def read_text(path: Path) -> tuple[bytes, list[str]]:
    """A source text's bytes and paragraphs (UTF-8, a byte-order mark ignored), read only if it is a
    regular file of at most :data:`MAX_TEXT_BYTES` whose paragraphs are at most :data:`MAX_PARAGRAPH`
    characters; else :class:`~kg.errors.UnreadableFile` saying why."""
    data = read_bounded(path, MAX_TEXT_BYTES, f"a source text is at most {MAX_TEXT_BYTES:,} bytes (is it an article?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise UnreadableFile(shown_path(path), f"not UTF-8 text: {err.reason}", line) from None
    for number, line_text in enumerate(text.splitlines(), 1):
        if len(line_text) > MAX_PARAGRAPH:
            message = (
                f"a paragraph of {len(line_text):,} characters: a paragraph (a non-blank line) is at most "
                f"{MAX_PARAGRAPH:,} (break the text into its paragraphs)"
            )
            raise UnreadableFile(shown_path(path), message, number)
    return data, paragraphs_of(text)


def read_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a source text, read as :func:`read_text` reads it."""
    return read_text(path)[1]


def fingerprint(paragraph: str) -> str:
    """A paragraph's fingerprint: the first 8 hex digits of the SHA-256 of its text, stripped."""
    import hashlib

    return hashlib.sha256(paragraph.strip().encode("utf-8")).hexdigest()[:8]


def _fingerprints(reader: _Reader, record: Map) -> tuple[str, ...]:
    """The ``fingerprints`` of a source: one per paragraph of its text, in order."""
    value = record.get("fingerprints")
    if value is None:
        return ()
    if not isinstance(value, Seq) or not all(isinstance(v, str) and _FINGERPRINT.fullmatch(v) for v in value):
        reader.problem(
            reader.line(record, "fingerprints"),
            "'fingerprints' must be a list of 8-digit hex fingerprints, one per paragraph",
        )
        return ()
    return tuple(str(v) for v in value)


PASSAGE_KINDS = {"uncited", "pronouns"}


def read_passage_notes(seed: SeedFile, problems: list[Problem]) -> list[PassageNote]:
    """Read ``passages.yaml``: paragraphs deliberately left uncited, or named only by pronouns."""
    reader = _Reader(seed, problems)
    data = read_yaml(seed, problems)
    if data is None:
        return []
    if not isinstance(data, Seq):
        reader.problem(getattr(data, "line", 1), "passages.yaml is a list of passages")
        return []
    notes = []
    for item in data:
        record = reader.mapping(item, data.line, "a passage")
        keys = {"passage", "kind", "reason"}
        if record is None or not reader.keys(record, keys, keys, "passage"):
            continue
        source, paras = _parse_pointer(reader, record, "passage")
        kind = reader.text(record, "kind") or ""
        if kind not in PASSAGE_KINDS:
            reader.problem(reader.line(record, "kind"), f"unknown passage kind '{kind}'{suggest(kind, PASSAGE_KINDS)}")
            continue
        for para in paras:
            notes.append(
                PassageNote(
                    source or "", para, kind, reader.text(record, "reason") or "", Located(reader.file, record.line)
                )
            )
    return notes


def read_seeds(seeds: Path) -> Corpus:
    """Read a whole seeds folder: ``entities/*.yaml``, ``sources/*.yaml`` and ``passages.yaml`` (:func:`seed_files`)."""
    corpus = Corpus()
    files = seed_files(seeds, corpus.problems)
    if not seeds.is_dir():
        return corpus
    for seed in files:
        if seed.kind == "entities":
            corpus.entities.extend(read_entities(seed, corpus.problems))
        elif seed.kind == "sources" and (source := read_source(seed, corpus.problems)) is not None:
            corpus.sources.append(source)
        elif seed.kind == "passages":
            corpus.passage_notes = read_passage_notes(seed, corpus.problems)
    if not corpus.entities:
        where = shown_path(seeds / "entities")
        if not any(p.file == where for p in corpus.problems):  # not a folder, a loop...: reported already
            corpus.problems.append(Problem(where, 0, "no entity registry files (*.yaml) found"))
    return corpus
