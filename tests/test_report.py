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
