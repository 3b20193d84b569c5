"""The ``kg`` command: thin click wrappers over the library; errors become one-line messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.build import EXPORTS, SEEDS, build, check, compile_graph
from kg.errors import KgError, ValidationFailed, display_path
from kg.export import export, export_names, save, single
from kg.stats import stats as graph_stats

seeds_option = click.option(
    "--seeds", type=click.Path(file_okay=False, path_type=Path), default=SEEDS,
    show_default="the repo's seeds/", help="Folder of curated seeds.")
exports_option = click.option(
    "--exports", type=click.Path(file_okay=False, path_type=Path), default=EXPORTS,
    show_default="the repo's exports/", help="Folder the exports are written to.")
sources_option = click.option(
    "--sources", "sources_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None, help="Folder of source texts: also check every pointer against them.")


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn kg's errors into messages on stderr and exit status 1 (no tracebacks)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationFailed as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            count = len(err.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
            sys.exit(1)
        except KgError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: a source-backed knowledge graph of armed actors."""


@main.command("build")
@seeds_option
@exports_option
@sources_option
@reports_errors
def build_command(seeds: Path, exports: Path, sources_dir: Path | None) -> None:
    """Validate the seeds, build the graph, check SHACL and write every export."""
    result = build(seeds, exports, sources_dir)
    counts = graph_stats(result.graph)
    click.echo(f"built {counts.triples} triples: {sum(counts.entities.values())} entities, "
               f"{sum(counts.relations.values())} facts, {sum(counts.events.values())} events, "
               f"{sum(counts.claims.values())} claims ({counts.disputed_claims} disputed) "
               f"from {len(counts.sources)} sources")
    for name, size in result.files.items():
        click.echo(f"wrote {display_path(exports / name)} ({size} bytes)")


@main.command("validate")
@seeds_option
@sources_option
@reports_errors
def validate_command(seeds: Path, sources_dir: Path | None) -> None:
    """Check the seeds and report every problem as FILE:LINE: message."""
    corpus = check(seeds, sources_dir)
    records = sum(len(s.facts) + len(s.events) + len(s.claims) for s in corpus.sources)
    checked = " and every pointer against the sources" if sources_dir else ""
    click.echo(f"ok: {len(corpus.entities)} entities, {records} records in "
               f"{len(corpus.sources)} sources{checked}")


def _table(title: str, rows: dict[str, int]) -> None:
    click.echo(title)
    width = max((len(k) for k in rows), default=0)
    for key, value in rows.items():
        click.echo(f"  {key:<{width}}  {value:>5}")


@main.command("stats")
@seeds_option
@reports_errors
def stats_command(seeds: Path) -> None:
    """Counts by entity type, event type, relation, source, claim type and disputes."""
    counts = graph_stats(compile_graph(seeds, shapes=False))
    click.echo(f"triples: {counts.triples}")
    _table("entities by type:", counts.entities)
    _table("events by type:", counts.events)
    _table("facts by relation:", counts.relations)
    click.echo("records by source:")
    for source, kinds in counts.sources.items():
        parts = ", ".join(f"{v} {k}" for k, v in kinds.items())
        click.echo(f"  {source}  {parts}")
    _table("claims by type:", counts.claims)
    click.echo(f"disputed claims: {counts.disputed_claims} ({counts.dispute_links} dispute links)")


@main.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(export_names()),
              help="A format, or one file of exports/ by name (e.g. edges.csv).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File or folder to write to (csv: a folder). Default: standard output.")
@seeds_option
@reports_errors
def export_command(fmt: str, output: Path | None, seeds: Path) -> None:
    """Write the graph in one format, to standard output or to a file (csv: a folder)."""
    files = export(compile_graph(seeds), fmt)
    if output is None:
        click.get_binary_stream("stdout").write(single(files, fmt))
        return
    for path in save(files, output):
        click.echo(f"wrote {display_path(path)} ({path.stat().st_size} bytes)")
