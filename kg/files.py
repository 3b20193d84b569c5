"""Writing files whole or not at all: one file (temp + rename), or a folder swapped in one step.

A folder is published with one atomic exchange (Linux ``renameat2(RENAME_EXCHANGE)``):
the new folder takes the old one's name and the old one takes the staging name, so at
no instant is the folder missing or mixed. Where the system cannot exchange (another
kernel or file system), two renames are used instead, and a crash between them leaves
the folder missing with its old contents kept in ``.NAME.old-PID`` beside it; the next
run puts that back (:func:`recover`). Every folder a command stages beside its target
carries the command's pid (``.NAME.tmp-PID-*``, ``.NAME.old-PID``), so the next run
removes what a crashed command left and never what a running one is using.

``-o PATH`` goes through :func:`write_output`: a regular file is replaced atomically,
while a FIFO, a character device or one of kg's own standard streams (``/dev/stdout``)
is written into, and never replaced.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from kg.errors import ExportError, display_path

ABANDONED = 600
"""Seconds after which a staging folder with no pid in its name is taken as a crashed command's."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file + rename), keeping the
    permissions of the file it replaces (a private 0600 file stays private); a new file is 0644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_of(path, 0o644))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_of(path: Path, default: int) -> int:
    """The permission bits of what ``path`` is now (not following a link), else ``default``."""
    try:
        info = os.lstat(path)
    except OSError:
        return default
    return stat.S_IMODE(info.st_mode) if not stat.S_ISLNK(info.st_mode) else default


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file ``path`` whole, never over anything: :class:`FileExistsError` if
    ``path`` exists, even if it appeared a moment ago (a temporary file, then a hard link, which
    the system refuses to put over an existing name)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.link(tmp, path, follow_symlinks=False)
    finally:
        Path(tmp).unlink(missing_ok=True)


# --- -o PATH: a file, or a stream that is written into ---


def stream_descriptor(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout`` -> 1), if it names one."""
    own = re.compile(rf"/(?:proc/(?:self|thread-self|{os.getpid()})|dev)/fd/(\d+)")
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symbolic links followed
        found = own.fullmatch(current)
        if found:
            return int(found.group(1))
        if not os.path.islink(current):
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return None


def is_stream(path: Path) -> bool:
    """Whether ``-o path`` writes into a stream (a FIFO, a device, a standard stream), not a file."""
    if stream_descriptor(path) is not None:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` where ``-o path`` points, never replacing anything but a regular file.

    A regular file (or a new one) is replaced atomically; through a symbolic link, the
    file it points to is (the link stays). A FIFO or a character device (``/dev/null``,
    a terminal) is written into, as standard output would be, and so is one of this
    process's descriptors (``/dev/stdout``, ``/dev/fd/3``). Anything else is refused.
    """
    fd = stream_descriptor(path)
    if fd is not None:
        stream = {1: sys.stdout, 2: sys.stderr}.get(fd)
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            _write_all(fd, data)
        else:  # kg's own standard output, whatever it is, as if no -o were given
            write_stdout(data)
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        write_atomic(Path(os.path.realpath(path)), data)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        _write_into(path, data)
    else:
        raise ExportError(f"cannot write to {display_path(path)}: it is {_kind(mode)}, not a file, FIFO or device")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_stdout(data: bytes) -> None:
    """All of ``data`` on standard output (a short write is carried on, so a reader that goes
    away is a closed pipe, never a silently cut answer)."""
    buffer = sys.stdout.buffer
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if not written:  # only a non-blocking descriptor returns nothing
            raise BlockingIOError(errno.EAGAIN, "standard output takes no more for now")
        view = view[written:]
    buffer.flush()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_into(path: Path, data: bytes) -> None:
    """Write into the FIFO or device at ``path`` (no O_CREAT: what is there stays there)."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)  # replaced by a file since it was looked at
        if not regular:
            _write_all(fd, data)
    finally:
        os.close(fd)
    if regular:
        write_atomic(Path(os.path.realpath(path)), data)


# --- folders: one atomic exchange ---

AT_FDCWD = -100
RENAME_EXCHANGE = 2
"""``renameat2`` flag: swap two paths atomically (Linux 3.15; ext4, xfs, btrfs, tmpfs...)."""


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` in one atomic step; False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # this kernel or file system cannot
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def publish(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` at ``target`` and remove what was there, with no instant
    at which ``target`` is missing (where :func:`exchange` works).

    Elsewhere it takes two renames, ``target`` -> ``.NAME.old-PID`` then ``staging`` ->
    ``target``: a failure of the second puts the old folder back; a crash between them
    leaves ``target`` missing, and :func:`recover` puts ``.NAME.old-PID`` back.
    """
    if not os.path.lexists(target):
        os.rename(staging, target)  # nothing to replace: one step either way
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # the old folder, now under the staging name
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def staging_folder(target: Path, kind: str = "tmp") -> Path:
    """A new private folder beside ``target`` for its next contents: ``.NAME.tmp-PID-XXXXXXXX``."""
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{kind}-{os.getpid()}-"))


def running(pid: int) -> bool:
    """Whether a process ``pid`` is running (this one always is)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process; no such pid
        return False
    except PermissionError:  # another user's
        return True
    return True


def leftovers(target: Path, kinds: tuple[str, ...], locked: bool = False) -> list[Path]:
    """Folders that commands staged beside ``target`` (``.NAME.KIND-PID...``) and no running
    one uses: its pid is gone (or, unnamed, it is older than :data:`ABANDONED` seconds).

    ``locked``: the caller holds the lock every user of those folders holds, so all are left over.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:{'|'.join(kinds)})-(?:(\d+)(?:-.*)?|.*)", re.DOTALL)
    found = []
    try:
        entries = sorted(target.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink():
            continue
        pid = match.group(1)
        if locked:
            found.append(entry)
        elif pid is not None and not running(int(pid)):
            found.append(entry)
        elif pid is None and time.time() - entry.stat().st_mtime > ABANDONED:
            found.append(entry)
    return found


def recover(target: Path, kinds: tuple[str, ...] = ("tmp", "old"), locked: bool = False) -> Path | None:
    """Clean up after a command that crashed while replacing the folder ``target``.

    If ``target`` is missing and an abandoned ``.NAME.old-PID`` holds its last contents
    (a crash between the two renames of :func:`publish`), that folder is put back; every
    other abandoned folder of ``kinds`` is removed. Returns the folder put back, if any.
    """
    found = leftovers(target, kinds, locked)
    restored = None
    olds = [p for p in found if p.name.startswith(f".{target.name}.old-")]
    if olds and not os.path.lexists(target):
        restored = max(olds, key=lambda p: p.stat().st_ctime)  # the last one renamed away
        os.rename(restored, target)
    for path in found:
        if path != restored:
            shutil.rmtree(path, ignore_errors=True)
    return restored


def foreign_entry(folder: Path, files: Iterable[str]) -> str | None:
    """The first entry of ``folder`` (sorted, depth first) unlike ``files``, the relative paths
    that are to replace it, or None: replacing ``folder`` then loses only what was written as they are.

    A regular file is like them if it is one of them, or in a subfolder of theirs with the
    extension of one of theirs there (``groups/old.html`` beside ``groups/ttp.html``); a folder
    if one of them is inside it. Anything else (another file or folder, a link) is not.
    """
    names = {PurePosixPath(name) for name in files}
    folders = {parent for name in names for parent in name.parents} - {PurePosixPath(".")}
    kinds = {(name.parent, name.suffix) for name in names if name.parent in folders}

    def walk(path: Path, relative: PurePosixPath) -> str | None:
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            inside = relative / entry.name
            if entry.is_dir(follow_symlinks=False):
                found = walk(Path(entry.path), inside) if inside in folders else f"{inside}/"
            elif entry.is_file(follow_symlinks=False):
                alike = inside in names or (inside.parent, inside.suffix) in kinds
                found = None if alike else str(inside)
            else:
                found = str(inside)
            if found is not None:
                return found
        return None

    return walk(folder, PurePosixPath()) if folder.is_dir() else None


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Replace ``folder`` with exactly ``files`` (relative path -> bytes), all at once or not at all."""
    folder = folder.resolve()
    if os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(f"could not replace {display_path(folder)}: it is not a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    staging = staging_folder(folder)
    staging.chmod(_mode_of(folder, 0o755))  # mkdtemp makes it private; a new exports folder is for sharing
    try:
        for name, data in sorted(files.items()):
            write_atomic(staging / name, data)
        try:
            publish(staging, folder)
        except OSError as err:
            raise ExportError(f"could not replace {display_path(folder)}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
