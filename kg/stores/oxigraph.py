"""A persistent Oxigraph store: queries, and bulk-loading large RDF files, all files or none.

pyoxigraph's bulk loader streams the input (memory does not grow with the
file) but is not transactional, so the load goes into a staging copy of the
store (``Store.backup``: hard links, no data copied), ``.NAME.loading-PID``
beside it, that replaces the store in one atomic exchange
(:func:`kg.files.publish`) only when every file loaded. A bad file raises
:class:`LoadError` with its line and leaves the store exactly as it was, byte
for byte. Queries already running keep reading the store as it was when they
opened it. A load that crashed leaves the store as it was, or (where the
system cannot exchange two folders and the crash fell between two renames)
keeps it as ``.NAME.old-PID``; the next load puts that back and removes what
the crash left, before it starts. The empty lock file ``.NAME.lock`` beside the
store stays on purpose (removing it would race with the next load's lock).

Only regular files are read (a FIFO or ``/dev/zero`` is named as such); a UTF-8 byte
order mark at a file's start is skipped; a ``.gz`` file may unpack to 100 times its
size or 1 GiB, whichever is more, and is refused as a gzip bomb beyond.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gzip
import io
import os
import re
import shutil
import stat
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import CorruptStore, LoadError, StoreError, display_path
from kg.files import publish, recover
from kg.stores import QueryResult, as_declared, new_graph, refuse_network
from kg.terms import ox_term
from kg.vocab import DEFAULT, Namespaces

FORMATS: dict[str, ox.RdfFormat] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
"""Format names (and file extensions) ``kg load`` reads."""

TERM_LIMIT = 16 << 20
"""The longest term (an IRI, a literal) pyoxigraph's parsers read: a longer one raises MemoryError."""

Progress = Callable[[int], None]
"""Called with the number of (compressed) bytes read since the last call."""


@dataclass
class LoadResult:
    """What a load did: the files read, their size, and the store's size before and after."""

    files: list[Path]
    bytes: int
    before: int
    after: int
    recovered: bool = False
    """Whether the store was first put back from where an interrupted load had left it."""


def rdf_format(path: Path, name: str | None = None) -> ox.RdfFormat:
    """The format named ``name``, else the one of ``path``'s extension (under any ``.gz``)."""
    key = name or (Path(path.stem) if path.suffix == ".gz" else path).suffix.lstrip(".")
    try:
        return FORMATS[key.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        what = f"unknown format {name!r}" if name else "cannot tell the format from the name"
        raise LoadError(display_path(path), None, f"{what} (use --format: {known})") from None


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes were read from it."""

    def __init__(self, raw: io.BufferedReader, progress: Progress | None) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._raw.readinto(buffer)
        if count and self._progress:
            self._progress(count)
        return count


class _Lines(io.RawIOBase):
    """A binary file that counts the line breaks read from it (where a parser that gives no
    line, as on a term too long to buffer, stopped)."""

    def __init__(self, raw: io.BufferedIOBase, limit: int | None = None) -> None:
        self._raw = raw
        self._limit = limit
        self._read = 0
        self.breaks = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.breaks += data.count(b"\n")
        self._read += len(data)
        if self._limit is not None and self._read > self._limit:
            raise _TooLarge(self._limit)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _reader(path: Path, progress: Progress | None) -> _Lines:
    """``path`` to parse, decompressed if ``.gz`` (at most :func:`unpacked_limit` bytes), a UTF-8
    byte order mark at its start skipped (as ``kg query`` does)."""
    raw = io.BufferedReader(_Counting(open(path, "rb"), progress), 1 << 20)
    stream: io.BufferedReader[_Counting] | gzip.GzipFile = raw
    limit = None
    if path.suffix == ".gz":
        stream = gzip.GzipFile(fileobj=raw, mode="rb")
        limit = unpacked_limit(path.stat().st_size)
    try:
        if stream.peek(3)[:3] == b"\xef\xbb\xbf":
            stream.read(3)
    except (OSError, EOFError, zlib.error):
        pass  # the parse reports it, with the file's name
    return _Lines(stream, limit)


GZIP_RATIO = 100
"""A ``.gz`` file may unpack to this many times its size (RDF text packs 5 to 20 times)..."""
GZIP_FLOOR = 1 << 30
"""... or to 1 GiB, whichever is more: beyond, it is refused as a gzip bomb."""


def unpacked_limit(packed: int) -> int:
    """The most bytes a ``.gz`` file of ``packed`` bytes may unpack to."""
    return max(GZIP_FLOOR, GZIP_RATIO * packed)


class _TooLarge(Exception):
    """A ``.gz`` file unpacked past its :func:`unpacked_limit`."""


_POSITION = re.compile(
    r"^Parser error (?:at line \d+ between columns (\d+) and \d+|"
    r"between line \d+ column (\d+) and line \d+ column \d+|at line \d+ column (\d+)): (.*?)"
    r"(?: \(line \d+\))?$",
    re.DOTALL,
)


def _message(err: SyntaxError) -> str:
    """pyoxigraph's message without the line (given apart): ``column 9: ...``; a character of
    the file it quotes that a terminal would act on is shown as an escape (``'\\x1b'``)."""
    from kg.report import printable

    text = str(err.msg or err)
    found = _POSITION.match(text)
    if not found:
        return printable(text)
    column = found.group(1) or found.group(2) or found.group(3)
    return printable(f"column {column}: {found.group(4)}")


def _load_file(store: ox.Store, path: Path, fmt: ox.RdfFormat, progress: Progress | None) -> None:
    shown = display_path(path)
    lines: _Lines | None = None
    try:
        with _reader(path, progress) as stream:
            lines = stream
            # pyoxigraph reads any binary file object; its stub asks for typing.IO, which _Lines is not
            store.bulk_load(input=stream, format=fmt)  # type: ignore[arg-type]
    except SyntaxError as err:
        raise LoadError(shown, err.lineno, _message(err)) from err
    except MemoryError:  # pyoxigraph's parser buffers a term of at most TERM_LIMIT bytes
        line = lines.breaks + 1 if lines is not None else None
        raise LoadError(
            shown, line, f"a term longer than Oxigraph's limit of {TERM_LIMIT >> 20} MiB: shorten it"
        ) from None
    except _TooLarge:
        raise LoadError(
            shown,
            None,
            f"it unpacks to over {unpacked_limit(path.stat().st_size) / (1 << 30):.3g} GiB "
            f"({GZIP_RATIO} times its size, at least 1 GiB): a gzip bomb? unpack it yourself and load that",
        ) from None
    except (OSError, EOFError, zlib.error) as err:
        raise LoadError(shown, None, str(getattr(err, "strerror", None) or err)) from err


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` (its links followed) cannot be loaded, or None for a regular file: a FIFO
    or ``/dev/zero`` would never end."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as err:
        return err.strerror or str(err)
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    via = " (through a symbolic link)" if path.is_symlink() else ""
    return f"{kind}{via}, not a regular file: give an RDF file"


def _refuse_cache(store: Path) -> None:
    """Refuse to load into a project's compiled-graph cache (``.kg/graph-KEY``, or inside one):
    what it holds is served as compiled from the seeds."""
    for folder in (store, *store.parents):
        if folder.parent.name == ".kg" and folder.name.startswith("graph-"):
            raise StoreError(
                f"{display_path(store)} is inside a project's cache of its compiled seeds, not a store to load into "
                "(load into another folder: --store oxigraph:PATH)"
            )


def _check_target(store: Path) -> bool:
    """Whether ``store`` already holds an Oxigraph store (it may also not exist yet)."""
    if (store / "CURRENT").is_file():
        return True
    if store.exists() and (not store.is_dir() or any(store.iterdir())):
        raise StoreError(f"{display_path(store)} is not an Oxigraph store")
    return False


def _swap(staging: Path, store: Path) -> None:
    """Publish the loaded ``staging`` store at ``store``, in one step where the system can."""
    try:
        publish(staging, store)
    except OSError as err:
        raise StoreError(f"could not replace {display_path(store)}: {err.strerror or err} (nothing loaded)") from err


def _recover(store: Path) -> bool:
    """Undo what an interrupted load left beside ``store`` (the caller holds the load lock).

    A store renamed away by a swap that never finished (``.NAME.old-PID``) is put back, so
    the load goes on from it rather than from a fresh store; staging copies are removed.
    Returns whether a store was put back.
    """
    return recover(store, ("loading", "old"), locked=True) is not None


@contextlib.contextmanager
def _exclusive(store: Path) -> Iterator[None]:
    """Hold a lock file beside ``store`` so that two loads cannot run at once.

    The lock file is opened without following a symlink and never truncated, and must be a
    regular file: a link planted in its place cannot make the load write through it.
    """
    path = store.parent / f".{store.name}.lock"
    shown = str(Path(display_path(store.parent)) / path.name)  # the link's own name, not its target's
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as err:
        raise StoreError(f"{shown}: cannot use it as the load lock ({_lock_problem(err)}): remove it") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StoreError(f"{shown}: the load lock is not a regular file: remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another load into {display_path(store)} is running") from None
        yield
    finally:
        os.close(fd)


def _lock_problem(err: OSError) -> str:
    """Why the lock file could not be opened, in a few words."""
    if err.errno == errno.ELOOP:
        return "it is a symbolic link"
    return err.strerror or str(err)


def _stage(store: Path, staging: Path, exists: bool) -> int:
    """Copy ``store`` to ``staging`` (hard links) and return its size; closed on return.

    A store whose write-ahead logs are empty (every store kg loaded) is opened read-only,
    so that it stays byte for byte as it was; one with logged writes not yet in its tables
    is opened for writing, since a read-only backup would leave those out.
    """
    if not exists:
        return 0
    try:
        original = ox.Store.read_only(str(store)) if _settled(store) else ox.Store(str(store))
    except RuntimeError as err:  # RocksDB's Corruption
        raise CorruptStore(display_path(store), _reason(err)) from None
    except OSError as err:
        raise StoreError(f"cannot open {display_path(store)}: {err}") from err
    before = len(original)
    original.backup(str(staging))
    return before


def _settled(store: Path) -> bool:
    """Whether everything in ``store`` is in its tables: no write-ahead log holds data."""
    return all(log.stat().st_size == 0 for log in store.glob("*.log"))


def load(files: Sequence[Path], store: Path, format: str | None = None, progress: Progress | None = None) -> LoadResult:
    """Bulk-load ``files`` into the Oxigraph store at ``store`` (created if missing), atomically.

    Triples go to the default graph; quads keep their named graph.
    """
    files = [Path(f) for f in files]
    formats = [rdf_format(f, format) for f in files]
    for f in files:
        problem = _not_a_file(f)
        if problem:
            raise LoadError(display_path(f), None, problem)
    store = store.resolve()
    _refuse_cache(store)
    _check_target(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    staging = store.parent / f".{store.name}.loading-{os.getpid()}"
    with _exclusive(store):
        recovered = _recover(store)
        exists = _check_target(store)
        target = None
        try:
            before = _stage(store, staging, exists)
            target = ox.Store(str(staging))
            for path, fmt in zip(files, formats, strict=True):
                _load_file(target, path, fmt, progress)
            after = len(target)
            target.flush()  # into its tables, so that the next load can open it read-only
            target.optimize()  # compacted: one-pattern lookups 8x faster at 1M triples, 0.8 s to do
            target = None  # closed before it moves: RocksDB writes by path on closing
            if not exists:  # a new store keeps its first write in its log until opened again
                ox.Store(str(staging)).flush()
            _swap(staging, store)
        finally:
            target = None
            shutil.rmtree(staging, ignore_errors=True)
    return LoadResult(files, sum(f.stat().st_size for f in files), before, after, recovered)


_DAMAGE = re.compile(r"Corruption|IO error|No such file|checksum|MANIFEST|\.sst\b", re.IGNORECASE)
"""What RocksDB says of a store it cannot read, as opposed to a query's own failure."""


def _reason(err: Exception) -> str:
    """Why RocksDB cannot read a store, in its first sentence, files named without their folder."""
    from kg.terminal import printable

    reason = re.sub(r"^(Corruption: )+", "Corruption: ", str(err).split("  ", 1)[0].strip())
    reason = re.sub(r"(?:/[^\s/:]+)+/([^\s/:]+)", r"\1", reason)  # a file by its name: it is in the store
    if len(reason) > 160:
        reason = reason[:157] + "..."
    return printable(reason)


# --- reading ---


class OxigraphStore:
    """A persistent pyoxigraph store in a folder; queries read its default graph."""

    checks_queries = True
    """Oxigraph parses every query itself and refuses what is not SPARQL."""

    isolates_queries = True
    """A query given to :func:`kg.sparql.run` runs in a child process even with no time limit: Rust
    aborts the process when an allocation fails, so a query's lack of memory would end kg."""

    sidecar: Path | None = None
    """Where the project's cache keeps this store's name index (:func:`kg.cache.cached_names`)."""

    def __init__(self, path: Path, read_only: bool = True, namespaces: Namespaces = DEFAULT) -> None:
        self.path = Path(path)
        self.namespaces = namespaces
        if not (self.path / "CURRENT").is_file():
            raise StoreError(f"no Oxigraph store at {self.path} (create one with kg load)")
        try:
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except RuntimeError as err:  # RocksDB's Corruption: a damaged CURRENT, MANIFEST or table
            raise self._corrupt(err) from None
        except OSError as err:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {err}") from err
        try:  # the first read: a damaged block is found now, not in the middle of a command
            next(iter(self._store.quads_for_pattern(None, None, None)), None)
        except (RuntimeError, OSError) as err:
            raise self._corrupt(err) from None

    def _corrupt(self, err: Exception) -> CorruptStore:
        """The one-line error for this store when RocksDB cannot read it."""
        return CorruptStore(display_path(self.path), _reason(err))

    def _failed(self, err: RuntimeError) -> StoreError:
        """A query's failure: the store's damage when RocksDB says so, else the query's own error."""
        if _DAMAGE.search(str(err)):
            return self._corrupt(err)
        return StoreError(f"the query failed: {_reason(err)}")

    def query(self, sparql: str) -> QueryResult:
        found = self._run(sparql)
        try:
            return self._result(found)
        except RuntimeError as err:  # the solutions are computed as they are read
            raise self._failed(err) from None

    def _run(self, sparql: str) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
        sparql = refuse_network(sparql)
        try:
            return self._store.query(sparql)
        except RuntimeError as err:
            raise self._failed(err) from None
        except (SyntaxError, OSError, ValueError) as err:
            raise StoreError(f"{self.path}: {err}") from err

    def _result(self, result: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples) -> QueryResult:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            out = new_graph(self.namespaces)
            for triple in result:
                out.add((ox_term(triple.subject), ox_term(triple.predicate), ox_term(triple.object)))
            return QueryResult("graph", graph=out)
        variables = [v.value for v in result.variables]
        width = range(len(variables))
        rows = [tuple(ox_term(solution[i]) for i in width) for solution in result]
        return QueryResult("select", variables, rows)

    def sendable(self, sparql: str) -> tuple[str, bytes | bool]:
        """The answer to ``sparql`` as bytes Oxigraph writes and reads fast (TSV results,
        N-Triples), to cross from a query's process (:func:`kg.sparql.run`): pickling rdflib
        terms would cost more than the query."""
        result = self._run(sparql)
        try:
            if isinstance(result, ox.QueryBoolean):
                return "ask", bool(result)
            if isinstance(result, ox.QueryTriples):
                return "graph", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
            return "select", result.serialize(format=ox.QueryResultsFormat.TSV) or b""
        except RuntimeError as err:  # the solutions are computed as they are written
            raise self._failed(err) from None
        except (OSError, ValueError) as err:
            raise StoreError(f"{self.path}: {err}") from err

    def received(self, sent: tuple[str, bytes | bool]) -> QueryResult:
        """The :class:`QueryResult` of what :meth:`sendable` sent."""
        kind, data = sent
        if kind == "ask":
            return QueryResult("ask", boolean=bool(data))
        assert isinstance(data, bytes)
        if kind == "graph":
            out = new_graph(self.namespaces)
            for triple in ox.parse(data, ox.RdfFormat.N_TRIPLES):
                out.add((ox_term(triple.subject), ox_term(triple.predicate), ox_term(triple.object)))
            return QueryResult("graph", graph=out)
        return self._result(ox.parse_query_results(data, ox.QueryResultsFormat.TSV))

    def graph(self) -> Graph:
        out = new_graph(self.namespaces)
        try:
            for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
                out.add((ox_term(quad.subject), ox_term(quad.predicate), ox_term(quad.object)))
        except RuntimeError as err:
            raise self._corrupt(err) from None
        return as_declared(out)

    def __len__(self) -> int:
        try:
            return len(self._store)
        except RuntimeError as err:
            raise self._corrupt(err) from None
