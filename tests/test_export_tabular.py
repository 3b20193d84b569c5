"""kg.export.tabular: the projection as GraphML (read back by networkx and igraph) and CSV with the
column names Gephi reads; claims.csv and sources.csv, read back with the csv module."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import igraph
import networkx as nx
from conftest import DATA, select
from rdflib import RDF, Graph

from kg.export.tabular import CLAIM_COLUMNS, claims_csv, edges_csv, flat, sources_csv
from kg.pipeline import compile_graph
from kg.vocab import KG, STMT

S000 = "000_c8205b38d0f11d5b"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"
QUALIFIED = DATA / "qualified"


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
            e["source"] or None,
            None if math.isnan(e["paragraph"]) else int(e["paragraph"]),
        )
        for e in read.es
    )
    want = sorted(
        (u, v, k, d["relation"], d["status"], d.get("source") or None, d.get("paragraph"))
        for u, v, k, d in net.edges(keys=True, data=True)
    )
    assert got == want  # a fact on the curator's knowledge has no source and no paragraph


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


# --- CSV: Gephi's column names, then the same attributes as GraphML ---


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def test_csv_has_one_row_per_node_and_edge(net: nx.MultiDiGraph, files: dict[str, bytes]) -> None:
    nodes, edges = _rows(files["nodes.csv"]), _rows(files["edges.csv"])
    assert [r["Id"] for r in nodes] == sorted(net.nodes)
    assert sorted(r["Id"] for r in edges) == sorted(k for *_, k in net.edges(keys=True))
    assert files["nodes.csv"].startswith(b"Id,Label,type,kind,aliases,description,date,start,end\n")
    assert files["edges.csv"].startswith(
        b"Id,Source,Target,Type,Kind,Label,Weight,relation,status,qualifier,basis,source_id,paragraph,paragraphs,"
        b"confidence,date,start,end,role,note,claim,claimant\n"
    )
    [leads] = [r for r in edges if r["Id"] == LEADS]
    assert leads == {
        "Id": LEADS,
        "Source": "andrey-novikov",
        "Target": "cis-anti-terrorism-centre",
        "Type": "Directed",
        "Kind": "leads",
        "Label": "leads",
        "Weight": "1",
        "relation": "leads",
        "status": "fact",
        "qualifier": "",
        "basis": "",
        "source_id": S000,
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
    [ttp] = [r for r in nodes if r["Id"] == "ttp"]
    assert (ttp["Label"], ttp["type"], ttp["aliases"]) == (
        "Tehrik-e-Taliban Pakistan",
        "armed group",
        "Pakistani Taliban|TTP|Tehreek-e Taliban Pakistan|Tehreek-e-Taliban Pakistan",
    )


def test_csv_columns_are_what_gephi_reads(files: dict[str, bytes]) -> None:
    """Gephi's spreadsheet import takes Id and Label (nodes), Source, Target, Type, Kind, Id,
    Label and Weight (edges) whatever their case, and refuses a column repeated in another case."""
    nodes, edges = _rows(files["nodes.csv"]), _rows(files["edges.csv"])
    for rows in (nodes, edges):
        columns = [c.lower() for c in rows[0]]
        assert len(columns) == len(set(columns))
    ids = {r["Id"] for r in nodes}
    assert {r["Source"] for r in edges} | {r["Target"] for r in edges} <= ids
    assert {r["Type"] for r in edges if r["relation"] in ("alliedWith", "rivalOf", "cooperatesWith")} == {"Undirected"}
    assert {r["Type"] for r in edges if r["relation"] == "leads"} == {"Directed"}
    sana = [r for r in edges if r["claim"] == "sana-us-evacuated-is-leaders"]
    assert [(r["Kind"], r["Label"], r["status"]) for r in sana] == [
        ("supports (disputed)", "supports (disputed)", "disputed")
    ]
    kinds = {(r["Source"], r["Target"], r["Kind"]) for r in edges if r["status"] != "fact"}
    facts = {(r["Source"], r["Target"], r["Kind"]) for r in edges if r["status"] == "fact"}
    assert not kinds & facts  # Gephi merges parallel edges of one kind: never a claim into a fact


def test_csv_columns_are_the_graphml_attributes(files: dict[str, bytes]) -> None:
    read = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    node_columns = set(_rows(files["nodes.csv"])[0])
    edge_columns = set(_rows(files["edges.csv"])[0])
    renamed = {"label": "Label", "source": "source_id", "statement": "Id"}
    assert {renamed.get(k, k) for _, d in read.nodes(data=True) for k in d} | {"Id"} <= node_columns
    assert {renamed.get(k, k) for *_, d in read.edges(data=True) for k in d} | {"Source", "Target"} <= edge_columns


# --- claims.csv and sources.csv ---


def test_claims_csv_has_one_row_per_claim_with_its_people_and_source(graph: Graph, files: dict[str, bytes]) -> None:
    rows = {r["id"]: r for r in _rows(files["claims.csv"])}
    assert list(_rows(files["claims.csv"])[0]) == CLAIM_COLUMNS
    assert len(rows) == len(set(graph.subjects(RDF.type, KG.Claim)))
    assert rows["sana-us-evacuated-is-leaders"] == {
        "id": "sana-us-evacuated-is-leaders",
        "label": "Syrian Arab News Agency: US helicopters lifted Islamic State leaders out of several parts of"
        " Deir ez-Zor province to north-eastern Syria.",
        "type": "accusation",
        "summary": "US helicopters lifted Islamic State leaders out of several parts of Deir ez-Zor province to"
        " north-eastern Syria.",
        "claimants": "Syrian Arab News Agency",
        "claimant_ids": "sana",
        "reported_by": "The Times of Central Asia",
        "via": "",
        "date": "2017",
        "asserts": "United States supports Islamic State",
        "concerns": "deir-ez-zor|northeast-syria",
        "disputes": "",
        "disputed_by": "coalition-denies-evacuation",
        "supports": "",
        "confidence": "",
        "source_id": S000,
        "source_outlet": "The Times of Central Asia",
        "source_date": "2018-01",
        "source_title": "IS militants transferred from Pakistan to Tajikistan border — Russian official",
        "paragraphs": "7",
    }
    zubov = rows["zubov-is-airlift"]
    assert (zubov["claimants"], zubov["reported_by"], zubov["via"], zubov["paragraphs"]) == (
        "Igor Zubov",
        "The Times of Central Asia",
        "Sputnik",
        "1,2,5",
    )
    assert rows["coalition-denies-evacuation"]["disputes"] == "sana-us-evacuated-is-leaders"


def test_claims_csv_names_unnamed_claimants_and_disputed_events() -> None:
    rows = {r["id"]: r for r in _rows(claims_csv(compile_graph(QUALIFIED)))}
    official = rows["official-blames-blue-hand"]
    assert (official["claimants"], official["claimant_ids"], official["reported_by"], official["asserts"]) == (
        "an unnamed official",
        "unnamed-official",
        "Test wire",
        "Night attack on the Ford Post perpetrator Blue Hand",
    )
    denial = rows["red-hand-denies-attack"]
    assert (denial["type"], denial["disputes"], denial["source_date"], denial["paragraphs"]) == (
        "denial",
        "ford-post-attack",
        "2021-05-06",
        "4",
    )


def test_sources_csv_gives_each_source_its_outlet_date_and_counts(graph: Graph, files: dict[str, bytes]) -> None:
    rows = {r["id"]: r for r in _rows(files["sources.csv"])}
    assert files["sources.csv"].startswith(b"id,title,outlet,date,authors,cites,facts,events,claims,counts\n")
    assert len(rows) == 5
    first = rows[S000]
    assert {k: first[k] for k in ("title", "outlet", "date", "authors", "cites")} == {
        "title": "IS militants transferred from Pakistan to Tajikistan border — Russian official",
        "outlet": "The Times of Central Asia",
        "date": "2018-01",
        "authors": "Sergey Kwan",
        "cites": "Sputnik",
    }
    query = """SELECT ?id (COUNT(DISTINCT ?fact) AS ?n) WHERE {
        ?source dcterms:identifier ?id . ?fact a kg:Fact ; dcterms:source ?source } GROUP BY ?id"""
    assert {k: int(rows[k]["facts"]) for k in rows} == {i: int(n) for i, n in select(graph, query)}
    assert {k: int(rows[k]["claims"]) for k in rows} == {
        i: int(n)
        for i, n in select(
            graph,
            "SELECT ?id (COUNT(?c) AS ?n) WHERE { ?s dcterms:identifier ?id . ?c a kg:Claim ; dcterms:source ?s }"
            " GROUP BY ?id",
        )
    }
    qualified = _rows(sources_csv(compile_graph(QUALIFIED)))
    assert qualified == [
        {
            "id": "902_00000000000000cc",
            "title": "Test wire: a night attack at the Ford Post",
            "outlet": "Test wire",
            "date": "2021-05-06",
            "authors": "",
            "cites": "",
            "facts": "7",  # the two facts on the curator's knowledge rest on no source
            "events": "2",
            "claims": "2",
            "counts": "6",
        }
    ]


def test_edges_csv_shows_the_qualifier_of_a_suspected_role() -> None:
    rows = {r["Id"]: r for r in _rows(edges_csv(compile_graph(QUALIFIED)))}
    target = rows["902_00000000000000cc.ford-post-arrests.target.red-hand"]
    assert (target["Kind"], target["status"], target["qualifier"]) == ("target", "fact", "suspected")
    claimed = rows["official-blames-blue-hand.1"]
    assert (claimed["Kind"], claimed["Label"], claimed["claimant"]) == (
        "perpetrator (claimed)",
        "perpetrator (claimed)",
        "unnamed-official",
    )


def test_a_fact_on_the_curators_knowledge_is_an_edge_that_says_so(files: dict[str, bytes]) -> None:
    rows = {r["Id"]: r for r in _rows(files["edges.csv"])}
    istaravshan = rows["004_f40853ec4d41faf2.istaravshan.locatedIn.sughd"]
    assert {k: istaravshan[k] for k in ("Source", "Target", "Kind", "status", "basis", "source_id", "paragraphs")} == {
        "Source": "istaravshan",
        "Target": "sughd",
        "Kind": "locatedIn",
        "status": "fact",
        "basis": "curator's knowledge: Istaravshan is a town of Sughd region in the north; the article names"
        " the town only (paragraph 9).",
        "source_id": "",
        "paragraphs": "",
    }


def test_the_curated_claims_and_sources_have_no_cell_to_neutralise(files: dict[str, bytes]) -> None:
    for name in ("claims.csv", "sources.csv"):
        cells = [cell for row in csv.reader(io.StringIO(files[name].decode(), newline="")) for cell in row]
        assert [c for c in cells if c.startswith(("'", "=", "+", "-", "@", "\t", "\r"))] == []
