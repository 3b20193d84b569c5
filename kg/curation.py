"""Reading ``seeds/`` into typed records, each with the file and line it came from.

The seeds are YAML a person edits by hand: ``seeds/entities/*.yaml`` is the
registry of entities; ``seeds/sources/<source id>.yaml`` holds one source's
metadata, facts, events and claims. Scalars are read as plain text (no YAML
type guessing) and every problem is collected, so a curator sees them all at once.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.dates import Date, parse_date
from kg.errors import BadDate, Problem, display_path
from kg.names import suggest

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCE_PATTERN = re.compile(r"^[0-9]{3}_[0-9a-f]{16}$")
_PARA = re.compile(r"[0-9]{1,9}")
"""A paragraph number as written (ASCII digits, so that int() takes it; nine at most)."""


# --- records ---


@dataclass(frozen=True)
class Ref:
    """A reference to an entity, event or claim id, with the line it is written on."""

    name: str
    line: int


@dataclass
class Located:
    """Where a record was written."""

    file: str
    line: int


@dataclass
class Entity:
    """A registry entry: an actor or a place."""

    id: str
    type: str
    label: str
    aliases: list[Ref]
    description: str | None
    parent: Ref | None
    parent_source: str | None
    parent_paras: tuple[int, ...]
    at: Located


@dataclass
class Fact:
    """A relationship a source reports as fact: ``subject relation object``."""

    subject: Ref
    relation: Ref
    object: Ref
    source: str
    paras: tuple[int, ...]
    at: Located
    confidence: str | None = None
    note: str | None = None
    role: str | None = None
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    year_inferred: str | None = None


@dataclass
class Count:
    """A number one body reported about an event or entity."""

    measure: Ref | None  # None only where reading reported a problem (a value that is not text)
    side: Ref | None
    value: int | None
    min: int | None
    max: int | None
    approximate: bool
    party: Ref | None
    item: str | None
    reported_by: Ref | None
    via: Ref | None
    paras: tuple[int, ...]
    at: Located
    note: str | None = None
    of: Ref | None = None


@dataclass
class Event:
    """Something that happened, with its participants by role and its reported counts."""

    id: str
    type: Ref | None  # None only where reading reported a problem (a value that is not text)
    label: str
    description: str | None
    roles: dict[str, list[Ref]]
    counts: list[Count]
    source: str
    paras: tuple[int, ...]
    at: Located
    date: Date | None = None
    start: Date | None = None
    end: Date | None = None
    time: str | None = None
    year_inferred: str | None = None
    note: str | None = None
    confidence: str | None = None


@dataclass
class Claim:
    """Something an actor said: who, when, reported by whom, what it asserts, what it disputes."""

    id: str
    type: Ref | None  # None only where reading reported a problem (a value that is not text)
    by: list[Ref]
    summary: str
    says: list[tuple[Ref, Ref, Ref]]
    about: list[Ref]
    disputes: list[Ref]
    supports: list[Ref]
    reported_by: Ref | None
    via: Ref | None
    stated_in: Ref | None
    counts: list[Count]
    source: str
    paras: tuple[int, ...]
    at: Located
    date: Date | None = None
    year_inferred: str | None = None
    note: str | None = None
    confidence: str | None = None


@dataclass
class Source:
    """One source file's metadata and records."""

    id: str
    at: Located
    title: str | None = None
    outlet: Ref | None = None
    authors: list[Ref] = field(default_factory=list)
    cites: list[Ref] = field(default_factory=list)
    date: Date | None = None
    year_inferred: str | None = None
    note: str | None = None
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    """Counts about an entity rather than an event (e.g. a base's troop strength); ``of`` is set."""


@dataclass(frozen=True)
class PassageNote:
    """A paragraph listed in ``seeds/passages.yaml``: left uncited, or named only by pronouns."""

    source: str
    para: int
    kind: str
    reason: str
    at: Located


@dataclass
class Corpus:
    """Everything read from a seeds folder, and every problem met while reading it."""

    entities: list[Entity] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    passage_notes: list[PassageNote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def _where(path: Path) -> str:
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
        problems.append(Problem(_where(seeds), 0, "no such seeds folder"))
        return []
    root = Path(os.path.realpath(seeds))
    files: list[SeedFile] = []

    def read(kind: str, path: Path, info: os.stat_result | None = None) -> None:
        try:
            data = _read_regular(path, info or _entry(path, root))
        except _NotRead as err:
            problems.append(Problem(_where(path), 0, str(err)))
        else:
            files.append(SeedFile(kind, path, _where(path), data))

    for kind in FOLDERS:
        folder = seeds / kind
        try:
            if not os.path.lexists(folder):
                if kind == "sources":
                    problems.append(Problem(_where(folder), 0, f"no sources folder: {LAYOUT}"))
                continue
            if not stat.S_ISDIR(_entry(folder, root).st_mode):
                raise _NotRead(f"not a folder: {LAYOUT}")
            names = sorted(os.listdir(folder))
        except _NotRead as err:
            problems.append(Problem(_where(folder), 0, str(err)))
            continue
        except OSError as err:
            problems.append(Problem(_where(folder), 0, f"cannot read: {err.strerror or err}"))
            continue
        for name in names:
            path = folder / name
            if name.startswith("."):
                continue
            if not name.isprintable():
                problems.append(Problem(_where(folder), 0, f"file name '{shown(name)}' is not printable: rename it"))
                continue
            try:
                info = _entry(path, root)
            except _NotRead as err:
                problems.append(Problem(_where(path), 0, str(err)))
                continue
            if stat.S_ISREG(info.st_mode) and not name.endswith(".yaml"):
                stem, dot, suffix = name.rpartition(".")
                message = (
                    f"rename it to {stem}.yaml: seed files end in .yaml"
                    if dot and suffix.lower() in ("yaml", "yml")
                    else f"unexpected file: {kind}/ holds only *.yaml files (move it out of the seeds folder)"
                )
                problems.append(Problem(_where(path), 0, message))
                continue
            read(kind, path, info)
    try:
        top = sorted(os.listdir(seeds))
    except OSError as err:
        problems.append(Problem(_where(seeds), 0, f"cannot read: {err.strerror or err}"))
        return files
    for name in top:
        path, (stem, dot, suffix) = seeds / name, name.rpartition(".")
        if name.startswith("."):
            continue
        if name == "passages.yaml":
            read("passages", path)
        elif dot and stem and suffix.lower() in ("yaml", "yml"):
            message = "rename it to passages.yaml" if stem.lower() == "passages" else f"unexpected seed file: {LAYOUT}"
            problems.append(Problem(_where(path), 0, message))
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


# --- reading records ---


class _Reader:
    """Reads the records of one file, appending problems instead of raising."""

    def __init__(self, seed: SeedFile, problems: list[Problem]) -> None:
        self.file = seed.file
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value: Any, line: int, what: str) -> Map | None:
        if isinstance(value, Refused):
            return None
        if not isinstance(value, Map):
            self.problem(getattr(value, "line", line), f"{what} must be a mapping of keys to values")
            return None
        return value

    def keys(self, record: Map, allowed: set[str], required: set[str], what: str) -> bool:
        """Report unknown and missing keys; False if a required key is missing, or the id was refused."""
        if isinstance(record.get("id"), Refused):
            return False  # reported, and a record without its id cannot be checked further
        for key in record:
            if key not in allowed:
                self.problem(record.key_lines[key], f"unknown key '{key}' in {what}{suggest(key, allowed)}")
        ok = True
        for key in sorted(required - set(record)):
            self.problem(record.line, f"{what} is missing '{key}'")
            ok = False
        return ok

    def line(self, record: Map, key: str) -> int:
        return record.key_lines.get(key, record.line)

    def text(self, record: Map, key: str) -> str | None:
        value = record.get(key)
        if value is None or isinstance(value, Refused):
            return None
        if not isinstance(value, str):
            self.problem(self.line(record, key), f"'{key}' must be text")
            return None
        return str(value).strip()

    def ref(self, record: Map, key: str) -> Ref | None:
        value = self.text(record, key)
        return None if value is None else Ref(value, self.line(record, key))

    def name(self, record: Map, key: str, what: str) -> str:
        """A label or summary: text with a letter or digit in it (and for a label, no '|')."""
        value = self.text(record, key)
        if isinstance(record.get(key), Refused):
            return ""
        if value is None or not any(c.isalnum() for c in value):
            self.problem(self.line(record, key), f"empty {key}: {what} needs one with a letter or digit")
            return value or ""
        if key == "label" and "|" in value:
            self.problem(self.line(record, key), f"'|' in label '{value}': '|' separates names in the exports")
        return value

    def refs(self, record: Map, key: str) -> list[Ref]:
        value = record.get(key)
        if value is None or isinstance(value, Refused):
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, Refused):
                continue
            if not isinstance(item, str):
                self.problem(self.line(record, key), f"'{key}' must be an id or a list of ids")
                continue
            out.append(Ref(str(item).strip(), getattr(item, "line", self.line(record, key))))
        return out

    def date(self, record: Map, key: str, made: str | None = None) -> Date | None:
        """A date; ``made`` says what it dates when that cannot be after today (a publication, a statement)."""
        value = self.text(record, key)
        if value is None:
            return None
        try:
            date = parse_date(value)
        except BadDate as err:
            self.problem(self.line(record, key), str(err))
            return None
        first = date.first_day()
        if made and first is not None and first > dt.date.today():
            self.problem(self.line(record, key), f"date '{value}' is in the future: {made}")
            return None
        return date

    def paras(self, record: Map, key: str = "para", required: bool = True) -> tuple[int, ...]:
        value = record.get(key)
        if value is None:
            if required:
                self.problem(record.line, f"missing '{key}': every record cites its paragraph")
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, Refused):
                continue
            line = getattr(item, "line", self.line(record, key))
            if not isinstance(item, str) or not _PARA.fullmatch(item.strip()) or int(item) < 1:
                self.problem(line, f"bad paragraph '{item}': a paragraph is a whole number from 1")
                continue
            out.append(int(item))
        return tuple(sorted(set(out)))

    def confidence(self, record: Map) -> str | None:
        value = self.text(record, "confidence")
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 1 or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
            self.problem(self.line(record, "confidence"), f"bad confidence '{value}': write a decimal from 0 to 1")
            return None
        return value

    def year_inferred(self, record: Map, *dates: Date | None) -> str | None:
        reason = self.text(record, "year_inferred")
        if reason is not None and not any(d and d.precision != "month-day" for d in dates):
            self.problem(self.line(record, "year_inferred"), "'year_inferred' needs a date with a year")
        return reason


# --- the registry ---

ENTITY_KEYS = {"id", "type", "label", "aliases", "description", "parent", "parent_ref"}


def _parse_pointer(reader: _Reader, record: Map, key: str) -> tuple[str | None, tuple[int, ...]]:
    """Read ``SOURCE_ID:PARA[,PARA]`` (used where a record is not inside a source file)."""
    value = reader.text(record, key)
    if value is None:
        return None, ()
    match = re.fullmatch(r"(\S+):([0-9]{1,9}(?:\s*,\s*[0-9]{1,9})*)", value)
    if not match or not SOURCE_PATTERN.match(match.group(1)):
        reader.problem(
            reader.line(record, key), f"bad pointer '{value}': write SOURCE_ID:PARAGRAPH, e.g. 000_c8205b38d0f11d5b:8"
        )
        return None, ()
    paras = tuple(sorted({int(p) for p in match.group(2).split(",")}))
    if 0 in paras:
        reader.problem(reader.line(record, key), f"bad paragraph in '{value}': paragraphs count from 1")
    return match.group(1), paras


def _aliases(reader: _Reader, record: Map) -> list[Ref]:
    """An entity's aliases: each a name with a letter or digit, and no '|' (which joins aliases in exports)."""
    aliases = []
    for alias in reader.refs(record, "aliases"):
        if not any(c.isalnum() for c in alias.name):
            reader.problem(alias.line, "empty alias: an alias needs a letter or digit")
        elif "|" in alias.name:
            reader.problem(alias.line, f"'|' in alias '{alias.name}': '|' separates aliases in the exports")
        else:
            aliases.append(alias)
    return aliases


def read_entities(seed: SeedFile, problems: list[Problem]) -> list[Entity]:
    """Read one registry file: a list of entities."""
    reader = _Reader(seed, problems)
    data = read_yaml(seed, problems)
    if data is None:
        return []
    if not isinstance(data, Seq):
        reader.problem(getattr(data, "line", 1), "a registry file is a list of entities")
        return []
    entities = []
    for item in data:
        record = reader.mapping(item, data.line, "an entity")
        if record is None or not reader.keys(record, ENTITY_KEYS, {"id", "type", "label"}, "entity"):
            continue
        parent = reader.ref(record, "parent")
        source, paras = _parse_pointer(reader, record, "parent_ref")
        if parent and not source:
            reader.problem(
                reader.line(record, "parent"),
                "'parent' needs 'parent_ref: SOURCE_ID:PARAGRAPH' (every relationship has a source)",
            )
        entities.append(
            Entity(
                id=reader.text(record, "id") or "",
                type=reader.text(record, "type") or "",
                label=reader.name(record, "label", "an entity"),
                aliases=_aliases(reader, record),
                description=reader.text(record, "description"),
                parent=parent,
                parent_source=source,
                parent_paras=paras,
                at=Located(reader.file, record.line),
            )
        )
    return entities


# --- source files ---

SOURCE_KEYS = {
    "source",
    "title",
    "outlet",
    "author",
    "cites",
    "date",
    "year_inferred",
    "note",
    "facts",
    "events",
    "claims",
    "counts",
}
QUALIFIER_KEYS = {"para", "confidence", "note", "date", "start", "end", "year_inferred"}
FACT_KEYS = QUALIFIER_KEYS | {"fact", "role"}
ROLE_KEYS = {"perpetrator", "target", "responder", "victim", "participant", "place", "from", "to", "part_of"}
EVENT_KEYS = QUALIFIER_KEYS | ROLE_KEYS | {"id", "type", "label", "description", "time", "counts"}
CLAIM_KEYS = {
    "id",
    "type",
    "by",
    "summary",
    "says",
    "about",
    "disputes",
    "supports",
    "reported_by",
    "via",
    "stated_in",
    "counts",
    "para",
    "date",
    "year_inferred",
    "note",
    "confidence",
}
COUNT_KEYS = {"measure", "side", "value", "party", "item", "reported_by", "via", "para", "note"}
STANDALONE_COUNT_KEYS = COUNT_KEYS | {"of"}


def _triple(reader: _Reader, text: str, line: int, what: str) -> tuple[Ref, Ref, Ref] | None:
    parts = text.split()
    if len(parts) != 3:
        reader.problem(line, f"{what} must be 'SUBJECT RELATION OBJECT', got '{text}'")
        return None
    return Ref(parts[0], line), Ref(parts[1], line), Ref(parts[2], line)


def _count_value(reader: _Reader, value: str, line: int) -> tuple[int | None, int | None, int | None, bool] | None:
    """``15``, ``~100`` (about), ``>=16`` (at least), ``6000-7000`` (a range)."""
    text = value.replace(",", "").replace(" ", "")
    if match := re.fullmatch(r"(~?)([0-9]{1,15})", text):
        return int(match.group(2)), None, None, bool(match.group(1))
    if match := re.fullmatch(r">=([0-9]{1,15})", text):
        return None, int(match.group(1)), None, False
    if match := re.fullmatch(r"(~?)([0-9]{1,15})-([0-9]{1,15})", text):
        low, high = int(match.group(2)), int(match.group(3))
        if low <= high:
            return None, low, high, bool(match.group(1))
    reader.problem(line, f"bad count '{value}': write 15, ~100 (about), >=16 (at least) or 6000-7000")
    return None


def _counts(reader: _Reader, record: Map, default_paras: tuple[int, ...], standalone: bool = False) -> list[Count]:
    items = record.get("counts")
    if items is None:
        return []
    if not isinstance(items, Seq):
        reader.problem(reader.line(record, "counts"), "'counts' must be a list")
        return []
    allowed = STANDALONE_COUNT_KEYS if standalone else COUNT_KEYS
    required = {"measure", "value", "of", "para"} if standalone else {"measure", "value"}
    counts = []
    for item in items:
        count = reader.mapping(item, items.line, "a count")
        if count is None or not reader.keys(count, allowed, required, "count"):
            continue
        raw = reader.text(count, "value") or ""
        parsed = _count_value(reader, raw, reader.line(count, "value"))
        if parsed is None:
            continue
        paras = reader.paras(count, required=False) or default_paras
        counts.append(
            Count(
                measure=reader.ref(count, "measure"),
                side=reader.ref(count, "side"),
                value=parsed[0],
                min=parsed[1],
                max=parsed[2],
                approximate=parsed[3],
                party=reader.ref(count, "party"),
                item=reader.text(count, "item"),
                reported_by=reader.ref(count, "reported_by"),
                via=reader.ref(count, "via"),
                paras=paras,
                at=Located(reader.file, count.line),
                note=reader.text(count, "note"),
                of=reader.ref(count, "of"),
            )
        )
    return counts


def _fact(reader: _Reader, record: Map, source: str) -> Fact | None:
    if not reader.keys(record, FACT_KEYS, {"fact"}, "fact"):
        return None
    triple = _triple(reader, reader.text(record, "fact") or "", reader.line(record, "fact"), "a fact")
    paras = reader.paras(record)
    if triple is None or not paras:
        return None
    date, start, end = reader.date(record, "date"), reader.date(record, "start"), reader.date(record, "end")
    return Fact(
        *triple,
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        confidence=reader.confidence(record),
        note=reader.text(record, "note"),
        role=reader.text(record, "role"),
        date=date,
        start=start,
        end=end,
        year_inferred=reader.year_inferred(record, date, start, end),
    )


def _event(reader: _Reader, record: Map, source: str) -> Event | None:
    if not reader.keys(record, EVENT_KEYS, {"id", "type", "label"}, "event"):
        return None
    paras = reader.paras(record)
    if not paras:
        return None
    time = reader.text(record, "time")
    if time is not None and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", time):
        reader.problem(reader.line(record, "time"), f"bad time '{time}': write HH:MM (24-hour)")
        time = None
    date, start, end = reader.date(record, "date"), reader.date(record, "start"), reader.date(record, "end")
    return Event(
        id=reader.text(record, "id") or "",
        type=reader.ref(record, "type"),
        label=reader.name(record, "label", "an event"),
        description=reader.text(record, "description"),
        roles={key: reader.refs(record, key) for key in sorted(ROLE_KEYS) if key in record},
        counts=_counts(reader, record, paras),
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        date=date,
        start=start,
        end=end,
        time=time,
        year_inferred=reader.year_inferred(record, date, start, end),
        note=reader.text(record, "note"),
        confidence=reader.confidence(record),
    )


def _claim(reader: _Reader, record: Map, source: str) -> Claim | None:
    if not reader.keys(record, CLAIM_KEYS, {"id", "type", "by", "summary"}, "claim"):
        return None
    paras = reader.paras(record)
    if not paras:
        return None
    says = []
    for ref in reader.refs(record, "says"):
        triple = _triple(reader, ref.name, ref.line, "'says'")
        if triple:
            says.append(triple)
    date = reader.date(record, "date", made="a claim is dated when it was made")
    return Claim(
        id=reader.text(record, "id") or "",
        type=reader.ref(record, "type"),
        by=reader.refs(record, "by"),
        summary=reader.name(record, "summary", "a claim"),
        says=says,
        about=reader.refs(record, "about"),
        disputes=reader.refs(record, "disputes"),
        supports=reader.refs(record, "supports"),
        reported_by=reader.ref(record, "reported_by"),
        via=reader.ref(record, "via"),
        stated_in=reader.ref(record, "stated_in"),
        counts=_counts(reader, record, paras),
        source=source,
        paras=paras,
        at=Located(reader.file, record.line),
        date=date,
        year_inferred=reader.year_inferred(record, date),
        note=reader.text(record, "note"),
        confidence=reader.confidence(record),
    )


_SECTIONS = {"facts": _fact, "events": _event, "claims": _claim}


def read_source(seed: SeedFile, problems: list[Problem]) -> Source | None:
    """Read one source file: metadata, then its facts, events and claims."""
    reader, known = _Reader(seed, problems), len(problems)
    data = read_yaml(seed, problems)
    path = seed.path
    if data is None and len(problems) > known:
        return None
    record = reader.mapping(data, 1, "a source file")  # an empty file too
    if record is None or not reader.keys(record, SOURCE_KEYS, {"source"}, "source file"):
        return None
    source_id = reader.text(record, "source") or ""
    if source_id != path.stem:
        reader.problem(
            reader.line(record, "source"), f"source id '{source_id}' does not match the file name '{path.name}'"
        )
    elif not SOURCE_PATTERN.match(source_id):
        reader.problem(
            reader.line(record, "source"),
            f"bad source id '{source_id}': the source file's name without .txt, e.g. 000_c8205b38d0f11d5b",
        )
    date = reader.date(record, "date", made="a source is dated when it was published")
    source = Source(
        id=source_id,
        at=Located(reader.file, record.line),
        title=reader.text(record, "title"),
        outlet=reader.ref(record, "outlet"),
        authors=reader.refs(record, "author"),
        cites=reader.refs(record, "cites"),
        date=date,
        year_inferred=reader.year_inferred(record, date),
        note=reader.text(record, "note"),
    )
    source.counts = _counts(reader, record, (), standalone=True)
    for section, parse in _SECTIONS.items():
        items = record.get(section)
        if items is None:
            continue
        if not isinstance(items, Seq):
            reader.problem(reader.line(record, section), f"'{section}' must be a list")
            continue
        for item in items:
            entry = reader.mapping(item, items.line, f"an entry of '{section}'")
            parsed = parse(reader, entry, source_id) if entry is not None else None
            if parsed is not None:
                getattr(source, section).append(parsed)
    return source


PASSAGE_KINDS = {"uncited", "pronouns"}


def read_passage_notes(seed: SeedFile, problems: list[Problem]) -> list[PassageNote]:
    """Read ``passages.yaml``: paragraphs deliberately left uncited, or named only by pronouns."""
    reader = _Reader(seed, problems)
    data = read_yaml(seed, problems)
    if data is None:
        return []
    if not isinstance(data, Seq):
        reader.problem(getattr(data, "line", 1), "passages.yaml is a list of passages")
        return []
    notes = []
    for item in data:
        record = reader.mapping(item, data.line, "a passage")
        keys = {"passage", "kind", "reason"}
        if record is None or not reader.keys(record, keys, keys, "passage"):
            continue
        source, paras = _parse_pointer(reader, record, "passage")
        kind = reader.text(record, "kind") or ""
        if kind not in PASSAGE_KINDS:
            reader.problem(reader.line(record, "kind"), f"unknown passage kind '{kind}'{suggest(kind, PASSAGE_KINDS)}")
            continue
        for para in paras:
            notes.append(
                PassageNote(
                    source or "", para, kind, reader.text(record, "reason") or "", Located(reader.file, record.line)
                )
            )
    return notes


def read_seeds(seeds: Path) -> Corpus:
    """Read a whole seeds folder: ``entities/*.yaml``, ``sources/*.yaml`` and ``passages.yaml`` (:func:`seed_files`)."""
    corpus = Corpus()
    files = seed_files(seeds, corpus.problems)
    if not seeds.is_dir():
        return corpus
    for seed in files:
        if seed.kind == "entities":
            corpus.entities.extend(read_entities(seed, corpus.problems))
        elif seed.kind == "sources" and (source := read_source(seed, corpus.problems)) is not None:
            corpus.sources.append(source)
        elif seed.kind == "passages":
            corpus.passage_notes = read_passage_notes(seed, corpus.problems)
    if not corpus.entities:
        where = _where(seeds / "entities")
        if not any(p.file == where for p in corpus.problems):  # not a folder, a loop...: reported already
            corpus.problems.append(Problem(where, 0, "no entity registry files (*.yaml) found"))
    return corpus
