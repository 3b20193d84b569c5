"""Stores: Oxigraph answers as the in-memory store does; bulk loads are all-or-nothing."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import XSD, BNode, Graph, Literal, URIRef

from kg.cli import main
from kg.errors import EndpointError, LoadError, StoreError
from kg.names import names
from kg.network import to_networkx
from kg.profile import source_titles
from kg.queries import bind, library
from kg.sparql import bind_values, run
from kg.stores import PROLOGUE, open_store, oxigraph_path
from kg.stores.endpoint import EndpointStore
from kg.stores.http import Endpoint, json_term, query_form
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, load
from kg.stores.push import CHUNK, insert_requests
from kg.vocab import ID, KG

GOOD = '<http://example.org/a> <http://example.org/p> "1" .\n'
BAD = ('@prefix ex: <http://example.org/> .\n'
       'ex:b ex:p "2" .\n'
       'ex:c ex:p oops .\n')


@pytest.fixture(scope="module")
def oxigraph(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    """The curated graph, bulk-loaded into an on-disk Oxigraph store."""
    folder = tmp_path_factory.mktemp("oxigraph")
    source = folder / "graph.nt"
    source.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
    load([source], folder / "store")
    return OxigraphStore(folder / "store")


def rows(result) -> list[tuple]:
    return sorted(result.rows, key=lambda row: tuple("" if t is None else t.n3() for t in row))


EXAMPLE = re.compile(r"e\.g\. ([^,)\s]+)")
DATES = {"from": "2000-01-01", "to": "2030-12-31"}


def example_bindings(graph: Graph) -> dict[str, dict]:
    """Every named query's parameters bound to the example its header gives."""
    local = MemoryStore(graph)
    sources = sorted(source_titles(local))
    found = {}
    for name, query in sorted(library().items()):
        values = {p.name: DATES[p.name] if p.kind == "date" else EXAMPLE.search(p.help).group(1)
                  for p in query.parameters}
        found[name] = bind(query, values, lambda: names(local), lambda: sources)
    return found


def answer(result) -> tuple:
    """A result comparable across stores: its rows in the order given, blank nodes alike."""
    def key(term) -> str:
        return "" if term is None else "_:b" if isinstance(term, BNode) else term.n3()

    if result.kind == "ask":
        return ("ask", result.boolean)
    if result.kind == "graph":
        return ("graph", sorted(tuple(map(key, t)) for t in result.graph))
    return ("select", result.variables, [tuple(map(key, row)) for row in result.rows])


QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?ally ?para WHERE { id:ttp kg:alliedWith ?ally . ?f rdf:subject id:ttp ; "
    "rdf:object ?ally ; prov:wasDerivedFrom/kg:paragraph ?para }",
    "SELECT ?claim ?date WHERE { ?claim a kg:Claim . OPTIONAL { ?claim dcterms:date ?date } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Fact }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_oxigraph_selects_exactly_what_memory_selects(graph, oxigraph, query):
    memory = MemoryStore(graph).query(PROLOGUE + query)
    found = oxigraph.query(PROLOGUE + query)
    assert found.variables == memory.variables
    assert rows(found) == rows(memory)


def test_oxigraph_asks_constructs_and_binds_like_memory(graph, oxigraph):
    memory = MemoryStore(graph)
    ask = PROLOGUE + "ASK { id:ttp kg:alliedWith ?ally }"
    assert oxigraph.query(ask).boolean is memory.query(ask).boolean is True
    construct = PROLOGUE + "CONSTRUCT { ?s kg:alliedWith ?o } WHERE { ?s kg:alliedWith ?o }"
    assert set(oxigraph.query(construct).graph) == set(memory.query(construct).graph)
    bound = bind_values(PROLOGUE + "SELECT ?o WHERE { ?s kg:alliedWith ?o }", {"s": ID.ttp})
    assert rows(oxigraph.query(bound)) == rows(memory.query(bound)) != []


def test_oxigraph_projects_the_same_network(graph, oxigraph):
    memory = to_networkx(MemoryStore(graph), claims=True)
    found = to_networkx(oxigraph, claims=True)
    assert sorted(found.nodes(data=True)) == sorted(memory.nodes(data=True))
    assert sorted(found.edges(keys=True, data=True)) == sorted(memory.edges(keys=True, data=True))


def test_oxigraph_hands_over_the_graph_as_built(graph, oxigraph):
    assert set(oxigraph.graph()) == set(graph)


@pytest.mark.parametrize("name", sorted(library()))
def test_named_query_answers_the_same_on_oxigraph(graph, oxigraph, name):
    bindings = example_bindings(graph)[name]
    expected = run(MemoryStore(graph), library()[name].sparql, bindings)
    assert answer(run(oxigraph, library()[name].sparql, bindings)) == answer(expected)


COMMANDS = [["show", "ttp"], ["path", "ttp", "islamic-state"], ["neighbors", "ttp", "--depth", "2"],
            ["rank", "--by", "pagerank"], ["query", "allies", "--param", "actor=ttp"],
            ["export", "--format", "turtle"], ["export", "--format", "graphml"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_commands_print_the_same_on_oxigraph(oxigraph, command, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    runner = CliRunner()
    memory = runner.invoke(main, command)
    found = runner.invoke(main, [*command, "--store", f"oxigraph:{oxigraph.path}"])
    assert (memory.exit_code, found.exit_code) == (0, 0)
    assert found.output == memory.output


def test_integer_subtypes_are_answered_as_xsd_integer():
    graph = Graph()
    graph.add((ID.x, KG.paragraph, Literal(3, datatype=XSD.positiveInteger)))
    result = MemoryStore(graph).query(PROLOGUE + "SELECT ?p WHERE { ?x kg:paragraph ?p }")
    assert result.rows == [(Literal("3", datatype=XSD.integer),)]


def test_loading_a_bad_file_leaves_the_store_as_it_was(tmp_path):
    good, bad = tmp_path / "good.nt", tmp_path / "bad.ttl"
    good.write_text(GOOD)
    bad.write_text(BAD)
    first = load([good], tmp_path / "store")
    assert (first.before, first.after) == (0, 1)
    with pytest.raises(LoadError) as caught:
        load([good, bad], tmp_path / "store")
    assert (caught.value.line, caught.value.message) == (3, "column 11: oops is not a valid RDF object")
    store = OxigraphStore(tmp_path / "store")
    assert rows(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")) == [
        (URIRef("http://example.org/a"), Literal("1"))]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "bad.ttl", "good.nt",
                                                          "store"]


def test_loading_a_bad_file_into_no_store_creates_none(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    with pytest.raises(LoadError):
        load([bad], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_load_reads_gzip_and_quads_and_reports_progress(tmp_path):
    quads = tmp_path / "data.nq.gz"
    quads.write_bytes(gzip.compress(b'<http://e.org/a> <http://e.org/p> "9" <http://e.org/g> .\n'))
    seen: list[int] = []
    result = load([quads], tmp_path / "store", progress=seen.append)
    assert (result.after, sum(seen)) == (1, quads.stat().st_size)
    store = OxigraphStore(tmp_path / "store")
    assert store.query("ASK { ?s ?p ?o }").boolean is False  # the default graph is empty
    assert store.query("ASK { GRAPH <http://e.org/g> { ?s ?p ?o } }").boolean is True


def test_a_cut_off_gzip_file_is_reported_at_its_last_line(tmp_path):
    cut = tmp_path / "mine.nt.gz"
    cut.write_bytes(gzip.compress(GOOD.encode() + b'<http://example.org/b> <http://example.org/p> "2 .\n'))
    with pytest.raises(LoadError) as caught:
        load([cut], tmp_path / "store")
    assert (caught.value.line, caught.value.message) == (2, "column 47: Unexpected end of file")


def test_load_names_the_format_it_cannot_guess(tmp_path):
    odd = tmp_path / "data.txt"
    odd.write_text(GOOD)
    with pytest.raises(LoadError, match="cannot tell the format from the name"):
        load([odd], tmp_path / "store")
    assert load([odd], tmp_path / "store", format="nt").after == 1


def test_load_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    with pytest.raises(StoreError, match="is not an Oxigraph store"):
        load([good], tmp_path / "notes")


def test_cli_load_reports_counts_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("good.nt").write_text(GOOD)
    Path("bad.ttl").write_text(BAD)
    runner = CliRunner()
    done = runner.invoke(main, ["load", "good.nt", "--store", "oxigraph:db"])
    assert (done.exit_code, done.output) == (0, "loaded 1 file (52 bytes) into db: 1 triples, "
                                                 "1 new\n")
    failed = runner.invoke(main, ["load", "bad.ttl", "--store", "oxigraph:db"])
    assert (failed.exit_code, failed.stderr) == (
        1, "error: bad.ttl:3: column 11: oops is not a valid RDF object (nothing loaded)\n")
    monkeypatch.delenv("KG_STORE", raising=False)
    missing = runner.invoke(main, ["load", "good.nt"])
    assert missing.stderr == ("error: loading needs an Oxigraph store: --store oxigraph:PATH "
                              "(or KG_STORE)\n")


def test_open_store_reads_specs_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    load([good], tmp_path / "db")
    assert isinstance(open_store(f"oxigraph:{tmp_path / 'db'}"), OxigraphStore)
    monkeypatch.setenv("KG_STORE", f"oxigraph:{tmp_path / 'db'}")
    assert isinstance(open_store(), OxigraphStore)
    assert oxigraph_path() == tmp_path / "db"
    monkeypatch.setenv("KG_ENDPOINT", "http://127.0.0.1:9/sparql")
    endpoint = open_store()
    assert isinstance(endpoint, EndpointStore) and endpoint.endpoint.url == "http://127.0.0.1:9/sparql"
    with pytest.raises(StoreError, match=r"no Oxigraph store at .*nowhere \(create one with kg"):
        open_store(f"oxigraph:{tmp_path / 'nowhere'}")
    with pytest.raises(StoreError, match="unknown store 'postgres://x'"):
        open_store("postgres://x")


def test_endpoint_credentials_come_from_the_url_or_the_environment(monkeypatch):
    monkeypatch.delenv("KG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("KG_ENDPOINT_PASSWORD", raising=False)
    assert Endpoint.parse("http://dba:s%40cret@host:8890/sparql-auth") == Endpoint(
        "http://host:8890/sparql-auth", "dba", "s@cret")
    monkeypatch.setenv("KG_ENDPOINT_USER", "ann")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "pw")
    assert Endpoint.parse("https://host/sparql") == Endpoint("https://host/sparql", "ann", "pw")
    with pytest.raises(EndpointError, match="not an http"):
        Endpoint.parse("ftp://host/sparql")


def test_unreachable_endpoint_is_one_error():
    with pytest.raises(EndpointError, match=r"^http://127.0.0.1:9/sparql: cannot reach the server"):
        EndpointStore("http://127.0.0.1:9/sparql").query("ASK { ?s ?p ?o }")


def test_query_form_reads_past_the_prologue():
    assert query_form(PROLOGUE + "# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE {}") == \
        "CONSTRUCT"
    assert query_form('PREFIX ask: <http://x/select#> ASK { ?s ?p "SELECT" }') == "ASK"


def test_json_terms_become_the_rdflib_terms_memory_gives():
    assert json_term({"type": "literal", "value": "x",
                      "datatype": str(XSD.string)}) == Literal("x")
    assert json_term({"type": "typed-literal", "value": "14",
                      "datatype": str(XSD.positiveInteger)}) == Literal("14", datatype=XSD.integer)
    assert json_term({"type": "literal", "value": "TTP", "xml:lang": "en"}) == Literal(
        "TTP", lang="en")
    assert json_term({"type": "uri", "value": str(ID.ttp)}) == ID.ttp


def test_updates_are_chunked_except_with_blank_nodes():
    graph = Graph()
    for i in range(CHUNK + 1):
        graph.add((ID[f"e{i}"], KG.paragraph, Literal(i)))
    assert len(insert_requests(graph, "urn:x")) == 2
    graph.add((BNode(), KG.paragraph, Literal(0)))
    assert len(insert_requests(graph, "urn:x")) == 1
