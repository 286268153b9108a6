// An input with no op (empty, or only comments) gives an empty module, as
// mlir-opt does, and passes run on it without error. This file itself holds
// only comments.
//
// RUN: sattn-opt < /dev/null | FileCheck %s --check-prefix=EMPTY
// RUN: sattn-opt %s | FileCheck %s --check-prefix=COMMENTS
// RUN: sattn-opt %s --sattn-verify --cse 2>&1 | FileCheck %s --check-prefix=COMMENTS
// RUN: sattn-opt %s --split-input-file | FileCheck %s --check-prefix=CHUNKS

/// A zero-byte input prints an empty module and nothing else.
// EMPTY-LABEL: {{^}}module {
// EMPTY-NEXT: {{^}$}}
// EMPTY-NOT: {{[^[:space:]]}}

// -----

/// An input of comments only prints an empty module, also after passes,
/// with no diagnostic.
// COMMENTS-LABEL: {{^}}module {
// COMMENTS-NEXT: {{^}$}}
// COMMENTS-NOT: {{[^[:space:]]}}

// -----

/// Split into comment-only chunks, each chunk is an empty module.
// CHUNKS-LABEL: {{^}}module {
// CHUNKS-NEXT: {{^}$}}
// CHUNKS-EMPTY:
// CHUNKS-NEXT: {{^}}// -----
// CHUNKS-NEXT: {{^}}module {
// CHUNKS-NEXT: {{^}$}}
// CHUNKS: {{^}}// -----
// CHUNKS-NEXT: {{^}}module {
// CHUNKS-NEXT: {{^}$}}
// CHUNKS-NOT: {{[^[:space:]]}}
