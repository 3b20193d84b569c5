"""kg.stores.memory: the rdflib graph in memory, answering in the terms every store gives."""

from __future__ import annotations

from rdflib import XSD, Graph, Literal

from kg.stores import PROLOGUE
from kg.stores.memory import MemoryStore
from kg.vocab import ID, KG


def test_integer_subtypes_are_answered_as_xsd_integer():
    graph = Graph()
    graph.add((ID.x, KG.paragraph, Literal(3, datatype=XSD.positiveInteger)))
    result = MemoryStore(graph).query(PROLOGUE + "SELECT ?p WHERE { ?x kg:paragraph ?p }")
    assert result.rows == [(Literal("3", datatype=XSD.integer),)]
