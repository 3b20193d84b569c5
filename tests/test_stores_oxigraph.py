"""kg.stores.oxigraph: Oxigraph answers as the in-memory store does; bulk loads are all-or-nothing."""

from __future__ import annotations

import gzip
import os

import pytest
from click.testing import CliRunner
from conftest import answer
from rdflib import Literal, URIRef

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.errors import LoadError, StoreError
from kg.network import to_networkx
from kg.queries import library
from kg.sparql import bind_values, run
from kg.stores import PROLOGUE
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, load
from kg.vocab import ID

GOOD = '<http://example.org/a> <http://example.org/p> "1" .\n'
BAD = '@prefix ex: <http://example.org/> .\nex:b ex:p "2" .\nex:c ex:p oops .\n'


def rows(result) -> list[tuple]:
    return sorted(result.rows, key=lambda row: tuple("" if t is None else t.n3() for t in row))


# --- queries: what memory answers ---


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
def test_named_query_answers_the_same_on_oxigraph(graph, oxigraph, examples, name):
    bindings = examples[name]
    expected = run(MemoryStore(graph), library()[name].sparql, bindings)
    assert answer(run(oxigraph, library()[name].sparql, bindings)) == answer(expected)


def test_named_queries_answer_alike_on_oxigraph(kg_graph, oxigraph):
    on_disk = KnowledgeGraph(oxigraph)
    assert sorted(EXAMPLES) == sorted(library())
    for name, params in EXAMPLES.items():
        memory, disk = kg_graph.run(name, **params), on_disk.run(name, **params)
        assert (name, disk.variables, disk.rows) == (name, memory.variables, memory.rows)


EXAMPLES = {
    "allies": {"actor": "ttp"},
    "targets": {"target": "pakistan"},
    "groups-in": {"place": "khatlon"},
    "events": {"from": "2018-01-01", "to": "2018-12-31"},
    "claims-by": {"actor": "afghan-taliban"},
    "claims-about": {"entity": "ttp"},
    "disputed": {},
    "source": {"source": "000"},
    "single-source": {"entity": "ttp"},
    "officials": {},
    "place-chain": {"place": "kizil-nishon"},
    "common-links": {"a": "ttp", "b": "pakistan"},
    "changes": {"from": "2018-11-01", "to": "2018-11-30"},
    "counts": {"entity": "ishkobod-attack"},
    "events-of": {"actor": "jamaat-ansarullah"},
    "events-in": {"place": "khatlon"},
    "undated": {},
}
"""One run of every named query (the same as the exact-answer tests of test_queries.py)."""


COMMANDS = [
    ["show", "ttp"],
    ["path", "ttp", "islamic-state"],
    ["neighbors", "ttp", "--depth", "2"],
    ["rank", "--by", "pagerank"],
    ["query", "allies", "--param", "actor=ttp"],
    ["export", "--format", "turtle"],
    ["export", "--format", "graphml"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_commands_print_the_same_on_oxigraph(store, oxigraph, command, monkeypatch):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    runner = CliRunner()
    memory = runner.invoke(main, command, obj=store)
    found = runner.invoke(main, [*command, "--store", f"oxigraph:{oxigraph.path}"])
    assert (memory.exit_code, found.exit_code) == (0, 0)
    assert found.output == memory.output


# --- bulk load ---


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
    assert rows(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")) == [(URIRef("http://example.org/a"), Literal("1"))]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "bad.ttl", "good.nt", "store"]


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


def test_a_symlink_in_place_of_the_load_lock_is_refused_and_its_target_kept(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("victim\n")
    (tmp_path / ".store.lock").symlink_to(victim)
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["load", "--store", "oxigraph:store", "good.nt"])
    assert (done.exit_code, done.output) == (
        1,
        "error: .store.lock: cannot use it as the load lock (it is a symbolic link): remove it\n",
    )
    assert victim.read_text() == "victim\n"
    assert not (tmp_path / "store").exists()


def test_a_load_lock_that_is_not_a_regular_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    os.mkfifo(tmp_path / ".store.lock")
    with pytest.raises(StoreError) as caught:  # opened without blocking, whoever holds the other end
        load([good], tmp_path / "store")
    assert str(caught.value) == ".store.lock: the load lock is not a regular file: remove it"
    (tmp_path / ".store.lock").unlink()
    (tmp_path / ".store.lock").mkdir()
    with pytest.raises(StoreError) as caught:
        load([good], tmp_path / "store")
    assert str(caught.value) == ".store.lock: cannot use it as the load lock (Is a directory): remove it"


def test_a_term_longer_than_oxigraph_reads_is_one_line_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    long = tmp_path / "long.nt"
    long.write_text(GOOD + '<http://example.org/b> <http://example.org/p> "' + "x" * (17 << 20) + '" .\n')
    (tmp_path / "good.nt").write_text(GOOD)
    load([tmp_path / "good.nt"], tmp_path / "store")
    before = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in (tmp_path / "store").rglob("*"))
    for given in (long, tmp_path / "long.nt.gz"):
        if given.suffix == ".gz":
            given.write_bytes(gzip.compress(long.read_bytes(), 1))
        with pytest.raises(LoadError) as caught:
            load([given], tmp_path / "store")
        assert (
            str(caught.value)
            == f"{given.name}:2: a term longer than Oxigraph's limit of 16 MiB: shorten it (nothing loaded)"
        )
    assert sorted((p.relative_to(tmp_path), p.read_bytes()) for p in (tmp_path / "store").rglob("*")) == before


def test_loading_into_a_projects_cache_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / ".kg" / "graph-0123456789abcdef01234567"
    good = tmp_path / "good.nt"
    good.write_text(GOOD)
    for target in (cache, cache / "inner"):
        with pytest.raises(StoreError) as caught:
            load([good], target)
        assert str(caught.value) == (
            f"{target.relative_to(tmp_path)} is inside a project's cache of its compiled seeds, not a store to "
            "load into (load into another folder: --store oxigraph:PATH)"
        )
    assert not (tmp_path / ".kg").exists()
    assert load([good], tmp_path / "kg" / "graph-mine").after == 1  # only a cache's own name is refused


def test_a_query_that_fails_is_not_called_a_damaged_store(oxigraph):
    """Only what RocksDB says of its files calls the store damaged; an evaluation error is the query's."""
    from kg.errors import CorruptStore, StoreError

    failed = oxigraph._failed(RuntimeError("The variable encoding the service name is unbound"))
    assert type(failed) is StoreError and str(failed) == (
        "the query failed: The variable encoding the service name is unbound"
    )
    damaged = oxigraph._failed(RuntimeError("Corruption: block checksum mismatch in 000123.sst"))
    assert isinstance(damaged, CorruptStore) and "cannot be read (Corruption: block checksum" in str(damaged)


def test_a_gzip_bomb_is_refused_past_its_unpacked_limit(tmp_path, monkeypatch):
    from kg.stores import oxigraph as module

    monkeypatch.setattr(module, "GZIP_FLOOR", 1 << 20)  # 1 MiB, not 1 GiB: the same rule, quickly
    bomb = tmp_path / "bomb.nt.gz"
    bomb.write_bytes(gzip.compress(b"\n" * (8 << 20), 9))  # 8 MiB of line breaks in about 8 KB
    assert module.unpacked_limit(bomb.stat().st_size) == 1 << 20
    with pytest.raises(LoadError) as caught:
        load([bomb], tmp_path / "store")
    assert caught.value.message == (
        "it unpacks to over 0.000977 GiB (100 times its size, at least 1 GiB): "
        "a gzip bomb? unpack it yourself and load that"
    )
    assert not (tmp_path / "store").exists() and module.unpacked_limit(1 << 30) == 100 << 30


def test_load_says_what_a_path_that_is_no_regular_file_is(tmp_path):
    os.mkfifo(tmp_path / "fifo.nt")
    (tmp_path / "zero.nt").symlink_to("/dev/zero")
    (tmp_path / "folder.nt").mkdir()
    found = {}
    for name in ("fifo.nt", "zero.nt", "folder.nt", "missing.nt"):
        with pytest.raises(LoadError) as caught:
            load([tmp_path / name], tmp_path / "store")
        found[name] = caught.value.message
    tail = ", not a regular file: give an RDF file"
    assert found == {
        "fifo.nt": "a FIFO (named pipe)" + tail,
        "zero.nt": "a character device (through a symbolic link)" + tail,
        "folder.nt": "a folder" + tail,
        "missing.nt": "no such file",
    }


def test_a_byte_order_mark_at_the_start_of_a_file_is_skipped(tmp_path):
    marked = b"\xef\xbb\xbf" + GOOD.encode()
    (tmp_path / "bom.nt").write_bytes(marked)
    (tmp_path / "bom.ttl.gz").write_bytes(gzip.compress(marked))
    assert load([tmp_path / "bom.nt"], tmp_path / "a").after == 1
    assert load([tmp_path / "bom.ttl.gz"], tmp_path / "b").after == 1
