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


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class StoreError(KgError):
    """A store could not be opened or used (a missing Oxigraph folder, a bad store spec)."""


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
