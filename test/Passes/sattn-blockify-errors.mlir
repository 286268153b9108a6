// RUN: sattn-opt %s --split-input-file --verify-diagnostics --sattn-blockify
// RUN: not sattn-opt %s --sattn-blockify=block-q=0 2>&1 | FileCheck %s --check-prefix=BQ0
// RUN: not sattn-opt %s --pass-pipeline='builtin.module(sattn-blockify{block-q=0})' 2>&1 | FileCheck %s --check-prefix=BQ0
// RUN: not sattn-opt %s --sattn-blockify=block-k=5000 2>&1 | FileCheck %s --check-prefix=BK5000
// RUN: not sattn-opt %s --sattn-blockify=bogus=1 2>&1 | FileCheck %s --check-prefix=BOGUS

/// Bad options are rejected when the pipeline is built: block-q and block-k
/// must be from 1 to 4096, and only those two options exist.
// BQ0: sattn-opt: error: invalid pass pipeline: sattn-blockify: block-q must be an integer from 1 to 4096, got '0'
// BK5000: sattn-opt: error: invalid pass pipeline: sattn-blockify: block-k must be an integer from 1 to 4096, got '5000'
// BOGUS: sattn-opt: error: invalid pass pipeline: sattn-blockify: unknown option 'bogus'

/// bad_groups: the pass runs sattn-verify's value checks first; one mask
/// needs two groups values (start, end), so three is an error at the
/// attention.
func.func @bad_groups(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op groups must hold 2 values (the first head of each of the 1 masks, then the end), got 3}}
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, 2, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// mask_arg: a mask passed in as a function argument has no sattn op to
/// derive a key schedule from; the error is at the attention.
func.func @mask_arg(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>, %m: !sattn.mask) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  // expected-error@+1 {{sattn-blockify: the mask must be built from sattn ops in the kernel (nested at most 4000 deep)}}
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}
