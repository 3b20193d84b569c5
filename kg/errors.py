"""kg's exceptions: each carries the facts a user needs to fix the problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class KgError(Exception):
    """Base of every error kg reports to a user (the CLI prints it; no traceback)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the curated files, located at a file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ValidationFailed(KgError):
    """The seeds have problems; all of them are listed, sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(set(self.problems))
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ShapeViolation(KgError):
    """The built graph breaks a SHACL shape in ``ontology/shapes.ttl``."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = sorted(messages)
        super().__init__("\n".join(f"SHACL: {m}" for m in self.messages))


class ExportError(KgError):
    """An export could not be written."""


class ExportsRefused(ExportError):
    """A folder ``kg build`` must not replace with its exports: the project or its seeds, or a
    folder holding what no build wrote."""


def display_path(path: Path) -> str:
    """A path as the user would type it, relative to the working directory when inside it, safe
    to print: a control character in it is shown as an escape (``\\x1b``), never sent raw."""
    from kg.terminal import printable

    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside it; a loop of links; a name the system refuses
        shown = str(path)
    return printable(shown)


class StoreError(KgError):
    """A store could not be opened or used (a missing Oxigraph folder, a bad store spec)."""


class CorruptStore(StoreError):
    """An Oxigraph store whose files cannot be read (a truncated table, a damaged manifest)."""

    def __init__(self, shown: str, reason: str) -> None:
        self.shown, self.reason = shown, reason
        super().__init__(f"{shown}: the Oxigraph store cannot be read ({reason}): restore it or load it again")


class NotKgGraph(StoreError):
    """A value read from a store is not what kg's vocabulary says (a paragraph that is not an
    integer, a date that is not a date): the store does not hold a graph as kg builds it."""

    def __init__(self, node: str, prop: str, value: str, expected: str) -> None:
        super().__init__(
            f"{node} {prop} is {value}, not {expected}: the store does not hold a kg graph as kg builds it"
        )


class UnsafeCache(StoreError):
    """A project's ``.kg`` that kg will not keep its cache in (a symbolic link, not a folder):
    kg removes old stores there, so it must be the project's own folder."""


@dataclass
class EndpointError(KgError):
    """A SPARQL endpoint refused a request or could not be reached."""

    url: str
    reason: str

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"


@dataclass
class LoadError(KgError):
    """An RDF file could not be loaded; the store is left as it was."""

    file: str
    line: int | None
    message: str

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message} (nothing loaded)"


@dataclass
class UnreadableFile(KgError):
    """A text kg will not read (not a regular file, too large, not UTF-8): the file as shown and why."""

    file: str
    reason: str
    line: int = 0

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


class UnknownEntity(KgError):
    """No entity has the name a user gave."""

    def __init__(self, name: str, hint: str) -> None:
        self.name = name
        super().__init__(f"unknown entity '{name}'{hint}")


class AmbiguousName(KgError):
    """A name shared by several entities."""

    def __init__(self, name: str, ids: list[str]) -> None:
        self.name, self.ids = name, ids
        super().__init__(f"'{name}' names several entities: " + ", ".join(ids))


class QuerySyntaxError(KgError):
    """The query is not valid SPARQL; carries the line, column and offending text."""

    def __init__(self, line: int, column: int, text: str, expected: str) -> None:
        self.line, self.column, self.text = line, column, text
        where = f"at '{text}'" if text else "at the end of the line"
        super().__init__(f"syntax error at line {line}, column {column}, {where}: {expected}")


class ReadOnly(KgError):
    """An update (INSERT, DELETE, LOAD, ...) was given where only queries are run."""

    def __init__(self) -> None:
        super().__init__(
            "updates are refused: kg queries are read-only (change the graph by editing seeds/ and rebuilding)"
        )


class QueryTimeout(KgError):
    """The query ran longer than its time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped after {seconds:g} seconds (--timeout); narrow it or allow more time")


class OutOfMemory(KgError):
    """A query needed more memory than it may take (:data:`kg.timeout.MEMORY`), and was stopped."""

    def __init__(self, message: str = "the query ran out of memory; narrow it") -> None:
        super().__init__(message)


class NoPath(KgError):
    """No path between two entities within the length asked for."""


class BadParameter(KgError):
    """A parameter that is missing, unknown, or whose value does not fit its kind."""


class BadQuery(KgError):
    """A query that parses but cannot run as given (an unknown prefix, a misused option)."""


class UnknownQuery(KgError):
    """No named query has the name given."""


class LibraryError(KgError):
    """A named query file whose header is malformed (reported as FILE:LINE: message)."""


class ViewError(KgError):
    """A view cannot be drawn as asked (unknown entity, relation or type, bad date, nothing left)."""


class BadDate(KgError):
    """A date that is malformed or does not exist."""


class ProjectError(KgError):
    """A ``kg.toml`` that cannot be read, or a project that cannot be made."""


class NoProject(ProjectError):
    """No ``kg.toml`` where one was looked for."""
