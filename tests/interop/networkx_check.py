"""The GraphML and GEXF exports read by NetworkX give back the library's
entities, relations, kinds and intervals.

    python tests/interop/networkx_check.py EXPORT.graphml EXPORT.gexf EXPORT.json

EXPORT.json is the lossless JSON of the same graph (the library's answers).
Run by .ci/run in a virtual environment with networkx installed.
"""
import calendar
import json
import sys

import networkx as nx


def first_day(date):
    parts = date.split("-")
    year, month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def last_day(date):
    parts = date.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 12
    day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def main(graphml, gexf, lossless):
    data = json.load(open(lossless, encoding="utf-8"))
    entities = {e["id"]: e for e in data.get("entities", [])}
    relations = {r["id"]: r for r in data.get("relations", [])}
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    g = nx.read_graphml(graphml)
    expect("GraphML entities", set(g.nodes), set(entities))
    edges = {key: (u, v, d) for u, v, key, d in g.edges(keys=True, data=True)}
    expect("GraphML relations", set(edges), set(relations))
    for rid, (u, v, d) in edges.items():
        r = relations.get(rid, {})
        expect(f"GraphML {rid} ends", (u, v), (r.get("from"), r.get("to")))
        expect(f"GraphML {rid} kind", d.get("kind"), r.get("kind"))
        expect(f"GraphML {rid} start", d.get("start"), r.get("start"))
        expect(f"GraphML {rid} end", d.get("end"), r.get("end"))
    for eid, attrs in g.nodes(data=True):
        expect(f"GraphML {eid} name", attrs.get("name"), entities.get(eid, {}).get("name"))
        expect(f"GraphML {eid} kind", attrs.get("kind"), entities.get(eid, {}).get("kind"))

    h = nx.read_gexf(gexf)
    expect("GEXF entities", set(h.nodes), set(entities))
    edges = {key: (u, v, d) for u, v, key, d in h.edges(keys=True, data=True)}
    expect("GEXF relations", set(edges), set(relations))
    for rid, (u, v, d) in edges.items():
        r = relations.get(rid, {})
        expect(f"GEXF {rid} ends", (u, v), (r.get("from"), r.get("to")))
        expect(f"GEXF {rid} kind", d.get("relation_kind"), r.get("kind"))
        # The interval: from the start's first day to the end's last day.
        expect(f"GEXF {rid} interval start", d.get("start"), first_day(r["start"]) if r.get("start") else None)
        expect(f"GEXF {rid} interval end", d.get("end"), last_day(r["end"]) if r.get("end") else None)
    for eid, attrs in h.nodes(data=True):
        expect(f"GEXF {eid} label", attrs.get("label"), entities.get(eid, {}).get("name"))

    if failures:
        print("\n".join(failures[:40]))
        print(f"{len(failures)} differences")
        return 1
    print(f"networkx: {len(entities)} entities and {len(relations)} relations agree (GraphML, GEXF)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
