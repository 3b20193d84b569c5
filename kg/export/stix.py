"""The graph as a STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP).

* armed groups -> ``threat-actor``; people -> ``identity`` (individual);
  population groups -> ``identity`` (group); states, government bodies and
  other organisations -> ``identity`` (organization);
* places -> ``location``: a STIX region when the place is one (Europe), else
  the ISO 3166 code of the country it is or lies in (following
  ``kg:locatedIn``), else region ``unknown``;
  a state is both an identity and a location (same UUID), and a relationship
  uses its location when the relation's domain or range is ``kg:Place``;
* events -> ``incident``; documents and counts are not exported;
* facts -> ``relationship``: ``located-at``, ``targets`` and ``attributed-to``
  where STIX has the term, otherwise the kg relation in kebab-case
  (``allied-with``), a custom type as STIX allows; dates, confidence (0-100)
  and passages carried over;
* sources -> ``report`` whose ``object_refs`` are everything resting on it;
* claims -> ``note`` (never a relationship) whose ``object_refs`` are what the
  claim concerns and asserts, and the claims it disputes or supports.

Ids are UUIDv5 of the kg IRIs, and ``created``/``modified`` are the date of the
newest source, so the same graph gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

import pycountry
import stix2
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node
from stix2.v21.vocab import REGION

from kg import ontology
from kg.network import to_networkx
from kg.stores import as_iri
from kg.stores.memory import MemoryStore
from kg.vocab import BASE, KG, Namespaces

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
"""The UUIDv5 namespace of kg's STIX ids."""

SOURCE_NAME = "kg-armed-actors"
"""``source_name`` of the external references back to kg's IRIs."""

RELATIONSHIP_TYPES = {
    "basedIn": "located-at",
    "locatedIn": "located-at",
    "place": "located-at",
    "targets": "targets",
    "target": "targets",
    "perpetrator": "attributed-to",
}
"""kg relations with a STIX relationship type of their own; the rest are kebab-cased."""

_IDENTITY_CLASSES = {"Person": "individual", "PopulationGroup": "group"}


def stix_id(kind: str, iri: URIRef) -> str:
    """A deterministic STIX id: ``kind--`` and the UUIDv5 of the IRI."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, str(iri))}"


def relationship_type(relation: str) -> str:
    """The STIX relationship type of a kg relation: ``alliedWith`` -> ``allied-with``."""
    if relation in RELATIONSHIP_TYPES:
        return RELATIONSHIP_TYPES[relation]
    return re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), relation)


def country_code(names: Iterable[str]) -> str | None:
    """The ISO 3166-1 alpha-2 code of the first of ``names`` that names a country."""
    for name in names:
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            continue
    return None


def _period(date: Literal | None) -> tuple[dt.date, dt.date] | None:
    """First day of a dated period and the first day after it; None for no year."""
    if date is None or date.datatype == XSD.gMonthDay:
        return None
    parts = [int(p) for p in str(date).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)
    day = dt.date(*parts)
    return day, day + dt.timedelta(days=1)


def _iris(nodes: Iterable[Node]) -> Iterable[URIRef]:
    """``nodes``, which kg's model makes IRIs (a typing aid, not a check)."""
    return cast("Iterable[URIRef]", nodes)


def _date(node: Node | None) -> Literal | None:
    """A date, which kg's model makes a literal (a typing aid, not a check)."""
    return cast("Literal | None", node)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def _passages(graph: Graph, node: URIRef) -> list[dict[str, str]]:
    refs = []
    for passage in sorted(_iris(graph.objects(node, PROV.wasDerivedFrom))):
        name = str(passage)[len(str(Namespaces.of_graph(graph).src)) :]
        refs.append({"source_name": SOURCE_NAME, "external_id": name, "url": str(passage)})
    return refs


def _confidence(value: object) -> int | None:
    return None if value is None else round(float(str(value)) * 100)


def _kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Bundle:
    """Collects the STIX objects of one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ns = Namespaces.of_graph(graph)
        self.net = to_networkx(MemoryStore(graph), claims=False, events=True)
        source_dates = [_period(_date(graph.value(s, DCTERMS.date))) for s in graph.subjects(RDF.type, KG.Source)]
        starts = [p[0] for p in source_dates if p is not None]
        self.time = _timestamp(max(starts)) if starts else _timestamp(dt.date(1970, 1, 1))
        self.objects: dict[str, stix2.base._STIXBase] = {}
        self.refs: dict[str, str] = {}
        """kg id -> the STIX id of its main object"""
        self.places: dict[str, str] = {}
        """kg id -> the STIX id of its location"""
        self.by_source: dict[str, set[str]] = defaultdict(set)
        """source id -> STIX ids of the objects resting on it"""

    def common(self) -> dict[str, object]:
        """Properties every object shares: fixed timestamps, no custom properties."""
        return {"created": self.time, "modified": self.time, "allow_custom": False}

    def add(self, obj: stix2.base._STIXBase) -> str:
        self.objects[obj.id] = obj
        return obj.id

    # --- entities ---

    def classes(self, ident: str) -> set[str]:
        types = self.graph.objects(self.ns.id[ident], RDF.type)
        return {ontology.local(c) for c in _iris(types) if str(c).startswith(str(KG._NS))}

    def entities(self) -> None:
        for ident, attrs in sorted(self.net.nodes(data=True)):
            iri = self.ns.id[ident]
            classes = self.classes(ident)
            aliases = list(attrs["aliases"])
            base = {
                **self.common(),
                "name": attrs["label"],
                "external_references": [{"source_name": SOURCE_NAME, "external_id": ident, "url": str(iri)}],
            }
            description = attrs.get("description")
            if "ArmedGroup" in classes:
                self.refs[ident] = self.add(
                    stix2.ThreatActor(
                        id=stix_id("threat-actor", iri), aliases=aliases or None, description=description, **base
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
                    )
                )
            elif attrs["kind"] == "event":
                self.refs[ident] = self.add(
                    stix2.Incident(
                        id=stix_id("incident", iri), description=description, labels=[_kebab(attrs["type"])], **base
                    )
                )
                source = self.graph.value(iri, DCTERMS.source)
                if source is not None:
                    self.by_source[str(source)].add(self.refs[ident])
            if attrs["kind"] == "place" or "State" in classes:
                where = self.where(ident, attrs["label"])
                self.places[ident] = self.add(
                    stix2.Location(id=stix_id("location", iri), description=described, **where, **base)
                )
                self.refs.setdefault(ident, self.places[ident])

    def where(self, ident: str, label: str) -> dict[str, str]:
        """``region`` for a place named as a STIX region, else ``country``, else region unknown."""
        if _kebab(label) in REGION:
            return {"region": _kebab(label)}
        code = self.country(ident)
        return {"country": code} if code else {"region": "unknown"}

    def country(self, ident: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The country code of a state, or of the state a place lies in."""
        iri = self.ns.id[ident]
        if "State" in self.classes(ident):
            names = [str(self.graph.value(iri, RDFS.label))]
            names += sorted(str(a) for a in self.graph.objects(iri, SKOS.altLabel))
            return country_code(names)
        for parent in sorted(_iris(self.graph.objects(iri, KG.locatedIn))):
            name = str(parent)[len(str(self.ns.id)) :]
            if name not in seen:
                code = self.country(name, seen | {ident})
                if code:
                    return code
        return None

    def end(self, ident: str, relation: str, role: URIRef) -> str | None:
        """The STIX object for one end of a relation: a state's location where a place is meant."""
        prop = ontology.relations()[relation]
        if ident in self.places and ontology.ontology_graph().value(prop, role) == KG.Place:
            return self.places[ident]
        return self.refs.get(ident)

    # --- facts ---

    def facts(self) -> None:
        for source, target, key, attrs in sorted(self.net.edges(keys=True, data=True), key=lambda e: e[2]):
            relation = attrs["relation"]
            source_ref, target_ref = self.end(source, relation, RDFS.domain), self.end(target, relation, RDFS.range)
            if source_ref is None or target_ref is None:
                continue  # an end kg does not export to STIX (a document)
            statement = self.ns.stmt[key]
            times = {}
            start = _period(
                _date(self.graph.value(statement, KG.startDate) or self.graph.value(statement, DCTERMS.date))
            )
            stop = _period(_date(self.graph.value(statement, KG.endDate) or self.graph.value(statement, DCTERMS.date)))
            if start:
                times["start_time"] = _timestamp(start[0])
            if stop and (not start or stop[1] > start[0]):
                times["stop_time"] = _timestamp(stop[1])
            notes = [f"Role: {attrs['role']}." if "role" in attrs else None, attrs.get("note")]
            description = " ".join(n for n in notes if n) or None
            rel = stix2.Relationship(
                id=stix_id("relationship", statement),
                relationship_type=relationship_type(relation),
                source_ref=source_ref,
                target_ref=target_ref,
                description=description,
                confidence=_confidence(attrs.get("confidence")),
                external_references=_passages(self.graph, statement),
                **times,
                **self.common(),
            )
            self.add(rel)
            self.by_source[str(self.ns.src[attrs["source"]])].update([rel.id, source_ref, target_ref])

    # --- claims ---

    def label(self, node: Node) -> str:
        return str(self.graph.value(node, RDFS.label) or node)

    def claims(self) -> None:
        graph = self.graph
        for claim in sorted(_iris(graph.subjects(RDF.type, KG.Claim))):
            kinds = sorted(
                ontology.local(c).lower()
                for c in _iris(graph.objects(claim, RDF.type))
                if c != KG.Claim and str(c).startswith(str(KG._NS))
            )
            disputed = (None, KG.disputes, claim) in graph
            refs: set[str] = set()
            asserted = []
            for content in sorted(_iris(graph.objects(claim, KG.asserts))):
                s, p, o = (
                    as_iri(graph.value(content, RDF.subject)),
                    as_iri(graph.value(content, RDF.predicate)),
                    as_iri(graph.value(content, RDF.object)),
                )
                relation = ontology.local(p)
                local = [str(x)[len(str(self.ns.id)) :] for x in (s, o)]
                refs.update(
                    r
                    for r in (self.end(local[0], relation, RDFS.domain), self.end(local[1], relation, RDFS.range))
                    if r
                )
                asserted.append(f"{self.label(s)} {self.label(p)} {self.label(o)}")
            for entity in graph.objects(claim, KG.concerns):
                ref = self.refs.get(str(entity)[len(str(self.ns.id)) :])
                if ref:
                    refs.add(ref)
            for other in _iris((*graph.objects(claim, KG.disputes), *graph.objects(claim, KG.supportsClaim))):
                refs.add(stix_id("note", other))
            claimants = sorted(_iris(graph.objects(claim, PROV.wasAttributedTo)))
            if not refs:
                refs.update(r for r in (self.refs.get(str(c)[len(str(self.ns.id)) :]) for c in claimants) if r)
            lines = [str(graph.value(claim, DCTERMS.description))]
            lines += [f"Asserts (a claim, not a fact): {a}." for a in asserted]
            lines += [f"Disputes: {self.label(o)}" for o in sorted(_iris(graph.objects(claim, KG.disputes)))]
            lines += [f"Disputed by: {self.label(o)}" for o in sorted(_iris(graph.subjects(KG.disputes, claim)))]
            date = graph.value(claim, DCTERMS.date)
            if date is not None:
                lines.append(f"Date: {date}.")
            for prop, name in ((KG.reportedBy, "Reported by"), (KG.reportedVia, "Via"), (KG.statedIn, "Stated in")):
                for value in sorted(_iris(graph.objects(claim, prop))):
                    lines.append(f"{name}: {self.label(value)}.")
            note = stix2.Note(
                id=stix_id("note", claim),
                abstract=self.label(claim),
                content="\n".join(lines),
                authors=sorted(self.label(c) for c in claimants) or None,
                object_refs=sorted(refs),
                labels=["claim", *kinds] + (["disputed"] if disputed else []),
                confidence=_confidence(graph.value(claim, KG.confidence)),
                external_references=_passages(graph, claim),
                **self.common(),
            )
            self.add(note)
            source = graph.value(claim, DCTERMS.source)
            if source is not None:
                self.by_source[str(source)].update([note.id, *refs])

    # --- sources ---

    def sources(self) -> None:
        graph = self.graph
        for source in sorted(_iris(graph.subjects(RDF.type, KG.Source))):
            refs = set(self.by_source.get(str(source), ()))
            for prop in (DCTERMS.publisher, DCTERMS.creator):
                for who in graph.objects(source, prop):
                    ref = self.refs.get(str(who)[len(str(self.ns.id)) :])
                    if ref:
                        refs.add(ref)
            if not refs:
                continue
            period = _period(_date(graph.value(source, DCTERMS.date)))
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
                    published=_timestamp(period[0]) if period else self.time,
                    object_refs=sorted(refs),
                    external_references=[reference],
                    **self.common(),
                )
            )

    def bundle(self) -> dict[str, object]:
        objects = [json.loads(self.objects[key].serialize()) for key in sorted(self.objects)]
        return {"type": "bundle", "id": stix_id("bundle", URIRef(self.ns.base + "stix")), "objects": objects}


def _also_known_as(description: str | None, aliases: list[str]) -> str | None:
    """STIX identities and locations have no aliases: name them in the description."""
    if not aliases:
        return description
    known = f"Also known as: {', '.join(aliases)}."
    return f"{description} {known}" if description else known


def bundle(graph: Graph) -> dict[str, object]:
    """The STIX 2.1 bundle of the graph, as a JSON-ready dict with objects sorted by id."""
    collected = _Bundle(graph)
    collected.entities()
    collected.facts()
    collected.claims()
    collected.sources()
    return collected.bundle()


def to_stix(graph: Graph) -> bytes:
    """The bundle as JSON: sorted keys, two-space indent, UTF-8."""
    return (json.dumps(bundle(graph), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
