"""Where the graph lives, behind one interface: SPARQL in, a :class:`QueryResult` out.

Every query, profile, path and export goes through :class:`Store`, so the same
command answers the same on the in-memory rdflib graph and on the other stores
(a persistent Oxigraph store, a remote SPARQL endpoint). Parameters are bound
before a query reaches a store, by :func:`kg.query.bind_values` (a ``VALUES``
block of RDF terms at the top of the WHERE clause, so FILTERs see them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as Kind
from typing import Protocol

from rdflib import XSD, Graph, Literal
from rdflib.term import Identifier

from kg.vocab import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
"""kg's prefixes as a SPARQL prologue."""


INTEGER_TYPES = frozenset(XSD[name] for name in (
    "byte", "short", "int", "long", "unsignedByte", "unsignedShort", "unsignedInt", "unsignedLong",
    "positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger"))
"""XSD types derived from ``xsd:integer``: Oxigraph keeps only ``xsd:integer``, so all stores do."""


def canonical(term: Identifier | None) -> Identifier | None:
    """A term as every store answers it: integer-derived literals typed ``xsd:integer``."""
    if type(term) is Literal and term.datatype in INTEGER_TYPES:
        return Literal(str(term), datatype=XSD.integer)
    return term


@dataclass
class QueryResult:
    """A SPARQL answer in rdflib terms, whatever store produced it."""

    kind: Kind["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __iter__(self) -> Iterator[tuple[Identifier | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Identifier | None]]:
        """Rows as ``{variable: term}`` dictionaries."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Store(Protocol):
    """What kg needs of a store: run a read-only SPARQL query; hand over the whole graph."""

    def query(self, sparql: str) -> QueryResult:
        """Run a read-only ``sparql`` query (kg's prefixes already declared, parameters bound)."""
        ...

    def graph(self) -> Graph:
        """The whole graph as an rdflib Graph (for exports)."""
        ...


class MemoryStore:
    """The default store: an rdflib graph in memory, built from the seeds."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph

    def query(self, sparql: str) -> QueryResult:
        result = self._graph.query(sparql)
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            for prefix, namespace in PREFIXES.items():
                out.bind(prefix, namespace)
            for s, p, o in result:
                out.add((s, p, canonical(o)))
            return QueryResult("graph", graph=out)
        variables = [str(v) for v in result.vars or []]
        return QueryResult("select", variables, [tuple(map(canonical, row)) for row in result])

    def graph(self) -> Graph:
        return self._graph
