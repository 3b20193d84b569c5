"""kg.export: the table of formats, every file deterministic (whatever the process or triple
order), and saving one file or a folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from rdflib import Graph

from kg.export import EXPORTERS, render_all, save

FILES = [
    "claims.csv",
    "edges.csv",
    "graph.graphml",
    "graph.jsonld",
    "graph.nq",
    "graph.nt",
    "graph.stix.json",
    "graph.trig",
    "graph.ttl",
    "nodes.csv",
    "sources.csv",
]


def test_build_renders_every_file_of_every_format(files: dict[str, bytes]) -> None:
    assert sorted(name for name in files if name in FILES) == FILES
    assert sorted(EXPORTERS) == ["csv", "graphml", "jsonld", "nquads", "ntriples", "stix", "trig", "turtle"]


# --- determinism ---


_HASHES = """
import hashlib, sys
from pathlib import Path
from kg.pipeline import compile_graph
from kg.export import EXPORTERS, exporter
graph = compile_graph(Path(sys.argv[1]), shapes=False)
for name, write in sorted(f for files in EXPORTERS.values() for f in files.items()):
    data = exporter(write)(graph)
    print(name, hashlib.sha256(data).hexdigest())
"""


def test_exports_are_byte_identical_across_processes(files: dict[str, bytes]) -> None:
    """A process with another hash seed (so other set and dict order) writes the same bytes."""
    expected = "".join(f"{name} {hashlib.sha256(files[name]).hexdigest()}\n" for name in FILES)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", _HASHES, str(REPO / "seeds")], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out == expected


def test_exports_do_not_depend_on_triple_order(graph: Graph, files: dict[str, bytes]) -> None:
    shuffled = Graph()
    for prefix, namespace in graph.namespaces():
        shuffled.bind(prefix, namespace, override=True)
    for triple in sorted(graph, reverse=True):
        shuffled.add(triple)
    assert render_all(shuffled) == {name: files[name] for name in FILES}


# --- saving ---


def test_save_writes_one_file_or_a_folder(tmp_path: Path) -> None:
    assert save({"graph.ttl": b"x"}, tmp_path / "out.ttl") == [tmp_path / "out.ttl"]
    assert save({"graph.ttl": b"x"}, tmp_path) == [tmp_path / "graph.ttl"]
    assert save({"nodes.csv": b"n", "edges.csv": b"e"}, tmp_path / "csv") == [
        tmp_path / "csv" / "edges.csv",
        tmp_path / "csv" / "nodes.csv",
    ]
    assert (tmp_path / "csv" / "nodes.csv").read_bytes() == b"n"
