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
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__, resources
from kg.errors import CorruptStore, Problem, StoreError, UnsafeCache, display_path
from kg.files import running
from kg.project import Project
from kg.terminal import printable

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


STORE = re.compile(rf"{PREFIX}[0-9a-f]{{24}}")
"""The name of a store kg made (:func:`cache_key`); nothing else in ``.kg/`` is removed as a store."""

OXIGRAPH_FILES = ("CURRENT", "IDENTITY")
"""Files every Oxigraph (RocksDB) store folder holds: a folder with neither is not a store kg made."""


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
    cache_folder(project)
    target = cached_path(project)
    try:
        store = _open_or_fill(project, target)
    except CorruptStore as err:
        say(f"the cache {err.shown} cannot be read ({err.reason}): compiling it again from the seeds")
        _drop(target)
        store = _open_or_fill(project, target)
    store.sidecar = target.parent / f"{target.name}{NAMES}"
    return store


def _shown(path: Path) -> str:
    """``path`` as the user would type it, its last name not followed (a link is named, not its target)."""
    return os.path.normpath(os.path.join(display_path(path.parent), printable(path.name)))


def cache_folder(project: Project) -> Path:
    """The project's ``.kg``, refused (:class:`~kg.errors.UnsafeCache`) if it is a symbolic link or
    not a folder: kg removes old stores in it, so it must be the project's own folder."""
    folder = project.cache_dir
    what = "a symbolic link" if os.path.islink(folder) else "not a folder"
    if os.path.islink(folder) or (os.path.lexists(folder) and not folder.is_dir()):
        raise UnsafeCache(
            f"{_shown(folder)} is {what}: kg keeps its cache in the project's own .kg folder "
            f"and removes old stores there; remove {_shown(folder)} and run again"
        )
    return folder


def _open_or_fill(project: Project, target: Path) -> OxigraphStore:
    if os.path.lexists(target) and (os.path.islink(target) or not target.is_dir()):
        raise CorruptStore(_shown(target), "it is not a folder")
    if not (target / "CURRENT").is_file():
        from kg.pipeline import compile_graph

        store_graph(project, compile_graph(project.seeds, ns=project.namespaces), target)
    try:
        return OxigraphStore(target, namespaces=project.namespaces)
    except CorruptStore:
        raise
    except StoreError as err:  # e.g. a CURRENT naming a manifest that is not there
        raise CorruptStore(
            _shown(target), str(err).replace(f"cannot open the Oxigraph store at {target}: ", "")
        ) from None


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


MAX_NAMES = 256 << 20
"""The most bytes a name index may hold (256 MiB); a larger file is not one kg wrote."""


def cached_names(store: Store) -> Names | None:
    """The name index kept beside a cache store, if a command wrote it and it is whole.

    Anything else (absent, not a regular file, a link, too large, not the JSON kg writes, a
    digest that does not match) is None: the caller indexes afresh and writes it again.
    """
    from kg.names import Names

    path = getattr(store, "sidecar", None)
    if path is None:
        return None
    raw = _read_names(path)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    index = _names_data(data, len(Names().by_rank))
    return None if index is None else Names.from_json(index, store.namespaces)


def _read_names(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link) of at most :data:`MAX_NAMES`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_NAMES:
            return None
        chunks, size = [], 0
        while size <= MAX_NAMES:
            chunk = os.read(fd, min(1 << 20, MAX_NAMES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if size > MAX_NAMES else b"".join(chunks)


def _names_digest(index: object) -> str:
    return hashlib.sha256(json.dumps(index, sort_keys=True).encode("utf-8")).hexdigest()


def _names_data(data: object, ranks: int) -> dict[str, object] | None:
    """The index in ``data`` (as :func:`keep_names` wrote it), or None if its shape or digest is wrong."""
    if not isinstance(data, dict) or set(data) != {"digest", "index"}:
        return None
    index = data["index"]
    if not isinstance(index, dict) or set(index) != {"ids", "by_rank"} or data["digest"] != _names_digest(index):
        return None
    ids, by_rank = index["ids"], index["by_rank"]
    if not isinstance(ids, list) or not all(isinstance(ident, str) for ident in ids):
        return None
    known = set(ids)
    if not isinstance(by_rank, list) or len(by_rank) != ranks:
        return None
    for rank in by_rank:
        if not isinstance(rank, dict):
            return None
        for found in rank.values():  # keys are strings: JSON objects have no other
            if not isinstance(found, list) or not all(isinstance(i, str) and i in known for i in found):
                return None
    return index


def keep_names(store: Store, index: Names) -> None:
    """Keep ``index`` beside the cache store with its digest (whole or not at all; a failure only costs time)."""
    path = getattr(store, "sidecar", None)
    if path is None:
        return
    from kg.files import write_atomic

    data = index.to_json()
    try:
        write_atomic(path, json.dumps({"digest": _names_digest(data), "index": data}, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def store_graph(project: Project, graph: object, target: Path | None = None) -> Path:
    """Put ``graph`` (an rdflib Graph of the project's seeds) in the cache as the current store."""
    import pyoxigraph as ox

    target = target or cached_path(project)
    cache_folder(project)
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
            elif os.path.lexists(target):  # a half-removed or damaged store, or no folder: aside, then publish
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
        if path.name.endswith(NAMES) and STORE.fullmatch(path.name[: -len(NAMES)]):
            if path.name != f"{keep.name}{NAMES}" and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)  # the index of an older store
            continue
        if not path.is_dir() or path.is_symlink():
            continue
        if STORE.fullmatch(path.name) and path != keep and _is_store(path):
            _drop(path)
        elif path.name.startswith((FILLING, DROPPED)):
            pid = path.name.split("-")[1]
            if running(int(pid)) if pid.isdigit() else now - path.stat().st_mtime <= ABANDONED:
                continue
            shutil.rmtree(path, ignore_errors=True)


def _is_store(path: Path) -> bool:
    """Whether the folder ``path`` holds Oxigraph's files (:data:`OXIGRAPH_FILES`), so kg made it."""
    return any(os.path.lexists(path / name) for name in OXIGRAPH_FILES)


def _drop(store: Path) -> None:
    """Remove a store (or what took its name): renamed aside first, so that it goes in one step."""
    aside = store.parent / f"{DROPPED}{os.getpid()}-{store.name}"
    try:
        os.rename(store, aside)
    except OSError:  # another command dropped it first
        return
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    else:  # a file, a FIFO or a link at a store's name: the link goes, never what it points to
        aside.unlink(missing_ok=True)
