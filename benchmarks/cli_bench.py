"""Whole-process timings of kg's everyday commands (run by hand; not a test).

    python benchmarks/cli_bench.py [--runs 7] [--json FILE] [--kg EXECUTABLE]

Each command runs as a new process, as an analyst runs it: one warm-up run, then
``--runs`` counted runs, and the median, minimum and maximum wall time are printed.
The commands run on a copy of this repository's project in a temporary folder (its
seeds, a kg.toml without source texts), so the repository's own cache is not touched:

* with a warm cache: ``kg --help``, ``kg show TTP``, ``kg query allies --param actor=ttp``,
  ``kg path TTP Tajikistan``;
* ``kg show TTP`` after a seed edit (each run edits a seed first, so each compiles);
* ``kg build`` (validate, SHACL, every export and view);
* for scale: ``python -c pass``, and ``sqlite-utils --help`` and a sqlite-utils query on a
  small database (``pip install sqlite-utils``; left out with a note when it is missing).

``--kg`` times another kg, e.g. one installed from the wheel into its own venv, as an
analyst runs it (its modules compiled to bytecode at install; a checkout run with
``PYTHONDONTWRITEBYTECODE`` set compiles kg's own modules on every run instead).

Targets (issue 11): --help 0.15 s, show 0.2 s, query 0.2 s, path 0.3 s, after an edit 3 s,
build 4 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
TARGETS = {
    "kg --help": 0.15,
    "kg show TTP": 0.2,
    "kg query allies --param actor=ttp": 0.2,
    "kg path TTP Tajikistan": 0.3,
    "kg show TTP after a seed edit": 3.0,
    "kg build": 4.0,
}


def timed(command: list[str], cwd: Path, runs: int, before: Callable[[], None] | None = None) -> list[float]:
    """Wall seconds of ``runs`` runs of ``command`` after one warm-up (``before`` runs first each time)."""
    times = []
    for n in range(runs + 1):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        if n:
            times.append(time.perf_counter() - start)
    return times


def project_copy(into: Path) -> Path:
    """This repository's project (seeds and kg.toml, no source texts) in ``into``."""
    root = into / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    config = (REPO / "kg.toml").read_text(encoding="utf-8")
    (root / "kg.toml").write_text(config.replace('sources = "../shared/sources"\n', ""), encoding="utf-8")
    return root


def editor(root: Path) -> Callable[[], None]:
    """Each call changes a seed (a comment at the end of the registry), so the cache is stale."""
    registry = root / "seeds" / "entities" / "actors.yaml"
    original = registry.read_text(encoding="utf-8")
    count = [0]

    def edit() -> None:
        count[0] += 1
        registry.write_text(original + f"# edit {count[0]}\n", encoding="utf-8")

    return edit


def sqlite_db(into: Path) -> Path:
    path = into / "bench.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE actors (id TEXT PRIMARY KEY, label TEXT)")
        db.executemany("INSERT INTO actors VALUES (?, ?)", [(f"a{i}", f"Actor {i}") for i in range(1000)])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    parser.add_argument("--kg", default=None, help="The kg executable to time (default: this Python's -m kg).")
    args = parser.parse_args()
    kg = [args.kg] if args.kg else KG
    with tempfile.TemporaryDirectory() as tmp:
        root = project_copy(Path(tmp))
        rows: dict[str, list[float]] = {}
        rows["python -c pass"] = timed([sys.executable, "-c", "pass"], root, args.runs)
        subprocess.run([*kg, "stats"], cwd=root, check=True, stdout=subprocess.DEVNULL)  # warm the cache
        for command in ("--help", "show TTP", "query allies --param actor=ttp", "path TTP Tajikistan"):
            rows[f"kg {command}"] = timed([*kg, *command.split()], root, args.runs)
        rows["kg show TTP after a seed edit"] = timed([*kg, "show", "TTP"], root, args.runs, editor(root))
        rows["kg build"] = timed([*kg, "build", "--exports", str(Path(tmp) / "exports")], root, args.runs)
        sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
        if Path(sqlite_utils).exists():
            db = sqlite_db(Path(tmp))
            rows["sqlite-utils --help"] = timed([sqlite_utils, "--help"], root, args.runs)
            rows["sqlite-utils query"] = timed(
                [sqlite_utils, "query", str(db), "select * from actors where id = 'a7'"], root, args.runs
            )
        else:
            print("note: sqlite-utils is not installed (pip install sqlite-utils): its rows are left out")
    floor = statistics.median(rows["python -c pass"])
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, {args.runs} runs "
        f"after a warm-up; wall seconds"
    )
    print(f"{'command':40} {'median':>7} {'min':>7} {'max':>7} {'x pass':>7} {'target':>7}")
    for name, times in rows.items():
        median = statistics.median(times)
        target = TARGETS.get(name)
        mark = "" if target is None else f"{target:7.2f}" + (" met" if median <= target else " MISSED")
        print(f"{name:40} {median:7.3f} {min(times):7.3f} {max(times):7.3f} {median / floor:7.1f} {mark}")
    if args.json:
        args.json.write_text(json.dumps({k: sorted(v) for k, v in rows.items()}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
