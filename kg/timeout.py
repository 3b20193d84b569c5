"""Time limits that hold: the work runs in a forked child process, killed when time is up.

An exception injected into a thread waits for the thread's next Python step, so it
never stops C code: Oxigraph's Rust, or rdflib inside ``re`` on a catastrophic
regular expression. A child process is stopped by ``SIGKILL`` whatever it is doing,
and the memory it took goes with it. The child is a ``fork()`` of the caller, so it
starts at once with the caller's graph and open stores; it sends back its answer
pickled through a pipe (rdflib terms pickle intact) and ends with ``os._exit``,
running no ``atexit`` handler and flushing no buffer it inherited. Only the thread
that calls :func:`call` exists in the child, as with any ``fork()``. The child's address
space is bounded too (:data:`MEMORY`), so a query that would take all the machine's memory
is stopped with one line, whichever engine runs it.

>>> call(lambda: 6 * 7, 5)
42
"""

from __future__ import annotations

import faulthandler
import math
import os
import pickle
import select
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from kg.errors import BadParameter, KgError, OutOfMemory, QueryTimeout, StoreError

T = TypeVar("T")

MAX_SECONDS = 86400.0
"""The longest limit (a day): a longer one is no limit; nan, inf and 0 are none at all."""


def check(seconds: float) -> float:
    """``seconds`` as a time limit: a finite number, more than 0 and at most :data:`MAX_SECONDS`."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise BadParameter(f"bad timeout {seconds!r}: give a number of seconds")
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS):
        raise BadParameter(f"bad timeout {seconds:g}: give seconds, more than 0 and at most {MAX_SECONDS:g}")
    return float(seconds)


MEMORY = 4 << 30
"""Bytes of address space a query's process may take beyond what it starts with (at most a
quarter of the machine's memory): past them an allocation fails, and the query is stopped
with :class:`OutOfMemory` instead of taking the machine's memory (Oxigraph, in Rust, would
abort the process; rdflib raises ``MemoryError``)."""


def call(work: Callable[[], T], seconds: float | None, offline: bool = False) -> T:
    """``work()`` run in a child process, killed with :class:`QueryTimeout` after ``seconds``
    (None: no time limit), stopped with :class:`OutOfMemory` past :data:`MEMORY`.

    What ``work`` returns or raises comes back as if it had run here; it must pickle.
    The limit holds until the child starts sending its answer (it sends only when done).
    What the child writes to standard error is passed on, unless it died of a failed
    allocation (Rust's message and backtrace are not for the user). ``offline``: the child is
    cut off every network first, where Linux allows it (:func:`_no_network`), so that a query
    on a local store cannot reach out even if a check of its text were ever fooled.
    """
    if seconds is not None:
        seconds = check(seconds)
    deadline = None if seconds is None else time.monotonic() + seconds
    read, write = os.pipe()
    errors = tempfile.TemporaryFile()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        errors.close()
        raise
    if pid == 0:  # the child: never returns
        os.close(read)
        _child(work, write, seconds, errors.fileno(), offline)
    os.close(write)
    with errors:
        try:
            data = _receive(read, deadline)
        except BaseException:  # interrupted (Ctrl-C): the child goes too
            _kill(pid)
            raise
        finally:
            os.close(read)
        if data is None:
            _kill(pid)
            raise QueryTimeout(seconds or MAX_SECONDS)
        status = os.waitpid(pid, 0)[1]  # the pipe closed: the child is ending
        errors.seek(0)
        said = errors.read(1 << 16)
    if not data:
        if _out_of_memory(status, said):
            raise OutOfMemory()
        raise StoreError(f"the query's process ended without an answer ({_describe(status)})")
    _pass_on(said)
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def _out_of_memory(status: int, said: bytes) -> bool:
    """Whether the child died of a failed allocation (Rust aborts, saying so)."""
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT and b"memory allocation" in said


def _pass_on(said: bytes) -> None:
    """Write what the child wrote to standard error (warnings) where it would have gone."""
    if said:
        try:
            sys.stderr.write(said.decode("utf-8", "replace"))
        except (OSError, ValueError, AttributeError):
            pass


def _child(work: Callable[[], object], fd: int, seconds: float | None, errors: int, offline: bool = False) -> None:
    code = 0
    try:
        if offline:
            _no_network()
        os.dup2(errors, 2)  # what Rust says on aborting goes to the parent, to judge
        faulthandler.disable()  # its dump of an abort would go to a copy of the old stderr
        os.environ["RUST_BACKTRACE"] = "0"
        os.environ["RUST_LIB_BACKTRACE"] = "0"
        _bound_memory()
        # Should the caller die first, the child ends itself a second after the limit (a day at most).
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, (seconds or MAX_SECONDS) + 1)
        try:
            outcome: tuple[bool, object] = (True, work())
        except MemoryError:
            outcome = (False, OutOfMemory())
        except BaseException as err:  # noqa: BLE001 - handed back to the caller
            outcome = (False, _portable(err))
        try:
            data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # noqa: BLE001 - an answer that does not pickle is a bug, said so
            data = pickle.dumps((False, RuntimeError(f"the answer could not be sent back: {err!r}")))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 1
    finally:
        os._exit(code)


_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


def _no_network() -> bool:
    """Move this (single-threaded, forked) process into a new network namespace of its own, which
    has no interface up, so nothing it does reaches any network, loopback included; as root
    directly, else inside a user namespace mapping the user to itself. Where Linux refuses
    (no namespaces, a container's seccomp) it stays as it was: whether it worked is returned."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) == 0:
            return True
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return False
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as out:
                out.write(text)
        return True
    except (OSError, AttributeError):
        return False


def _bound_memory() -> None:
    """Limit this process's address space to what it has now and :data:`MEMORY` more (where the
    system says what it has: Linux's ``/proc``), never above a limit already set."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        budget = min(MEMORY, os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 4)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + budget
        for given in (soft, hard):
            if given != resource.RLIM_INFINITY:
                limit = min(limit, given)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc, or no such limit here: the time limit still holds


def _portable(err: BaseException) -> BaseException:
    """``err`` if it survives pickling, else an error of the same kind with the same message."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # noqa: BLE001 - exceptions whose __init__ takes other arguments
        if isinstance(err, KgError):
            return KgError(str(err))
        detail = "".join(traceback.format_exception(err)).rstrip()
        return RuntimeError(f"in the query's process: {detail}")
    return err


def _receive(fd: int, deadline: float | None) -> bytes | None:
    """Everything the child writes to ``fd``; None if nothing came before ``deadline`` (None: none)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(math.ceil(left * 1000)):
            return None
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _kill(pid: int) -> None:
    """Stop the child whatever it is doing, and collect it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
