"""Exports: each format read back by an independent parser, deterministic, atomic, and fresh."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
import stix2
from click.testing import CliRunner
from conftest import REPO
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import cli
from kg import files as kg_files
from kg.export import EXPORTERS, render_all, save
from kg.export.rdf import GRAPH_IRI, jsonld_context
from kg.export.stix import stix_id
from kg.export.tabular import flat, projection
from kg.files import write_atomic
from kg.release import render_exports
from kg.stores.memory import MemoryStore
from kg.vocab import ID, KG, STMT

S000 = "000_c8205b38d0f11d5b"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"
FILES = ["edges.csv", "graph.graphml", "graph.jsonld", "graph.nq", "graph.nt",
         "graph.stix.json", "graph.trig", "graph.ttl", "nodes.csv"]


@pytest.fixture(scope="module")
def files(graph: Graph) -> dict[str, bytes]:
    """Every export of the curated graph, rendered once."""
    return render_exports(graph)


@pytest.fixture(scope="module")
def net(graph: Graph) -> nx.MultiDiGraph:
    return projection(graph)


# --- the table and the build ---

def test_build_renders_every_file_of_every_format(files: dict[str, bytes]) -> None:
    assert sorted(name for name in files if name in FILES) == FILES
    assert sorted(EXPORTERS) == ["csv", "graphml", "jsonld", "nquads", "ntriples", "stix",
                                 "trig", "turtle"]


def test_committed_exports_are_fresh(files: dict[str, bytes]) -> None:
    """exports/ in the repo is what `kg build` makes of the seeds now (run `kg build` if not)."""
    committed = REPO / "exports"
    found = sorted(str(p.relative_to(committed)) for p in committed.rglob("*") if p.is_file())
    assert found == sorted(files), "exports/ is stale: run `kg build` and commit exports/"
    stale = [name for name, data in sorted(files.items())
             if (committed / name).read_bytes() != data]
    assert stale == [], "exports/ is stale: run `kg build` and commit exports/"


# --- RDF: pyoxigraph reads back a graph isomorphic to kg's own ---

def _term(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@pytest.mark.parametrize("name, fmt", [
    ("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES),
    ("graph.trig", ox.RdfFormat.TRIG), ("graph.nq", ox.RdfFormat.N_QUADS),
    ("graph.jsonld", ox.RdfFormat.JSON_LD)])
def test_rdf_export_parses_with_pyoxigraph_to_the_same_graph(
        graph: Graph, files: dict[str, bytes], name: str, fmt: ox.RdfFormat) -> None:
    quads = list(ox.parse(files[name], format=fmt))
    read = Graph()
    for quad in quads:
        read.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    graphs = {str(q.graph_name) for q in quads}
    expected = {f"<{GRAPH_IRI}>"} if fmt.supports_datasets and fmt != ox.RdfFormat.JSON_LD \
        else {"DEFAULT"}
    assert graphs == expected
    assert not any(isinstance(t, BNode) for triple in read for t in triple)
    assert len(read) == len(graph)
    assert isomorphic(read, graph)


def test_ntriples_and_nquads_lines_are_sorted(files: dict[str, bytes]) -> None:
    for name in ("graph.nt", "graph.nq"):
        lines = files[name].decode().splitlines()
        assert lines == sorted(lines)
    assert files["graph.nq"].count(b"\n") == files["graph.nt"].count(b"\n")


def test_jsonld_is_compact_with_the_committed_context(files: dict[str, bytes]) -> None:
    document = json.loads(files["graph.jsonld"])
    committed = json.loads((REPO / "ontology" / "context.jsonld").read_text())
    assert document["@context"] == committed["@context"]
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert nodes["id:ttp"]["@type"] == "ArmedGroup"
    assert nodes["id:ttp"]["label"] == "Tehrik-e-Taliban Pakistan"
    fact = nodes[f"stmt:{LEADS}"]
    assert (fact["subject"], fact["predicate"], fact["object"], fact["roleTitle"]) == (
        "id:andrey-novikov", "leads", "id:cis-anti-terrorism-centre", "head")
    assert fact["derivedFrom"] == f"src:{S000}-p6"
    full = {key for node in document["@graph"] for key in node if "://" in key}
    full |= {value for node in document["@graph"] for key, value in node.items()
             if key in ("@id", "@type") and "://" in str(value)}
    assert full == {"https://w3id.org/kg-armed-actors/ontology"}  # the ontology's own IRI


def test_context_names_every_object_property_as_an_iri(graph: Graph) -> None:
    context = jsonld_context()
    kg_properties = {str(p) for p in graph.subjects(RDF.type, KG.RelationshipProperty)}
    kg_properties |= {str(p) for p in graph.subjects(
        RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty"))}
    named = {context[k]["@id"].replace("kg:", str(KG._NS)): k for k in context
             if isinstance(context[k], dict) and context[k].get("@type") in ("@id", "@vocab")}
    assert sorted(kg_properties - set(named)) == []


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
    out = subprocess.run([sys.executable, "-c", _HASHES, str(REPO / "seeds")], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out == expected


def test_exports_do_not_depend_on_triple_order(graph: Graph, files: dict[str, bytes]) -> None:
    shuffled = Graph()
    for prefix, namespace in graph.namespaces():
        shuffled.bind(prefix, namespace, override=True)
    for triple in sorted(graph, reverse=True):
        shuffled.add(triple)
    assert render_all(shuffled) == {name: files[name] for name in FILES}


# --- atomic writes ---

def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(kg_files.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_save_writes_one_file_or_a_folder(tmp_path: Path) -> None:
    assert save({"graph.ttl": b"x"}, tmp_path / "out.ttl") == [tmp_path / "out.ttl"]
    assert save({"graph.ttl": b"x"}, tmp_path) == [tmp_path / "graph.ttl"]
    assert save({"nodes.csv": b"n", "edges.csv": b"e"}, tmp_path / "csv") == [
        tmp_path / "csv" / "edges.csv", tmp_path / "csv" / "nodes.csv"]
    assert (tmp_path / "csv" / "nodes.csv").read_bytes() == b"n"


# --- GraphML: networkx and igraph read what kg projected ---

def _edges(net: nx.MultiDiGraph) -> list[tuple]:
    return sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in net.edges(keys=True,
                                                                                    data=True))


def test_graphml_reads_back_in_networkx(net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    read = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    assert sorted(read.nodes(data=True)) == sorted(
        (n, {k: v for k, v in flat(d).items() if k != "id"}) for n, d in net.nodes(data=True))
    got = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in read.edges(data=True))
    want = sorted((u, v, tuple(sorted({**flat(d), "statement": k}.items())))
                  for u, v, k, d in net.edges(keys=True, data=True))
    assert got == want
    leads = [d for _, _, d in read.edges(data=True) if d["statement"] == LEADS]
    assert leads == [{"statement": LEADS, "relation": "leads", "status": "fact",
                      "source": S000, "paragraph": 6, "paragraphs": "6", "role": "head",
                      "note": "Holds the rank of colonel general."}]


def test_graphml_reads_back_in_igraph(net: nx.MultiDiGraph, files: dict[str, bytes],
                                      tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    path.write_bytes(files["graph.graphml"])
    read = igraph.Graph.Read_GraphML(str(path))
    assert (read.vcount(), read.ecount()) == (net.number_of_nodes(), net.number_of_edges())
    assert read.is_directed()
    assert read.vs["id"] == sorted(net.nodes)
    node_keys = {k for _, d in net.nodes(data=True) for k in d}
    edge_keys = {k for *_, d in net.edges(data=True) for k in d} | {"statement"}
    assert set(read.vs.attributes()) == node_keys
    assert set(read.es.attributes()) == edge_keys
    for vertex in read.vs:
        attrs = net.nodes[vertex["id"]]
        assert {k: vertex[k] for k in ("label", "type", "kind", "aliases")} == {
            k: flat(attrs)[k] for k in ("label", "type", "kind", "aliases")}
    got = sorted((read.vs[e.source]["id"], read.vs[e.target]["id"], e["statement"],
                  e["relation"], e["status"], e["source"], int(e["paragraph"])) for e in read.es)
    want = sorted((u, v, k, d["relation"], d["status"], d["source"], d["paragraph"])
                  for u, v, k, d in net.edges(keys=True, data=True))
    assert got == want


def test_claims_are_edges_marked_claimed_never_facts(graph: Graph,
                                                     net: nx.MultiDiGraph) -> None:
    asserted = {str(st)[len(str(STMT)):] for st in graph.objects(None, KG.asserts)}
    status = {k: d["status"] for *_, k, d in net.edges(keys=True, data=True)}
    assert asserted and asserted <= set(status)
    assert {status[k] for k in asserted} <= {"claimed", "disputed"}
    facts = {str(st)[len(str(STMT)):] for st in graph.subjects(RDF.type, KG.Fact)}
    assert {k for k, s in status.items() if s == "fact"} == facts
    airlift = net.edges["islamic-state", "afghanistan-tajikistan-border", "zubov-is-airlift.1"]
    assert airlift == {"relation": "operatesIn", "status": "claimed", "claim": "zubov-is-airlift",
                       "claimant": ("igor-zubov",), "source": S000, "paragraph": 1,
                       "paragraphs": (1, 2, 5), "date": "2018-01-28"}
    sana = net.edges["united-states", "islamic-state", "sana-us-evacuated-is-leaders.1"]
    assert (sana["status"], sana["claimant"]) == ("disputed", ("sana",))
    assert flat(sana)["claimant"] == "sana"
    ttp = net.nodes["ttp"]["aliases"]
    assert ttp == ("Pakistani Taliban", "TTP", "Tehreek-e Taliban Pakistan", "Tehreek-e-Taliban Pakistan")
    assert flat({"aliases": ttp}) == {"aliases": "Pakistani Taliban|TTP|Tehreek-e Taliban Pakistan|"
                                                 "Tehreek-e-Taliban Pakistan"}


# --- CSV: the same rows and columns ---

def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_csv_has_one_row_per_node_and_edge(net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    nodes, edges = _rows(files["nodes.csv"]), _rows(files["edges.csv"])
    assert [r["id"] for r in nodes] == sorted(net.nodes)
    assert sorted(r["statement"] for r in edges) == sorted(k for *_, k in net.edges(keys=True))
    assert files["nodes.csv"].startswith(
        b"id,label,type,kind,aliases,description,date,start,end\n")
    assert files["edges.csv"].startswith(
        b"statement,from,to,relation,status,source,paragraph,paragraphs,confidence,date,start,"
        b"end,role,note,claim,claimant\n")
    [leads] = [r for r in edges if r["statement"] == LEADS]
    assert leads == {"statement": LEADS, "from": "andrey-novikov",
                     "to": "cis-anti-terrorism-centre", "relation": "leads", "status": "fact",
                     "source": S000, "paragraph": "6", "paragraphs": "6", "confidence": "",
                     "date": "", "start": "", "end": "", "role": "head",
                     "note": "Holds the rank of colonel general.", "claim": "", "claimant": ""}


def test_csv_columns_are_the_graphml_attributes(files: dict[str, bytes]) -> None:
    read = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    node_columns = set(_rows(files["nodes.csv"])[0])
    edge_columns = set(_rows(files["edges.csv"])[0])
    assert {k for _, d in read.nodes(data=True) for k in d} | {"id"} <= node_columns
    assert {k for *_, d in read.edges(data=True) for k in d} | {"from", "to"} <= edge_columns


# --- STIX 2.1 ---

def test_stix_bundle_parses_and_every_reference_resolves(files: dict[str, bytes]) -> None:
    bundle = stix2.parse(files["graph.stix.json"].decode(), allow_custom=False)
    objects = json.loads(files["graph.stix.json"])["objects"]
    ids = [o["id"] for o in objects]
    assert len(bundle.objects) == len(objects) and ids == sorted(set(ids))
    refs = {r for o in objects for key, value in o.items()
            if key.endswith("_ref") or key.endswith("_refs")
            for r in ([value] if isinstance(value, str) else value)}
    assert refs - set(ids) == set()
    types = {o["relationship_type"] for o in objects if o["type"] == "relationship"}
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t) for t in types)


def test_stix_maps_each_kind(graph: Graph, net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    by_type: dict[str, int] = {}
    for obj in objects.values():
        by_type[obj["type"]] = by_type.get(obj["type"], 0) + 1
    count = len(set(graph.subjects(RDF.type, KG.ArmedGroup)))
    assert by_type["threat-actor"] == count
    assert by_type["note"] == len(set(graph.subjects(RDF.type, KG.Claim)))
    assert by_type["report"] == len(set(graph.subjects(RDF.type, KG.Source)))
    assert by_type.get("incident", 0) == sum(
        1 for _, kind in net.nodes(data="kind") if kind == "event")
    tajikistan = objects[stix_id("location", ID["tajikistan"])]
    assert (tajikistan["name"], tajikistan["country"]) == ("Tajikistan", "TJ")
    assert objects[stix_id("identity", ID["tajikistan"])]["identity_class"] == "organization"
    ttp = objects[stix_id("threat-actor", ID["ttp"])]
    assert "Pakistani Taliban" in ttp["aliases"]


def test_stix_relationship_for_a_fact_has_the_right_ends(files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    leads = objects[stix_id("relationship", STMT[LEADS])]
    assert (leads["relationship_type"], leads["source_ref"], leads["target_ref"]) == (
        "leads", stix_id("identity", ID["andrey-novikov"]),
        stix_id("identity", ID["cis-anti-terrorism-centre"]))
    assert leads["description"] == "Role: head. Holds the rank of colonel general."
    assert leads["external_references"] == [{
        "source_name": "kg-armed-actors", "external_id": f"{S000}-p6",
        "url": f"https://w3id.org/kg-armed-actors/source/{S000}-p6"}]
    base = objects[stix_id("relationship",
                           STMT[f"{S000}.russia-201st-military-base.locatedIn.dushanbe"])]
    assert (base["relationship_type"], base["source_ref"], base["target_ref"]) == (
        "located-at", stix_id("location", ID["russia-201st-military-base"]),
        stix_id("location", ID["dushanbe"]))
    hosts = objects[stix_id("relationship",
                            STMT[f"{S000}.tajikistan.hosts.russia-201st-military-base"])]
    assert (hosts["source_ref"], hosts["target_ref"]) == (
        stix_id("identity", ID["tajikistan"]), stix_id("location", ID["russia-201st-military-base"]))
    kwan = objects[stix_id("relationship",
                           STMT[f"{S000}.sergey-kwan.worksFor.kyrgyzstan-chronicle"])]
    assert (kwan["start_time"], kwan["stop_time"]) == ("1996-01-01T00:00:00Z",
                                                       "1998-01-01T00:00:00Z")


def test_stix_claims_are_notes_never_relationships(graph: Graph, files: dict[str, bytes]) -> None:
    objects = {o["id"]: o for o in json.loads(files["graph.stix.json"])["objects"]}
    contents = list(graph.objects(None, KG.asserts))
    assert not {stix_id("relationship", st) for st in contents} & set(objects)
    sana = objects[stix_id("note", ID["sana-us-evacuated-is-leaders"])]
    assert sana["labels"] == ["claim", "accusation", "disputed"]
    assert sana["authors"] == ["Syrian Arab News Agency"]
    assert "Asserts (a claim, not a fact): United States supports Islamic State." in sana["content"]
    assert stix_id("identity", ID["united-states"]) in sana["object_refs"]
    denial = objects[stix_id("note", ID["coalition-denies-evacuation"])]
    assert denial["object_refs"] == [sana["id"]]
    report = objects[stix_id("report", URIRef(f"https://w3id.org/kg-armed-actors/source/{S000}"))]
    assert {sana["id"], denial["id"], stix_id("relationship", STMT[LEADS])} <= set(
        report["object_refs"])
    assert report["published"] == "2018-01-01T00:00:00Z"


# --- the command ---

class _Runner(CliRunner):
    """A CliRunner whose commands read the session's graph (handed in as ``obj``)."""

    def __init__(self, store: MemoryStore) -> None:
        super().__init__()
        self.store = store

    def invoke(self, *args, **kwargs):  # type: ignore[override]
        return super().invoke(*args, obj=self.store, **kwargs)


@pytest.fixture
def runner(store: MemoryStore) -> CliRunner:
    """A CliRunner whose commands use the session's graph instead of rebuilding it."""
    return _Runner(store)


def test_export_writes_to_standard_output(runner: CliRunner, files: dict[str, bytes]) -> None:
    result = runner.invoke(cli.main, ["export", "--format", "turtle"])
    assert result.exit_code == 0
    assert result.stdout_bytes == files["graph.ttl"]
    result = runner.invoke(cli.main, ["export", "--format", "edges.csv"])
    assert result.stdout_bytes == files["edges.csv"]


def test_export_csv_writes_two_files_into_a_folder(runner: CliRunner, files: dict[str, bytes],
                                                   tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = runner.invoke(cli.main, ["export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert result.output == (f"wrote {out / 'edges.csv'} ({len(files['edges.csv'])} bytes)\n"
                             f"wrote {out / 'nodes.csv'} ({len(files['nodes.csv'])} bytes)\n")
    assert (out / "nodes.csv").read_bytes() == files["nodes.csv"]


def test_export_csv_to_standard_output_is_an_error(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["export", "--format", "csv"])
    assert result.exit_code == 1
    assert result.stderr == ("error: csv is 2 files (edges.csv and nodes.csv): give -o FOLDER, "
                             "or --format edges.csv or nodes.csv\n")


def test_export_stix_to_a_file(runner: CliRunner, files: dict[str, bytes],
                               tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = runner.invoke(cli.main, ["export", "--format", "stix", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes() == files["graph.stix.json"]
