"""kg.serve.cache: answers kept while the server runs, bounded, and never for a remote endpoint."""

from __future__ import annotations

import urllib.parse

from test_serve import get

from kg.api import KnowledgeGraph
from kg.serve import in_background
from kg.serve.cache import Kept, cacheable
from kg.serve.sparql import Limits
from kg.stores.endpoint import EndpointStore
from kg.stores.memory import MemoryStore


class Counting(MemoryStore):
    """A memory store that counts the queries it runs."""

    runs = 0

    def query(self, sparql):
        Counting.runs += 1
        return super().query(sparql)


def test_kept_drops_the_least_recently_used_past_its_limits():
    kept: Kept[bytes] = Kept(len, max_entries=10, max_bytes=12)
    for key, value in (("a", b"1"), ("b", b"22"), ("c", b"333")):
        kept.put(key, value)
    assert kept.get("a") == b"1"  # now the most recent: b and c are older
    kept.put("d", b"444")
    kept.put("e", b"555")
    assert kept.bytes == 12
    kept.put("f", b"666")  # 15 bytes: b, then c, go
    assert [k for k in "abcdef" if kept.get(k)] == ["a", "d", "e", "f"]
    assert (len(kept), kept.bytes) == (4, 10)
    kept.put("big", b"xxxx")  # more than a quarter of max_bytes: not kept
    assert kept.get("big") is None
    few: Kept[bytes] = Kept(len, max_entries=2)
    for key in "xyz":
        few.put(key, b"v")
    assert [k for k in "xyz" if few.get(k)] == ["y", "z"]


def test_the_same_query_runs_once_and_a_refused_one_every_time(mini):
    store = Counting(mini.graph())
    text = "SELECT ?s WHERE { ?s a kg:ArmedGroup } ORDER BY ?s"
    with in_background(KnowledgeGraph(store), limits=Limits(timeout=None, max_rows=1)) as base:
        url = base + "sparql?" + urllib.parse.urlencode({"query": text})
        Counting.runs = 0
        first = get(url)
        assert get(url) == first and first[0] == 200
        assert Counting.runs == 1
        csv = get(url + "&format=csv")
        assert csv[:2] == (200, "text/csv; charset=utf-8") and Counting.runs == 2
        over = base + "sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a kg:Source ; ?p ?o }"})
        assert get(over)[0] == get(over)[0] == 400  # more rows than the limit: refused, and not kept
        assert Counting.runs == 4


def test_a_page_is_rendered_once(mini):
    store = Counting(mini.graph())
    with in_background(KnowledgeGraph(store), limits=Limits(timeout=None)) as base:
        first = get(base + "entity/red-hand")
        runs = Counting.runs
        assert get(base + "entity/red-hand") == first and Counting.runs == runs
        assert get(base + "entity/nobody-here")[0] == 404
        runs = Counting.runs
        get(base + "entity/nobody-here")
        assert Counting.runs >= runs


def test_a_remote_endpoints_answers_are_not_kept(mini):
    assert cacheable(mini)
    assert not cacheable(EndpointStore("http://127.0.0.1:9/sparql"))
