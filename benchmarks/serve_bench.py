"""Load on ``kg serve``'s SPARQL endpoint: concurrent clients sending the named queries (run by hand; not a test).

    python benchmarks/serve_bench.py [--clients 50] [--requests 20] [--distinct] [--store SPEC] [--json FILE]

Starts ``kg serve --port 0`` on this repository's project (the curated graph) as its own
process, sends each named query once to warm it, then lets ``--clients`` threads loose at
once, each sending ``--requests`` named queries (every named query in turn, its parameters
bound to the example its help gives) by POST to ``/sparql``, asking for SPARQL JSON, each
request on a new connection (urllib). Prints requests per second, median and p95 latency,
errors (a status other than 200, or no answer), and the server's resident memory (VmRSS
from ``/proc``) after it started, after the warm-up and after the load.

The server keeps each answer (:mod:`kg.serve.cache`), so after the warm-up every request is
answered from memory. ``--distinct`` ends each request's query with a comment of its own
(``# client 3 request 7``), so no two texts are the same and every request is evaluated: the
figures of a server without that cache. ``--store oxigraph:PATH`` serves another store (the
1M-triple graph of ``benchmarks/store_bench.py --keep DIR``, loaded with ``kg load``); the
named queries' examples are the curated graph's ids, which that graph keeps.

Goal (issue 15): zero errors; p95 under 100 ms on the curated graph.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"e\.g\. ([^,)\s]+)")
DATES = {"from": "2000-01-01", "to": "2030-12-31"}
ACCEPT = "application/sparql-results+json"


def named_queries() -> list[tuple[str, str]]:
    """Every named query as a client sends it: (name, SPARQL with its example parameters bound)."""
    import kg
    from kg.names import names
    from kg.profile import source_titles
    from kg.queries import bind, library
    from kg.sparql import bind_values

    store = kg.load(REPO).store
    found, sources = names(store), sorted(source_titles(store))
    texts = []
    for name, query in sorted(library().items()):
        values = {
            p.name: DATES[p.name] if p.kind == "date" else EXAMPLE.search(p.help).group(1)  # type: ignore[union-attr]
            for p in query.parameters
        }
        bound = bind(query, values, lambda: found, lambda: sources)
        texts.append((name, bind_values(query.sparql, bound) if bound else query.sparql))
    return texts


def rss(pid: int) -> int:
    """The resident memory of process ``pid``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def start(store: str | None = None) -> tuple[subprocess.Popen[str], str]:
    """``kg serve`` on a free loopback port (of ``store``, else the project's graph), and its
    SPARQL URL once it listens."""
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", "0", *(["--store", store] if store else [])],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r"at (http://\S+/) ", line)
    if not found:
        server.kill()
        raise RuntimeError(f"kg serve did not start: {line!r}")
    return server, found.group(1) + "sparql"


def ask(url: str, text: str) -> tuple[bool, float]:
    """Send one query; whether it was answered 200, and how long it took (seconds)."""
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
    )
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            ok = answer.status == 200 and bool(json.loads(answer.read())["head"])
    except (urllib.error.URLError, OSError, ValueError, KeyError):
        ok = False
    return ok, time.perf_counter() - began


def load(
    url: str, queries: list[tuple[str, str]], clients: int, requests: int, distinct: bool = False
) -> tuple[float, list[float], int]:
    """``clients`` threads sending ``requests`` queries each: (wall seconds, latencies, errors);
    ``distinct``: every query text made unique, so that no answer is served from memory."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        nonlocal errors
        mine, failed = [], 0
        gate.wait()
        for n in range(requests):
            text = queries[(index + n) % len(queries)][1]
            ok, took = ask(url, text + (f"\n# client {index} request {n}\n" if distinct else ""))
            mine.append(took)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--distinct", action="store_true", help="make every query text unique (no kept answer)")
    parser.add_argument("--store", default=None, metavar="SPEC", help="serve this store (oxigraph:PATH)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    queries = named_queries()
    server, url = start(args.store)
    try:
        started = rss(server.pid)
        for name, text in queries:
            ok, _ = ask(url, text)
            if not ok:
                raise RuntimeError(f"the named query {name} failed on warm-up")
        warm = rss(server.pid)
        wall, latencies, errors = load(url, queries, args.clients, args.requests, args.distinct)
        after = rss(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    latencies.sort()
    figures = {
        "clients": args.clients,
        "distinct": args.distinct,
        "store": args.store or "the project's cached graph",
        "requests": len(latencies),
        "named_queries": len(queries),
        "seconds": round(wall, 2),
        "requests_per_second": round(len(latencies) / wall, 1),
        "median_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[max(0, round(0.95 * len(latencies)) - 1)], 1),
        "max_ms": round(1000 * latencies[-1], 1),
        "errors": errors,
        "rss_mib": {
            "started": round(started / 1024, 1),
            "warm": round(warm / 1024, 1),
            "after": round(after / 1024, 1),
        },
        "machine": f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores",
    }
    kind = f"{len(queries)} kinds, " + ("each text unique" if args.distinct else "answers kept")
    graph = args.store or "curated graph"
    print(f"kg serve, {graph}: {args.clients} clients x {args.requests} named queries ({kind})")
    print(f"  {figures['requests']} requests in {figures['seconds']} s: {figures['requests_per_second']} requests/s")
    print(f"  latency: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms")
    print(f"  errors: {errors}")
    memory = figures["rss_mib"]
    print(f"  server RSS: {memory['started']} MiB started, {memory['warm']} MiB warm, {memory['after']} MiB after")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
