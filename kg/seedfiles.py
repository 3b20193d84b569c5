"""Reading seed files safely: only regular files inside the seeds folder, YAML of bounded size,
depth and repetition, parsed into values that remember their lines.

A hostile or broken seeds folder (a FIFO, a device, a symlink leaving the folder, an alias
bomb, a NUL) becomes one :class:`~kg.errors.Problem` per entry, never a hang or a traceback;
:mod:`kg.curation` reads the records from what is read here.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.errors import Problem, display_path

# --- seed files: only regular files inside the seeds folder, of bounded size ---

MAX_BYTES = 1_000_000
"""The largest seed file read, in bytes (the curated files are under 20 kB; parsing 1 MB takes seconds)."""
MAX_DEPTH = 50
"""The deepest nesting of lists and mappings in a seed file (curated files nest six levels)."""
MAX_VALUES = 100_000
"""The most YAML values (texts, lists, mappings) in one seed file."""

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
        try:
            info = os.stat(path)
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise _NotRead("symlink loop: not read") from None
            if err.errno in (errno.ENOENT, errno.ENOTDIR):
                raise _NotRead(f"symlink to '{target}', which does not exist: not read") from None
            raise
    except OSError as err:
        raise _NotRead(f"cannot read: {err.strerror or err}") from None
    if not Path(os.path.realpath(path)).is_relative_to(root):
        raise _NotRead(f"symlink to '{target}', outside the seeds folder: not read (copy the file in instead)")
    return info


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
    """The bytes of a regular file already checked by :func:`_entry`, at most :data:`MAX_BYTES` of them."""
    if not stat.S_ISREG(info.st_mode):
        raise _NotRead(f"{_kind(info.st_mode)}, not a regular file: not read")
    too_big = f"a seed file is at most {MAX_BYTES:,} bytes (split it)"
    if info.st_size > MAX_BYTES:
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
        while size <= MAX_BYTES and (chunk := os.read(fd, MAX_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise _NotRead(f"more than {MAX_BYTES:,} bytes: {too_big}")
        return b"".join(chunks)
    except OSError as err:
        raise _NotRead(f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)


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


# --- YAML with line numbers ---

PROSE_KEYS = {"description", "summary", "note", "title", "reason", "year_inferred"}
"""Keys whose text may run over several lines (and hold tabs); every other value is one line."""
_PROSE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
"""Characters refused anywhere in a seed file's text (YAML escapes like "\\e" are checked per value)."""
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF", 13: "CR", 27: "ESC", 127: "DEL", 0x85: "NEL"}


def _describe(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = _CONTROL_NAMES.get(ord(char)) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


class Map(dict):
    """A YAML mapping whose keys remember their lines."""

    line: int
    key_lines: dict[str, int]


class Seq(list):
    """A YAML sequence that remembers its line."""

    line: int


class Text(str):
    """A YAML scalar that remembers its line."""

    line: int


@dataclass(frozen=True)
class Refused:
    """A value already reported as a problem (a control character): read as absent, never reported again."""

    line: int


class _Unsupported(yaml.MarkedYAMLError):
    """What seed files never need: anchors on lists or mappings, deep nesting, too many values."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _SeedLoader(yaml.SafeLoader):
    """The safe loader, bounded: an anchor may name only a text (so an alias cannot multiply a list, nor
    contain itself), aliases repeat at most :data:`MAX_BYTES` of text, nesting and values are bounded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = self.values = self.repeated = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Unsupported(event.start_mark, f"more than {MAX_VALUES:,} values in one file: split it")
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)
            self.repeated += len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            if self.repeated > MAX_BYTES:
                raise _Unsupported(
                    event.start_mark, f"YAML aliases repeat more than {MAX_BYTES:,} characters: write the text out"
                )
            return super().compose_node(parent, index)
        if isinstance(event, yaml.ScalarEvent):
            return super().compose_node(parent, index)
        kind = "list" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
        if event.anchor is not None:
            raise _Unsupported(
                event.start_mark, f"YAML anchor '&{shown(event.anchor)}' on a {kind}: an anchor may name only a text"
            )
        if self.depth >= MAX_DEPTH:
            raise _Unsupported(event.start_mark, f"nested more than {MAX_DEPTH} levels deep: seed files are flat")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _node_value(node: yaml.Node, problems: list[Problem], file: str, key: str | None = None) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in ("", "~", "null"):
            return None
        controls = _PROSE_CONTROLS if key in PROSE_KEYS else _LINE_CONTROLS
        if bad := controls.search(node.value):
            where = f"'{key}'" if key else "a value"
            problems.append(Problem(file, line, f"control character {_describe(bad.group())} in {where}: remove it"))
            return Refused(line)
        text = Text(node.value)
        text.line = line
        return text
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_node_value(item, problems, file, key) for item in node.value)
        seq.line = line
        return seq
    mapping = Map()
    mapping.line, mapping.key_lines = line, {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(file, key_line, "a key must be text"))
            continue
        name = str(key_node.value)
        if bad := _LINE_CONTROLS.search(name):
            problems.append(Problem(file, key_line, f"control character {_describe(bad.group())} in a key: remove it"))
            continue
        if name in mapping:
            problems.append(Problem(file, key_line, f"duplicate key '{name}'"))
            continue
        mapping[name] = _node_value(value_node, problems, file, name)
        mapping.key_lines[name] = key_line
    return mapping


def read_yaml(seed: SeedFile, problems: list[Problem]) -> Any:
    """Parse one seed file into Map/Seq/Text values; a syntax error or a refused construct becomes a problem."""
    try:
        text = seed.data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(Problem(seed.file, seed.data.count(b"\n", 0, err.start) + 1, f"not UTF-8 text: {err.reason}"))
        return None
    if bad := _RAW_CONTROLS.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        message = f"control character {_describe(bad.group()[0])} in the file: remove it"
        problems.append(Problem(seed.file, line, message))
        return None
    try:
        node = yaml.compose(text, Loader=_SeedLoader)
    except _Unsupported as err:
        assert err.problem_mark is not None and err.problem is not None
        problems.append(Problem(seed.file, err.problem_mark.line + 1, err.problem))
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(seed.file, line, f"malformed YAML: {shown(str(err.problem or err.context))}"))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(seed.file, 1, f"malformed YAML: {shown(str(err))}"))
        return None
    return None if node is None else _node_value(node, problems, seed.file)
