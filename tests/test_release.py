"""kg.release: `kg build` is deterministic and atomic, leaves the seeds alone, and exports/ is fresh."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, PROJECT, REPO

from kg.cli import main
from kg.files import foreign_entry
from kg.project import init_project, seeds_project
from kg.release import build, check_exports


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_give_identical_bytes(tmp_path, files):
    build(PROJECT, tmp_path / "a", cache=False)
    first = snapshot(tmp_path / "a")
    second = {Path(name): data for name, data in files.items()}  # the session's build of the seeds
    assert first and first == second


def test_failing_build_leaves_exports_untouched(tmp_path):
    exports = tmp_path / "exports"
    build(seeds_project(DATA / "mini"), exports, cache=False)
    (exports / "notes.txt").write_text("kept")
    before = snapshot(exports)
    result = CliRunner().invoke(main, ["build", "--seeds", str(DATA / "broken"), "--exports", str(exports)])
    assert result.exit_code == 1
    assert snapshot(exports) == before
    assert not [p for p in tmp_path.iterdir() if p.name != "exports"]  # no staging left behind


def test_seeds_are_not_modified_by_a_build(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "mini", seeds)
    before = snapshot(seeds)
    build(seeds_project(seeds), tmp_path / "out", cache=False)
    assert snapshot(seeds) == before


def test_committed_exports_are_fresh(files: dict[str, bytes]) -> None:
    """exports/ in the repo is what `kg build` makes of the seeds now (run `kg build` if not)."""
    committed = REPO / "exports"
    found = sorted(str(p.relative_to(committed)) for p in committed.rglob("*") if p.is_file())
    assert found == sorted(files), "exports/ is stale: run `kg build` and commit exports/"
    stale = [name for name, data in sorted(files.items()) if (committed / name).read_bytes() != data]
    assert stale == [], "exports/ is stale: run `kg build` and commit exports/"


# --- a build replaces only a folder of its own ---

REFUSED = "kg build replaces its exports folder whole; name a folder of its own"


@pytest.fixture
def made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new project (kg init) in tmp_path/p, the working directory, with a user's file beside it."""
    root = tmp_path / "p"
    init_project(root, base="https://example.org/p/")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text("mine")
    monkeypatch.chdir(root)
    return root


def set_exports(root: Path, value: str) -> None:
    config = root / "kg.toml"
    config.write_text(re.sub("(?m)^exports = .*$", f'exports = "{value}"', config.read_text()))


@pytest.mark.parametrize(
    ("value", "shown", "what"),
    [
        ("seeds", "seeds", "the seeds folder"),
        ("sources", "sources", "the source texts folder"),
        (".", ".", "the project's folder"),
        ("../p", ".", "the project's folder"),
        ("..", "{parent}", "a folder holding the project ({root})"),
        ("seeds/entities", "seeds/entities", "inside the seeds folder"),
        ("exports/../seeds", "seeds", "the seeds folder"),
        (".kg", ".kg", "the project's cache folder"),
    ],
)
def test_a_build_refuses_to_replace_the_project_or_its_seeds(made: Path, value: str, shown: str, what: str) -> None:
    set_exports(made, value)
    before = snapshot(made.parent)
    done = CliRunner().invoke(main, ["build"])
    shown, what = (s.format(parent=made.parent, root=made) for s in (shown, what))
    assert (done.exit_code, done.stdout, done.stderr) == (
        1,
        "",
        f"error: the exports folder {shown} is {what}: {REFUSED}\n",
    )
    assert snapshot(made.parent) == before
    assert sorted(p.name for p in made.iterdir()) == [".gitignore", "README.md", "kg.toml", "seeds", "sources"]


def test_exports_holding_the_source_texts_are_refused(made: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    texts = tmp_path / "out" / "texts"
    (made / "sources").rename(texts)
    config = made / "kg.toml"
    config.write_text(config.read_text().replace('sources = "sources"', f'sources = "{texts}"'))
    before = snapshot(tmp_path)
    done = CliRunner().invoke(main, ["build", "--exports", str(tmp_path / "out")])
    assert done.stderr == (
        f"error: the exports folder {tmp_path / 'out'} is a folder holding the source texts ({texts}): {REFUSED}\n"
    )
    assert snapshot(tmp_path) == before


def test_a_build_never_replaces_a_folder_holding_what_it_did_not_write(made: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    done = CliRunner().invoke(main, ["build", "--exports", "../docs"])
    assert (done.exit_code, done.stdout, done.stderr) == (
        1,
        "",
        "error: the exports folder ../docs holds index.html, which kg build does not write: kg build replaces "
        "its exports folder whole, so it replaces only a new or empty folder or one holding only what a build "
        "writes (graph.ttl, network.html, groups/*.html, ...); move index.html away or name another folder\n",
    )
    assert snapshot(tmp_path) == before
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (made / "exports" / "groups" / "notes").mkdir()
    refused = CliRunner().invoke(main, ["build"])
    assert refused.stderr.startswith("error: the exports folder exports holds groups/notes/, which kg build")


def test_a_private_exports_folder_and_a_private_file_stay_private(made: Path) -> None:
    """Permissions the user set are kept: a 0700 exports folder, a 0600 file written with -o."""
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    (made / "exports").chmod(0o700)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert (made / "exports").stat().st_mode & 0o777 == 0o700
    private = made / "graph.nt"
    private.write_text("")
    private.chmod(0o600)
    assert CliRunner().invoke(main, ["export", "--format", "ntriples", "-o", str(private)]).exit_code == 0
    assert private.stat().st_mode & 0o777 == 0o600 and private.stat().st_size > 0
    fresh = made / "new.nt"
    assert CliRunner().invoke(main, ["export", "--format", "ntriples", "-o", str(fresh)]).exit_code == 0
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_a_build_replaces_its_own_exports_and_pages_of_groups_gone(made: Path) -> None:
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    first = snapshot(made / "exports")
    (made / "exports" / "groups" / "gone.html").write_text("<p>a group no longer in the graph</p>")
    (made / "exports" / "graph.ttl").write_text("stale")
    done = CliRunner().invoke(main, ["build"])
    assert (done.exit_code, done.stderr) == (0, "")
    assert snapshot(made / "exports") == first
    (made / "exports").rename(made / "old")
    (made / "exports").mkdir()  # an empty folder is taken too
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert snapshot(made / "exports") == first


def test_the_repository_builds_into_its_own_exports(files: dict[str, bytes]) -> None:
    """The committed exports/ holds only what a build writes, so `kg build` replaces it."""
    check_exports(PROJECT, PROJECT.exports)
    assert foreign_entry(REPO / "exports", files) is None
    assert foreign_entry(REPO, files) == sorted(p.name for p in REPO.iterdir())[0] + "/"  # .benchmarks/, say
