#!/usr/bin/env python3
"""An independent float64 reference for sattn-run's .npy path (no numpy).

  npy_ref.py make DIR B HQ HKV LQ LK D SEED   write DIR/{q,k,v}.npy (float32)
  npy_ref.py compare DIR MASK                 read DIR/{q,k,v,out}.npy, compute
                                              attention in float64 with the
                                              mask MASK (below), print the
                                              relative error and ok/FAILED
  npy_ref.py bad DIR                          write malformed .npy files

The masks are written from the formulas of docs/pattern-language.md, not
through the C oracle, so this checks the whole path independently.
"""
import math, random, struct, sys

MASKS = {
    # name: (pattern text for sattn-run, predicate on absolute p and key j)
    "causal_window": lambda p, j: j <= p and p - j <= 5,
    "longformer": lambda p, j: abs(j - p) <= 4 or p == 0 or j == 0,
    "strided": lambda p, j: j <= p and (p - j <= 8 or (p - j) % 8 == 0),
    "fixed": lambda p, j: j <= p and (p // 8 == j // 8 or j % 8 >= 6),
    "dilated": lambda p, j: abs(p - j) <= 6 and (p - j) % 2 == 0,
}

def write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else ""))
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += " " * pad + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(values), *values))

def read_npy(path):
    data = open(path, "rb").read()
    assert data[:6] == b"\x93NUMPY", path
    hlen = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + hlen].decode()
    assert "'<f4'" in header and "False" in header, header
    shape = tuple(int(x) for x in header.split("(")[1].split(")")[0].split(",") if x.strip())
    n = 1
    for s in shape:
        n *= s
    return shape, struct.unpack("<%df" % n, data[10 + hlen:10 + hlen + 4 * n])

def make(d, b, hq, hkv, lq, lk, dim, seed):
    rnd = random.Random(seed)
    for name, h, l in (("q", hq, lq), ("k", hkv, lk), ("v", hkv, lk)):
        vals = [rnd.uniform(-1, 1) for _ in range(b * h * l * dim)]
        write_npy("%s/%s.npy" % (d, name), (b, h, l, dim), vals)

def compare(d, mask_name):
    mask = MASKS[mask_name]
    (b, hq, lq, dim), q = read_npy(d + "/q.npy")
    (_, hkv, lk, _), k = read_npy(d + "/k.npy")
    _, v = read_npy(d + "/v.npy")
    oshape, out = read_npy(d + "/out.npy")
    assert oshape == (b, hq, lq, dim), oshape
    scale = 1 / math.sqrt(dim)
    num = den = 0.0
    for bb in range(b):
        for h in range(hq):
            hk = h // (hq // hkv)
            for i in range(lq):
                p = i + lk - lq
                qi = [q[((bb * hq + h) * lq + i) * dim + x] for x in range(dim)]
                scores = []
                for j in range(lk):
                    if mask(p, j):
                        kj = ((bb * hkv + hk) * lk + j) * dim
                        scores.append((j, scale * sum(qi[x] * k[kj + x] for x in range(dim))))
                ref = [0.0] * dim
                if scores:
                    m = max(s for _, s in scores)
                    tot = sum(math.exp(s - m) for _, s in scores)
                    for j, s in scores:
                        w = math.exp(s - m) / tot
                        vj = ((bb * hkv + hk) * lk + j) * dim
                        for x in range(dim):
                            ref[x] += w * v[vj + x]
                base = ((bb * hq + h) * lq + i) * dim
                for x in range(dim):
                    num += (out[base + x] - ref[x]) ** 2
                    den += ref[x] ** 2
    rel = math.sqrt(num / den) if den else math.sqrt(num)
    print("independent reference: relative error %.3g: %s" % (rel, "ok" if rel < 1e-4 else "FAILED"))
    return 0 if rel < 1e-4 else 1

def bad(d):
    open(d + "/notnpy.npy", "wb").write(b"hello world, not an array")
    write_npy(d + "/three_d.npy", (2, 3, 16), [0.5] * 96)
    hdr = "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1, 2, 16), }"
    hdr += " " * ((64 - (10 + len(hdr) + 1) % 64) % 64) + "\n"
    open(d + "/int32.npy", "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + b"\0" * 128)
    write_npy(d + "/short.npy", (1, 1, 2, 16), [0.25] * 32)
    data = open(d + "/short.npy", "rb").read()
    open(d + "/short.npy", "wb").write(data[:-8])

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2], *[int(x) for x in sys.argv[3:10]])
    elif cmd == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    elif cmd == "bad":
        bad(sys.argv[2])
