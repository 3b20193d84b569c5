"""kg.cli.asking: ``kg show``, ``kg path`` and ``kg rank`` with the options of issue 13, on the curated graph."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore


@pytest.fixture
def kg_cli(store: MemoryStore):
    """Run ``kg ARGS`` on the curated graph in memory."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), obj=store)

    return invoke


def test_rank_only_actors_of_a_type(kg_cli):
    done = kg_cli("rank", "--type", "ArmedGroup", "--top", "2")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
rank  actor           label                      type         degree
----  --------------  -------------------------  -----------  ------
1     afghan-taliban  Afghan Taliban             armed group  3
2     ttp             Tehrik-e-Taliban Pakistan  armed group  3
""",
    )


def test_rank_a_type_covers_its_narrower_types(kg_cli):
    """States are places: ``--type Place`` ranks them; scores are those of the whole network."""
    done = kg_cli("rank", "--type", "place", "--top", "2")
    assert done.stdout.splitlines()[2:] == [
        "1     tajikistan   Tajikistan   state  13",
        "2     afghanistan  Afghanistan  state  5",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "--type", "armd-grup"], "error: unknown type 'armd-grup' (did you mean 'armed group'?)"),
        (["rank", "--type", "event"], "error: kg rank ranks actors, and no event is one"),
        (
            ["path", "ttp", "tajikistan", "--exclude-types", "Plase"],
            "error: unknown type 'Plase' (did you mean 'place' or 'clash'?)",
        ),
        (
            ["path", "ttp", "tajikistan", "--max-length", "1"],
            "error: no path of at most 1 step between ttp and tajikistan",
        ),
    ],
)
def test_one_line_errors(kg_cli, args, message):
    done = kg_cli(*args)
    assert (done.exit_code, done.stderr) == (1, message + "\n")


def test_path_that_passes_through_no_armed_group(kg_cli):
    """The shortest path runs through the Afghan Taliban; without armed groups it takes a step more."""
    done = kg_cli("path", "ttp", "tajikistan", "--exclude-types", "ArmedGroup", "--limit", "1")
    assert (done.exit_code, done.stdout) == (
        0,
        """\
1 shortest path of 3 steps between ttp and tajikistan

1. ttp - pakistan - afghanistan - tajikistan
   subject     relation  object       status  cited
   ----------  --------  -----------  ------  -------
   ttp         targets   pakistan     fact    001 ¶15
   pakistan    borders   afghanistan  fact    001 ¶15
   tajikistan  borders   afghanistan  fact    001 ¶4
   tajikistan  borders   afghanistan  fact    003 ¶4
""",
    )


def test_path_types_as_a_comma_list_or_repeated(kg_cli):
    listed = kg_cli("path", "ttp", "tajikistan", "--exclude-types", "armed group,state")
    repeated = kg_cli("path", "ttp", "tajikistan", "--exclude-types", "armed group", "--exclude-types", "State")
    assert listed.stdout == repeated.stdout == "no path between ttp and tajikistan\n"
    assert kg_cli("path", "ttp", "tajikistan", "--exclude-types", "Place,Event").stdout.splitlines()[2] == (
        "1. ttp - afghan-taliban - tajikistan"
    )


def test_path_within_a_length(kg_cli):
    assert kg_cli("path", "ttp", "tajikistan", "--max-length", "2").stdout.splitlines()[0] == (
        "1 shortest path of 2 steps between ttp and tajikistan"
    )
    done = kg_cli("path", "ttp", "tajikistan", "--exclude-types", "ArmedGroup", "--max-length", "2")
    assert (done.exit_code, done.stderr) == (1, "error: no path of at most 2 steps between ttp and tajikistan\n")


def test_show_an_event_with_its_figures_and_totals(kg_cli):
    lines = kg_cli("show", "ishkobod-attack").stdout.splitlines()
    figures = lines[lines.index("figures (8):") + 3 :]
    detained = [line.split() for line in figures if line.lstrip().startswith("detained")]
    assert detained == [
        ["detained", "perpetrators", "ishkobod-attackers", "5", "tajik-border-service", "002", "¶11,15"],
        ["detained", "perpetrators", "ishkobod-attackers", "4", "tajik-interior-ministry", "002", "¶15"],
    ]
    seized = next(line for line in figures if line.lstrip().startswith("seized"))
    assert "by ishkobod-attackers from tajik-border-service" in seized
    women = next(line for line in figures if "cabar-asia via tajik-interior-ministry" in line)
    assert women.split()[3:5] == ["≥1", "women"] and " subset " in women
    totals = lines[lines.index("totals:") + 1 : lines.index("totals:") + 5]
    assert totals == [
        "  4-5 detained: Ministry of Internal Affairs of Tajikistan 4, Tajik Border Service 5",
        "  20 fighters",
        "  17 killed",  # 15 attackers, a border guard and a police officer; the women (a subset) not added
        "  5 seized (firearms)",
    ]


def test_show_marks_suspected_roles_and_the_curators_knowledge(kg_cli):
    imu = kg_cli("show", "imu").stdout
    assert "istaravshan-grenade-2013            2013-01-19  target (suspected)" in imu
    district = kg_cli("show", "qabodiyon-district").stdout.splitlines()
    khatlon = next(line for line in district if "located in   khatlon" in line)
    assert khatlon.split("fact", 1)[1].strip() == "curator's knowledge [1]"
    note = district[district.index(khatlon) + 1 :]
    assert any(line.startswith("  [1] the curator's reason: Qabodiyon (Kabadiyan) is a district") for line in note)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "ttp"],
        ["show", "ishkobod-attack"],
        ["show", "zubov-is-airlift"],
        ["path", "ttp", "tajikistan", "--include-claims"],
        ["path", "imu", "ttp", "--exclude-types", "state"],
        ["neighbors", "kizil-nishon", "--depth", "2"],
    ],
)
def test_same_answers_on_oxigraph(kg_cli, oxigraph: OxigraphStore, args):
    on_disk = CliRunner().invoke(main, args, obj=oxigraph)
    assert (on_disk.exit_code, on_disk.stdout) == (0, kg_cli(*args).stdout)


def test_neighbors_rows_show_the_status_and_the_curators_knowledge(kg_cli):
    rows = kg_cli("neighbors", "mastchoh-district").stdout.splitlines()[2:]
    assert rows[1].split() == [
        "1", "sughd", "region", "mastchoh-district", "located", "in", "sughd", "fact", "curator's", "knowledge"
    ]  # fmt: skip
    rows = kg_cli("neighbors", "kizil-nishon-arrests-2013").stdout.splitlines()[2:]
    assert rows[0].split()[-3:] == ["(suspected)", "004", "¶19"]
