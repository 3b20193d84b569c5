"""The Python twin of the query commands: ``kg.load()`` and :class:`KnowledgeGraph`.

>>> import kg
>>> graph = kg.load()                                   # the repo's seeds, in memory
>>> graph.query("ASK { id:ttp kg:alliedWith id:afghan-taliban }").boolean
True
>>> graph.find("Pakistani Taliban")
'ttp'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib.resources.abc import Traversable
from pathlib import Path

import networkx as nx
from rdflib.term import Identifier

from kg import network, profile, queries
from kg.names import Names, find_relation, names
from kg.pipeline import SEEDS, compile_graph
from kg.sparql import parse_term, run
from kg.stores import QueryResult, Store
from kg.stores.memory import MemoryStore
from kg.vocab import ID


class KnowledgeGraph:
    """A graph behind a :class:`kg.store.Store`, with the questions kg's commands ask of it.

    The store is assumed not to change while this object is used: the entity
    names and the networkx projections are computed once.
    """

    def __init__(self, store: Store, folder: Traversable = queries.QUERIES) -> None:
        self.store = store
        self.queries_folder = folder
        self._networks: dict[tuple[bool, bool], nx.MultiDiGraph] = {}

    # --- SPARQL ---

    def query(self, sparql: str, params: Mapping[str, str | Identifier] | None = None,
              timeout: float | None = None) -> QueryResult:
        """Run a read-only SPARQL query (kg's prefixes declared), binding ``params``.

        A parameter is an RDF term, or text read as one (``id:ttp``, ``<IRI>``,
        ``"text"``, a number, a ``YYYY-MM-DD`` date, else an entity's name).
        """
        bindings = {name: value if isinstance(value, Identifier) else
                    parse_term(value, lambda text: ID[self.find(text)])
                    for name, value in (params or {}).items()}
        return run(self.store, sparql, bindings, timeout)

    def queries(self) -> list[queries.NamedQuery]:
        """The named queries of the library, by name."""
        return list(queries.library(self.queries_folder).values())

    def run(self, name: str, timeout: float | None = None, **params: str) -> QueryResult:
        """Run the named query ``name``: ``graph.run("allies", actor="ttp")``."""
        named = queries.named_query(name, self.queries_folder)
        bindings = queries.bind(named, params, lambda: self.names, self.source_ids)
        return run(self.store, named.sparql, bindings, timeout)

    # --- entities ---

    @cached_property
    def names(self) -> Names:
        """Every name of every entity, for :meth:`find`."""
        return names(self.store)

    def find(self, name: str) -> str:
        """The id of the entity ``name`` names: an id, label or alias, any case or accents."""
        return self.names.find(name)

    def source_ids(self) -> list[str]:
        """The ids of the graph's sources."""
        return sorted(profile.source_titles(self.store))

    def show(self, entity: str) -> profile.Profile:
        """The profile of an entity, event or claim (``print()`` it for ``kg show``'s text)."""
        return profile.profile(self.store, self.find(entity), self.network(claims=True),
                               self._claims, self._dates)

    @cached_property
    def _claims(self) -> dict[str, profile.ClaimInfo]:
        return profile.claims(self.store)

    @cached_property
    def _dates(self) -> dict[str, str]:
        return profile.dates(self.store)

    # --- networks ---

    def network(self, claims: bool = False, events: bool = True) -> nx.MultiDiGraph:
        """The networkx projection (:func:`kg.network.to_networkx`), computed once per kind."""
        key = (claims, events)
        if key not in self._networks:
            self._networks[key] = network.to_networkx(self.store, claims=claims, events=events)
        return self._networks[key]

    def path(self, a: str, b: str, include_claims: bool = False,
             limit: int = 10) -> list[list[network.Step]]:
        """The shortest chains of relationships linking two entities (by name)."""
        return network.shortest_paths(self.network(claims=include_claims), self.find(a),
                                      self.find(b), limit)

    def neighbors(self, entity: str, depth: int = 1, relations: Iterable[str] = (),
                  include_claims: bool = False) -> list[network.Neighbour]:
        """Entities within ``depth`` steps of ``entity``, by ``relations`` only if given."""
        wanted = frozenset(find_relation(r).fragment for r in relations) or None
        return network.neighbors(self.network(claims=include_claims), self.find(entity),
                                 depth, wanted)

    def rank(self, by: str = "degree", top: int = 10,
             include_claims: bool = False) -> list[network.Ranked]:
        """The most central actors, by degree, betweenness or pagerank."""
        return network.rank(self.network(claims=include_claims, events=False), by, top)


def load(seeds: Path = SEEDS, store: Store | None = None) -> KnowledgeGraph:
    """The knowledge graph of ``store``, or else of the ``seeds`` built in memory."""
    return KnowledgeGraph(store if store is not None else MemoryStore(
        compile_graph(seeds, shapes=False)))
