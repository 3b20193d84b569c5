"""Serialisations of the graph: a table from format name to the functions that write its files.

``EXPORTERS`` maps a format name to its files: ``{file name in exports/: "module:function"}``;
a function takes the graph and returns the file's bytes. Exporters are imported only when
used, so asking for Turtle never imports networkx or stix2. Most formats are one file;
``csv`` is four (``nodes.csv`` and ``edges.csv``, the network; ``claims.csv`` and
``sources.csv``). Adding a format is one function and one line.

* :mod:`kg.export.rdf`: ``turtle``, ``ntriples``, ``trig``, ``nquads``, ``jsonld``;
* :mod:`kg.export.tabular`: ``graphml`` and ``csv``, the networkx projection (and the claims
  and sources as tables);
* :mod:`kg.export.stix`: ``stix``, a STIX 2.1 bundle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ExportError

if TYPE_CHECKING:
    from rdflib import Graph

Exporter = Callable[["Graph"], bytes]

EXPORTERS: dict[str, dict[str, str]] = {
    "turtle": {"graph.ttl": "rdf:to_turtle"},
    "ntriples": {"graph.nt": "rdf:to_ntriples"},
    "trig": {"graph.trig": "rdf:to_trig"},
    "nquads": {"graph.nq": "rdf:to_nquads"},
    "jsonld": {"graph.jsonld": "rdf:to_jsonld"},
    "graphml": {"graph.graphml": "tabular:to_graphml"},
    "csv": {
        "nodes.csv": "tabular:nodes_csv",
        "edges.csv": "tabular:edges_csv",
        "claims.csv": "tabular:claims_csv",
        "sources.csv": "tabular:sources_csv",
    },
    "stix": {"graph.stix.json": "stix:to_stix"},
}
"""Format name -> {file name under exports/: ``module:function`` of :mod:`kg.export`}."""


def exporter(target: str) -> Exporter:
    """The function a ``module:function`` entry of :data:`EXPORTERS` names, imported now."""
    module, function = target.split(":")
    return getattr(importlib.import_module(f"kg.export.{module}"), function)


def export_names() -> list[str]:
    """What ``kg export --format`` accepts: every format name, then every file name."""
    return sorted(EXPORTERS) + sorted(name for files in EXPORTERS.values() for name in files)


def _targets(fmt: str) -> dict[str, str]:
    """The files of format ``fmt`` (or the one file ``fmt`` names) and their exporters."""
    if fmt in EXPORTERS:
        return EXPORTERS[fmt]
    for files in EXPORTERS.values():
        if fmt in files:
            return {fmt: files[fmt]}
    raise ExportError(f"unknown format '{fmt}' (known: {', '.join(export_names())})")


def export(graph: Graph, fmt: str) -> dict[str, bytes]:
    """The files of format ``fmt`` by name; ``fmt`` may also name one file (``edges.csv``)."""
    return {name: exporter(target)(graph) for name, target in _targets(fmt).items()}


def render_all(graph: Graph) -> dict[str, bytes]:
    """Every file of every format, by file name."""
    return {name: exporter(target)(graph) for files in EXPORTERS.values() for name, target in files.items()}


def check_output(output: str, fmt: str) -> None:
    """Refuse, before anything is rendered, an ``-o`` no file can be written to: empty, or a folder
    (ending in '/') that does not exist for a format of one file, which would otherwise be
    written as a file of that name."""
    import os

    from kg.terminal import printable

    if output == "":
        raise ExportError("-o is empty: give a file or folder to write to, or '-' for standard output")
    files = _targets(fmt)
    if len(files) == 1 and output.endswith(("/", os.sep)) and not os.path.isdir(output):
        raise ExportError(
            f"-o {printable(output)} ends in '/', a folder, which does not exist: {fmt} is one file; "
            f"make the folder first, or give a file name ({printable(output)}{next(iter(files))})"
        )


def save(files: dict[str, bytes], output: Path) -> list[Path]:
    """Write the files into the folder ``output``, or one file to the file ``output``.

    ``output`` is taken as a folder when it is one, or when there are several files.
    One file may also go into a FIFO or a device (``/dev/stdout``, ``/dev/null``), which
    is written into and never replaced (:func:`kg.files.write_output`).
    """
    from kg.files import write_atomic, write_output

    if len(files) == 1 and not output.is_dir():
        [data] = files.values()
        write_output(output, data)
        return [output]
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is not a folder: {' and '.join(sorted(files))} go into a folder")
    for name, data in sorted(files.items()):
        write_atomic(output / name, data)
    return [output / name for name in sorted(files)]


def single(files: dict[str, bytes], fmt: str) -> bytes:
    """The one file of an export, for standard output; a format of several files needs a folder."""
    if len(files) != 1:
        names = sorted(files)
        raise ExportError(
            f"{fmt} is {len(names)} files ({' and '.join(names)}): give -o FOLDER, or --format {' or '.join(names)}"
        )
    [data] = files.values()
    return data
