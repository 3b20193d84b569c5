"""Every named query on Virtuoso and on Oxigraph, same graph, same answers (run by hand; not a test).

    python benchmarks/virtuoso_bench.py [FILE.nt] [--size 1000000] [--timeout 60]
                                        [--buffers 200000] [--json OUT]

Starts a throwaway Virtuoso (``virtuoso-t``, Debian package ``virtuoso-opensource``)
on free loopback ports with its database in a temporary folder, bulk-loads the
N-Triples ``FILE`` with Virtuoso's own loader (``ld_dir`` and ``rdf_loader_run``
through ``isql-vt``, then a checkpoint) into kg's named graph, and loads the same
file into an Oxigraph store with :func:`kg.stores.oxigraph.load` (as ``kg load``
does). Without ``FILE`` it writes a graph of ``--size`` triples from the seeds
(:func:`store_bench.generate`). Then every named query runs through
:func:`kg.queries.execute` (the query, then the paragraph lists, figures and notes
joined in Python) with the example parameters of its header, on both stores: the
best of up to 3 runs while they stay under a second, in a forked child stopped at
``--timeout`` seconds; ``changes``, ``officials``, ``events``, ``disputed`` and
``undated`` also for their first page (``limit=100``). The rows of the two
stores are compared in the order given (blank nodes alike) and every difference
is reported. Prints a table and, with ``--json``, writes the figures. The server
is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode
from rdflib.term import Identifier

from kg.errors import KgError, QueryTimeout
from kg.pipeline import compile_graph
from kg.queries import Answer, examples, execute, library
from kg.stores import GRAPH, Store
from kg.stores.endpoint import EndpointStore
from kg.stores.http import Limits
from kg.stores.memory import MemoryStore
from kg.stores.oxigraph import OxigraphStore, load
from kg.timeout import call

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from store_bench import DATES, generate  # noqa: E402
from virtuoso_server import Virtuoso, VirtuosoError, running  # noqa: E402

PAGED = ("changes", "officials", "events", "disputed", "undated")
PAGE = 100

# --- a throwaway Virtuoso ---


@contextmanager
def virtuoso(data: Path, buffers: int, server_timeout: int) -> Iterator[Virtuoso]:
    """A Virtuoso server in a temporary folder that may read ``data``'s folder; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-") as tmp:
        with running(
            Path(tmp),
            readable=[data.parent],
            buffers=buffers,
            dirty=buffers * 3 // 4,
            max_rows=10_000_000,
            execution_time=server_timeout,
            cost_time=0,
        ) as server:
            yield server


def bulk_load(server: Virtuoso, data: Path, graph: str = GRAPH) -> int:
    """Load ``data`` into ``graph`` with Virtuoso's bulk loader and checkpoint; the triples it holds."""
    folder, name = str(data.parent.resolve()), data.name
    server.isql(f"ld_dir('{folder}', '{name}', '{graph}'); rdf_loader_run(); checkpoint;")
    errors = server.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    if "0 Rows" not in errors:
        raise SystemExit(f"the bulk loader reported errors:\n{errors}")
    count = EndpointStore(f"{server.url}/sparql", graph).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(count.rows[0][0])


# --- the queries ---


def _key(value: object) -> object:
    """A cell comparable across stores: terms in N3, blank nodes alike, lists cell by cell."""
    if value is None:
        return ""
    if isinstance(value, BNode):
        return "_:b"
    if isinstance(value, Identifier):
        return value.n3()
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    return repr(value)


def comparable(answer: Answer) -> tuple:
    """An answer as plain tuples: its variables, then its rows in the order given."""
    if answer.kind == "ask":
        return (answer.boolean,)
    if answer.kind != "select":
        return tuple(sorted(_key(t) for t in answer.graph or ()))
    return (tuple(answer.variables), tuple(tuple(_key(c) for c in row) for row in answer.rows))


def _runs(store: Store, name: str, bindings: Mapping[str, Identifier], limit: int | None) -> tuple[float, Answer]:
    """Best seconds of up to 3 runs while they stay under a second, and the answer."""
    best, answer, spent = None, None, 0.0
    for _ in range(3):
        start = time.perf_counter()
        answer = execute(store, library()[name], bindings, limit=limit)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
        spent += took
        if spent > 1.0:
            break
    assert best is not None and answer is not None
    return best, answer


def timed(
    store: Store, name: str, bindings: Mapping[str, Identifier], limit: int | None, timeout: float
) -> tuple[float | None, Answer | None, str | None]:
    """:func:`_runs` in a forked child killed after ``timeout`` seconds; an error in place of it if any.

    The runs share one child, so that the fork is not timed and the limit holds for each query.
    """
    try:
        best, answer = call(lambda: _runs(store, name, bindings, limit), timeout)
    except QueryTimeout:
        return None, None, f">{timeout:g} s"
    except KgError as err:
        return None, None, str(err).splitlines()[0][:200]
    return best, answer, None


def difference(left: tuple, right: tuple) -> str | None:
    """None if both answers are the same; else what differs, in a line."""
    if left == right:
        return None
    if len(left) != 2 or len(right) != 2:
        return "different answers"
    if left[0] != right[0]:
        return f"variables {left[0]} vs {right[0]}"
    a, b = left[1], right[1]
    if sorted(a) == sorted(b):
        return "same rows, other order"
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    sample = only_a[0] if only_a else only_b[0] if only_b else None
    return (
        f"{len(a)} vs {len(b)} rows; {len(only_a)} only on Virtuoso, {len(only_b)} only on Oxigraph; "
        f"first differing row {first}; e.g. {sample}"
    )


def compare(stores: dict[str, Store], timeout: float) -> list[dict[str, object]]:
    """Every named query (and the first page of those that grow) on each store, side by side."""
    template = MemoryStore(compile_graph(HERE.parent / "seeds", shapes=False))
    bound = examples(template, DATES)
    results = []
    for name in sorted(library()):
        for limit in (None, PAGE) if name in PAGED else (None,):
            row: dict[str, object] = {"query": name if limit is None else f"{name} --limit {limit}"}
            answers = {}
            for kind, store in stores.items():
                seconds, answer, error = timed(store, name, bound[name], limit, timeout)
                row[kind] = {"seconds": seconds, "rows": None if answer is None else len(answer.rows), "error": error}
                answers[kind] = None if answer is None else comparable(answer)
            found = list(answers.values())
            if None in found:
                row["identical"], row["difference"] = None, "not compared (an error or time-out)"
            else:
                row["difference"] = difference(found[0], found[1])
                row["identical"] = row["difference"] is None
            results.append(row)
            print(_line(row, list(stores)), flush=True)
    return results


# --- the report ---


def _cell(measured: Mapping[str, object]) -> str:
    if measured["error"]:
        return str(measured["error"])
    seconds = float(measured["seconds"])  # type: ignore[arg-type]
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def _line(row: Mapping[str, object], kinds: list[str]) -> str:
    cells = "  ".join(f"{_cell(row[k]):>12}" for k in kinds)  # type: ignore[arg-type]
    rows = "/".join(str(row[k]["rows"]) for k in kinds)  # type: ignore[index]
    same = {True: "identical", False: "DIFFERENT", None: "-"}[row["identical"]]  # type: ignore[index]
    extra = f" ({row['difference']})" if row["identical"] is False else ""
    return f"{row['query']:24} {cells}  rows {rows:>11}  {same}{extra}"


def table(results: list[dict[str, object]], kinds: list[str]) -> str:
    """A Markdown table: per query, the seconds on each store, the rows, identical or not."""
    lines = [
        "| query | rows | " + " | ".join(kinds) + " | identical |",
        "| --- | ---: | " + " | ".join("---:" for _ in kinds) + " | --- |",
    ]
    for row in results:
        counts = sorted({str(row[k]["rows"]) for k in kinds})  # type: ignore[index]
        same = {True: "yes", False: f"**no**: {row['difference']}", None: "not compared"}[row["identical"]]  # type: ignore[index]
        cells = " | ".join(_cell(row[k]) for k in kinds)  # type: ignore[arg-type]
        lines.append(f"| `{row['query']}` | {' / '.join(counts)} | {cells} | {same} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, help="N-Triples to load (default: generate --size triples).")
    parser.add_argument("--size", type=int, default=1_000_000, help="Triples to generate when no file is given.")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds before a query is stopped.")
    parser.add_argument("--buffers", type=int, default=200_000, help="Virtuoso NumberOfBuffers (8 KiB pages).")
    parser.add_argument("--json", type=Path, default=None, help="Write the figures here.")
    args = parser.parse_args()
    report: dict[str, object] = {"date": time.strftime("%Y-%m-%d"), "machine": platform.platform()}
    with tempfile.TemporaryDirectory(prefix="kg-vbench-") as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "data" / f"synthetic-{args.size}.nt"
            data.parent.mkdir()
            start = time.perf_counter()
            count = generate(compile_graph(HERE.parent / "seeds", shapes=False), args.size, data)
            print(f"generated {count} triples in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        elif not data.is_file():
            parser.error(f"{data}: no such file")
        report["data"] = str(data) if args.data else f"generated, {args.size} triples"
        start = time.perf_counter()
        loaded = load([data], Path(tmp) / "oxigraph")
        report["oxigraph_load_s"] = time.perf_counter() - start
        print(f"Oxigraph: {loaded} in {report['oxigraph_load_s']:.1f} s", file=sys.stderr)
        with virtuoso(data, args.buffers, int(args.timeout) + 30) as server:
            start = time.perf_counter()
            triples = bulk_load(server, data)
            report["virtuoso_load_s"] = time.perf_counter() - start
            report["triples"] = triples
            print(f"Virtuoso: {triples} triples in {report['virtuoso_load_s']:.1f} s", file=sys.stderr)
            limits = Limits(timeout=args.timeout + 30, max_bytes=1 << 30)
            stores: dict[str, Store] = {
                "virtuoso": EndpointStore(f"{server.url}/sparql", GRAPH, limits=limits),
                "oxigraph": OxigraphStore(Path(tmp) / "oxigraph"),
            }
            report["timeout_s"] = args.timeout
            report["results"] = compare(stores, args.timeout)
            version = server.isql("SELECT sys_stat('st_dbms_ver');").split()
            report["virtuoso_version"] = next((w for w in version if w[:1].isdigit() and "." in w), None)
    print(table(report["results"], ["virtuoso", "oxigraph"]))  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except VirtuosoError as err:
        raise SystemExit(str(err)) from None
