#!/usr/bin/env python3
"""swap-plot: the textbook curve as an SVG: page faults against frames, one
line per replacement policy, from swap-sim -c's lines on stdin.

usage: tools/swap-sim -c ... | tools/swap-plot.py TITLE > plot.svg

No plotting library: the SVG is written here (axes, ticks, one polyline
and one legend entry per policy)."""
import csv
import sys

COLOURS = {"fifo": "#d62728", "clock": "#1f77b4", "lru": "#2ca02c",
           "random": "#9467bd", "lru-exact": "#ff7f0e", "opt": "#000000"}
DASH = {"lru-exact": "6,3", "opt": "2,3"}
W, H = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 130, 40, 50


def nice_ticks(high, count=5):
    """Round tick values from 0 to at least high."""
    if high <= 0:
        return [0, 1]
    raw = high / count
    step = 1
    while step * 10 <= raw:
        step *= 10
    for m in (1, 2, 5, 10):
        if step * m >= raw:
            step *= m
            break
    ticks = [0]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: swap-plot.py TITLE < swap-sim-csv > plot.svg")
    title = sys.argv[1]
    series = {}
    for row in csv.DictReader(sys.stdin):
        series.setdefault(row["policy"], []).append(
            (int(row["frames"]), int(row["faults"])))
    if not series:
        sys.exit("swap-plot: no data on stdin (swap-sim -c)")
    frames = sorted({f for pts in series.values() for f, _ in pts})
    yticks = nice_ticks(max(n for pts in series.values() for _, n in pts))
    x0, x1 = frames[0], max(frames[-1], frames[0] + 1)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(f):
        return LEFT + (f - x0) * pw / (x1 - x0)

    def y(n):
        return TOP + ph - n * ph / yticks[-1]

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" '
           f'height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" '
           f'font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="20" text-anchor="middle" '
           f'font-size="14">{title}</text>']
    for t in yticks:
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(t):.1f}" '
                   f'y2="{y(t):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" '
                   f'text-anchor="end">{t}</text>')
    step = max(1, len(frames) // 12)
    for f in frames[::step]:
        out.append(f'<text x="{x(f):.1f}" y="{TOP + ph + 16}" '
                   f'text-anchor="middle">{f}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{TOP + ph}" '
               f'y2="{TOP + ph}" stroke="black"/>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + ph}" '
               f'stroke="black"/>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{H - 12}" '
               f'text-anchor="middle">frames</text>')
    out.append(f'<text x="16" y="{TOP + ph / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {TOP + ph / 2})">page faults'
               f'</text>')
    for i, (policy, pts) in enumerate(series.items()):
        colour = COLOURS.get(policy, "#888")
        dash = DASH.get(policy)
        dash = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x(f):.1f},{y(n):.1f}" for f, n in sorted(pts))
        out.append(f'<polyline fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dash} points="{path}">'
                   f'<title>{policy}</title></polyline>')
        ly = TOP + 10 + 18 * i
        out.append(f'<line x1="{W - RIGHT + 12}" x2="{W - RIGHT + 36}" '
                   f'y1="{ly}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{W - RIGHT + 42}" y="{ly + 4}">{policy}'
                   f'</text>')
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
