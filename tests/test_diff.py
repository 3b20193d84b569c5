"""kg diff (kg.diff): what a change to the seeds does to the graph, record by record."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import DATA

from kg.cli import main
from kg.project import init_project


def _git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path, monkeypatch):
    made = init_project(tmp_path / "p")
    _git(made.root, "init", "-q")
    _git(made.root, "add", "-A")
    _git(made.root, "commit", "-q", "-m", "start")
    monkeypatch.chdir(made.root)
    return made


def _edit(project):
    registry = project.seeds / "entities" / "registry.yaml"
    registry.write_text(registry.read_text().replace("label: Red Hand\n", "label: Red Hand Army\n"))
    [source] = (project.seeds / "sources").glob("*.yaml")
    source.write_text(
        source.read_text()
        .replace("\nevents:", "\nfacts:\n  - fact: red-hand targets freeland\n    para: 2\nevents:")
        .replace("    disputes: [freeland-blames-red-hand]\n", "")
    )
    return source.stem


def test_the_working_tree_against_the_last_commit(project):
    source = _edit(project)
    done = CliRunner().invoke(main, ["diff"])
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "HEAD -> working tree: 1 entity changed, 1 fact added, 1 dispute removed\n"
        "~ entity red-hand\n"
        "    label: Red Hand -> Red Hand Army\n"
        f"+ fact {source}: red-hand targets freeland\n"
        "    paras: [2]\n"
        "- dispute red-hand-denies-raid disputes freeland-blames-red-hand\n"
    )


def test_two_revisions_and_json(project):
    _edit(project)
    _git(project.root, "commit", "-q", "-am", "edit")
    done = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD", "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["from"], data["to"]) == ("HEAD~1", "HEAD")
    assert [(c["kind"], c["change"]) for c in data["changes"]] == [
        ("entity", "changed"),
        ("fact", "added"),
        ("dispute", "removed"),
    ]
    assert data["changes"][0]["fields"] == {"label": {"old": "Red Hand", "new": "Red Hand Army"}}
    same = CliRunner().invoke(main, ["diff", "HEAD"])
    assert same.stdout == "HEAD -> working tree: no change to the graph's records\n"


def test_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(DATA / "mini", a)
    shutil.copytree(DATA / "mini", b)
    (b / "passages.yaml").write_text(
        (b / "passages.yaml").read_text().replace("reason: Boilerplate.", "reason: Footer.")
    )
    done = CliRunner().invoke(main, ["diff", "--seeds", str(a), "--seeds", str(b)])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1:] == ["~ passage 900_00000000000000aa:4", "    reason: Boilerplate. -> Footer."]


def test_an_unknown_revision_is_one_line(project):
    done = CliRunner().invoke(main, ["diff", "nope"])
    assert done.exit_code == 1
    assert done.stderr == f"error: unknown revision 'nope' (a commit, branch or tag of {project.root})\n"


def test_outside_git_says_how_to_compare_folders(tmp_path, monkeypatch):
    made = init_project(tmp_path / "p")
    monkeypatch.chdir(made.root)
    done = CliRunner().invoke(main, ["diff"])
    assert done.stderr == (
        f"error: {made.seeds} is not in a git repository: compare two folders with kg diff --seeds A --seeds B\n"
    )


def test_the_summary_says_entities_not_entitys(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(DATA / "mini", a)
    shutil.copytree(DATA / "mini", b)
    registry = next((b / "entities").glob("*.yaml"))
    registry.write_text(
        registry.read_text()
        + "\n- id: blue-hand\n  type: ArmedGroup\n  label: Blue Hand\n"
        + "\n- id: green-hand\n  type: ArmedGroup\n  label: Green Hand\n"
    )
    done = CliRunner().invoke(main, ["diff", "--seeds", str(a), "--seeds", str(b)])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0].endswith(": 2 entities added")
