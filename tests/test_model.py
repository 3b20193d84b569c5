"""kg.model: records become RDF triples; what a claim says is never asserted as a fact."""

from __future__ import annotations

from conftest import DATA
from rdflib import Graph

from kg.project import seeds_project
from kg.release import build
from kg.vocab import ID, KG


def test_claim_content_is_not_asserted(tmp_path, mini):
    graph = mini.graph()
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in graph
    out = tmp_path / "out"
    build(seeds_project(DATA / "mini"), out, cache=False)
    reread = Graph().parse(out / "graph.ttl")
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in reread
    assert len(reread) == len(graph)
