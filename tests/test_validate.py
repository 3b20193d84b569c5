"""`kg validate` on broken fixtures: every problem at once, exact messages and lines."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import DATA, REPO, needs_sources

from kg.cli import main
from kg.errors import ValidationFailed
from kg.pipeline import compile_graph

BROKEN = [
    "tests/data/broken/entities/registry.yaml:5: unknown entity type 'ArmedGrup' (did you mean 'ArmedGroup'?)",
    "tests/data/broken/entities/registry.yaml:9: duplicate id 'red-hand' (first defined at tests/data/broken/entities/registry.yaml:5)",
    "tests/data/broken/entities/registry.yaml:15: alias 'RH' of 'blue-hand' is already a name of 'red-hand'",
    "tests/data/broken/entities/registry.yaml:19: unknown entity 'freland' (did you mean 'freeland'?)",
    "tests/data/broken/entities/registry.yaml:24: unknown key 'colour' in entity",
    "tests/data/broken/sources/900_00000000000000aa.yaml:1: paragraph 1 of 900_00000000000000aa is neither cited nor listed as uncited in passages.yaml",
    "tests/data/broken/sources/900_00000000000000aa.yaml:1: paragraph 4 of 900_00000000000000aa is neither cited nor listed as uncited in passages.yaml",
    "tests/data/broken/sources/900_00000000000000aa.yaml:4: fact cites 900_00000000000000aa paragraph 2, which does not name blue-hand: cite the paragraph that does, or say why in 'inferred'",
    "tests/data/broken/sources/900_00000000000000aa.yaml:4: unknown relation 'alliedWit' (did you mean 'alliedWith' or 'affiliatedWith'?)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:6: unknown entity 'Freeland' (did you mean 'freeland'?)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:8: missing 'para': every record cites its paragraph",
    "tests/data/broken/sources/900_00000000000000aa.yaml:9: paragraph 9 is past the end of 900_00000000000000aa (4 paragraphs)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:11: fact cites 900_00000000000000aa paragraph 3, which names none of: blue-hand, ford-post",
    "tests/data/broken/sources/900_00000000000000aa.yaml:15: unknown event type 'Atack' (did you mean 'Attack'?)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:17: impossible date '2020-02-30': day is out of range for month",
    "tests/data/broken/sources/900_00000000000000aa.yaml:23: bad date '3 March 2020': write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (year unknown)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:24: unknown entity 'freeland-post' (did you mean 'freeland' or 'ford-post'?)",
    "tests/data/broken/sources/900_00000000000000aa.yaml:31: unknown claim or event 'no-such-claim'",
    "tests/data/broken/sources/900_00000000000000aa.yaml:32: bad confidence '1.5': write a decimal from 0 to 1",
    "tests/data/broken/sources/901_00000000000000bb.yaml:1: no source file '901_00000000000000bb.txt' in tests/data/texts",
    "tests/data/broken/sources/901_00000000000000bb.yaml:4: no source file '901_00000000000000bb.txt' in tests/data/texts",
]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # messages name files relative to the working directory


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_every_problem_is_reported_at_once_with_file_and_line():
    result = run("--seeds", "tests/data/broken", "--sources", "tests/data/texts")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == BROKEN + ["21 problems found"]


def test_without_sources_the_pointer_checks_are_skipped():
    result = run("--seeds", "tests/data/broken")
    pointer_checks = ("neither cited", "past the end", "names none of", "does not name", "no source file")
    expected = [line for line in BROKEN if not any(p in line for p in pointer_checks)]
    assert result.stderr.splitlines() == expected + [f"{len(expected)} problems found"]


def test_malformed_yaml_names_the_parsers_line():
    result = run("--seeds", "tests/data/malformed")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tests/data/malformed/sources/900_00000000000000aa.yaml:5: malformed YAML: expected ',' or ']', but got ':'",
        "1 problem found",
    ]


def test_missing_seeds_folder_is_one_clear_line():
    result = run("--seeds", "tests/data/no-such-folder")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "tests/data/no-such-folder:0: no such seeds folder"


def test_valid_fixture_passes_with_sources():
    result = run("--seeds", "tests/data/mini", "--sources", "tests/data/texts")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("ok: 5 entities, 4 records in 1 sources and every pointer against the sources\n")


def test_curated_seeds_pass_every_pointer_check():
    needs_sources()
    result = run()  # the project's kg.toml names the source texts
    assert result.exit_code == 0, result.output
    assert result.stdout == ("ok: 114 entities, 142 records in 5 sources and every pointer against the sources\n")


def test_library_raises_with_all_problems():
    with pytest.raises(ValidationFailed) as info:
        compile_graph(DATA / "broken", sources_dir=DATA / "texts")
    assert [str(p) for p in info.value.problems] == BROKEN


# --- the qualifiers of issue 13: subsets, seizures, status, curator's knowledge, inferred ---

MISQUALIFIED = "tests/data/misqualified/sources/902_00000000000000cc.yaml"


def test_misused_qualifiers_are_each_one_line():
    result = run("--seeds", "tests/data/misqualified")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{MISQUALIFIED}:5: a fact on the curator's knowledge cites no paragraph: drop 'para' or 'basis'",
        f"{MISQUALIFIED}:8: a fact on the curator's knowledge needs a 'reason': how the curator knows it",
        f"{MISQUALIFIED}:10: unknown basis 'hunch': write 'basis: curator' for the curator's knowledge",
        f"{MISQUALIFIED}:13: 'reason' goes with 'basis: curator': say what it explains",
        f"{MISQUALIFIED}:16: unknown status 'rumoured'",
        f"{MISQUALIFIED}:23: 'status' qualifies the role 'target', which the event does not name",
        f"{MISQUALIFIED}:23: 'status' qualifies the role 'victim', which the event does not name",
        f"{MISQUALIFIED}:23: unknown role 'perpetrater' in 'status' (did you mean 'perpetrator'?)",
        f"{MISQUALIFIED}:28: subset_of 3 counts 'fighters', not 'killed'",
        f"{MISQUALIFIED}:31: a count cannot be a subset of itself",
        f"{MISQUALIFIED}:34: subset_of 1 counts 'killed', not 'fighters'",
        f"{MISQUALIFIED}:35: 'subset' must be true or false, got 'maybe'",
        f"{MISQUALIFIED}:38: 'taken_by' goes with 'measure: seized' or 'measure: money'",
        f"{MISQUALIFIED}:44: an event's 'status' maps its roles to statuses, e.g. 'status: {{perpetrator: suspected}}'",
        f"{MISQUALIFIED}:51: unknown claim or event 'ford-post-atack' (did you mean 'ford-post-attack' or 'ford-post-arrests'?)",
        f"{MISQUALIFIED}:52: 'date_inferred' needs the date worked out ('date')",
        "16 problems found",
    ]


def test_qualified_fixture_passes_with_sources():
    result = run("--seeds", "tests/data/qualified", "--sources", "tests/data/texts")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 8 entities, 7 records in 1 sources and every pointer against the sources\n"


def _qualified_copy(tmp_path, old: str, new: str):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "qualified", seeds)
    source = seeds / "sources" / "902_00000000000000cc.yaml"
    text = source.read_text()
    assert old in text
    source.write_text(text.replace(old, new))
    return run("--seeds", str(seeds), "--sources", str(DATA / "texts")), f"{seeds}/sources/902_00000000000000cc.yaml"


def test_a_fact_whose_paragraph_names_one_end_needs_its_reason(tmp_path):
    result, file = _qualified_copy(tmp_path, "    inferred: Paragraph 5 calls", "    note: Paragraph 5 calls")
    assert result.stderr.splitlines() == [
        f"{file}:12: fact cites 902_00000000000000cc paragraph 5, which does not name red-hand: "
        "cite the paragraph that does, or say why in 'inferred'",
        "1 problem found",
    ]


def test_every_party_of_an_event_and_every_claimant_must_be_named(tmp_path):
    result, file = _qualified_copy(
        tmp_path, "    responder: freeland-police\n", "    responder: [freeland-police, blue-hand]\n"
    )
    assert result.stderr.splitlines() == [
        f"{file}:49: event cites 902_00000000000000cc paragraph 3, which does not name blue-hand: "
        "cite the paragraph that does, or say why in 'inferred'",
        "1 problem found",
    ]
    result, file = _qualified_copy(
        tmp_path / "2", "    by: unnamed-official\n", "    by: [unnamed-official, freeland-police]\n"
    )
    assert result.stderr.splitlines() == [
        f"{file}:71: claim cites 902_00000000000000cc paragraph 4, which does not name freeland-police: "
        "cite the paragraph that does, or say why in 'inferred'",
        "1 problem found",
    ]


def test_an_unmatched_alias_does_not_count_as_naming(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "qualified", seeds)
    registry = seeds / "entities" / "registry.yaml"
    registry.write_text(
        registry.read_text().replace(
            "  aliases: [an official who asked not to be named]\n",
            "  aliases: [an official who asked not to be named]\n  unmatched: [an official who asked not to be named]\n",
        )
    )
    result = run("--seeds", str(seeds), "--sources", str(DATA / "texts"))
    assert result.stderr.splitlines() == [
        f"{seeds}/sources/902_00000000000000cc.yaml:71: claim cites 902_00000000000000cc paragraph 4, "
        "which does not name unnamed-official: cite the paragraph that does, or say why in 'inferred'",
        "1 problem found",
    ]


def test_a_place_as_a_party_says_what_to_do(tmp_path):
    result, file = _qualified_copy(
        tmp_path, "    responder: freeland-police\n", "    responder: [freeland-police, ford-post]\n"
    )
    assert result.stderr.splitlines() == [
        f"{file}:49: event cites 902_00000000000000cc paragraph 3, which does not name ford-post: "
        "cite the paragraph that does, or say why in 'inferred'",
        f"{file}:53: 'ford-post' is a place, not an actor: a place is where something happened "
        "(an event's 'place'); the actor is who was there",
        "2 problems found",
    ]


# --- the number of a source names one source ---


def test_two_sources_of_one_number_are_reported(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "mini", seeds)
    (seeds / "sources" / "900_00000000000000bb.yaml").write_text(
        "# drafted at the same time as 900_00000000000000aa\nsource: 900_00000000000000bb\ntitle: Another\n"
    )
    (seeds / "sources" / "901_00000000000000cc.yaml").write_text("source: 901_00000000000000cc\n")
    result = run("--seeds", str(seeds))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{seeds}/sources/900_00000000000000bb.yaml:2: source number 900 is also that of 900_00000000000000aa "
        f"({seeds}/sources/900_00000000000000aa.yaml): give this source the next free number (its file, its "
        "text, its 'source' and the pointers to it)",
        "1 problem found",
    ]
