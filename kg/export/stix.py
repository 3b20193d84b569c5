"""The graph as a STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP).

* armed groups -> ``threat-actor``; people -> ``identity`` (individual);
  population groups -> ``identity`` (group); unnamed sources -> ``identity``
  (unknown); states, government bodies and other organisations -> ``identity``
  (organization);
* places -> ``location``: a STIX region when the place is one (Europe), else
  the ISO 3166 code of the country it is or lies in (following
  ``kg:locatedIn``), else region ``unknown``;
  a state is both an identity and a location (same UUID), and a relationship
  uses its location when the relation's domain or range is ``kg:Place``;
* events -> ``incident`` with ``first_seen``/``last_seen`` from their dates, their
  figures by the count rules (:func:`totals`) and the claims disputing them;
  documents and counts are not objects of their own;
* facts -> ``relationship`` of the type STIX 2.1 defines between the two objects'
  types (:data:`SPEC_RELATIONSHIPS`: ``located-at``, ``targets``), else
  ``related-to``; kg's own relation is ``x_kg_relation``; dates, confidence
  (0-100), passages, status (``x_kg_status``) and curator's knowledge carried over;
* sources -> ``report`` whose ``object_refs`` are everything resting on it;
* claims -> ``note`` (never a relationship) whose ``object_refs`` are what the
  claim concerns and asserts, and the claims or events it disputes or supports.

kg's custom properties (``first_seen``, ``last_seen``, ``x_kg_*``) are declared by
one ``extension-definition`` (a STIX 2.1 top-level property extension) that each
object using them names. Ids are UUIDv5 of the kg IRIs. ``created`` and
``modified`` come from the object's own data (:meth:`_Bundle.stamps`): the date
of the source it rests on (and, for ``modified``, of the sources that added to
it since: a dispute, a figure), or :data:`EPOCH` for what rests on no dated
source; so adding a source changes only the objects it adds to, and the same
graph gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pycountry
import stix2
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node
from stix2.v21.vocab import REGION

from kg import figures as rules
from kg import ontology
from kg.network import node_attributes
from kg.stores import as_iri, values
from kg.stores.memory import MemoryStore
from kg.vocab import BASE, KG, Namespaces

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
"""The UUIDv5 namespace of kg's STIX ids."""

SOURCE_NAME = "kg-armed-actors"
"""``source_name`` of the external references back to kg's IRIs."""

EPOCH = dt.date(1970, 1, 1)
"""``created`` and ``modified`` of what rests on no dated source (the registry, kg's own objects)."""

RELATIONSHIP_TYPES = {
    "basedIn": "located-at",
    "locatedIn": "located-at",
    "place": "located-at",
    "targets": "targets",
    "target": "targets",
}
"""kg relations and the STIX relationship type that says the same, where STIX allows it."""

SPEC_RELATIONSHIPS: dict[tuple[str, str], frozenset[str]] = {
    ("identity", "located-at"): frozenset({"location"}),
    ("threat-actor", "located-at"): frozenset({"location"}),
    ("threat-actor", "targets"): frozenset({"identity", "location"}),
}
"""STIX 2.1's relationships (source type, type) -> target types, among the types kg emits and
the types of :data:`RELATIONSHIP_TYPES`. STIX defines none from an incident or a location but
the common ``related-to``; ``attributed-to`` links only campaigns and intrusion sets."""

EXTENSION = f"extension-definition--{uuid.uuid5(NAMESPACE, BASE + 'stix/extension')}"
"""The id of the extension definition of kg's custom properties."""

EXTENSION_VERSION = "1.0.0"
EXTENSION_DATE = dt.date(2026, 12, 1)
"""The version of the extension definition and the day it was made: change both whenever
:data:`PROPERTIES` changes, so that a platform takes the new definition for a new version."""

PRODUCER = f"identity--{uuid.uuid5(NAMESPACE, BASE)}"
"""The id of kg itself, the ``created_by_ref`` of its extension definition."""

PROPERTIES = {
    "first_seen": "incident: the first instant of the event's first date (at its precision)",
    "last_seen": "incident: the last millisecond of the event's last date (at its precision)",
    "x_kg_date_precision": "incident: day, month, year or month-day",
    "x_kg_counts": "incident: every count its record reports, as reported: id, measure, value or "
    "minimum and maximum, approximate, subset and subset_of, item, side, status, the labels of "
    "party, reported_by, via, taken_by and taken_from (with their STIX ids as *_ref), text, passages",
    "x_kg_totals": "incident: per measure (and item), the total over sides and parties of the "
    "range over reporters of the non-subset counts: low, high, at_least, text",
    "x_kg_disputed_by_refs": "incident: the notes of the claims that dispute the event",
    "x_kg_relation": "relationship: the kg relation (alliedWith, perpetrator...)",
    "x_kg_status": "relationship: suspected, alleged or confirmed, when the source qualifies the tie",
    "x_kg_curator_knowledge": "relationship: why the curator holds it, for a fact no paragraph states",
    "x_kg_claimant_refs": "note: who made the claim",
    "x_kg_reported_by_ref": "note: the outlet or body that reported the claim",
    "x_kg_reported_via_ref": "note: the intermediary that outlet cites",
}
"""kg's custom properties and what each holds (the extension definition's schema)."""

_CUSTOM = {"extensions": {EXTENSION: {"extension_type": "toplevel-property-extension"}}}

_SPO = (RDF.subject, RDF.predicate, RDF.object)

_IDENTITY_CLASSES = {"Person": "individual", "PopulationGroup": "group", "UnnamedSource": "unknown"}


def stix_id(kind: str, iri: URIRef) -> str:
    """A deterministic STIX id: ``kind--`` and the UUIDv5 of the IRI."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, str(iri))}"


def relationship_type(relation: str, source_type: str, target_type: str) -> str:
    """The STIX type of a kg relation between two object types: ``located-at``, ``targets``
    where STIX 2.1 defines it for those types, else ``related-to``."""
    stix = RELATIONSHIP_TYPES.get(relation)
    if stix and target_type in SPEC_RELATIONSHIPS.get((source_type, stix), frozenset()):
        return stix
    return "related-to"


def country_code(names: Iterable[str]) -> str | None:
    """The ISO 3166-1 alpha-2 code of the first of ``names`` that names a country."""
    for name in names:
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            continue
    return None


def _period(
    date: Literal | None, node: Node | None = None, prop: URIRef = DCTERMS.date
) -> tuple[dt.date, dt.date] | None:
    """First day of a dated period (``node``'s ``prop``) and the first day after it; None for no year."""
    date = values.date_literal(date, node, prop)
    if date is None or date.datatype == XSD.gMonthDay:
        return None
    parts = values.date_parts(date, node, prop)
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)
    day = dt.date(*parts)
    return day, day + dt.timedelta(days=1)


def _when(graph: Graph, node: URIRef, prop: URIRef) -> tuple[Literal | None, URIRef, URIRef]:
    """``node``'s ``prop`` (a start or end date), else its ``dcterms:date``, with the property read."""
    found = graph.value(node, prop)
    if found is None:
        prop, found = DCTERMS.date, graph.value(node, DCTERMS.date)
    return _date(found), node, prop


def _iris(nodes: Iterable[Node]) -> Iterable[URIRef]:
    """``nodes``, which kg's model makes IRIs (a typing aid, not a check)."""
    return cast("Iterable[URIRef]", nodes)


def _date(node: Node | None) -> Literal | None:
    """A date, which kg's model makes a literal (a typing aid, not a check)."""
    return cast("Literal | None", node)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def _last_instant(after: dt.date) -> str:
    """The last millisecond before the day ``after``."""
    return f"{(after - dt.timedelta(days=1)).isoformat()}T23:59:59.999Z"


def _passage_names(graph: Graph, node: URIRef) -> list[str]:
    prefix = str(Namespaces.of_graph(graph).src)
    return [str(p)[len(prefix) :] for p in sorted(_iris(graph.objects(node, PROV.wasDerivedFrom)))]


def _passages(graph: Graph, node: URIRef) -> list[dict[str, str]]:
    base = str(Namespaces.of_graph(graph).src)
    return [{"source_name": SOURCE_NAME, "external_id": n, "url": base + n} for n in _passage_names(graph, node)]


def _confidence(value: Node | None, node: Node) -> int | None:
    return None if value is None else round(values.decimal(value, node, KG.confidence) * 100)


def _kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- figures: the count rules ---


@dataclass(frozen=True)
class Figure:
    """One count an event's record reports, as reported."""

    count: URIRef
    measure: str
    side: str | None = None
    party: URIRef | None = None
    value: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    approximate: bool = False
    subset: bool = False
    subset_of: URIRef | None = None
    reported_by: URIRef | None = None
    via: URIRef | None = None
    taken_by: URIRef | None = None
    taken_from: URIRef | None = None
    item: str | None = None
    status: str | None = None
    source: URIRef | None = None

    @property
    def numbers(self) -> rules.Figure:
        """What the count rules (:mod:`kg.figures`) read of it."""
        return rules.Figure(
            side=self.side,
            party=_text(self.party),
            value=self.value,
            minimum=self.minimum,
            maximum=self.maximum,
            reporter=_text(self.reported_by),
            taken_by=_text(self.taken_by),
            taken_from=_text(self.taken_from),
            approximate=self.approximate,
        )

    @property
    def text(self) -> str:
        """As reported: ``7``, ``6000-7000``, ``≥7``, with ``about`` for an estimate."""
        return self.numbers.shown(about="about ")


@dataclass(frozen=True)
class Total:
    """An event's figure for one measure (and item): a range over reporters, summed over sides."""

    measure: str
    item: str | None
    low: int
    high: int
    at_least: bool
    figures: tuple[Figure, ...]
    """the non-subset counts it rests on"""

    @property
    def text(self) -> str:
        """``7``, ``4-5``, or ``≥7`` when an at-least figure set the high."""
        return str(rules.Total(self.low, self.high, self.at_least))


def figures(graph: Graph, node: URIRef) -> list[Figure]:
    """The counts ``node`` (an event) carries, sorted by their IRIs."""
    return [_figure(graph, count) for count in sorted(_iris(graph.objects(node, KG.reportedCount)))]


def _figure(graph: Graph, count: URIRef) -> Figure:
    """One ``kg:ReportedCount`` node as a :class:`Figure`."""

    def ref(prop: URIRef) -> URIRef | None:
        return cast("URIRef | None", graph.value(count, prop))

    def number(prop: URIRef) -> int | None:
        value = graph.value(count, prop)
        return None if value is None else values.integer(value, count, prop)

    side, status, item = ref(KG.side), ref(KG.status), graph.value(count, KG.item)
    return Figure(
        count=count,
        measure=ontology.local(as_iri(graph.value(count, KG.measure))),
        side=str(graph.value(side, RDFS.label)) if side is not None else None,
        party=ref(KG.party),
        value=number(RDF.value),
        minimum=number(KG.minValue),
        maximum=number(KG.maxValue),
        approximate=bool(graph.value(count, KG.approximate)),
        subset=bool(graph.value(count, KG.subset)) or ref(KG.subsetOf) is not None,
        subset_of=ref(KG.subsetOf),
        reported_by=ref(KG.reportedBy),
        via=ref(KG.reportedVia),
        taken_by=ref(KG.takenBy),
        taken_from=ref(KG.takenFrom),
        item=str(item) if item is not None else None,
        status=ontology.local(status) if status is not None else None,
        source=ref(DCTERMS.source),
    )


def totals(found: Iterable[Figure]) -> list[Total]:
    """The event's figures by the count rules of :func:`kg.figures.total`, per measure and item."""
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in found:
        if not figure.subset and figure.numbers.low is not None:
            groups[(figure.measure, figure.item or "")].append(figure)
    result = []
    for (measure, item), used in sorted(groups.items()):
        summed = rules.total(f.numbers for f in used)
        if summed is not None:
            ordered = tuple(sorted(used, key=lambda f: f.count))
            result.append(Total(measure, item or None, summed.low, summed.high, summed.at_least, ordered))
    return result


def _text(term: URIRef | None) -> str | None:
    return None if term is None else str(term)


class _Bundle:
    """Collects the STIX objects of one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ns = Namespaces.of_graph(graph)
        self.nodes = node_attributes(MemoryStore(graph))
        self.days: dict[Node, dt.date] = {}
        """source -> the first day of its date"""
        for source in graph.subjects(RDF.type, KG.Source):
            period = _period(_date(graph.value(source, DCTERMS.date)), source)
            if period is not None:
                self.days[source] = period[0]
        self.objects: dict[str, stix2.base._STIXBase] = {}
        self.refs: dict[str, str] = {}
        """kg id -> the STIX id of its main object"""
        self.places: dict[str, str] = {}
        """kg id -> the STIX id of its location"""
        self.by_source: dict[str, set[str]] = defaultdict(set)
        """source IRI -> STIX ids of the objects resting on it"""

    def stamps(self, own: Node | None, others: Iterable[Node | None] = ()) -> dict[str, object]:
        """``created``: the day of the source ``own`` (or :data:`EPOCH`); ``modified``: the
        latest of it and the days of ``others``, the sources that added to the object."""
        created = self.days.get(own, EPOCH) if own is not None else EPOCH
        modified = max([created, *(self.days.get(o, EPOCH) for o in others if o is not None)])
        return {"created": _timestamp(created), "modified": _timestamp(modified), "allow_custom": False}

    def add(self, obj: stix2.base._STIXBase) -> str:
        self.objects[obj.id] = obj
        return obj.id

    def local(self, node: Node) -> str:
        return str(node)[len(str(self.ns.id)) :]

    def label(self, node: Node) -> str:
        return str(self.graph.value(node, RDFS.label) or node)

    # --- kg itself ---

    def producer(self) -> None:
        """kg as an identity, and the extension definition of its custom properties."""
        self.add(
            stix2.Identity(
                id=PRODUCER,
                name="kg",
                identity_class="system",
                description="kg, the tool that built this bundle from a source-backed knowledge graph.",
                created=_timestamp(EPOCH),
                modified=_timestamp(EPOCH),
            )
        )
        schema = "Top-level properties kg adds to STIX 2.1 objects:\n" + "\n".join(
            f"{name}: {meaning}." for name, meaning in sorted(PROPERTIES.items())
        )
        self.add(
            stix2.ExtensionDefinition(
                id=EXTENSION,
                created_by_ref=PRODUCER,
                name="kg properties",
                description="What kg knows beyond STIX 2.1: its own relations, figures, qualifiers and disputes.",
                schema=schema,
                version=EXTENSION_VERSION,
                extension_types=["toplevel-property-extension"],
                extension_properties=sorted(PROPERTIES),
                created=_timestamp(EXTENSION_DATE),
                modified=_timestamp(EXTENSION_DATE),
            )
        )

    # --- entities ---

    def classes(self, ident: str) -> set[str]:
        types = self.graph.objects(self.ns.id[ident], RDF.type)
        return {ontology.local(c) for c in _iris(types) if str(c).startswith(str(KG._NS))}

    def entities(self) -> None:
        for ident, attrs in sorted(self.nodes.items()):
            iri = self.ns.id[ident]
            classes = self.classes(ident)
            aliases = list(cast("tuple[str, ...]", attrs["aliases"]))
            base = {
                "name": attrs["label"],
                "external_references": [{"source_name": SOURCE_NAME, "external_id": ident, "url": str(iri)}],
            }
            description = cast("str | None", attrs.get("description"))
            if "ArmedGroup" in classes:
                self.refs[ident] = self.add(
                    stix2.ThreatActor(
                        id=stix_id("threat-actor", iri),
                        aliases=aliases or None,
                        description=description,
                        **base,
                        **self.stamps(None),
                    )
                )
                continue
            described = _also_known_as(description, aliases)
            if attrs["kind"] == "actor":
                identity_class = next((v for k, v in _IDENTITY_CLASSES.items() if k in classes), "organization")
                sectors = (
                    ["government-national"]
                    if "State" in classes
                    else (["government"] if "GovernmentBody" in classes else None)
                )
                self.refs[ident] = self.add(
                    stix2.Identity(
                        id=stix_id("identity", iri),
                        identity_class=identity_class,
                        sectors=sectors,
                        description=described,
                        **base,
                        **self.stamps(None),
                    )
                )
            elif attrs["kind"] == "event":
                self.refs[ident] = stix_id("incident", iri)
            if attrs["kind"] == "place" or "State" in classes:
                where, sources = self.where(ident, str(attrs["label"]))
                self.places[ident] = self.add(
                    stix2.Location(
                        id=stix_id("location", iri),
                        description=described,
                        **where,
                        **base,
                        **self.stamps(None, sources),
                    )
                )
                self.refs.setdefault(ident, self.places[ident])

    def where(self, ident: str, label: str) -> tuple[dict[str, str], set[Node]]:
        """``region`` for a place named as a STIX region, else ``country``, else region unknown;
        and the sources of the ``kg:locatedIn`` facts that gave the country."""
        if _kebab(label) in REGION:
            return {"region": _kebab(label)}, set()
        code, sources = self.country(ident)
        return ({"country": code} if code else {"region": "unknown"}), sources

    def country(self, ident: str, seen: frozenset[str] = frozenset()) -> tuple[str | None, set[Node]]:
        """The country code of a state, or of the state a place lies in, and the sources
        of the ``kg:locatedIn`` facts followed to it."""
        iri = self.ns.id[ident]
        if "State" in self.classes(ident):
            names = [str(self.graph.value(iri, RDFS.label))]
            names += sorted(str(a) for a in self.graph.objects(iri, SKOS.altLabel))
            return country_code(names), set()
        for parent in sorted(_iris(self.graph.objects(iri, KG.locatedIn))):
            name = self.local(parent)
            if name not in seen:
                code, sources = self.country(name, seen | {ident})
                if code:
                    return code, sources | self.fact_sources(iri, KG.locatedIn, parent)
        return None, set()

    def fact_sources(self, s: URIRef, p: URIRef, o: URIRef) -> set[Node]:
        """The sources of the fact nodes of the triple (s, p, o)."""
        graph = self.graph
        return {
            source
            for st in graph.subjects(RDF.subject, s)
            if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph
            for source in graph.objects(st, DCTERMS.source)
        }

    def end(self, ident: str, relation: str, role: URIRef) -> str | None:
        """The STIX object for one end of a relation: a state's location where a place is meant."""
        prop = ontology.relations()[relation]
        if ident in self.places and ontology.ontology_graph().value(prop, role) == KG.Place:
            return self.places[ident]
        return self.refs.get(ident)

    # --- events ---

    def incidents(self) -> None:
        graph = self.graph
        for ident, attrs in sorted(self.nodes.items()):
            if attrs["kind"] != "event":
                continue
            iri = self.ns.id[ident]
            source = graph.value(iri, DCTERMS.source)
            found = figures(graph, iri)
            summed = totals(found)
            disputes = sorted(_iris(graph.subjects(KG.disputes, iri)))
            custom: dict[str, object] = {**self.seen(iri)}
            if found:
                custom["x_kg_counts"] = [self.count(f) for f in found]
                custom["x_kg_totals"] = [_total(t) for t in summed]
            if disputes:
                custom["x_kg_disputed_by_refs"] = [stix_id("note", c) for c in disputes]
            lines = [cast("str | None", attrs.get("description")), self.figure_line(summed)]
            incident = stix2.Incident(
                id=self.refs[ident],
                name=attrs["label"],
                description=" ".join(line for line in lines if line) or None,
                labels=[_kebab(str(attrs["type"]))] + (["disputed"] if disputes else []),
                external_references=[{"source_name": SOURCE_NAME, "external_id": ident, "url": str(iri)}],
                **(_CUSTOM if custom else {}),
                **custom,
                **self.stamps(source, [f.source for f in found] + [graph.value(c, DCTERMS.source) for c in disputes]),
            )
            self.add(incident)
            if source is not None:
                self.by_source[str(source)].add(incident.id)

    def seen(self, iri: URIRef) -> dict[str, str]:
        """``first_seen`` and ``last_seen`` of an event with a year, and its date precision."""
        graph = self.graph
        first = _period(*_when(graph, iri, KG.startDate))
        last = _period(*_when(graph, iri, KG.endDate))
        seen = {}
        if first:
            seen["first_seen"] = _timestamp(first[0])
        if last:
            seen["last_seen"] = _last_instant(last[1])
        precision = graph.value(iri, KG.datePrecision)
        if seen and precision is not None:
            seen["x_kg_date_precision"] = str(precision)
        return seen

    def count(self, figure: Figure) -> dict[str, object]:
        """One count as a JSON object: what it says, who said it, and its passages."""
        out: dict[str, object] = {"id": str(figure.count)[len(str(self.ns.stmt)) :], "measure": figure.measure}
        for key in ("value", "minimum", "maximum", "item", "side", "status"):
            if getattr(figure, key) is not None:
                out[key] = getattr(figure, key)
        for key in ("approximate", "subset"):
            if getattr(figure, key):
                out[key] = True
        if figure.subset_of is not None:
            out["subset_of"] = str(figure.subset_of)[len(str(self.ns.stmt)) :]
        for key in ("party", "reported_by", "via", "taken_by", "taken_from"):
            who = getattr(figure, key)
            if who is not None:
                out[key] = self.label(who)
                ref = self.refs.get(self.local(who))
                if ref:
                    out[f"{key}_ref"] = ref
        out["text"] = figure.text
        out["passages"] = _passage_names(self.graph, figure.count)
        return out

    def figure_line(self, found: list[Total]) -> str | None:
        """``Figures: 4-5 detained: Border Service 5, Interior Ministry 4; 3 killed.``, each
        reporter's figure named where they differ (with whose people, where several sides are summed)."""
        parts = []
        for total in found:
            measure = str(ontology.ontology_graph().value(KG[total.measure], RDFS.label) or total.measure)
            part = f"{total.text} {measure}" + (f" ({total.item})" if total.item else "")
            sides = {(f.side, f.party, f.taken_by, f.taken_from) for f in total.figures}
            if len({f.text for f in total.figures}) > 1:
                given = [
                    f"{self.reporter(f)} {f.text}" + (self.whose(f) if len(sides) > 1 else "") for f in total.figures
                ]
                part += ": " + ", ".join(given)
            parts.append(part)
        return f"Figures: {'; '.join(parts)}." if parts else None

    def whose(self, figure: Figure) -> str:
        """`` (perpetrators, suspected Red Hand)``: the side and party a figure counts (or, with no
        party, `` (suspected)``: the counted people are suspected of being what they are counted as)."""
        party = self.label(figure.party) if figure.party is not None else None
        if figure.status:
            party = f"{figure.status} {party}" if party else figure.status
        named = [x for x in (figure.side, party) if x]
        return f" ({', '.join(named)})" if named else ""

    def reporter(self, figure: Figure) -> str:
        """Who gave a figure: its reporter, else the outlet of its source."""
        who = figure.reported_by or (self.graph.value(figure.source, DCTERMS.publisher) if figure.source else None)
        return self.label(who) if who is not None else "unattributed"

    # --- facts ---

    def facts(self) -> None:
        graph = self.graph
        for statement in sorted(_iris(graph.subjects(RDF.type, KG.Fact))):
            subject, predicate, obj = (as_iri(graph.value(statement, p)) for p in _SPO)
            relation = ontology.local(predicate)
            source_ref = self.end(self.local(subject), relation, RDFS.domain)
            target_ref = self.end(self.local(obj), relation, RDFS.range)
            if source_ref is None or target_ref is None:
                continue  # an end kg does not export to STIX (a document)
            times = {}
            start = _period(*_when(graph, statement, KG.startDate))
            stop = _period(*_when(graph, statement, KG.endDate))
            if start:
                times["start_time"] = _timestamp(start[0])
            if stop and (not start or stop[1] > start[0]):
                times["stop_time"] = _timestamp(stop[1])
            custom: dict[str, object] = {"x_kg_relation": relation}
            status = graph.value(statement, KG.status)
            if status is not None:
                custom["x_kg_status"] = ontology.local(as_iri(status))
            why = graph.value(statement, SKOS.editorialNote)
            if graph.value(statement, KG.basis) == KG.curatorKnowledge:
                custom["x_kg_curator_knowledge"] = str(why or "")
            role, note = graph.value(statement, KG.roleTitle), graph.value(statement, SKOS.note)
            notes = [
                f"Role: {role}." if role is not None else None,
                str(note) if note is not None else None,
                f"Status: {custom['x_kg_status']}." if "x_kg_status" in custom else None,
                f"Curator's knowledge: {str(why).rstrip('.')}." if "x_kg_curator_knowledge" in custom else None,
            ]
            source = graph.value(statement, DCTERMS.source)
            rel = stix2.Relationship(
                id=stix_id("relationship", statement),
                relationship_type=relationship_type(relation, source_ref.split("--")[0], target_ref.split("--")[0]),
                source_ref=source_ref,
                target_ref=target_ref,
                description=" ".join(n for n in notes if n) or None,
                confidence=_confidence(graph.value(statement, KG.confidence), statement),
                external_references=_passages(graph, statement) or None,
                **times,
                **_CUSTOM,
                **custom,
                **self.stamps(source),
            )
            self.add(rel)
            if source is not None:
                self.by_source[str(source)].update([rel.id, source_ref, target_ref])

    # --- claims ---

    def claims(self) -> None:
        graph = self.graph
        for claim in sorted(_iris(graph.subjects(RDF.type, KG.Claim))):
            kinds = sorted(
                ontology.local(c).lower()
                for c in _iris(graph.objects(claim, RDF.type))
                if c != KG.Claim and str(c).startswith(str(KG._NS))
            )
            disputed_by = sorted(_iris(graph.subjects(KG.disputes, claim)))
            refs: set[str] = set()
            asserted = []
            for content in sorted(_iris(graph.objects(claim, KG.asserts))):
                s, p, o = (as_iri(graph.value(content, x)) for x in _SPO)
                relation = ontology.local(p)
                ends = (self.end(self.local(s), relation, RDFS.domain), self.end(self.local(o), relation, RDFS.range))
                refs.update(r for r in ends if r)
                asserted.append(f"{self.label(s)} {self.label(p)} {self.label(o)}")
            for entity in graph.objects(claim, KG.concerns):
                ref = self.refs.get(self.local(entity))
                if ref:
                    refs.add(ref)
            for other in _iris((*graph.objects(claim, KG.disputes), *graph.objects(claim, KG.supportsClaim))):
                ref = (
                    stix_id("note", other) if (other, RDF.type, KG.Claim) in graph else self.refs.get(self.local(other))
                )
                if ref:
                    refs.add(ref)
            claimants = sorted(_iris(graph.objects(claim, PROV.wasAttributedTo)))
            claimant_refs = sorted(r for r in (self.refs.get(self.local(c)) for c in claimants) if r)
            if not refs:
                refs.update(claimant_refs)
            lines = [str(graph.value(claim, DCTERMS.description))]
            lines += [f"Asserts (a claim, not a fact): {a}." for a in asserted]
            lines += [f"Disputes: {self.label(o)}" for o in sorted(_iris(graph.objects(claim, KG.disputes)))]
            lines += [f"Disputed by: {self.label(o)}" for o in disputed_by]
            date = graph.value(claim, DCTERMS.date)
            if date is not None:
                lines.append(f"Date: {date}.")
            for prop, name in ((KG.reportedBy, "Reported by"), (KG.reportedVia, "Via"), (KG.statedIn, "Stated in")):
                for value in sorted(_iris(graph.objects(claim, prop))):
                    lines.append(f"{name}: {self.label(value)}.")
            custom: dict[str, object] = {}
            if claimant_refs:
                custom["x_kg_claimant_refs"] = claimant_refs
            for prop, key in ((KG.reportedBy, "x_kg_reported_by_ref"), (KG.reportedVia, "x_kg_reported_via_ref")):
                who = graph.value(claim, prop)
                if who is not None and self.local(who) in self.refs:
                    custom[key] = self.refs[self.local(who)]
            source = graph.value(claim, DCTERMS.source)
            note = stix2.Note(
                id=stix_id("note", claim),
                abstract=self.label(claim),
                content="\n".join(lines),
                authors=sorted(self.label(c) for c in claimants) or None,
                object_refs=sorted(refs),
                labels=["claim", *kinds] + (["disputed"] if disputed_by else []),
                confidence=_confidence(graph.value(claim, KG.confidence), claim),
                external_references=_passages(graph, claim),
                **(_CUSTOM if custom else {}),
                **custom,
                **self.stamps(source, [graph.value(c, DCTERMS.source) for c in disputed_by]),
            )
            self.add(note)
            if source is not None:
                self.by_source[str(source)].update([note.id, *refs])

    # --- sources ---

    def sources(self) -> None:
        graph = self.graph
        for source in sorted(_iris(graph.subjects(RDF.type, KG.Source))):
            refs = set(self.by_source.get(str(source), ()))
            for prop in (DCTERMS.publisher, DCTERMS.creator):
                for who in graph.objects(source, prop):
                    ref = self.refs.get(self.local(who))
                    if ref:
                        refs.add(ref)
            if not refs:
                continue
            outlet = graph.value(source, DCTERMS.publisher)
            reference = {
                "source_name": self.label(outlet) if outlet else SOURCE_NAME,
                "external_id": str(graph.value(source, DCTERMS.identifier)),
                "url": str(source),
            }
            note = graph.value(source, SKOS.note)
            self.add(
                stix2.Report(
                    id=stix_id("report", source),
                    name=self.label(source),
                    description=str(note) if note else None,
                    report_types=["threat-report"],
                    published=_timestamp(self.days.get(source, EPOCH)),
                    object_refs=sorted(refs),
                    external_references=[reference],
                    **self.stamps(source),
                )
            )

    def bundle(self) -> dict[str, object]:
        objects = [json.loads(self.objects[key].serialize()) for key in sorted(self.objects)]
        return {"type": "bundle", "id": stix_id("bundle", URIRef(self.ns.base + "stix")), "objects": objects}


def _total(total: Total) -> dict[str, object]:
    out: dict[str, object] = {"measure": total.measure, "low": total.low, "high": total.high}
    if total.item:
        out["item"] = total.item
    if total.at_least:
        out["at_least"] = True
    out["text"] = total.text
    return out


def _also_known_as(description: str | None, aliases: list[str]) -> str | None:
    """STIX identities and locations have no aliases: name them in the description."""
    if not aliases:
        return description
    known = f"Also known as: {', '.join(aliases)}."
    return f"{description} {known}" if description else known


def bundle(graph: Graph) -> dict[str, object]:
    """The STIX 2.1 bundle of the graph, as a JSON-ready dict with objects sorted by id."""
    collected = _Bundle(graph)
    collected.producer()
    collected.entities()
    collected.incidents()
    collected.facts()
    collected.claims()
    collected.sources()
    return collected.bundle()


def to_stix(graph: Graph) -> bytes:
    """The bundle as JSON: sorted keys, two-space indent, UTF-8."""
    return (json.dumps(bundle(graph), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
