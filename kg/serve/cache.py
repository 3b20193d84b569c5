"""Answers kept while ``kg serve`` runs: the graph is read-only, so the same request gets the same answer.

A query costs a fork and rdflib's evaluation (some 10 to 50 ms on the curated graph, one at a
time under the GIL), so fifty clients sending the named queries queue behind each other; a kept
answer is a dictionary look-up. :class:`Kept` is a bounded least-recently-used map, safe across
the server's threads, limited in entries and in bytes. The app keeps SPARQL answers by (query
text, ``format=``, ``Accept``) and pages by their path and query string, one map per served
store (a cache belongs to one app, which serves one store); only successful answers are kept,
never an error or a time-out. A remote endpoint's graph may change under the server, so its
answers are not kept (:func:`cacheable`).

>>> kept = Kept(len, max_entries=2, max_bytes=100)
>>> kept.put("a", b"1"); kept.put("b", b"22"); kept.put("c", b"333")
>>> kept.get("a"), kept.get("c"), len(kept)
(None, b'333', 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from kg.stores import Store

V = TypeVar("V")

MAX_ENTRIES = 4096
"""The most answers kept."""
MAX_BYTES = 64 << 20
"""The most bytes of answers kept (64 MiB)."""


class Kept(Generic[V]):
    """A bounded, thread-safe least-recently-used map from a request's key to its answer."""

    def __init__(self, size: Callable[[V], int], max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = size
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._found: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._found)

    def get(self, key: Hashable) -> V | None:
        """The answer kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._found.get(key)
            if found is None:
                self.misses += 1
                return None
            self._found.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used past the limits; an answer
        larger than a quarter of ``max_bytes`` is not kept."""
        size = self.size(value)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._found.pop(key, None)
            if old is not None:
                self.bytes -= self.size(old)
            self._found[key] = value
            self.bytes += size
            while len(self._found) > self.max_entries or self.bytes > self.max_bytes:
                _, dropped = self._found.popitem(last=False)
                self.bytes -= self.size(dropped)


def cacheable(store: Store) -> bool:
    """Whether answers from ``store`` may be kept: its graph cannot change while served (not a
    remote endpoint's)."""
    from kg.stores.endpoint import EndpointStore

    return not isinstance(store, EndpointStore)
