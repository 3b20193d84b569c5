"""kg.stores.push: SPARQL Update requests in chunks (pushing to a real server is in test_virtuoso.py)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal

from kg.stores.push import CHUNK, insert_requests
from kg.vocab import ID, KG


def test_updates_are_chunked_except_with_blank_nodes():
    graph = Graph()
    for i in range(CHUNK + 1):
        graph.add((ID[f"e{i}"], KG.paragraph, Literal(i)))
    assert len(insert_requests(graph, "urn:x")) == 2
    graph.add((BNode(), KG.paragraph, Literal(0)))
    assert len(insert_requests(graph, "urn:x")) == 1
