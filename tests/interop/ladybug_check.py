"""The kuzu export, loaded into Ladybug (the maintained fork of Kuzu, an
embedded Cypher database) by its own schema.cypher, answers in Cypher what
the library answers.

    python tests/interop/ladybug_check.py FOLDER EXPORT.json PARTNERS.json PATH.json

FOLDER is `healthgraph export --format kuzu --output FOLDER`; EXPORT.json is
the lossless JSON of the same graph; PARTNERS.json and PATH.json are the
command's JSON answers to `partners karolinska-institute` and
`path ap-hp karolinska-institute` (the partnership relations, the default).
Run by .ci/run in a virtual environment with ladybug installed.
"""
import calendar
import datetime
import json
import os
import sys

import ladybug as lb

PARTNERSHIP = ["mou", "renewal", "visit", "training", "cooperation"]


def days(text):
    """The first and last day a date as written can mean."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    first = datetime.date(year, parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    month = parts[1] if len(parts) > 1 else 12
    last = datetime.date(year, month, parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1])
    return first, last


def rows(conn, query, **parameters):
    result = conn.execute(query, parameters)
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def main(folder, lossless, partners, path):
    data = json.load(open(lossless, encoding="utf-8"))
    want_partners = {e["id"] for e in json.load(open(partners, encoding="utf-8"))["entities"]}
    hops = json.load(open(path, encoding="utf-8"))["paths"][0]["hops"]
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    # The script runs as it is, from its folder.
    os.chdir(folder)
    conn = lb.Connection(lb.Database(":memory:"))
    conn.execute(open("schema.cypher", encoding="utf-8").read())

    entities = {r[0]: r for r in rows(conn, "MATCH (e:Entity) RETURN e.id, e.kind, e.name, e.name_en, e.country, e.sources")}
    expect("entities", set(entities), {e["id"] for e in data["entities"]})
    for e in data["entities"]:
        got = entities.get(e["id"])
        if got:
            expect(f"{e['id']}", list(got[1:]), [e["kind"], e["name"], e.get("name_en"), e.get("country"), e.get("sources", [])])
    relations = {
        r[0]: r
        for r in rows(
            conn,
            "MATCH (a:Entity)-[r:Relation]->(b:Entity) RETURN r.id, a.id, b.id, r.kind, r.status, "
            "r.start_text, r.start_first_day, r.start_last_day, r.end_text, r.end_first_day, r.end_last_day, r.sources",
        )
    }
    expect("relations", set(relations), {r["id"] for r in data["relations"]})
    for r in data["relations"]:
        got = relations.get(r["id"])
        if not got:
            continue
        start = days(r["start"]) if r.get("start") else (None, None)
        end = days(r["end"]) if r.get("end") else (None, None)
        want = [r["from"], r["to"], r["kind"], r["status"], r.get("start"), *start, r.get("end"), *end, r.get("sources", [])]
        expect(r["id"], list(got[1:]), want)

    # Karolinska's partners.
    got = {
        row[0]
        for row in rows(
            conn,
            "MATCH (k:Entity {id: 'karolinska-institute'})-[r:Relation]-(p:Entity) "
            "WHERE r.kind IN $kinds RETURN DISTINCT p.id",
            kinds=PARTNERSHIP,
        )
    }
    expect("Karolinska's partners", got, want_partners)

    # The length of the shortest path from AP-HP to Karolinska.
    got = rows(
        conn,
        "MATCH p = (a:Entity {id: 'ap-hp'})-[r:Relation* SHORTEST 1..30 (e, n | WHERE e.kind IN $kinds)]-"
        "(b:Entity {id: 'karolinska-institute'}) RETURN length(p)",
        kinds=PARTNERSHIP,
    )
    expect("shortest path length", [row[0] for row in got][:1], [len(hops)])

    if failures:
        print("\n".join(failures[:40]))
        print(f"{len(failures)} differences")
        return 1
    print(
        f"ladybug: {len(entities)} entities and {len(relations)} relations agree; "
        f"Karolinska's {len(want_partners)} partners and the {len(hops)}-hop shortest path as the library"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
