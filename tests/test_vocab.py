"""The vocabulary: kg/vocab.py and ontology/kg.ttl cannot drift; every term is documented."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, URIRef

from kg.ontology import ontology_graph, relations
from kg.vocab import KG

NS = str(KG._NS)


def kg_terms() -> set[URIRef]:
    return {s for s in ontology_graph().subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_vocab_module_lists_exactly_the_ontology_terms():
    declared = {URIRef(NS + name) for name in KG.__annotations__}
    assert declared == kg_terms()


def test_every_term_has_an_english_label_and_comment():
    graph = ontology_graph()
    for term in kg_terms():
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, RDFS.comment) is not None, term


def test_every_property_has_a_domain_and_a_range():
    graph = ontology_graph()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, KG.RelationshipProperty)
    properties = {p for kind in kinds for p in graph.subjects(RDF.type, kind)}
    assert len(properties) > 50
    for prop in properties:
        assert graph.value(prop, RDFS.domain) is not None, prop
        assert graph.value(prop, RDFS.range) is not None, prop


def test_relationships_an_analyst_needs_exist():
    needed = {
        "alliedWith",
        "affiliatedWith",
        "branchOf",
        "targets",
        "aimsToDestabilise",
        "operatesIn",
        "basedIn",
        "memberOf",
        "holdsRoleIn",
        "leads",
        "locatedIn",
        "borders",
        "supplies",
        "shelters",
        "criticises",
        "rivalOf",
    }
    assert needed <= set(relations())
