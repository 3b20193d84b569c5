"""A throwaway Virtuoso server (``virtuoso-t``, Debian package ``virtuoso-opensource``) on free
loopback ports, with its database in a folder of its own: for ``tests/test_virtuoso.py`` and
``benchmarks/virtuoso_bench.py``. No pytest here, so a benchmark can import it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 5
ServerThreads = 5
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {execution_time}
MaxQueryCostEstimationTime = {cost_time}
"""

VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
USER = "dba:dba"  # the administrator of a fresh Virtuoso database


class VirtuosoError(Exception):
    """Virtuoso is missing, did not start, or refused a statement."""


class Virtuoso:
    """A running ``virtuoso-t``: its HTTP base URL, its SQL port and its folder."""

    def __init__(self, url: str, sql: int, folder: Path) -> None:
        self.url, self.sql, self.folder = url, sql, folder

    def isql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL ``statements`` as the administrator through ``isql-vt``; their output."""
        exe = shutil.which("isql-vt") or shutil.which("isql")
        if exe is None:
            raise VirtuosoError("isql-vt not found: install the Debian package virtuoso-opensource")
        done = subprocess.run(
            [exe, str(self.sql), "dba", "dba", f"exec={statements}"], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode or "*** Error" in done.stdout + done.stderr:
            raise VirtuosoError(f"isql-vt failed on {statements!r}:\n{done.stdout}{done.stderr}")
        return done.stdout


def installed() -> str | None:
    """The path of ``virtuoso-t``, if it is installed."""
    return shutil.which("virtuoso-t")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running(
    db: Path,
    *,
    readable: Iterable[Path] = (),
    buffers: int = 10000,
    dirty: int = 6000,
    max_rows: int = 1_000_000,
    execution_time: int = 120,
    cost_time: int = 400,
) -> Iterator[Virtuoso]:
    """A Virtuoso server with its database in the folder ``db`` (which may also read the folders
    ``readable``), stopped on leaving."""
    exe = installed()
    if exe is None:
        raise VirtuosoError("virtuoso-t not found: install the Debian package virtuoso-opensource")
    http, sql = free_port(), free_port()
    ini = db / "virtuoso.ini"
    dirs = ", ".join([".", str(db), *(str(Path(d).resolve()) for d in readable)])
    settings = {"buffers": buffers, "dirty": dirty, "max_rows": max_rows, "cost_time": cost_time}
    ini.write_text(
        INI.format(
            db=db,
            sql=sql,
            http=http,
            vsp=VSP if VSP.is_dir() else db,
            dirs=dirs,
            execution_time=execution_time,
            **settings,
        )  # fmt: skip
    )
    url = f"http://127.0.0.1:{http}"
    with open(db / "stdout.log", "wb") as log:
        server = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=db, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 120
            while not _ready(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (db / "stdout.log").read_text(errors="replace")[-2000:]
                    raise VirtuosoError(f"Virtuoso did not start:\n{tail}")
                time.sleep(0.25)
            yield Virtuoso(url, sql, db)
        finally:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
