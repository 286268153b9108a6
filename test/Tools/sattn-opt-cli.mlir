// sattn-opt command line: informational flags (exit 0) and usage errors
// (exit 2, with a message naming the culprit).
//
// RUN: sattn-opt --help | FileCheck %s --check-prefix=HELP
// RUN: sattn-opt -h | FileCheck %s --check-prefix=HELP
// RUN: sattn-opt --version | FileCheck %s --check-prefix=VERSION
// RUN: sattn-opt --list-passes | FileCheck %s --check-prefix=PASSES
// RUN: sh -c 'sattn-opt %s -x; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OPTION
// RUN: sh -c 'sattn-opt %s --foo; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PASS
// RUN: sh -c 'sattn-opt %s -o; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=O-WITHOUT-FILE
// RUN: sh -c 'sattn-opt %s %s; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=TWO-INPUTS
// RUN: sh -c 'sattn-opt %s --sattn-verify=strict; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=PASS-OPTION

/// --help (and -h) prints the usage on stdout, lists every option, and
/// exits 0 (lit fails the RUN line otherwise).
// HELP-LABEL: usage: sattn-opt [FILE|-] [options]
// HELP: -o FILE
// HELP: --pass-pipeline=PIPE
// HELP: --PASS[=OPTIONS]
// HELP: --split-input-file
// HELP: --verify-diagnostics
// HELP: --mlir-print-debuginfo
// HELP: --list-passes
// HELP: --help, --version
// HELP-NOT: error

// -----

/// --version prints the tool name and version on one line and exits 0.
// VERSION-LABEL: sattn-opt {{[0-9]+\.[0-9]+\.[0-9]+}} (MLIR 22)
// VERSION-NOT: {{.}}

// -----

/// --list-passes lists sattn-verify with its description and exits 0.
// PASSES-LABEL: sattn passes (every upstream MLIR pass is available too):
// PASSES-NEXT: sattn-verify Check the values of sattn ops

// -----

/// An unknown single-dash option is a usage error: exit 2, and the message
/// names the option.
// UNKNOWN-OPTION-LABEL: sattn-opt: error: unknown option '-x' (see --help)
// UNKNOWN-OPTION-NEXT: exit=2

// -----

/// An unknown --NAME is taken as a pass: the message names it, exit 2.
// UNKNOWN-PASS-LABEL: sattn-opt: error: invalid pass pipeline: unknown or invalid pass 'foo': 'foo' does not refer to a registered pass or pass pipeline
// UNKNOWN-PASS-NEXT: exit=2

// -----

/// -o needs a file name.
// O-WITHOUT-FILE-LABEL: sattn-opt: error: -o needs a file name
// O-WITHOUT-FILE-NEXT: exit=2

// -----

/// Two input files are refused, naming both.
// TWO-INPUTS-LABEL: sattn-opt: error: more than one input file ('{{.*}}sattn-opt-cli.mlir' and '{{.*}}sattn-opt-cli.mlir')
// TWO-INPUTS-NEXT: exit=2

// -----

/// sattn-verify takes no options; giving one is a usage error.
// PASS-OPTION-LABEL: sattn-opt: error: invalid pass pipeline: sattn-verify takes no options
// PASS-OPTION-NEXT: exit=2

func.func @input() {
  return
}
