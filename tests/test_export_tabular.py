"""kg.export.tabular: the projection as GraphML (read back by networkx and igraph) and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import igraph
import networkx as nx
from rdflib import RDF, Graph

from kg.export.tabular import flat
from kg.vocab import KG, STMT

S000 = "000_c8205b38d0f11d5b"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"


# --- GraphML: networkx and igraph read what kg projected ---


def test_graphml_reads_back_in_networkx(net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    read = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    assert sorted(read.nodes(data=True)) == sorted(
        (n, {k: v for k, v in flat(d).items() if k != "id"}) for n, d in net.nodes(data=True)
    )
    got = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in read.edges(data=True))
    want = sorted(
        (u, v, tuple(sorted({**flat(d), "statement": k}.items()))) for u, v, k, d in net.edges(keys=True, data=True)
    )
    assert got == want
    leads = [d for _, _, d in read.edges(data=True) if d["statement"] == LEADS]
    assert leads == [
        {
            "statement": LEADS,
            "relation": "leads",
            "status": "fact",
            "source": S000,
            "paragraph": 6,
            "paragraphs": "6",
            "role": "head",
            "note": "Holds the rank of colonel general.",
        }
    ]


def test_graphml_reads_back_in_igraph(net: nx.MultiDiGraph, files: dict[str, bytes], tmp_path: Path) -> None:
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
            k: flat(attrs)[k] for k in ("label", "type", "kind", "aliases")
        }
    got = sorted(
        (
            read.vs[e.source]["id"],
            read.vs[e.target]["id"],
            e["statement"],
            e["relation"],
            e["status"],
            e["source"],
            int(e["paragraph"]),
        )
        for e in read.es
    )
    want = sorted(
        (u, v, k, d["relation"], d["status"], d["source"], d["paragraph"])
        for u, v, k, d in net.edges(keys=True, data=True)
    )
    assert got == want


def test_claims_are_edges_marked_claimed_never_facts(graph: Graph, net: nx.MultiDiGraph) -> None:
    asserted = {str(st)[len(str(STMT)) :] for st in graph.objects(None, KG.asserts)}
    status = {k: d["status"] for *_, k, d in net.edges(keys=True, data=True)}
    assert asserted and asserted <= set(status)
    assert {status[k] for k in asserted} <= {"claimed", "disputed"}
    facts = {str(st)[len(str(STMT)) :] for st in graph.subjects(RDF.type, KG.Fact)}
    assert {k for k, s in status.items() if s == "fact"} == facts
    airlift = net.edges["islamic-state", "afghanistan-tajikistan-border", "zubov-is-airlift.1"]
    assert airlift == {
        "relation": "operatesIn",
        "status": "claimed",
        "claim": "zubov-is-airlift",
        "claimant": ("igor-zubov",),
        "source": S000,
        "paragraph": 1,
        "paragraphs": (1, 2, 5),
        "date": "2018-01-28",
    }
    sana = net.edges["united-states", "islamic-state", "sana-us-evacuated-is-leaders.1"]
    assert (sana["status"], sana["claimant"]) == ("disputed", ("sana",))
    assert flat(sana)["claimant"] == "sana"
    ttp = net.nodes["ttp"]["aliases"]
    assert ttp == ("Pakistani Taliban", "TTP", "Tehreek-e Taliban Pakistan", "Tehreek-e-Taliban Pakistan")
    assert flat({"aliases": ttp}) == {
        "aliases": "Pakistani Taliban|TTP|Tehreek-e Taliban Pakistan|Tehreek-e-Taliban Pakistan"
    }


# --- CSV: the same rows and columns ---


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_csv_has_one_row_per_node_and_edge(net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    nodes, edges = _rows(files["nodes.csv"]), _rows(files["edges.csv"])
    assert [r["id"] for r in nodes] == sorted(net.nodes)
    assert sorted(r["statement"] for r in edges) == sorted(k for *_, k in net.edges(keys=True))
    assert files["nodes.csv"].startswith(b"id,label,type,kind,aliases,description,date,start,end\n")
    assert files["edges.csv"].startswith(
        b"statement,from,to,relation,status,source,paragraph,paragraphs,confidence,date,start,"
        b"end,role,note,claim,claimant\n"
    )
    [leads] = [r for r in edges if r["statement"] == LEADS]
    assert leads == {
        "statement": LEADS,
        "from": "andrey-novikov",
        "to": "cis-anti-terrorism-centre",
        "relation": "leads",
        "status": "fact",
        "source": S000,
        "paragraph": "6",
        "paragraphs": "6",
        "confidence": "",
        "date": "",
        "start": "",
        "end": "",
        "role": "head",
        "note": "Holds the rank of colonel general.",
        "claim": "",
        "claimant": "",
    }


def test_csv_columns_are_the_graphml_attributes(files: dict[str, bytes]) -> None:
    read = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    node_columns = set(_rows(files["nodes.csv"])[0])
    edge_columns = set(_rows(files["edges.csv"])[0])
    assert {k for _, d in read.nodes(data=True) for k in d} | {"id"} <= node_columns
    assert {k for *_, d in read.edges(data=True) for k in d} | {"from", "to"} <= edge_columns
