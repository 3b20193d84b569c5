"""``kg draft``, ``mentions``, ``diff``, ``review``: adding a source and reviewing the change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli import (
    main,
    session,
)
from kg.errors import BadParameter, display_path

if TYPE_CHECKING:
    pass


@main.command("draft")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def draft_command(article: Path) -> None:
    """Give ARTICLE (a text file) the next source id and write seeds/sources/ID.yaml to fill.

    The text is kept in the project's source-texts folder; the new file holds the metadata the
    text gives and, per paragraph, the entities it names, new names, dates and figures.
    """
    from kg.curation import read_seeds
    from kg.draft import draft

    project = session().project()
    made = draft(project, read_seeds(project.seeds), article)
    click.echo(
        f"source {made.source}: text in {display_path(made.text)}, "
        f"{made.mentions} mention{'s' if made.mentions != 1 else ''} found"
    )
    click.echo(f"wrote {display_path(made.seeds_file)}" + (f" (fill in: {', '.join(made.todo)})" if made.todo else ""))


@main.command("mentions")
@click.argument("article", metavar="ARTICLE | SOURCE_ID")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def mentions_command(article: str, fmt: str) -> None:
    """The registry entities a text names: paragraph, the words, the entity, the name that matched."""
    import json

    from kg import report
    from kg.curation import read_paragraphs, read_seeds
    from kg.draft import find_article
    from kg.mentions import Matcher, find_mentions, registry_names

    project = session().project()
    path = find_article(project, article)
    found = find_mentions(
        read_paragraphs(path),
        Matcher(registry_names(read_seeds(project.seeds).entities)),
    )
    if fmt == "json":
        rows = [
            {
                "paragraph": m.paragraph,
                "words": m.words,
                "entity": m.entity,
                "alias": m.alias,
                "start": m.start,
                "end": m.end,
            }
            for m in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(
        report.table(
            ["paragraph", "words", "entity", "alias"], [[str(m.paragraph), m.words, m.entity, m.alias] for m in found]
        )
    )
    click.echo(f"({len(found)} mention{'s' if len(found) != 1 else ''})")


@main.command("diff")
@click.argument("revisions", nargs=-1, metavar="[REV1 [REV2]]")
@click.option(
    "--seeds",
    "folders",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Compare two seeds folders instead: --seeds A --seeds B.",
)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def diff_command(revisions: tuple[str, ...], folders: tuple[Path, ...], fmt: str) -> None:
    """What a change does to the graph, record by record (default: the last commit against the
    working tree): entities, sources, facts, events, counts, claims, disputes, passage notes."""
    import json

    from kg import diff

    if folders:
        if len(folders) != 2 or revisions:
            raise BadParameter("give two folders: kg diff --seeds A --seeds B (and no revisions)")
        old, new = diff.corpus_of(folders[0], None), diff.corpus_of(folders[1], None)
        names = (display_path(folders[0]), display_path(folders[1]))
    else:
        if len(revisions) > 2:
            raise BadParameter("give at most two revisions: kg diff [REV1 [REV2]]")
        seeds = session().project().seeds
        first = revisions[0] if revisions else "HEAD"
        second = revisions[1] if len(revisions) == 2 else None
        old, new = diff.corpus_of(seeds, first), diff.corpus_of(seeds, second)
        names = (first, second or diff.WORKING_TREE)
    for corpus, name in ((old, names[0]), (new, names[1])):
        if corpus.problems:
            click.echo(
                f"note: {len(corpus.problems)} problem{'s' if len(corpus.problems) != 1 else ''} reading the "
                f"seeds of {name}: the diff shows what could be read (kg validate lists them)",
                err=True,
            )
    changes = diff.compare(old, new)
    if fmt == "json":
        click.echo(json.dumps(diff.as_json(changes, *names), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(diff.render(changes, *names))


@main.command("review")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: .kg/review/SOURCE_ID.html in the project, which git ignores: "
    "the page holds the article's text).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the browser.")
def review_command(source: str, output: Path | None, open_page: bool) -> None:
    """Write an offline page of SOURCE's text beside the records that cite each paragraph."""
    from kg.curation import read_seeds
    from kg.files import write_atomic
    from kg.review import find_source, review

    project = session().project()
    corpus = read_seeds(project.seeds)
    found = find_source(corpus, source)
    page = review(corpus, found, project.source_texts())
    output = output or project.cache_dir / "review" / f"{found.id}.html"
    write_atomic(output, page.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}")
    if open_page:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())
