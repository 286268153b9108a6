/* sattn-simplify, property test: random pattern expressions (every static
 * term, nested |, &, -) compiled by the front end are simplified
 * (codegen/simplify.c), and the simplified mask must equal the original on
 * every (i, j) of random shapes (Lq < Lk, Lq = Lk, Lq > Lk), by the
 * oracle. It prints how many patterns changed and by how many ops.
 * SATTN_TEST_SEED=N replays a run.
 *
 *   test_simplify [PATTERNS]        (default 1000) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "context.h"
#include "gen_pattern.h"
#include "harness.h"
#include "ir_to_oracle.h"
#include "lang.h"
#include "mlir_diag.h"
#include "oracle.h"
#include "simplify.h"
#include "to_oracle.h"

static MlirOperation attention_of(MlirModule m) {
  for (MlirOperation f = mlirBlockGetFirstOperation(mlirModuleGetBody(m)); !mlirOperationIsNull(f);
       f = mlirOperationGetNextInBlock(f)) {
    MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
    for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
         op = mlirOperationGetNextInBlock(op))
      if (sattn_op_get_kind(op) == SATTN_ATTENTION)
        return op;
  }
  return (MlirOperation){NULL};
}

static size_t count_masks(MlirValue v, int depth) {
  if (!mlirValueIsAOpResult(v) || depth > 200)
    return 0;
  MlirOperation op = mlirOpResultGetOwner(v);
  size_t n = 1;
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); i++)
    n += count_masks(mlirOperationGetOperand(op, i), depth + 1);
  return n;
}

static int g_patterns = 1000;

/* Compiles `expr`, simplifies it and compares with the original on every
 * pair of a few shapes; returns the number of differing pairs. */
static int check_expr(MlirContext ctx, const char *expr, long *changed) {
  char text[2000];
  snprintf(text, sizeof text, "kernel k {\n  pattern = %s\n  head_dim = 16\n}\n", expr);
  diag_sink quiet = {NULL, NULL, 0, 0};
  lang_options lo = {0};
  lang_unit u;
  if (!lang_compile(&u, ctx, "pair.sattn", text, strlen(text), &lo, &quiet)) {
    printf("  source: %s\n", expr);
    return 1;
  }
  orc_node *before = sem_to_oracle(u.prog->kernels->masks[0]);
  MlirOperation att = attention_of(u.module);
  size_t n0 = count_masks(mlirOperationGetOperand(att, 3), 0);
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, &quiet);
  bool ok = simplify_masks(mlirModuleGetOperation(u.module), 0);
  mlir_diag_detach(ctx, h);
  *changed += count_masks(mlirOperationGetOperand(att, 3), 0) != n0;
  orc_node *after = ir_to_oracle(mlirOperationGetOperand(att, 3));
  int bad = !ok;
  static const int64_t shapes[][2] = {{40, 40}, {13, 61}, {61, 13}};
  for (int sh = 0; sh < 3; sh++)
    for (int64_t i = 0; i < shapes[sh][0]; i++)
      for (int64_t j = 0; j < shapes[sh][1]; j++)
        if (orc_eval(before, i, j, shapes[sh][0], shapes[sh][1], 0) !=
                orc_eval(after, i, j, shapes[sh][0], shapes[sh][1], 0) &&
            bad++ < 1)
          printf("  %s: differs at Lq=%lld Lk=%lld (%lld, %lld)\n", expr,
                 (long long)shapes[sh][0], (long long)shapes[sh][1], (long long)i, (long long)j);
  orc_node_destroy(before);
  orc_node_destroy(after);
  lang_unit_destroy(&u);
  return bad;
}

/* Every pair of terms from a list made to meet each rule (windows,
 * causal, strides dividing or not, dilations, locals of one block) under
 * |, & and -, both orders. */
static void term_pairs_keep_their_meaning(void) {
  static const char *const terms[] = {
      "full", "causal", "window(3)", "window(left=5, right=0)", "window(left=2, right=7)",
      "window(0)", "stride(2)", "stride(4)", "stride(6)", "stride(3)", "dilated(2, 2)",
      "dilated(3, 4)", "dilated(1, 3)", "local(0, block=4)", "local(1, block=4)",
      "local(1, block=8)", "summary(4, 1)", "global(0)", "global(0, 5)"};
  static const char ops[] = "|&-";
  size_t n = sizeof terms / sizeof *terms;
  MlirContext ctx = sattn_context_create();
  long changed = 0, cases = 0;
  int bad = 0;
  for (size_t a = 0; a < n; a++)
    for (size_t b = 0; b < n; b++)
      for (int o = 0; o < 3; o++) {
        char expr[256];
        snprintf(expr, sizeof expr, "%s %c %s", terms[a], ops[o], terms[b]);
        bad += check_expr(ctx, expr, &changed) != 0;
        /* and under a third term, to reach nested rules */
        snprintf(expr, sizeof expr, "causal & (%s %c %s)", terms[a], ops[o], terms[b]);
        bad += check_expr(ctx, expr, &changed) != 0;
        cases += 2;
      }
  mlirContextDestroy(ctx);
  printf("  %ld expressions of term pairs; %ld simplified\n", cases, changed);
  CHECK(bad == 0);
  CHECK(changed > 0);
}

static void simplified_masks_equal_the_original(void) {
  MlirContext ctx = sattn_context_create();
  long changed = 0, ops_before = 0, ops_after = 0, pairs = 0;
  for (int k = 0; k < g_patterns; k++) {
    char expr[1800], text[2000];
    gen_expr(expr, sizeof expr, 0, k % 2);
    snprintf(text, sizeof text, "kernel k {\n  pattern = %s\n  head_dim = 16\n}\n", expr);
    diag_sink quiet = {NULL, NULL, 0, 0};
    lang_options lo = {0};
    lang_unit u;
    bool ok = lang_compile(&u, ctx, "gen.sattn", text, strlen(text), &lo, &quiet);
    CHECK(ok);
    if (!ok) {
      printf("  source: %s\n", expr);
      continue;
    }
    orc_node *before = sem_to_oracle(u.prog->kernels->masks[0]);
    MlirOperation att = attention_of(u.module);
    size_t n0 = count_masks(mlirOperationGetOperand(att, 3), 0);
    MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, &quiet);
    CHECK(simplify_masks(mlirModuleGetOperation(u.module), 0));
    mlir_diag_detach(ctx, h);
    CHECK(mlirOperationVerify(mlirModuleGetOperation(u.module)));
    MlirValue m = mlirOperationGetOperand(att, 3);
    size_t n1 = count_masks(m, 0);
    changed += n1 != n0;
    ops_before += (long)n0;
    ops_after += (long)n1;
    orc_node *after = ir_to_oracle(m);
    int bad = 0;
    for (int shape = 0; shape < 3; shape++) {
      int64_t lk = 1 + gen_pick(k % 2 ? 200 : 48), lq = shape == 0 ? lk : 1 + gen_pick(k % 2 ? 200 : 48);
      for (int64_t i = 0; i < lq; i++)
        for (int64_t j = 0; j < lk; j++, pairs++)
          if (orc_eval(before, i, j, lq, lk, 0) != orc_eval(after, i, j, lq, lk, 0) && bad++ < 3)
            printf("  %s: differs at Lq=%lld Lk=%lld (%lld, %lld)\n", expr, (long long)lq,
                   (long long)lk, (long long)i, (long long)j);
    }
    CHECK(bad == 0);
    orc_node_destroy(before);
    orc_node_destroy(after);
    lang_unit_destroy(&u);
  }
  mlirContextDestroy(ctx);
  printf("  %d patterns, %ld pairs compared; %ld simplified (%ld mask ops -> %ld)\n",
         g_patterns, pairs, changed, ops_before, ops_after);
  CHECK(changed > 0);
}

int main(int argc, char **argv) {
  if (argc > 1)
    g_patterns = atoi(argv[1]);
  const char *env = getenv("SATTN_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
  gen_state = seed ? seed : 1;
  printf("seed %llu (replay with SATTN_TEST_SEED=%llu)\n", (unsigned long long)seed,
         (unsigned long long)seed);
  TEST(simplified_masks_equal_the_original);
  TEST(term_pairs_keep_their_meaning);
  return HARNESS_REPORT();
}
