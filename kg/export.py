"""Serialisations of the graph, one function per format, all deterministic and written atomically.

``EXPORTERS`` maps a format name to ``(file name in exports/, function)``; a
function takes the graph and returns the file's bytes. Adding a format is one
function and one line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.errors import ExportError

Exporter = Callable[[Graph], bytes]


def to_turtle(graph: Graph) -> bytes:
    """Turtle with kg's prefixes; rdflib sorts subjects and predicates, so output is stable."""
    return graph.serialize(format="turtle", encoding="utf-8")


EXPORTERS: dict[str, tuple[str, Exporter]] = {
    "turtle": ("graph.ttl", to_turtle),
}
"""Format name -> (file name under exports/, exporter)."""


def export(graph: Graph, fmt: str) -> bytes:
    """The graph in format ``fmt`` (a key of :data:`EXPORTERS`)."""
    if fmt not in EXPORTERS:
        raise ExportError(f"unknown format '{fmt}' (known: {', '.join(sorted(EXPORTERS))})")
    return EXPORTERS[fmt][1](graph)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
