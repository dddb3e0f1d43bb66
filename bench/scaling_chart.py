#!/usr/bin/env python3
"""Tabulates bench/scaling.sh's runs and draws them as an SVG (standard library only).

    scaling_chart.py <directory of <backend>-<households>.txt files> <output prefix>

Writes <prefix>.md (a Markdown table) and <prefix>.svg: for each page, the one-client median
latency and the 64-client p99 against the number of households, on logarithmic axes, one line
per backend.
"""

import math
import re
import sys
from pathlib import Path

PAGES = [("household", "Household page"), ("search", "Name search"), ("queue", "Work queue")]
BACKENDS = [("sqlite", "SQLite", "#1e5aa8"), ("postgres", "PostgreSQL", "#c0392b")]
NUMBER = r"([0-9.]+)"


def parse(path):
    """The 64-client and one-client figures per endpoint, and the server's peak memory."""
    text = path.read_text()
    loaded, single = {}, {}
    section = None
    for line in text.splitlines():
        if line.startswith("endpoint") and "p90 ms" in line:
            section = loaded
            continue
        if line.startswith("endpoint") and "p90 ms" not in line:
            section = single
            continue
        if section is None or not line.strip() or line.startswith("("):
            section = None if not line.strip() else section
            continue
        parts = line.split()
        if parts[0] in ("healthz", "household", "search", "queue"):
            if section is loaded and len(parts) >= 5:
                section[parts[0]] = {"rps": float(parts[1]), "p50": float(parts[2]), "p99": float(parts[4])}
            elif section is single and len(parts) >= 4:
                section[parts[0]] = {"rps": float(parts[1]), "p50": float(parts[2]), "p99": float(parts[3])}
    peak = re.search(r"server RSS: peak [^0-9]*" + NUMBER + r" MiB = " + NUMBER + " MB", text)
    db = re.search(r"db size: +" + NUMBER + " MiB", text)
    return {
        "loaded": loaded,
        "single": single,
        "peak_mb": float(peak.group(2)) if peak else None,
        "db_mib": float(db.group(1)) if db else None,
    }


def load(directory):
    runs = {}
    for path in sorted(Path(directory).glob("*-*.txt")):
        match = re.fullmatch(r"(sqlite|postgres)-([0-9]+)\.txt", path.name)
        if match:
            runs[(match.group(1), int(match.group(2)))] = parse(path)
    return runs


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", " ")


def table(runs):
    sizes = sorted({size for _, size in runs})
    lines = [
        "| backend | households | database MiB | page | 1 client p50 ms | 64 clients req/s | 64 clients p99 ms | ratio to healthz |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for backend, label, _ in BACKENDS:
        for size in sizes:
            run = runs.get((backend, size))
            if not run:
                continue
            healthz = run["loaded"].get("healthz", {}).get("rps")
            for page, page_label in PAGES:
                loaded = run["loaded"].get(page, {})
                single = run["single"].get(page, {})
                ratio = loaded["rps"] / healthz if healthz and loaded.get("rps") else None
                lines.append(
                    f"| {label} | {size:,} | {fmt(run['db_mib'], 0)} | {page_label} | {fmt(single.get('p50'), 2)} | "
                    f"{fmt(loaded.get('rps'))} | {fmt(loaded.get('p99'))} | {fmt(ratio, 3)} |".replace(",", " ")
                )
    lines.append("")
    lines.append("Peak memory of the server under load (MB): " + "; ".join(
        f"{label} {size:,}: {fmt(run['peak_mb'])}".replace(",", " ")
        for backend, label, _ in BACKENDS
        for size in sizes
        if (run := runs.get((backend, size)))
    ))
    return "\n".join(lines) + "\n"


def chart(runs):
    sizes = sorted({size for _, size in runs})
    panel_w, panel_h, left, top, gap = 250, 190, 56, 40, 60
    metrics = [("single", "p50", "One client: median ms"), ("loaded", "p99", "64 clients: p99 ms")]
    width = left + len(PAGES) * (panel_w + gap) + 10
    height = top + len(metrics) * (panel_h + 70) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11" role="img" aria-labelledby="title">',
        '<title id="title">Husly: latency of the hot pages against the number of households, SQLite and PostgreSQL</title>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    x_lo, x_hi = math.log10(min(sizes)), math.log10(max(sizes))
    for row, (section, key, metric_label) in enumerate(metrics):
        values = [
            run[section].get(page, {}).get(key)
            for run in runs.values()
            for page, _ in PAGES
        ]
        values = [v for v in values if v]
        y_lo = 10 ** math.floor(math.log10(min(values))) if values else 0.1
        y_hi = 10 ** math.ceil(math.log10(max(values))) if values else 1000
        if y_hi <= y_lo:
            y_hi = y_lo * 10
        oy = top + row * (panel_h + 70)
        for col, (page, page_label) in enumerate(PAGES):
            ox = left + col * (panel_w + gap)

            def px(size):
                share = 0.5 if x_hi == x_lo else (math.log10(size) - x_lo) / (x_hi - x_lo)
                return ox + (0.1 + 0.8 * share) * panel_w

            def py(value):
                return oy + panel_h - (math.log10(value) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo)) * panel_h

            out.append(f'<text x="{ox}" y="{oy - 12}" font-weight="bold">{page_label} — {metric_label}</text>')
            out.append(f'<rect x="{ox}" y="{oy}" width="{panel_w}" height="{panel_h}" fill="none" stroke="#999"/>')
            decade = y_lo
            while decade <= y_hi * 1.0001:
                y = py(decade)
                out.append(f'<line x1="{ox}" x2="{ox + panel_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
                out.append(f'<text x="{ox - 4}" y="{y + 4:.1f}" text-anchor="end">{decade:g}</text>')
                decade *= 10
            for size in sizes:
                x = px(size)
                out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{oy}" y2="{oy + panel_h}" stroke="#e3e3e3"/>')
                out.append(f'<text x="{x:.1f}" y="{oy + panel_h + 14}" text-anchor="middle">{size:,}</text>'.replace(",", " "))
            if key == "p99" and y_lo <= 20 <= y_hi:
                y = py(20)
                out.append(f'<line x1="{ox}" x2="{ox + panel_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#2e7d32" stroke-dasharray="5,4"/>')
                out.append(f'<text x="{ox + panel_w - 4}" y="{y - 4:.1f}" text-anchor="end" fill="#2e7d32">target 20 ms</text>')
            for backend, label, colour in BACKENDS:
                points = [
                    (px(size), py(value))
                    for size in sizes
                    if (run := runs.get((backend, size)))
                    and (value := run[section].get(page, {}).get(key))
                ]
                if len(points) > 1:
                    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                    out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
                for x, y in points:
                    out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        out.append(
            f'<text x="{left + len(PAGES) * (panel_w + gap) / 2 - gap / 2}" y="{oy + panel_h + 30}" '
            'text-anchor="middle">households (logarithmic)</text>'
        )
    legend_y = height - 12
    for i, (_, label, colour) in enumerate(BACKENDS):
        x = left + i * 120
        out.append(f'<line x1="{x}" x2="{x + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{x + 26}" y="{legend_y}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    runs = load(sys.argv[1])
    if not runs:
        sys.exit(f"no <backend>-<households>.txt files in {sys.argv[1]}")
    Path(sys.argv[2] + ".md").write_text(table(runs))
    Path(sys.argv[2] + ".svg").write_text(chart(runs))


if __name__ == "__main__":
    main()
