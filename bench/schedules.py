#!/usr/bin/env python3
"""Closed-form schedules, measured (issue 5): waste at 64K, memory at 1M,
decoding on both threads. One command, from the repository root after
`bash scripts/setup.sh`:

    python3 bench/schedules.py            # writes bench/results/schedules.md

Waste is `masked_pairs / allowed_pairs` from `sattnc --emit=stats` (pairs
computed and then masked out, per allowed pair) at Lq = Lk = 65536 with the
tiles of issue 5 (32 x 64, given explicitly: the drivers now choose tiles
per kernel). Memory is the peak RSS of `sattn-run` (f32, d = 64,
one head, random inputs) against the bytes of q, k, v and out. Decoding is
`sattn-run` at Lq = 1, Lk = 262144 on 1 and 2 threads (median of 50 runs).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
OUT = os.path.join(ROOT, "bench", "results", "schedules.md")


def md(pattern):
    """A pattern as a markdown table cell (| escaped)."""
    return "`%s`" % pattern.replace("|", "\\|")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def stats(pattern, seq):
    with tempfile.NamedTemporaryFile("w", suffix=".sattn", delete=False) as f:
        f.write("kernel k {\n  pattern = %s\n  head_dim = 64\n}\n" % pattern)
        path = f.name
    try:
        out = run([os.path.join(BIN, "sattnc"), path, "--emit=stats", "--seq-q", str(seq),
                   "--block-q", "32", "--block-k", "64"]).stdout
    finally:
        os.unlink(path)
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def peak_rss(pattern, seq):
    t0 = time.time()
    r = run(["/usr/bin/time", "-f", "maxrss=%M", os.path.join(BIN, "sattn-run"), "--pattern",
             pattern, "--seq-q", str(seq), "--heads", "1", "--dim", "64", "--seed", "1"])
    kb = int(re.search(r"maxrss=(\d+)", r.stderr).group(1))
    return kb * 1024, time.time() - t0


def decode(pattern, threads):
    r = run([os.path.join(BIN, "sattn-run"), "--pattern", pattern, "--seq-q", "1", "--seq-k",
             "262144", "--heads", "1", "--threads", str(threads), "--time", "50", "--json"])
    return json.loads(r.stdout)


def main():
    lines = ["# Closed-form schedules: measured", "",
             "Command: `python3 bench/schedules.py` (this file is its output).", ""]
    print("waste at 64K ...", file=sys.stderr)
    lines += ["## Waste at Lq = Lk = 65536 (tiles 32 x 64)", "",
              "| pattern | lattice | allowed pairs | masked pairs | masked / allowed | limit |",
              "|---|---|---|---|---|---|"]
    for pattern, limit in [("causal & stride(64)", 0.15),
                           ("causal & (local(0, block=128) | summary(128, 8))", 0.15),
                           ("dilated(128, 4)", 0.30),
                           ("window(256) | global(0, 1000)", 0.30)]:
        s = stats(pattern, 65536)
        ratio = float(s["masked_per_allowed"])
        lines.append("| %s | %s | %s | %s | %.3f | < %.2f %s |" % (
            md(pattern), s["lattice"], s["allowed_pairs"], s["masked_pairs"], ratio, limit,
            "ok" if ratio < limit else "MISSED"))
        print("  %s: %.3f" % (pattern, ratio), file=sys.stderr)
    print("memory at 1M ...", file=sys.stderr)
    seq = 1 << 20
    tensors = 4 * seq * 64 * 4  # q, k, v, out: f32, one head, d = 64
    lines += ["", "## Memory at Lq = Lk = 1048576 (f32, d = 64, one head)", "",
              "| pattern | q+k+v+out | peak RSS | ratio | wall (s) |", "|---|---|---|---|---|"]
    for pattern in ["window(256) | global(0)", "causal & stride(1024)"]:
        rss, wall = peak_rss(pattern, seq)
        lines.append("| %s | %.0f MiB | %.0f MiB | %.2f | %.1f |" % (
            md(pattern), tensors / 2**20, rss / 2**20, rss / tensors, wall))
        print("  %s: %.2fx" % (pattern, rss / tensors), file=sys.stderr)
    print("decoding ...", file=sys.stderr)
    lines += ["", "## Decoding: Lq = 1, Lk = 262144 (key splits merged by lse)", "",
              "| pattern | 1 thread (ms) | 2 threads (ms) | speed-up |", "|---|---|---|---|"]
    for pattern in ["window(4096) | global(0)", "causal"]:
        one, two = decode(pattern, 1), decode(pattern, 2)
        lines.append("| %s | %.3f | %.3f | %.2f |" % (
            md(pattern), one["median_ms"], two["median_ms"], one["median_ms"] / two["median_ms"]))
    cpu = run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo; nproc"]).stdout.split("\n")
    lines += ["", "Machine: %s, %s CPUs. Date: %s." % (cpu[0].split(":")[-1].strip(), cpu[1],
                                                      time.strftime("%Y-%m-%d"))]
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote " + os.path.relpath(OUT, ROOT), file=sys.stderr)


if __name__ == "__main__":
    main()
