// RUN: sattn-opt %s --split-input-file --verify-diagnostics --sattn-simplify=check-len=64
// RUN: sattn-opt %s --split-input-file --sattn-simplify=check-len=0 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty

// sattn-simplify warns about rows the mask leaves empty (they give 0), at
// Lq = Lk = check-len; check-len=0 turns the check off.
// OFF-NOT: warning

/// causal minus the last 9 keys of each row: rows 0..8 have none.
func.func @some_rows(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %c = "sattn.causal"() : () -> !sattn.mask
  %w = "sattn.window"() {left = 8 : i64, right = 0 : i64} : () -> !sattn.mask
  %m = "sattn.difference"(%c, %w) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-warning@+1 {{the mask leaves 9 of 64 rows empty at Lq = Lk = 64 (the first is row 0, the last row 8); they give 0}}
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// full - full allows nothing.
func.func @no_rows(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %f = "sattn.full"() : () -> !sattn.mask
  %m = "sattn.difference"(%f, %f) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-warning@+1 {{the mask allows no key for any row at Lq = Lk = 64}}
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}
