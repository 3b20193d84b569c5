"""kg.stores.http: endpoint URLs and credentials, the form of a query, SPARQL JSON terms."""

from __future__ import annotations

import pytest
from rdflib import XSD, Literal

from kg.errors import EndpointError
from kg.stores import PROLOGUE
from kg.stores.answers import json_term, query_form
from kg.stores.http import Endpoint
from kg.vocab import ID


def test_endpoint_credentials_come_from_the_url_or_the_environment(monkeypatch):
    monkeypatch.delenv("KG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("KG_ENDPOINT_PASSWORD", raising=False)
    assert Endpoint.parse("http://dba:s%40cret@host:8890/sparql-auth") == Endpoint(
        "http://host:8890/sparql-auth", "dba", "s@cret"
    )
    monkeypatch.setenv("KG_ENDPOINT_USER", "ann")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "pw")
    assert Endpoint.parse("https://host/sparql") == Endpoint("https://host/sparql", "ann", "pw")
    with pytest.raises(EndpointError, match="not an http"):
        Endpoint.parse("ftp://host/sparql")


def test_query_form_reads_past_the_prologue():
    assert query_form(PROLOGUE + "# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE {}") == "CONSTRUCT"
    assert query_form('PREFIX ask: <http://x/select#> ASK { ?s ?p "SELECT" }') == "ASK"


def test_json_terms_become_the_rdflib_terms_memory_gives():
    assert json_term({"type": "literal", "value": "x", "datatype": str(XSD.string)}) == Literal("x")
    assert json_term({"type": "typed-literal", "value": "14", "datatype": str(XSD.positiveInteger)}) == Literal(
        "14", datatype=XSD.integer
    )
    assert json_term({"type": "literal", "value": "TTP", "xml:lang": "en"}) == Literal("TTP", lang="en")
    assert json_term({"type": "uri", "value": str(ID.ttp)}) == ID.ttp
