// sattnc --summary prints, per kernel and pattern, the density and the
// empty rows at Lq = Lk = --seq: on stdout when the IR goes to a file (-o),
// on stderr otherwise, so that stdout stays pure IR.
//
// RUN: sattnc %examples/longformer.sattn --summary -o %t.ir | FileCheck %s --check-prefix=STDOUT
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.ir
// RUN: sattnc %examples/longformer.sattn --summary 2>%t.err >%t.stdout.ir
// RUN: FileCheck %s --check-prefix=STDOUT --input-file=%t.err
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.stdout.ir
// RUN: sattnc %examples/longformer.sattn --summary -o - 2>&1 >%t.dash.ir | FileCheck %s --check-prefix=STDOUT
// RUN: sattnc %examples/longformer.sattn --summary --seq 512 -o %t.ir | FileCheck %s --check-prefix=SEQ
// RUN: sattnc %examples/moba.sattn --summary --seq 256 -o %t.ir | FileCheck %s --check-prefix=DYNAMIC
// RUN: sattnc %examples/long_document.sattn --summary --seq 256 -o %t.ir | FileCheck %s --check-prefix=EMPTY-ROWS
// RUN: sattnc %examples/longformer.sattn -o %t.ir | count 0

/// Longformer at the default length, 4096: window(256) | global(0) holds
/// 4096*513 - 2*(1+...+256) + 2*3839 = 2043134 pairs, no empty row; one
/// line per kernel, then per pattern.
// STDOUT-LABEL: kernel longformer_f32: Lq = Lk = 4096: density 12.18% (2043134 of 16777216 pairs), 0 empty rows
// STDOUT-NEXT: kernel longformer_bf16: Lq = Lk = 4096: density 12.18% (2043134 of 16777216 pairs), 0 empty rows
// STDOUT-NEXT: pattern longformer: Lq = Lk = 4096: density 12.18% (2043134 of 16777216 pairs), 0 empty rows
// STDOUT-NOT: {{.}}

// -----

/// The IR output (to a file, or to stdout when the summary goes to stderr)
/// holds no summary line.
// IR-LABEL: module {
// IR-NOT: density
// IR-NOT: empty rows

// -----

/// --seq sets the length: at 512, 197374 of 262144 pairs.
// SEQ-LABEL: kernel longformer_f32: Lq = Lk = 512: density 75.29% (197374 of 262144 pairs), 0 empty rows
// SEQ: pattern longformer: Lq = Lk = 512: density 75.29% (197374 of 262144 pairs), 0 empty rows

// -----

/// A pattern with a dynamic term (MoBA's topk) gives a density range: the
/// static part (12.70%) to every candidate (causal, 50.20%).
// DYNAMIC-LABEL: kernel moba_bf16: Lq = Lk = 256: density 12.70% to 50.20% (dynamic terms decide at run time), 0 empty rows
// DYNAMIC-NEXT: pattern moba: Lq = Lk = 256: density 12.70% to 50.20% (dynamic terms decide at run time), 0 empty rows

// -----

/// Empty rows are counted: global(512, ...) holds nothing at length 256.
// EMPTY-ROWS-LABEL: pattern headings: Lq = Lk = 256: density 0.00% (0 of 65536 pairs), 256 empty rows
