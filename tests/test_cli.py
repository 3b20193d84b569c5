"""The kg command as a whole: start-up without heavy imports, errors handled once, state in ctx.obj."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg import cli, network, report
from kg.cli import main
from kg.stores.oxigraph import FORMATS as LOAD_FORMATS
from kg.stores.push import PROTOCOLS

HEAVY = ("rdflib.plugins.sparql", "networkx", "stix2", "pyshacl", "pyvis", "pyoxigraph", "jinja2")

_IMPORTED = """
import sys
from kg.cli import main
try:
    main(sys.argv[1:], prog_name="kg")
except SystemExit:
    pass
heavy = {HEAVY!r}
print(sorted({{m.split('.')[0] if m.split('.')[0] != 'rdflib' else m
              for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)}}))
"""


@pytest.mark.parametrize("args", [["--help"], ["show", "--help"], ["query", "--help"],
                                  ["build", "--help"], ["export", "--help"], ["view", "--help"]])
def test_help_imports_nothing_heavy(args):
    code = _IMPORTED.format(HEAVY=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "[]"


def test_python_dash_m_kg_is_the_command():
    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert done.stdout == "kg, version 0.1.0\n"


def test_the_option_choices_are_the_librarys():
    assert cli.RESULT_FORMATS == report.FORMATS
    assert cli.RANKINGS == network.RANKINGS
    assert cli.LOAD_FORMATS == tuple(sorted(LOAD_FORMATS))
    assert cli.PUSH_PROTOCOLS == PROTOCOLS


def test_a_store_is_handed_to_commands_in_obj(store):
    done = CliRunner().invoke(main, ["query", "-e", "ASK { id:ttp kg:alliedWith id:afghan-taliban }"],
                              obj=store)
    assert (done.exit_code, done.stdout) == (0, "true\n")


def test_a_system_error_is_one_line(tmp_path, store):
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = CliRunner().invoke(main, ["export", "--format", "turtle", "-o", str(blocker / "x.ttl")],
                              obj=store)
    assert done.exit_code == 1
    assert done.stderr == f"error: File exists: {blocker}\n"
