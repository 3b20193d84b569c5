"""The main job: compile the graph, render every export and view, and replace ``exports/``.

The exports are rendered in full into a temporary folder beside ``exports/``
and swapped in only when everything succeeded, so a failing build leaves
``exports/`` exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.export import render_all
from kg.files import replace_folder
from kg.pipeline import SEEDS, compile_graph
from kg.view import render_views

EXPORTS = SEEDS.parent / "exports"  # replaced by the project's exports


def render_exports(graph: Graph) -> dict[str, bytes]:
    """Every file of ``exports/``, by relative path, rendered in memory: data, then views."""
    return render_all(graph) | render_views(graph)


@dataclass
class BuildResult:
    """What a build made: the graph and the files written."""

    graph: Graph
    files: dict[str, int]
    """relative path -> size in bytes"""


def build(seeds: Path = SEEDS, exports: Path = EXPORTS, sources_dir: Path | None = None) -> BuildResult:
    """Build the graph from ``seeds`` and write every export into ``exports``."""
    graph = compile_graph(seeds, sources_dir)
    files = render_exports(graph)
    replace_folder(exports, files)
    return BuildResult(graph, {name: len(data) for name, data in sorted(files.items())})
