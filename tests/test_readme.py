"""The README's examples: each ``$ kg ...`` it shows with its output prints that output today.

Run as a person would run them, from the repository, through ``python -m kg``. Examples that
need a server, a second project, a folder of their own or a time limit are left to the tests
of their commands, and so is ``kg build`` (it rewrites ``exports/``, which other tests read).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
from conftest import REPO

LEFT_TO_THEIR_TESTS = ("serve", "init", "review", "draft", "diff", "load", "push", "view", "build", "--timeout")
"""Commands whose examples need more than this repository, or would change it."""


def examples() -> list[tuple[int, str, str]]:
    """(line, command, printed output) of each example of the README run here."""
    found, inside, block, start = [], False, [], 0
    for number, line in enumerate((REPO / "README.md").read_text().splitlines(), 1):
        if line.startswith("```"):
            if inside:
                found += _commands(start, block)
            inside, block, start = not inside, [], number + 1
        elif inside:
            block.append(line)
    return found


def _commands(start: int, block: list[str]) -> list[tuple[int, str, str]]:
    found = []
    for i, line in enumerate(block):
        if not line.startswith("$ kg "):
            continue
        command = line[2:]
        end = next((j for j in range(i + 1, len(block)) if block[j].startswith("$ ")), len(block))
        shown = "\n".join(block[i + 1 : end]).rstrip()
        words = shlex.split(command, comments=True)
        if "(excerpt)" in command or any(c in command for c in "|<>") or set(words) & set(LEFT_TO_THEIR_TESTS):
            continue
        if any(w.startswith(("--store", "--endpoint")) for w in words) or not shown:
            continue
        found.append((start + i, command, shown))
    return found


@pytest.mark.parametrize(("line", "command", "shown"), examples(), ids=lambda v: str(v)[:50])
def test_the_readme_shows_what_the_command_prints(line: int, command: str, shown: str, tmp_path) -> None:
    args = shlex.split(command, comments=True)[1:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    where = REPO
    if "-o" in args:  # it writes files: elsewhere, on this project
        where, env["KG_PROJECT"] = tmp_path, str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=where, capture_output=True, text=True, timeout=120, env=env
    )
    printed = {(done.stdout + done.stderr).rstrip(), (done.stderr + done.stdout).rstrip()}
    assert shown in printed, f"README.md:{line}: {command}"
