"""The flow from curated files to a checked graph: read -> validate -> model -> shapes.

Nothing here writes a file; :mod:`kg.release` writes ``exports/`` and :mod:`kg.cache`
keeps the compiled graph between commands.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.curation import Corpus, read_seeds
from kg.model import build_graph
from kg.shapes import check_shapes
from kg.validate import validate
from kg.vocab import DEFAULT, Namespaces


def load_corpus(seeds: Path, sources_dir: Path | None = None) -> Corpus:
    """Read and validate the seeds; raise ValidationFailed listing every problem."""
    corpus = read_seeds(seeds)
    validate(corpus, sources_dir)
    return corpus


def compile_graph(seeds: Path, sources_dir: Path | None = None, shapes: bool = True, ns: Namespaces = DEFAULT) -> Graph:
    """The graph of the seeds, its ids under ``ns``, validated record by record and (if
    ``shapes``) by SHACL."""
    graph = build_graph(load_corpus(seeds, sources_dir), ns=ns)
    if shapes:
        check_shapes(graph)
    return graph


def check(seeds: Path, sources_dir: Path | None = None, ns: Namespaces = DEFAULT) -> Corpus:
    """Validate the seeds record by record and the graph they make by SHACL; return the records."""
    corpus = load_corpus(seeds, sources_dir)
    check_shapes(build_graph(corpus, ns=ns))
    return corpus
