"""Which store a spec names: the project's cache, ``memory``, ``oxigraph:PATH`` or an endpoint URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreError
from kg.stores import Store
from kg.vocab import DEFAULT

if TYPE_CHECKING:
    from kg.project import Project


def open_store(
    spec: str | None = None,
    project: Project | None = None,
    graph: str | None = None,
    shapes: bool = False,
    endpoint_timeout: float | None = None,
) -> Store:
    """The store a spec names, for ``project`` (its seeds and namespaces).

    * ``None`` (the default): the project's compiled graph, from its cache (:mod:`kg.cache`);
    * ``memory``: the project's seeds compiled in memory, SHACL-checked if ``shapes``;
    * ``oxigraph:PATH``: an on-disk pyoxigraph store filled by ``kg load``;
    * ``http(s)://...``: a SPARQL endpoint, reading the named graph ``graph`` (default: the
      project's), each request within ``endpoint_timeout`` seconds (default:
      ``KG_ENDPOINT_TIMEOUT``, else :data:`kg.stores.http.TIMEOUT`).

    ``spec=None`` reads ``KG_ENDPOINT``, then ``KG_STORE`` first.
    """
    spec = spec or os.environ.get("KG_ENDPOINT") or os.environ.get("KG_STORE") or None
    namespaces = project.namespaces if project is not None else DEFAULT
    if spec is None or spec == "memory":
        if project is None:
            raise StoreError("no project to read: give --project DIR, or run kg in a project")
        if spec is None:
            from kg.cache import open_cached

            return open_cached(project)
        from kg.pipeline import compile_graph
        from kg.stores.memory import MemoryStore

        return MemoryStore(compile_graph(project.seeds, shapes=shapes, ns=namespaces), namespaces)
    if spec.startswith("oxigraph:"):
        from kg.stores.oxigraph import OxigraphStore

        return OxigraphStore(Path(spec.removeprefix("oxigraph:")), namespaces=namespaces)
    if spec[:8].lower().startswith(("http://", "https://")):  # a URL's scheme is case-insensitive (RFC 3986)
        from kg.stores.endpoint import EndpointStore
        from kg.stores.http import Limits

        return EndpointStore(spec, graph or namespaces.graph, namespaces, Limits.from_environment(endpoint_timeout))
    from kg.stores.http import mask

    raise StoreError(f"unknown store '{mask(spec)}' (use memory, oxigraph:PATH or an http(s) URL)")


def oxigraph_path(spec: str | None = None) -> Path:
    """The folder of the Oxigraph store ``spec`` (or ``KG_STORE``) names, for loading."""
    spec = spec or os.environ.get("KG_STORE") or ""
    if not spec.startswith("oxigraph:") or spec == "oxigraph:":
        raise StoreError("loading needs an Oxigraph store: --store oxigraph:PATH (or KG_STORE)")
    return Path(spec.removeprefix("oxigraph:"))
