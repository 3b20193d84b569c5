"""Graph projects: kg.toml, finding the project as git finds .git, and kg init."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[project]\nbase = 'https://x.org/'\nseed = 's'\n", "unknown key 'seed' (did you mean 'seeds'?)"),
        (
            "[project]\nname = 'x'\n",
            "'base' must be an http(s) IRI ending in '/' or '#', e.g. \"https://example.org/p/\" (got '')",
        ),
        ("[project]\nbase = 'https://x.org/'\nseeds = 3\n", "'seeds' must be a non-empty string"),
        ("name = 'x'\n", "no [project] table"),
        ("[project\n", "Expected ']' at the end of a table declaration (at line 1, column 9)"),
    ],
)
def test_a_bad_kg_toml_is_one_line(tmp_path, toml, message):
    root = tmp_path / "p"
    root.mkdir()
    (root / "kg.toml").write_text(toml)
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert str(info.value) == f"{root / 'kg.toml'}: {message}"


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
        "built 752 triples: 5 entities, 3 facts, 1 events, 2 claims (1 disputed) from 1 sources",
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
