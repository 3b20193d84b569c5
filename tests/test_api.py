"""kg.api: ``kg.load()`` and :class:`KnowledgeGraph`, the Python twin of the query commands."""

from __future__ import annotations

import pytest

import kg
from kg.api import KnowledgeGraph
from kg.network import Link, Neighbour, Ranked
from kg.stores.memory import MemoryStore
from kg.vocab import ID

SRC1 = "001_084b21e3a6584c55"


@pytest.fixture(scope="module")
def kg_graph(store: MemoryStore) -> KnowledgeGraph:
    """The curated graph, as ``kg.load()`` hands it over."""
    return kg.load(store=store)


def test_the_python_api_does_what_the_commands_do(kg_graph):
    assert kg_graph.query("ASK { id:ttp kg:alliedWith ?ally }").boolean is True
    assert [row[2] for row in kg_graph.run("allies", actor="ttp")][3] == ID["afghan-taliban"]
    assert len(kg_graph.queries()) == 17
    assert [[s.end for s in p] for p in kg_graph.path("ttp", "Tajikistan")] == [["afghan-taliban", "tajikistan"]]
    assert kg_graph.neighbors("ttp", relations=["allied with"]) == [
        Neighbour("afghan-taliban", 1, (Link("ttp", "alliedWith", "afghan-taliban", "fact", SRC1, (18,)),))
    ]
    assert kg_graph.rank("degree", top=1) == [Ranked("tajikistan", 13.0)]
    assert str(kg_graph.show("zubov")).startswith("Igor Zubov (igor-zubov)\ntype: person\n")
