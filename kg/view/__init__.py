"""Interactive network views: the graph's networkx projection as one self-contained HTML page.

A view is :func:`kg.network.to_networkx` (claims included), annotated with what a
reader needs beside each edge, narrowed by a :class:`ViewSpec`
(:mod:`kg.view.selection`) and drawn with vis-network through pyvis on an offline
page that treats every label as text (:mod:`kg.view.html`). For example::

    drawn = view(store, ViewSpec("TTP", relations=("allied with",)))
    Path(drawn.filename).write_bytes(drawn.html)        # ttp.html, what `kg view` writes
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kg.errors import ViewError
from kg.names import names
from kg.stores.memory import MemoryStore
from kg.view.html import CATEGORIES, FAMILIES, category, node_size, page_data, render_html
from kg.view.selection import annotated, describe, in_window, select

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.stores import Store

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "GROUP_DEPTH",
    "View",
    "ViewSpec",
    "annotated",
    "category",
    "describe",
    "in_window",
    "node_size",
    "page_data",
    "render_html",
    "render_views",
    "select",
    "view",
]


@dataclass(frozen=True)
class ViewSpec:
    """What to draw: the whole graph or an entity's neighbourhood, narrowed by filters.

    ``entity`` is a name as ``kg show`` takes it; ``relations`` and ``types`` as
    :func:`kg.names.find_relation` and :func:`kg.names.find_type` take them; ``since``
    and ``until`` are dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
    """

    entity: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    claims: bool = True
    """Draw claimed and disputed relationships too (as ``exports/`` does); the page can hide them."""


@dataclass(frozen=True)
class View:
    """A drawn view: the graph it shows, its page, and a file name for it."""

    graph: nx.MultiDiGraph
    html: bytes
    filename: str


def check_output(output: str) -> None:
    """Refuse an ``-o`` a view cannot be written to: empty, or a folder (a view is one file)."""
    import os

    from kg.terminal import printable

    if output == "":
        raise ViewError("-o is empty: give a file to write to, or '-' for standard output")
    if output.endswith(("/", os.sep)):
        raise ViewError(
            f"-o {printable(output)} ends in '/', a folder: a view is one file; give a file name "
            f"(e.g. {printable(output)}network.html)"
        )


def view(store: Store, spec: ViewSpec) -> View:
    """Draw the view ``spec`` asks for from ``store`` (ENTITY found as ``kg show`` finds it)."""
    full = annotated(store)
    if spec.entity is not None:
        found = names(store).find(spec.entity)
        if found not in full:
            raise ViewError(
                f"'{spec.entity}' is a claim, not a node: views draw entities and events (a claim is an edge)"
            )
        spec = replace(spec, entity=found)
    net = select(full, spec)
    title, subtitle = describe(full, spec)
    name = f"{spec.entity}.html" if spec.entity else "network.html"
    return View(net, render_html(net, title, subtitle), name)


GROUP_DEPTH = 1
"""Depth of the per-group pages ``kg build`` writes."""


def render_views(graph: Graph) -> dict[str, bytes]:
    """The views ``kg build`` writes: ``network.html`` and ``groups/<id>.html`` per armed group."""
    full = annotated(MemoryStore(graph))
    whole = ViewSpec(claims=True)
    files = {"network.html": render_html(select(full, whole), *describe(full, whole))}
    for node, attrs in sorted(full.nodes(data=True)):
        if category(attrs) == "armed group":
            spec = ViewSpec(entity=node, depth=GROUP_DEPTH, claims=True)
            files[f"groups/{node}.html"] = render_html(select(full, spec), *describe(full, spec))
    return files
