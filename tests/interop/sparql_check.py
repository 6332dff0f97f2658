"""The Turtle export, loaded into a real SPARQL store (pyoxigraph), answers
in SPARQL what the library answers.

    python tests/interop/sparql_check.py EXPORT.ttl EXPORT.json PARTNERS.json AGREEMENTS.json PATH.json

EXPORT.json is the lossless JSON of the same graph; PARTNERS.json,
AGREEMENTS.json and PATH.json are the command's JSON answers to
`partners karolinska-institute`, `agreements --on 2026-01-01` and
`path ap-hp karolinska-institute` (the partnership relations, the default).
Run by .ci/run in a virtual environment with pyoxigraph installed.
"""
import calendar
import json
import sys

import pyoxigraph as ox

PREFIXES = """
PREFIX hg: <https://w3id.org/healthgraph/vocab#>
PREFIX entity: <https://w3id.org/healthgraph/entity/>
PREFIX relation: <https://w3id.org/healthgraph/relation/>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ENTITY = "https://w3id.org/healthgraph/entity/"
RELATION = "https://w3id.org/healthgraph/relation/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The partnership group, as the command's default view; one step along any
# of its direct triples, either way.
PARTNERSHIP = ["mou", "renewal", "visit", "training", "cooperation"]
STEP = "(" + "|".join(f"hg:{k}|^hg:{k}" for k in PARTNERSHIP) + ")"


def first_day(date):
    parts = [int(p) for p in date.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def last_day(date):
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def local(term, base):
    assert term.value.startswith(base), term
    return term.value[len(base):]


def main(turtle, lossless, partners, agreements, path):
    store = ox.Store()
    with open(turtle, "rb") as f:
        store.load(f, ox.RdfFormat.TURTLE)
    data = json.load(open(lossless, encoding="utf-8"))
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    def select(query):
        return list(store.query(PREFIXES + query))

    def ask(query):
        return bool(store.query(PREFIXES + query))

    # Every entity and relation is there, and each date keeps its precision.
    got = {local(s["e"], ENTITY) for s in select("SELECT ?e { ?e hg:kind ?k FILTER(STRSTARTS(STR(?e), STR(entity:))) }")}
    expect("entities", got, {e["id"] for e in data.get("entities", [])})
    dates = {}
    for s in select("""SELECT ?r ?p ?d ?first ?last {
        ?r a hg:Relation .
        VALUES (?p ?fp ?lp) { (schema:startDate hg:startFirstDay hg:startLastDay) (schema:endDate hg:endFirstDay hg:endLastDay) }
        ?r ?p ?d ; ?fp ?first ; ?lp ?last }"""):
        field = "start" if s["p"].value.endswith("startDate") else "end"
        dates[(local(s["r"], RELATION), field)] = (s["d"], s["first"].value, s["last"].value)
    types = {4: "gYear", 7: "gYearMonth", 10: "date"}
    for r in data.get("relations", []):
        for field in ("start", "end"):
            text = r.get(field)
            got = dates.get((r["id"], field))
            if text is None:
                expect(f"{r['id']} {field}", got, None)
                continue
            if got is None:
                failures.append(f"{r['id']} {field}: missing")
                continue
            literal, first, last = got
            expect(f"{r['id']} {field} text", literal.value, text)
            expect(f"{r['id']} {field} type", literal.datatype.value, XSD + types[len(text)])
            expect(f"{r['id']} {field} first day", first, first_day(text))
            expect(f"{r['id']} {field} last day", last, last_day(text))
    expect("relations", len({k[0] for k in dates} | {r["id"] for r in data["relations"] if not r.get("start") and not r.get("end")}), len(data["relations"]))

    # Karolinska's partners.
    want = {e["id"] for e in json.load(open(partners, encoding="utf-8"))["entities"]}
    got = {local(s["p"], ENTITY) for s in select(f"SELECT DISTINCT ?p {{ entity:karolinska-institute {STEP} ?p }}")}
    expect("Karolinska's partners", got, want)

    # The agreements in force on 2026-01-01: signed or ongoing, the start's
    # last day on or before the date and the end's first day on or after it,
    # and no renewal of it that may have started.
    on = json.load(open(agreements, encoding="utf-8"))
    day = f'"{on["on"]}"^^xsd:date'
    got = {local(s["r"], RELATION) for s in select(f"""SELECT ?r {{
        ?r a hg:Relation ; hg:kind ?kind ; hg:status ?status ; hg:startLastDay ?sl ; hg:endFirstDay ?ef .
        FILTER(?kind IN ("mou", "renewal", "cooperation") && ?status IN ("signed", "ongoing"))
        FILTER(?sl <= {day} && {day} <= ?ef)
        FILTER NOT EXISTS {{
            ?n hg:renews ?r ; hg:kind ?nk ; hg:status ?ns .
            FILTER(?nk IN ("mou", "renewal", "cooperation") && ?ns IN ("signed", "ongoing"))
            OPTIONAL {{ ?n hg:startFirstDay ?nf }}
            FILTER(!BOUND(?nf) || ?nf <= {day})
        }}
    }}""")}
    expect(f"in force on {on['on']}", got, {r["id"] for r in on["in_force"]})

    # The path from AP-HP to Karolinska: reachable by a property path, each
    # hop of the library's path a step, and no shorter sequence of steps.
    hops = json.load(open(path, encoding="utf-8"))["paths"][0]["hops"]
    expect("AP-HP reaches Karolinska", ask(f"ASK {{ entity:ap-hp {STEP}+ entity:karolinska-institute }}"), True)
    for hop in hops:
        expect(f"hop {hop['from']} -> {hop['to']}", ask(f"ASK {{ entity:{hop['from']} {STEP} entity:{hop['to']} }}"), True)
    shortest = next(
        (k for k in range(1, 12) if ask(f"ASK {{ entity:ap-hp {'/'.join([STEP] * k)} entity:karolinska-institute }}")),
        None,
    )
    expect("shortest path length", shortest, len(hops))

    if failures:
        print("\n".join(failures[:40]))
        print(f"{len(failures)} differences")
        return 1
    print(
        f"oxigraph: {len(store)} triples; partners ({len(want)}), agreements in force on {on['on']}, "
        f"and the {len(hops)}-hop path agree with the library"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
