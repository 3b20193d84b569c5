"""Graph projects: kg.toml, finding the project as git finds .git, and kg init."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from kg.cli import main
from kg.errors import NoProject, ProjectError
from kg.project import example_source_id, find_project, init_project, load_project


def test_this_repository_is_a_project():
    project = load_project(REPO)
    assert (project.name, project.base) == ("kg-armed-actors", "https://w3id.org/kg-armed-actors/")
    assert project.seeds == REPO / "seeds"
    assert project.exports == REPO / "exports"
    assert project.sources == REPO.parent / "shared" / "sources"
    assert project.cache_dir == REPO / ".kg"


def test_the_project_is_found_from_any_folder_below_it():
    assert find_project(REPO / "tests" / "data" / "mini" / "sources").root == REPO


def test_no_project_says_how_to_make_one(tmp_path):
    with pytest.raises(NoProject) as info:
        find_project(tmp_path)
    assert str(info.value) == (
        f"no kg.toml in {tmp_path} or any folder above it: make a project with 'kg init DIR', or give --project DIR"
    )
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "show", "ttp"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: no kg.toml in {tmp_path}: run 'kg init {tmp_path}' to make a project there\n")


RULE = "it must be an http(s) IRI ending in '/' or '#', e.g. \"https://example.org/p/\""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[project]\nbase = 'https://x.org/'\nseed = 's'\n", ":3: unknown key 'seed' (did you mean 'seeds'?)"),
        (
            "[project]\nname = 'x'\n",
            ": 'base' must be an http(s) IRI ending in '/' or '#', e.g. \"https://example.org/p/\" (got '')",
        ),
        ("[project]\nbase = 'https://x.org/'\nseeds = 3\n", ":3: 'seeds' must be a non-empty string"),
        ("name = 'x'\n", ": no [project] table"),
        ("[project\n", ": Expected ']' at the end of a table declaration (at line 1, column 9)"),
        (
            '[project]\nbase = "https://example.org/r3\\u0001/"\n',
            f":2: 'base' holds a control character ('\\x01'); {RULE} (got 'https://example.org/r3\\x01/')",
        ),
        (
            '[project]\nbase = "https://example.org/r3\\u0000/"\n',
            f":2: 'base' holds a control character ('\\x00'); {RULE} (got 'https://example.org/r3\\x00/')",
        ),
        (
            '[project]\nbase = "https://example.org/r3\\u001b/"\n',
            f":2: 'base' holds a control character ('\\x1b'); {RULE} (got 'https://example.org/r3\\x1b/')",
        ),
        (
            '[project]\nbase = "https://example.org/r3\\u007f/"\n',
            f":2: 'base' holds a control character ('\\x7f'); {RULE} (got 'https://example.org/r3\\x7f/')",
        ),
        (
            "[project]\nbase = 'https://example.org/%zz/'\n",
            f":2: 'base' is not a valid IRI (Invalid IRI percent encoding '%zz'); {RULE} "
            "(got 'https://example.org/%zz/')",
        ),
        (
            "[project]\nbase = 'https://[::1/'\n",
            f":2: 'base' is not a valid IRI (Invalid character '[' in host); {RULE} (got 'https://[::1/')",
        ),
        (
            "[project]\nbase = 'https://x.org/'\nexports = \"ex\\u0000\"\n",
            ":3: 'exports' holds a control character ('\\x00'): write it without one",
        ),
        (
            "[project]\nbase = 'https://x.org/'\nsources = \"s\\u001b[2J\"\n",
            ":3: 'sources' holds a control character ('\\x1b'): write it without one",
        ),
        (
            "[project]\nbase = 'https://x.org/'\nqueries = 'kg.toml'\n",
            ":3: 'queries' names kg.toml, which is not a folder: name the folder of the project's .rq files",
        ),
    ],
)
def test_a_bad_kg_toml_is_one_line(tmp_path, monkeypatch, toml, message):
    root = tmp_path / "p"
    root.mkdir()
    monkeypatch.chdir(root)
    (root / "kg.toml").write_text(toml)
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert str(info.value) == f"{root / 'kg.toml'}{message}"


def test_a_kg_toml_that_is_not_a_plain_utf8_file_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "kg.toml"
    config.write_bytes(b"a = 1\n\xff\xfe[project]\n")
    messages = [f"{config}:2: not UTF-8 text (invalid start byte): save it as UTF-8"]
    config.write_bytes(b"#" * (1 << 20) + b"\n")
    messages.append(f"{config} is larger than 1 MiB: that is not a kg.toml")
    kinds = [lambda: config.symlink_to("/dev/zero"), lambda: os.mkfifo(config), config.mkdir]
    for make in kinds:
        if config.is_dir():
            config.rmdir()
        else:
            config.unlink()
        make()
        done = CliRunner().invoke(main, ["stats"])  # found as a project, then refused: no hang, no MemoryError
        assert (done.exit_code, done.stderr) == (
            1,
            f"error: {config} is not a regular file: make it a text file of settings\n",
        )
    config.rmdir()
    config.symlink_to("missing.toml")
    done = CliRunner().invoke(main, ["stats"])
    assert done.stderr == f"error: {config} is a symbolic link to nothing: point it at a file\n"
    config.unlink()
    config.write_bytes(b"a = 1\n\xff\xfe[project]\n")
    with pytest.raises(ProjectError, match="^" + re.escape(messages[0]) + "$"):
        load_project(tmp_path)
    config.write_bytes(b"#" * (1 << 20) + b"\n")
    with pytest.raises(ProjectError, match="^" + re.escape(messages[1]) + "$"):
        load_project(tmp_path)


@pytest.mark.parametrize(
    ("sources", "what"), [("sourcez", "which does not exist"), ("/dev/zero", "which is not a folder")]
)
def test_missing_source_texts_are_noted_not_silently_skipped(tmp_path, monkeypatch, sources, what):
    root = tmp_path / "p"
    init_project(root)
    config = root / "kg.toml"
    config.write_text(re.sub("(?m)^sources = .*$", f'sources = "{sources}"', config.read_text()))
    monkeypatch.chdir(root)
    note = f"note: kg.toml names sources = {sources}, {what}: pointers not checked against the texts\n"
    validated = CliRunner().invoke(main, ["validate"])
    assert (validated.exit_code, validated.stdout, validated.stderr) == (
        0,
        "ok: 5 entities, 3 records in 1 sources\n",
        note,
    )
    built = CliRunner().invoke(main, ["build"])
    assert (built.exit_code, built.stderr) == (0, note)
    assert "checked every pointer" not in built.stdout
    given = CliRunner().invoke(main, ["validate", "--sources", str(tmp_path / "p" / "sources")])
    assert (given.stdout, given.stderr) == (
        "ok: 5 entities, 3 records in 1 sources and every pointer against the sources\n",
        "",
    )


def test_init_makes_a_project_that_builds(tmp_path, monkeypatch):
    root = tmp_path / "mygraph"
    result = CliRunner().invoke(main, ["init", str(root), "--base", "https://example.org/mine/"])
    assert result.exit_code == 0, result.output
    text = (root / "sources").glob("*.txt")
    [source] = [p.stem for p in text]
    assert source == example_source_id((root / "sources" / f"{source}.txt").read_text())
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        ".gitignore",
        "README.md",
        "kg.toml",
        "seeds/entities/registry.yaml",
        "seeds/passages.yaml",
        f"seeds/sources/{source}.yaml",
        f"sources/{source}.txt",
    ]
    monkeypatch.chdir(root)
    built = CliRunner().invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert built.stdout.splitlines()[:2] == [
        "built 757 triples: 5 entities, 3 facts, 1 events, 2 claims (1 disputed) from 1 sources",
        "checked every pointer against sources",
    ]
    shown = CliRunner().invoke(main, ["show", "red hand"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[0] == "Red Hand (red-hand)"
    ids = CliRunner().invoke(
        main, ["query", "-e", "SELECT ?e WHERE { ?e rdfs:label 'Red Hand'@en }", "--format", "csv"]
    )
    assert ids.stdout == "e\nhttps://example.org/mine/id/red-hand\n"


def test_init_refuses_an_existing_project(tmp_path):
    init_project(tmp_path / "p")
    with pytest.raises(ProjectError, match="already exists"):
        init_project(tmp_path / "p")


def test_two_projects_never_mint_the_same_iris(tmp_path):
    a = init_project(tmp_path / "a", base="https://example.org/a/")
    b = init_project(tmp_path / "b")
    assert a.namespaces.id["red-hand"] != b.namespaces.id["red-hand"]
    assert b.base == "https://example.org/b/"


def test_kg_toml_paths_are_relative_to_its_folder(tmp_path):
    (tmp_path / "kg.toml").write_text("[project]\nbase = 'https://x.org/'\nseeds = 'curated'\nsources = '../texts'\n")
    project = load_project(tmp_path)
    assert project.seeds == tmp_path / "curated"
    assert project.sources == tmp_path.parent / "texts"
    assert project.source_texts() is None  # named, but not there
    assert Path(project.exports) == tmp_path / "exports"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_never_writes_over_files_in_the_folder(tmp_path, monkeypatch):
    root = tmp_path / "ij"
    root.mkdir()
    (root / "README.md").write_text("mine")
    (root / ".gitignore").write_text("mine")
    monkeypatch.chdir(root)
    done = CliRunner().invoke(main, ["init", "."])
    assert (done.exit_code, done.stderr) == (
        1,
        "error: . already holds .gitignore, README.md: kg init would write over them; "
        "move them away or make the project in a new or empty folder\n",
    )
    assert tree(root) == {".gitignore": b"mine", "README.md": b"mine"}
    empty = CliRunner().invoke(main, ["init", ""])
    assert (empty.exit_code, empty.stderr) == (
        1,
        "error: kg init needs a folder: give its name, or '.' for the working directory\n",
    )
    assert tree(root) == {".gitignore": b"mine", "README.md": b"mine"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["a\x1b[2Jb"],
            "the project's name 'a\\x1b[2Jb' (the folder's) holds a control character ('\\x1b'): "
            "give --name NAME without one",
        ),
        (
            ["a\nb"],
            "the project's name 'a\\nb' (the folder's) holds a control character ('\\n'): give --name NAME without one",
        ),
        (["p", "--name", " "], "the project's name is empty: give --name NAME"),
        (
            ["p", "--base", "https://example.org/%zz/"],
            "bad base IRI 'https://example.org/%zz/': it is not a valid IRI (Invalid IRI percent encoding '%zz'); "
            "it must be an http(s) IRI ending in '/' or '#'",
        ),
        (
            ["p", "--base", "https://[::1/"],
            "bad base IRI 'https://[::1/': it is not a valid IRI (Invalid character '[' in host); "
            "it must be an http(s) IRI ending in '/' or '#'",
        ),
        (
            ["p", "--base", "https://example.org/\x01/"],
            "bad base IRI 'https://example.org/\\x01/': it holds a control character ('\\x01'); "
            "it must be an http(s) IRI ending in '/' or '#'",
        ),
    ],
)
def test_init_refuses_a_bad_name_or_base_and_makes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["init", *args])
    assert (done.exit_code, done.stderr) == (1, f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_init_with_quotes_in_the_name_makes_a_project_that_loads(tmp_path):
    made = init_project(tmp_path / "p", name='a "quoted" \\ name')
    assert load_project(tmp_path / "p").name == made.name == 'a "quoted" \\ name'


@pytest.mark.parametrize("existing", [False, True])
def test_init_that_fails_midway_leaves_nothing_behind(tmp_path, monkeypatch, existing):
    import kg.files

    root = tmp_path / "p"
    if existing:
        root.mkdir()
        (root / "notes.txt").write_text("mine")
    real = kg.files.write_new
    written: list[Path] = []

    def full_disk(path: Path, data: bytes) -> None:
        if len(written) == 4:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        real(path, data)

    monkeypatch.setattr(kg.files, "write_new", full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        init_project(root)
    assert len(written) == 4
    if existing:
        assert tree(root) == {"notes.txt": b"mine"} and sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    else:
        assert not root.exists()


def test_init_never_writes_over_a_file_made_while_it_writes(tmp_path, monkeypatch):
    import kg.files

    root = tmp_path / "p"
    root.mkdir()
    real = kg.files.write_new

    def someone_else(path: Path, data: bytes) -> None:
        if path.name == "kg.toml":  # after the checks, before README.md is written
            (root / "README.md").write_text("mine\n")
            (root / "seeds").mkdir()
            (root / "seeds" / "theirs.yaml").write_text("theirs\n")
        real(path, data)

    monkeypatch.setattr(kg.files, "write_new", someone_else)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectError) as info:
        init_project(root)
    assert str(info.value) == (
        "p/README.md appeared while kg init was writing: kg init never writes over a file; "
        "nothing of the new project is kept, run it again in a new or empty folder"
    )
    assert tree(root) == {"README.md": b"mine\n", "seeds/theirs.yaml": b"theirs\n"}  # theirs kept, ours gone
    assert sorted(p.name for p in root.iterdir()) == ["README.md", "seeds"]


@pytest.mark.parametrize("value", ["[" * 100_000 + "]" * 100_000, "{a = " * 100_000 + "1" + "}" * 100_000])
def test_a_deeply_nested_kg_toml_is_one_line(tmp_path, monkeypatch, value):
    project = init_project(tmp_path / "p")
    with project.config.open("a") as handle:
        handle.write(f"x = {value}\n")
    monkeypatch.chdir(project.root)
    done = CliRunner().invoke(main, ["stats"])
    assert (done.exit_code, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: {project.config}: values nested too deeply to read: a kg.toml holds a [project] table of strings\n"
    )
