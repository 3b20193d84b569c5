"""``kg export``, ``load``, ``push``, ``view``: the graph out, in files, stores, servers and pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli import (
    ENDPOINT_LIMITS,
    LOAD_FORMATS,
    PUSH_PROTOCOLS,
    _seeds,
    endpoint_timeout_option,
    main,
    session,
    store_options,
)
from kg.errors import display_path
from kg.terminal import printable

if TYPE_CHECKING:
    pass


def _export_names() -> list[str]:
    from kg.export import export_names

    return export_names()


@main.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(_export_names()),
    help="A format, or one file of exports/ by name (e.g. edges.csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=None,
    help="File or folder to write to (csv: a folder), '-' for standard output; a FIFO or device "
    "(/dev/stdout) is written into, never replaced. Default: standard output.",
)
@store_options
def export_command(fmt: str, output: str | None) -> None:
    """Write the graph in one format, to standard output or to a file (csv: a folder)."""
    from kg.export import check_output, export, save, single
    from kg.files import is_stream, write_stdout

    if output not in (None, "-"):
        check_output(output, fmt)
    files = export(session().store(shapes=True).graph(), fmt)
    if output is None or output == "-":
        write_stdout(single(files, fmt))
        return
    for path, data in zip(save(files, Path(output)), [files[name] for name in sorted(files)], strict=True):
        stream = is_stream(path)  # /dev/stdout, a FIFO: named as given, the message kept out of it
        click.echo(f"wrote {printable(str(path)) if stream else display_path(path)} ({len(data)} bytes)", err=stream)


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "spec",
    default=None,
    metavar="oxigraph:PATH",
    help="The Oxigraph store to load into, created if missing (default: $KG_STORE).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(LOAD_FORMATS),
    default=None,
    help="The files' format (default: from each name, under any .gz).",
)
def load_command(files: tuple[Path, ...], spec: str | None, fmt: str | None) -> None:
    """Bulk-load RDF files (N-Triples, Turtle, N-Quads, TriG; .gz too) into an Oxigraph store.

    All files load or none: on a bad line the store is left as it was.
    """
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from kg.stores.choose import oxigraph_path
    from kg.stores.oxigraph import load

    path = oxigraph_path(spec)
    total = sum(f.stat().st_size for f in files if f.is_file())
    console = Console(stderr=True)
    with Progress(
        "loading",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("load", total=total)
        result = load(files, path, fmt, lambda n: bar.advance(task, n))
    if result.recovered:
        click.echo(f"put back {display_path(path)} as it was before an interrupted load", err=True)
    click.echo(
        f"loaded {len(result.files)} file{'s' if len(result.files) != 1 else ''} "
        f"({result.bytes} bytes) into {display_path(path)}: "
        f"{result.after} triples, {result.after - result.before} new"
    )


@main.command("push")
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Graph Store URL (with --protocol update, the Update URL); "
    "credentials as http://USER:PASSWORD@host/... or in "
    "KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD. " + ENDPOINT_LIMITS,
)
@click.option(
    "--graph",
    "iri",
    default=None,
    metavar="IRI",
    help="The named graph to replace (default: the project's, BASE + 'graph').",
)
@click.option(
    "--protocol",
    type=click.Choice(PUSH_PROTOCOLS),
    default="gsp",
    show_default=True,
    help="SPARQL 1.1 Graph Store Protocol or Update.",
)
@click.option(
    "--update",
    "update_url",
    default=None,
    metavar="URL",
    help="With gsp: the server's Update URL; the graph is PUT into a fresh graph "
    "and moved in place in one step, so a failure changes nothing.",
)
@endpoint_timeout_option()
@_seeds
def push_command(
    url: str, iri: str | None, protocol: str, update_url: str | None, endpoint_timeout: float | None
) -> None:
    """Upload the project's graph to a SPARQL server, replacing one named graph."""
    from kg.stores.http import Endpoint, Limits
    from kg.stores.push import push

    limits = Limits.from_environment(endpoint_timeout)
    for given in (url, update_url):  # a bad URL is reported before the graph is built
        if given:
            Endpoint.parse(given, limits)
    current = session()
    store = current.store(shapes=True)
    graph_iri = iri or store.namespaces.graph
    result = push(store.graph(), url, graph_iri, protocol, update_url, limits)  # type: ignore[arg-type]
    click.echo(f"pushed {result.triples} triples to <{result.graph}> at {result.url} ({result.method})")


@main.command("view")
@click.argument("entity", required=False)
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="With ENTITY: how many steps out from it."
)
@click.option(
    "--relation",
    "relations",
    multiple=True,
    metavar="R",
    help="Only these relations (e.g. alliedWith or 'allied with'); repeatable.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="T",
    help="Only entities of these types (e.g. ArmedGroup, 'armed group', place, event); repeatable.",
)
@click.option("--since", default=None, metavar="DATE", help="Drop what is dated before DATE.")
@click.option("--until", default=None, metavar="DATE", help="Drop what is dated after DATE.")
@click.option(
    "--include-claims/--facts-only",
    "claims",
    default=True,
    help="Draw claimed and disputed relationships (the default, dashed), or facts only.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write, '-' for standard output; a FIFO or device is written into, never replaced. "
    "Default: network.html, or ENTITY.html.",
)
@store_options
def view_command(
    entity: str | None,
    depth: int,
    relations: tuple[str, ...],
    types: tuple[str, ...],
    since: str | None,
    until: str | None,
    claims: bool,
    output: str | None,
) -> None:
    """Write an offline HTML network of the whole graph or of ENTITY's neighbourhood."""
    from kg.files import is_stream, write_output, write_stdout
    from kg.view import ViewSpec, check_output, view

    if output is not None:
        check_output(output)
    spec = ViewSpec(entity, depth, relations, types, since, until, claims)
    drawn = view(session().store(), spec)
    path = Path(output or drawn.filename)
    if output == "-":
        write_stdout(drawn.html)
    else:
        write_output(path, drawn.html)
    nodes, edges = drawn.graph.number_of_nodes(), drawn.graph.number_of_edges()
    stream = output == "-" or is_stream(path)
    click.echo(
        f"wrote {printable(str(path)) if stream else display_path(path)} "
        f"({nodes} entit{'y' if nodes == 1 else 'ies'}, "
        f"{edges} relationship{'' if edges == 1 else 's'})",
        err=stream,
    )
