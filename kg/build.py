"""The main job: seeds -> validated records -> RDF graph -> SHACL check -> exports/.

The exports are rendered in full into a temporary folder beside ``exports/``
and swapped in only when everything succeeded, so a failing build leaves
``exports/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.curation import Corpus, read_seeds
from kg.errors import ExportError
from kg.export import EXPORTERS, write_atomic
from kg.model import build_graph
from kg.ontology import REPO
from kg.validate import check_shapes, validate
from kg.view import render_views

SEEDS = REPO / "seeds"
EXPORTS = REPO / "exports"


def load_corpus(seeds: Path = SEEDS, sources_dir: Path | None = None) -> Corpus:
    """Read and validate the seeds; raise ValidationFailed listing every problem."""
    corpus = read_seeds(seeds)
    validate(corpus, sources_dir)
    return corpus


def compile_graph(seeds: Path = SEEDS, sources_dir: Path | None = None,
                  shapes: bool = True) -> Graph:
    """The graph of the seeds, validated record by record and (if ``shapes``) by SHACL."""
    graph = build_graph(load_corpus(seeds, sources_dir))
    if shapes:
        check_shapes(graph)
    return graph


def check(seeds: Path = SEEDS, sources_dir: Path | None = None) -> Corpus:
    """Validate the seeds record by record and the graph they make by SHACL; return the records."""
    corpus = load_corpus(seeds, sources_dir)
    check_shapes(build_graph(corpus))
    return corpus


def render_exports(graph: Graph) -> dict[str, bytes]:
    """Every file of ``exports/``, by relative path, rendered in memory: data, then views."""
    files = {name: exporter(graph) for files in EXPORTERS.values()
             for name, exporter in files.items()}
    return files | render_views(graph)


@dataclass
class BuildResult:
    """What a build made: the graph and the files written."""

    graph: Graph
    files: dict[str, int]
    """relative path -> size in bytes"""


def write_exports(files: dict[str, bytes], exports: Path) -> None:
    """Replace ``exports`` with exactly ``files``, all at once or not at all."""
    exports = exports.resolve()
    exports.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=exports.parent, prefix=f".{exports.name}.tmp-"))
    staging.chmod(0o755)  # mkdtemp makes it private; exports are for sharing
    try:
        for name, data in sorted(files.items()):
            write_atomic(staging / name, data)
        old = exports.parent / f".{exports.name}.old-{os.getpid()}"
        if exports.exists():
            os.rename(exports, old)
        try:
            os.rename(staging, exports)
        except OSError as err:
            if old.exists():
                os.rename(old, exports)
            raise ExportError(f"could not replace {exports}: {err}") from err
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(seeds: Path = SEEDS, exports: Path = EXPORTS, sources_dir: Path | None = None) -> BuildResult:
    """Build the graph from ``seeds`` and write every export into ``exports``."""
    graph = compile_graph(seeds, sources_dir)
    files = render_exports(graph)
    write_exports(files, exports)
    return BuildResult(graph, {name: len(data) for name, data in sorted(files.items())})
