"""The compiled-graph cache: the project's graph, validated once, kept in an Oxigraph store.

The cache lives in ``.kg/`` of the project, one store per content key: a hash of
kg's version, its vocabulary and shapes, the project's base IRI and every seed
file as :func:`kg.seedfiles.seed_files` reads it (with every entry it refuses to
read, so a FIFO added to ``seeds/`` is reported, not hidden). Each command
computes the key afresh (reading the seeds takes milliseconds), so an edited
seed is never answered from a stale store. A new store is filled in a private
folder and renamed into place in one step, so two commands at once never see a
half-written cache; if both compile, the first rename wins and the other store
is dropped. A stale store is renamed aside before it is removed, and what a
crashed command left (``.filling-PID-*``, ``.dropped-PID-*``) goes once its pid
is no longer running. A store whose files are damaged is only a cache: it is dropped and
compiled again, with a note on standard error (:data:`say`); ``kg load`` refuses to load
into one (:mod:`kg.stores.oxigraph`), since what it holds is served as compiled from the seeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__, resources
from kg.errors import CorruptStore, Problem, StoreError
from kg.files import running
from kg.project import Project

if TYPE_CHECKING:
    from kg.names import Names
    from kg.stores import Store
from kg.seedfiles import seed_files
from kg.stores.oxigraph import OxigraphStore

PREFIX = "graph-"
"""Cache stores are ``.kg/graph-<key>``."""

ABANDONED = 600
"""Seconds after which a half-filled store with no pid in its name is taken as a crashed command's."""

FILLING = ".filling-"
"""A store being filled: ``.kg/.filling-PID-XXXXXXXX``, renamed to ``graph-<key>`` when full."""
DROPPED = ".dropped-"
"""A store being removed: ``.kg/.dropped-PID-graph-<key>``."""


def cache_key(project: Project) -> str:
    """The content key of the project's compiled graph (hex, 24 digits)."""
    digest = hashlib.sha256()
    for part in (
        __version__,
        project.base,
        resources.read_text(*resources.ONTOLOGY),
        resources.read_text(*resources.SHAPES),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    problems: list[Problem] = []
    for seed in seed_files(project.seeds, problems):  # the files curation reads, read as safely
        digest.update(seed.path.relative_to(project.seeds).as_posix().encode("utf-8", "backslashreplace") + b"\0")
        digest.update(seed.data + b"\0")
    for problem in problems:  # an entry that is not read keeps the key from matching a graph compiled without it
        digest.update(str(problem).encode("utf-8", "backslashreplace") + b"\0")
    return digest.hexdigest()[:24]


def cached_path(project: Project) -> Path:
    """Where the store of the project's current seeds is (or would be)."""
    return project.cache_dir / f"{PREFIX}{cache_key(project)}"


def _say(note: str) -> None:
    print(f"note: {note}", file=sys.stderr)


say: Callable[[str], None] = _say
"""Where the cache tells what it repaired (standard error, ``note: ...``); an application may replace it."""


def open_cached(project: Project) -> OxigraphStore:
    """The project's compiled graph, compiled and stored first if the seeds changed.

    A store that cannot be read (its files damaged) is only a cache: it is dropped, said so
    (:data:`say`), and compiled again from the seeds.
    """
    target = cached_path(project)
    try:
        store = _open_or_fill(project, target)
    except CorruptStore as err:
        say(f"the cache {err.shown} cannot be read ({err.reason}): compiling it again from the seeds")
        _drop(target)
        store = _open_or_fill(project, target)
    store.sidecar = target.parent / f"{target.name}{NAMES}"
    return store


def _open_or_fill(project: Project, target: Path) -> OxigraphStore:
    if not (target / "CURRENT").is_file():
        from kg.pipeline import compile_graph

        store_graph(project, compile_graph(project.seeds, ns=project.namespaces), target)
    return OxigraphStore(target, namespaces=project.namespaces)


def _readable(store: Path) -> bool:
    """Whether the cache store at ``store`` opens and answers its first read."""
    try:
        OxigraphStore(store)
    except StoreError:
        return False
    return True


NAMES = ".names.json"
"""Beside a cache store, ``graph-<key>.names.json``: its entity-name index (:class:`kg.names.Names`),
written by the first command that needs it, so later ones skip indexing every label."""


def cached_names(store: Store) -> Names | None:
    """The name index kept beside a cache store, if a command wrote it."""
    from kg.names import Names

    path = getattr(store, "sidecar", None)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Names.from_json(data, store.namespaces)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, or written by another kg: index afresh


def keep_names(store: Store, index: Names) -> None:
    """Keep ``index`` beside the cache store (whole or not at all; a failure only costs time)."""
    path = getattr(store, "sidecar", None)
    if path is None:
        return
    from kg.files import write_atomic

    try:
        write_atomic(path, json.dumps(index.to_json(), sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def store_graph(project: Project, graph: object, target: Path | None = None) -> Path:
    """Put ``graph`` (an rdflib Graph of the project's seeds) in the cache as the current store."""
    import pyoxigraph as ox

    target = target or cached_path(project)
    project.cache_dir.mkdir(parents=True, exist_ok=True)
    _ignore(project.cache_dir)
    staging = Path(tempfile.mkdtemp(dir=project.cache_dir, prefix=f"{FILLING}{os.getpid()}-"))
    try:
        store = ox.Store(str(staging))
        store.bulk_load(
            graph.serialize(format="nt", encoding="utf-8"),  # type: ignore[attr-defined]
            ox.RdfFormat.N_TRIPLES,
        )
        store.flush()
        del store
        try:
            os.rename(staging, target)
        except OSError:
            if (target / "CURRENT").is_file() and _readable(target):  # a concurrent twin was first: keep it
                pass
            elif target.is_dir():  # a half-removed or damaged store: move it aside, then publish
                _drop(target)
                os.rename(staging, target)
            else:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _drop_others(project.cache_dir, target)
    return target


def _ignore(folder: Path) -> None:
    """Keep the cache out of git even where the project's .gitignore does not list it."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")


def _drop_others(folder: Path, keep: Path) -> None:
    """Remove stores of older seeds, and the folders crashed commands left behind.

    A store is first renamed away in one step (then removed), so a crash while removing
    it never leaves a half store under a ``graph-`` name. A filling or a dropped store is
    left over when the command named in it (``.filling-PID-...``) is no longer running,
    or, with no pid in its name, after :data:`ABANDONED` seconds.
    """
    now = time.time()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(PREFIX) and path.name.endswith(NAMES) and path.is_file():
            if path.name != f"{keep.name}{NAMES}":
                path.unlink(missing_ok=True)  # the index of an older store
            continue
        if not path.is_dir() or path.is_symlink():
            continue
        if path.name.startswith(PREFIX) and path != keep:
            _drop(path)
        elif path.name.startswith((FILLING, DROPPED)):
            pid = path.name.split("-")[1]
            if running(int(pid)) if pid.isdigit() else now - path.stat().st_mtime <= ABANDONED:
                continue
            shutil.rmtree(path, ignore_errors=True)


def _drop(store: Path) -> None:
    """Remove a store folder: renamed aside first, so that it goes in one step."""
    aside = store.parent / f"{DROPPED}{os.getpid()}-{store.name}"
    try:
        os.rename(store, aside)
    except OSError:  # another command dropped it first
        return
    shutil.rmtree(aside, ignore_errors=True)
