"""Checks on curated records (ids, types, references, dates, pointers) and on the built graph (SHACL).

Every check appends a :class:`~kg.errors.Problem` located at a file and line;
nothing stops at the first problem, so a curator fixes everything in one pass.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg import ontology
from kg.curation import (
    ID_PATTERN,
    SOURCE_PATTERN,
    Claim,
    Corpus,
    Count,
    Entity,
    Event,
    Ref,
    Source,
    fingerprint,
    read_paragraphs,
)
from kg.errors import Problem, UnreadableFile, ValidationFailed, display_path
from kg.names import normalise, suggest

WRONG_KIND_HINTS = {
    ("place", "actor"): ": a place is where something happened (an event's 'place'); the actor is who was there",
}
"""What to do instead, after the message for an id of one kind where another is wanted."""


def _a(word: str) -> str:
    """``word`` with its indefinite article: ``an actor``, ``a place``."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


@dataclass
class Index:
    """Every id in the seeds, what kind of thing it names, and every name of every entity."""

    kinds: dict[str, set[str]] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """normalised label or alias -> entity id"""

    def names_of(self, ident: str) -> list[str]:
        """The names a text may call ``ident`` by: its label and aliases, less those marked unmatched."""
        entity = self.entities.get(ident)
        if entity is None:
            return []
        unmatched = {normalise(u.name) for u in entity.unmatched}
        return [entity.label] + [a.name for a in entity.aliases if normalise(a.name) not in unmatched]


def _entity_kinds(entity_type: str) -> set[str]:
    kinds = set()
    if entity_type in ontology.actor_types():
        kinds.add("actor")
    if entity_type in ontology.place_types():
        kinds.add("place")
    if entity_type in ontology.document_types():
        kinds.add("document")
    return kinds


def build_index(corpus: Corpus, problems: list[Problem]) -> Index:
    """Index every id, reporting bad, duplicate and colliding ids, types, labels and aliases."""
    index = Index()
    first_seen: dict[str, str] = {}

    def claim_id(ident: str, kind: set[str], where: str, file: str, line: int) -> bool:
        if not ID_PATTERN.match(ident):
            problems.append(Problem(file, line, f"bad id '{ident}': use lower-case letters, digits and '-'"))
            return False
        if ident in first_seen:
            problems.append(Problem(file, line, f"duplicate id '{ident}' (first defined at {first_seen[ident]})"))
            return False
        first_seen[ident] = where
        index.kinds[ident] = kind
        return True

    types = ontology.entity_types()
    for entity in corpus.entities:
        where = f"{entity.at.file}:{entity.at.line}"
        if entity.type not in types:
            problems.append(
                Problem(
                    entity.at.file, entity.at.line, f"unknown entity type '{entity.type}'{suggest(entity.type, types)}"
                )
            )
        if not claim_id(entity.id, _entity_kinds(entity.type), where, entity.at.file, entity.at.line):
            continue
        index.entities[entity.id] = entity
        for name, line in [(entity.label, entity.at.line)] + [(a.name, a.line) for a in entity.aliases]:
            key = normalise(name)
            if not key:
                continue  # an empty or refused label, reported where it was read
            owner = index.names.get(key)
            if owner is not None and owner != entity.id:
                problems.append(
                    Problem(entity.at.file, line, f"alias '{name}' of '{entity.id}' is already a name of '{owner}'")
                )
            index.names.setdefault(key, entity.id)
        own = {normalise(n) for n in [entity.label] + [a.name for a in entity.aliases]}
        for unmatched in entity.unmatched:
            if normalise(unmatched.name) not in own:
                problems.append(
                    Problem(
                        entity.at.file,
                        unmatched.line,
                        f"unmatched name '{unmatched.name}' is not a name of "
                        f"'{entity.id}' (its label or one of its aliases)",
                    )
                )
    for source in corpus.sources:
        for event in source.events:
            claim_id(event.id, {"event"}, f"{event.at.file}:{event.at.line}", event.at.file, event.at.line)
        for claim in source.claims:
            claim_id(claim.id, {"claim"}, f"{claim.at.file}:{claim.at.line}", claim.at.file, claim.at.line)
    return index


class _Checker:
    """Reference checks for one corpus against its index."""

    def __init__(self, index: Index, problems: list[Problem]) -> None:
        self.index, self.problems = index, problems
        self.relations = ontology.relations()

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def ref(self, ref: Ref | None, file: str, want: str | None, what: str = "entity") -> bool:
        """Check that ``ref`` names an id of kind ``want`` (actor, place, event, claim or None: any)."""
        if ref is None:
            return True
        kinds = self.index.kinds.get(ref.name)
        if kinds is None:
            owner = self.index.names.get(normalise(ref.name))
            hint = f" (did you mean '{owner}'?)" if owner else suggest(ref.name, self._pool(want))
            self.problem(file, ref.line, f"unknown {what} '{ref.name}'{hint}")
            return False
        if want and want not in kinds:
            shown = " or ".join(sorted(kinds)) or "untyped"
            hint = WRONG_KIND_HINTS.get((shown, want), "")
            self.problem(file, ref.line, f"'{ref.name}' is {_a(shown)}, not {_a(want)}{hint}")
            return False
        return True

    def disputed(self, ref: Ref, file: str) -> None:
        """What a claim disputes: a claim, or an event it says did not happen (or not as told)."""
        kinds = self.index.kinds.get(ref.name)
        if kinds is None:
            pool = self._pool("claim") + self._pool("event")
            self.problem(file, ref.line, f"unknown claim or event '{ref.name}'{suggest(ref.name, pool)}")
        elif not kinds & {"claim", "event"}:
            shown = " or ".join(sorted(kinds)) or "untyped"
            self.problem(file, ref.line, f"'{ref.name}' is a {shown}, not a claim or event")

    def _pool(self, want: str | None) -> list[str]:
        return [i for i, kinds in self.index.kinds.items() if want is None or want in kinds]

    def relation(self, ref: Ref, file: str) -> bool:
        if ref.name in self.relations:
            return True
        self.problem(file, ref.line, f"unknown relation '{ref.name}'{suggest(ref.name, self.relations)}")
        return False

    def triple(self, subject: Ref, relation: Ref, obj: Ref, file: str) -> bool:
        if not self.relation(relation, file):
            self.ref(subject, file, None)
            self.ref(obj, file, None)
            return False
        prop = self.relations[relation.name]
        ok = self.ref(subject, file, ontology.domain_kind(prop))
        return self.ref(obj, file, ontology.range_kind(prop)) and ok

    def known(self, ref: Ref | None, allowed: Iterable[str], what: str, file: str) -> None:
        """Report ``ref`` if it is not one of ``allowed`` (a type, measure or side name)."""
        if ref is not None and ref.name not in allowed:
            self.problem(file, ref.line, f"unknown {what} '{ref.name}'{suggest(ref.name, allowed)}")

    def count(self, count: Count, file: str) -> None:
        self.known(count.measure, ontology.measures(), "measure", file)
        self.known(count.side, ontology.SIDES, "side", file)
        self.ref(count.party, file, "actor")
        self.ref(count.reported_by, file, "actor")
        self.ref(count.via, file, "actor")
        self.ref(count.taken_by, file, "actor")
        self.ref(count.taken_from, file, "actor")

    def source(self, source: Source) -> None:
        file = source.at.file
        self.ref(source.outlet, file, "actor")
        for ref in source.authors + source.cites:
            self.ref(ref, file, "actor")
        seen: dict[tuple[str, str, str], int] = {}
        for fact in source.facts:
            self.triple(fact.subject, fact.relation, fact.object, file)
            key = (fact.subject.name, fact.relation.name, fact.object.name)
            if key in seen:
                self.problem(
                    file,
                    fact.at.line,
                    f"duplicate fact '{' '.join(key)}' (also at line "
                    f"{seen[key]}): list all its paragraphs in one record",
                )
            seen.setdefault(key, fact.at.line)
        for event in source.events:
            self.event(event)
        for claim in source.claims:
            self.claim(claim)
        for count in source.counts:
            self.ref(count.of, file, None)
            self.count(count, file)

    def event(self, event: Event) -> None:
        file = event.at.file
        self.known(event.type, ontology.event_types(), "event type", file)
        for key, refs in event.roles.items():
            want = {"place": "place", "from": "place", "to": "place", "part_of": "event", "target": None}.get(
                key, "actor"
            )
            for ref in refs:
                self.ref(ref, file, want)
        for count in event.counts:
            self.count(count, file)

    def claim(self, claim: Claim) -> None:
        file = claim.at.file
        self.known(claim.type, ontology.claim_types(), "claim type", file)
        if not claim.by:
            self.problem(file, claim.at.line, "a claim needs 'by': who made it")
        for ref in claim.by:
            self.ref(ref, file, "actor")
        for triple in claim.says:
            self.triple(*triple, file)
        for ref in claim.about:
            self.ref(ref, file, None)
        for ref in claim.disputes:
            self.disputed(ref, file)
        for ref in claim.supports:
            self.ref(ref, file, "claim", "claim")
        for ref in claim.disputes + claim.supports:
            if ref.name == claim.id:
                self.problem(file, ref.line, f"claim '{claim.id}' cannot dispute or support itself")
        self.ref(claim.reported_by, file, "actor")
        self.ref(claim.via, file, "actor")
        self.ref(claim.stated_in, file, None)
        for count in claim.counts:
            self.count(count, file)

    def entity(self, entity: Entity) -> None:
        if entity.parent is None:
            return
        kinds = self.index.kinds.get(entity.id, set())
        want = "place" if "place" in kinds and "actor" not in kinds else "actor"
        self.ref(entity.parent, entity.at.file, want)


def shared_numbers(corpus: Corpus) -> list[Problem]:
    """A source whose number another source has too (two ``kg draft`` runs at once, a copied file): the
    number names a source in ``kg review 002``, ``kg mentions 002``, so it must name one."""
    first: dict[str, Source] = {}
    problems = []
    for source in sorted(corpus.sources, key=lambda s: (s.id, s.at.file)):
        if not SOURCE_PATTERN.match(source.id):
            continue  # a bad id is reported where it is read
        number = source.id[:3]
        if number not in first:
            first[number] = source
            continue
        other = first[number]
        problems.append(
            Problem(
                source.at.file,
                source.at.line,
                f"source number {number} is also that of {other.id} ({other.at.file}): give this source "
                "the next free number (its file, its text, its 'source' and the pointers to it)",
            )
        )
    return problems


def check_records(corpus: Corpus) -> list[Problem]:
    """Every problem in the records that needs no source text: types, ids, references, dates, numbers."""
    problems = list(corpus.problems) + shared_numbers(corpus)
    index = build_index(corpus, problems)
    checker = _Checker(index, problems)
    for entity in corpus.entities:
        checker.entity(entity)
    for source in corpus.sources:
        checker.source(source)
    return problems


# --- pointers into the source texts ---


@dataclass(frozen=True)
class Pointer:
    """A record's pointer into a source, the line it was written on, and the ids it mentions."""

    source: str
    paras: tuple[int, ...]
    file: str
    line: int
    mentions: tuple[str, ...]
    what: str
    named: tuple[str, ...] = ()
    """The ids the paragraphs must each name: both ends of a fact, an event's parties, a claim's claimants."""
    inferred: str | None = None
    """The record's reason for citing paragraphs that do not name all of them."""


def pointers(corpus: Corpus) -> Iterator[Pointer]:
    """Every (source, paragraphs) pointer in the seeds, with the entities its record names."""
    for entity in corpus.entities:
        if entity.parent and entity.parent_source:
            yield Pointer(
                entity.parent_source,
                entity.parent_paras,
                entity.at.file,
                entity.at.line,
                (entity.id, entity.parent.name),
                "parent",
                (entity.id, entity.parent.name),
                entity.inferred,
            )
    for source in corpus.sources:
        for fact in source.facts:
            if fact.basis is not None:
                continue  # the curator's knowledge: it cites no paragraph
            ends = (fact.subject.name, fact.object.name)
            yield Pointer(source.id, fact.paras, fact.at.file, fact.at.line, ends, "fact", ends, fact.inferred)
        for event in source.events:
            names = tuple(r.name for refs in event.roles.values() for r in refs)
            parties = tuple(r.name for key, refs in event.roles.items() if key != "part_of" for r in refs)
            yield Pointer(source.id, event.paras, event.at.file, event.at.line, names, "event", parties, event.inferred)
            yield from _count_pointers(source.id, event.counts)
        for claim in source.claims:
            names = tuple(r.name for r in claim.by + claim.about + ([claim.via] if claim.via else []))
            names += tuple(r.name for triple in claim.says for r in (triple[0], triple[2]))
            claimants = tuple(r.name for r in claim.by)
            yield Pointer(
                source.id, claim.paras, claim.at.file, claim.at.line, names, "claim", claimants, claim.inferred
            )
            yield from _count_pointers(source.id, claim.counts)
        yield from _count_pointers(source.id, source.counts)


def _count_pointers(source: str, counts: Iterable[Count]) -> Iterator[Pointer]:
    for count in counts:
        names = tuple(r.name for r in (count.of, count.party, count.reported_by, count.via) if r)
        yield Pointer(source, count.paras, count.at.file, count.at.line, names, "count")


def _mentioned(name: str, text: str) -> bool:
    """Whether ``name`` starts a word of ``text`` ('Syria' in 'Syrian'); short all-caps names
    (IS, TTP) must match case and whole words."""
    if len(name) <= 4 and name.isupper():
        return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None
    return re.search(rf"(?<!\w){re.escape(normalise(name))}", normalise(text)) is not None


def _changed_paragraphs(
    corpus: Corpus, text_of: Callable[[str], list[str] | None], unreadable: set[str], problems: list[Problem]
) -> dict[str, set[int]]:
    """The paragraphs of each source whose text no longer has the fingerprint it was curated from."""
    changed: dict[str, set[int]] = {}
    for source in corpus.sources:
        if not source.fingerprints or source.id in unreadable:
            continue
        paras = text_of(source.id)
        if paras is None:
            continue
        now = [fingerprint(p) for p in paras]
        if len(now) != len(source.fingerprints):
            problems.append(
                Problem(
                    source.at.file,
                    source.at.line,
                    f"the text of {source.id} has {len(now)} "
                    f"paragraphs; it was curated from one of {len(source.fingerprints)}: check "
                    "every pointer (or kg draft the new version)",
                )
            )
        changed[source.id] = {n for n, (a, b) in enumerate(zip(now, source.fingerprints, strict=False), 1) if a != b}
        changed[source.id] |= set(range(min(len(now), len(source.fingerprints)) + 1, len(source.fingerprints) + 1))
    return changed


def _unnamed(pointer: Pointer, valid: list[int], paras: list[str], index: Index) -> list[Problem]:
    """One problem naming the parties of a record its paragraphs never name (by label or alias)."""
    missing = [
        ident
        for ident in dict.fromkeys(pointer.named)
        if index.names_of(ident) and not any(_mentioned(n, paras[p - 1]) for n in index.names_of(ident) for p in valid)
    ]
    if not missing:
        return []
    cited = ",".join(map(str, valid))
    return [
        Problem(
            pointer.file,
            pointer.line,
            f"{pointer.what} cites {pointer.source} paragraph {cited}, which does not name "
            f"{', '.join(missing)}: cite the paragraph that does, or say why in 'inferred'",
        )
    ]


class _Texts:
    """The source texts of a corpus, read once each, and the problems of reading them."""

    def __init__(self, corpus: Corpus, folder: Path, problems: list[Problem]) -> None:
        self.folder, self.problems = folder, problems
        self.read: dict[str, list[str] | None] = {}
        self.unreadable: set[str] = set()
        named = {p.source for p in pointers(corpus)} | {n.source for n in corpus.passage_notes}
        for ident in sorted(named | {s.id for s in corpus.sources}):
            if not SOURCE_PATTERN.match(ident):
                self.unreadable.add(ident)  # a bad id names no file (reported where it is read)
                continue
            try:
                self.of(ident)
            except UnreadableFile as err:  # a FIFO, a device, too large, not UTF-8: one line, never a hang
                problems.append(Problem(err.file, err.line, err.reason))
                self.unreadable.add(ident)

    def of(self, source: str) -> list[str] | None:
        """The paragraphs of ``source``, or None if its text is not in the folder (read by
        :func:`~kg.curation.read_paragraphs`, which refuses what is not a regular file of bounded size)."""
        if source not in self.read:
            path = self.folder / f"{source}.txt"
            self.read[source] = read_paragraphs(path) if os.path.lexists(path) else None
        return self.read[source]

    def missing(self, file: str, line: int, source: str) -> None:
        self.problems.append(Problem(file, line, f"no source file '{source}.txt' in {display_path(self.folder)}"))

    def past_the_end(self, file: str, line: int, source: str, para: int) -> bool:
        """Report ``para`` if ``source`` has fewer paragraphs; whether it did."""
        paras = self.of(source) or []
        if para <= len(paras):
            return False
        self.problems.append(
            Problem(file, line, f"paragraph {para} is past the end of {source} ({len(paras)} paragraphs)")
        )
        return True


def check_pointers(corpus: Corpus, sources_dir: Path) -> list[Problem]:
    """Check every pointer against the source texts: file exists, paragraph exists, and the
    paragraphs name the record's parties; and that no paragraph is left uncited unless
    ``passages.yaml`` says why."""
    problems: list[Problem] = []
    texts = _Texts(corpus, sources_dir, problems)
    changed = _changed_paragraphs(corpus, texts.of, texts.unreadable, problems)
    index = build_index(corpus, [])
    pronouns = {(n.source, n.para) for n in corpus.passage_notes if n.kind == "pronouns"}
    cited: dict[str, set[int]] = defaultdict(set)
    for pointer in pointers(corpus):
        if pointer.source not in texts.unreadable:
            valid = _check_pointer(pointer, texts, changed.get(pointer.source, set()))
            cited[pointer.source].update(valid)
            if valid and not any((pointer.source, p) in pronouns for p in valid):
                problems += _naming(pointer, valid, texts.of(pointer.source) or [], index)
    for note in corpus.passage_notes:
        if note.source in texts.unreadable:
            continue
        if texts.of(note.source) is None:
            texts.missing(note.at.file, note.at.line, note.source)
        else:
            texts.past_the_end(note.at.file, note.at.line, note.source, note.para)
    problems += _uncited(corpus, texts, cited)
    return problems


def _check_pointer(pointer: Pointer, texts: _Texts, changed: set[int]) -> list[int]:
    """Report a pointer into a changed paragraph, a missing text or a paragraph past its end;
    the paragraphs it cites that exist."""
    for para in sorted(set(pointer.paras) & changed):
        texts.problems.append(
            Problem(
                pointer.file,
                pointer.line,
                f"paragraph {para} of {pointer.source} is not the "
                "paragraph this was curated from (the text was edited, or is another version): "
                "check this pointer",
            )
        )
    if texts.of(pointer.source) is None:
        texts.missing(pointer.file, pointer.line, pointer.source)
        return []
    return [p for p in pointer.paras if not texts.past_the_end(pointer.file, pointer.line, pointer.source, p)]


def _naming(pointer: Pointer, valid: list[int], paras: list[str], index: Index) -> list[Problem]:
    """A record whose paragraphs name none of its entities, or not each of its parties."""
    if any(ident not in index.kinds for ident in pointer.mentions):
        return []  # an unknown id is reported by check_records
    names = [n for ident in pointer.mentions for n in index.names_of(ident)]
    if names and not any(_mentioned(n, paras[p - 1]) for n in names for p in valid):
        shown = ", ".join(sorted(set(pointer.mentions)))
        cited = ",".join(map(str, valid))
        return [
            Problem(
                pointer.file,
                pointer.line,
                f"{pointer.what} cites {pointer.source} paragraph {cited}, which names none of: {shown}",
            )
        ]
    return _unnamed(pointer, valid, paras, index) if pointer.inferred is None else []


def _uncited(corpus: Corpus, texts: _Texts, cited: dict[str, set[int]]) -> list[Problem]:
    """Every paragraph of a curated source that no record cites and ``passages.yaml`` does not list."""
    listed = {(n.source, n.para) for n in corpus.passage_notes if n.kind == "uncited"}
    problems = []
    for source in corpus.sources:
        if source.id in texts.unreadable or not SOURCE_PATTERN.match(source.id):
            continue
        paras = texts.of(source.id)
        if paras is None:
            texts.missing(source.at.file, source.at.line, source.id)
            continue
        for para in range(1, len(paras) + 1):
            if para not in cited[source.id] and (source.id, para) not in listed:
                problems.append(
                    Problem(
                        source.at.file,
                        source.at.line,
                        f"paragraph {para} of {source.id} is neither cited nor listed as uncited in passages.yaml",
                    )
                )
    return problems


def validate(corpus: Corpus, sources_dir: Path | None = None) -> None:
    """Raise :class:`ValidationFailed` listing every problem in the corpus (and its pointers)."""
    problems = check_records(corpus)
    if sources_dir is not None:
        problems += check_pointers(corpus, sources_dir)
    if problems:
        raise ValidationFailed(problems)
