#!/usr/bin/env python3
"""The formats' targets, measured in one run on one synthetic graph:

    python3 benches/formats.py                       # 1M entities, about 5M relations
    python3 benches/formats.py --entities 100000     # a quicker run

- CSV import: `healthgraph validate FOLDER` (the whole process: read, check
  every rule, build the graph) against NetworkX reading the same graph's TSV
  edge list into a MultiDiGraph with its attributes (NetworkX's own timer
  around the read alone). Peak memory of each process.
- Exports: `healthgraph export --data SNAPSHOT --format F --output …` for
  every format; its time less the time to open the snapshot alone (the
  median of three `validate SNAPSHOT` runs), and its peak memory against that
  of opening the snapshot alone (the loaded graph). Against NetworkX's
  `write_graphml` and `write_gexf` of the graph it read (its own timer
  around each write).

Each tool runs in its own process under /usr/bin/time -v. NetworkX is
installed from PyPI if missing. Writes benches/results/formats.json and
benches/results/formats.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benches", "results")
FORMATS = ["json", "csv", "graphml", "gexf", "turtle", "ntriples", "neo4j", "kuzu"]

NX_SCRIPT = r'''
import json, sys, time
import networkx as nx
tsv, out, write = sys.argv[1], sys.argv[2], sys.argv[3] == "write"
t = time.perf_counter()
g = nx.MultiDiGraph()
with open(tsv) as f:
    next(f)
    for line in f:
        a, b, kind, lo, hi, status, rid = line.rstrip("\n").split("\t")
        g.add_edge(a, b, key=rid, kind=kind, lo=int(lo), hi=int(hi), status=status)
result = {"read_s": time.perf_counter() - t, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
if write:
    t = time.perf_counter()
    nx.write_graphml(g, out + ".graphml")
    result["graphml_s"] = time.perf_counter() - t
    t = time.perf_counter()
    nx.write_gexf(g, out + ".gexf")
    result["gexf_s"] = time.perf_counter() - t
print(json.dumps(result))
'''


def run(cmd):
    """Runs `cmd` under /usr/bin/time -v: (wall seconds, peak MiB, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"{' '.join(cmd)} failed")
    peak = next(int(l.split(":")[1]) / 1024 for l in p.stderr.splitlines() if "Maximum resident set size" in l)
    return wall, peak, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", default="/tmp/healthgraph-formats")
    args = ap.parse_args()
    try:
        import networkx  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "networkx"])
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    subprocess.check_call(["cargo", "build", "--quiet", "--release", "--example", "synth", "--bin", "healthgraph"], cwd=ROOT)
    synth = os.path.join(ROOT, "target", "release", "examples", "synth")
    hg = os.path.join(ROOT, "target", "release", "healthgraph")
    n, w = args.entities, args.work
    ron, tsv, snap = (os.path.join(w, f"synth-{n}.{ext}") for ext in ("ron", "tsv", "snapshot"))
    for path, fmt in [(ron, "ron"), (tsv, "tsv")]:
        with open(path, "w") as out:
            subprocess.check_call([synth, "--entities", str(n), "--seed", str(args.seed), "--format", fmt], stdout=out)
    subprocess.check_call([hg, "export", "--data", ron, "--format", "snapshot", "--output", snap])
    folder = os.path.join(w, f"synth-{n}-csv")
    subprocess.check_call([hg, "export", "--data", ron, "--kinds", "all", "--format", "csv", "--output", folder])
    nx_py = os.path.join(w, "nx_formats.py")
    open(nx_py, "w").write(NX_SCRIPT)
    report = {"entities": n, "seed": args.seed}

    # CSV import against NetworkX reading the TSV.
    wall, peak, _ = run([hg, "validate", folder])
    report["csv_import"] = {"healthgraph_s": wall, "healthgraph_peak_mib": peak}
    print(f"healthgraph reads the CSV folder: {wall:.2f} s, peak {peak:.0f} MiB", flush=True)
    _, peak, out = run([sys.executable, nx_py, tsv, os.path.join(w, "nx"), "read"])
    nx_read = json.loads(out.splitlines()[-1])
    report["csv_import"].update({"networkx_s": nx_read["read_s"], "networkx_peak_mib": peak})
    print(f"networkx reads the TSV: {nx_read['read_s']:.2f} s, peak {peak:.0f} MiB "
          f"({nx_read['nodes']} nodes, {nx_read['edges']} edges)", flush=True)

    # The loaded graph alone: open the snapshot.
    opens = [run([hg, "validate", snap]) for _ in range(3)]
    open_s = statistics.median(o[0] for o in opens)
    open_peak = max(o[1] for o in opens)
    report["snapshot_open"] = {"s": open_s, "peak_mib": open_peak}
    print(f"healthgraph opens the snapshot: {open_s:.2f} s, peak {open_peak:.0f} MiB", flush=True)

    report["exports"] = {}
    for fmt in FORMATS:
        target = os.path.join(w, f"out.{fmt}")
        wall, peak, _ = run([hg, "export", "--data", snap, "--kinds", "all", "--format", fmt, "--output", target])
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(target) for f in fs) \
            if os.path.isdir(target) else os.path.getsize(target)
        report["exports"][fmt] = {"wall_s": wall, "export_s": wall - open_s, "peak_mib": peak,
                                  "over_graph_mib": peak - open_peak, "bytes": size}
        print(f"export {fmt}: {wall - open_s:.2f} s beyond opening, peak {peak:.0f} MiB "
              f"(+{peak - open_peak:.0f} over the graph), {size >> 20} MiB", flush=True)

    _, peak, out = run([sys.executable, nx_py, tsv, os.path.join(w, "nx"), "write"])
    nx_write = json.loads(out.splitlines()[-1])
    report["networkx_write"] = {"graphml_s": nx_write["graphml_s"], "gexf_s": nx_write["gexf_s"], "peak_mib": peak}
    print(f"networkx writes GraphML {nx_write['graphml_s']:.2f} s, GEXF {nx_write['gexf_s']:.2f} s", flush=True)

    json.dump(report, open(os.path.join(RESULTS, "formats.json"), "w"), indent=1)
    table = render(report)
    open(os.path.join(RESULTS, "formats.md"), "w").write(table)
    print(table)


def render(r):
    c, e, x = r["csv_import"], r["exports"], r["networkx_write"]
    lines = [
        f"Formats, {r['entities']:,} entities (seed {r['seed']}), one run.",
        "",
        "| Measure | healthgraph | NetworkX | Ratio | Target |",
        "|---|---|---|---|---|",
        f"| CSV import time (TSV for NetworkX) | {c['healthgraph_s']:.2f} s | {c['networkx_s']:.2f} s "
        f"| {c['networkx_s'] / c['healthgraph_s']:.1f}x faster | 5x |",
        f"| CSV import peak memory | {c['healthgraph_peak_mib']:.0f} MiB | {c['networkx_peak_mib']:.0f} MiB "
        f"| {c['healthgraph_peak_mib'] / c['networkx_peak_mib']:.2f} | at most 0.5 |",
        f"| GraphML export | {e['graphml']['export_s']:.2f} s | {x['graphml_s']:.2f} s "
        f"| {x['graphml_s'] / max(e['graphml']['export_s'], 1e-9):.1f}x faster | 5x |",
        f"| GEXF export | {e['gexf']['export_s']:.2f} s | {x['gexf_s']:.2f} s "
        f"| {x['gexf_s'] / max(e['gexf']['export_s'], 1e-9):.1f}x faster | 5x |",
        "",
        f"The loaded graph (opening the snapshot): {r['snapshot_open']['peak_mib']:.0f} MiB, "
        f"{r['snapshot_open']['s']:.2f} s.",
        "",
        "| Export | Time beyond opening | Peak | Over the loaded graph | Size |",
        "|---|---|---|---|---|",
    ]
    for fmt, v in e.items():
        lines.append(f"| {fmt} | {v['export_s']:.2f} s | {v['peak_mib']:.0f} MiB | {v['over_graph_mib']:+.0f} MiB "
                     f"| {v['bytes'] / 2**20:.0f} MiB |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
