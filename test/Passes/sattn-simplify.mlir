// RUN: sattn-opt %s --split-input-file --sattn-simplify=check-len=0 | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-simplify 2>&1 >/dev/null | FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: not sattn-opt %s --sattn-simplify=check-len=-1 2>&1 | FileCheck %s --check-prefix=BAD-LEN

// sattn-simplify: the pattern algebra on each attention's masks (the
// result equals the input pair by pair: test/unit/test_simplify.c).

// None of these masks leaves a row empty: no warning.
// QUIET-NOT: warning
// BAD-LEN: sattn-opt: error: invalid pass pipeline: sattn-simplify: check-len must be an integer from 0 to 65536, got '-1'

/// Nested unions flatten into one union.
// CHECK-LABEL: func.func @flatten(
// CHECK: %[[V0:[0-9]+]] = "sattn.stride"() {stride = 3 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.summary"() {count = 1 : i64, stride = 8 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V2:[0-9]+]] = "sattn.local"() {block = 4 : i64, width = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V3:[0-9]+]] = "sattn.union"(%[[V0]], %[[V1]], %[[V2]]) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: %[[V4:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V3]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @flatten(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.stride"() {stride = 3 : i64} : () -> !sattn.mask
  %b = "sattn.summary"() {count = 1 : i64, stride = 8 : i64} : () -> !sattn.mask
  %c = "sattn.local"() {block = 4 : i64, width = 0 : i64} : () -> !sattn.mask
  %u = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m = "sattn.union"(%u, %c) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Full absorbs a union.
// CHECK-LABEL: func.func @full_union(
// CHECK: %[[V0:[0-9]+]] = "sattn.full"() : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @full_union(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.stride"() {stride = 3 : i64} : () -> !sattn.mask
  %b = "sattn.full"() : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Full drops out of an intersection.
// CHECK-LABEL: func.func @full_intersect(
// CHECK: %[[V0:[0-9]+]] = "sattn.stride"() {stride = 3 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @full_intersect(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.stride"() {stride = 3 : i64} : () -> !sattn.mask
  %b = "sattn.full"() : () -> !sattn.mask
  %m = "sattn.intersect"(%b, %a) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// A union of windows is the window of the largest reaches.
// CHECK-LABEL: func.func @windows_union(
// CHECK: %[[V0:[0-9]+]] = "sattn.window"() {left = 8 : i64, right = 5 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @windows_union(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.window"() {left = 8 : i64, right = 1 : i64} : () -> !sattn.mask
  %b = "sattn.window"() {left = 2 : i64, right = 5 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// An intersection of windows is the window of the smallest reaches.
// CHECK-LABEL: func.func @windows_intersect(
// CHECK: %[[V0:[0-9]+]] = "sattn.window"() {left = 2 : i64, right = 1 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @windows_intersect(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.window"() {left = 8 : i64, right = 1 : i64} : () -> !sattn.mask
  %b = "sattn.window"() {left = 2 : i64, right = 5 : i64} : () -> !sattn.mask
  %m = "sattn.intersect"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Causal & window(l, r) folds into the one-sided window(l, 0).
// CHECK-LABEL: func.func @causal_window(
// CHECK: %[[V0:[0-9]+]] = "sattn.window"() {left = 128 : i64, right = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @causal_window(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.window"() {left = 128 : i64, right = 128 : i64} : () -> !sattn.mask
  %m = "sattn.intersect"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Subsumed terms leave a union: dilated(3, 2) and stride(4) are within stride(2).
// CHECK-LABEL: func.func @subsumed_union(
// CHECK: %[[V0:[0-9]+]] = "sattn.stride"() {stride = 2 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @subsumed_union(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.dilated"() {dilation = 2 : i64, radius = 3 : i64} : () -> !sattn.mask
  %b = "sattn.stride"() {stride = 2 : i64} : () -> !sattn.mask
  %c = "sattn.stride"() {stride = 4 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b, %c) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// In an intersection the smaller term stays: stride(6) within stride(2).
// CHECK-LABEL: func.func @subsumed_intersect(
// CHECK: %[[V0:[0-9]+]] = "sattn.stride"() {stride = 6 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @subsumed_intersect(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.stride"() {stride = 2 : i64} : () -> !sattn.mask
  %b = "sattn.stride"() {stride = 6 : i64} : () -> !sattn.mask
  %m = "sattn.intersect"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Window(left=3, right=0) is within causal.
// CHECK-LABEL: func.func @causal_holds_window(
// CHECK: %[[V0:[0-9]+]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @causal_holds_window(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.window"() {left = 3 : i64, right = 0 : i64} : () -> !sattn.mask
  %b = "sattn.causal"() : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Local(0, block=16) is within local(2, block=16).
// CHECK-LABEL: func.func @locals(
// CHECK: %[[V0:[0-9]+]] = "sattn.local"() {block = 16 : i64, width = 2 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @locals(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.local"() {block = 16 : i64, width = 0 : i64} : () -> !sattn.mask
  %b = "sattn.local"() {block = 16 : i64, width = 2 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// A repeated term appears once.
// CHECK-LABEL: func.func @repeated(
// CHECK: %[[V0:[0-9]+]] = "sattn.summary"() {count = 2 : i64, stride = 8 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V0]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @repeated(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.summary"() {count = 2 : i64, stride = 8 : i64} : () -> !sattn.mask
  %b = "sattn.summary"() {count = 2 : i64, stride = 8 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Both sides of a difference are simplified.
// CHECK-LABEL: func.func @difference_sides(
// CHECK: %[[V0:[0-9]+]] = "sattn.full"() : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.window"() {left = 4 : i64, right = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V2:[0-9]+]] = "sattn.difference"(%[[V0]], %[[V1]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: %[[V3:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V2]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @difference_sides(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %i = "sattn.intersect"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %c = "sattn.full"() : () -> !sattn.mask
  %d = "sattn.stride"() {stride = 5 : i64} : () -> !sattn.mask
  %u = "sattn.union"(%d, %c) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m = "sattn.difference"(%u, %i) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// A mask with nothing to simplify is left as it is.
// CHECK-LABEL: func.func @unchanged(
// CHECK: %[[V0:[0-9]+]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[V1:[0-9]+]] = "sattn.stride"() {stride = 5 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[V2:[0-9]+]] = "sattn.union"(%[[V0]], %[[V1]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: %[[V3:[0-9]+]] = "sattn.attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[V2]]) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
func.func @unchanged(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.stride"() {stride = 5 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}
