// sattn-opt --mlir-print-debuginfo prints each op's location (file, line,
// column); without the flag no location is printed.
//
// RUN: sattn-opt %s --mlir-print-debuginfo | FileCheck %s --check-prefix=DEBUG
// RUN: sattn-opt %s | FileCheck %s --check-prefix=NODEBUG
// RUN: sattn-opt %s --split-input-file --mlir-print-debuginfo | FileCheck %s --check-prefix=SPLIT

/// Every op gets a location alias that resolves to its line and column in
/// this file.
// DEBUG-LABEL: func.func @located() -> !sattn.mask {
// DEBUG-NEXT: "sattn.causal"() : () -> !sattn.mask loc(#[[CAUSAL_LOC:loc[0-9]*]])
// DEBUG-NEXT: "sattn.window"() {left = 2 : i64, right = 0 : i64} : () -> !sattn.mask loc(#[[WINDOW_LOC:loc[0-9]*]])
// DEBUG-NEXT: "sattn.intersect"(%{{.*}}, %{{.*}}) : (!sattn.mask, !sattn.mask) -> !sattn.mask loc(#[[INTER_LOC:loc[0-9]*]])
// DEBUG-NEXT: return %{{.*}} : !sattn.mask loc(#[[RET_LOC:loc[0-9]*]])
// DEBUG-NEXT: } loc(#[[FUNC_LOC:loc[0-9]*]])
// DEBUG-DAG: #[[FUNC_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 11]]:1)
// DEBUG-DAG: #[[CAUSAL_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 11]]:8)
// DEBUG-DAG: #[[WINDOW_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 11]]:8)
// DEBUG-DAG: #[[INTER_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 11]]:8)
// DEBUG-DAG: #[[RET_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 11]]:3)

// -----

/// Without --mlir-print-debuginfo, no location is printed.
// NODEBUG-LABEL: func.func @located() -> !sattn.mask {
// NODEBUG-NOT: loc(
func.func @located() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.window"() {left = 2 : i64, right = 0 : i64} : () -> !sattn.mask
  %2 = "sattn.intersect"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// In a later chunk of --split-input-file, locations keep the line numbers
/// of the whole file.
// SPLIT-LABEL: func.func @located_in_chunk() {
// SPLIT-NEXT: "sattn.full"() : () -> !sattn.mask loc(#[[FULL_LOC:loc[0-9]*]])
// SPLIT: #[[FULL_LOC]] = loc("{{.*}}sattn-opt-debuginfo.mlir":[[# @LINE + 2]]:8)
func.func @located_in_chunk() {
  %0 = "sattn.full"() : () -> !sattn.mask
  return
}
