"""The main job: compile the graph, render every export and view, and replace ``exports/``.

The exports are rendered in full into a temporary folder beside ``exports/``
and swapped in only when everything succeeded, in one atomic exchange
(:func:`kg.files.publish`), so a failing build leaves ``exports/`` exactly as
it was and no instant is without it. Each build first cleans up after a crashed
one (:func:`kg.files.recover`). The graph built is also put in the project's
cache, so the commands that follow answer from it at once.

Since the exports folder is replaced whole, a build refuses, before it writes anything, a
folder it must not replace (:func:`check_exports`): the project's folder or one above it, its
seeds, source texts, named queries or cache (or a folder holding them), and any existing folder
holding something a build does not write (:func:`check_owned`): it replaces only a new or
empty folder, or one holding only files of the names a build writes (``graph.ttl``,
``network.html``, ...) and, in its subfolders, more files of their kind (``groups/*.html``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.errors import ExportsRefused, display_path
from kg.export import render_all
from kg.files import foreign_entry, recover, replace_folder
from kg.pipeline import compile_graph
from kg.project import Project
from kg.terminal import printable


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


REPLACES = "kg build replaces its exports folder whole"


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both resolved)."""
    return path == folder or folder in path.parents


def check_exports(project: Project, target: Path, sources_dir: Path | None = None) -> None:
    """Refuse ``target`` as the exports folder if it is, holds or is inside the project's folder
    (other than a subfolder of its own), its seeds, source texts, queries or cache."""
    where = display_path(target)
    real = Path(os.path.realpath(target))
    root = Path(os.path.realpath(project.root))
    if _inside(root, real):
        what = "the project's folder" if real == root else f"a folder holding the project ({root})"
        raise ExportsRefused(f"the exports folder {where} is {what}: {REPLACES}; name a folder of its own")
    if os.path.lexists(target) and not real.is_dir():
        raise ExportsRefused(f"the exports folder {where} is not a folder: {REPLACES}; name a folder")
    kept = {
        "the seeds": project.seeds,
        "the source texts": sources_dir or project.sources,
        "the named queries": project.queries,
        "the project's cache": project.cache_dir,
    }
    for label, folder in kept.items():
        if folder is None:
            continue
        real_folder = Path(os.path.realpath(folder))
        if _inside(real, real_folder):
            what = f"{label} folder" if real == real_folder else f"inside {label} folder"
        elif _inside(real_folder, real):
            what = f"a folder holding {label} ({real_folder})"
        else:
            continue
        raise ExportsRefused(f"the exports folder {where} is {what}: {REPLACES}; name a folder of its own")


def check_owned(target: Path, files: dict[str, bytes]) -> None:
    """Refuse to replace ``target`` if it holds anything unlike what a build writes
    (:func:`kg.files.foreign_entry`): a build must never delete what it did not write."""
    found = foreign_entry(Path(os.path.realpath(target)), files)
    if found is not None:
        raise ExportsRefused(
            f"the exports folder {display_path(target)} holds {printable(found)}, which kg build does not write: "
            f"{REPLACES}, so it replaces only a new or empty folder or one holding only what a build writes "
            f"(graph.ttl, network.html, groups/*.html, ...); move {printable(found)} away or name another folder"
        )


def build(
    project: Project, exports: Path | None = None, sources_dir: Path | None = None, cache: bool = True
) -> BuildResult:
    """Build the project's graph, check every pointer against ``sources_dir`` if given, write
    every export into ``exports`` (the project's), and (if ``cache``) keep the graph in the
    project's cache. A folder that must not be replaced is refused before anything is written."""
    from kg.cache import store_graph

    target = exports or project.exports
    check_exports(project, target, sources_dir)
    recover(target.resolve())
    graph = compile_graph(project.seeds, sources_dir, ns=project.namespaces)
    files = render_exports(graph)
    check_owned(target, files)
    replace_folder(target, files)
    if cache:
        store_graph(project, graph)
    return BuildResult(graph, {name: len(data) for name, data in sorted(files.items())}, sources_dir)
