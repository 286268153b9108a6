// sattn-verify decides whether `among` is static in time linear in the
// number of ops: masks are DAGs (one value may feed a union twice), and a
// walk that revisits shared values takes 2^N steps on a chain of N
// self-unions. Each case has 60 doublings; `timeout` turns a hang into a
// failure.
//
// RUN: timeout 20 sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: timeout 20 not sattn-opt %s --split-input-file --sattn-verify 2>%t.err | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t.err

/// A static `among` built as a chain of 60 self-unions is accepted quickly.
// OUT-LABEL: func.func @topk_among_shared_static_chain()
// OUT: %[[AMONG:.*]] = "sattn.union"(%59, %59)
// OUT-NEXT: "sattn.topk"(%[[AMONG]])
func.func @topk_among_shared_static_chain() -> !sattn.mask {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.union"(%m0, %m0) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m2 = "sattn.union"(%m1, %m1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m3 = "sattn.union"(%m2, %m2) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m4 = "sattn.union"(%m3, %m3) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m5 = "sattn.union"(%m4, %m4) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m6 = "sattn.union"(%m5, %m5) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m7 = "sattn.union"(%m6, %m6) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m8 = "sattn.union"(%m7, %m7) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m9 = "sattn.union"(%m8, %m8) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m10 = "sattn.union"(%m9, %m9) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m11 = "sattn.union"(%m10, %m10) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m12 = "sattn.union"(%m11, %m11) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m13 = "sattn.union"(%m12, %m12) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m14 = "sattn.union"(%m13, %m13) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m15 = "sattn.union"(%m14, %m14) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m16 = "sattn.union"(%m15, %m15) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m17 = "sattn.union"(%m16, %m16) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m18 = "sattn.union"(%m17, %m17) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m19 = "sattn.union"(%m18, %m18) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m20 = "sattn.union"(%m19, %m19) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m21 = "sattn.union"(%m20, %m20) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m22 = "sattn.union"(%m21, %m21) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m23 = "sattn.union"(%m22, %m22) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m24 = "sattn.union"(%m23, %m23) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m25 = "sattn.union"(%m24, %m24) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m26 = "sattn.union"(%m25, %m25) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m27 = "sattn.union"(%m26, %m26) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m28 = "sattn.union"(%m27, %m27) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m29 = "sattn.union"(%m28, %m28) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m30 = "sattn.union"(%m29, %m29) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m31 = "sattn.union"(%m30, %m30) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m32 = "sattn.union"(%m31, %m31) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m33 = "sattn.union"(%m32, %m32) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m34 = "sattn.union"(%m33, %m33) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m35 = "sattn.union"(%m34, %m34) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m36 = "sattn.union"(%m35, %m35) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m37 = "sattn.union"(%m36, %m36) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m38 = "sattn.union"(%m37, %m37) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m39 = "sattn.union"(%m38, %m38) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m40 = "sattn.union"(%m39, %m39) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m41 = "sattn.union"(%m40, %m40) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m42 = "sattn.union"(%m41, %m41) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m43 = "sattn.union"(%m42, %m42) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m44 = "sattn.union"(%m43, %m43) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m45 = "sattn.union"(%m44, %m44) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m46 = "sattn.union"(%m45, %m45) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m47 = "sattn.union"(%m46, %m46) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m48 = "sattn.union"(%m47, %m47) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m49 = "sattn.union"(%m48, %m48) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m50 = "sattn.union"(%m49, %m49) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m51 = "sattn.union"(%m50, %m50) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m52 = "sattn.union"(%m51, %m51) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m53 = "sattn.union"(%m52, %m52) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m54 = "sattn.union"(%m53, %m53) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m55 = "sattn.union"(%m54, %m54) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m56 = "sattn.union"(%m55, %m55) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m57 = "sattn.union"(%m56, %m56) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m58 = "sattn.union"(%m57, %m57) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m59 = "sattn.union"(%m58, %m58) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m60 = "sattn.union"(%m59, %m59) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %0 = "sattn.topk"(%m60) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A chain of 60 self-unions over `same` is found dynamic, and quickly.
// ERR-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// ERR-NEXT: "sattn.topk"(%m60)
// OUT-NOT: @dont_topk_among_shared_dynamic_chain
func.func @dont_topk_among_shared_dynamic_chain() -> !sattn.mask {
  %m0 = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  %m1 = "sattn.union"(%m0, %m0) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m2 = "sattn.union"(%m1, %m1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m3 = "sattn.union"(%m2, %m2) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m4 = "sattn.union"(%m3, %m3) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m5 = "sattn.union"(%m4, %m4) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m6 = "sattn.union"(%m5, %m5) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m7 = "sattn.union"(%m6, %m6) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m8 = "sattn.union"(%m7, %m7) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m9 = "sattn.union"(%m8, %m8) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m10 = "sattn.union"(%m9, %m9) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m11 = "sattn.union"(%m10, %m10) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m12 = "sattn.union"(%m11, %m11) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m13 = "sattn.union"(%m12, %m12) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m14 = "sattn.union"(%m13, %m13) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m15 = "sattn.union"(%m14, %m14) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m16 = "sattn.union"(%m15, %m15) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m17 = "sattn.union"(%m16, %m16) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m18 = "sattn.union"(%m17, %m17) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m19 = "sattn.union"(%m18, %m18) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m20 = "sattn.union"(%m19, %m19) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m21 = "sattn.union"(%m20, %m20) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m22 = "sattn.union"(%m21, %m21) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m23 = "sattn.union"(%m22, %m22) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m24 = "sattn.union"(%m23, %m23) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m25 = "sattn.union"(%m24, %m24) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m26 = "sattn.union"(%m25, %m25) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m27 = "sattn.union"(%m26, %m26) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m28 = "sattn.union"(%m27, %m27) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m29 = "sattn.union"(%m28, %m28) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m30 = "sattn.union"(%m29, %m29) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m31 = "sattn.union"(%m30, %m30) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m32 = "sattn.union"(%m31, %m31) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m33 = "sattn.union"(%m32, %m32) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m34 = "sattn.union"(%m33, %m33) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m35 = "sattn.union"(%m34, %m34) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m36 = "sattn.union"(%m35, %m35) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m37 = "sattn.union"(%m36, %m36) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m38 = "sattn.union"(%m37, %m37) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m39 = "sattn.union"(%m38, %m38) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m40 = "sattn.union"(%m39, %m39) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m41 = "sattn.union"(%m40, %m40) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m42 = "sattn.union"(%m41, %m41) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m43 = "sattn.union"(%m42, %m42) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m44 = "sattn.union"(%m43, %m43) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m45 = "sattn.union"(%m44, %m44) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m46 = "sattn.union"(%m45, %m45) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m47 = "sattn.union"(%m46, %m46) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m48 = "sattn.union"(%m47, %m47) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m49 = "sattn.union"(%m48, %m48) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m50 = "sattn.union"(%m49, %m49) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m51 = "sattn.union"(%m50, %m50) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m52 = "sattn.union"(%m51, %m51) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m53 = "sattn.union"(%m52, %m52) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m54 = "sattn.union"(%m53, %m53) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m55 = "sattn.union"(%m54, %m54) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m56 = "sattn.union"(%m55, %m55) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m57 = "sattn.union"(%m56, %m56) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m58 = "sattn.union"(%m57, %m57) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m59 = "sattn.union"(%m58, %m58) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m60 = "sattn.union"(%m59, %m59) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%m60) {block = 64 : i64, input = 1 : i64, k = 1 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}
