"""kg.network: shortest paths, neighbours and rankings over the projection."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import KgError
from kg.network import (
    Link,
    Neighbour,
    Ranked,
    Step,
    actor_network,
    neighbors,
    rank,
    shortest_paths,
    to_networkx,
)
from kg.stores.memory import MemoryStore


def edge(net: nx.MultiDiGraph, a: str, relation: str, b: str, source: str = "001", status: str = "fact") -> None:
    net.add_edge(
        a,
        b,
        key=f"{a}.{relation}.{b}.{source}",
        relation=relation,
        status=status,
        source=source,
        paragraph=1,
        paragraphs=(1,),
    )


@pytest.fixture
def toy() -> nx.MultiDiGraph:
    """a - b - d and a - c - d (two shortest paths), e alone; b and c are actors, d a place."""
    net = nx.MultiDiGraph()
    for node, kind in (("a", "actor"), ("b", "actor"), ("c", "actor"), ("d", "place"), ("e", "actor")):
        net.add_node(node, kind=kind)
    edge(net, "a", "alliedWith", "b")
    edge(net, "a", "alliedWith", "b", source="002")
    edge(net, "c", "targets", "a")
    edge(net, "b", "operatesIn", "d")
    edge(net, "c", "basedIn", "d")
    return net


def link(a: str, relation: str, b: str, source: str = "001") -> Link:
    return Link(a, relation, b, "fact", source, (1,))


def test_all_shortest_paths_whatever_the_direction(toy):
    assert shortest_paths(toy, "d", "a") == [
        [
            Step("d", "b", (link("b", "operatesIn", "d"),)),
            Step("b", "a", (link("a", "alliedWith", "b"), link("a", "alliedWith", "b", "002"))),
        ],
        [Step("d", "c", (link("c", "basedIn", "d"),)), Step("c", "a", (link("c", "targets", "a"),))],
    ]
    assert len(shortest_paths(toy, "d", "a", limit=1)) == 1
    assert shortest_paths(toy, "a", "e") == []


def test_neighbours_by_distance_and_relation(toy):
    assert neighbors(toy, "a") == [
        Neighbour("b", 1, (link("a", "alliedWith", "b"), link("a", "alliedWith", "b", "002"))),
        Neighbour("c", 1, (link("c", "targets", "a"),)),
    ]
    assert [(n.id, n.distance) for n in neighbors(toy, "a", depth=2)] == [("b", 1), ("c", 1), ("d", 2)]
    assert [n.id for n in neighbors(toy, "a", 2, frozenset({"alliedWith", "operatesIn"}))] == ["b", "d"]


def test_actor_network_drops_places_and_weights_links(toy):
    actors = actor_network(toy)
    assert sorted(actors.nodes) == ["a", "b", "c", "e"]
    assert sorted(actors.edges(data="weight")) == [("a", "b", 2), ("a", "c", 1)]


def test_rank_by_each_measure(toy):
    assert rank(toy, "degree") == [Ranked("a", 2.0), Ranked("b", 1.0), Ranked("c", 1.0), Ranked("e", 0.0)]
    assert rank(toy, "betweenness", top=1) == [Ranked("a", pytest.approx(1 / 3))]
    assert [r.id for r in rank(toy, "pagerank")] == ["a", "b", "c", "e"]
    with pytest.raises(KgError, match=r"^unknown ranking 'closeness' \(use one of degree, "):
        rank(toy, "closeness")


@pytest.fixture(scope="module")
def curated(store: MemoryStore) -> MemoryStore:
    return store


def test_curated_path_from_the_ttp_to_tajikistan(curated):
    assert shortest_paths(to_networkx(curated), "ttp", "tajikistan") == [
        [
            Step(
                "ttp",
                "afghan-taliban",
                (Link("ttp", "alliedWith", "afghan-taliban", "fact", "001_084b21e3a6584c55", (18,)),),
            ),
            Step(
                "afghan-taliban",
                "tajikistan",
                (Link("tajikistan", "cooperatesWith", "afghan-taliban", "fact", "003_ce4f7711c776f642", (8,)),),
            ),
        ]
    ]


def test_curated_ranking_leaves_out_claims_unless_asked(curated):
    facts = rank(to_networkx(curated, events=False), "degree", top=3)
    with_claims = rank(to_networkx(curated, claims=True, events=False), "degree", top=4)
    assert facts == [Ranked("tajikistan", 13.0), Ranked("afghanistan", 5.0), Ranked("pakistan", 4.0)]
    assert with_claims == [
        Ranked("tajikistan", 16.0),
        Ranked("afghanistan", 10.0),
        Ranked("islamic-state", 8.0),
        Ranked("ttp", 8.0),
    ]
