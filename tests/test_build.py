"""`kg build`: deterministic, atomic, SHACL-checked."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import DATA, PROJECT
from rdflib import RDF, Graph
from rdflib.namespace import PROV

from kg.cli import main
from kg.errors import ShapeViolation
from kg.pipeline import compile_graph
from kg.project import seeds_project
from kg.release import build
from kg.shapes import check_shapes
from kg.vocab import ID, KG


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_give_identical_bytes(tmp_path):
    build(PROJECT, tmp_path / "a", cache=False)
    build(PROJECT, tmp_path / "b", cache=False)
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert first and first == second


def test_failing_build_leaves_exports_untouched(tmp_path):
    exports = tmp_path / "exports"
    build(seeds_project(DATA / "mini"), exports, cache=False)
    (exports / "notes.txt").write_text("kept")
    before = snapshot(exports)
    result = CliRunner().invoke(main, ["build", "--seeds", str(DATA / "broken"),
                                       "--exports", str(exports)])
    assert result.exit_code == 1
    assert snapshot(exports) == before
    assert not [p for p in tmp_path.iterdir() if p.name != "exports"]  # no staging left behind


def test_build_prints_a_summary(tmp_path):
    result = CliRunner().invoke(main, ["build", "--seeds", str(DATA / "mini"),
                                       "--exports", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "built 705 triples: 5 entities, 6 facts, 1 events, 2 claims (1 disputed) from 1 sources")


def test_shacl_rejects_a_relationship_without_a_source():
    graph = compile_graph(DATA / "mini", shapes=False)
    graph.add((ID["red-hand"], KG.alliedWith, ID["freeland"]))
    with pytest.raises(ShapeViolation) as info:
        check_shapes(graph)
    assert info.value.messages == [
        "id:red-hand: relationship kg:alliedWith to id:freeland has no source: "
        "no kg:Fact with a passage backs it"]


def test_shacl_rejects_a_fact_without_a_passage():
    graph = compile_graph(DATA / "mini", shapes=False)
    fact = sorted(graph.subjects(RDF.type, KG.Fact))[0]
    graph.remove((fact, PROV.wasDerivedFrom, None))
    with pytest.raises(ShapeViolation) as info:
        check_shapes(graph)
    assert any("a fact must point to a source passage" in m for m in info.value.messages)


def test_claim_content_is_not_asserted(tmp_path):
    graph = compile_graph(DATA / "mini")
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in graph
    out = tmp_path / "out"
    build(seeds_project(DATA / "mini"), out, cache=False)
    reread = Graph().parse(out / "graph.ttl")
    assert (ID["ford-post-raid"], KG.perpetrator, ID["red-hand"]) not in reread
    assert len(reread) == len(graph)


def test_seeds_are_not_modified_by_a_build(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "mini", seeds)
    before = snapshot(seeds)
    build(seeds_project(seeds), tmp_path / "out", cache=False)
    assert snapshot(seeds) == before
