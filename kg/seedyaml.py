"""Seed files as YAML of bounded depth, size and repetition, parsed into values that remember
their lines (:class:`Map`, :class:`Seq`, :class:`Text`); a file no curator would write (an alias
bomb, a NUL, 20,000 nested lists) is one :class:`~kg.errors.Problem`, never a hang."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from kg.errors import Problem
from kg.seedfiles import MAX_BYTES, SeedFile, shown
from kg.terminal import FORMAT

MAX_DEPTH = 50
"""The deepest nesting of lists and mappings in a seed file (curated files nest six levels)."""
MAX_VALUES = 100_000
"""The most YAML values (texts, lists, mappings) in one seed file."""

PROSE_KEYS = {"description", "summary", "note", "title", "reason", "year_inferred", "date_inferred"}
"""Keys whose text may run over several lines (and hold tabs); every other value is one line."""
JOINERS = "\u200c\u200d"
"""The zero-width non-joiner and joiner, the format characters a name may hold: Persian, Arabic-script
and Indic names need them. :func:`kg.names.normalise` drops them, so they never tell two names apart."""
_PROSE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_CONTROLS = re.compile(f"(?![{JOINERS}])[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{FORMAT}]")
"""Refused in one-line values (ids, labels, aliases...) and keys: controls, lone surrogates and every
format character (invisible: "Ca\u200bfe" would be another name than "Cafe") but :data:`JOINERS`."""
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
"""Characters refused anywhere in a seed file's text (YAML escapes like "\\e" are checked per value)."""
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF", 13: "CR", 27: "ESC", 127: "DEL", 0x85: "NEL"}


def _describe(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = _CONTROL_NAMES.get(ord(char)) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _refused(char: str, where: str) -> str:
    """Why ``char`` is refused in ``where``, and what to do."""
    if 0xD800 <= ord(char) <= 0xDFFF:  # only a YAML escape makes one: UTF-8 text cannot hold it
        return f"lone surrogate U+{ord(char):04X} in {where}: write the character itself (or one \\U escape)"
    return f"control character {_describe(char)} in {where}: remove it"


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
            problems.append(Problem(file, line, _refused(bad.group(), f"'{key}'" if key else "a value")))
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
            problems.append(Problem(file, key_line, _refused(bad.group(), "a key")))
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
