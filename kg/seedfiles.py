"""Reading seed files safely: only regular files inside the seeds folder, of bounded size; and
source texts and articles through the same bounded reader (:func:`read_bounded`).

:mod:`kg.seedyaml` parses what is read here (bounded YAML that remembers its lines).

A hostile or broken seeds folder (a FIFO, a device, a symlink leaving the folder, an alias
bomb, a NUL) becomes one :class:`~kg.errors.Problem` per entry, never a hang or a traceback;
:mod:`kg.curation` reads the records from what is read here.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem, UnreadableFile, display_path

# --- seed files: only regular files inside the seeds folder, of bounded size ---

MAX_BYTES = 1_000_000
"""The largest seed file read, in bytes (the curated files are under 20 kB; parsing 1 MB takes seconds)."""

FOLDERS = ("entities", "sources")
"""The seeds folder's subfolders; each holds only ``*.yaml`` files."""
LAYOUT = "the seeds folder holds entities/, sources/ and passages.yaml"


@dataclass(frozen=True)
class SeedFile:
    """A seed file: which part of the seeds it is, its path as listed, its name as shown, its bytes."""

    kind: str  # "entities", "sources" or "passages"
    path: Path
    file: str
    data: bytes


class _NotRead(Exception):
    """Why a seed folder entry is not read (internal: becomes a Problem)."""


def shown(text: str) -> str:
    """``text`` safe to print on one line: control and other unprintable characters escaped."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def shown_path(path: Path) -> str:
    """A seed folder entry as shown in messages: its folder as :func:`display_path` gives it, then its own
    name (not resolved, so a symlink is named as listed, and a loop cannot stop the display)."""
    return str(Path(display_path(path.parent)) / shown(path.name))


def _entry(path: Path, root: Path) -> os.stat_result:
    """What ``path`` is, following a symlink only when it stays inside ``root``; never opens it."""
    try:
        info = os.lstat(path)
        if not stat.S_ISLNK(info.st_mode):
            return info
        target = shown(os.readlink(path))
        info = _followed(path, f"symlink to '{target}', which does not exist: not read")
    except OSError as err:
        raise _NotRead(f"cannot read: {err.strerror or err}") from None
    if not Path(os.path.realpath(path)).is_relative_to(root):
        raise _NotRead(f"symlink to '{target}', outside the seeds folder: not read (copy the file in instead)")
    return info


def _followed(path: Path, missing: str) -> os.stat_result:
    """``os.stat(path)``, a symlink loop and a missing target each one :class:`_NotRead` (``missing``
    saying the latter); any other failure raised as it is."""
    try:
        return os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _NotRead("symlink loop: not read") from None
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            raise _NotRead(missing) from None
        raise


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_regular(path: Path, info: os.stat_result) -> bytes:
    """The bytes of a seed file already checked by :func:`_entry`, at most :data:`MAX_BYTES` of them."""
    return _read_bounded(path, info, MAX_BYTES, f"a seed file is at most {MAX_BYTES:,} bytes (split it)")


def _read_bounded(path: Path, info: os.stat_result, limit: int, too_big: str) -> bytes:
    """The bytes of ``path`` whose ``stat`` is ``info``, if it is a regular file of at most ``limit`` bytes;
    ``too_big`` says what to do about a larger one."""
    if not stat.S_ISREG(info.st_mode):
        raise _NotRead(f"{_kind(info.st_mode)}, not a regular file: not read")
    if info.st_size > limit:
        raise _NotRead(f"{info.st_size:,} bytes: {too_big}")
    try:  # non-blocking and not following links, so a file swapped since the check cannot hang the read
        fd = os.open(os.path.realpath(path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as err:
        raise _NotRead(f"cannot read: {err.strerror or err}") from None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
            raise _NotRead("changed while being read: not read (run again)")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _NotRead(f"more than {limit:,} bytes: {too_big}")
        return b"".join(chunks)
    except OSError as err:
        raise _NotRead(f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)


def read_bounded(path: Path, limit: int, too_big: str) -> bytes:
    """The bytes of ``path`` if it is a regular file (a symlink to one is followed) of at most ``limit``
    bytes; else :class:`~kg.errors.UnreadableFile` saying why (a FIFO, a device, a folder, a loop, its
    size, then ``too_big``), never a hang on a pipe nor a read without end from a device.

    The one reader of files kg takes from the user beside the seeds: source texts and articles.
    """
    try:
        try:
            info = _followed(path, "no such file")
        except OSError as err:
            raise _NotRead(f"cannot read: {err.strerror or err}") from None
        return _read_bounded(path, info, limit, too_big)
    except _NotRead as err:
        raise UnreadableFile(shown_path(path), str(err)) from None


def seed_files(seeds: Path, problems: list[Problem]) -> list[SeedFile]:
    """The files of a seeds folder, read safely; every entry that is not read becomes a problem.

    Read are ``entities/*.yaml``, ``sources/*.yaml`` and ``passages.yaml``, each a regular file of at
    most :data:`MAX_BYTES` inside the seeds folder (a symlink may point only inside it); a FIFO, device,
    folder, loop or dangling symlink is reported and never opened. Any other entry of ``entities/`` or
    ``sources/``, a ``.yml`` file and a missing ``sources/`` are reported too. Names starting with '.'
    are ignored, and so are files at the top that are not YAML (a README).
    """
    if not seeds.is_dir():
        problems.append(Problem(shown_path(seeds), 0, "no such seeds folder"))
        return []
    root = Path(os.path.realpath(seeds))
    files: list[SeedFile] = []

    def read(kind: str, path: Path, info: os.stat_result | None = None) -> None:
        try:
            data = _read_regular(path, info or _entry(path, root))
        except _NotRead as err:
            problems.append(Problem(shown_path(path), 0, str(err)))
        else:
            files.append(SeedFile(kind, path, shown_path(path), data))

    for kind in FOLDERS:
        folder = seeds / kind
        try:
            if not os.path.lexists(folder):
                if kind == "sources":
                    problems.append(Problem(shown_path(folder), 0, f"no sources folder: {LAYOUT}"))
                continue
            if not stat.S_ISDIR(_entry(folder, root).st_mode):
                raise _NotRead(f"not a folder: {LAYOUT}")
            names = sorted(os.listdir(folder))
        except _NotRead as err:
            problems.append(Problem(shown_path(folder), 0, str(err)))
            continue
        except OSError as err:
            problems.append(Problem(shown_path(folder), 0, f"cannot read: {err.strerror or err}"))
            continue
        for name in names:
            path = folder / name
            if name.startswith("."):
                continue
            if not name.isprintable():
                problems.append(
                    Problem(shown_path(folder), 0, f"file name '{shown(name)}' is not printable: rename it")
                )
                continue
            try:
                info = _entry(path, root)
            except _NotRead as err:
                problems.append(Problem(shown_path(path), 0, str(err)))
                continue
            if stat.S_ISREG(info.st_mode) and not name.endswith(".yaml"):
                stem, dot, suffix = name.rpartition(".")
                message = (
                    f"rename it to {stem}.yaml: seed files end in .yaml"
                    if dot and suffix.lower() in ("yaml", "yml")
                    else f"unexpected file: {kind}/ holds only *.yaml files (move it out of the seeds folder)"
                )
                problems.append(Problem(shown_path(path), 0, message))
                continue
            read(kind, path, info)
    try:
        top = sorted(os.listdir(seeds))
    except OSError as err:
        problems.append(Problem(shown_path(seeds), 0, f"cannot read: {err.strerror or err}"))
        return files
    for name in top:
        path, (stem, dot, suffix) = seeds / name, name.rpartition(".")
        if name.startswith("."):
            continue
        if name == "passages.yaml":
            read("passages", path)
        elif dot and stem and suffix.lower() in ("yaml", "yml"):
            message = "rename it to passages.yaml" if stem.lower() == "passages" else f"unexpected seed file: {LAYOUT}"
            problems.append(Problem(shown_path(path), 0, message))
    return files
