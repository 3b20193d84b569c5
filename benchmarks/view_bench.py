"""Benchmark of the HTML views on a synthetic graph (run by hand; not a test).

    python benchmarks/view_bench.py [--nodes 5000] [--edges 20000] [--keep FILE]

Builds a random graph shaped like kg's annotated projection (seeded, so every
run draws the same graph), then reports the time to render and write the page
and, in headless Chromium, the time until the layout has stabilised and
physics is off, and the time one frame takes to draw afterwards.
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg import ontology
from kg.files import write_atomic
from kg.view import CATEGORIES, render_html

TYPES = {
    "armed group": "actor",
    "state": "actor",
    "government body": "actor",
    "organisation": "actor",
    "person": "actor",
    "media outlet": "actor",
    "region": "place",
    "attack": "event",
}


def synthetic(nodes: int, edges: int, seed: int = 0) -> nx.MultiDiGraph:
    """A random graph with the attributes of :func:`kg.view.annotated`'s projection."""
    rng = random.Random(seed)
    relations = sorted(ontology.relations())
    net = nx.MultiDiGraph()
    types = sorted(TYPES)
    for i in range(nodes):
        kind_type = types[i % len(types)]
        net.add_node(
            f"n{i}",
            id=f"n{i}",
            label=f"Entity {i}",
            type=kind_type,
            kind=TYPES[kind_type],
            aliases=(f"Alias {i}", f"E{i}"),
            description=f"Synthetic entity number {i}.",
        )
    # preferential attachment, so degrees are skewed like a real network's
    ends = [f"n{i}" for i in range(nodes)]
    for j in range(edges):
        u, v = rng.choice(ends), rng.choice(ends)
        while v == u:
            v = rng.choice(ends)
        ends += [u, v]
        status = rng.choices(["fact", "claimed", "disputed"], [8, 2, 1])[0]
        attrs = {
            "relation": rng.choice(relations),
            "status": status,
            "source": f"{rng.randrange(500):03d}_synthetic",
            "paragraph": 1,
            "paragraphs": (1, 2),
            "outlet": "Synthetic wire",
        }
        if status != "fact":
            attrs |= {"claim": f"claim-{j}", "claimant": (u,), "summary": "A synthetic claim."}
        net.add_edge(u, v, key=f"e{j}", **attrs)
    return net


def chromium(window: str = "1600,1000"):
    """A headless Chromium driven by Selenium, from Debian's packages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={window}",
        f"--user-data-dir={tempfile.mkdtemp(prefix='kg-bench-')}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--keep", type=Path, default=None, help="also keep the page here")
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()

    net = synthetic(args.nodes, args.edges)
    page = Path(tempfile.mkdtemp(prefix="kg-bench-")) / "bench.html"
    start = time.perf_counter()
    html = render_html(net, "Synthetic benchmark graph")
    write_atomic(page, html)
    written = time.perf_counter() - start
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}",
        file=sys.stderr,
    )
    print(
        f"graph: {net.number_of_nodes()} nodes, {net.number_of_edges()} edges, "
        f"{len({c for c in CATEGORIES})} categories"
    )
    print(f"html: {len(html) / 1e6:.1f} MB written in {written:.2f} s")

    from selenium.webdriver.support.ui import WebDriverWait

    driver = chromium()
    try:
        start = time.perf_counter()
        driver.get(page.as_uri())
        WebDriverWait(driver, 1800, poll_frequency=0.5).until(
            lambda d: d.execute_script("return !!(window.kgView && window.kgView.ready)")
        )
        wall = time.perf_counter() - start
        state = driver.execute_script("""
            const n = kgView.network, frames = [];
            for (let i = 0; i < 5; i++) {
                const t = performance.now(); n.renderer._redraw(); frames.push(performance.now() - t);
            }
            return {stabilised: kgView.stabilisedAt, physics: n.physics.physicsEnabled,
                    nodes: n.body.nodeIndices.length, edges: n.body.edgeIndices.length,
                    iterations: n.physics.options.stabilization.iterations, frames: frames,
                    version: navigator.userAgent};""")
        if args.screenshot:
            driver.save_screenshot(str(args.screenshot))
    finally:
        driver.quit()
    print(
        f"chromium: {state['nodes']} nodes and {state['edges']} edges drawn; layout stable and "
        f"physics off ({not state['physics']}) {state['stabilised'] / 1000:.1f} s after "
        f"navigation ({wall:.1f} s wall, {state['iterations']} stabilisation iterations)"
    )
    print(f"chromium: one frame after stabilising takes {statistics.median(state['frames']):.0f} ms")
    if args.keep:
        shutil.copy(page, args.keep)
    shutil.rmtree(page.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
