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
from kg.load import FORMATS as LOAD_FORMATS
from kg.load import load
from kg.push import PROTOCOLS, push
from kg.stats import stats as graph_stats
from kg.stores import GRAPH, oxigraph_path

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


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "spec", default=None, metavar="oxigraph:PATH",
              help="The Oxigraph store to load into, created if missing (default: $KG_STORE).")
@click.option("--format", "fmt", type=click.Choice(sorted(LOAD_FORMATS)), default=None,
              help="The files' format (default: from each name, under any .gz).")
@reports_errors
def load_command(files: tuple[Path, ...], spec: str | None, fmt: str | None) -> None:
    """Bulk-load RDF files (N-Triples, Turtle, N-Quads, TriG; .gz too) into an Oxigraph store.

    All files load or none: on a bad line the store is left as it was.
    """
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    path = oxigraph_path(spec)
    total = sum(f.stat().st_size for f in files if f.is_file())
    console = Console(stderr=True)
    with Progress("loading", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("load", total=total)
        result = load(files, path, fmt, lambda n: bar.advance(task, n))
    click.echo(f"loaded {len(result.files)} file{'s' if len(result.files) != 1 else ''} "
               f"({result.bytes} bytes) into {display_path(path)}: "
               f"{result.after} triples, {result.after - result.before} new")


@main.command("push")
@click.option("--endpoint", "url", required=True, metavar="URL",
              help="Graph Store URL (with --protocol update, the Update URL); "
                   "credentials as http://USER:PASSWORD@host/... or in "
                   "KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD.")
@click.option("--graph", "iri", default=GRAPH, show_default=True, metavar="IRI",
              help="The named graph to replace.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="gsp", show_default=True,
              help="SPARQL 1.1 Graph Store Protocol or Update.")
@click.option("--update", "update_url", default=None, metavar="URL",
              help="With gsp: the server's Update URL; the graph is PUT into a fresh graph "
                   "and moved in place in one step, so a failure changes nothing.")
@seeds_option
@reports_errors
def push_command(url: str, iri: str, protocol: str, update_url: str | None, seeds: Path) -> None:
    """Upload the graph built from the seeds to a SPARQL server, replacing one named graph."""
    result = push(compile_graph(seeds), url, iri, protocol, update_url)
    click.echo(f"pushed {result.triples} triples to <{result.graph}> at {result.url} "
               f"({result.method})")
