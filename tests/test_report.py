"""kg.report: query results as a table, CSV, TSV, SPARQL JSON and Turtle."""

from __future__ import annotations

import json

import pytest

from kg.errors import BadQuery
from kg.report import render

SMALL = """SELECT ?actor ?label ?n WHERE {
    VALUES (?actor ?n) { (id:ttp 1) (id:imu UNDEF) }
    ?actor rdfs:label ?label } ORDER BY ?actor"""


def test_table_format(kg_graph):
    assert render(kg_graph.query(SMALL)) == (
        "actor   label                           n\n"
        "------  ------------------------------  -\n"
        "id:imu  Islamic Movement of Uzbekistan\n"
        "id:ttp  Tehrik-e-Taliban Pakistan       1\n"
        "(2 rows)"
    )


def test_csv_tsv_and_json_formats(kg_graph):
    result = kg_graph.query(SMALL)
    assert render(result, "csv") == (
        "actor,label,n\r\n"
        "https://w3id.org/kg-armed-actors/id/imu,Islamic Movement of Uzbekistan,\r\n"
        "https://w3id.org/kg-armed-actors/id/ttp,Tehrik-e-Taliban Pakistan,1"
    )
    assert render(result, "tsv") == (
        "?actor\t?label\t?n\n"
        '<https://w3id.org/kg-armed-actors/id/imu>\t"Islamic Movement of Uzbekistan"@en\t\n'
        '<https://w3id.org/kg-armed-actors/id/ttp>\t"Tehrik-e-Taliban Pakistan"@en\t'
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    assert json.loads(render(result, "json")) == {
        "head": {"vars": ["actor", "label", "n"]},
        "results": {
            "bindings": [
                {
                    "actor": {"type": "uri", "value": "https://w3id.org/kg-armed-actors/id/imu"},
                    "label": {"type": "literal", "value": "Islamic Movement of Uzbekistan", "xml:lang": "en"},
                },
                {
                    "actor": {"type": "uri", "value": "https://w3id.org/kg-armed-actors/id/ttp"},
                    "label": {"type": "literal", "value": "Tehrik-e-Taliban Pakistan", "xml:lang": "en"},
                    "n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                },
            ]
        },
    }


def test_ask_and_construct_formats(kg_graph):
    ask = kg_graph.query("ASK { id:ttp kg:alliedWith id:islamic-state }")
    assert (render(ask), json.loads(render(ask, "json"))) == ("false", {"head": {}, "boolean": False})
    graph = kg_graph.query("CONSTRUCT { ?a kg:alliedWith ?b } WHERE { ?a kg:alliedWith ?b }")
    assert render(graph) == (
        "@prefix id: <https://w3id.org/kg-armed-actors/id/> .\n"
        "@prefix kg: <https://w3id.org/kg-armed-actors/ontology#> .\n\n"
        "id:afghan-taliban kg:alliedWith id:ttp .\n\n"
        "id:ttp kg:alliedWith id:afghan-taliban ."
    )
    with pytest.raises(BadQuery, match="^--format csv is for SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle$"):
        render(graph, "csv")


def test_a_named_query_table_shows_labels_beside_ids_and_sources_by_outlet_date_title(kg_graph):
    from kg.queries import describe

    # A claim's label is its text: not repeated beside its id. The machine formats keep IRIs.
    result = kg_graph.query(
        "SELECT ?claim ?by ?source WHERE { VALUES (?claim ?by ?source) "
        "{ (id:zubov-is-airlift id:igor-zubov src:000_c8205b38d0f11d5b) } }"
    )
    described = describe(kg_graph.store, result)
    assert render(result, "table", described=described) == (
        "claim                by                          source\n"
        "-------------------  --------------------------  " + "-" * 88 + "\n"
        "id:zubov-is-airlift  id:igor-zubov (Igor Zubov)  "
        "000 The Times of Central Asia, 2018-01: IS militants transferred from Pakistan to Tajik\u2026\n"
        "(1 row)"
    )
    assert render(result, "csv", described=described).splitlines()[1] == (
        "https://w3id.org/kg-armed-actors/id/zubov-is-airlift,https://w3id.org/kg-armed-actors/id/igor-zubov,"
        "https://w3id.org/kg-armed-actors/source/000_c8205b38d0f11d5b"
    )


def test_a_label_already_in_the_row_is_not_repeated(kg_graph):
    from kg.queries import describe

    result = kg_graph.query("SELECT ?x ?label WHERE { VALUES ?x { id:ttp } ?x rdfs:label ?label }")
    assert render(result, described=describe(kg_graph.store, result)).splitlines()[2] == (
        "id:ttp  Tehrik-e-Taliban Pakistan"
    )
