"""The review page of one source: its text beside the records that cite it (``kg review``).

The article's paragraphs are read when the page is made, from the project's
source texts (the user's copy; the project never stores them), with every
registry mention highlighted (the entity and the name that matched on hover).
Beside each paragraph are the records that cite it, facts and claims styled as
in the network view, disputes linked to the claims they dispute. Paragraphs no
record cites, and records whose entities are not named in their paragraphs,
are marked. The page is one offline file: no script, no link out, every piece
of data escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg import resources
from kg.curation import Claim, Corpus, Count, Event, Fact, Source, read_paragraphs
from kg.errors import KgError
from kg.mentions import Matcher, Mention, find_mentions, registry_names

TEMPLATE = ("templates", "review.html")


class ReviewError(KgError):
    """A source that cannot be reviewed (unknown, or its text is missing)."""


@dataclass
class Record:
    """A record as the page shows it."""

    kind: str
    anchor: str
    text: str
    status: str
    """``fact``, ``claimed`` or ``disputed`` (styles as in the network view)."""
    where: str
    entities: tuple[str, ...]
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """("disputes" or "disputed by", claim id, anchor) of the claims it disputes or is disputed by."""
    unnamed: bool = False
    """None of its entities is named in its paragraphs."""
    inferred: str | None = None
    """The curator's reason for citing paragraphs that do not name every party."""


@dataclass
class Paragraph:
    """One paragraph: its number, its text in pieces (plain or a mention), the records citing it."""

    number: int
    pieces: list[tuple[str, Mention | None]]
    records: list[tuple[Record, bool]]
    """The records citing it, each with whether this is its first paragraph (where its anchor is)."""
    note: str | None


def find_source(corpus: Corpus, name: str) -> Source:
    """The source ``name`` names: its id or its three-digit number (:func:`kg.names.find_source`)."""
    from kg.names import find_source as source_id

    by_id = {s.id: s for s in corpus.sources}
    return by_id[source_id(name, sorted(by_id))]


def review(corpus: Corpus, source: Source, texts: Path | None) -> str:
    """The review page of ``source``, its text read from the folder ``texts``."""
    path = texts / f"{source.id}.txt" if texts else None
    if path is None or not os.path.lexists(path):
        where = f"in {texts}" if texts else "(the project's kg.toml names no source texts)"
        raise ReviewError(f"no text of {source.id} {where}: kg review shows the text beside its records")
    paragraphs = read_paragraphs(path)  # UnreadableFile for a FIFO, a device, a huge file: one line
    matcher = Matcher(registry_names(corpus.entities))
    mentions = find_mentions(paragraphs, matcher)
    named: dict[int, set[str]] = {}
    for m in mentions:
        named.setdefault(m.paragraph, set()).add(m.entity)
    records = _records(source)
    disputed_by: dict[str, list[str]] = {}
    for claim in source.claims:
        for target in claim.disputes:
            disputed_by.setdefault(target.name, []).append(claim.id)
    for record, _ in records:
        if record.kind == "event" and (event_id := record.anchor.removeprefix("event-")) in disputed_by:
            record.status = "disputed"
            record.links = [("disputed by", d, f"claim-{d}") for d in disputed_by[event_id]]
    notes = {n.para: f"{n.kind}: {n.reason}" for n in corpus.passage_notes if n.source == source.id}
    labels = {e.id: e.label for e in corpus.entities}
    pages = []
    placed: set[str] = set()
    for number, text in enumerate(paragraphs, 1):
        citing = []
        for record, paras in records:
            if number not in paras:
                continue
            if record.kind == "claim":
                claim_id = record.anchor.removeprefix("claim-")
                record.links = [("disputes", d, f"claim-{d}") for d in _disputes(source, claim_id)]
                record.links += [("disputed by", d, f"claim-{d}") for d in disputed_by.get(claim_id, [])]
                if claim_id in disputed_by:
                    record.status = "disputed"
            names = set().union(*(named.get(p, set()) for p in paras))
            record.unnamed = bool(record.entities) and not (set(record.entities) & names)
            citing.append((record, record.anchor not in placed))
            placed.add(record.anchor)
        pages.append(
            Paragraph(number, _pieces(text, [m for m in mentions if m.paragraph == number]), citing, notes.get(number))
        )
    curator = [_fact(f) for f in source.facts if f.basis is not None]
    return _render(source, pages, labels, curator)


def _disputes(source: Source, claim_id: str) -> list[str]:
    return [d.name for c in source.claims if c.id == claim_id for d in c.disputes]


def _records(source: Source) -> list[tuple[Record, tuple[int, ...]]]:
    found: list[tuple[Record, tuple[int, ...]]] = []
    for fact in source.facts:
        if fact.basis is None:  # the curator's knowledge cites no paragraph: listed apart
            found.append((_fact(fact), fact.paras))
    for event in source.events:
        found.append((_event(event), event.paras))
        found += [(_count(c, event.id), c.paras) for c in event.counts]
    for claim in source.claims:
        found.append((_claim(claim), claim.paras))
        found += [(_count(c, claim.id), c.paras) for c in claim.counts]
    found += [(_count(c, c.of.name if c.of else source.id), c.paras) for c in source.counts]
    return found


def _where(at: object) -> str:
    return f"{getattr(at, 'file', '')}:{getattr(at, 'line', '')}"


def _fact(fact: Fact) -> Record:
    text = f"{fact.subject.name} {fact.relation.name} {fact.object.name}" + (f" ({fact.role})" if fact.role else "")
    if fact.status:
        text += f" [{fact.status}]"
    if fact.basis is not None:
        text += f" — the curator's knowledge: {fact.reason}"
    ends = (fact.subject.name, fact.object.name)
    return Record("fact", f"fact-{fact.at.line}", text, "fact", _where(fact.at), ends, inferred=fact.inferred)


def _event(event: Event) -> Record:
    roles = "; ".join(
        f"{role}: {', '.join(r.name for r in refs)}" + (f" [{event.statuses[role]}]" if role in event.statuses else "")
        for role, refs in sorted(event.roles.items())
    )
    kind = event.type.name if event.type else "Event"
    date = f", {event.date.text}" if event.date else ""
    names = tuple(r.name for refs in event.roles.values() for r in refs)
    text = f"{event.label} ({kind}{date}) — {roles}"
    return Record("event", f"event-{event.id}", text, "fact", _where(event.at), names, inferred=event.inferred)


def _claim(claim: Claim) -> Record:
    kind = claim.type.name if claim.type else "Claim"
    by = ", ".join(r.name for r in claim.by) or "unattributed"
    says = "; ".join(f"{s.name} {p.name} {o.name}" for s, p, o in claim.says)
    text = f"{kind} by {by}: {claim.summary}" + (f" [says: {says}]" if says else "")
    names = tuple(r.name for r in claim.by + claim.about) + tuple(r.name for t in claim.says for r in (t[0], t[2]))
    if claim.via:
        text += f" (via {claim.via.name})"
    return Record("claim", f"claim-{claim.id}", text, "claimed", _where(claim.at), names, inferred=claim.inferred)


def figure(count: Count) -> str:
    """A count's figure as the source gives it: 15, ~100, ≥16, 6000-7000, ~6000-7000."""
    from kg.figures import Figure

    return Figure(value=count.value, minimum=count.min, maximum=count.max, approximate=count.approximate).shown()


def _count(count: Count, owner: str) -> Record:
    measure = count.measure.name if count.measure else "?"
    side = f" ({count.side.name})" if count.side else ""
    party = f" of {count.party.name}" if count.party else ""
    party += f" [{count.status}]" if count.status else ""
    item = f" {count.item}" if count.item else ""
    part = ""
    if count.subset_of is not None:
        part = f", part of count {count.subset_of}"
    elif count.subset:
        part = ", part of its side"
    taken = "".join(
        f", {how} {ref.name}" for how, ref in (("taken by", count.taken_by), ("from", count.taken_from)) if ref
    )
    by = f", reported by {count.reported_by.name}" if count.reported_by else ""
    text = f"{owner}: {measure}{side}{party} {figure(count)}{item}{part}{taken}{by}"
    names = tuple(r.name for r in (count.party, count.reported_by, count.via) if r)
    return Record("count", f"count-{count.at.line}", text, "fact", _where(count.at), names)


def _pieces(text: str, mentions: list[Mention]) -> list[tuple[str, Mention | None]]:
    pieces: list[tuple[str, Mention | None]] = []
    at = 0
    for m in mentions:
        if m.start > at:
            pieces.append((text[at : m.start], None))
        pieces.append((text[m.start : m.end], m))
        at = m.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def _render(source: Source, pages: list[Paragraph], labels: dict[str, str], curator: list[Record]) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(resources.read_text(*TEMPLATE))
    cited = sum(1 for p in pages if p.records)
    return template.render(
        source=source,
        paragraphs=pages,
        labels=labels,
        curator=curator,
        cited=cited,
        unnamed=sum(1 for p in pages for r, first in p.records if first and r.unnamed),
    )
