"""The compiled-graph cache: compiled once per change of the seeds, never stale, never half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from kg import cache
from kg.cli import main
from kg.errors import UnsafeCache
from kg.pipeline import compile_graph
from kg.project import init_project


def _graphs(project):
    return sorted(p.name for p in project.cache_dir.iterdir() if p.name.startswith(cache.PREFIX) and p.is_dir())


def test_the_first_command_compiles_and_the_next_reuse(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert not project.cache_dir.exists()
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    [first] = _graphs(project)
    assert first == cache.PREFIX + cache.cache_key(project)
    stamp = (project.cache_dir / first / "CURRENT").stat().st_mtime_ns
    assert CliRunner().invoke(main, ["show", "red-hand"]).exit_code == 0
    assert _graphs(project) == [first]
    assert (project.cache_dir / first / "CURRENT").stat().st_mtime_ns == stamp
    assert (project.cache_dir / ".gitignore").read_text() == "*\n"


def test_a_stale_cache_is_never_served(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["show", "red-hand"]).stdout.startswith("Red Hand (red-hand)\n")
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(registry.read_text().replace("label: Red Hand\n", "label: Red Hand Army\n"))
    shown = CliRunner().invoke(main, ["show", "red-hand"])
    assert shown.stdout.startswith("Red Hand Army (red-hand)\n")
    assert len(_graphs(project)) == 1  # the old store is gone


def test_a_broken_seed_is_reported_and_nothing_is_cached(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(registry.read_text().replace("type: ArmedGroup", "type: ArmedGrup"))
    result = CliRunner().invoke(main, ["show", "red-hand"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "seeds/entities/registry.yaml:7: unknown entity type 'ArmedGrup' (did you mean 'ArmedGroup'?)"
    )
    assert not project.cache_dir.exists() or _graphs(project) == []


def test_the_key_follows_seeds_base_and_vocabulary_only(tmp_path):
    project = init_project(tmp_path / "p")
    key = cache.cache_key(project)
    (project.root / "notes.txt").write_text("not a seed")
    (project.seeds / "README.txt").write_text("not a seed either")
    assert cache.cache_key(project) == key
    (project.seeds / "entities" / "more.yaml").write_text("[]\n")
    assert cache.cache_key(project) != key


def test_two_commands_at_once_both_answer_and_leave_one_store(tmp_path):
    project = init_project(tmp_path / "p")
    command = [sys.executable, "-m", "kg", "--project", str(project.root), "stats"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][0].startswith("triples: 757\n")
    assert len(_graphs(project)) == 1
    assert [p.name for p in project.cache_dir.iterdir() if p.name.startswith(".filling-")] == []


def test_fillings_left_by_a_crash_are_cleaned_up(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    crashed = project.cache_dir / ".filling-crashed"
    crashed.mkdir(parents=True)
    old = time.time() - cache.ABANDONED - 1
    os.utime(crashed, (old, old))
    running = project.cache_dir / ".filling-running"
    running.mkdir()
    cache.open_cached(project)
    assert not crashed.exists()
    assert running.exists()  # another command may be filling it right now


def test_the_name_index_is_kept_beside_its_store_and_goes_with_it(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["show", "RH"]).stdout.startswith("Red Hand (red-hand)\n")
    [store] = _graphs(project)
    index = project.cache_dir / f"{store}{cache.NAMES}"
    assert json.loads(index.read_text())["index"]["ids"][:2] == ["ford-post", "ford-post-raid"]
    index.write_text("{not json")  # damaged: indexed afresh, never an error
    assert CliRunner().invoke(main, ["show", "RH"]).exit_code == 0
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(
        registry.read_text().replace("aliases: [Red Hand rebels, RH]", "aliases: [Red Hand rebels, RHA]")
    )
    done = CliRunner().invoke(main, ["show", "RHA"])
    assert done.stdout.startswith("Red Hand (red-hand)\n")
    assert not index.exists()  # the old store's index went with it
    assert len([p for p in project.cache_dir.iterdir() if p.name.endswith(cache.NAMES)]) == 1


def _damage(store, how: str) -> None:
    tables = sorted(store.glob("*.sst"))
    if how == "current":
        (store / "CURRENT").write_text("garbage\n")
    elif how == "truncated":
        os.truncate(tables[0], 100)
    elif how == "manifest":
        next(store.glob("MANIFEST-*")).write_bytes(b"")
    elif how == "deleted":
        tables[-1].unlink()
    else:  # bytes flipped inside every table: found by its checksums
        for table in tables:
            data = bytearray(table.read_bytes())
            data[10 : len(data) // 2] = bytes(b ^ 0xFF for b in data[10 : len(data) // 2])
            table.write_bytes(data)


REASONS = {
    "current": "Corruption: CURRENT file corrupted",
    "truncated": "Corruption: Sst file size mismatch between expected",
    "manifest": "Corruption: no log_file_number, next_file_number, last_sequence entry in MANIFEST",
    "deleted": "Corruption: IO error: No such file or directory",
    "flipped": "Corruption: block checksum mismatch",
}


@pytest.mark.parametrize("how", sorted(REASONS))
def test_a_damaged_cache_is_compiled_again_with_a_note(tmp_path, monkeypatch, how):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    [name] = _graphs(project)
    _damage(project.cache_dir / name, how)
    shown = CliRunner().invoke(main, ["show", "red-hand"])
    assert (shown.exit_code, shown.stdout.splitlines()[0]) == (0, "Red Hand (red-hand)")
    [note] = shown.stderr.splitlines()
    assert note.startswith(f"note: the cache .kg/{name} cannot be read ({REASONS[how]}")
    assert note.endswith("): compiling it again from the seeds")
    again = CliRunner().invoke(main, ["show", "red-hand"])
    assert (again.exit_code, again.stderr, _graphs(project)) == (0, "", [name])


def test_kg_build_replaces_a_damaged_cache(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    [name] = _graphs(project)
    _damage(project.cache_dir / name, "current")
    cache.store_graph(project, compile_graph(project.seeds, ns=project.namespaces))
    assert (project.cache_dir / name / "CURRENT").read_text() != "garbage\n"
    assert CliRunner().invoke(main, ["show", "red-hand"]).stderr == ""


def test_a_damaged_store_the_user_named_is_one_line_and_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.nt").write_text('<http://a/s> <http://a/p> "o" .\n')
    assert CliRunner().invoke(main, ["load", "--store", "oxigraph:st", "a.nt"]).exit_code == 0
    _damage(tmp_path / "st", "current")
    before = sorted((p.name, p.read_bytes()) for p in (tmp_path / "st").iterdir())
    message = "error: st: the Oxigraph store cannot be read (Corruption: CURRENT file corrupted): restore it or load it again\n"
    for args in (["query", "-e", "ASK {}", "--store", "oxigraph:st"], ["load", "--store", "oxigraph:st", "a.nt"]):
        done = CliRunner().invoke(main, args)
        assert (done.exit_code, done.stdout, done.stderr) == (1, "", message)
    assert sorted((p.name, p.read_bytes()) for p in (tmp_path / "st").iterdir()) == before


NAME_INDEXES = {
    "deep": "[" * 200_000,
    "ranks-not-objects": '{"ids": [], "by_rank": [[], [], []]}',
    "unknown-id": '{"ids": [], "by_rank": [{"red hand": ["nope"]}, {}, {}]}',
    "no-digest": '{"index": {"ids": ["nope"], "by_rank": [{"red hand": ["nope"]}, {}, {}]}}',
    "wrong-digest": '{"digest": "0", "index": {"ids": ["nope"], "by_rank": [{"red hand": ["nope"]}, {}, {}]}}',
    "fifo": None,
    "link-to-zero": None,
}


@pytest.mark.parametrize("how", sorted(NAME_INDEXES))
def test_a_damaged_name_index_is_ignored_and_written_again(tmp_path, monkeypatch, how):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["show", "Red Hand"]).exit_code == 0
    [store] = _graphs(project)
    index = project.cache_dir / f"{store}{cache.NAMES}"
    good = index.read_bytes()
    index.unlink()
    if how == "fifo":
        os.mkfifo(index)
    elif how == "link-to-zero":
        index.symlink_to("/dev/zero")
    else:
        index.write_text(NAME_INDEXES[how])
    shown = CliRunner().invoke(main, ["show", "Red Hand"])
    assert (shown.exit_code, shown.stdout.splitlines()[0], shown.stderr) == (0, "Red Hand (red-hand)", "")
    assert not index.is_symlink() and index.read_bytes() == good  # indexed afresh and written again


@pytest.mark.parametrize("what", ["file", "fifo", "dangling-link"])
def test_a_non_folder_at_the_store_name_is_replaced_with_a_note(tmp_path, monkeypatch, what):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    [name] = _graphs(project)
    store = project.cache_dir / name
    elsewhere = tmp_path / "elsewhere"
    shutil.rmtree(store)
    if what == "file":
        store.write_text("x\n")
    elif what == "fifo":
        os.mkfifo(store)
    else:
        store.symlink_to(elsewhere)
    shown = CliRunner().invoke(main, ["show", "red-hand"])
    assert (shown.exit_code, shown.stdout.splitlines()[0]) == (0, "Red Hand (red-hand)")
    assert shown.stderr == (
        f"note: the cache .kg/{name} cannot be read (it is not a folder): compiling it again from the seeds\n"
    )
    assert (store / "CURRENT").is_file() and not store.is_symlink() and not os.path.lexists(elsewhere)
    assert sorted(p.name for p in project.cache_dir.iterdir() if not p.name.startswith(cache.PREFIX)) == [".gitignore"]


def test_kg_build_replaces_a_file_at_the_store_name(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    target = cache.cached_path(project)
    target.parent.mkdir()
    target.write_text("x\n")
    assert cache.store_graph(project, compile_graph(project.seeds, ns=project.namespaces)) == target
    assert (target / "CURRENT").is_file()
    assert sorted(p.name for p in project.cache_dir.iterdir()) == [".gitignore", target.name]


def test_a_current_naming_a_missing_manifest_is_compiled_again(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    [name] = _graphs(project)
    (project.cache_dir / name / "CURRENT").write_text("MANIFEST-999999\n")
    shown = CliRunner().invoke(main, ["show", "red-hand"])
    assert (shown.exit_code, shown.stdout.splitlines()[0]) == (0, "Red Hand (red-hand)")
    assert shown.stderr.startswith(f"note: the cache .kg/{name} cannot be read (IO error: No such file or directory")
    assert shown.stderr.endswith("): compiling it again from the seeds\n")
    again = CliRunner().invoke(main, ["show", "red-hand"])
    assert (again.exit_code, again.stderr) == (0, "")


@pytest.mark.parametrize("what", ["link", "file"])
def test_a_kg_folder_that_is_a_link_or_a_file_is_refused_and_nothing_removed(tmp_path, monkeypatch, what):
    project = init_project(tmp_path / "p")
    monkeypatch.chdir(project.root)
    user = tmp_path / "ud"
    (user / "graph-notes").mkdir(parents=True)
    (user / "graph-notes" / "a").write_text("precious\n")
    (user / "graph-x.names.json").write_text("{}\n")
    if what == "link":
        project.cache_dir.symlink_to(user)
        kind = "a symbolic link"
    else:
        project.cache_dir.write_text("mine\n")
        kind = "not a folder"
    message = (
        f"error: .kg is {kind}: kg keeps its cache in the project's own .kg folder and removes old stores "
        "there; remove .kg and run again\n"
    )
    for args in (["stats"], ["show", "red-hand"]):
        done = CliRunner().invoke(main, args)
        assert (done.exit_code, done.stdout, done.stderr) == (1, "", message)
    with pytest.raises(UnsafeCache):
        cache.store_graph(project, compile_graph(project.seeds, ns=project.namespaces))
    assert sorted(p.name for p in user.iterdir()) == ["graph-notes", "graph-x.names.json"]
    assert (user / "graph-notes" / "a").read_text() == "precious\n"
    if what == "file":
        assert project.cache_dir.read_text() == "mine\n"


def test_only_stores_kg_made_are_dropped(tmp_path, monkeypatch):
    project = init_project(tmp_path / "p")
    cache.open_cached(project)
    folder = project.cache_dir
    mine = [folder / "graph-notes", folder / f"graph-{'0' * 24}", folder / "graph-x.names.json"]
    mine[0].mkdir()
    (mine[0] / "a").write_text("precious\n")
    mine[1].mkdir()  # a store's name, but no Oxigraph file in it
    (mine[1] / "a").write_text("precious\n")
    mine[2].write_text("{}\n")
    old = folder / f"graph-{'1' * 24}"
    shutil.copytree(cache.cached_path(project), old)
    (folder / f"{old.name}{cache.NAMES}").write_text("{}\n")
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(registry.read_text().replace("label: Red Hand\n", "label: Red Hand Army\n"))
    cache.open_cached(project)
    assert all(path.exists() for path in mine)
    assert not old.exists() and not (folder / f"{old.name}{cache.NAMES}").exists()
