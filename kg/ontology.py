"""What the ontology allows: entity, event and claim types, relations, measures and sides.

Read from ``ontology/kg.ttl`` so that the seeds, the validator and the vocabulary
cannot disagree about which terms exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from kg import resources
from kg.vocab import KG

SIDES: dict[str, URIRef] = {
    "perpetrators": KG.perpetratorSide,
    "targets": KG.targetSide,
    "responders": KG.responderSide,
    "civilians": KG.civilianSide,
    "all": KG.allSides,
}
"""Side names curators write in counts, and the concepts they stand for."""

ROLES: dict[str, URIRef] = {
    "perpetrator": KG.perpetrator,
    "target": KG.target,
    "responder": KG.respondingForce,
    "victim": KG.victim,
    "participant": KG.participant,
    "place": KG.place,
    "from": KG.fromPlace,
    "to": KG.toPlace,
    "part_of": KG.subEventOf,
}
"""Event keys in the seeds, and the relationship each becomes."""

ITEMISED = ("seized", "money")
"""Measures whose ``kg:item`` is what was counted (never added across items) and whose counts
may say who took them from whom (``kg:takenBy``, ``kg:takenFrom``)."""

STATUSES: dict[str, URIRef] = {"suspected": KG.suspected, "alleged": KG.alleged, "confirmed": KG.confirmed}
"""How firmly a source ties a fact's, a role's or a count's parties, as curators write it."""


@cache
def ontology_graph() -> Graph:
    """The vocabulary as an rdflib graph (parsed once)."""
    import pyoxigraph as ox

    from kg.terms import ox_term

    graph = Graph()
    text = resources.read_text(*resources.ONTOLOGY)
    for triple in ox.parse(text, ox.RdfFormat.TURTLE):  # a tenth of rdflib's parsing time
        graph.add((ox_term(triple.subject), ox_term(triple.predicate), ox_term(triple.object)))
    return graph


def local(term: URIRef) -> str:
    """The local name of a kg term: ``kg:alliedWith`` -> ``alliedWith``."""
    return str(term).split("#", 1)[1]


def _sorted_iris(nodes: Iterable[Node | None]) -> list[URIRef]:
    """The IRIs among ``nodes``, sorted (the ontology names its terms with IRIs)."""
    return sorted(n for n in nodes if isinstance(n, URIRef))


def _subclasses(root: URIRef, include_root: bool) -> dict[str, URIRef]:
    graph = ontology_graph()
    found = set(graph.transitive_subjects(RDFS.subClassOf, root))
    if not include_root:
        found.discard(root)
    return {local(c): c for c in _sorted_iris(found) if str(c).startswith(str(KG._NS))}


@cache
def entity_types() -> dict[str, URIRef]:
    """Types an entity in the registry may have: every actor and place class but the roots."""
    types = _subclasses(KG.Actor, False) | _subclasses(KG.Place, False) | _subclasses(KG.Document, True)
    return dict(sorted(types.items()))


@cache
def actor_types() -> frozenset[str]:
    """Entity types that are actors."""
    return frozenset(_subclasses(KG.Actor, False))


@cache
def place_types() -> frozenset[str]:
    """Entity types that are places (a state is both)."""
    return frozenset(_subclasses(KG.Place, False))


@cache
def event_types() -> dict[str, URIRef]:
    """Event classes, kg:Event included for events of no narrower kind."""
    return _subclasses(KG.Event, True)


@cache
def claim_types() -> dict[str, URIRef]:
    """Claim classes, kg:Claim included."""
    return _subclasses(KG.Claim, True)


@cache
def relations() -> dict[str, URIRef]:
    """Relationship properties by local name."""
    graph = ontology_graph()
    return {local(p): p for p in _sorted_iris(graph.subjects(RDF.type, KG.RelationshipProperty))}


@cache
def symmetric_relations() -> frozenset[URIRef]:
    """Relationship properties that hold both ways (materialised both ways in the graph)."""
    graph = ontology_graph()
    return frozenset(p for p in relations().values() if (p, RDF.type, OWL.SymmetricProperty) in graph)


@cache
def measures() -> dict[str, URIRef]:
    """What counts may count."""
    graph = ontology_graph()
    return {local(m): m for m in _sorted_iris(graph.subjects(RDF.type, KG.Measure))}


@cache
def document_types() -> frozenset[str]:
    """Entity types that are documents."""
    return frozenset(_subclasses(KG.Document, True))


_KINDS: dict[URIRef, str] = {
    KG.Place: "place",
    KG.Actor: "actor",
    KG.Organisation: "actor",
    KG.State: "actor",
    KG.ArmedGroup: "actor",
    KG.Person: "actor",
    KG.Event: "event",
    KG.Document: "document",
}


def _kind(term: Node | None) -> str | None:
    return _KINDS.get(term) if isinstance(term, URIRef) else None


def range_kind(relation: URIRef) -> str | None:
    """'place', 'actor', 'event', 'document' or None (anything): what a relationship's object must be."""
    return _kind(ontology_graph().value(relation, RDFS.range))


def domain_kind(relation: URIRef) -> str | None:
    """What a relationship's subject must be, as :func:`range_kind`."""
    return _kind(ontology_graph().value(relation, RDFS.domain))
