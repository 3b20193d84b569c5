"""``kg init``, ``build``, ``validate``, ``stats``: making and checking a project."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli import (
    _seeds,
    main,
    session,
    sources_option,
    store_options,
)
from kg.errors import display_path
from kg.terminal import printable

if TYPE_CHECKING:
    pass


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", default=None, help="The project's name (default: the folder's).")
@click.option(
    "--base",
    default=None,
    metavar="IRI",
    help="The base IRI of the project's ids (default: https://example.org/NAME/).",
)
def init_command(directory: str, name: str | None, base: str | None) -> None:
    """Make a new graph project in DIRECTORY, with a worked example source that builds."""
    from kg.project import init_project

    project = init_project(directory, name, base)
    click.echo(
        f"made project '{printable(project.name)}' in {display_path(project.root)} (ids under {project.base}id/)"
    )
    click.echo(f"next: cd {display_path(project.root)} && kg build && kg show 'Red Hand'")


def _note_missing_sources(given: Path | None) -> None:
    """Say on stderr that the project's source texts are missing, when it is they that would be read."""
    current = session()
    if given is None and current.seeds is None:
        note = current.project().sources_note()
        if note:
            click.echo(note, err=True)


@main.command("build")
@_seeds
@click.option(
    "--exports",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder the exports are written to (default: the project's).",
)
@sources_option
def build_command(exports: Path | None, sources_dir: Path | None) -> None:
    """Validate the seeds, build the graph, check SHACL and write every export."""
    from kg.release import build
    from kg.stats import stats
    from kg.stores.memory import MemoryStore

    current = session()
    project = current.project()
    _note_missing_sources(sources_dir)
    result = build(project, exports, current.sources(sources_dir), cache=current.seeds is None)
    counts = stats(MemoryStore(result.graph))
    click.echo(
        f"built {counts.triples} triples: {sum(counts.entities.values())} entities, "
        f"{sum(counts.relations.values())} facts, {sum(counts.events.values())} events, "
        f"{sum(counts.claims.values())} claims ({counts.disputed_claims} disputed) "
        f"from {len(counts.sources)} sources"
    )
    if result.checked_sources is not None:
        click.echo(f"checked every pointer against {printable(os.path.relpath(result.checked_sources))}")
    for name, size in result.files.items():
        click.echo(f"wrote {display_path((exports or project.exports) / name)} ({size} bytes)")


@main.command("validate")
@_seeds
@sources_option
def validate_command(sources_dir: Path | None) -> None:
    """Check the seeds and report every problem as FILE:LINE: message."""
    from kg.pipeline import check

    project = session().project()
    _note_missing_sources(sources_dir)
    sources_dir = session().sources(sources_dir)
    corpus = check(project.seeds, sources_dir, project.namespaces)
    records = sum(len(s.facts) + len(s.events) + len(s.claims) for s in corpus.sources)
    checked = " and every pointer against the sources" if sources_dir else ""
    click.echo(f"ok: {len(corpus.entities)} entities, {records} records in {len(corpus.sources)} sources{checked}")


def _table(title: str, rows: dict[str, int]) -> None:
    click.echo(title)
    width = max((len(k) for k in rows), default=0)
    for key, value in rows.items():
        click.echo(f"  {key:<{width}}  {value:>5}")


@main.command("stats")
@store_options
def stats_command() -> None:
    """Counts by entity type, event type, relation, source, claim type and disputes."""
    from kg.stats import stats

    counts = stats(session().store())
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
    click.echo(f"disputed events: {counts.disputed_events}")
    _table("qualified as:", counts.statuses)
    click.echo(f"facts on the curator's knowledge (no paragraph says them): {counts.curator_facts}")
    click.echo(f"records citing paragraphs that describe a party without naming it: {counts.inferred}")
