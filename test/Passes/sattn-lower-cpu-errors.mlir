// RUN: sattn-opt %s --split-input-file --verify-diagnostics --sattn-blockify --sattn-tile --sattn-lower-cpu
// RUN: not sattn-opt %s --sattn-lower-cpu=block-q=8 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not sattn-opt %s --split-input-file --sattn-lower-cpu 2>&1 | FileCheck %s --check-prefix=ORDER

// OPTION: sattn-opt: error: invalid pass pipeline: sattn-lower-cpu: unknown option 'block-q'
// RUN: not sattn-opt %s --sattn-lower-cpu=lanes=12 2>&1 | FileCheck %s --check-prefix=LANES
// LANES: sattn-opt: error: invalid pass pipeline: sattn-lower-cpu: lanes must be 8 (AVX2) or 16 (AVX-512), not 12

/// A sattn.attention (not blockified, not tiled) is refused by the CPU
/// lowering alone, with the passes to run first.
// ORDER: error: sattn-lower-cpu expects tiled loops: run sattn-blockify and sattn-tile first
// ORDER-NEXT: "sattn.attention"

/// dont_lower_dynamic: a dynamic term has no CPU lowering yet; the error is
/// at the term and at the kernel.
func.func @dont_lower_dynamic(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  // expected-error@+1 {{a dynamic term has no static element predicate}}
  %0 = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  // expected-error@+1 {{the CPU back end cannot run this pattern: its partial tiles need an element predicate}}
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}

