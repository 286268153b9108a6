#!/usr/bin/env python3
"""Patterns outside the benchmark: an outlier hunt over many static patterns.

bench/attention.py measures nine patterns in depth; this runs many more
once each (block sizes the benchmark does not use, narrow windows, global
tokens, differences, unions of differently tiled terms) and flags those far
below window(256)'s rate in the same run: a pattern that runs ten times
slower than its neighbours is a bug in the tile choice or the schedule, and
users will meet patterns the benchmark never runs.

    python3 bench/sweep.py [--seq 8192] [--dim 64] [--threads 1] [--runs 5]

sattn-run times each pattern whole (median of --runs runs after a warm-up)
and reports GFLOP/s on allowed pairs (4 d flops per pair). Writes
bench/results/sweep.md and sweep.json. About two minutes.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
RESULTS = os.path.join(ROOT, "bench", "results")

# (pattern, why it is here)
PATTERNS = [
    ("window(256)", "the reference: the issue's band"),
    ("full", "dense"),
    ("local(1, block=64)", "BigBird's window, block 64"),
    ("local(0, block=128)", "block diagonal"),
    ("local(2, block=32) | random(2, block=32, seed=1)", "BigBird, block 32"),
    ("local(1, block=16) | random(2, block=16, seed=1)", "BigBird, block 16"),
    ("local(1, block=8) | random(2, block=8, seed=1)", "BigBird, block 8"),
    ("random(4, block=64, seed=3)", "random blocks alone"),
    ("window(256) | random(2, block=16, seed=3)", "a band and small random blocks"),
    ("summary(128, 8)", "summary columns alone"),
    ("causal & summary(128, 8)", "causal summary columns"),
    ("causal & (window(left=256, right=0) | summary(128, 8))", "Sparse Transformer fixed, s=128"),
    ("window(512) | global(0, 1, 2, 3)", "Longformer with four global tokens"),
    ("window(128) | global(first=128)", "a band and 128 global tokens"),
    ("global(first=64)", "global tokens alone"),
    ("causal & window(left=1024, right=0)", "sliding window 1024"),
    ("window(64)", "narrow band"),
    ("window(32)", "narrower band"),
    ("window(8)", "a band of 17 keys"),
    ("dilated(64, 2)", "dilated, d=2"),
    ("dilated(256, 8)", "dilated, d=8"),
    ("stride(64)", "strided, both directions"),
    ("stride(256)", "strided, s=256"),
    ("causal & stride(64)", "causal strided, s=64"),
    ("causal & (window(left=64, right=0) | stride(64))", "Sparse Transformer strided, s=64"),
    ("window(256) & stride(2)", "a band's even offsets"),
    ("(window(128) | global(0)) - stride(3)", "a difference with a lattice"),
    ("full - window(64)", "everything but a band"),
    ("causal - local(0, block=64)", "causal without the own block"),
]


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def run(pattern, a):
    cmd = [os.path.join(BIN, "sattn-run"), "--pattern", pattern, "--dim", str(a.dim),
           "--seq-q", str(a.seq), "--heads", "1", "--threads", str(a.threads), "--time",
           str(a.runs), "--seed", "2", "--json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[0][:160]}
    j = json.loads(r.stdout.strip().splitlines()[-1])
    return {"gflops": j["gflops"], "ms": j["median_ms"], "block_q": j["block_q"],
            "block_k": j["block_k"], "density": j["allowed_pairs"] / float(a.seq) ** 2}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seq", type=int, default=8192)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--flag", type=float, default=0.5,
                    help="flag patterns below this share of window(256)'s rate")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(BIN, "sattn-run")):
        sys.exit("bench/sweep.py: build/bin/sattn-run is missing: run `bash scripts/setup.sh` first")
    os.makedirs(RESULTS, exist_ok=True)
    rows = []
    for i, (p, why) in enumerate(PATTERNS):
        c = run(p, a)
        rows.append(dict(c, pattern=p, why=why))
        log("[%d/%d] %-55s %s" % (i + 1, len(PATTERNS), p,
                                  "%.1f GFLOP/s" % c["gflops"] if "gflops" in c else c["error"]))
    ref = rows[0].get("gflops")
    lines = ["# Patterns outside the benchmark", "",
             "Written by `python3 bench/sweep.py --seq %d --dim %d --threads %d --runs %d` on %s. "
             "f32, one head, Lq = Lk = %d; GFLOP/s on allowed pairs (sattn-run, median of %d runs). "
             "`vs window` is the rate against window(256)'s in this run; patterns below %.0f%% "
             "are flagged." % (a.seq, a.dim, a.threads, a.runs, time.strftime("%Y-%m-%d %H:%M"),
                               a.seq, a.runs, 100 * a.flag), "",
             "| pattern | what | density | tiles | ms | GFLOP/s | vs window | |",
             "|---|---|---|---|---|---|---|---|"]
    flagged = 0
    for r in rows:
        if "gflops" not in r:
            lines.append("| `%s` | %s | | | | n/a (%s) | | |" % (r["pattern"], r["why"], r["error"]))
            continue
        share = r["gflops"] / ref if ref else float("nan")
        bad = ref and share < a.flag
        flagged += bool(bad)
        lines.append("| `%s` | %s | %.4f | %d x %d | %.2f | %.1f | %.0f%% | %s |" % (
            r["pattern"], r["why"], r["density"], r["block_q"], r["block_k"], r["ms"],
            r["gflops"], 100 * share, "**low**" if bad else ""))
    lines += ["", "%d of %d patterns flagged." % (flagged, len(rows)), ""]
    with open(os.path.join(RESULTS, "sweep.md"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(RESULTS, "sweep.json"), "w") as f:
        json.dump({"args": vars(a), "rows": rows}, f, indent=1)
    log("wrote bench/results/sweep.md (%d flagged)" % flagged)


if __name__ == "__main__":
    main()
