"""The Python twin of the query commands: ``kg.load()`` and :class:`KnowledgeGraph`.

>>> import kg
>>> graph = kg.load()           # the project of the working directory (its cached graph)
>>> graph.query("ASK { id:ttp kg:alliedWith id:afghan-taliban }").boolean
True
>>> graph.find("Pakistani Taliban")
'ttp'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Identifier

from kg import queries as library
from kg.errors import BadParameter, NoPath
from kg.names import Names, find_relation, names
from kg.sparql import parse_term, run
from kg.stores import QueryResult, Store

if TYPE_CHECKING:
    import networkx as nx

    from kg import profile
    from kg.network import Neighbour, Ranked, Step
    from kg.project import Project


class KnowledgeGraph:
    """A graph behind a :class:`kg.stores.Store`, with the questions kg's commands ask of it.

    The store is assumed not to change while this object is used: the entity
    names and the networkx projections are computed once.
    """

    def __init__(self, store: Store, folder: Traversable = library.QUERIES, extra_queries: Path | None = None) -> None:
        self.store = store
        self.queries_folder = folder
        self.extra_queries = extra_queries
        self._networks: dict[tuple[bool, bool], nx.MultiDiGraph] = {}
        self._near: dict[tuple[str, int, frozenset[str] | None, bool], nx.MultiDiGraph] = {}

    # --- SPARQL ---

    def query(
        self, sparql: str, params: Mapping[str, str | Identifier] | None = None, timeout: float | None = None
    ) -> QueryResult:
        """Run a read-only SPARQL query (kg's prefixes declared), binding ``params``.

        A parameter is an RDF term, or text read as one (``id:ttp``, ``<IRI>``,
        ``"text"``, a number, a ``YYYY-MM-DD`` date, else an entity's name). A query
        running past ``timeout`` seconds is killed (:class:`kg.errors.QueryTimeout`).
        """
        bindings = {
            name: value
            if isinstance(value, Identifier)
            else parse_term(
                value, lambda text: self.store.namespaces.id[self.find(text)], self.store.namespaces.prefixes
            )
            for name, value in (params or {}).items()
        }
        return run(self.store, sparql, bindings, timeout)

    def queries(self) -> list[library.NamedQuery]:
        """The named queries of the library (kg's and the project's), by name."""
        return list(library.library(self.queries_folder, self.extra_queries).values())

    def named_query(self, name: str) -> library.NamedQuery:
        """The named query ``name`` (kg's or the project's)."""
        return library.named_query(name, self.queries_folder, self.extra_queries)

    def run(
        self, name: str, timeout: float | None = None, *, limit: int | None = None, offset: int = 0, **params: str
    ) -> library.Answer:
        """Run the named query ``name``: ``graph.run("allies", actor="ttp")``; ``limit`` and
        ``offset`` page its answer; its ``notes`` say what it leaves out (:func:`kg.queries.execute`)."""
        named = self.named_query(name)
        bindings = library.bind(named, params, lambda: self.names, self.source_ids, self.store.namespaces)
        return library.execute(self.store, named, bindings, timeout, limit, offset)

    # --- entities ---

    @cached_property
    def names(self) -> Names:
        """Every name of every entity, for :meth:`find` (kept beside a cache store once made)."""
        from kg.cache import cached_names, keep_names

        found = cached_names(self.store)
        if found is None:
            found = names(self.store)
            keep_names(self.store, found)
        return found

    def find(self, name: str) -> str:
        """The id of the entity ``name`` names: an id, label or alias, any case or accents."""
        if "names" not in self.__dict__ and _is_id(self.store, name):
            return name  # an entity's exact id wins whatever the index says: no need to build it
        return self.names.find(name)

    def source_ids(self) -> list[str]:
        """The ids of the graph's sources."""
        from kg import profile

        return sorted(profile.source_titles(self.store))

    def show(self, entity: str) -> profile.Profile:
        """The profile of an entity, event or claim (``print()`` it for ``kg show``'s text)."""
        from kg import profile

        return profile.profile_of(self.store, self.find(entity))

    # --- networks ---

    def network(self, claims: bool = False, events: bool = True) -> nx.MultiDiGraph:
        """The networkx projection (:func:`kg.network.to_networkx`), computed once per kind."""
        from kg import network

        key = (claims, events)
        if key not in self._networks:
            self._networks[key] = network.to_networkx(self.store, claims=claims, events=events)
        return self._networks[key]

    def path(
        self,
        a: str,
        b: str,
        include_claims: bool = False,
        limit: int = 10,
        exclude_types: Iterable[str] = (),
        max_length: int | None = None,
    ) -> list[list[Step]]:
        """The shortest chains of relationships linking two entities (by name), through no
        entity of ``exclude_types`` (type names, e.g. ``Place``: narrower types too), of at
        most ``max_length`` steps if given (:class:`kg.errors.NoPath` if there is none that short)."""
        from kg import neighbourhood
        from kg.names import find_type
        from kg.network import TYPE_ROOTS

        start, end = self.find(a), self.find(b)
        if start == end:
            raise BadParameter(f"'{a}' and '{b}' are the same entity ({start}): a path links two different ones")
        types = tuple(find_type(t, also=TYPE_ROOTS) for t in exclude_types)
        found = neighbourhood.shortest_paths(self.store, start, end, include_claims, limit, types, max_length)
        if not found and max_length is not None:
            steps = f"{max_length} step{'s' if max_length != 1 else ''}"
            raise NoPath(f"no path of at most {steps} between {start} and {end}")
        return found

    def near(
        self, entity: str, depth: int = 1, relations: Iterable[str] = (), include_claims: bool = False
    ) -> nx.MultiDiGraph:
        """The projection of the statements within ``depth`` steps of ``entity`` (computed once)."""
        from kg import neighbourhood

        wanted = frozenset(find_relation(r).fragment for r in relations) or None
        ident = self.find(entity)
        key = (ident, depth, wanted, include_claims)
        if key not in self._near:
            self._near[key] = neighbourhood.within_reach(self.store, ident, depth, wanted, include_claims)
        return self._near[key]

    def neighbors(
        self, entity: str, depth: int = 1, relations: Iterable[str] = (), include_claims: bool = False
    ) -> list[Neighbour]:
        """Entities within ``depth`` steps of ``entity``, by ``relations`` only if given."""
        from kg import network

        wanted = frozenset(find_relation(r).fragment for r in relations) or None
        net = self.near(entity, depth, relations, include_claims)
        return network.neighbors(net, self.find(entity), depth, wanted)

    def rank(
        self, by: str = "degree", top: int = 10, include_claims: bool = False, types: Iterable[str] = ()
    ) -> list[Ranked]:
        """The most central actors, by degree, betweenness or pagerank (of ``types`` only, if given:
        type names such as ``ArmedGroup``)."""
        from kg import network
        from kg.names import find_type

        wanted = tuple(find_type(t, also=network.TYPE_ROOTS) for t in types)
        return network.rank(self.network(claims=include_claims, events=False), by, top, wanted)


_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _is_id(store: Store, name: str) -> bool:
    """Whether ``name`` is exactly an entity's id (one query, instead of indexing every name)."""
    if not _SLUG.fullmatch(name):
        return False
    iri = store.namespaces.id[name].n3()
    ask = f"ASK {{ {iri} dcterms:identifier ?id }}"  # the IRI says the id: no string to compare
    return bool(store.query(store.namespaces.prologue + ask).boolean)


def load(
    project: Path | str | Project | None = None, *, seeds: Path | None = None, store: Store | None = None
) -> KnowledgeGraph:
    """The knowledge graph of ``store``; else of ``seeds`` compiled in memory; else of the
    project in ``project`` (a folder with ``kg.toml``, default: found from the working
    directory), read from its compiled-graph cache."""
    from kg.project import Project, find_project, load_project
    from kg.stores.choose import open_store

    if store is not None:
        return KnowledgeGraph(store)
    if seeds is not None:
        from kg.pipeline import compile_graph
        from kg.stores.memory import MemoryStore

        return KnowledgeGraph(MemoryStore(compile_graph(Path(seeds), shapes=False)))
    if not isinstance(project, Project):
        project = load_project(Path(project)) if project is not None else find_project()
    return KnowledgeGraph(open_store(None, project), extra_queries=project.queries)
