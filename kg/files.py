"""Writing files whole or not at all: one file (temp + rename), or a folder swapped in one step."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kg.errors import ExportError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Replace ``folder`` with exactly ``files`` (relative path -> bytes), all at once or not at all."""
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.tmp-"))
    staging.chmod(0o755)  # mkdtemp makes it private; exports are for sharing
    try:
        for name, data in sorted(files.items()):
            write_atomic(staging / name, data)
        old = folder.parent / f".{folder.name}.old-{os.getpid()}"
        if folder.exists():
            os.rename(folder, old)
        try:
            os.rename(staging, folder)
        except OSError as err:
            if old.exists():
                os.rename(old, folder)
            raise ExportError(f"could not replace {folder}: {err}") from err
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
