// RUN: sattn-opt %s --split-input-file --pass-pipeline='builtin.module(sattn-verify,func.func(cse))' | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-verify --cse | FileCheck %s

/// A pipeline mixing a sattn pass and a nested upstream pass runs both.
// CHECK-LABEL: func.func @mixed_pipeline
// CHECK: "sattn.window"() {left = 4 : i64, right = 4 : i64}
func.func @mixed_pipeline() -> !sattn.mask {
  %0 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Several top-level ops are wrapped in an implicit module, as mlir-opt does.
// CHECK-LABEL: func.func @first
// CHECK-LABEL: func.func @second
func.func @first() { return }
func.func @second() { return }
