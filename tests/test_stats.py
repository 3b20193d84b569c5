"""kg.stats: counts by type, relation and source, and disputes (what `kg stats` prints), on tests/data/mini."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main


def test_records_by_source_count_events_of_every_type(mini):
    result = CliRunner().invoke(main, ["stats"], obj=mini)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("records by source:")
    assert lines[start + 1 : start + 3] == [
        "  900_00000000000000aa  2 claims, 1 events, 6 facts",
        "claims by type:",
    ]
    assert "disputed claims: 1 (1 dispute links)" in lines


def test_curator_knowledge_statuses_and_disputed_events_are_counted_apart():
    from conftest import DATA

    from kg.pipeline import compile_graph
    from kg.stats import stats
    from kg.stores.memory import MemoryStore

    counts = stats(MemoryStore(compile_graph(DATA / "qualified")))
    assert (counts.curator_facts, counts.inferred, counts.disputed_events) == (2, 1, 1)
    assert counts.statuses == {"suspected": 3}
    assert counts.disputed_claims == 0
    assert counts.sources == {"902_00000000000000cc": {"claims": 2, "counts": 6, "events": 2, "facts": 7}}
