"""Time limits that hold: the work runs in a forked child process, killed when time is up.

An exception injected into a thread waits for the thread's next Python step, so it
never stops C code: Oxigraph's Rust, or rdflib inside ``re`` on a catastrophic
regular expression. A child process is stopped by ``SIGKILL`` whatever it is doing,
and the memory it took goes with it. The child is a ``fork()`` of the caller, so it
starts at once with the caller's graph and open stores; it sends back its answer
pickled through a pipe (rdflib terms pickle intact) and ends with ``os._exit``,
running no ``atexit`` handler and flushing no buffer it inherited. Only the thread
that calls :func:`call` exists in the child, as with any ``fork()``.

>>> call(lambda: 6 * 7, 5)
42
"""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from kg.errors import BadParameter, KgError, QueryTimeout, StoreError

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


def call(work: Callable[[], T], seconds: float) -> T:
    """``work()`` run in a child process, killed with :class:`QueryTimeout` after ``seconds``.

    What ``work`` returns or raises comes back as if it had run here; it must pickle.
    The limit holds until the child starts sending its answer (it sends only when done).
    """
    seconds = check(seconds)
    deadline = time.monotonic() + seconds
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:  # the child: never returns
        os.close(read)
        _child(work, write, seconds)
    os.close(write)
    try:
        data = _receive(read, deadline)
    except BaseException:  # interrupted (Ctrl-C): the child goes too
        _kill(pid)
        raise
    finally:
        os.close(read)
    if data is None:
        _kill(pid)
        raise QueryTimeout(seconds)
    status = os.waitpid(pid, 0)[1]  # the pipe closed: the child is ending
    if not data:
        raise StoreError(f"the query's process ended without an answer ({_describe(status)})")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


def _child(work: Callable[[], object], fd: int, seconds: float) -> None:
    code = 0
    try:
        # Should the caller die first, the child ends itself a second after the limit.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, seconds + 1)
        try:
            outcome: tuple[bool, object] = (True, work())
        except MemoryError:
            outcome = (False, KgError("the query ran out of memory; narrow it"))
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


def _receive(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to ``fd``; None if nothing came before ``deadline``."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
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
