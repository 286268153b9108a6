func.func @implicit_first() -> !sattn.mask { %0 = "sattn.window"() {left = -1 : i64, right = 0 : i64} : () -> !sattn.mask return %0 : !sattn.mask }
func.func @implicit_second() { return }
// Several top-level ops go into an implicit module, as in mlir-opt; the
// locations of the ops on line 1 must not be shifted by the wrapping (the
// two functions above are on lines 1 and 2 on purpose). Upstream mlir-opt
// gives the reference columns.
//
// RUN: sattn-opt %s --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC
// RUN: sattn-opt - --mlir-print-debuginfo < %s | FileCheck %s --check-prefix=LOC
// RUN: not sattn-opt %s --sattn-verify 2>&1 | FileCheck %s --check-prefix=DIAG

/// The ops on line 1 keep their own columns: the function at 1:1, the
/// window at 1:51, the return at 1:123; line 2 starts at 2:1.
// LOC-LABEL: func.func @implicit_first() -> !sattn.mask {
// LOC-NEXT: "sattn.window"() {left = -1 : i64, right = 0 : i64} : () -> !sattn.mask loc(#[[WINDOW_LOC:loc[0-9]*]])
// LOC-NEXT: return %{{.*}} : !sattn.mask loc(#[[RET_LOC:loc[0-9]*]])
// LOC-NEXT: } loc(#[[FIRST_LOC:loc[0-9]*]])
// LOC-NEXT: func.func @implicit_second() {
// LOC-NEXT: return loc(#{{loc[0-9]*}})
// LOC-NEXT: } loc(#[[SECOND_LOC:loc[0-9]*]])
// LOC-DAG: #[[FIRST_LOC]] = loc("{{.*}}{{(sattn-opt-implicit-module-locations.mlir|<stdin>)}}":1:1)
// LOC-DAG: #[[WINDOW_LOC]] = loc("{{.*}}{{(sattn-opt-implicit-module-locations.mlir|<stdin>)}}":1:51)
// LOC-DAG: #[[RET_LOC]] = loc("{{.*}}{{(sattn-opt-implicit-module-locations.mlir|<stdin>)}}":1:123)
// LOC-DAG: #[[SECOND_LOC]] = loc("{{.*}}{{(sattn-opt-implicit-module-locations.mlir|<stdin>)}}":2:1)

// -----

/// A diagnostic on line 1 of an implicit module has the column of the op.
// DIAG-LABEL: sattn-opt-implicit-module-locations.mlir:
// DIAG-SAME: 1:51: error: 'sattn.window' op left must be non-negative, got -1
// DIAG-NOT: error:
