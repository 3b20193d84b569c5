"""A graph project: a folder with a ``kg.toml`` naming its seeds, exports, source texts and base IRI.

Every command works on one project, found as git finds ``.git``: the nearest
``kg.toml`` in the working directory or a folder above it, or the folder given
with ``--project``. ``kg init DIR`` makes a new one (:func:`init_project`).

A ``kg.toml``::

    [project]
    name = "my-graph"
    base = "https://example.org/my-graph/"   # the project's ids: BASE + "id/ttp"
    seeds = "seeds"                          # the curated files (default "seeds")
    exports = "exports"                      # the released graph (default "exports")
    sources = "sources"                      # the source texts (optional)
    queries = "queries"                      # the project's own named queries (optional)

Paths are relative to the folder of ``kg.toml``. It is read only if it is a regular UTF-8
file of at most 1 MiB; a base IRI must be valid (no control character, percent-escapes and
host well-formed) and no value may hold a control character. Source texts that are named but
missing are noted (:meth:`Project.sources_note`), not an error: a project may lack them.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg import resources
from kg.errors import NoProject, ProjectError, display_path
from kg.vocab import Namespaces

CONFIG = "kg.toml"
"""The file that marks a project's folder."""

CACHE = ".kg"
"""The project's private folder (the compiled-graph cache), ignored by git."""

KEYS = {"name", "base", "seeds", "exports", "sources", "queries"}

MAX_CONFIG = 1 << 20
"""The most bytes a ``kg.toml`` may hold (1 MiB): anything larger is not a project's settings."""

_BASE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Project:
    """A graph project's folders and base IRI, as its ``kg.toml`` gives them."""

    root: Path
    name: str
    base: str
    seeds: Path
    exports: Path
    sources: Path | None = None
    queries: Path | None = None

    @property
    def namespaces(self) -> Namespaces:
        """The IRIs of the project's entities, sources and statements."""
        return Namespaces(self.base)

    @property
    def cache_dir(self) -> Path:
        """Where the compiled graph is kept between commands."""
        return self.root / CACHE

    @property
    def config(self) -> Path:
        """The project's ``kg.toml``."""
        return self.root / CONFIG

    def source_texts(self) -> Path | None:
        """The folder of source texts, if the project names one and it is there."""
        return self.sources if self.sources is not None and self.sources.is_dir() else None

    def sources_note(self) -> str | None:
        """A note that ``kg.toml`` names source texts that are not a folder, so no pointer is
        checked against them (a project may lack its texts; a typo must not pass unseen)."""
        if self.sources is None or self.sources.is_dir():
            return None
        what = "which is not a folder" if os.path.lexists(self.sources) else "which does not exist"
        return (
            f"note: {display_path(self.config)} names sources = {display_path(self.sources)}, {what}: "
            "pointers not checked against the texts"
        )


def read_config(config: Path) -> str:
    """The text of ``config``, read only if it is a regular UTF-8 file of at most
    :data:`MAX_CONFIG` bytes (a FIFO would block, a device never end)."""
    try:
        fd = os.open(config, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        root = config.parent
        if os.path.islink(config):
            raise ProjectError(f"{config} is a symbolic link to nothing: point it at a file") from None
        raise NoProject(f"no {CONFIG} in {root}: run 'kg init {root}' to make a project there") from None
    except OSError as err:
        raise ProjectError(f"cannot read {config}: {err.strerror or err}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ProjectError(f"{config} is not a regular file: make it a text file of settings")
        data = b""
        while len(data) <= MAX_CONFIG:
            chunk = os.read(fd, MAX_CONFIG + 1 - len(data))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG:
        raise ProjectError(f"{config} is larger than {MAX_CONFIG >> 20} MiB: that is not a {CONFIG}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ProjectError(f"{config}:{line}: not UTF-8 text ({err.reason}): save it as UTF-8") from None


def _line(text: str, key: str) -> str:
    """``:LINE`` of ``key = ...`` in a ``kg.toml``'s text, or nothing if it is not found."""
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    if found is None:
        return ""
    line = text.count("\n", 0, found.start()) + 1
    return f":{line}"


def base_problem(base: str) -> str | None:
    """What is wrong with ``base`` as a project's base IRI, or None: an http(s) IRI ending in
    ``/`` or ``#``, with no control character, that every id minted under it is valid in."""
    rule = "must be an http(s) IRI ending in '/' or '#'"
    control = _CONTROL.search(base)
    if control:
        return f"holds a control character ({control.group()!r}); it {rule}"
    if not _BASE.match(base):
        return rule
    from pyoxigraph import NamedNode

    try:
        NamedNode(base + "x")
    except ValueError as err:
        return f"is not a valid IRI ({err}); it {rule}"
    return None


def load_project(root: Path) -> Project:
    """The project whose ``kg.toml`` is in ``root``."""
    config = root / CONFIG
    text = read_config(config)
    return parse_config(text, root)


def parse_config(text: str, root: Path) -> Project:
    """The project that the ``kg.toml`` text ``text`` describes, its paths relative to ``root``."""
    config = root / CONFIG
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProjectError(f"{config}: {err}") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise ProjectError(
            f"{config}: values nested too deeply to read: a {CONFIG} holds a [project] table of strings"
        ) from None
    table = data.get("project")
    if not isinstance(table, dict):
        raise ProjectError(f"{config}: no [project] table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        from kg.names import suggest

        raise ProjectError(f"{config}{_line(text, unknown[0])}: unknown key '{unknown[0]}'{suggest(unknown[0], KEYS)}")
    for key in sorted(KEYS & set(table)):
        if not isinstance(table[key], str) or not table[key].strip():
            raise ProjectError(f"{config}{_line(text, key)}: '{key}' must be a non-empty string")
        control = _CONTROL.search(table[key])
        if control and key != "base":
            raise ProjectError(
                f"{config}{_line(text, key)}: '{key}' holds a control character "
                f"({control.group()!r}): write it without one"
            )
    base = table.get("base", "")
    problem = base_problem(base)
    if problem:
        raise ProjectError(
            f"{config}{_line(text, 'base') if base else ''}: 'base' {problem}, "
            f'e.g. "https://example.org/{root.resolve().name}/" (got {base!r})'
        )

    def folder(key: str, default: str | None) -> Path | None:
        value = table.get(key, default)
        return None if value is None else Path(os.path.normpath(root / value))

    seeds, exports = folder("seeds", "seeds"), folder("exports", "exports")
    assert seeds is not None and exports is not None
    queries = folder("queries", None)
    if queries is not None and os.path.exists(queries) and not queries.is_dir():
        raise ProjectError(
            f"{config}{_line(text, 'queries')}: 'queries' names {display_path(queries)}, which is not a folder: "
            "name the folder of the project's .rq files"
        )
    return Project(
        root=root,
        name=table.get("name", root.resolve().name),
        base=base,
        seeds=seeds,
        exports=exports,
        sources=folder("sources", None),
        queries=queries,
    )


def seeds_project(seeds: Path) -> Project:
    """A folder of seeds alone taken as a project: this repository's base, no source texts."""
    from kg.vocab import BASE

    root = seeds.parent
    return Project(root, root.resolve().name, BASE, seeds, root / "exports")


def find_project(start: Path | None = None) -> Project:
    """The project of the nearest ``kg.toml`` in ``start`` (the working directory) or above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if os.path.lexists(folder / CONFIG):  # whatever it is: a kg.toml that is not a file is said so
            return load_project(folder)
    raise NoProject(
        f"no {CONFIG} in {here} or any folder above it: make a project with 'kg init DIR', or give --project DIR"
    )


# --- making a new project ---

EXAMPLE_TEXT = ("templates", "project", "sources", "example.txt")
"""The worked example's source text in kg's package data."""


def example_source_id(text: str, number: int = 1) -> str:
    """A source id by kg's rule: a three-digit number, then the first 16 hex digits of the
    SHA-256 of the text (``001_3e70754f9f8b8d1f``), so a changed text gets a new id."""
    return f"{number:03d}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


INIT_FILES = {
    CONFIG: "kg.toml",
    ".gitignore": "gitignore",
    "README.md": "README.md",
    "seeds/entities/registry.yaml": "seeds/entities/registry.yaml",
    "seeds/sources/{source}.yaml": "seeds/sources/example.yaml",
    "seeds/passages.yaml": "seeds/passages.yaml",
    "sources/{source}.txt": None,
}
"""What ``kg init`` writes, by path in the new project: its template, or None for the example text."""


def _toml_string(value: str) -> str:
    """``value`` as it goes between the double quotes of a TOML basic string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _init_files(root: Path, name: str, base: str) -> dict[str, bytes]:
    """Every file of a new project, by path relative to ``root``, made in memory and checked."""
    text = resources.read_text(*EXAMPLE_TEXT)
    source = example_source_id(text)
    files = {}
    for target, template in INIT_FILES.items():
        content = text if template is None else resources.read_text("templates", "project", template)
        if template is not None:
            values = {"name": _toml_string(name) if template == "kg.toml" else name, "base": base, "source": source}
            for key, value in values.items():
                content = content.replace("{{ " + key + " }}", value)
        files[target.format(source=source)] = content.encode("utf-8")
    parse_config(files[CONFIG].decode("utf-8"), root)  # what load_project will read back
    return files


def init_project(root: Path | str, name: str | None = None, base: str | None = None) -> Project:
    """Make a new project in ``root`` (created if missing, else holding none of the files kg
    init writes): ``kg.toml``, ``seeds/`` with a registry and one worked example source, its
    text, ``.gitignore``, README. All of it is written, or (on a failure) none of it."""
    from kg.files import write_new

    if not str(root).strip():
        raise ProjectError("kg init needs a folder: give its name, or '.' for the working directory")
    root = Path(root)
    if os.path.lexists(root) and not root.is_dir():
        raise ProjectError(f"{display_path(root)} is not a folder: kg init makes a project in a folder")
    given = name is not None
    name = root.resolve().name if name is None else name
    if not name.strip():
        raise ProjectError("the project's name is empty: give --name NAME")
    control = _CONTROL.search(name)
    if control:
        whose = "" if given else " (the folder's)"
        raise ProjectError(
            f"the project's name {name!r}{whose} holds a control character ({control.group()!r}): "
            "give --name NAME without one"
        )
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "graph"
    base = base or f"https://example.org/{slug}/"
    problem = base_problem(base)
    if problem:
        raise ProjectError(f"bad base IRI {base!r}: it {problem}")
    if os.path.lexists(root / CONFIG):
        raise ProjectError(f"{root / CONFIG} already exists: {root} is a project already")
    tops = sorted({target.split("/")[0] for target in INIT_FILES} | {"exports"})
    taken = [top for top in tops if os.path.lexists(root / top)]
    if taken:
        raise ProjectError(
            f"{display_path(root)} already holds {', '.join(taken)}: kg init would write over "
            f"{'it' if len(taken) == 1 else 'them'}; move {'it' if len(taken) == 1 else 'them'} away "
            "or make the project in a new or empty folder"
        )
    files = _init_files(root, name, base)
    made: list[Path] = []  # what this call made, folders before what is in them
    try:
        for target, data in files.items():
            path = root / target
            _make_folders(path.parent, made)
            try:
                write_new(path, data)
            except FileExistsError:
                raise ProjectError(
                    f"{display_path(path)} appeared while kg init was writing: kg init never writes over "
                    "a file; nothing of the new project is kept, run it again in a new or empty folder"
                ) from None
            made.append(path)
    except BaseException:
        _take_back(made)
        raise
    return load_project(root)


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Make ``folder`` and the folders above it that are missing, each added to ``made``."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:  # made by someone else meanwhile: theirs, not ours to take back
            if not path.is_dir():
                raise
            continue
        made.append(path)


def _take_back(made: list[Path]) -> None:
    """Remove what :func:`init_project` made, newest first: its files, then its folders if
    empty (what another program put in them meanwhile stays, and so do they)."""
    for path in reversed(made):
        try:
            if path.is_dir() and not path.is_symlink():
                os.rmdir(path)
            else:
                path.unlink()
        except OSError:
            pass
