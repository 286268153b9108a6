// RUN: sattn-opt %s --split-input-file --verify-diagnostics --sattn-lower-cpu
// RUN: not sattn-opt %s --sattn-lower-cpu=block-q=0 2>&1 | FileCheck %s --check-prefix=BQ0
// RUN: not sattn-opt %s --sattn-lower-cpu=bogus=1 2>&1 | FileCheck %s --check-prefix=BOGUS
// RUN: not sattn-opt %s --sattn-lower-cpu=block-q 2>&1 | FileCheck %s --check-prefix=NOVALUE

// BQ0: sattn-opt: error: invalid pass pipeline: sattn-lower-cpu: block-q must be an integer from 1 to 4096, got '0'
// BOGUS: sattn-opt: error: invalid pass pipeline: sattn-lower-cpu: unknown option 'bogus'
// NOVALUE: sattn-opt: error: invalid pass pipeline: sattn-lower-cpu: option 'block-q' needs a value (key=value)

/// dont_lower_dynamic: a dynamic term has no CPU lowering yet; the error is
/// at the term and the kernel.
func.func @dont_lower_dynamic(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  // expected-error@+1 {{a dynamic term has no static element predicate}}
  %0 = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  // expected-error@+1 {{this pattern is not supported by the CPU back end yet}}
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}
