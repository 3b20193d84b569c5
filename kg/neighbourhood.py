"""The part of the graph around a few entities, fetched by queries about them alone.

``kg show``, ``kg neighbors`` and ``kg path`` need only the statements that touch a
handful of entities. :class:`Neighbourhood` grows a small networkx projection, with
the nodes and edge attributes :func:`kg.network.to_networkx` gives them, one frontier
at a time: each step is one query per kind of statement with the frontier as a
``VALUES`` block, so what a command costs is what its entities' degree costs, not
the size of the graph. The functions of :mod:`kg.network` then run on it and give
the answers they give on the whole projection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx
from rdflib import URIRef

from kg import network
from kg.network import Neighbour, Step
from kg.stores import Store, as_iri
from kg.vocab import KG

CHUNK = 400
"""Entities per ``VALUES`` block: small enough for any endpoint's query length."""

SMALL = 8
"""Entities per query on the in-memory store, named as constants (see :func:`touching`)."""


def _chunks(items: list[URIRef], size: int = CHUNK) -> Iterator[list[URIRef]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def touching(store: Store, entities: list[URIRef]) -> str:
    """A pattern binding ``?st`` to the statements whose subject or object is one of ``entities``.

    rdflib joins a ``VALUES`` block with the patterns after it slowly (it evaluates them
    for every statement first), so the in-memory store gets the entities as constants;
    Oxigraph, which plans a union of hundreds of constants badly, gets ``VALUES``.
    """
    if _in_memory(store):
        return " UNION ".join(f"{{ ?st rdf:subject {e.n3()} }} UNION {{ ?st rdf:object {e.n3()} }}" for e in entities)
    return network.values("x", entities) + " { ?st rdf:subject ?x } UNION { ?st rdf:object ?x }"


def _in_memory(store: Store) -> bool:
    from kg.stores.memory import MemoryStore

    return isinstance(store, MemoryStore)


class Neighbourhood:
    """A projection of the statements touching the entities expanded so far.

    ``claims``: also the statements claims assert; ``events``: events as nodes;
    ``relations``: only statements of these relations (local names), if given.
    """

    def __init__(
        self, store: Store, claims: bool = False, events: bool = True, relations: frozenset[str] | None = None
    ) -> None:
        self.store = store
        self.claims = claims
        self.events = events
        self.relations = relations
        self.net: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.expanded: set[str] = set()
        self._tried: set[str] = set()
        self._unqualified: dict[URIRef, tuple[str, str, str]] = {}

    def _iri(self, ident: str) -> URIRef:
        return self.store.namespaces.id[ident]

    def add(self, ids: Iterable[str]) -> None:
        """Add the entities ``ids`` as nodes (ids that are no entity are left out)."""
        todo = sorted(set(ids) - self._tried)
        self._tried |= set(todo)
        for chunk in _chunks([self._iri(i) for i in todo]):
            for ident, attrs in sorted(network.node_attributes(self.store, chunk).items()):
                if attrs["kind"] != "event" or self.events:
                    self.net.add_node(ident, **attrs)

    def expand(self, frontier: Iterable[str]) -> dict[str, set[str]]:
        """Fetch every statement touching the nodes ``frontier``; the other ends, by node."""
        todo = sorted(n for n in set(frontier) - self.expanded if n in self.net)
        self.expanded |= set(todo)
        relations = ""
        if self.relations is not None:
            relations = " " + network.values("p", (URIRef(str(KG._NS) + r) for r in sorted(self.relations)))
        facts: list[dict] = []
        claimed: list[dict] = []
        size = SMALL if _in_memory(self.store) else CHUNK
        for chunk in _chunks([self._iri(i) for i in todo], size):
            block = touching(self.store, chunk) + relations
            facts += network.fact_rows(self.store, block)
            if self.claims:
                claimed += network.claim_rows(self.store, block)
        self._add_rows(facts, claimed)
        found: dict[str, set[str]] = defaultdict(set)
        for node in todo:
            for u, v, relation in (
                *self.net.out_edges(node, data="relation"),
                *self.net.in_edges(node, data="relation"),
            ):
                if u != v and (self.relations is None or relation in self.relations):
                    found[node].add(v if u == node else u)
        return found

    def assertions(self, claim: URIRef) -> None:
        """Add the statements ``claim`` asserts, and their ends."""
        self._add_rows([], network.claim_rows(self.store, network.values("claim", [claim])))

    def _add_rows(self, facts: list[dict], claimed: list[dict]) -> None:
        ns = self.store.namespaces
        self.add(network.local_id(as_iri(row[end]), ns) for row in (*facts, *claimed) for end in ("s", "o"))
        for row in sorted(facts, key=lambda r: str(r["st"])):
            key = network.local_id(as_iri(row["st"]), ns)
            network.add_edge(self.net, row, {"status": "fact"}, ns)
            ends = (network.local_id(as_iri(row["s"]), ns), network.local_id(as_iri(row["o"]), ns))
            if self.net.has_edge(*ends, key):
                self._unqualified.setdefault(as_iri(row["st"]), (*ends, key))
        for row in sorted(claimed, key=lambda r: str(r["st"])):
            network.add_claim_edge(self.net, row, ns)

    def finish(self) -> nx.MultiDiGraph:
        """The projection, with the qualifiers (dates, roles...) of its facts fetched."""
        pending = sorted(self._unqualified)
        for chunk in _chunks(pending):
            for st, found in network.fact_qualifiers(self.store, chunk).items():
                u, v, key = self._unqualified[st]
                self.net.edges[u, v, key].update(network.qualifiers(found))
        self._unqualified.clear()
        return self.net


def around(store: Store, ident: str, claims: bool = True) -> nx.MultiDiGraph:
    """The projection of ``ident`` and every statement touching it (with claims, by default)."""
    hood = Neighbourhood(store, claims=claims)
    hood.add([ident])
    hood.expand([ident])
    return hood.finish()


def within_reach(
    store: Store, ident: str, depth: int = 1, relations: frozenset[str] | None = None, claims: bool = False
) -> nx.MultiDiGraph:
    """The projection of every statement touching an entity fewer than ``depth`` steps from ``ident``."""
    hood = Neighbourhood(store, claims=claims, relations=relations)
    hood.add([ident])
    frontier, seen = [ident], {ident}
    for _ in range(depth):
        near = hood.expand(frontier)
        frontier = sorted({n for node in frontier for n in near.get(node, ())} - seen)
        seen |= set(frontier)
        if not frontier:
            break
    return hood.finish()


def neighbors(
    store: Store, ident: str, depth: int = 1, relations: frozenset[str] | None = None, claims: bool = False
) -> list[Neighbour]:
    """:func:`kg.network.neighbors` of ``ident``, from the statements within reach only."""
    return network.neighbors(within_reach(store, ident, depth, relations, claims), ident, depth, relations)


def between(
    store: Store,
    a: str,
    b: str,
    claims: bool = False,
    avoid_types: Iterable[str] = (),
    max_length: int | None = None,
) -> nx.MultiDiGraph | None:
    """The projection holding every shortest path from ``a`` to ``b``; None if there is none.

    A bidirectional breadth-first search: each step expands the smaller frontier by one
    query. It stops when the two meet (then every shortest path runs through statements
    already fetched), when a side has nowhere left to go, or after ``max_length`` steps.
    Entities of ``avoid_types`` (labels, or narrower types) are never walked through.
    """
    hood = Neighbourhood(store, claims=claims)
    hood.add([a, b])
    if a not in hood.net or b not in hood.net:
        return None
    avoid = network.subtype_labels(avoid_types)
    distance = {a: {a: 0}, b: {b: 0}}
    frontier = {a: [a], b: [b]}
    level = {a: 0, b: 0}
    while frontier[a] and frontier[b]:
        if max_length is not None and level[a] + level[b] >= max_length:
            return None
        side = a if len(frontier[a]) <= len(frontier[b]) else b
        other = b if side == a else a
        near = hood.expand(frontier[side])
        level[side] += 1
        reached = set()
        for node in frontier[side]:
            for n in near.get(node, ()):
                if n not in distance[side] and (n in (a, b) or hood.net.nodes[n]["type"] not in avoid):
                    distance[side][n] = level[side]
                    reached.add(n)
        frontier[side] = sorted(reached)
        if reached & distance[other].keys():
            return hood.finish()
    return None


def shortest_paths(
    store: Store,
    a: str,
    b: str,
    claims: bool = False,
    limit: int = 10,
    avoid_types: Iterable[str] = (),
    max_length: int | None = None,
) -> list[list[Step]]:
    """:func:`kg.network.shortest_paths` from ``a`` to ``b``, from the statements near a path only."""
    types = tuple(avoid_types)
    net = between(store, a, b, claims, types, max_length)
    if net is None:
        return []
    avoid = network.of_types(net, types) - {a, b} if types else frozenset()
    return network.shortest_paths(net, a, b, limit, avoid, max_length)
