#!/usr/bin/env python3
"""Side-by-side comparison of healthgraph, NetworkX, igraph, rustworkx (a
Rust core with Python bindings) and Ladybug (Kuzu's maintained fork, an
embedded Cypher database) on the same synthetic graphs, in one run.

    python3 benches/compare.py                      # 10k, 100k and 1M entities
    python3 benches/compare.py --sizes 10000 100000 # a quicker run

For each size it generates one graph (benches/synth.rs, through the `synth`
example: RON for healthgraph, a TSV edge list for the others), draws one list of
queries (same seed, same start entities, same pairs, same filter: relations of
kinds mou, renewal and cooperation that may hold on 2020-06-15; pairs drawn from
all entities, and pairs drawn from the filtered graph's largest connected part,
which all have a path), and runs it
through every tool, each in its own process under /usr/bin/time -v for the peak
memory. Times are the tools' own timers around each call (time.perf_counter in
Python, Instant in Rust); medians over the list. It checks that the tools agree
on every answer (neighbourhood sizes, path lengths) before it reports anything.
The Python packages are installed from PyPI if missing. rustworkx and igraph
have no filtered view: each builds the filtered graph once (timed apart).
Ladybug loads the same TSV with COPY into an in-memory database and answers
in Cypher (a recursive pattern with a WHERE on its relationships; SHORTEST
for paths).

Writes benches/results/results.json, benches/results/table.md and
benches/results/scaling.png.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benches", "results")
KINDS = ["mou", "renewal", "cooperation"]
DATE = "2020-06-15"


def days(y, m, d):
    """Days since 1970-01-01, as the synth TSV writes them."""
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days


DAY = days(2020, 6, 15)


def ensure(package, module):
    try:
        __import__(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", package])


def peak_rss_mb(stderr):
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return None


def run(cmd):
    """Runs a tool under /usr/bin/time -v; returns its JSON outputs and peak RSS in MiB."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"{cmd[0]} failed")
    outs = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    return outs, peak_rss_mb(p.stderr)


NX_SCRIPT = r'''
import json, sys, time
import networkx as nx
tsv, qfile = sys.argv[1], sys.argv[2]
q = json.load(open(qfile))
t = time.perf_counter()
g = nx.MultiGraph()
with open(tsv) as f:
    next(f)
    for line in f:
        a, b, kind, lo, hi, status, rid = line.rstrip("\n").split("\t")
        g.add_edge(a, b, key=rid, kind=kind, lo=int(lo), hi=int(hi))
load_s = time.perf_counter() - t
kinds, day = set(q["kinds"]), q["day"]
def ok(u, v, k):
    d = g[u][v][k]
    return d["kind"] in kinds and d["lo"] <= day <= d["hi"]
filtered = nx.subgraph_view(g, filter_edge=ok)
def paths(view, pairs):
    times, sizes = [], []
    for a, b in pairs:
        t = time.perf_counter()
        try:
            n = len(nx.shortest_path(view, a, b)) - 1
        except nx.NetworkXNoPath:
            n = -1
        times.append(time.perf_counter() - t); sizes.append(n)
    return {"times": times, "sizes": sizes}
res = {}
for name, view in [("filtered", filtered), ("unfiltered", g)]:
    times, sizes = [], []
    for s in q["starts"]:
        t = time.perf_counter()
        n = len(nx.single_source_shortest_path_length(view, s, cutoff=2))
        times.append(time.perf_counter() - t); sizes.append(n)
    res["neighbourhood_" + name] = {"times": times, "sizes": sizes}
    res["path_" + name] = paths(view, q["pairs"])
res["path_linked"] = paths(filtered, q["linked_pairs"])
print(json.dumps({"tool": "networkx", "load_s": load_s, "results": res}))
'''

# Entities numbered in the order first met, for the tools that want
# numbers (igraph, rustworkx): part of each one's timed load.
NUMBERED = r'''names, index = [], {}
def vid(x):
    i = index.get(x)
    if i is None:
        i = index[x] = len(names); names.append(x)
    return i
'''

IG_SCRIPT = r'''
import json, sys, time
import igraph as ig
tsv, qfile = sys.argv[1], sys.argv[2]
q = json.load(open(qfile))
t = time.perf_counter()
''' + NUMBERED + r'''edges, kind, lo, hi = [], [], [], []
with open(tsv) as f:
    next(f)
    for line in f:
        a, b, k, l, h, status, rid = line.rstrip("\n").split("\t")
        edges.append((vid(a), vid(b))); kind.append(k); lo.append(int(l)); hi.append(int(h))
g = ig.Graph(n=len(names), edges=edges, directed=False, edge_attrs={"kind": kind, "lo": lo, "hi": hi})
load_s = time.perf_counter() - t
kinds, day = q["kinds"], q["day"]
t = time.perf_counter()
sel = g.es.select(kind_in=kinds, lo_le=day, hi_ge=day)
filtered = g.subgraph_edges(sel, delete_vertices=False)
subgraph_s = time.perf_counter() - t
def paths(view, pairs):
    times, sizes = [], []
    for a, b in pairs:
        t = time.perf_counter()
        p = view.get_shortest_path(index[a], index[b])
        times.append(time.perf_counter() - t); sizes.append(len(p) - 1 if p else -1)
    return {"times": times, "sizes": sizes}
res = {}
for name, view in [("filtered", filtered), ("unfiltered", g)]:
    times, sizes = [], []
    for s in q["starts"]:
        t = time.perf_counter()
        n = len(view.neighborhood(index[s], order=2))
        times.append(time.perf_counter() - t); sizes.append(n)
    res["neighbourhood_" + name] = {"times": times, "sizes": sizes}
    res["path_" + name] = paths(view, q["pairs"])
res["path_linked"] = paths(filtered, q["linked_pairs"])
print(json.dumps({"tool": "igraph", "load_s": load_s, "subgraph_s": subgraph_s, "results": res}))
'''


RX_SCRIPT = r'''
import json, sys, time
import rustworkx as rx
tsv, qfile = sys.argv[1], sys.argv[2]
q = json.load(open(qfile))
t = time.perf_counter()
''' + NUMBERED + r'''edges = []
with open(tsv) as f:
    next(f)
    for line in f:
        a, b, k, l, h, status, rid = line.rstrip("\n").split("\t")
        edges.append((vid(a), vid(b), (k, int(l), int(h))))
g = rx.PyGraph(multigraph=True)
g.add_nodes_from(names)
g.add_edges_from(edges)
load_s = time.perf_counter() - t
kinds, day = set(q["kinds"]), q["day"]
# rustworkx has no filtered view: the filtered graph is built once, as
# igraph's is (timed apart).
t = time.perf_counter()
filtered = rx.PyGraph(multigraph=True)
filtered.add_nodes_from(names)
filtered.add_edges_from([(a, b, w) for (a, b, w) in edges if w[0] in kinds and w[1] <= day <= w[2]])
subgraph_s = time.perf_counter() - t
def within2(view, s):
    seen = {s}
    frontier = [s]
    for _ in range(2):
        nxt = []
        for u in frontier:
            for v in view.neighbors(u):
                if v not in seen:
                    seen.add(v); nxt.append(v)
        frontier = nxt
    return len(seen)
def paths(view, pairs):
    times, sizes = [], []
    for a, b in pairs:
        t = time.perf_counter()
        found = rx.graph_dijkstra_shortest_paths(view, index[a], target=index[b], default_weight=1.0)
        p = found[index[b]] if index[b] in found else None
        times.append(time.perf_counter() - t); sizes.append(len(p) - 1 if p else -1)
    return {"times": times, "sizes": sizes}
res = {}
for name, view in [("filtered", filtered), ("unfiltered", g)]:
    times, sizes = [], []
    for s in q["starts"]:
        t = time.perf_counter()
        n = within2(view, index[s])
        times.append(time.perf_counter() - t); sizes.append(n)
    res["neighbourhood_" + name] = {"times": times, "sizes": sizes}
    res["path_" + name] = paths(view, q["pairs"])
res["path_linked"] = paths(filtered, q["linked_pairs"])
print(json.dumps({"tool": "rustworkx", "load_s": load_s, "subgraph_s": subgraph_s, "results": res}))
'''

LB_SCRIPT = r'''
import json, os, sys, time
import ladybug as lb
tsv, qfile, work = sys.argv[1], sys.argv[2], sys.argv[3]
q = json.load(open(qfile))
# The node list Ladybug's COPY needs, from the TSV (not timed: a user has it).
nodes = os.path.join(work, "ladybug-nodes.csv")
seen = set()
with open(tsv) as f, open(nodes, "w") as out:
    next(f)
    for line in f:
        a, b = line.split("\t", 2)[:2]
        for x in (a, b):
            if x not in seen:
                seen.add(x); out.write(x + "\n")
# Ladybug tells a file's format by its name: the TSV under a .csv name.
edges = os.path.join(work, "ladybug-edges.csv")
if os.path.lexists(edges):
    os.remove(edges)
os.symlink(os.path.abspath(tsv), edges)
conn = lb.Connection(lb.Database(":memory:"))
t = time.perf_counter()
conn.execute("CREATE NODE TABLE Entity(id STRING PRIMARY KEY)")
conn.execute("CREATE REL TABLE Rel(FROM Entity TO Entity, kind STRING, lo INT64, hi INT64, status STRING, rid STRING)")
conn.execute(f"COPY Entity FROM '{nodes}' (header=false)")
conn.execute(f"COPY Rel FROM '{edges}' (header=true, delim='\\t')")
load_s = time.perf_counter() - t
params = {"kinds": q["kinds"], "day": q["day"]}
FILTER = {"filtered": "(e, n | WHERE e.kind IN $kinds AND e.lo <= $day AND e.hi >= $day)", "unfiltered": ""}
def one(query, **p):
    r = conn.execute(query, {**params, **p} if "$kinds" in query else p)
    return r.get_next() if r.has_next() else None
def paths(name, pairs):
    times, sizes = [], []
    query = ("MATCH p = (a:Entity {id: $a})-[r:Rel* SHORTEST 1..30 " + FILTER[name] + "]-(b:Entity {id: $b}) "
             "RETURN length(p)")
    for a, b in pairs:
        t = time.perf_counter()
        row = one(query, a=a, b=b)
        times.append(time.perf_counter() - t); sizes.append(row[0] if row else -1)
    return {"times": times, "sizes": sizes}
res = {}
for name in ("filtered", "unfiltered"):
    times, sizes = [], []
    query = ("MATCH (a:Entity {id: $s})-[r:Rel*1..2 " + FILTER[name] + "]-(b:Entity) "
             "RETURN collect(DISTINCT b.id)")
    for s in q["starts"]:
        t = time.perf_counter()
        row = one(query, s=s)
        members = set(row[0]) if row and row[0] else set()
        members.add(s)
        times.append(time.perf_counter() - t); sizes.append(len(members))
    res["neighbourhood_" + name] = {"times": times, "sizes": sizes}
    res["path_" + name] = paths(name, q["pairs"])
res["path_linked"] = paths("filtered", q["linked_pairs"])
print(json.dumps({"tool": "ladybug", "load_s": load_s, "results": res}))
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--work", default="/tmp/healthgraph-bench")
    args = ap.parse_args()
    ensure("networkx", "networkx")
    ensure("igraph", "igraph")
    ensure("rustworkx", "rustworkx")
    ensure("ladybug", "ladybug")
    ensure("matplotlib", "matplotlib")
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    subprocess.check_call(["cargo", "build", "--quiet", "--release", "--example", "synth", "--bin", "healthgraph"], cwd=ROOT)
    subprocess.check_call(["cargo", "build", "--quiet", "--release", "--bench", "runner"], cwd=ROOT)
    runner = subprocess.check_output(
        ["cargo", "bench", "--no-run", "--bench", "runner", "--message-format", "json"], cwd=ROOT, text=True)
    runner_bin = [json.loads(l)["executable"] for l in runner.splitlines()
                  if '"executable"' in l and json.loads(l).get("executable") and "runner" in json.loads(l)["executable"]][-1]
    nx_py = os.path.join(args.work, "nx_run.py")
    ig_py = os.path.join(args.work, "ig_run.py")
    open(nx_py, "w").write(NX_SCRIPT)
    open(ig_py, "w").write(IG_SCRIPT)
    rx_py = os.path.join(args.work, "rx_run.py")
    lb_py = os.path.join(args.work, "lb_run.py")
    open(rx_py, "w").write(RX_SCRIPT)
    open(lb_py, "w").write(LB_SCRIPT)
    synth = os.path.join(ROOT, "target", "release", "examples", "synth")
    command = os.path.join(ROOT, "target", "release", "healthgraph")
    report = {"machine": machine(), "sizes": {}}
    for n in args.sizes:
        ron = os.path.join(args.work, f"synth-{n}.ron")
        tsv = os.path.join(args.work, f"synth-{n}.tsv")
        for path, fmt in [(ron, "ron"), (tsv, "tsv")]:
            with open(path, "w") as out:
                subprocess.check_call([synth, "--entities", str(n), "--seed", str(args.seed), "--format", fmt], stdout=out)
        # The same graph as a binary snapshot, which healthgraph opens instead.
        snap = os.path.join(args.work, f"synth-{n}.snapshot")
        subprocess.check_call([command, "export", "--data", ron, "--format", "snapshot", "--output", snap])
        # The same queries for every tool: start entities and pairs drawn
        # uniformly from the entities that have at least one relation.
        nodes = set()
        with open(tsv) as f:
            next(f)
            for line in f:
                a, b = line.split("\t", 2)[:2]
                nodes.add(a); nodes.add(b)
        nodes = sorted(nodes)
        rng = random.Random(args.seed)
        q = {"date": DATE, "day": DAY, "kinds": KINDS,
             "starts": rng.sample(nodes, args.queries),
             "pairs": [rng.sample(nodes, 2) for _ in range(args.queries)]}
        # Most such pairs have no path under the filter (which keeps a tenth
        # of the relations), so a second list draws both ends from the
        # filtered graph's largest connected part: every pair has a path.
        linked = largest_filtered_component(tsv)
        q["linked_pairs"] = [rng.sample(linked, 2) for _ in range(args.queries)]
        qfile = os.path.join(args.work, f"queries-{n}.json")
        json.dump(q, open(qfile, "w"))
        print(f"== {n} entities: {os.path.getsize(ron) >> 20} MiB RON, {os.path.getsize(tsv) >> 20} MiB TSV", flush=True)
        runs = {}
        for tool, cmd in [("healthgraph", [runner_bin, "--data", ron, "--queries", qfile]),
                          ("snapshot", [runner_bin, "--data", snap, "--queries", qfile]),
                          ("reference", [runner_bin, "--data", ron, "--queries", qfile, "--tsv", tsv]),
                          ("networkx", [sys.executable, nx_py, tsv, qfile]),
                          ("igraph", [sys.executable, ig_py, tsv, qfile]),
                          ("rustworkx", [sys.executable, rx_py, tsv, qfile]),
                          ("ladybug", [sys.executable, lb_py, tsv, qfile, args.work])]:
            t = time.perf_counter()
            outs, rss = run(cmd)
            # The snapshot run is healthgraph opening the other file.
            out = [o for o in outs if o["tool"] == (tool if tool != "snapshot" else "healthgraph")][-1]
            # The reference runs in the same process as a second healthgraph
            # load, so its peak memory is not its own: not reported.
            out["peak_mib"] = rss if tool != "reference" else None
            out["wall_s"] = time.perf_counter() - t
            runs[tool] = out
            print(f"   {tool}: load {out['load_s']:.2f} s, peak {rss:.0f} MiB", flush=True)
        check(runs)
        report["sizes"][str(n)] = runs
    json.dump(report, open(os.path.join(RESULTS, "results.json"), "w"), indent=1)
    table = render(report)
    open(os.path.join(RESULTS, "table.md"), "w").write(table)
    print(table)
    plot(report)


def largest_filtered_component(tsv):
    """The entities of the largest connected part of the graph that the filter
    keeps (relations of the kinds, holding on the day), sorted; union-find
    over the TSV, with the tools' own test of a relation."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kinds = set(KINDS)
    with open(tsv) as f:
        next(f)
        for line in f:
            a, b, kind, lo, hi = line.split("\t", 5)[:5]
            if kind in kinds and int(lo) <= DAY <= int(hi):
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[ra] = rb
    parts = {}
    for x in parent:
        parts.setdefault(root(x), []).append(x)
    return sorted(max(parts.values(), key=len))


def check(runs):
    """Every tool must give the same answers, or the timings mean nothing."""
    ours = runs["healthgraph"]["results"]
    for tool in ("snapshot", "reference", "networkx", "igraph", "rustworkx", "ladybug"):
        for key in ("neighbourhood_filtered", "neighbourhood_unfiltered", "path_filtered", "path_unfiltered",
                    "path_linked"):
            a, b = ours[key]["sizes"], runs[tool]["results"][key]["sizes"]
            if a != b:
                raise SystemExit(f"{tool} disagrees on {key}: {a[:10]} vs {b[:10]}")
    # The indexed view answers as the view does.
    for key in ("neighbourhood_filtered", "path_filtered", "path_linked"):
        if key + "_indexed" in ours and ours[key + "_indexed"]["sizes"] != ours[key]["sizes"]:
            raise SystemExit(f"the indexed view disagrees on {key}")


def med(run, key):
    return statistics.median(run["results"][key]["times"])


def machine():
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/{print $2}'"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, Linux; Python {sys.version.split()[0]}"


def fmt(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


# The peers, in the order of the table's columns.
PEERS = [("networkx", "NetworkX"), ("igraph", "igraph"), ("rustworkx", "rustworkx"), ("ladybug", "Ladybug")]


def render(report):
    lines = [f"Machine: {report['machine']}", ""]
    for n, runs in report["sizes"].items():
        h, r = runs["healthgraph"], runs["reference"]
        peers = [(key, label) for key, label in PEERS if key in runs]
        lines += [f"### {int(n):,} entities, {len(h['results']['path_filtered']['times'])} queries each", "",
                  "| measure | healthgraph | plain arrays (reference) | " + " | ".join(l for _, l in peers)
                  + " | healthgraph / reference | " + " | ".join(f"{l} / healthgraph" for _, l in peers) + " |",
                  "|---|---|---|" + "---|" * (2 * len(peers) + 1)]
        blank = " |" * len(peers)

        def row(label, ours, ref, theirs, ratio_ref="", ratios=None, digits=1):
            ratios = ratios if ratios is not None else [
                f"{t / ours:.{digits}f}×" if t is not None and ours else "" for t in theirs]
            cells = [fmt(t) if t is not None else "" for t in theirs]
            return (f"| {label} | {fmt(ours) if ours is not None else ''} | {fmt(ref) if ref is not None else ''} | "
                    + " | ".join(cells) + f" | {ratio_ref} | " + " | ".join(ratios) + " |")

        lines.append(row("load, own timer (healthgraph: RON, parse + validate + build; NetworkX, igraph, rustworkx: TSV; Ladybug: COPY of the TSV)",
                         h["load_s"], r["load_s"], [runs[k]["load_s"] for k, _ in peers]))
        if "snapshot" in runs:
            sn = runs["snapshot"]
            lines.append(row("open the binary snapshot of the same graph, own timer (healthgraph)", sn["load_s"], r["load_s"],
                             [runs[k]["load_s"] for k, _ in peers], f"{sn['load_s'] / r['load_s']:.1f}×"))
            lines.append(f"| snapshot / RON loading, healthgraph | {sn['load_s'] / h['load_s']:.2f}× | |{blank} |{blank}")
            lines.append(f"| peak memory, whole process, from the snapshot | {sn['peak_mib']:.0f} MiB | |{blank} | "
                         + " | ".join(f"{runs[k]['peak_mib'] / sn['peak_mib']:.2f}×" for k, _ in peers) + " |")
        lines.append(f"| peak memory, whole process | {h['peak_mib']:.0f} MiB | | "
                     + " | ".join(f"{runs[k]['peak_mib']:.0f} MiB" for k, _ in peers) + " | | "
                     + " | ".join(f"{runs[k]['peak_mib'] / h['peak_mib']:.2f}×" for k, _ in peers) + " |")
        for k, label in peers:
            if "subgraph_s" in runs[k]:
                cells = [fmt(runs[k]["subgraph_s"]) if kk == k else "" for kk, _ in peers]
                lines.append(f"| {label}: building the filtered graph, once per filter | | | " + " | ".join(cells) + f" | |{blank}")
        for key, label in [("neighbourhood_filtered", "depth-2 neighbourhood (members, distances), filtered"),
                           ("neighbourhood_unfiltered", "depth-2 neighbourhood (members, distances), unfiltered"),
                           ("path_filtered", "shortest path, filtered, random pairs (most have no path)"),
                           ("path_linked", "shortest path, filtered, pairs with a path"),
                           ("path_unfiltered", "shortest path, unfiltered")]:
            ours, ref = med(h, key), med(r, key)
            lines.append(row(f"{label} (median)", ours, ref, [med(runs[k], key) for k, _ in peers], f"{ours / ref:.1f}×"))
        # The filtered view with its steps listed once (`View::indexed`),
        # beside the peers' filtered graphs built once.
        if "index_filtered" in h["results"]:
            lines.append(f"| healthgraph: listing the filtered view's steps once (`View::indexed`), once per filter "
                         f"| {fmt(med(h, 'index_filtered'))} | |{blank} |{blank}")
            for key, base, label in [
                    ("neighbourhood_filtered_indexed", "neighbourhood_filtered",
                     "depth-2 neighbourhood (members, distances), filtered, on the indexed view"),
                    ("path_filtered_indexed", "path_filtered",
                     "shortest path, filtered, random pairs, on the indexed view"),
                    ("path_linked_indexed", "path_linked",
                     "shortest path, filtered, pairs with a path, on the indexed view")]:
                ours, ref = med(h, key), med(r, base)
                lines.append(row(f"{label} (median)", ours, ref, [med(runs[k], base) for k, _ in peers],
                                 f"{ours / ref:.1f}×"))
        for key, label in [("ego_network_filtered", "ego network with the relations among members, filtered (median)"),
                           ("ego_network_unfiltered", "ego network with the relations among members, unfiltered (median)"),
                           ("in_force_first", "agreements in force on the date, first call (builds the id order)"),
                           ("in_force_again", "agreements in force on the date, next calls"),
                           ("search_first", "search `benh vien ha noi`, first call (folds and indexes every name once)"),
                           ("search_again", "search `benh vien ha noi`, next calls")]:
            lines.append(f"| {label}; healthgraph only | {fmt(med(h, key))} | |{blank} |{blank}")
        lines.append("")
    return "\n".join(lines)


def plot(report):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sizes = sorted(int(n) for n in report["sizes"])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, key, title in [(axes[0], "neighbourhood_filtered", "filtered depth-2 neighbourhood"),
                           (axes[1], "path_filtered", "filtered shortest path, random pairs"),
                           (axes[2], "path_linked", "filtered shortest path, pairs with a path")]:
        for tool, style in [("healthgraph", "o-"), ("reference", "x-"), ("networkx", "s--"), ("igraph", "^:"),
                            ("rustworkx", "d-."), ("ladybug", "v--")]:
            if all(tool in report["sizes"][str(n)] for n in sizes):
                ax.plot(sizes, [med(report["sizes"][str(n)][tool], key) for n in sizes], style, label=tool)
        ax.set_xscale("log"); ax.set_yscale("log")
        ax.set_xlabel("entities (relations: 5×)"); ax.set_ylabel("median time per query (s)")
        ax.set_title(title); ax.grid(True, which="both", alpha=0.3); ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(RESULTS, "scaling.png"), dpi=110)


if __name__ == "__main__":
    main()
