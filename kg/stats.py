"""Counts that summarise a graph: entities by type, facts by relation, records by source, claims."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.stores import Store

_QUERIES = {
    "entities": """
        SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?e a ?class ; dcterms:identifier ?id .
            ?class rdfs:label ?type .
            FILTER (STRSTARTS(STR(?e), STR(id:)))
            FILTER NOT EXISTS { ?e a kg:Claim }
            FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf ?class . FILTER (?sub != ?class) }
        } GROUP BY ?type""",
    "relations": """
        SELECT ?relation (COUNT(?st) AS ?n) WHERE {
            ?st a kg:Fact ; rdf:predicate ?p . ?p rdfs:label ?relation .
        } GROUP BY ?relation""",
    "sources": """
        SELECT ?source ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
            ?x dcterms:source ?src . ?src dcterms:identifier ?source .
            { ?x a kg:Fact . BIND ("facts" AS ?kind) }
            UNION { ?x a/rdfs:subClassOf* kg:Event . BIND ("events" AS ?kind) }
            UNION { ?x a kg:Claim . BIND ("claims" AS ?kind) }
            UNION { ?x a kg:ReportedCount . BIND ("counts" AS ?kind) }
        } GROUP BY ?source ?kind""",
    "claims": """
        SELECT ?type (COUNT(DISTINCT ?c) AS ?n) WHERE {
            ?c a kg:Claim , ?class . ?class rdfs:label ?type .
            FILTER (?class != kg:Claim)
        } GROUP BY ?type""",
    "triples": """
        SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }""",
    "disputes": """
        SELECT (COUNT(DISTINCT ?c) AS ?disputed) (COUNT(*) AS ?links) WHERE {
            ?d kg:disputes ?c . ?c a kg:Claim .
        }""",
    "disputed-events": """
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?d kg:disputes ?e . ?e a/rdfs:subClassOf* kg:Event .
        }""",
    "curator": """
        SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a kg:Fact ; kg:basis kg:curatorKnowledge }""",
    "inferred": """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x kg:inferredBecause ?why }""",
    "statuses": """
        SELECT ?status (COUNT(DISTINCT ?x) AS ?n) WHERE {
            ?x kg:status ?s . ?s rdfs:label ?status .
        } GROUP BY ?status""",
    "events": """
        SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?e a ?class . ?class rdfs:subClassOf* kg:Event ; rdfs:label ?type .
            FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf ?class . FILTER (?sub != ?class) }
        } GROUP BY ?type""",
}


@dataclass
class Stats:
    """Counts of a graph, each table sorted by name."""

    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    disputed_claims: int = 0
    dispute_links: int = 0
    disputed_events: int = 0
    curator_facts: int = 0
    """Facts no paragraph says: the curator's knowledge, counted apart from every source's."""
    inferred: int = 0
    """Records whose paragraphs name a party only by description, with the curator's reason."""
    statuses: dict[str, int] = field(default_factory=dict)
    """Facts, roles and counts qualified as suspected, alleged or confirmed."""


def _rows(store: Store, name: str) -> list[tuple]:
    return store.query(store.namespaces.prologue + _QUERIES[name]).rows


def _pairs(store: Store, name: str) -> dict[str, int]:
    return dict(sorted((str(row[0]), int(row[1])) for row in _rows(store, name)))


def stats(store: Store) -> Stats:
    """Count what the graph holds (by SPARQL, so any store answers the same)."""
    result = Stats(triples=int(_rows(store, "triples")[0][0]))
    events = _pairs(store, "events")
    result.events = events
    result.entities = {k: v for k, v in _pairs(store, "entities").items() if k not in events}
    result.relations = _pairs(store, "relations")
    result.claims = _pairs(store, "claims")
    for row in _rows(store, "sources"):
        result.sources.setdefault(str(row[0]), {})[str(row[1])] = int(row[2])
    result.sources = {k: dict(sorted(v.items())) for k, v in sorted(result.sources.items())}
    row = _rows(store, "disputes")[0]
    result.disputed_claims, result.dispute_links = int(row[0]), int(row[1])
    result.disputed_events = int(_rows(store, "disputed-events")[0][0])
    result.curator_facts = int(_rows(store, "curator")[0][0])
    result.inferred = int(_rows(store, "inferred")[0][0])
    result.statuses = _pairs(store, "statuses")
    return result
