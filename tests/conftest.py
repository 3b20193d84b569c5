"""Shared fixtures, each built once per test session: this repository's project, its curated
graph (in memory, behind the Python API, bulk-loaded into Oxigraph, rendered to every export),
the small fixture ``tests/data/mini``, the named queries' example parameters, and SPARQL helpers.

Tests that need the source texts find them through the project's ``kg.toml``; where the texts
are absent they are skipped with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import BNode, Graph
from rdflib.term import Identifier

from kg.api import KnowledgeGraph
from kg.pipeline import compile_graph
from kg.project import load_project
from kg.stores import QueryResult
from kg.stores.memory import MemoryStore
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from kg.stores.oxigraph import OxigraphStore

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
PROJECT = load_project(REPO)
SEEDS = PROJECT.seeds
SOURCES = PROJECT.sources
ARTIFACTS = REPO / "test-artifacts"
"""Screenshots the browser tests leave for a person to look at."""
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


# --- the curated graph ---


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The graph of the repo's own seeds, validated and SHACL-checked (built once)."""
    return compile_graph(SEEDS)


@pytest.fixture(scope="session")
def store(graph: Graph) -> MemoryStore:
    """The curated graph in memory, as commands read it."""
    return MemoryStore(graph)


@pytest.fixture(scope="session")
def kg_graph(store: MemoryStore) -> KnowledgeGraph:
    """The curated graph behind the Python API (its names and projections computed once)."""
    return KnowledgeGraph(store)


@pytest.fixture(scope="session")
def oxigraph(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    """The curated graph, bulk-loaded into an on-disk Oxigraph store."""
    from kg.stores.oxigraph import OxigraphStore, load

    folder = tmp_path_factory.mktemp("oxigraph")
    source = folder / "graph.nt"
    source.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    load([source], folder / "store")
    return OxigraphStore(folder / "store")


@pytest.fixture(scope="session")
def files(graph: Graph) -> dict[str, bytes]:
    """Every file of ``exports/`` made from the curated graph (data and views), rendered once."""
    from kg.release import render_exports

    return render_exports(graph)


@pytest.fixture(scope="session")
def net(graph: Graph) -> nx.MultiDiGraph:
    """The curated graph's networkx projection, as the GraphML, CSV and STIX writers see it."""
    from kg.export.tabular import projection

    return projection(graph)


# --- the small fixture ---


@pytest.fixture(scope="session")
def mini() -> MemoryStore:
    """``tests/data/mini`` (five entities, one source), validated and SHACL-checked, in memory.

    For counts and layouts that are not about the curated data: a curation change leaves them be.
    """
    return MemoryStore(compile_graph(MINI))


@pytest.fixture(scope="session")
def full(mini: MemoryStore) -> nx.MultiDiGraph:
    """The mini graph as views draw it (:func:`kg.view.annotated`): every node and edge, claims included."""
    from kg.view import annotated

    return annotated(mini)


# --- the named queries, on any store ---

DATES = {"from": "2000-01-01", "to": "2030-12-31"}
"""The range every named query's date parameters are run over."""


def example_bindings(graph: Graph) -> dict[str, dict[str, Identifier]]:
    """Every named query's parameters bound to the example its header gives."""
    from kg.queries import examples

    return examples(MemoryStore(graph), DATES)


@pytest.fixture(scope="session")
def examples(graph: Graph) -> dict[str, dict[str, Identifier]]:
    """:func:`example_bindings` of the curated graph, worked out once."""
    return example_bindings(graph)


def answer(result: QueryResult) -> tuple:
    """A result comparable across stores: its rows in the order given, blank nodes alike."""

    def key(term: Identifier | None) -> str:
        return "" if term is None else "_:b" if isinstance(term, BNode) else term.n3()

    if result.kind == "ask":
        return ("ask", result.boolean)
    if result.kind == "graph":
        assert result.graph is not None
        return ("graph", sorted(tuple(map(key, t)) for t in result.graph))
    return ("select", result.variables, [tuple(map(key, row)) for row in result.rows])


# --- SPARQL with kg's prefixes ---


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
                return f"{prefix}:{str(value)[len(ns) :]}"
    return str(value)


# --- a real headless browser, for the pages kg writes ---

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (CI=true: browser tests must run)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test, logging console and network."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium")
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _missing("chromium or chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


PAGE_LOADED = "return document.readyState === 'complete'"
NETWORK_SETTLED = "return !!(window.kgView && window.kgView.ready)"


def open_in_browser(driver, url: str, ready: str = PAGE_LOADED) -> tuple[list[dict], list[str]]:
    """Load ``url`` and wait until ``ready`` (a script) is true: (console messages, URLs requested)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(ready))
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return driver.get_log("browser"), requests
