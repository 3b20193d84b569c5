"""The default store: an rdflib graph in memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rdflib import Graph
from rdflib.query import ResultRow
from rdflib.term import Node

from kg.stores import QueryResult, canonical, new_graph, refuse_network
from kg.vocab import Namespaces


class MemoryStore:
    """The default store: an rdflib graph in memory, built from the seeds."""

    checks_queries = False
    """Queries are checked by rdflib before they are sent."""

    def __init__(self, graph: Graph, namespaces: Namespaces | None = None) -> None:
        self._graph = graph
        self.namespaces = namespaces or Namespaces.of_graph(graph)

    def query(self, sparql: str) -> QueryResult:
        sparql = refuse_network(sparql)  # rdflib would send SERVICE, and fetch FROM's IRIs
        result = self._graph.query(sparql)
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            out = new_graph(self.namespaces)
            for s, p, o in cast("Iterable[tuple[Node, Node, Node]]", result):  # triples, for these
                out.add((s, p, canonical(o)))
            return QueryResult("graph", graph=out)
        variables = [str(v) for v in result.vars or []]
        rows = cast("Iterable[ResultRow]", result)  # rows, for a SELECT
        return QueryResult("select", variables, [tuple(map(canonical, row)) for row in rows])

    def graph(self) -> Graph:
        return self._graph
