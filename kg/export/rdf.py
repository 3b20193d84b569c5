"""The graph in RDF: Turtle, N-Triples, N-Quads, TriG and JSON-LD, every one deterministic.

They carry the whole graph: ontology, entities, facts and their statement nodes,
claims, counts, sources and passages. kg uses no named graphs, so TriG and N-Quads
put everything in the one named graph :data:`GRAPH_IRI`.
"""

from __future__ import annotations

import json
from functools import cache

from rdflib import Dataset, Graph, URIRef

from kg import resources
from kg.vocab import BASE, Namespaces

GRAPH_IRI = URIRef(BASE + "graph")
"""The named graph that holds this repository's graph in TriG and N-Quads."""


def graph_iri(graph: Graph) -> URIRef:
    """The named graph that holds ``graph`` in TriG and N-Quads: its project's base + ``graph``."""
    return URIRef(Namespaces.of_graph(graph).graph)


def to_turtle(graph: Graph) -> bytes:
    """Turtle with kg's prefixes; rdflib sorts subjects and predicates, so output is stable."""
    return graph.serialize(format="turtle", encoding="utf-8")


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def to_nquads(graph: Graph) -> bytes:
    """N-Quads: every triple in the project's named graph (:func:`graph_iri`), lines sorted."""
    suffix = f" {graph_iri(graph).n3()} .\n".encode()
    return b"".join(line.rstrip()[:-1].rstrip() + suffix for line in to_ntriples(graph).splitlines())


def to_trig(graph: Graph) -> bytes:
    """TriG: the whole graph as the project's named graph (:func:`graph_iri`), with its prefixes."""
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True)
    named = dataset.graph(graph_iri(graph))
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format="trig", encoding="utf-8")


@cache
def jsonld_context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld`` (the value of its ``@context``)."""
    return json.loads(resources.read_text(*resources.CONTEXT))["@context"]


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with kg's context inline; nodes sorted by id, values sorted, keys sorted."""
    context = jsonld_context()
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data])
    for node in nodes:
        node.pop("@context", None)
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=_sort_key)
    document = {"@context": context, "@graph": sorted(nodes, key=lambda n: n["@id"])}
    return _json(document)


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
