// -o onto a file that is not a regular file (a FIFO here; /dev/null in
// everyday use) writes into it, as mlir-opt does: the atomic
// write-then-rename is for regular files only, and renaming over a device
// or a FIFO would replace it with a regular file (for /dev/null, as root,
// for every process on the machine). `timeout` bounds the reader, which
// waits forever if nothing opens the FIFO for writing.
//
// RUN: rm -f %t.fifo %t.got && mkfifo %t.fifo
// RUN: sh -c 'timeout 5 cat %t.fifo > %t.got & sattn-opt %s -o %t.fifo; wait'
// RUN: FileCheck %s --input-file=%t.got
// RUN: test -p %t.fifo
// RUN: rm -f %t.fifo

/// The module arrives through the FIFO, and the FIFO is still a FIFO.
// CHECK-LABEL: func.func @through_fifo()
// CHECK-NEXT: "sattn.full"() : () -> !sattn.mask
func.func @through_fifo() -> !sattn.mask {
  %0 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}
