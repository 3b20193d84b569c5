"""Shared fixtures: this repository's project, its curated graph (built once per test session)
and a SPARQL helper.

Tests that need the source texts find them through the project's ``kg.toml``; where the texts
are absent they are skipped with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import compile_graph
from kg.project import load_project
from kg.stores.memory import MemoryStore
from kg.vocab import PREFIXES

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PROJECT = load_project(REPO)
SEEDS = PROJECT.seeds
SOURCES = PROJECT.sources
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def needs_sources() -> Path:
    """The project's source texts; skip (fail under CI=true) when they are not there."""
    if PROJECT.source_texts() is None:
        reason = f"the source texts named in kg.toml are not at {SOURCES}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert SOURCES is not None
    return SOURCES


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The graph of the repo's own seeds, validated and SHACL-checked (built once)."""
    return compile_graph(SEEDS)


@pytest.fixture(scope="session")
def store(graph: Graph) -> MemoryStore:
    """The curated graph in memory, as commands read it."""
    return MemoryStore(graph)


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
