// sattn-opt rejects malformed --pass-pipeline text and bad passes with a
// message that says what is wrong (exit 2, nothing printed on stdout).
//
// RUN: sh -c 'sattn-opt %s --pass-pipeline=cse; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=NO-ANCHOR
// RUN: sh -c 'sattn-opt %s --pass-pipeline="(cse)"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=NO-ANCHOR
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(cse"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=UNCLOSED-PAREN
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(canonicalize{max-iterations=2)"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=UNCLOSED-BRACE
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(cse) cse"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=TRAILING
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(cse;canonicalize)"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=SEPARATOR
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(cse,)"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=EMPTY-ELEMENT
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(cse)" --canonicalize; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: sh -c 'sattn-opt %s --pass-pipeline="builtin.module(func.func(nosuchpass))"; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-NESTED
// RUN: sh -c 'sattn-opt %s --canonicalize=bogus=2; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// RUN: not sattn-opt %s --pass-pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=WRONG-ANCHOR
// RUN: sh -c 'sattn-opt %s --canonicalize=max-iterations=x; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=BAD-OPTION-VALUE

/// A pipeline without the anchor op and its parentheses is rejected with
/// the expected shape.
// NO-ANCHOR-LABEL: sattn-opt: error: --pass-pipeline must look like 'builtin.module(pass1,pass2,...)'
// NO-ANCHOR-NEXT: exit=2

// -----

/// An unclosed '(' is reported at the end of the text.
// UNCLOSED-PAREN-LABEL: sattn-opt: error: invalid pass pipeline: expected ',' or ')' at offset 18
// UNCLOSED-PAREN-NEXT: exit=2

// -----

/// An unclosed '{' names the pass whose options it opens.
// UNCLOSED-BRACE-LABEL: sattn-opt: error: invalid pass pipeline: unclosed '{' in the options of 'canonicalize'
// UNCLOSED-BRACE-NEXT: exit=2

// -----

/// Text after the closing parenthesis is quoted.
// TRAILING-LABEL: sattn-opt: error: invalid pass pipeline: unexpected text after the pipeline: 'cse'
// TRAILING-NEXT: exit=2

// -----

/// Passes are separated by ',' only: ';' is reported at its offset.
// SEPARATOR-LABEL: sattn-opt: error: invalid pass pipeline: expected ',' or ')' at offset 18
// SEPARATOR-NEXT: exit=2

// -----

/// A trailing ',' leaves an empty element.
// EMPTY-ELEMENT-LABEL: sattn-opt: error: invalid pass pipeline: expected a pass or op name at offset 19
// EMPTY-ELEMENT-NEXT: exit=2

// -----

/// --pass-pipeline and pass flags together are rejected, naming the flags.
// BOTH-LABEL: sattn-opt: error: give either --pass-pipeline or pass flags (--canonicalize), not both
// BOTH-NEXT: exit=2

// -----

/// An unknown pass inside a nested pass manager is named.
// UNKNOWN-NESTED-LABEL: sattn-opt: error: invalid pass pipeline: unknown or invalid pass 'nosuchpass': 'nosuchpass' does not refer to a registered pass or pass pipeline
// UNKNOWN-NESTED-NEXT: exit=2

// -----

/// An unknown option of an upstream pass is named.
// BAD-OPTION-LABEL: sattn-opt: error: invalid pass pipeline: unknown or invalid pass 'canonicalize{bogus=2}': <Pass-Options-Parser>: no such option bogus
// BAD-OPTION-NEXT: exit=2

// -----

/// A pipeline anchored on func.func cannot run on the module: the error
/// comes from the pass manager, names the input file, and nothing is
/// printed.
// WRONG-ANCHOR-LABEL: sattn-opt-pipeline-errors.mlir{{(:0:0)?}}: error: can't run 'func.func' pass manager on 'builtin.module' op
// WRONG-ANCHOR-NOT: module

// -----

/// A bad option value of a known pass is not reported as an unknown pass:
/// the message names the option, not "not a sattn or upstream pass".
// BAD-OPTION-VALUE-LABEL: sattn-opt: error: invalid pass pipeline: unknown or invalid pass 'canonicalize{max-iterations=x}': {{.*}}max-iterations
// BAD-OPTION-VALUE-NOT: not a sattn or upstream pass
// BAD-OPTION-VALUE: exit=2

func.func @input() {
  return
}
