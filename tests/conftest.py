"""Shared fixtures: the curated graph (built once per test session) and a SPARQL helper."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import compile_graph
from kg.vocab import PREFIXES

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SOURCES = REPO.parent / "shared" / "sources"
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The graph of the repo's own seeds, validated and SHACL-checked."""
    return compile_graph(REPO / "seeds")


def select(graph: Graph, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT with kg's prefixes; rows as tuples of strings (None for unbound), sorted.

    IRIs in kg's namespaces come back as prefixed names (``id:ttp``), so tests read plainly.
    """
    rows = []
    for row in graph.query(PROLOGUE + query):
        rows.append(tuple(None if v is None else _short(graph, v) for v in row))
    return sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))


def ask(graph: Graph, query: str) -> bool:
    """Run an ASK with kg's prefixes."""
    return bool(graph.query(PROLOGUE + query).askAnswer)


def _short(graph: Graph, value) -> str:
    from rdflib import URIRef

    if isinstance(value, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(value).startswith(ns):
                return f"{prefix}:{str(value)[len(ns):]}"
    return str(value)
