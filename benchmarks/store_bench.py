"""Benchmark of the stores on synthetic actor graphs (run by hand; not a test).

    python benchmarks/store_bench.py [--sizes 10000,100000,1000000] [--stores memory,oxigraph,raw]
                                     [--timeout 30]
                                     [--show-timeout 120] [--out benchmarks/store_bench.json]
                                     [--keep DIR]

For each size, writes an N-Triples file of that many triples shaped like the
curated graph (:func:`generate`), then, each in its own process so that peak
memory is its own, measures:

* ``memory``: kg's default store: rdflib parses the file; queries through kg;
* ``oxigraph``: ``kg load`` into a new on-disk store; queries through kg;
* ``raw``: pyoxigraph alone, the floor: ``Store.bulk_load`` and the same query
  texts with no conversion of the answers to rdflib terms.

Measured: load time (and, for the two Oxigraph stores, their size on disk),
each named query of ``queries/`` (with the example parameters of its header; the
best of up to 3 runs while they stay under a second), ``kg show ttp`` through the
library (cold: on a fresh :class:`KnowledgeGraph`, as each ``kg show`` command
does; warm: again on the same object), on Oxigraph ``kg show ttp`` and ``kg path
ttp tajikistan`` each as a whole new process (best of 3), and peak resident
memory (the loading process and its query processes). A query running longer
than ``--timeout`` is stopped and shown as ``>T`` (on Oxigraph each query runs in
a child process, killed at the limit). ``--sizes`` and ``--stores`` pick what runs
(one size on one store takes minutes). Prints a table and writes the numbers as
JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.pipeline import compile_graph
from kg.queries import examples, library
from kg.sparql import bind_values, prepare
from kg.stores import Store
from kg.stores.memory import MemoryStore
from kg.vocab import BASE

HERE = Path(__file__).resolve().parent
SIZES = (10_000, 100_000, 1_000_000)
KINDS = ("memory", "oxigraph", "raw")
DATES = {"from": "2000-01-01", "to": "2030-12-31"}
SHOW = "ttp"
PATH = ("ttp", "tajikistan")

# --- the synthetic graph ---

_RENAMED = re.compile(r"<(" + re.escape(BASE) + r"(?:id|source|statement)/[^>]*)>")
_LABELS = re.compile(
    r"^(<[^>]*> <(?:http://www\.w3\.org/2000/01/rdf-schema#label|"
    r"http://www\.w3\.org/2004/02/skos/core#(?:prefLabel|altLabel)|"
    r'http://purl\.org/dc/terms/identifier)> ")((?:[^"\\]|\\.)*)(")'
)
LINKS = 20
"""Cross-links (allied-with facts with their statement nodes) from each copy to earlier ones."""


def _copy(lines: list[str], k: int) -> list[str]:
    """The template with every id:, src: and stmt: IRI, label and identifier suffixed ``-k``."""
    if k == 0:
        return lines
    out = []
    for line in lines:
        renamed = _RENAMED.sub(lambda m: f"<{m.group(1)}-{k}>", line)
        if renamed != line:  # the ontology's own triples are written once, in copy 0
            out.append(_LABELS.sub(lambda m: f"{m.group(1)}{m.group(2)} {k}{m.group(3)}", renamed))
    return out


def _links(k: int, actors: list[str], passage: tuple[str, str], rng: random.Random) -> list[str]:
    """``LINKS`` facts from actors of copy ``k`` to actors of earlier copies, as kg writes facts."""
    kg, rdf = f"{BASE}ontology#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    para, source = passage
    out = []
    for n in range(LINKS):
        a = f"{BASE}id/{rng.choice(actors)}-{k}"
        j = rng.randrange(k)
        b = f"{BASE}id/{rng.choice(actors)}" + (f"-{j}" if j else "")
        st = f"{BASE}statement/synthetic-{k}-{n}"
        out += [
            f"<{a}> <{kg}alliedWith> <{b}> .",
            f"<{b}> <{kg}alliedWith> <{a}> .",
            f"<{st}> <{rdf}type> <{kg}Fact> .",
            f"<{st}> <{rdf}type> <{rdf}Statement> .",
            f"<{st}> <{rdf}subject> <{a}> .",
            f"<{st}> <{rdf}predicate> <{kg}alliedWith> .",
            f"<{st}> <{rdf}object> <{b}> .",
            f"<{st}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{para}-{k}> .",
            f"<{st}> <http://purl.org/dc/terms/source> <{source}-{k}> .",
        ]
    return out


def generate(template: rdflib.Graph, triples: int, path: Path, seed: int = 0) -> int:
    """Write whole copies of ``template`` (plus cross-links) until ``triples``; return the count.

    Copy 0 is the template itself, so its ids (``id:ttp``) answer the example queries.
    """
    lines = sorted(template.serialize(format="nt", encoding="utf-8").decode().splitlines())
    lines = [line for line in lines if line.strip()]
    q = """SELECT ?e WHERE { ?e a/rdfs:subClassOf* kg:Actor . FILTER STRSTARTS(STR(?e), STR(id:)) }"""
    from kg.stores import PROLOGUE

    actors = sorted({str(r[0]).removeprefix(f"{BASE}id/") for r in MemoryStore(template).query(PROLOGUE + q).rows})
    passage = next(
        (str(p), str(s))
        for p, s in sorted(template.subject_objects(rdflib.URIRef("http://purl.org/dc/terms/isPartOf")))
        if "/source/" in str(p)
    )
    rng = random.Random(seed)
    count, k = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while count < triples:
            chunk = _copy(lines, k) + (_links(k, actors, passage, rng) if k else [])
            out.write("\n".join(chunk) + "\n")
            count += len(chunk)
            k += 1
    return count


# --- one store, in its own process ---


class _Late(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Late


def _timed(work, timeout: float | None, runs: int = 3) -> tuple[float | None, object]:
    """Best seconds of up to ``runs`` runs of ``work`` while they stay under 1 s; None if too long."""
    best, result, spent = None, None, 0.0
    for _ in range(runs):
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        start = time.perf_counter()
        try:
            result = work()
        except _Late:
            return None, None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
        spent += took
        if spent > 1.0:
            break
    return best, result


def _queries(template: rdflib.Graph) -> dict[str, str]:
    """Every named query as the text kg sends to a store, its example parameters bound."""
    bound = examples(MemoryStore(template), DATES)
    found = {}
    for name, query in sorted(library().items()):
        text = prepare(query.sparql)
        found[name] = bind_values(text, bound[name]) if bound[name] else text
    return found


def _rows(result: object) -> int:
    if isinstance(result, bool):
        return int(result)
    return len(result.rows) if hasattr(result, "rows") else len(list(result))


def _open(kind: str, folder: Path) -> Store | ox.Store:
    from kg.stores.oxigraph import OxigraphStore

    if kind == "oxigraph":
        return OxigraphStore(folder / "store")
    return ox.Store.read_only(str(folder / "raw"))


def measure(kind: str, store: Store | ox.Store, what: str, text: str, timeout: float | None) -> dict[str, object]:
    """Time one query (or ``show``: cold on a fresh KnowledgeGraph, then warm)."""
    from kg.api import KnowledgeGraph

    if what == "show":
        graph = KnowledgeGraph(store)
        cold, _ = _timed(lambda: graph.show(SHOW), timeout, runs=1)
        warm = _timed(lambda: graph.show(SHOW), timeout)[0] if cold is not None else None
        return {"seconds": cold, "warm": warm}
    run = (lambda: list(store.query(text))) if kind == "raw" else (lambda: store.query(text))
    try:
        took, result = _timed(run, timeout)
    except Exception as err:  # a query this engine rejects: shown, not fatal
        return {"seconds": f"error: {str(err).splitlines()[0][:200]}"}
    return {"seconds": took, "rows": None if result is None else _rows(result)}


def _child(kind: str, folder: Path, what: str, text: str, timeout: float) -> dict[str, object]:
    """``measure`` in a child process with the store opened read-only, killed after timeout.

    pyoxigraph evaluates a query in Rust, where no signal interrupts it.
    """
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--measure", kind, str(folder), what],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            timeout=timeout + 60,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None}
    found = json.loads(done.stdout)
    if isinstance(found["seconds"], float) and found["seconds"] > timeout:
        found["seconds"] = found["warm"] = None
    return found


def worker(
    kind: str, data: Path, folder: Path, queries: dict[str, str], timeout: float, show_timeout: float
) -> dict[str, object]:
    """Load ``data`` into a store of ``kind``; time each query and ``kg show``."""
    from kg.stores.oxigraph import load

    signal.signal(signal.SIGALRM, _alarm)
    report: dict[str, object] = {"kind": kind, "queries": {}, "rows": {}}
    start = time.perf_counter()
    if kind == "memory":
        graph = rdflib.Graph()
        graph.parse(data, format="nt")
        store = MemoryStore(graph)
    elif kind == "oxigraph":
        load([data], folder / "store")
    else:
        raw = ox.Store(str(folder / "raw"))
        raw.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        del raw
    report["load_s"] = time.perf_counter() - start
    if kind != "memory":
        report["disk_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    for name, text in [*queries.items(), ("show", "")]:
        if kind == "raw" and name == "show":
            continue
        limit = show_timeout if name == "show" else timeout
        if kind == "memory":
            found = measure(kind, store, name, text, limit)
        else:
            found = _child(kind, folder, name, text, limit)
        if name == "show":
            report["show_s"], report["show_warm_s"] = found["seconds"], found.get("warm")
        else:
            report["queries"][name] = found["seconds"]
            report["rows"][name] = found.get("rows")
    if kind == "oxigraph":
        spec = ["--store", f"oxigraph:{folder / 'store'}"]
        report["show_process_s"] = _process(["show", SHOW, *spec], show_timeout)
        report["path_process_s"] = _process(["path", *PATH, *spec], show_timeout)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    report["peak_mb"] = peak / 1024
    return report


def _process(args: list[str], timeout: float, runs: int = 3) -> float | None:
    """Best wall seconds of ``runs`` runs of ``kg ARGS`` as a new process, as an analyst runs it."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        try:
            subprocess.run([sys.executable, "-m", "kg", *args], check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


# --- the run ---


def _machine() -> dict[str, str]:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout
    total = next((line.split()[1] for line in free.splitlines() if line.startswith("Mem:")), "?")
    return {
        "cpus": str(os.cpu_count()),
        "memory": total,
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rdflib": rdflib.__version__,
        "pyoxigraph": ox.__version__,
    }


def _cell(seconds: float | str | None, timeout: float) -> str:
    if isinstance(seconds, str):
        return "error"
    if seconds is None:
        return f">{timeout:g} s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.001 else f"{seconds * 1000:.2f} ms"
    return f"{seconds:.1f} s"


def table(results: list[dict], timeout: float, show_timeout: float) -> str:
    """The results as a Markdown table: one column per size and store."""
    columns = [(r["triples"], s) for r in results for s in r["stores"]]
    head = ["measure"] + [f"{n // 1000}k {s['kind']}" for n, s in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    names = sorted(results[0]["stores"][0]["queries"])

    def row(label: str, get) -> None:
        lines.append("| " + " | ".join([label] + [get(s) for _, s in columns]) + " |")

    row("load", lambda s: _cell(s["load_s"], timeout))
    for name in names:
        row(f"query {name}", lambda s, n=name: _cell(s["queries"][n], timeout))
    row("kg show ttp (cold)", lambda s: _cell(s["show_s"], show_timeout) if "show_s" in s else "–")
    row("kg show ttp (warm)", lambda s: _cell(s["show_warm_s"], show_timeout) if "show_s" in s else "–")
    row(
        "`kg show ttp`, a new process",
        lambda s: _cell(s.get("show_process_s"), show_timeout) if "show_process_s" in s else "–",
    )
    row(
        "`kg path ttp tajikistan`, a new process",
        lambda s: _cell(s.get("path_process_s"), show_timeout) if "path_process_s" in s else "–",
    )
    row("disk", lambda s: f"{s['disk_mb']:.0f} MB" if "disk_mb" in s else "–")
    row("peak memory", lambda s: f"{s['peak_mb']:.0f} MB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="Triples, comma-separated.")
    parser.add_argument("--stores", default=",".join(KINDS), help=f"Which of {', '.join(KINDS)}, comma-separated.")
    parser.add_argument("--timeout", type=float, default=30.0, help="Seconds before a memory-store query is stopped.")
    parser.add_argument("--show-timeout", type=float, default=120.0, help="Seconds before kg show is stopped.")
    parser.add_argument("--out", type=Path, default=HERE / "store_bench.json")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the data files here.")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "DATA", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "DIR", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, folder, what = args.measure
        store = _open(kind, Path(folder))
        print(json.dumps(measure(kind, store, what, sys.stdin.read(), None)))
        return
    if args.worker:
        kind, data, folder = args.worker
        queries = json.loads(sys.stdin.read())
        print(json.dumps(worker(kind, Path(data), Path(folder), queries, args.timeout, args.show_timeout)))
        return
    kinds = [k.strip() for k in args.stores.split(",") if k.strip()]
    if unknown := sorted(set(kinds) - set(KINDS)):
        parser.error(f"unknown store {', '.join(unknown)} (use {', '.join(KINDS)})")
    template = compile_graph(HERE.parent / "seeds", shapes=False)
    queries = _queries(template)
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            data = folder / f"synthetic-{size}.nt"
            start = time.perf_counter()
            count = generate(template, size, data)
            print(
                f"{size}: generated {count} triples ({data.stat().st_size >> 20} MiB) in "
                f"{time.perf_counter() - start:.1f} s",
                file=sys.stderr,
            )
            stores = []
            for kind in kinds:
                work = Path(tempfile.mkdtemp(dir=tmp, prefix=f"{kind}-"))
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--timeout",
                        str(args.timeout),
                        "--show-timeout",
                        str(args.show_timeout),
                        "--worker",
                        kind,
                        str(data),
                        str(work),
                    ],
                    input=json.dumps(queries),
                    capture_output=True,
                    text=True,
                    check=True,
                )
                stores.append(json.loads(done.stdout))
                print(
                    f"{size}: {kind} done (load {stores[-1]['load_s']:.1f} s, {stores[-1]['peak_mb']:.0f} MB)",
                    file=sys.stderr,
                )
            results.append({"size": size, "triples": count, "stores": stores})
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": _machine(),
        "template_triples": len(template),
        "timeout_s": args.timeout,
        "show_timeout_s": args.show_timeout,
        "results": results,
    }
    args.out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(table(results, args.timeout, args.show_timeout))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
