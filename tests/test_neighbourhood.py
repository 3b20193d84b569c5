"""kg.neighbourhood: paths and neighbours from queries about a few entities give the answers
of the whole projection (kg.network), on the in-memory and the Oxigraph store."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from kg import neighbourhood, network
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore


@pytest.fixture(scope="module")
def whole(store: MemoryStore) -> dict[bool, nx.MultiDiGraph]:
    """The whole projection, without and with claims."""
    return {claims: network.to_networkx(store, claims=claims) for claims in (False, True)}


def test_a_neighbourhood_holds_only_what_touches_it(store):
    net = neighbourhood.around(store, "ttp", claims=False)
    assert sorted(net.nodes) == ["afghan-taliban", "pakistan", "pakistan-security-forces", "ttp"]
    assert sorted((u, v, a["relation"]) for u, v, a in net.edges(data=True)) == [
        ("ttp", "afghan-taliban", "alliedWith"),
        ("ttp", "pakistan", "targets"),
        ("ttp", "pakistan-security-forces", "targets"),
    ]
    assert net.nodes["pakistan"] == network.to_networkx(store).nodes["pakistan"]


def test_every_entitys_neighbours_as_the_whole_projection_gives_them(oxigraph: OxigraphStore, whole):
    for ident, claims, depth in itertools.product(sorted(whole[False].nodes), (False, True), (1, 2)):
        expected = network.neighbors(whole[claims], ident, depth)
        assert neighbourhood.neighbors(oxigraph, ident, depth, None, claims) == expected, (ident, claims, depth)


def test_neighbours_by_relation(oxigraph: OxigraphStore, whole):
    located = frozenset({"locatedIn"})
    for ident in sorted(n for n, kind in whole[False].nodes(data="kind") if kind == "place"):
        expected = network.neighbors(whole[False], ident, 2, located)
        assert neighbourhood.neighbors(oxigraph, ident, 2, located) == expected, ident


def test_shortest_paths_as_the_whole_projection_gives_them(oxigraph: OxigraphStore, whole):
    """200 pairs drawn at random (fixed seed), with and without claims, some through no place."""
    rng = random.Random(13)
    nodes = sorted(whole[False].nodes)
    found = 0
    for _ in range(200):
        a, b = rng.sample(nodes, 2)
        claims = rng.random() < 0.5
        avoid = ("place",) if rng.random() < 0.3 else ()
        net = whole[claims]
        banned = network.of_types(net, avoid) - {a, b}
        expected = network.shortest_paths(net, a, b, avoid=banned)
        assert neighbourhood.shortest_paths(oxigraph, a, b, claims, avoid_types=avoid) == expected, (a, b)
        found += bool(expected)
    assert found > 50  # many pairs are linked: the comparison is not only of empty answers


def test_a_path_within_a_length(oxigraph: OxigraphStore):
    assert [[s.end for s in p] for p in neighbourhood.shortest_paths(oxigraph, "ttp", "tajikistan", max_length=2)] == [
        ["afghan-taliban", "tajikistan"]
    ]
    assert neighbourhood.shortest_paths(oxigraph, "ttp", "tajikistan", max_length=1) == []
    assert neighbourhood.between(oxigraph, "ttp", "tajikistan", max_length=1) is None


def test_the_search_stops_where_the_two_sides_meet(store: MemoryStore):
    """ttp - afghan-taliban - tajikistan: one step from each side, the graph beyond never fetched."""
    net = neighbourhood.between(store, "ttp", "tajikistan")
    assert net is not None
    assert net.number_of_nodes() < 40 < network.to_networkx(store).number_of_nodes()
