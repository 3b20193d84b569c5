"""A store the user names holding values of the wrong shape: one line naming the node and the
property (:mod:`kg.stores.values`), never a traceback, and no rdflib noise on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.cli import main
from kg.errors import NotKgGraph
from kg.pipeline import compile_graph
from kg.stores.oxigraph import load
from kg.stores.values import date_literal, decimal, integer
from kg.vocab import BASE, KG

MINI = Path(__file__).parent / "data" / "mini"
P2 = URIRef(BASE + "source/900_00000000000000aa-p2")
CLAIM = URIRef(BASE + "id/freeland-blames-red-hand")
RAID = URIRef(BASE + "id/ford-post-raid")
EVIL = URIRef("http://evil/iri")
TAIL = "the store does not hold a kg graph as kg builds it"


@pytest.fixture(scope="module")
def mini_graph() -> Graph:
    return compile_graph(MINI)


def hostile(mini_graph: Graph, folder: Path, node: URIRef, prop: URIRef, value: object, replace: bool) -> str:
    """An Oxigraph store of the mini graph with ``node prop value`` added (or put in place)."""
    graph = Graph()
    graph += mini_graph
    if replace:
        graph.remove((node, prop, None))
    graph.add((node, prop, value))  # type: ignore[arg-type]
    source = folder / "hostile.nt"
    source.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    load([source], folder / "store")
    return f"oxigraph:{folder / 'store'}"


CASES = {
    "paragraph-iri-claims.csv": (
        P2, KG.paragraph, EVIL, False, ["export", "--format", "claims.csv"],
        f"<{P2}> kg:paragraph is <http://evil/iri>, not an integer: {TAIL}",
    ),
    "paragraph-iri-show": (
        P2, KG.paragraph, EVIL, False, ["show", "red-hand"],
        f"<{CLAIM}> kg:paragraph is <http://evil/iri>, not an integer: {TAIL}",
    ),
    "confidence-text-claims.csv": (
        CLAIM, KG.confidence, Literal("=cmd"), False, ["export", "--format", "claims.csv"],
        f'<{CLAIM}> kg:confidence is "=cmd", not a decimal: {TAIL}',
    ),
    "confidence-text-stix": (
        CLAIM, KG.confidence, Literal("=cmd"), False, ["export", "--format", "stix"],
        f'<{CLAIM}> kg:confidence is "=cmd", not a decimal: {TAIL}',
    ),
    "date-iri-stix": (
        RAID, DCTERMS.date, URIRef("http://evil/d"), True, ["export", "--format", "stix"],
        f"<{RAID}> dcterms:date is <http://evil/d>, not a date literal: {TAIL}",
    ),
    "date-text-stix": (
        RAID, DCTERMS.date, Literal("not-a-date", datatype=XSD.date), True, ["export", "--format", "stix"],
        f'<{RAID}> dcterms:date is "not-a-date", not a date: {TAIL}',
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_value_of_the_wrong_shape_in_a_named_store_is_one_line(mini_graph, tmp_path, case):
    node, prop, value, replace, args, message = CASES[case]
    store = hostile(mini_graph, tmp_path, node, prop, value, replace)
    result = CliRunner().invoke(main, [*args, "--store", store])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {message}\n")


def test_a_paragraph_of_the_wrong_shape_in_the_graphml_names_its_statement(mini_graph, tmp_path):
    store = hostile(mini_graph, tmp_path, P2, KG.paragraph, EVIL, False)
    result = CliRunner().invoke(main, ["export", "--format", "graphml", "--store", store])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: <{BASE}statement/")
    assert result.stderr.endswith(f'> kg:paragraph is "http://evil/iri", not an integer: {TAIL}\n')


@pytest.mark.parametrize("args", [["show", "red-hand"], ["export", "--format", "graphml"], ["rank"]])
def test_an_ill_formed_date_is_shown_as_written_without_rdflib_noise(mini_graph, tmp_path, caplog, args):
    bad = Literal("not-a-date", datatype=XSD.date)
    store = hostile(mini_graph, tmp_path, RAID, DCTERMS.date, bad, True)
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(main, [*args, "--store", store])
    assert (result.exit_code, result.stderr) == (0, "")
    assert [r.getMessage() for r in caplog.records] == []  # rdflib's "Failed to convert Literal" traceback


def test_the_checks_accept_what_kg_writes_and_refuse_the_rest():
    assert integer(Literal("2", datatype=XSD.positiveInteger), P2, KG.paragraph) == 2
    assert decimal(Literal("0.75", datatype=XSD.decimal), CLAIM, KG.confidence) == 0.75
    assert date_literal(Literal("2020-03", datatype=XSD.gYearMonth), RAID, DCTERMS.date) is not None
    with pytest.raises(NotKgGraph, match=r'^<.*-p2> kg:paragraph is "2\.5", not an integer: '):
        integer(Literal("2.5"), P2, KG.paragraph)
    with pytest.raises(NotKgGraph, match=r'dcterms:date is "2020-02-30", not a date: '):
        date_literal(Literal("2020-02-30", datatype=XSD.date), RAID, DCTERMS.date)
    with pytest.raises(NotKgGraph, match=r'kg:confidence is "nan", not a decimal: '):
        decimal(Literal("nan"), CLAIM, KG.confidence)
