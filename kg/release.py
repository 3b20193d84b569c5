"""The main job: compile the graph, render every export and view, and replace ``exports/``.

The exports are rendered in full into a temporary folder beside ``exports/``
and swapped in only when everything succeeded, in one atomic exchange
(:func:`kg.files.publish`), so a failing build leaves ``exports/`` exactly as
it was and no instant is without it. Each build first cleans up after a crashed
one (:func:`kg.files.recover`). The graph built is also put in the project's
cache, so the commands that follow answer from it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.export import render_all
from kg.files import recover, replace_folder
from kg.pipeline import compile_graph
from kg.project import Project


def render_exports(graph: Graph) -> dict[str, bytes]:
    """Every file of ``exports/``, by relative path, rendered in memory: data, then views."""
    from kg.view import render_views
    from kg.view.timeline import render_timeline

    return render_all(graph) | render_views(graph) | render_timeline(graph)


@dataclass
class BuildResult:
    """What a build made: the graph, the files written, and whether pointers were checked."""

    graph: Graph
    files: dict[str, int]
    """relative path -> size in bytes"""
    checked_sources: Path | None = None


def build(
    project: Project, exports: Path | None = None, sources_dir: Path | None = None, cache: bool = True
) -> BuildResult:
    """Build the project's graph, check every pointer against ``sources_dir`` if given, write
    every export into ``exports`` (the project's), and (if ``cache``) keep the graph in the
    project's cache."""
    from kg.cache import store_graph

    target = exports or project.exports
    recover(target.resolve())
    graph = compile_graph(project.seeds, sources_dir, ns=project.namespaces)
    files = render_exports(graph)
    replace_folder(target, files)
    if cache:
        store_graph(project, graph)
    return BuildResult(graph, {name: len(data) for name, data in sorted(files.items())}, sources_dir)
