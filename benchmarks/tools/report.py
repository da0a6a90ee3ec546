#!/usr/bin/env python3
"""Turns benchmarks/results/* into results/summary.json, results/throughput.svg and the tables of
benchmarks/README.md (between its results:begin and results:end markers).

    report.py RESULTS_DIR README
"""
import csv
import json
import os
import re
import sys
from collections import defaultdict
from html import escape

VARIANTS = ["webpy-memory", "webpy-disk", "webpy-shelf", "webpy-jdbc-h2", "webpy-jdbc-pg",
            "webpy-redis", "spring-jdbc-pg", "spring-redis", "tomcat"]
LOCKED = [v + "+lock" for v in VARIANTS if v.startswith("webpy-")]
ENDPOINTS = ["/plain", "/read", "/count"]
# variants beside the stores: the memory store with the starter's meters
EXTRA = ["webpy-memory+meters"]
# /plain with the session cookie against /plain?no-cookie, without it, HttpSession bridged
BRIDGE, NO_COOKIE = "webpy-memory+bridge", "/plain?no-cookie"
NA = "not available in this build"


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def num(x):
    return float(x) if x not in (None, "") else None


def fmt(x, digits=0, unit=""):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}{unit}"


# --- HTTP ----------------------------------------------------------------------------------------
def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def round_means(rs):
    """Requests per µs of each round, the mean where a round measured the endpoint twice."""
    by_round = defaultdict(list)
    for r in rs:
        by_round[r["round"]].append(int(r["requests"]) / int(r["duration_us"]))
    return {k: sum(v) / len(v) for k, v in by_round.items()}


def http_summary(results):
    runs = defaultdict(list)
    for r in rows(os.path.join(results, "http.csv")):
        runs[(r["variant"], r["endpoint"])].append(r)
    status = {}
    variants_csv = os.path.join(results, "variants.csv")
    if os.path.exists(variants_csv):
        with open(variants_csv) as f:
            for line in f:
                name, state, *detail = line.rstrip("\n").split(",", 2)
                if state != "ok" or name not in status:
                    status[name] = (state, detail[0] if detail else "")
    summary = {}
    for variant in VARIANTS + LOCKED + EXTRA + [BRIDGE]:
        entry = {"status": status.get(variant, ("not run", ""))[0], "detail": status.get(variant, ("", ""))[1],
                 "endpoints": {}}
        for endpoint in ENDPOINTS + [NO_COOKIE]:
            rs = runs.get((variant, endpoint))
            if not rs:
                continue
            rps = [int(r["requests"]) / (int(r["duration_us"]) / 1e6) for r in rs]
            e = {"rounds": len(rs), "rps": sum(rps) / len(rps), "rps_min": min(rps), "rps_max": max(rps),
                 "p99_ms": sum(int(r["p99_us"]) for r in rs) / len(rs) / 1e3,
                 "p50_ms": sum(int(r["p50_us"]) for r in rs) / len(rs) / 1e3,
                 "errors": sum(int(r["errors"]) + int(r["non2xx"]) for r in rs),
                 "load1": [float(r["load1"]) for r in rs],
                 "app_cpu_us": mean(num(r.get("app_cpu_us")) for r in rs),
                 "server_cpu_us": mean(num(r.get("server_cpu_us")) for r in rs)}
            if endpoint == "/count":
                e["completed"] = sum(int(r["requests"]) - int(r["non2xx"]) for r in rs)
                e["survived"] = sum(int(r["count_after"]) - int(r["count_before"]) for r in rs)
            entry["endpoints"][endpoint] = e
        plain = entry["endpoints"].get("/plain")
        for endpoint, e in entry["endpoints"].items():
            e["ratio"] = e["rps"] / plain["rps"] if plain else None
            # each round's own ratio: /plain (measured before and after the other endpoints, its mean) and
            # this endpoint ran back to back, under the same load
            per_round = round_means(runs[(variant, endpoint)])
            plain_round = round_means(runs.get((variant, "/plain"), []))
            e["round_ratios"] = [per_round[k] / plain_round[k] for k in sorted(per_round) if k in plain_round]
        if entry["endpoints"] and entry["status"] == "not run":
            entry["status"] = "ok"
        summary[variant] = entry
    return summary


def http_table(summary):
    out = ["| variant | /plain req/s | /read req/s | /read ÷ /plain (per round) | /count req/s "
           "| /count ÷ /plain (per round) | p99 /plain · /read · /count (ms) "
           "| app CPU µs per request /plain · /read · /count | server CPU µs per request /read · /count "
           "| /count increments lost |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |"]
    for variant, entry in summary.items():
        eps = entry["endpoints"]
        if not eps:
            if entry["status"] != "not run":
                out.append(f"| {variant} | {entry['status']} | | | | | | | | |")
            continue
        p, r, c = (eps.get(x) for x in ENDPOINTS)
        kept = "–"
        if c and c["completed"]:
            lost = c["completed"] - c["survived"]
            kept = (f"{lost:,} of {c['completed']:,} ({100 * lost / c['completed']:.2f} %)" if lost > 0 else
                    f"0 of {c['completed']:,} ({-lost} more kept than wrk saw complete: in flight at its stop)")
        p99 = " · ".join(fmt(e["p99_ms"], 1) if e else "–" for e in (p, r, c))
        def ratio(e):
            if not e or e["ratio"] is None:
                return "–"
            rounds = ", ".join(f"{x:.2f}" for x in e["round_ratios"])
            return f"{e['ratio']:.3f} ({rounds})" if len(e["round_ratios"]) > 1 else f"{e['ratio']:.3f}"
        app = " · ".join(fmt(e and e.get("app_cpu_us")) for e in (p, r, c))
        server = " · ".join(fmt(e and e.get("server_cpu_us")) for e in (r, c))
        out.append(f"| {variant} | {fmt(p and p['rps'])} | {fmt(r and r['rps'])} | {ratio(r)} "
                   f"| {fmt(c and c['rps'])} | {ratio(c)} | {p99} | {app} | {server} | {kept} |")
    return "\n".join(out)


def svg_chart(summary, path):
    colors = {"/plain": "#9aa5b1", "/read": "#3b82f6", "/count": "#f59e0b"}
    shown = [(v, e) for v, e in summary.items() if e["status"] != "not run"]
    top = max([x["rps"] for _, e in shown for x in e["endpoints"].values()] + [1])
    scale_max = 10 ** len(str(int(top)))
    for step in (0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0):
        if top <= scale_max * step:
            scale_max = scale_max * step
            break
    left, width, bar, gap = 170, 560, 11, 14
    height = 50 + sum((3 * bar + gap) if e["endpoints"] else (bar + gap) for _, e in shown) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{left}" y="16" font-size="13" font-weight="bold">HTTP throughput, requests/s '
             f'(wrk, 2 threads, 32 connections; mean of rounds)</text>']
    x = 0
    for i, (endpoint, color) in enumerate(colors.items()):
        parts.append(f'<rect x="{left + i * 80}" y="26" width="10" height="10" fill="{color}"/>'
                     f'<text x="{left + i * 80 + 14}" y="35">{endpoint}</text>')
    y = 50
    for tick in range(6):
        tx = left + width * tick / 5
        parts.append(f'<line x1="{tx}" y1="{y - 4}" x2="{tx}" y2="{height - 26}" stroke="#e5e7eb"/>'
                     f'<text x="{tx}" y="{height - 12}" text-anchor="middle">{scale_max * tick / 5:,.0f}</text>')
    for variant, entry in shown:
        eps = entry["endpoints"]
        rows_here = 3 if eps else 1
        parts.append(f'<text x="{left - 6}" y="{y + rows_here * bar / 2 + 4}" text-anchor="end">'
                     f'{escape(variant)}</text>')
        if not eps:
            parts.append(f'<text x="{left + 4}" y="{y + bar - 2}" fill="#6b7280">{escape(entry["status"])}</text>')
        for j, endpoint in enumerate(ENDPOINTS):
            if not eps:
                break
            e = eps.get(endpoint)
            if e:
                w = width * e["rps"] / scale_max
                parts.append(f'<rect x="{left}" y="{y + j * bar}" width="{w:.1f}" height="{bar - 1}" '
                             f'fill="{colors[endpoint]}"/><text x="{left + w + 4}" y="{y + j * bar + bar - 2}">'
                             f'{e["rps"]:,.0f}</text>')
        y += rows_here * bar + gap
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


# --- database work --------------------------------------------------------------------------------
def db_summary(results):
    out = {}
    for r in rows(os.path.join(results, "db.csv")):
        n = int(r["requests"])
        per = {k: (num(v) / n if num(v) is not None else None) for k, v in r.items()
               if k not in ("variant", "endpoint", "requests")}
        out.setdefault(r["variant"], {})[r["endpoint"]] = per
    return out


def server_statements(p):
    """What PostgreSQL's statement log would show: the SQL, plus BEGIN and COMMIT per explicit transaction."""
    if p.get("statements_client") is None or p.get("commits_client") is None:
        return None
    return p["statements_client"] + 2 * p["commits_client"]


def db_table(db):
    out = ["| variant | endpoint | SQL statements | statements incl. BEGIN/COMMIT | transactions (server) "
           "| index + seq scans (server) | rows ins · upd · del (server) | Redis commands |",
           "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for variant, eps in db.items():
        for endpoint, p in eps.items():
            scans = (p["seq_scans"] or 0) + (p["idx_scans"] or 0) if p["seq_scans"] is not None else None
            rows_ = " · ".join(fmt(p[k], 2) for k in ("rows_inserted", "rows_updated", "rows_deleted"))
            sql = p["statements_client"] if variant.endswith("-pg") else None
            out.append(f"| {variant} | {endpoint} | {fmt(sql, 2)} | {fmt(server_statements(p) if sql is not None else None, 2)} "
                       f"| {fmt(p['transactions'], 2)} | {fmt(scans, 2)} | {rows_} | {fmt(p['redis_commands'], 2)} |")
    return "\n".join(out)


# --- JMH, cleanup, memory -------------------------------------------------------------------------
def jmh_summary(results):
    path = os.path.join(results, "jmh.json")
    out = defaultdict(dict)
    if not os.path.exists(path):
        return out
    for b in json.load(open(path)):
        op = b["benchmark"].rsplit(".", 1)[1]
        m = b["primaryMetric"]
        out[(b["params"]["store"], int(b["params"]["sessions"]))][op] = {
            "mean_us": m["score"], "p50_us": m["scorePercentiles"]["50.0"], "p99_us": m["scorePercentiles"]["99.0"]}
    return out


def serializer_text(results):
    path = os.path.join(results, "jmh-serializer.json")
    if not os.path.exists(path):
        return ""
    score = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(path))}
    return (f"The default serializer on that session (`count=1`): serialize {score.get('serialize', 0):.2f} µs, "
            f"deserialize {score.get('deserialize', 0):.2f} µs (JMH average); every `/read` deserializes, every "
            f"`/count` deserializes and serializes, whatever the store.")


def request_path_costs(results):
    """µs of the starter's own path of a /read and a /count over a `plain` request (JMH)."""
    path = os.path.join(results, "jmh-request-path.json")
    if not os.path.exists(path):
        return {}
    score = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(path))}
    return {ep: score[ep] - score.get("plain", 0) for ep in ("read", "count") if ep in score}


def request_path_text(results):
    path = os.path.join(results, "jmh-request-path.json")
    if not os.path.exists(path):
        return ""
    score = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(path))}
    plain = score.get("plain", 0)
    return (f"The starter's own path of a request (`RequestPathBenchmarks`: signed cookie, interceptor, lifecycle, "
            f"serializer, against an in-process memory store): `/read` {score.get('read', 0) - plain:.2f} µs and "
            f"`/count` {score.get('count', 0) - plain:.2f} µs over a request that never touches its session "
            f"({plain:.2f} µs, mock request included); the store's own `load` {score.get('storeLoad', 0):.2f} µs.")


def us(x):
    """Microseconds with the precision they deserve: sub-microsecond values keep two decimals."""
    return fmt(x, 2 if x is not None and x < 10 else 0)


def jmh_table(jmh, stores):
    out = ["| store | sessions stored | load mean (µs) | load p99 (µs) | update mean (µs) | update p99 (µs) |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for store in ["memory", "disk", "shelf", "jdbc"]:
        sizes = sorted(size for (s, size) in jmh if s == store)
        label = store + (" (H2 file)" if store == "jdbc" else "")
        if not sizes:
            out.append(f"| {label} | {stores.get(store, 'not measured')} | | | | |")
        for size in sizes:
            l, u = jmh[(store, size)].get("load", {}), jmh[(store, size)].get("update", {})
            out.append(f"| {label} | {size:,} | {us(l.get('mean_us'))} | {us(l.get('p99_us'))} "
                       f"| {us(u.get('mean_us'))} | {us(u.get('p99_us'))} |")
    return "\n".join(out)


def cleanup_rows(results):
    path = os.path.join(results, "cleanup.csv")
    if not os.path.exists(path):
        return []
    out = []
    with open(path) as f:
        header = f.readline().strip().split(",")
        for line in f:
            values = line.strip().split(",")
            out.append(dict(zip(header, values)) if len(values) == len(header) else
                       {"store": values[0], "status": values[1]})
    return out


def cleanup_table(cleanup):
    out = ["| store | expired sessions | removed | cleanup time | request p99 / max before (µs) "
           "| requests during | request p99 / max during (µs) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in cleanup:
        if "status" in r:
            out.append(f"| {r['store']} | {r['status']} | | | | | |")
            continue
        over = f", {int(r['during_over_50ms']):,} over 50 ms" if r.get("during_over_50ms") else ""
        out.append(f"| {r['store']} | {int(r['expired']):,} | {int(r['removed']):,} | "
                   f"{fmt(num(r['cleanup_ms']) / 1e3, 2)} s | {us(num(r['baseline_p99_us']))} / {us(num(r['baseline_max_us']))} "
                   f"| {int(r['during_requests']):,} | {us(num(r['during_p99_us']))} / {us(num(r['during_max_us']))}{over} |")
    return "\n".join(out)


# --- targets --------------------------------------------------------------------------------------
def targets(http, db, jmh, cleanup, stores, path):
    out = ["| target | measured | verdict |", "| --- | --- | --- |"]

    def ratio(v, ep):
        e = http.get(v, {}).get("endpoints", {}).get(ep)
        return e and e["ratio"]

    def rps(v, ep):
        e = http.get(v, {}).get("endpoints", {}).get(ep)
        return e and e["rps"]

    def missing(*vs):
        bad = [v for v in vs if not http.get(v, {}).get("endpoints")]
        return ", ".join(f"{v}: {http.get(v, {}).get('status', 'not run')}" for v in bad)

    def verdict(value, goal, higher=True):
        if value is None or goal is None or value != value or goal != goal:  # absent or NaN
            return "not measured"
        ok = value >= goal if higher else value <= goal
        if ok:
            return "**met**"
        by = (goal - value) / goal if higher else (value - goal) / goal
        return f"**missed** by {100 * by:.0f} %"

    for ep in ("/read", "/count"):
        m, t = ratio("webpy-memory", ep), ratio("tomcat", ep)
        goal = 0.9 * t if t else None
        measured = f"{fmt(m, 3)} vs 0.9 × {fmt(t, 3)} = {fmt(goal, 3)}" if m and t else missing("webpy-memory", "tomcat")
        out.append(f"| memory {ep} ÷ /plain ≥ 0.9 × Tomcat's | {measured} | {verdict(m, goal)} |")
    bare = http.get(BRIDGE, {}).get("endpoints", {}).get(NO_COOKIE)
    with_cookie = bare and bare["ratio"] and 1 / bare["ratio"]
    rounds = ", ".join(f"{1 / x:.2f}" for x in bare["round_ratios"]) if bare else ""
    measured = f"{fmt(with_cookie, 3)} ({rounds})" if with_cookie else missing(BRIDGE)
    out.append(f"| HttpSession bridged: /plain with a cookie ≥ 0.95 of /plain without ({BRIDGE}, per round) "
               f"| {measured} | {verdict(with_cookie, 0.95)} |")
    for v, goal in (("webpy-disk", 0.65), ("webpy-shelf", 0.75)):
        r = ratio(v, "/read")
        out.append(f"| {v} /read ÷ /plain ≥ {goal} | {fmt(r, 3) if r else missing(v)} | {verdict(r, goal)} |")
    jp, sj, sr, wr = "webpy-jdbc-pg", "spring-jdbc-pg", "spring-redis", "webpy-redis"
    for mine, ep, mult, other in ((jp, "/read", 5, sj), (jp, "/read", 2, sr), (jp, "/count", 2.5, sj),
                                  (wr, "/read", 2, sr)):
        a, b = rps(mine, ep), rps(other, ep)
        goal = b * mult if b else None
        measured = f"{fmt(a)} vs {mult}× {fmt(b)} = {fmt(goal)} req/s ({a / b:.2f}×)" if a and b else missing(mine, other)
        out.append(f"| {mine} {ep} ≥ {mult}× {other} | {measured} | {verdict(a, goal)} |")
    for ep in ("read", "count"):
        cost = path.get(ep)
        out.append(f"| the starter's own path of a /{ep} ≤ 3 µs (JMH, over `plain`) "
                   f"| {us(cost) + ' µs' if cost is not None else 'not measured'} | {verdict(cost, 3, higher=False)} |")
    m, b = ratio("webpy-memory+meters", "/read"), ratio("webpy-memory", "/read")
    cost = 1 - m / b if m and b else None
    out.append(f"| the meters cost < 3 % of a memory /read | "
               f"{f'{100 * cost:.1f} % (ratio {m:.3f} against {b:.3f})' if cost is not None else missing('webpy-memory+meters')} "
               f"| {verdict(cost, 0.03, higher=False)} |")
    for ep, goal in (("/read", 1), ("/count", 2)):
        p = db.get(jp, {}).get(ep)
        s = p and server_statements(p)
        ref = db.get(sj, {}).get(ep)
        extra = f" (Spring Session JDBC: {fmt(server_statements(ref), 2)} incl. BEGIN/COMMIT, " \
                f"{fmt(ref['transactions'], 2)} transactions)" if ref else ""
        out.append(f"| jdbc-pg ≤ {goal} statement{'s' if goal > 1 else ''} per {ep} "
                   f"| {fmt(s, 2) if s is not None else missing(jp)}{extra} | {verdict(s, goal, higher=False)} |")
    for v in LOCKED:
        c = http.get(v, {}).get("endpoints", {}).get("/count")
        if c:
            lost = c["completed"] - c["survived"]
            out.append(f"| {v}: no lost increments | {lost:,} of {c['completed']:,} lost "
                       f"({100 * lost / c['completed']:.2f} %) | {'**missed**' if lost > 0 else '**met**'} |")
        elif http.get(v, {}).get("status", "not run") != "not run":
            out.append(f"| {v}: no lost increments | {missing(v)} | not measured |")
    for store in ["memory", "disk", "shelf", "jdbc"]:
        sizes = sorted(size for (s, size) in jmh if s == store)
        if not sizes:
            out.append(f"| {store}: p99 at 1 000 000 ≤ 1.5× p99 at 1 000 | {stores.get(store, 'not measured')} | not measured |")
            continue
        small, large = sizes[0], sizes[-1]
        for op in ("load", "update"):
            a, b = jmh[(store, small)].get(op, {}).get("p99_us"), jmh[(store, large)].get(op, {}).get("p99_us")
            if a is None or b is None:
                continue
            qualifier = "" if large == 1_000_000 else f" (largest measured: {large:,})"
            out.append(f"| {store} {op}: p99 at {large:,} ≤ 1.5× p99 at {small:,}{qualifier} "
                       f"| {us(b)} µs vs 1.5 × {us(a)} = {us(1.5 * a)} µs ({b / a:.2f}×) "
                       f"| {verdict(b, 1.5 * a, higher=False)} |")
    for r in cleanup:
        if "status" in r:
            out.append(f"| {r['store']}: the cleanup holds no request > 50 ms | {r['status']} | not measured |")
        else:
            worst = num(r["during_max_us"]) / 1e3
            out.append(f"| {r['store']}: the cleanup of {int(r['expired']):,} holds no request > 50 ms "
                       f"| longest request during it {worst:.1f} ms | {verdict(worst, 50, higher=False)} |")
    return "\n".join(out)


def main(results, readme):
    machine = json.load(open(os.path.join(results, "machine.json")))
    stores = {}
    if os.path.exists(os.path.join(results, "stores.txt")):
        for line in open(os.path.join(results, "stores.txt")):
            state, name, *_ = line.split(" ", 2) + [""]
            if state == "unavailable":
                stores[name] = NA
    http, db, jmh = http_summary(results), db_summary(results), jmh_summary(results)
    cleanup = cleanup_rows(results)
    memory = rows(os.path.join(results, "memory.csv"))
    svg_chart(http, os.path.join(results, "throughput.svg"))
    json.dump({"machine": machine, "http": http, "db": db,
               "jmh": {f"{s}/{n}": v for (s, n), v in jmh.items()}, "cleanup": cleanup, "memory": memory},
              open(os.path.join(results, "summary.json"), "w"), indent=2)

    s = machine["settings"]
    loads = [l for e in http.values() for x in e["endpoints"].values() for l in x["load1"]]
    load_text = (f"the 1-minute average read {min(loads):.1f} to {max(loads):.1f} during the HTTP measurements, which counts "
                 "the benchmark's own runnable threads (wrk, up to 32 busy request threads, PostgreSQL backends) as well "
                 "as anything else running" if loads else "no HTTP runs")
    command = "benchmarks/run.sh" if machine["mode"] == "full" else "BENCH_MODE=smoke benchmarks/run.sh"
    mem = memory[0] if memory else None
    text = f"""<!-- results:begin (written by tools/report.py: edit outside these markers) -->
**Latest run**: {machine['date']}, {machine['mode']} run of commit `{machine['commit']}`, reproduced with
`{command}`. Settings: {', '.join(f'{k}={v}' for k, v in s.items())}.

**Machine**: {machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, {machine['os']};
{machine['java']}; PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, {machine['wrk']}.
Load average (1, 5, 15 min) before the run: {machine['load_start'] or '?'}; after it: {' '.join(machine['load_end'])};
{load_text}. wrk runs on the same 2 cores as the application.

### HTTP throughput

![throughput per variant](results/throughput.svg)

{http_table(http)}

### Database work per request ({s.get('DB_REQUESTS')} sequential requests each, the app alone on database `bench`)

{db_table(db) if db else 'Not run.'}

### Growth with the number of stored sessions (JMH, one thread, sampled)

{jmh_table(jmh, stores)}

{serializer_text(results)}

{request_path_text(results)}

### Cleanup (`deleteAccessedBefore`) of many expired sessions, with requests running beside it

{cleanup_table(cleanup) if cleanup else 'Not run.'}

### Memory

{f"The memory store holds {int(mem['sessions']):,} sessions of one small key (`count=1`, {mem['serialized_bytes']} bytes serialized) in "
 f"{int(mem['heap_bytes_total']) / 2**20:,.0f} MiB of heap: **{float(mem['heap_bytes_per_session']):,.0f} bytes per session**." if mem else 'Not run.'}

### Targets

{targets(http, db, jmh, cleanup, stores, request_path_costs(results))}
<!-- results:end -->"""
    content = open(readme).read() if os.path.exists(readme) else "<!-- results:begin --><!-- results:end -->"
    content = re.sub(r"<!-- results:begin.*?<!-- results:end -->", lambda _: text, content, flags=re.S)
    open(readme, "w").write(content)
    print(f"wrote {readme}, {results}/summary.json and {results}/throughput.svg")


if __name__ == "__main__":
    main(*sys.argv[1:])
