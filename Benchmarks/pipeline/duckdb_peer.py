#!/usr/bin/env python3
"""DuckDB peer of the Lagesbild pipeline benchmark (Benchmarks/pipeline/run.sh).

Does the persisted work of ingest + normalize + aggregate on the same generated files with DuckDB:
loads the police events (Windows-1252, read as latin-1: the generated files hold no byte in 0x80-0x9F),
the population (PX-Web CSV) and the code lists into a DuckDB database file, then computes the police
indicator table: counts and rates per 100 000 inhabitants by municipality, crime category ('all' and
every category of crime_categories.csv) and year, applying the pipeline's checks (crime code in Brå's
list, a real date, rows with the wrong number of fields dropped). Also runs the same aggregate directly
on the CSV files (no database file).

Then compares with Lagesbild's indicator_values (workspace SQLite, read with sqlite3) and prints a
report; exits 1 when the numbers disagree.

Every value of the table is compared: each municipality in the files (the generated pipeline's scope
covers them all: county or country), each category and year — count, population and rate.
"""

import argparse
import glob
import json
import os
import re
import sqlite3
import sys
import time

import duckdb

PIPELINE_MUNICIPALITY = "1380"


def police_source(data, municipality_column):
    files = sorted(glob.glob(os.path.join(data, "police", "brott_*.csv")))
    file_list = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
    kommun = "Kommun" if municipality_column else f"'{PIPELINE_MUNICIPALITY}'"
    # all_varchar keeps codes as text (0301); ignore_errors drops rows with the wrong number of fields,
    # as Lagesbild's reader quarantines them.
    return files, f"""
        SELECT Brottskod AS crime_code, Brottsdatum AS event_date, Klockslag AS event_time,
               {kommun} AS municipality_code, "Område" AS area, DeSO AS deso, X AS x, Y AS y,
               Plats AS place
        FROM read_csv({file_list}, delim=';', header=true, quote='"', escape='"', encoding='latin-1',
                      all_varchar=true, ignore_errors=true, parallel=true)
    """


def population_source(data):
    path = os.path.join(data, "population", "befolkning.csv").replace("'", "''")
    return f"""
        SELECT * FROM read_csv('{path}', delim=',', skip=2, header=true, encoding='latin-1', all_varchar=true)
    """


def codelist(path):
    path = path.replace("'", "''")
    return f"read_csv('{path}', delim=';', header=true, all_varchar=true)"


AGGREGATE = """
    WITH valid AS (
        SELECT e.municipality_code, year(try_strptime(e.event_date, '%Y-%m-%d')) AS year, e.crime_code
        FROM {events} e SEMI JOIN {codes} c ON c.brottskod = e.crime_code
        WHERE try_strptime(e.event_date, '%Y-%m-%d') IS NOT NULL
    ),
    counts AS (
        SELECT municipality_code, 'all' AS category, year, count(*) AS n FROM valid GROUP BY ALL
        UNION ALL
        SELECT v.municipality_code, k.category, v.year, count(*) AS n
        FROM valid v JOIN (SELECT DISTINCT category, crime_code FROM {categories}) k ON k.crime_code = v.crime_code
        GROUP BY ALL
    ),
    pop AS (
        SELECT split_part(region, ' ', 1) AS area_code, CAST(year AS INTEGER) AS year,
               CAST(value AS BIGINT) AS population
        FROM (UNPIVOT (SELECT * FROM {population} WHERE "ålder" = 'totalt ålder' AND "kön" = 'totalt')
              ON COLUMNS('^[0-9]{{4}}$') INTO NAME year VALUE value)
    )
    SELECT c.municipality_code, c.category, c.year, c.n AS events, p.population,
           c.n / p.population * 100000 AS per_100k
    FROM counts c LEFT JOIN pop p ON p.area_code = c.municipality_code AND p.year = c.year
    ORDER BY ALL
"""


def run_duckdb(data, database, codelists, municipality_column, direct=True):
    if os.path.exists(database):
        os.remove(database)
    files, police = police_source(data, municipality_column)
    timings = {}
    con = duckdb.connect(database)
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE raw_events AS {police}")
    con.execute(f"CREATE TABLE population AS {population_source(data)}")
    con.execute(f"CREATE TABLE codelist_crime_codes AS SELECT * FROM {codelist(os.path.join(codelists, 'brottskoder.csv'))}")
    con.execute(
        "CREATE TABLE codelist_crime_categories AS SELECT * FROM "
        + codelist(os.path.join(codelists, "crime_categories.csv")))
    con.execute("CHECKPOINT")
    timings["load"] = time.perf_counter() - t0
    loaded = con.execute("SELECT count(*) FROM raw_events").fetchone()[0]

    t0 = time.perf_counter()
    sql = AGGREGATE.format(
        events="raw_events", codes="codelist_crime_codes", categories="codelist_crime_categories",
        population="population")
    con.execute(f"CREATE OR REPLACE TABLE indicator_values AS {sql}")
    con.execute("CHECKPOINT")
    timings["aggregate"] = time.perf_counter() - t0
    table = con.execute("SELECT * FROM indicator_values").fetchall()
    con.close()
    if not direct:
        return files, loaded, table, timings

    # The same on the CSV files directly, in memory (no database file).
    direct = duckdb.connect()
    t0 = time.perf_counter()
    sql = AGGREGATE.format(
        events=f"({police})", codes=codelist(os.path.join(codelists, "brottskoder.csv")),
        categories=codelist(os.path.join(codelists, "crime_categories.csv")),
        population=f"({population_source(data)})")
    direct_table = direct.execute(sql).fetchall()
    timings["direct_csv"] = time.perf_counter() - t0
    direct.close()
    if sorted(direct_table) != sorted(table):
        raise SystemExit("DuckDB's direct query and its database disagree")
    timings["threads"] = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    return files, loaded, table, timings


def lagesbild_values(workspace):
    con = sqlite3.connect(os.path.join(workspace, "lagesbild.sqlite"))
    rows = con.execute(
        "SELECT indicator_id, area_code, period, numerator, denominator, value, status FROM indicator_values "
        "WHERE area_level = 'municipality' AND breakdown = '' AND indicator_id LIKE '%per_100k'").fetchall()
    con.close()
    return rows


def compare(lagesbild, table):
    """Compares Lagesbild's per-100k indicators with DuckDB's table, every municipality, category and year;
    returns (problems, lines for 1380, values checked)."""
    duck = {(m, c, y): (n, p) for m, c, y, n, p, _rate in table}
    problems = []
    lines = []
    seen = set()
    for indicator, area, period, numerator, denominator, value, status in sorted(lagesbild):
        category = "all" if indicator == "anmalda_brott_per_100k" else indicator[: -len("_per_100k")]
        key = (area, category, int(period))
        seen.add(key)
        n, pop = duck.get(key, (0, None))
        if key not in duck:
            # No event of the category in that year: DuckDB has no row, Lagesbild an honest 0 (zero is a
            # number) over the municipality's population, which DuckDB's `all` row carries.
            pop = duck.get((area, "all", int(period)), (0, None))[1]
        expected = n / pop * 100000 if pop else None
        if status == "suppressed":
            ok = 0 < n < 3
        else:
            ok = (numerator == n and denominator == pop and expected is not None
                  and abs(value - expected) <= 1e-9 * max(1.0, abs(expected)))
        if not ok:
            problems.append(f"{indicator} {area} {period}: Lagesbild {numerator}/{denominator} = {value} "
                            f"({status}), DuckDB {n}/{pop} = {expected}")
        if category == "all" and area == PIPELINE_MUNICIPALITY:
            lines.append((int(period), numerator, value, n, expected))
    for key, (n, _pop) in sorted(duck.items()):
        if n > 0 and key not in seen and key[1] in {k[1] for k in seen}:
            problems.append(f"{key}: DuckDB has {n} events, Lagesbild has no value")
    return problems, lines, len(lagesbild)


def parse_time_v(path):
    """Wall seconds, CPU seconds and peak RSS (MB) from GNU time -v output."""
    if not path or not os.path.exists(path):
        return None
    text = open(path).read()

    def field(name):
        m = re.search(re.escape(name) + r":\s*(.+)", text)
        return m.group(1).strip() if m else None
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    return dict(wall=seconds, user=float(field("User time (seconds)")), system=float(field("System time (seconds)")),
                peak_mb=int(field("Maximum resident set size (kbytes)")) / 1024,
                exit=int(field("Exit status")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--status-json", help="lagesbild status --json of the full run")
    ap.add_argument("--run-time", help="/usr/bin/time -v output of the full run")
    ap.add_argument("--aggregate-time", help="/usr/bin/time -v output of --stage aggregate")
    ap.add_argument("--until-aggregate-time", help="/usr/bin/time -v output of --until aggregate (fresh workspace)")
    ap.add_argument("--stage-times", help="JSON {stage: time -v file} of the stage-by-stage run")
    ap.add_argument("--incremental-times",
                    help='JSON {"full": [time -v files], "incremental": [...]} of the nightly case')
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--load-only", metavar="JSON",
                    help="only load + aggregate (timed) and write the timings here; for repeated runs")
    ap.add_argument("--duckdb-runs", help="comma-separated timings of earlier --load-only runs, for the median")
    args = ap.parse_args()

    codelists = os.path.join(args.data, "codelists")
    first = sorted(glob.glob(os.path.join(args.data, "police", "brott_*.csv")))[0]
    with open(first, "rb") as f:
        header = f.readline().decode("cp1252")
    multi = "Kommun" in header.split(";")

    if args.load_only:
        _, _, _, timings = run_duckdb(args.data, args.database, codelists, multi, direct=False)
        json.dump(timings, open(args.load_only, "w"))
        print(f"DuckDB load {timings['load']:.2f} s, aggregate {timings['aggregate']:.2f} s")
        return
    files, loaded, table, duck = run_duckdb(args.data, args.database, codelists, multi)
    # With earlier runs, load and aggregate are the medians of all (this one included).
    earlier = [json.load(open(p)) for p in (args.duckdb_runs or "").split(",") if p]
    if earlier:
        runs = earlier + [dict(duck)]
        totals = sorted(r["load"] + r["aggregate"] for r in runs)
        middle = next(r for r in runs if r["load"] + r["aggregate"] == totals[len(totals) // 2])
        duck["runs"] = ", ".join(f"{r['load'] + r['aggregate']:.2f}" for r in runs)
        duck["load"], duck["aggregate"] = middle["load"], middle["aggregate"]
    lagesbild = lagesbild_values(args.workspace)
    problems, lines, checked = compare(lagesbild, table)

    run = parse_time_v(args.run_time)
    aggregate = parse_time_v(args.aggregate_time)
    # Several --until aggregate runs: the one with the median wall time.
    untils = [t for t in (parse_time_v(p) for p in (args.until_aggregate_time or "").split(",") if p) if t]
    until = sorted(untils, key=lambda t: t["wall"])[len(untils) // 2] if untils else None
    stages = {}
    if args.status_json:
        status = json.load(open(args.status_json))
        status = status.get("status", status)  # `lagesbild status --json` also holds the next run's plan
        from datetime import datetime
        for s in status["stages"]:
            start = datetime.fromisoformat(s["started_at"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(s["finished_at"].replace("Z", "+00:00")) if s.get("finished_at") else start
            stages[s["stage"]] = dict(history_seconds=(end - start).total_seconds(), rows_in=s["rows_in"],
                                      rows_out=s["rows_out"], quarantined=s["rows_quarantined"], status=s["status"])
    if args.stage_times and os.path.exists(args.stage_times):
        for stage, path in json.load(open(args.stage_times)).items():
            t = parse_time_v(path)
            if t and stage in stages:
                stages[stage]["alone_seconds"] = t["wall"]
                stages[stage]["alone_peak_mb"] = t["peak_mb"]

    police_bytes = sum(os.path.getsize(f) for f in files)
    print(f"data: {args.data}: {len(files)} police files, {police_bytes / 1e6:.1f} MB, "
          f"{loaded} rows loaded by DuckDB; Kommun column: {'yes' if multi else 'no'}")
    if run:
        print(f"lagesbild run (all stages): wall {run['wall']:.2f} s, CPU {run['user'] + run['system']:.2f} s "
              f"(user {run['user']:.2f}, sys {run['system']:.2f}), peak memory {run['peak_mb']:.0f} MB, "
              f"exit {run['exit']}")
    for name, s in stages.items():
        seconds = s.get("alone_seconds", s["history_seconds"])
        rate = s["rows_in"] / seconds if seconds > 0 else float("inf")
        alone = (f", alone {s['alone_seconds']:.2f} s / {s['alone_peak_mb']:.0f} MB"
                 if "alone_seconds" in s else "")
        print(f"  stage {name:9s}: history {s['history_seconds']:.0f} s (1 s resolution){alone}; "
              f"rows in {s['rows_in']}, out {s['rows_out']}, quarantined {s['quarantined']}; "
              f"{rate:,.0f} rows/s in")
    if until:
        print(f"lagesbild run --until aggregate (ingest → aggregate, fresh workspace): wall {until['wall']:.2f} s, "
              f"CPU {until['user'] + until['system']:.2f} s, peak memory {until['peak_mb']:.0f} MB")
    if aggregate:
        print(f"lagesbild run --stage aggregate: wall {aggregate['wall']:.2f} s, "
              f"CPU {aggregate['user'] + aggregate['system']:.2f} s, peak {aggregate['peak_mb']:.0f} MB")
    if len(untils) > 1:
        print(f"  (median of {len(untils)}: " + ", ".join(f"{t['wall']:.2f}" for t in untils) + " s)")
    print(f"DuckDB {duckdb.__version__} ({duck['threads']} threads): load {duck['load']:.2f} s, "
          f"aggregate {duck['aggregate']:.2f} s, load + aggregate {duck['load'] + duck['aggregate']:.2f} s"
          + (f" (median of {duck['runs']} s)" if "runs" in duck else "")
          + f"; direct query on the CSV files {duck['direct_csv']:.2f} s")

    lagesbild_work = None
    if stages and all(k in stages for k in ("ingest", "normalize", "aggregate")):
        pick = lambda k: stages[k].get("alone_seconds", stages[k]["history_seconds"])
        lagesbild_work = pick("ingest") + pick("normalize") + pick("aggregate")
    if run:
        ratio_run = run["wall"] / (duck["load"] + duck["aggregate"])
        print(f"ratio lagesbild run (wall, all 4 stages) / DuckDB load+aggregate: {ratio_run:.2f}x")
    if until:
        print(f"RATIO lagesbild ingest → aggregate, one run ({until['wall']:.2f} s) / DuckDB load+aggregate "
              f"({duck['load'] + duck['aggregate']:.2f} s): {until['wall'] / (duck['load'] + duck['aggregate']):.2f}x")
    if lagesbild_work:
        print(f"ratio lagesbild ingest+normalize+aggregate as separate runs ({lagesbild_work:.2f} s, each copying "
              f"the workspace) / DuckDB load+aggregate: {lagesbild_work / (duck['load'] + duck['aggregate']):.2f}x")

    incremental = None
    if args.incremental_times and os.path.exists(args.incremental_times):
        runs = json.load(open(args.incremental_times))
        full = [parse_time_v(p) for p in runs["full"]]
        nightly = [parse_time_v(p) for p in runs["incremental"]]
        median = lambda values: sorted(values)[len(values) // 2]
        full_wall, nightly_wall = median([t["wall"] for t in full]), median([t["wall"] for t in nightly])
        incremental = dict(full=full, incremental=nightly, full_median=full_wall, incremental_median=nightly_wall,
                           ratio=nightly_wall / full_wall)
        walls = lambda times: ", ".join("%.2f" % t["wall"] for t in times)
        print(f"nightly case (median of {len(full)}, alternating): full run {full_wall:.2f} s "
              f"({walls(full)}), after one event appended to one yearly file "
              f"{nightly_wall:.2f} s ({walls(nightly)}), peak memory "
              f"{max(t['peak_mb'] for t in nightly):.0f} MB")
        print(f"RATIO nightly / full run: {nightly_wall / full_wall:.1%}; nightly / DuckDB load+aggregate "
              f"({duck['load'] + duck['aggregate']:.2f} s): {nightly_wall / (duck['load'] + duck['aggregate']):.2f}x")
        rewritten = [parse_time_v(p) for p in runs.get("rewritten", [])]
        if rewritten:
            rewritten_wall = median([t["wall"] for t in rewritten])
            incremental.update(rewritten=rewritten, rewritten_median=rewritten_wall,
                               rewritten_ratio=rewritten_wall / full_wall)
            print(f"nightly case, the changed file rewritten (its first event changed, so read whole): "
                  f"{rewritten_wall:.2f} s ({walls(rewritten)})")
            print(f"RATIO rewritten nightly / full run: {rewritten_wall / full_wall:.1%}")
        if any(t["exit"] != 0 for t in full + nightly + rewritten):
            problems.append("a run of the nightly case failed")

    municipalities = len({row[1] for row in lagesbild})
    print(f"check: every municipality ({municipalities}), category and year; anmalda_brott_per_100k for 1380:")
    for year, numerator, value, n, expected in lines:
        print(f"  {year}: Lagesbild {numerator:.0f} events, {value:.4f} per 100k; DuckDB {n} events, "
              f"{expected:.4f} per 100k")
    if not lagesbild:
        problems.append("Lagesbild's workspace has no indicator values")
    if args.json:
        json.dump(dict(run=run, aggregate_alone=aggregate, until_aggregate=until, stages=stages, duckdb=duck,
                       incremental=incremental, checked=checked,
                       problems=problems, police_rows=loaded, police_bytes=police_bytes), open(args.json, "w"),
                  indent=2)
    if problems:
        print(f"MISMATCH: {len(problems)} of {checked} indicator values differ:")
        for p in problems[:20]:
            print("  " + p)
        return 1
    print(f"OK: {checked} indicator values (11 indicators x municipalities x years) agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
