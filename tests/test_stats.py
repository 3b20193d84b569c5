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
