"""The ``kg`` command: thin click wrappers over the library; errors become one-line messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__, report
from kg.api import KnowledgeGraph
from kg.errors import BadParameter, KgError, ValidationFailed, display_path
from kg.export import export, export_names, save, single
from kg.files import write_atomic
from kg.network import RANKINGS
from kg.pipeline import SEEDS, check, compile_graph
from kg.queries import NamedQuery, library, listing, named_query
from kg.release import EXPORTS, build
from kg.report import FORMATS, render
from kg.stats import stats as graph_stats
from kg.stores import GRAPH, Store, open_store, oxigraph_path
from kg.stores.oxigraph import FORMATS as LOAD_FORMATS
from kg.stores.oxigraph import load
from kg.stores.push import PROTOCOLS, push
from kg.view import ViewSpec, view

seeds_option = click.option(
    "--seeds", type=click.Path(file_okay=False, path_type=Path), default=SEEDS,
    show_default="the repo's seeds/", help="Folder of curated seeds.")
exports_option = click.option(
    "--exports", type=click.Path(file_okay=False, path_type=Path), default=EXPORTS,
    show_default="the repo's exports/", help="Folder the exports are written to.")
sources_option = click.option(
    "--sources", "sources_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None, help="Folder of source texts: also check every pointer against them.")


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store``, ``--endpoint`` and ``--graph``, read by :func:`_open_store`."""

    @click.option("--store", "store_spec", default=None, metavar="SPEC",
                  help="memory (the seeds, built; the default), oxigraph:PATH or an endpoint "
                       "URL (default: $KG_ENDPOINT, else $KG_STORE).")
    @click.option("--endpoint", default=None, metavar="URL",
                  help="A SPARQL 1.1 endpoint to read instead (credentials as "
                       "http://USER:PASSWORD@host/... or in KG_ENDPOINT_USER/_PASSWORD).")
    @click.option("--graph", "graph_iri", default=GRAPH, envvar="KG_GRAPH", metavar="IRI",
                  show_default=True, help="With an endpoint: the named graph to read.")
    @functools.wraps(command)
    def wrapper(*args: Any, store_spec: str | None, endpoint: str | None, graph_iri: str,
                **kwargs: Any) -> Any:
        click.get_current_context().meta["kg.store"] = (endpoint or store_spec, graph_iri)
        return command(*args, **kwargs)

    return wrapper


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
@store_options
@reports_errors
def export_command(fmt: str, output: Path | None, seeds: Path) -> None:
    """Write the graph in one format, to standard output or to a file (csv: a folder)."""
    files = export(_open_store(seeds, shapes=True).graph(), fmt)
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


@main.command("view")
@click.argument("entity", required=False)
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="With ENTITY: how many steps out from it.")
@click.option("--relation", "relations", multiple=True, metavar="R",
              help="Only these relations (e.g. alliedWith or 'allied with'); repeatable.")
@click.option("--type", "types", multiple=True, metavar="T",
              help="Only entities of these types (e.g. ArmedGroup, 'armed group', place, "
                   "event); repeatable.")
@click.option("--since", default=None, metavar="DATE", help="Drop what is dated before DATE.")
@click.option("--until", default=None, metavar="DATE", help="Drop what is dated after DATE.")
@click.option("--include-claims", "claims", is_flag=True,
              help="Draw claimed and disputed relationships too (dashed).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write. Default: network.html, or ENTITY.html.")
@seeds_option
@reports_errors
def view_command(entity: str | None, depth: int, relations: tuple[str, ...],
                 types: tuple[str, ...], since: str | None, until: str | None, claims: bool,
                 output: Path | None, seeds: Path) -> None:
    """Write an offline HTML network of the whole graph or of ENTITY's neighbourhood."""
    spec = ViewSpec(entity, depth, relations, types, since, until, claims)
    drawn = view(_open_store(seeds), spec)
    output = output or Path(drawn.filename)
    write_atomic(output, drawn.html)
    nodes, edges = drawn.graph.number_of_nodes(), drawn.graph.number_of_edges()
    click.echo(f"wrote {display_path(output)} ({nodes} entit{'y' if nodes == 1 else 'ies'}, "
               f"{edges} relationship{'' if edges == 1 else 's'})")


# --- asking the graph ---


def _open_store(seeds: Path, shapes: bool = False) -> Store:
    """The store chosen by ``--store``/``--endpoint`` (or the environment); else the seeds'."""
    spec, graph_iri = click.get_current_context().meta.get("kg.store", (None, GRAPH))
    return open_store(spec, seeds, graph_iri, shapes)


def _stdin() -> str | None:
    stream = click.get_text_stream("stdin")
    return None if stream.isatty() else stream.read()


@main.command("query")
@click.argument("query", required=False, metavar="[NAME | FILE.rq]")
@click.option("-e", "expression", metavar="SPARQL", default=None, help="The query's text.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME: an entity name, id:..., <IRI>, \"text\", number or "
                   "YYYY-MM-DD; repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="How to print SELECT results.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Stop the query after this long.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@seeds_option
@store_options
@reports_errors
def query_command(query: str | None, expression: str | None, params: tuple[str, ...], fmt: str,
                  timeout: float | None, list_queries: bool, seeds: Path) -> None:
    """Run SPARQL from -e, a .rq file, a named query or standard input (read-only).

    kg's prefixes are declared for you. SELECT prints a table (or --format csv, tsv,
    json); ASK prints true or false and exits 1 on false; CONSTRUCT and DESCRIBE
    print Turtle.
    """
    if list_queries:
        click.echo(report.table(["name", "parameters", "title"], listing(library())))
        return
    source = query_text(query, expression, _stdin)
    graph = KnowledgeGraph(_open_store(seeds))
    if isinstance(source, str):
        result = graph.query(source, parse_params(params), timeout)
    else:
        result = graph.run(source.name, timeout, **parse_params(params))
    click.echo(render(result, fmt))
    if result.kind == "ask" and not result.boolean:
        sys.exit(1)


@main.command("show")
@click.argument("entity")
@seeds_option
@store_options
@reports_errors
def show_command(entity: str, seeds: Path) -> None:
    """Profile ENTITY (an id, label or alias): relationships, events and claims, with sources."""
    click.echo(str(KnowledgeGraph(_open_store(seeds)).show(entity)))


@main.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--include-claims", is_flag=True, help="Walk claimed relationships too.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="At most this many paths.")
@seeds_option
@store_options
@reports_errors
def path_command(a: str, b: str, include_claims: bool, limit: int, seeds: Path) -> None:
    """The shortest chains of relationships linking A and B, each step with its source."""
    graph = KnowledgeGraph(_open_store(seeds))
    found = graph.path(a, b, include_claims, limit)
    click.echo(report.paths(found, graph.find(a), graph.find(b)))


@main.command("neighbors")
@click.argument("entity")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many steps out.")
@click.option("--relation", "relations", multiple=True, metavar="R",
              help="Only through this relation (e.g. alliedWith); repeatable.")
@click.option("--include-claims", is_flag=True, help="Walk claimed relationships too.")
@seeds_option
@store_options
@reports_errors
def neighbors_command(entity: str, depth: int, relations: tuple[str, ...],
                      include_claims: bool, seeds: Path) -> None:
    """The entities within --depth steps of ENTITY, and the links that reach them."""
    graph = KnowledgeGraph(_open_store(seeds))
    found = graph.neighbors(entity, depth, relations, include_claims)
    click.echo(report.neighbours(found, graph.network(claims=include_claims)))


@main.command("rank")
@click.option("--by", type=click.Choice(RANKINGS), default="degree", show_default=True,
              help="The centrality measure.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many actors.")
@click.option("--include-claims", is_flag=True, help="Count claimed relationships too.")
@seeds_option
@store_options
@reports_errors
def rank_command(by: str, top: int, include_claims: bool, seeds: Path) -> None:
    """The most central actors of the actor network (see kg.network.actor_network)."""
    graph = KnowledgeGraph(_open_store(seeds))
    found = graph.rank(by, top, include_claims)
    click.echo(report.ranking(found, graph.network(claims=include_claims, events=False), by))


# --- parsing options ---


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dictionary."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadParameter(f"bad --param '{pair}': write NAME=VALUE")
        params[name.strip()] = value
    return params


def query_text(argument: str | None, expression: str | None,
               read_stdin: Callable[[], str | None]) -> str | NamedQuery:
    """What to run: ``-e`` text, a ``.rq`` file, a named query, or standard input.

    ``read_stdin`` returns standard input's text, or None when it is a terminal.
    """
    if argument and expression:
        raise BadParameter("give one query: -e TEXT, a .rq file or a query name, not two")
    if expression is not None:
        return expression
    if argument:
        path = Path(argument)
        if argument.endswith(".rq") or path.is_file():
            if not path.is_file():
                raise BadParameter(f"no such query file: {argument}")
            return path.read_text(encoding="utf-8")
        return named_query(argument)
    text = read_stdin()
    if text is None:
        raise BadParameter("no query: give -e TEXT, a .rq file or a query name, "
                           "or pipe SPARQL in (kg query --list lists the named queries)")
    return text
