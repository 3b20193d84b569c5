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

Paths are relative to the folder of ``kg.toml``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg import resources
from kg.errors import NoProject, ProjectError
from kg.vocab import Namespaces

CONFIG = "kg.toml"
"""The file that marks a project's folder."""

CACHE = ".kg"
"""The project's private folder (the compiled-graph cache), ignored by git."""

KEYS = {"name", "base", "seeds", "exports", "sources", "queries"}

_BASE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")


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


def load_project(root: Path) -> Project:
    """The project whose ``kg.toml`` is in ``root``."""
    config = root / CONFIG
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoProject(f"no {CONFIG} in {root}: run 'kg init {root}' to make a project there") from None
    except tomllib.TOMLDecodeError as err:
        raise ProjectError(f"{config}: {err}") from None
    table = data.get("project")
    if not isinstance(table, dict):
        raise ProjectError(f"{config}: no [project] table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        from kg.names import suggest

        raise ProjectError(f"{config}: unknown key '{unknown[0]}'{suggest(unknown[0], KEYS)}")
    for key in KEYS & set(table):
        if not isinstance(table[key], str) or not table[key].strip():
            raise ProjectError(f"{config}: '{key}' must be a non-empty string")
    base = table.get("base", "")
    if not _BASE.match(base):
        raise ProjectError(
            f"{config}: 'base' must be an http(s) IRI ending in '/' or '#', "
            f'e.g. "https://example.org/{root.resolve().name}/" (got {base!r})'
        )

    def folder(key: str, default: str | None) -> Path | None:
        value = table.get(key, default)
        return None if value is None else Path(os.path.normpath(root / value))

    seeds, exports = folder("seeds", "seeds"), folder("exports", "exports")
    assert seeds is not None and exports is not None
    return Project(
        root=root,
        name=table.get("name", root.resolve().name),
        base=base,
        seeds=seeds,
        exports=exports,
        sources=folder("sources", None),
        queries=folder("queries", None),
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
        if (folder / CONFIG).is_file():
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


def init_project(root: Path, name: str | None = None, base: str | None = None) -> Project:
    """Make a new project in ``root`` (created if missing, else empty of kg files): ``kg.toml``,
    ``seeds/`` with a registry and one worked example source, its text, ``.gitignore``, README."""
    from kg.files import write_atomic

    name = name or root.resolve().name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "graph"
    base = base or f"https://example.org/{slug}/"
    if not _BASE.match(base):
        raise ProjectError(f"bad base IRI {base!r}: an http(s) IRI ending in '/' or '#'")
    if (root / CONFIG).exists():
        raise ProjectError(f"{root / CONFIG} already exists: {root} is a project already")
    for taken in ("seeds", "sources", "exports"):
        if (root / taken).exists():
            raise ProjectError(f"{root / taken} already exists: kg init needs a new or empty folder")
    text = resources.read_text(*EXAMPLE_TEXT)
    source = example_source_id(text)
    values = {"name": name, "base": base, "source": source}
    files = {
        CONFIG: "kg.toml",
        ".gitignore": "gitignore",
        "README.md": "README.md",
        "seeds/entities/registry.yaml": "seeds/entities/registry.yaml",
        f"seeds/sources/{source}.yaml": "seeds/sources/example.yaml",
        "seeds/passages.yaml": "seeds/passages.yaml",
    }
    for target, template in files.items():
        content = resources.read_text("templates", "project", template)
        for key, value in values.items():
            content = content.replace("{{ " + key + " }}", value)
        write_atomic(root / target, content.encode("utf-8"))
    write_atomic(root / "sources" / f"{source}.txt", text.encode("utf-8"))
    return load_project(root)
