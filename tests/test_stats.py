"""`kg stats`: counts of the curated graph, per source and per kind."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main


def test_records_by_source_count_events_of_every_type():
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("records by source:")
    assert lines[start + 1:start + 6] == [
        "  000_c8205b38d0f11d5b  5 claims, 1 counts, 21 facts",
        "  001_084b21e3a6584c55  15 claims, 12 counts, 9 events, 52 facts",
        "  002_5f06e7e4ae4f28ef  17 claims, 9 counts, 5 events, 48 facts",
        "  003_ce4f7711c776f642  4 claims, 5 counts, 6 events, 32 facts",
        "  004_f40853ec4d41faf2  10 claims, 6 counts, 7 events, 40 facts",
    ]
    assert "disputed claims: 9 (11 dispute links)" in lines
