"""kg.release: `kg build` is deterministic and atomic, leaves the seeds alone, and exports/ is fresh."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import DATA, PROJECT, REPO

from kg.cli import main
from kg.project import seeds_project
from kg.release import build


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
